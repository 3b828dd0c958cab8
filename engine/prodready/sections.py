"""The report, built section by section from what the interpreter decided (one builder each).

Every builder reads an :class:`prodready.evaluate.Outcome` and returns one part of the
:class:`prodready.report.Report`; where a fired rule appears is its kind's placement
(:data:`prodready.vocab.KINDS`), never a list of kind names here.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet

from prodready import __version__
from prodready import conditions as c
from prodready.answers import to_document
from prodready.applicability import ignored
from prodready.evaluate import Outcome
from prodready.model import LegalDate, Rule
from prodready.report import (
    REPORT_FORMAT,
    Action,
    DateInfo,
    EuAiAct,
    FiredRule,
    Gap,
    Gdpr,
    Ignored,
    Obligation,
    Provision,
    Readiness,
    Report,
    RoadmapStep,
    Transition,
    VerdictResult,
)
from prodready.vocab import KINDS, Placement, RuleKind, Tier
from prodready.whatif import what_would_change


def _placed(rules: tuple[Rule, ...], placement: Placement) -> list[Rule]:
    return [r for r in rules if KINDS[r.kind].placement is placement]


def required_capabilities(o: Outcome) -> dict[str, list[str]]:
    """Capability id -> the ids of the plan's rules that require it, in plan order. A
    requirement for a capability that does not apply to this system goes to its stand-in."""
    required: dict[str, list[str]] = {}
    for r in o.plan:
        for cap in r.requires:
            meets = o.stand_ins[cap]
            if meets is not None:
                because = required.setdefault(meets, [])
                if r.id not in because:
                    because.append(r.id)
    return required


def applicable_capabilities(o: Outcome) -> frozenset[str]:
    return frozenset(k for k, meets in o.stand_ins.items() if meets == k)


def present_capabilities(o: Outcome) -> frozenset[str]:
    have = o.answers.get("capabilities")
    return frozenset(have) & applicable_capabilities(o) if isinstance(have, tuple) else frozenset()


# --- verdict --------------------------------------------------------------------------------


def verdict_result(o: Outcome) -> VerdictResult:
    v = o.verdict
    until = ends_when = None
    exceptions = [r for r in o.rules if "exception" in r.tags]
    if v.reports_end and exceptions:
        first = exceptions[0]
        ends_when = first.ends_when
        day = o.answers.get(first.until) if first.until else None
        until = str(day) if day else None
    return VerdictResult(v.id, v.title, v.summary, v.severity, until, ends_when)


def _reason(rule: Rule, o: Outcome) -> str:
    """The rule's rationale, prefixed with the reader's own answer when the rule reads one."""
    if rule.question is not None:
        q = o.rs.question(rule.question)
        value = o.answers.get(q.id)
        opt = q.option(value) if isinstance(value, str) else None
        if opt is not None:
            return f"You answered “{opt.label}” to “{q.text}” {rule.rationale}"
    return rule.rationale


def _fired_rule(r: Rule, o: Outcome) -> FiredRule:
    return FiredRule(r.id, r.kind.value, r.title, _reason(r, o), r.guide, r.citation, r.signal)


def reasons(o: Outcome) -> tuple[FiredRule, ...]:
    return tuple(_fired_rule(r, o) for r in _placed(o.rules, Placement.REASONS))


def signals(o: Outcome) -> tuple[FiredRule, ...]:
    return tuple(_fired_rule(r, o) for r in _placed(o.plan, Placement.SIGNALS))


def transitions(o: Outcome) -> tuple[Transition, ...]:
    return tuple(
        Transition(r.id, r.title, r.rationale, r.guide, r.exit_criteria)
        for r in _placed(o.plan, Placement.TRANSITIONS)
    )


# --- plan: actions, gaps, roadmap, readiness --------------------------------------------------


def actions(o: Outcome, steps: tuple[RoadmapStep, ...]) -> tuple[Action, ...]:
    """One action per missing capability, in roadmap order (the capability's own, so rules never
    restate it); then the rules' own actions in plan order, the guide's before the law's (those
    carry their provision)."""
    out = [
        Action(o.rs.capability(s.capability).action, s.because[0], s.capability, None)
        for s in steps
    ]
    seen: set[str] = set()
    for legal in (False, True):
        for r in o.plan:
            if (r.citation is not None) is not legal:
                continue
            for text in r.actions:
                if text not in seen:
                    seen.add(text)
                    out.append(Action(text, r.id, None, r.citation))
    return tuple(out)


def gaps(o: Outcome) -> tuple[Gap, ...]:
    required, present = required_capabilities(o), present_capabilities(o)
    return tuple(
        Gap(k.id, k.title, k.area, k.phase, k.guide, tuple(required[k.id]))
        for k in o.rs.capabilities
        if k.id in required and k.id not in present
    )


def roadmap(o: Outcome, missing: tuple[Gap, ...]) -> tuple[RoadmapStep, ...]:
    by_cap = {k.id: k for k in o.rs.capabilities}
    order = {k.id: i for i, k in enumerate(o.rs.capabilities)}
    titles = {p.number: p.title for p in o.rs.phases}

    def phase(cap: str) -> tuple[int, str | None]:
        k = by_cap[cap]
        moves = [(p.phase, p.reason) for p in k.promote if p.tag in o.tags]
        return min(moves, default=(k.phase, None))

    steps = sorted(missing, key=lambda g: (phase(g.capability)[0], order[g.capability]))
    return tuple(
        RoadmapStep(
            n,
            g.capability,
            g.title,
            phase(g.capability)[0],
            titles[by_cap[g.capability].phase],
            phase(g.capability)[1] is not None,
            phase(g.capability)[1],
            g.because,
        )
        for n, g in enumerate(steps, start=1)
    )


def readiness(o: Outcome) -> tuple[Readiness, ...]:
    """Per area, over the capabilities of this system's kind (an area with none is left out)."""
    required, present = required_capabilities(o), present_capabilities(o)
    applicable = applicable_capabilities(o)
    return tuple(
        _area_readiness(o, area.id, area.title, required, present, applicable)
        for area in o.rs.areas
        if any(k.area == area.id and k.id in applicable for k in o.rs.capabilities)
    )


