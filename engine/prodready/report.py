"""The report: what :func:`prodready.assess` returns, and its stable JSON form.

The JSON form is a public format (``prodready.report/2``, documented on the guide's report-format
page): keys sorted, two-space indent, UTF-8, a trailing newline. The same answers always give the
same bytes, in CPython and in Pyodide alike, so reports can be diffed, cached and golden-tested.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any

REPORT_FORMAT = "prodready.report/2"


@dataclass(frozen=True, slots=True)
class VerdictResult:
    id: str
    title: str
    summary: str
    severity: int
    until: str | None
    ends_when: str | None


@dataclass(frozen=True, slots=True)
class FiredRule:
    id: str
    kind: str
    title: str
    reason: str
    guide: str
    citation: str | None
    signal: str | None


@dataclass(frozen=True, slots=True)
class Action:
    text: str
    rule: str
    # The capability the action builds (one action per capability), or None for an action of a
    # rule's own.
    capability: str | None
    # For a legal duty's action, the provision it rests on.
    citation: str | None


@dataclass(frozen=True, slots=True)
class Gap:
    capability: str
    title: str
    area: str
    phase: int
    guide: str
    because: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RoadmapStep:
    step: int
    capability: str
    title: str
    phase: int
    phase_title: str
    promoted: bool
    # What moved it up ("the EU AI Act", "the change of ownership"), or None.
    promoted_by: str | None
    because: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Readiness:
    area: str
    title: str
    present: int
    required: int
    required_present: int
    total: int
    score: float


@dataclass(frozen=True, slots=True)
class Change:
    question: str
    text: str
    change: str  # "set" | "add" | "remove"
    values: tuple[str, ...]
    labels: tuple[str, ...]
    verdict: str
    # For an answer that claims a legal exception or exclusion: the condition the law sets. Such
    # a change is a fact to establish, not an answer to pick.
    condition: str | None = None


@dataclass(frozen=True, slots=True)
class DateInfo:
    id: str
    label: str
    applies_from: str
    original: str
    amended: str | None
    source: str
    amended_source: str | None
    # Judged against the assessment date: "applies" (since applies_from) or "upcoming".
    status: str
    verified: bool = True


@dataclass(frozen=True, slots=True)
class Obligation:
    id: str
    title: str
    citation: str | None
    who: tuple[str, ...]
    systems: tuple[str, ...]
    actions: tuple[str, ...]
    applies_from: DateInfo | None
    guide: str
    verified: bool = True


@dataclass(frozen=True, slots=True)
class Provision:
    id: str
    kind: str
    title: str
    citation: str | None
    reason: str
    guide: str
    verified: bool = True


@dataclass(frozen=True, slots=True)
class EuAiAct:
    tier: str
    tier_title: str
    provisions: tuple[Provision, ...]
    obligations: tuple[Obligation, ...]
    sme: tuple[Provision, ...]
    dates: tuple[DateInfo, ...]
    legal_basis: str
    disclaimer: str
    penalties: tuple[Provision, ...] = ()


@dataclass(frozen=True, slots=True)
class Transition:
    """A state on the way to production (not an exception, not a risk), and what ends it."""

    id: str
    title: str
    reason: str
    guide: str
    exit_criteria: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Gdpr:
    """The GDPR (Regulation (EU) 2016/679) beside the AI Act: why and in which role it applies,
    and the duties that follow (shaped like the AI Act's obligations, without dates: the GDPR has
    applied since 25 May 2018)."""

    applies: bool
    provisions: tuple[Provision, ...]
    duties: tuple[Obligation, ...]
    legal_basis: str


@dataclass(frozen=True, slots=True)
class Ignored:
    """An answer to a question that does not apply to this initiative: not assessed."""

    question: str
    text: str


@dataclass(frozen=True, slots=True)
class Report:
    format: str
    engine_version: str
    ruleset_version: str
    ruleset_reviewed: str
    assessed_on: str
    initiative: str | None
    verdict: VerdictResult
    fired: tuple[FiredRule, ...]
    actions: tuple[Action, ...]
    gaps: tuple[Gap, ...]
    roadmap: tuple[RoadmapStep, ...]
    readiness: tuple[Readiness, ...]
    what_would_change: tuple[Change, ...]
    eu_ai_act: EuAiAct
    gdpr: Gdpr
    transitions: tuple[Transition, ...]
    signals: tuple[FiredRule, ...]
    ignored: tuple[Ignored, ...]
    answers: dict[str, Any]
    disclaimer: str

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def to_json(self) -> str:
        return dumps(self.to_dict())


def dumps(doc: Any) -> str:
    """The one JSON serialisation used everywhere a report or rule set is written."""
    return json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
