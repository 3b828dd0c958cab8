"""Decision records: an assessment fit for a governance file, whose integrity can be checked.

A record (``prodready.record/1``, documented on the guide's record-format page) holds the answers,
the full report, the rule set's version and digest, the engine version, the assessment date, the
reader's justifications and sign-offs, and the SHA-256 digest of all of that (``digest``: the
canonical JSON of the record without the ``digest`` key, see :mod:`prodready.digest`).

A record is refused while a fired rule of a kind in :data:`JUSTIFIED_KINDS` (the Art. 6(3)
derogation) has no justification: the reader must say which condition applies and why.

:mod:`prodready.verify` checks a record and amends an intact one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from prodready import __version__
from prodready.digest import ruleset_digest, sha256
from prodready.documents import (
    DocumentError,
    Kind,
    day,
    only_keys,
    reader_text,
    report_from_dict,
)
from prodready.evaluate import assess
from prodready.model import RuleSet
from prodready.report import FiredRule, Provision, Report, dumps
from prodready.summary import rule_titles
from prodready.vocab import RuleKind

RECORD_FORMAT = Kind.RECORD.value
# A fired rule of these kinds needs the reader's justification before the record is made.
JUSTIFIED_KINDS = frozenset({RuleKind.EU_DEROGATION})
GENERAL = "general"  # the justification key for the decision as a whole
MAX_JUSTIFICATION = 4000
MAX_SIGN_OFF = 120
_KEYS = (
    "format",
    "assessed_on",
    "engine_version",
    "ruleset_version",
    "ruleset_digest",
    "answers",
    "report",
    "justifications",
    "sign_offs",
    "digest",
)


class RecordError(DocumentError):
    """A record cannot be made from what was given (the message says what to add or fix;
    ``field`` names it, e.g. ``justifications.<rule id>``)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True)
class SignOff:
    name: str
    role: str
    date: str


@dataclass(frozen=True, slots=True)
class Record:
    assessed_on: str
    engine_version: str
    ruleset_version: str
    ruleset_digest: str
    answers: dict[str, Any]
    report: Report
    justifications: dict[str, str]
    sign_offs: tuple[SignOff, ...]
    digest: str

    def to_dict(self) -> dict[str, Any]:
        return {**body(self), "digest": self.digest}

    def to_json(self) -> str:
        return dumps(self.to_dict())


def body(r: Record) -> dict[str, Any]:
    """Everything the digest covers: the record without its ``digest``."""
    return {
        "format": RECORD_FORMAT,
        "assessed_on": r.assessed_on,
        "engine_version": r.engine_version,
        "ruleset_version": r.ruleset_version,
        "ruleset_digest": r.ruleset_digest,
        "answers": r.answers,
        "report": r.report.to_dict(),
        "justifications": dict(r.justifications),
        "sign_offs": [dataclasses.asdict(s) for s in r.sign_offs],
    }


# --- what needs a justification -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Needed:
    """A fired rule that needs a justification, as the report lists it."""

    id: str
    title: str
    citation: str | None


def needs_justification(report: Report) -> tuple[Needed, ...]:
    eu = report.eu_ai_act
    listed: list[FiredRule | Provision] = [*report.fired, *report.signals, *eu.provisions, *eu.sme]
    return tuple(Needed(x.id, x.title, x.citation) for x in listed if x.kind in JUSTIFIED_KINDS)


def missing_justifications(report: Report, justifications: Mapping[str, str]) -> list[Needed]:
    return [n for n in needs_justification(report) if not justifications.get(n.id, "").strip()]


def prompt(n: Needed) -> str:
    """What the reader must write for a rule that needs a justification."""
    cite = f" ({n.citation})" if n.citation else ""
    return (
        f"“{n.title}”{cite} applies: add a justification under {n.id!r} saying which "
        "condition applies and why"
    )


def justification_keys(report: Report, rs: RuleSet) -> dict[str, str]:
    """What a justification may concern, key -> in words: the decision as a whole, a rule the
    report lists, a question, or a capability."""
    return {
        GENERAL: "The decision as a whole",
        **rule_titles(report),
        **{q.id: q.text for q in rs.questions},
        **{k.id: k.title for k in rs.capabilities},
    }


# --- making a record ------------------------------------------------------------------------


def _checked_justifications(
    given: Mapping[str, Any], report: Report, rs: RuleSet
) -> dict[str, str]:
    allowed = list(justification_keys(report, rs))
    out = {}
    for key, text in given.items():
        if key not in allowed:
            raise RecordError(
                f"justifications: {key!r} is not a rule of this report, a question or a "
                f"capability (or {GENERAL!r}){_suggest(key, allowed)}",
                "justifications",
            )
        field = f"justifications.{key}"
        try:
            out[key] = reader_text(text, field, max_length=MAX_JUSTIFICATION, lines=True)
        except DocumentError as exc:
            raise RecordError(str(exc), field) from None
    return out