def _area_readiness(
    o: Outcome,
    area: str,
    title: str,
    required: Mapping[str, list[str]],
    present: AbstractSet[str],
    applicable: AbstractSet[str],
) -> Readiness:
    caps = [k.id for k in o.rs.capabilities if k.area == area and k.id in applicable]
    req = [k for k in caps if k in required]
    have = [k for k in caps if k in present]
    req_have = [k for k in req if k in present]
    score = round(len(req_have) / len(req), 4) if req else round(len(have) / len(caps), 4)
    return Readiness(area, title, len(have), len(req), len(req_have), len(caps), score)


# --- EU AI Act ------------------------------------------------------------------------------


def _date_info(d: LegalDate, assessed_on: str) -> DateInfo:
    day = d.amended or d.original
    status = "applies" if day <= assessed_on else "upcoming"
    return DateInfo(
        d.id, d.label, day, d.original, d.amended, d.source, d.amended_source, status, d.verified
    )


def _own_date(r: Rule, o: Outcome, fired: AbstractSet[str]) -> str | None:
    """The rule's date id: the first alternative whose condition holds, else ``applies_from``."""
    for alt in r.applies_from_when:
        if c.evaluate(alt.when, o.answers, fired, o.tags):
            return alt.date
    return r.applies_from


def rule_dates(o: Outcome) -> dict[str, DateInfo | None]:
    """For each fired rule of a dated kind: the legal date from which it applies.

    ``@tier`` names the date of the tier the system is in (the earliest, if several tier rules
    fire): an Annex III point alone is not high-risk (the derogation may apply), so its duties'
    date comes through the tier rule."""
    dates = {d.id: d for d in o.rs.dates}
    tier_dates = [
        dates[r.applies_from]
        for r in o.rules
        if r.kind is RuleKind.EU_TIER and r.applies_from and r.applies_from != "@tier"
    ]
    tier = min(tier_dates, key=lambda d: d.amended or d.original) if tier_dates else None
    fired = {r.id for r in o.rules}
    out: dict[str, DateInfo | None] = {}
    for r in o.rules:
        if not KINDS[r.kind].dated:
            continue
        own = _own_date(r, o, fired)
        d = tier if own == "@tier" else dates.get(own or "")
        out[r.id] = _date_info(d, o.assessed_on) if d is not None else None
    return out


