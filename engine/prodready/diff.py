"""What changed between two assessments of an initiative, and why: the answers, or the rules.

Each side is an answers document (assessed with the current rules), a saved report or a decision
record. When both sides were assessed under the same rule set version, every change comes from the
answers. Otherwise a side made under another rule set is assessed again, with its own answers,
under the current rules: the changes that gives are the rules' ("rules" steps), and the changes
between the two sides under the current rules are the answers' (the "answers" step). The steps
add up to the overall change (``changes``), old report to new report as they were given.

The JSON form is the public format ``prodready.diff/1`` (see the guide's report-format page).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from prodready.answers import AnswersError
from prodready.digest import ruleset_digest
from prodready.documents import DocumentError, Kind, kind_of, report_from_dict
from prodready.evaluate import assess
from prodready.model import RuleSet
from prodready.report import Report, dumps
from prodready.summary import Summary, rule_titles, summarise

DIFF_FORMAT = "prodready.diff/1"


@dataclass(frozen=True, slots=True)
class Move:
    old: str
    new: str
    old_title: str
    new_title: str


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    title: str


@dataclass(frozen=True)  # no slots: a generic slotted frozen dataclass breaks on Listed[T](...)
class Listed[T]:
    added: tuple[T, ...]
    removed: tuple[T, ...]


@dataclass(frozen=True, slots=True)
class Delta:
    """Old report to new report: verdict and tier (None when unchanged), and what was added and
    removed among the fired rules (every section), the actions and the capability gaps."""

    verdict: Move | None
    tier: Move | None
    rules: Listed[Item]
    actions: Listed[str]
    gaps: Listed[Item]

    @property
    def empty(self) -> bool:
        lists = (self.rules, self.actions, self.gaps)
        return (
            self.verdict is None
            and self.tier is None
            and not any(x.added or x.removed for x in lists)
        )


@dataclass(frozen=True, slots=True)
class Step:
    """Part of the change with one cause: ``answers``, ``rules``, or ``rules_and_answers`` when
    they cannot be told apart (``note`` says why)."""

    cause: str
    from_ruleset: str
    to_ruleset: str
    note: str | None
    changes: Delta


@dataclass(frozen=True, slots=True)
class AnswerChange:
    question: str
    text: str | None  # the question as the current rules ask it; None if they no longer do
    old: Any  # None: not answered (the question's default)
    new: Any


@dataclass(frozen=True, slots=True)
class Side:
    source: str  # "answers", "report" or "record"
    summary: Summary


@dataclass(frozen=True, slots=True)
class Diff:
    format: str
    current_ruleset: str
    old: Side
    new: Side
    same_ruleset: bool
    answers: tuple[AnswerChange, ...]
    changes: Delta
    steps: tuple[Step, ...]

    @property
    def changed(self) -> bool:
        return bool(self.answers) or not self.changes.empty or not self.same_ruleset

    def to_dict(self) -> dict[str, Any]:
        return {**dataclasses.asdict(self), "changed": self.changed}

    def to_json(self) -> str:
        return dumps(self.to_dict())


# --- reading a side -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Assessment:
    """One side as read: where it came from, its report, and the digest of the rule set it was
    made under when known (a saved report does not carry it; a record does)."""

    source: str
    report: Report
    ruleset_digest: str | None = None


def read_side(doc: Any, what: str, rs: RuleSet) -> Assessment:
    """An answers document, a report or a record, as an assessment (DocumentError otherwise)."""
    match kind_of(doc, what):
        case Kind.ANSWERS:
            try:
                return Assessment("answers", assess(doc, rs), ruleset_digest(rs))
            except AnswersError as exc:
                raise DocumentError(f"{what}: invalid answers: {exc}") from None
        case Kind.REPORT:
            return Assessment("report", report_from_dict(doc, what))
        case Kind.RECORD:
            digest = doc.get("ruleset_digest")
            report = report_from_dict(doc.get("report"), f"{what}: report")
            return Assessment("record", report, digest if isinstance(digest, str) else None)
        case kind:
            raise DocumentError(f"{what}: a {kind.value} document is not one assessment")


# --- comparing ------------------------------------------------------------------------------


def _listed(old: Mapping[str, str], new: Mapping[str, str]) -> Listed[Item]:
    return Listed(
        tuple(Item(k, t) for k, t in new.items() if k not in old),
        tuple(Item(k, t) for k, t in old.items() if k not in new),
    )


def _move(old: str, new: str, old_title: str, new_title: str) -> Move | None:
    return None if old == new else Move(old, new, old_title, new_title)


def delta(a: Report, b: Report) -> Delta:
    acts_a, acts_b = [x.text for x in a.actions], [x.text for x in b.actions]
    ea, eb = a.eu_ai_act, b.eu_ai_act
    return Delta(
        _move(a.verdict.id, b.verdict.id, a.verdict.title, b.verdict.title),
        _move(ea.tier, eb.tier, ea.tier_title, eb.tier_title),
        _listed(rule_titles(a), rule_titles(b)),
        Listed(
            tuple(t for t in acts_b if t not in acts_a), tuple(t for t in acts_a if t not in acts_b)
        ),
        _listed({g.capability: g.title for g in a.gaps}, {g.capability: g.title for g in b.gaps}),
    )


def answer_changes(
    old: Mapping[str, Any], new: Mapping[str, Any], rs: RuleSet
) -> tuple[AnswerChange, ...]:
    """The answers that differ, in question order (then any the rules no longer ask)."""
    texts = {q.id: q.text for q in rs.questions}
    keys = [q for q in texts if q in old or q in new]
    keys += sorted((set(old) | set(new)) - set(texts) - {"format"})
    return tuple(
        AnswerChange(k, texts.get(k), old.get(k), new.get(k))
        for k in keys
        if old.get(k) != new.get(k)
    )


def same_ruleset(a: Assessment, b: Assessment) -> bool:
    """Same version, and the same digest where both are known."""
    if a.report.ruleset_version != b.report.ruleset_version:
        return False
    return (
        a.ruleset_digest is None or b.ruleset_digest is None or a.ruleset_digest == b.ruleset_digest
    )


def _under_current(x: Assessment, rs: RuleSet) -> tuple[Report, bool]:
    """The report as the current rules give it (itself when it was made under them), and
    whether it was assessed again."""
    now = Assessment("answers", x.report, ruleset_digest(rs))
    if x.report.ruleset_version == rs.version and same_ruleset(x, now):
        return x.report, False
    return assess(x.report.answers, rs), True


def _steps(old: Assessment, new: Assessment, changes: Delta, rs: RuleSet) -> tuple[Step, ...]:
    v_old, v_new, current = old.report.ruleset_version, new.report.ruleset_version, rs.version
    if same_ruleset(old, new):
        return (Step("answers", v_old, v_new, None, changes),)
    try:
        (old_now, old_again), (new_now, new_again) = (
            _under_current(old, rs),
            _under_current(new, rs),
        )
    except AnswersError as exc:
        note = f"the answers cannot be assessed under the current rule set {current}: {exc}"
        return (Step("rules_and_answers", v_old, v_new, note, changes),)
    steps = []
    if old_again:
        steps.append(Step("rules", v_old, current, None, delta(old.report, old_now)))
    steps.append(Step("answers", current, current, None, delta(old_now, new_now)))
    if new_again:
        steps.append(Step("rules", current, v_new, None, delta(new_now, new.report)))
    return tuple(steps)


def diff(old: Assessment, new: Assessment, rs: RuleSet) -> Diff:
    a, b = old.report, new.report
    changes = delta(a, b)
    return Diff(
        DIFF_FORMAT,
        rs.version,
        Side(old.source, summarise(a)),
        Side(new.source, summarise(b)),
        same_ruleset(old, new),
        answer_changes(a.answers, b.answers, rs),
        changes,
        _steps(old, new, changes, rs),
    )


def diff_documents(old: Any, new: Any, rs: RuleSet) -> Diff:
    """Diff two parsed documents (answers, reports or records); DocumentError if one is not."""
    return diff(read_side(old, "OLD", rs), read_side(new, "NEW", rs), rs)
