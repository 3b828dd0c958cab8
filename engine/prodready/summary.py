"""One line about a report: verdict, AI Act tier, one readiness figure and the next roadmap step.

The portfolio table lists one such line per initiative, and a diff shows the two it compares.
Initiatives needing action come first: :func:`urgency` orders them by verdict severity, then by
AI Act tier (the order of :class:`prodready.vocab.Tier`), then by readiness (the least ready first).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from prodready.report import FiredRule, Obligation, Provision, Readiness, Report
from prodready.vocab import Tier

TIER_URGENCY: dict[str, int] = {tier.value: rank for rank, tier in enumerate(Tier)}


@dataclass(frozen=True, slots=True)
class ReadinessFigure:
    """The share of the capabilities that count which are in place, as a whole percentage
    (rounded half up): the ones the plan requires (``basis`` "required"), or, when the plan
    requires none, all of them (``basis`` "all")."""

    percent: int
    in_place: int
    of: int
    basis: str


@dataclass(frozen=True, slots=True)
class NextStep:
    capability: str
    title: str
    phase: int
    phase_title: str


@dataclass(frozen=True, slots=True)
class Summary:
    initiative: str | None
    assessed_on: str
    ruleset_version: str
    verdict: str
    verdict_title: str
    severity: int
    tier: str
    tier_title: str
    readiness: ReadinessFigure
    next_step: NextStep | None


def readiness_figure(areas: Iterable[Readiness]) -> ReadinessFigure:
    areas = tuple(areas)
    required = sum(a.required for a in areas)
    if required:
        in_place, of, basis = sum(a.required_present for a in areas), required, "required"
    else:
        in_place, of, basis = sum(a.present for a in areas), sum(a.total for a in areas), "all"
    percent = (200 * in_place + of) // (2 * of) if of else 100
    return ReadinessFigure(percent, in_place, of, basis)


def summarise(report: Report) -> Summary:
    first = report.roadmap[0] if report.roadmap else None
    step = (
        NextStep(first.capability, first.title, first.phase, first.phase_title) if first else None
    )
    return Summary(
        report.initiative,
        report.assessed_on,
        report.ruleset_version,
        report.verdict.id,
        report.verdict.title,
        report.verdict.severity,
        report.eu_ai_act.tier,
        report.eu_ai_act.tier_title,
        readiness_figure(report.readiness),
        step,
    )


def rule_titles(r: Report) -> dict[str, str]:
    """Every fired rule the report lists, in any section: id -> title, in report order."""
    eu = r.eu_ai_act
    listed: list[FiredRule | Provision | Obligation] = [
        *r.fired,
        *r.signals,
        *eu.provisions,
        *eu.obligations,
        *eu.sme,
    ]
    out: dict[str, str] = {}
    for x in listed:
        out.setdefault(x.id, x.title)
    return out


def urgency(s: Summary) -> tuple[int, int, int]:
    """Sort key: the most severe verdict, then the most demanding tier, then the least ready."""
    tier = TIER_URGENCY.get(s.tier, len(TIER_URGENCY))
    return (-s.severity, tier, s.readiness.percent)
