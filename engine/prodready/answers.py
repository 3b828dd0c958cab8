"""Validate a reader's answers document against the questions, and normalise it.

The answers document is a flat JSON object (or TOML table): ``{"format": "prodready.answers/1",
"model_outputs": "operational", ...}``. Every problem is reported with the field it concerns and
what would have been accepted, because the reader must be able to fix it without reading code.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from prodready.conditions import Answer
from prodready.model import Question, RuleSet

FORMAT = "prodready.answers/1"
_META_KEYS = ("format",)


@dataclass(frozen=True, slots=True)
class Problem:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class AnswersError(ValueError):
    """The answers document is not valid; ``problems`` lists every issue found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        first = str(problems[0])
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(first + more)


_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")  # ASCII digits, as the schema's pattern
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _printable(key: object) -> str:
    """A field name safe for a one-line message: control characters and surrogates escaped."""
    text = str(key)
    if _CONTROL.search(text) or not _encodable(text):
        return text.encode("unicode_escape", "backslashreplace").decode("ascii")
    return text


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _suggest(word: str, choices: list[str]) -> str:
    import difflib  # only on the error path: keeps start-up in the browser lean

    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _allowed(q: Question) -> str:
    return ", ".join(repr(o.id) for o in q.options)


def _check(q: Question, value: Any) -> tuple[Answer, Problem | None]:
    """One answer: its normalised form, or the problem with it."""
    bad = Problem
    match q.type:
        case "choice":
            if not isinstance(value, str):
                return None, bad(q.id, f"expected one of {_allowed(q)}, got {type(value).__name__}")
            if q.option(value) is None:
                ids = [o.id for o in q.options]
                return None, bad(
                    q.id, f"{value!r} is not allowed; allowed: {_allowed(q)}{_suggest(value, ids)}"
                )
            return value, None
        case "multi":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                return None, bad(q.id, f"expected a list of options from {_allowed(q)}")
            ids = [o.id for o in q.options]
            for v in value:
                if v not in ids:
                    return None, bad(
                        q.id, f"{v!r} is not allowed; allowed: {_allowed(q)}{_suggest(v, ids)}"
                    )
            if len(set(value)) != len(value):
                return None, bad(q.id, "lists an option more than once")
            # Canonical order (the questions' order) so that equal answers give equal reports.
            return tuple(i for i in ids if i in value), None
        case "bool":
            if not isinstance(value, bool):
                return None, bad(q.id, f"expected true or false, got {value!r}")
            return value, None
        case "integer":
            # JSON (and its Schema) treat 2.0 as the integer 2; true and false are not numbers.
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            if isinstance(value, bool) or not isinstance(value, int):
                return None, bad(q.id, f"expected a whole number, got {value!r}")
            lo, hi = q.minimum, q.maximum
            if (lo is not None and value < lo) or (hi is not None and value > hi):
                return None, bad(q.id, f"{value} is out of range; allowed: {lo} to {hi}")
            return value, None
        case "date":
            if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                return value.isoformat(), None
            if not isinstance(value, str) or not _DATE.match(value):
                return None, bad(q.id, f"{value!r} is not a date; expected YYYY-MM-DD")
            try:
                day = dt.date.fromisoformat(value)
            except ValueError:
                return None, bad(q.id, f"{value!r} is not a date; expected YYYY-MM-DD")
            return day.isoformat(), None
        case "text":
            if not isinstance(value, str):
                return None, bad(q.id, f"expected text, got {type(value).__name__}")
            if q.max_length is not None and len(value) > q.max_length:
                return None, bad(q.id, f"is longer than {q.max_length} characters")
            if _CONTROL.search(value) or not _encodable(value):
                return None, bad(q.id, "must be one line of text, without control characters")
            return value, None
    raise AssertionError(q.type)


def validate(doc: Any, ruleset: RuleSet) -> Mapping[str, Answer]:
    """Check a parsed answers document; return every question's answer, defaults filled in.

    Raises :class:`AnswersError` listing all problems (unknown keys, wrong types, values out of
    range, missing required answers), each naming its field and what is allowed.
    """
    if not isinstance(doc, Mapping):
        raise AnswersError([Problem("(document)", "expected an object of answers")])
    problems: list[Problem] = []
    fmt = doc.get("format", FORMAT)
    if fmt != FORMAT:
        problems.append(Problem("format", f"unsupported format {fmt!r}; expected {FORMAT!r}"))
    known = [q.id for q in ruleset.questions]
    for key in doc:
        if not isinstance(key, str) or (key not in known and key not in _META_KEYS):
            problems.append(
                Problem(_printable(key), f"is not a question{_suggest(str(key), known)}")
            )
    out: dict[str, Answer] = {}
    for q in ruleset.questions:
        if q.id not in doc or doc[q.id] is None:
            if q.required:
                hint = f"; allowed: {_allowed(q)}" if q.options else ""
                problems.append(Problem(q.id, f"is required{hint}"))
            out[q.id] = q.default
            continue
        value, problem = _check(q, doc[q.id])
        if problem is not None:
            problems.append(problem)
        out[q.id] = value
    if problems:
        raise AnswersError(problems)
    return MappingProxyType(out)


def lenient(doc: Any, ruleset: RuleSet) -> dict[str, Answer]:
    """Every answer that is valid on its own, the others as unanswered (defaults): enough to
    decide which questions apply while the reader is still answering."""
    out: dict[str, Answer] = {}
    for q in ruleset.questions:
        value = doc.get(q.id) if isinstance(doc, Mapping) else None
        checked, problem = (None, None) if value is None else _check(q, value)
        out[q.id] = q.default if value is None or problem is not None else checked
    return out


def to_document(answers: Mapping[str, Answer], ruleset: RuleSet) -> dict[str, Any]:
    """The canonical answers document for normalised answers (defaults left out)."""
    doc: dict[str, Any] = {"format": FORMAT}
    for q in ruleset.questions:
        value = answers.get(q.id)
        if value is None or value == q.default:
            continue
        doc[q.id] = list(value) if isinstance(value, tuple) else value
    return doc
