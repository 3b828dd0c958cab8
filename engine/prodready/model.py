"""The rule set's vocabulary: frozen dataclasses, loaded once from the data files.

Nothing here decides anything; :mod:`prodready.evaluate` interprets these records. Keeping the
records dumb is what lets the site print every table from the same objects the engine runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from prodready.conditions import Always, Condition
from prodready.vocab import FigureBasis, Role, RuleKind, SystemKind, Tier

QuestionType = Literal["choice", "multi", "bool", "integer", "date", "text"]
Side = Literal["experimentation", "production"]

# How every table and report marks a legal fact (a rule, a date, a source) that could not be
# checked against the legal text: one wording, used by the site and the reports alike.
UNVERIFIED = "(unverified)"


def marked(text: str, verified: bool) -> str:
    """``text``, followed by the unverified mark when the fact was not verified."""
    return text if verified else f"{text} {UNVERIFIED}"


@dataclass(frozen=True, slots=True)
class Option:
    id: str
    label: str
    side: Side | None = None
    citation: str | None = None
    # For an option that claims a legal exception or exclusion: the condition the law sets. The
    # what-if analysis states it as a condition to establish, never offers it as an answer to pick.
    legal_condition: str | None = None


@dataclass(frozen=True, slots=True)
class OptionGroup:
    """Options the form shows together, under a title that opens to them (the eight areas of
    Annex III): presentation only, the answer is the question's list of options all the same."""

    title: str
    options: tuple[str, ...]
    citation: str | None = None


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    section: str
    text: str
    type: QuestionType
    help: str = ""
    options: tuple[Option, ...] = ()
    required: bool = False
    default: str | int | bool | tuple[str, ...] | None = None
    minimum: int | None = None
    maximum: int | None = None
    max_length: int | None = None
    guide: str | None = None
    # A short noun for one of its options ("Annex III use"), so a report can say "adding any
    # Annex III use (24 listed)" instead of listing every label.
    short: str | None = None
    # When given, every option is in exactly one group (checked at load).
    groups: tuple[OptionGroup, ...] = ()
    # Whether the question applies, over the answers to earlier questions (the same condition
    # language as the rules). The answer to a question that does not apply is ignored.
    ask_when: Condition = field(default_factory=Always)

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str
    intro: str = ""


