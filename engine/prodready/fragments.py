"""The assessor page's HTML fragments: what the page shows, written by the engine.

The page (``docs/assets/js/assessor.js``) puts each fragment in the element named after it and
writes no words of its own about the report. The fragments are:

- the report's parts (:data:`prodready.wording.PARTS`: ``verdict``, ``reasons``, ... ``footer``),
  written for the page (headings under the page's own, guide links relative to it, questions
  linked to the form);
- ``summary``: the live summary's rows (verdict, AI Act tier, required answers, what is next);
- ``step:<section>``: each section's progress;
- ``problems``: the answers that need fixing.

Answers that cannot be assessed yet (a required answer missing, an invalid answer) still get the
summary, the steps, the problems and a ``verdict`` saying what is missing; the report's other
parts are then ``""`` (the page hides the element of an empty fragment).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from prodready.answers import Problem
from prodready.markup import escape
from prodready.model import Question, RuleSet
from prodready.report import Report
from prodready.wording import PARTS, part
from prodready.writers import PAGE_GUIDE_BASE, HtmlWriter, question_anchor

# The page's report sits under its own h2 ("Your assessment"), so its parts' headings are h3.
_SHIFT = 1


def _writer(base: str) -> HtmlWriter:
    return HtmlWriter(base, shift=_SHIFT, page=True)


def _question_link(q: Question) -> str:
    return f'<a href="#{escape(question_anchor(q.id))}">{escape(q.text, quote=False)}</a>'


def _row(key: str, term: str, value: str) -> str:
    return f'<div data-key="{key}"><dt>{term}</dt><dd>{value}</dd></div>'


class _Progress:
    """What the summary and the steps say about how far the reader has got."""

    def __init__(
        self, rs: RuleSet, doc: Any, hidden: Collection[str], problems: Sequence[Problem]
    ) -> None:
        given = doc if isinstance(doc, Mapping) else {}
        self.rs = rs
        self.hidden = frozenset(hidden)
        self.required = [q for q in rs.questions if q.required]
        # A required question left unanswered is "still to answer", not a problem to fix.
        self.missing = [q for q in self.required if given.get(q.id) is None]
        unanswered = {q.id for q in self.missing}
        self.wrong = [p for p in problems if p.field not in unanswered]
        self.problems = {p.field for p in self.wrong}
        self.answered = {
            q.id for q in rs.questions if given.get(q.id) is not None and q.id not in self.problems
        }

    def step(self, section: str) -> str:
        mine = [q for q in self.rs.questions if q.section == section and q.id not in self.hidden]
        required = [q for q in mine if q.required]
        fix = sum(1 for q in mine if q.id in self.problems)
        done = sum(1 for q in required if q.id in self.answered)
        if fix:
            state, text = "fix", f"{fix} answer{'s' if fix > 1 else ''} to fix"
        elif required:
            state = "done" if done == len(required) else "todo"
            text = f"{done} of {len(required)} required answered"
        else:
            state, text = (
                "open",
                f"{len(mine)} question{'s' if len(mine) != 1 else ''}, none required",
            )
        return f'<span class="prodready-progress prodready-progress--{state}">{text}</span>'

    def required_row(self) -> str:
        done = sum(1 for q in self.required if q.id in self.answered)
        return _row("required", "Required answers", f"{done} of {len(self.required)}")

    def next_row(self) -> str:
        if self.missing:
            return _row("next", "Next", _question_link(self.missing[0]))
        wrong = [q for q in self.rs.questions if q.id in self.problems]
        if wrong:
            return _row("next", "Next", "Fix " + _question_link(wrong[0]))
        return _row("next", "Next", "All required questions are answered.")

    def common(self) -> dict[str, str]:
        steps = {f"step:{s.id}": self.step(s.id) for s in self.rs.sections}
        return {**steps, "problems": ""}


def report_fragments(
    report: Report, doc: Any, hidden: Collection[str], rs: RuleSet, base: str = PAGE_GUIDE_BASE
) -> dict[str, str]:
    """The page's fragments for an assessed answers document."""
    w = _writer(base)
    out = {name: part(report, w, heading, body) for name, heading, body in PARTS}
    progress = _Progress(rs, doc, hidden, ())
    out["summary"] = "".join(
        [
            _row("verdict", "Verdict", w.strong(w.text(report.verdict.title))),
            _row("tier", "EU AI Act", w.text(report.eu_ai_act.tier_title)),
            progress.required_row(),
            progress.next_row(),
        ]
    )
    return {**out, **progress.common()}


def pending_fragments(
    doc: Any, problems: Sequence[Problem], hidden: Collection[str], rs: RuleSet
) -> dict[str, str]:
    """The page's fragments for answers that cannot be assessed (yet)."""
    progress = _Progress(rs, doc, hidden, problems)
    out = {name: "" for name, _, _ in PARTS}
    out["verdict"] = _no_verdict(progress.missing, bool(progress.wrong))
    out["summary"] = "".join(
        [
            _row("verdict", "Verdict", "None yet"),
            _row("tier", "EU AI Act", "Not classified yet"),
            progress.required_row(),
            progress.next_row(),
        ]
    )
    return {**out, **progress.common(), "problems": _problems(progress.wrong, rs)}


def _no_verdict(missing: Sequence[Question], wrong: bool) -> str:
    todo = (
        "Answer the required questions (marked *) and fix the answers marked in the form."
        if wrong
        else "Answer the required questions (marked *) to see a verdict."
    )
    out = [
        '<p class="prodready-verdict-title"><strong>No verdict yet</strong></p>',
        f'<p class="prodready-verdict-summary">{todo}</p>',
    ]
    if missing:
        items = "".join(f"<li>{_question_link(q)}</li>" for q in missing)
        out.append(f'<p class="prodready-todo">Still to answer:</p><ul>{items}</ul>')
    return "\n".join(out)


def _problems(problems: Sequence[Problem], rs: RuleSet) -> str:
    if not problems:
        return ""
    by_id = {q.id: q for q in rs.questions}
    items = []
    for p in problems:
        q = by_id.get(p.field)
        where = _question_link(q) if q else f"<code>{escape(p.field, quote=False)}</code>"
        items.append(f"<li>{where}: {escape(p.message, quote=False)}</li>")
    return f"<p>Some answers need fixing:</p><ul>{''.join(items)}</ul>"
