"""The interpreter: answers in, report out. Pure and deterministic; no I/O, no clock.

All policy lives in the rule files. This module only knows the *shape* of a consequence (tags,
required capabilities, actions, an exception's end) and how to walk rules in dependency order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

from prodready import __version__
from prodready import conditions as c
from prodready.answers import to_document, validate
from prodready.loader import load_ruleset
from prodready.model import Question, Rule, RuleSet
from prodready.report import (
    REPORT_FORMAT,
    Action,
    Change,
    DateInfo,
    EuAiAct,
    FiredRule,
    Gap,
    Obligation,
    Provision,
    Readiness,
    Report,
    RoadmapStep,
    VerdictResult,
)

Answers = Mapping[str, c.Answer]

# Rule kinds that the report lists under the EU AI Act rather than among the guide's rules.
_EU_PROVISION_KINDS = ("eu_prohibited", "eu_high_risk", "eu_derogation", "eu_note", "eu_tier")
_EU_OBLIGATION_KINDS = ("eu_transparency", "eu_obligation")
_SIGNAL_KINDS = ("signal", "misconception", "transition")
# Kinds whose date the report gives: the tier, prohibitions and every obligation.
_EU_DATED_KINDS = ("eu_tier", "eu_prohibited", *_EU_OBLIGATION_KINDS)


@dataclass(frozen=True, slots=True)
class _Compiled:
    ruleset: RuleSet
    predicates: tuple[c.Predicate, ...]
    verdicts: tuple[c.Predicate, ...]
    # For each question: the verdict-relevant rules whose outcome can change with its answer
    # (directly or through the tags of other such rules), in evaluation order.
    # Keyed by (question, option) for multiple-choice questions (toggling one option affects
    # only the rules that mention it) and by (question, None) for the others.
    affected: Mapping[tuple[str, str | None], tuple[int, ...]]
    thresholds: Mapping[str, frozenset[int]]


# Keyed by id(): hashing a whole frozen RuleSet on every call would cost more than assessing.
# Each entry holds its RuleSet, so the id cannot be reused while the entry exists.
_COMPILED: dict[int, _Compiled] = {}


def _reads(cond: c.Condition, qid: str, option: str | None) -> bool:
    for node in c.walk(cond):
        if isinstance(node, c.Span) and qid in (node.start, node.end):
            return True
        if isinstance(node, c.Compare) and node.question == qid:
            values = node.value if isinstance(node.value, tuple) else (node.value,)
            if option is None or node.op == "set" or option in values:
                return True
    return False


def _compiled(ruleset: RuleSet) -> _Compiled:
    found = _COMPILED.get(id(ruleset))
    if found is not None and found.ruleset is ruleset:
        return found
    rules = ruleset.rules
    affected: dict[tuple[str, str | None], tuple[int, ...]] = {}
    thresholds: dict[str, frozenset[int]] = {}
    for qid in ruleset.verdict_questions:
        q = ruleset.question(qid)
        keys = [o.id for o in q.options] if q.type == "multi" else [None]
        for option in keys:
            hit: set[int] = set()
            hit_tags: set[str] = set()
            hit_ids: set[str] = set()
            for i in ruleset.verdict_rules:  # evaluation order: producers come before readers
                if _reads(rules[i].when, qid, option) or any(
                    (isinstance(n, c.TagFired) and n.tag in hit_tags)
                    or (isinstance(n, c.RuleFired) and n.rule in hit_ids)
                    for n in c.walk(rules[i].when)
                ):
                    hit.add(i)
                    hit_tags.update(rules[i].tags)
                    hit_ids.add(rules[i].id)
            affected[qid, option] = tuple(i for i in ruleset.verdict_rules if i in hit)
        values: set[int] = set()
        for i in ruleset.verdict_rules:
            for node in c.walk(rules[i].when):
                if isinstance(node, c.Compare) and node.question == qid and type(node.value) is int:
                    values.update((node.value, node.value - 1))
        thresholds[qid] = frozenset(values)
    comp = _Compiled(
        ruleset,
        tuple(c.compile_condition(r.when) for r in rules),
        tuple(c.compile_condition(v.when) for v in ruleset.verdicts),
        affected,
        thresholds,
    )
    _COMPILED[id(ruleset)] = comp
    return comp


def _fire(
    comp: _Compiled, answers: Answers, indices: Sequence[int]
) -> tuple[set[int], set[str], set[str]]:
    fired: set[int] = set()
    ids: set[str] = set()
    tags: set[str] = set()
    rules = comp.ruleset.rules
    for i in indices:
        if comp.predicates[i](answers, ids, tags):
            fired.add(i)
            ids.add(rules[i].id)
            tags.update(rules[i].tags)
    return fired, ids, tags


def _verdict_index(
    comp: _Compiled, answers: Answers, ids: AbstractSet[str], tags: AbstractSet[str]
) -> int:
    for i, pred in enumerate(comp.verdicts):
        if pred(answers, ids, tags):
            return i
    raise AssertionError("the last verdict always holds (checked at load time)")


def verdict_of(answers: Answers, ruleset: RuleSet | None = None) -> str:
    """Only the verdict id, evaluating only the rules a verdict can depend on."""
    comp = _compiled(ruleset or load_ruleset())
    _, ids, tags = _fire(comp, answers, comp.ruleset.verdict_rules)
    return comp.ruleset.verdicts[_verdict_index(comp, answers, ids, tags)].id


def assess(doc: Mapping[str, Any], ruleset: RuleSet | None = None) -> Report:
    """Assess one answers document. Raises :class:`prodready.answers.AnswersError` if invalid."""
    rs = ruleset or load_ruleset()
    answers = validate(doc, rs)
    return assess_normalised(answers, rs)


def assess_normalised(answers: Answers, rs: RuleSet) -> Report:
    comp = _compiled(rs)
    fired, ids, tags = _fire(comp, answers, rs.order)
    ordered = sorted(fired)  # file order reads best: framework, triggers, exceptions, EU
    rules = [rs.rules[i] for i in ordered]
    verdict = rs.verdicts[_verdict_index(comp, answers, ids, tags)]

    exceptions = [r for r in rules if "exception" in r.tags]
    until = None
    ends_when = None
    if verdict.reports_end and exceptions:
        first = exceptions[0]
        ends_when = first.ends_when
        until = str(answers[first.until]) if first.until and answers.get(first.until) else None

    # The verdict decides which fired rules make up the plan (see Verdict.plan).
    plan = [r for r in rules if not verdict.plan or r.kind in verdict.plan]
    required: dict[str, list[str]] = {}
    for r in plan:
        for cap in r.requires:
            required.setdefault(cap, []).append(r.id)
    caps_answer = answers.get("capabilities")
    present = set(caps_answer) if isinstance(caps_answer, tuple) else set()
    dates = {d.id: d for d in rs.dates}

    # "@tier" in a rule's applies_from: the date of the EU AI Act tier the initiative is in.
    tier_dates = [dates[r.applies_from] for r in rules if r.kind == "eu_tier" and r.applies_from]
    tier_date = min(tier_dates, key=lambda d: d.amended or d.original) if tier_dates else None

    def date_info(rule: Rule) -> DateInfo | None:
        if rule.applies_from is None:
            return None
        d = tier_date if rule.applies_from == "@tier" else dates[rule.applies_from]
        if d is None:
            return None
        return DateInfo(
            d.id,
            d.label,
            d.amended or d.original,
            d.original,
            d.amended,
            d.source,
            d.amended_source,
        )

    # Dates of what applies: the tier and the duties. An Annex III point alone is not
    # high-risk (the derogation may apply), so its date comes via the tier rule.
    dated = {r.id: date_info(r) for r in rules if r.kind in _EU_DATED_KINDS}

    gaps = tuple(
        Gap(k.id, k.title, k.area, k.phase, k.guide, tuple(required[k.id]))
        for k in rs.capabilities
        if k.id in required and k.id not in present
    )
    phase_titles = {p.number: p.title for p in rs.phases}
    caps_order = {k.id: i for i, k in enumerate(rs.capabilities)}
    by_cap = {k.id: k for k in rs.capabilities}

    def effective_phase(cap: str) -> tuple[int, bool]:
        k = by_cap[cap]
        if k.promote_tag in tags and k.promote_phase is not None and k.promote_phase < k.phase:
            return k.promote_phase, True
        return k.phase, False

    roadmap_caps = sorted(
        (g.capability for g in gaps), key=lambda k: (effective_phase(k)[0], caps_order[k])
    )
    roadmap = tuple(
        RoadmapStep(
            n,
            k,
            by_cap[k].title,
            effective_phase(k)[0],
            phase_titles[by_cap[k].phase],
            effective_phase(k)[1],
            tuple(required[k]),
        )
        for n, k in enumerate(roadmap_caps, start=1)
    )
    readiness = tuple(_readiness(rs, required, present))

    actions: list[Action] = []
    seen_actions: set[str] = set()
    for r in plan:
        for text in r.actions:
            if text not in seen_actions:
                seen_actions.add(text)
                actions.append(Action(text, r.id))

    def fired_rule(r: Rule) -> FiredRule:
        return FiredRule(
            r.id, r.kind, r.title, _reason(r, rs, answers), r.guide, r.citation, r.signal
        )

    guide_rules = tuple(
        fired_rule(r)
        for r in rules
        if r.kind not in _EU_PROVISION_KINDS + _EU_OBLIGATION_KINDS + ("eu_sme",)
        and r.kind not in _SIGNAL_KINDS
    )
    signals = tuple(fired_rule(r) for r in plan if r.kind in _SIGNAL_KINDS)

    tier_rules = [r for r in rules if r.kind == "eu_tier"]
    tier = tier_rules[0].tier or "unknown" if tier_rules else "unknown"
    tier_title = tier_rules[0].title if tier_rules else "Not classified"
    provisions = tuple(
        Provision(r.id, r.kind, r.title, r.citation, r.rationale, r.guide)
        for r in rules
        if r.kind in _EU_PROVISION_KINDS
    )
    obligations = tuple(
        Obligation(r.id, r.title, r.citation, r.who, r.actions, dated[r.id], r.guide)
        for r in rules
        if r.kind in _EU_OBLIGATION_KINDS
    )
    sme = tuple(
        Provision(r.id, r.kind, r.title, r.citation, r.rationale, r.guide)
        for r in rules
        if r.kind == "eu_sme"
    )
    used_dates = sorted(
        {di.id: di for di in dated.values() if di is not None}.values(),
        key=lambda d: (d.applies_from, d.id),
    )
    eu = EuAiAct(
        tier,
        tier_title,
        provisions,
        obligations,
        sme,
        tuple(used_dates),
        rs.legal_basis,
        rs.disclaimer,
    )

    name = answers.get("name")
    return Report(
        format=REPORT_FORMAT,
        engine_version=__version__,
        ruleset_version=rs.version,
        initiative=name if isinstance(name, str) and name else None,
        verdict=VerdictResult(
            verdict.id, verdict.title, verdict.summary, verdict.severity, until, ends_when
        ),
        fired=guide_rules,
        actions=tuple(actions),
        gaps=gaps,
        roadmap=roadmap,
        readiness=readiness,
        what_would_change=tuple(what_would_change(answers, rs, verdict.id)),
        eu_ai_act=eu,
        signals=signals,
        answers=to_document(answers, rs),
        disclaimer=rs.disclaimer,
    )


def _reason(rule: Rule, rs: RuleSet, answers: Answers) -> str:
    """The rule's rationale, prefixed with the reader's own answer when the rule reads one."""
    if rule.question is not None:
        q = rs.question(rule.question)
        value = answers.get(q.id)
        opt = q.option(value) if isinstance(value, str) else None
        if opt is not None:
            return f"You answered “{opt.label}” to “{q.text}” {rule.rationale}"
    return rule.rationale


def _readiness(
    rs: RuleSet, required: Mapping[str, list[str]], present: AbstractSet[str]
) -> list[Readiness]:
    out = []
    for area in rs.areas:
        caps = [k.id for k in rs.capabilities if k.area == area.id]
        req = [k for k in caps if k in required]
        have = [k for k in caps if k in present]
        req_have = [k for k in req if k in present]
        score = round(len(req_have) / len(req), 4) if req else round(len(have) / len(caps), 4)
        out.append(
            Readiness(area.id, area.title, len(have), len(req), len(req_have), len(caps), score)
        )
    return out


def _candidates(
    q: Question, current: c.Answer, thresholds: frozenset[int]
) -> list[tuple[str, tuple[str, ...], c.Answer]]:
    """Single-answer changes worth trying for the what-if analysis: (change, values, new answer)."""
    out: list[tuple[str, tuple[str, ...], c.Answer]] = []
    if q.type == "choice":
        out = [("set", (o.id,), o.id) for o in q.options if o.id != current]
    elif q.type == "bool":
        out = [("set", (str(not current).lower(),), not current)]
    elif q.type == "multi":
        have = current if isinstance(current, tuple) else ()
        for o in q.options:
            if o.id in have:
                out.append(("remove", (o.id,), tuple(x for x in have if x != o.id)))
            else:
                ids = [x.id for x in q.options]
                out.append(("add", (o.id,), tuple(x for x in ids if x in have or x == o.id)))
    elif q.type == "integer":
        for v in sorted(thresholds):
            if (
                v != current
                and (q.minimum is None or v >= q.minimum)
                and (q.maximum is None or v <= q.maximum)
            ):
                out.append(("set", (str(v),), v))
    return out


def what_would_change(answers: Answers, rs: RuleSet, current: str) -> list[Change]:
    """Every single-answer change that would give a different verdict, grouped by outcome.

    Only questions that some verdict-relevant rule reads are tried, and only those rules are
    re-evaluated, which keeps the analysis cheap enough to run on every keystroke in Pyodide.
    """
    comp = _compiled(rs)
    rules = rs.rules
    base, _, _ = _fire(comp, answers, rs.verdict_rules)
    grouped: dict[tuple[str, str, str], list[str]] = {}
    for qid in rs.verdict_questions:
        q = rs.question(qid)
        for change, values, new in _candidates(q, answers.get(qid), comp.thresholds[qid]):
            redo = comp.affected[qid, values[0] if q.type == "multi" else None]
            # Rules the change cannot affect keep their outcome; only ``redo`` is re-evaluated.
            kept = [i for i in base if i not in redo]
            kept_ids = {rules[i].id for i in kept}
            kept_tags = {t for i in kept for t in rules[i].tags}
            variant = dict(answers)
            variant[qid] = new
            ids, tags = set(kept_ids), set(kept_tags)
            for i in redo:
                if comp.predicates[i](variant, ids, tags):
                    ids.add(rules[i].id)
                    tags.update(rules[i].tags)
            verdict = rs.verdicts[_verdict_index(comp, variant, ids, tags)].id
            if verdict != current:
                grouped.setdefault((qid, change, verdict), []).extend(values)
    out: list[Change] = []
    for (qid, change, verdict), picked in grouped.items():
        q = rs.question(qid)
        labels = tuple(_label(q, v) for v in picked)
        out.append(Change(qid, q.text, change, tuple(picked), labels, verdict))
    return out


def _label(q: Question, value: str) -> str:
    opt = q.option(value)
    if opt is not None:
        return opt.label
    return {"true": "Yes", "false": "No"}.get(value, value)