@dataclass(frozen=True, slots=True)
class DateChoice:
    """An alternative legal date of a rule: ``date`` instead of ``applies_from`` when ``when``
    holds (e.g. a later date for systems already on the market)."""

    when: Condition
    date: str


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule: when ``when`` holds over the answers (and earlier rules), the rule fires.

    A fired rule contributes its tags (which verdicts and other rules read), the capabilities it
    requires, the actions it asks for, and for an exception what ends it. A duty (see
    :data:`prodready.vocab.KINDS`) also names the roles it binds and the kinds of system it
    concerns; its ``guard`` (derived at load time) is ``when`` and both of those.
    """

    id: str
    kind: RuleKind
    title: str
    when: Condition
    rationale: str
    guide: str
    tags: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    changes: str = ""
    question: str | None = None
    citation: str | None = None
    who: tuple[Role, ...] = ()
    systems: tuple[SystemKind, ...] = ()
    applies_from: str | None = None
    # Alternatives to ``applies_from``, tried in order over the answers and what fired.
    applies_from_when: tuple[DateChoice, ...] = ()
    # The legal text the citation refers to (a [[sources]] id), and whether the rule's legal
    # statement was checked against it; an unverified rule is marked so wherever it is shown.
    source: str | None = None
    verified: bool = True
    ends_when: str | None = None
    until: str | None = None
    signal: str | None = None
    # For a transitional state: what must hold before it ends (checked at load: only there).
    exit_criteria: tuple[str, ...] = ()
    tier: Tier | None = None
    # For the guide's decision table: a short name, and the two sides when no question says them.
    label: str | None = None
    experimentation: str | None = None
    production: str | None = None
    # Derived at load time: the condition the engine evaluates (``when``, and for a duty its
    # roles and kinds of system).
    guard: Condition = field(default_factory=Always, compare=False)


@dataclass(frozen=True, slots=True)
class Promotion:
    """A capability moves up to ``phase`` when a fired rule carries ``tag``; ``reason`` finishes
    the report's "moved up to phase N by ..." (governance under the EU AI Act, documentation when
    ownership changes)."""

    tag: str
    phase: int
    reason: str


@dataclass(frozen=True, slots=True)
class Capability:
    """One thing a production system has in place.

    ``action`` is the one action a report gives for it when a fired rule requires it and it is
    missing (rules do not repeat it in their own actions). ``applies_when`` says for which systems
    it exists, over the answers; a requirement for a capability that does not apply passes to its
    stand-in ``instead`` (drift detection becomes output-quality monitoring for a language-model
    system), or lapses when there is none.
    """

    id: str
    title: str
    area: str
    phase: int
    guide: str
    action: str
    summary: str = ""
    applies_when: Condition = field(default_factory=Always)
    instead: str | None = None
    # Published references that support it (OWASP Top 10 for LLM Applications 2025, NIST AI 600-1).
    references: tuple[str, ...] = ()
    # Moves up the roadmap when a fired rule carries one of these tags (the earliest phase wins).
    promote: tuple[Promotion, ...] = ()


@dataclass(frozen=True, slots=True)
class Area:
    id: str
    title: str


@dataclass(frozen=True, slots=True)
class Phase:
    number: int
    title: str
    guide: str


@dataclass(frozen=True, slots=True)
class Verdict:
    id: str
    title: str
    summary: str
    severity: int
    when: Condition
    test: str = ""
    # Rule kinds whose actions, required capabilities and signals make up the plan under this
    # verdict; empty means every kind. A prohibited system gets no build plan; an exception gets
    # the lighter plan of the exception itself, not the full production one.
    plan: tuple[RuleKind, ...] = ()
    # Whether the report says when the verdict ends (the first fired exception's end).
    reports_end: bool = False


@dataclass(frozen=True, slots=True)
class LegalDate:
    id: str
    label: str
    original: str
    source: str
    amended: str | None = None
    amended_source: str | None = None
    verified: bool = True


@dataclass(frozen=True, slots=True)
class Source:
    """A legal text the rules cite, in the version they were checked against."""

    id: str
    name: str  # short, for tables
    title: str
    version: str
    url: str = ""
    verified: bool = True


@dataclass(frozen=True, slots=True)
class Figure:
    id: str
    value: str
    meaning: str
    guide: str
    basis: FigureBasis
    # Where the figure comes from, in words (a study is named only where it supports the figure).
    source: str


@dataclass(frozen=True, slots=True)
class RuleSet:
    version: str
    reviewed: str
    legal_basis: str
    disclaimer: str
    gdpr_basis: str
    sections: tuple[Section, ...]
    questions: tuple[Question, ...]
    rules: tuple[Rule, ...]
    capabilities: tuple[Capability, ...]
    areas: tuple[Area, ...]
    phases: tuple[Phase, ...]
    verdicts: tuple[Verdict, ...]
    dates: tuple[LegalDate, ...]
    figures: tuple[Figure, ...]
    sources: tuple[Source, ...] = ()
    # Derived at load time (see loader): evaluation order and the verdict-relevant subset.
    order: tuple[int, ...] = field(default=(), compare=False)
    verdict_rules: tuple[int, ...] = field(default=(), compare=False)
    verdict_questions: tuple[str, ...] = field(default=(), compare=False)

    def question(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(qid)

    def rule(self, rid: str) -> Rule:
        for r in self.rules:
            if r.id == rid:
                return r
        raise KeyError(rid)

    def capability(self, cid: str) -> Capability:
        for k in self.capabilities:
            if k.id == cid:
                return k
        raise KeyError(cid)