def _suggest(word: str, choices: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def sign_off(doc: Any, path: str) -> SignOff:
    if not isinstance(doc, dict):
        raise DocumentError(f"{path}: expected an object with name, role and date")
    only_keys(doc, ("name", "role", "date"), path)
    return SignOff(
        reader_text(doc.get("name"), f"{path}.name", max_length=MAX_SIGN_OFF),
        reader_text(doc.get("role"), f"{path}.role", max_length=MAX_SIGN_OFF),
        day(doc.get("date"), f"{path}.date"),
    )


def make_record(
    answers: Any,
    rs: RuleSet,
    *,
    on: str | None = None,
    justifications: Mapping[str, Any] | None = None,
    sign_offs: Sequence[Any] = (),
) -> Record:
    """A record of ``answers`` assessed (as on ``on``, else their date, else today) under
    ``rs``. Raises AnswersError for invalid answers, RecordError (a DocumentError) for a missing
    or malformed justification or sign-off."""
    report = assess(answers, rs, on=on)
    given = _checked_justifications(justifications or {}, report, rs)
    missing = missing_justifications(report, given)
    if missing:
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        field = f"justifications.{missing[0].id}"
        raise RecordError(f"{field}: {prompt(missing[0])}{more}", field)
    try:
        signed = tuple(sign_off(s, f"sign_offs[{n}]") for n, s in enumerate(sign_offs))
    except DocumentError as exc:
        raise RecordError(str(exc), "sign_offs") from None
    return _sealed(report, rs, given, signed)


def _sealed(
    report: Report, rs: RuleSet, justifications: dict[str, str], signed: tuple[SignOff, ...]
) -> Record:
    unsealed = Record(
        report.assessed_on,
        __version__,
        rs.version,
        ruleset_digest(rs),
        report.answers,
        report,
        dict(sorted(justifications.items())),
        signed,
        "",
    )
    return dataclasses.replace(unsealed, digest=sha256(body(unsealed)))


# --- reading a record -----------------------------------------------------------------------


def check_format(doc: Any, what: str = "record") -> dict[str, Any]:
    """``doc`` if it is a record at all (else DocumentError: not a record)."""
    fmt = doc.get("format") if isinstance(doc, dict) else None
    if isinstance(fmt, str) and fmt.startswith("prodready.record/") and fmt != RECORD_FORMAT:
        raise DocumentError(
            f"{what}: unsupported record format {fmt!r}; this engine reads {RECORD_FORMAT!r}"
        )
    if not isinstance(doc, dict) or fmt != RECORD_FORMAT:
        raise DocumentError(f"{what}: not a decision record (its format must be {RECORD_FORMAT!r})")
    return doc


def is_record(doc: Any) -> bool:
    """Whether ``doc`` claims to be a record of this format (intact or not)."""
    return isinstance(doc, dict) and doc.get("format") == RECORD_FORMAT


def read_record(doc: dict[str, Any], what: str = "record") -> Record:
    """The record's fields, checked (DocumentError naming the first that is wrong)."""
    only_keys(doc, _KEYS, what)
    for key in _KEYS:
        if key not in doc:
            raise DocumentError(f"{what}: the key {key!r} is missing")
    report = report_from_dict(doc["report"], f"{what}.report")
    for key in ("engine_version", "ruleset_version", "ruleset_digest", "digest"):
        if not isinstance(doc[key], str):
            raise DocumentError(f"{what}.{key}: expected text")
    for key in ("assessed_on", "ruleset_version", "engine_version"):
        if doc[key] != getattr(report, key):
            raise DocumentError(f"{what}.{key}: is not the report's")
    if not isinstance(doc["answers"], dict):
        raise DocumentError(f"{what}.answers: expected an object")
    notes = doc["justifications"]
    if not isinstance(notes, dict):
        raise DocumentError(f"{what}.justifications: expected an object of texts")
    for key, text in notes.items():
        reader_text(text, f"{what}.justifications.{key}", max_length=MAX_JUSTIFICATION, lines=True)
    if not isinstance(doc["sign_offs"], list):
        raise DocumentError(f"{what}.sign_offs: expected a list")
    signed = tuple(sign_off(s, f"{what}.sign_offs[{n}]") for n, s in enumerate(doc["sign_offs"]))
    return Record(
        doc["assessed_on"],
        doc["engine_version"],
        doc["ruleset_version"],
        doc["ruleset_digest"],
        doc["answers"],
        report,
        dict(notes),
        signed,
        doc["digest"],
    )