def _provision(r: Rule) -> Provision:
    return Provision(r.id, r.kind.value, r.title, r.citation, r.rationale, r.guide, r.verified)


def _obligation(r: Rule, applies_from: DateInfo | None) -> Obligation:
    return Obligation(
        r.id,
        r.title,
        r.citation,
        tuple(role.value for role in r.who),
        tuple(s.value for s in r.systems),
        r.actions,
        applies_from,
        r.guide,
        r.verified,
    )


def eu_ai_act(o: Outcome) -> EuAiAct:
    dated = rule_dates(o)
    tiers = [r for r in o.rules if r.kind is RuleKind.EU_TIER]
    obligations = tuple(
        _obligation(r, dated.get(r.id)) for r in _placed(o.rules, Placement.EU_OBLIGATIONS)
    )
    used = {di.id: di for di in dated.values() if di is not None}
    return EuAiAct(
        (tiers[0].tier or Tier.UNKNOWN).value if tiers else Tier.UNKNOWN.value,
        tiers[0].title if tiers else "Not classified",
        tuple(_provision(r) for r in _placed(o.rules, Placement.EU_PROVISIONS)),
        obligations,
        tuple(_provision(r) for r in _placed(o.rules, Placement.EU_SME)),
        tuple(sorted(used.values(), key=lambda d: (d.applies_from, d.id))),
        o.rs.legal_basis,
        o.rs.disclaimer,
        tuple(_provision(r) for r in _placed(o.rules, Placement.EU_PENALTIES)),
    )


# --- GDPR -----------------------------------------------------------------------------------


def gdpr(o: Outcome) -> Gdpr:
    provisions = _placed(o.rules, Placement.GDPR_PROVISIONS)
    return Gdpr(
        bool(provisions),
        tuple(_provision(r) for r in provisions),
        tuple(_obligation(r, None) for r in _placed(o.rules, Placement.GDPR_DUTIES)),
        o.rs.gdpr_basis,
    )


# --- the whole report -----------------------------------------------------------------------


def ignored_answers(o: Outcome) -> tuple[Ignored, ...]:
    return tuple(Ignored(q.id, q.text) for q in ignored(o.given, o.skipped, o.rs))


def build_report(o: Outcome) -> Report:
    missing = gaps(o)
    steps = roadmap(o, missing)
    name = o.answers.get("name")
    return Report(
        format=REPORT_FORMAT,
        engine_version=__version__,
        ruleset_version=o.rs.version,
        ruleset_reviewed=o.rs.reviewed,
        assessed_on=o.assessed_on,
        initiative=name if isinstance(name, str) and name else None,
        verdict=verdict_result(o),
        fired=reasons(o),
        actions=actions(o, steps),
        gaps=missing,
        roadmap=steps,
        readiness=readiness(o),
        what_would_change=what_would_change(o),
        eu_ai_act=eu_ai_act(o),
        gdpr=gdpr(o),
        transitions=transitions(o),
        signals=signals(o),
        ignored=ignored_answers(o),
        answers=to_document(o.given, o.rs),
        disclaimer=o.rs.disclaimer,
    )
