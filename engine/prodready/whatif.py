"""What would change the verdict: every single-answer change that gives a different verdict.

Only questions that can move the verdict are tried (those a verdict-relevant rule reads, and
those that decide whether such a question applies), and only the rules a change can affect are
evaluated again, which keeps the analysis cheap enough to run on every answer in Pyodide.

The first verdict whose condition holds is the verdict, so a change can move it only through the
rules that the current verdict's condition and the conditions before it read: the others are
evaluated only when the change makes the current verdict's condition fail.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from prodready import conditions as c
from prodready.loader import closure
from prodready.model import Question, RuleSet
from prodready.report import Change

if TYPE_CHECKING:
    from prodready.evaluate import Compiled, Outcome

# (change, values, new answer, the legal condition the new answer claims, if any)
type Candidate = tuple[str, tuple[str, ...], c.Answer, str | None]


@dataclass(frozen=True, slots=True)
class _Plan:
    ruleset: RuleSet
    questions: tuple[str, ...]  # the questions worth trying, in question order
    # The verdict-relevant rules a change can affect (directly, through the tags of other such
    # rules, or through the questions whose applicability it decides), in evaluation order.
    # Keyed by (question, option) for multiple-choice questions (toggling one option affects
    # only the rules that mention it) and by (question, None) for the others.
    affected: Mapping[tuple[str, str | None], tuple[int, ...]]
    thresholds: Mapping[str, frozenset[int]]
    # By verdict index: the rules that verdict's condition and the conditions before it read
    # (with the rules those read), and the questions those conditions read themselves.
    upto: tuple[frozenset[int], ...]
    reads_upto: tuple[frozenset[str], ...]
    # By question: it and the questions whose applicability it decides.
    touches: Mapping[str, frozenset[str]]


_PLANS: dict[int, _Plan] = {}


def _reads(cond: c.Condition, qid: str, option: str | None) -> bool:
    for node in c.walk(cond):
        if isinstance(node, (c.Span, c.DateCmp)) and qid in c.questions_read(node):
            return True
        if isinstance(node, c.Compare) and node.question == qid:
            values = node.value if isinstance(node.value, tuple) else (node.value,)
            if option is None or node.op == "set" or option in values:
                return True
    return False


def _affected(rs: RuleSet, qids: set[str], option: str | None, first: str) -> tuple[int, ...]:
    """Rules reading ``first`` (that option of it) or any of ``qids``, and their readers."""
    rules = rs.rules
    hit: set[int] = set()
    hit_tags: set[str] = set()
    hit_ids: set[str] = set()
    for i in rs.verdict_rules:  # evaluation order: producers come before readers
        guard = rules[i].guard
        reads = _reads(guard, first, option) or any(_reads(guard, q, None) for q in qids)
        if reads or any(
            (isinstance(n, c.TagFired) and n.tag in hit_tags)
            or (isinstance(n, c.RuleFired) and n.rule in hit_ids)
            for n in c.walk(guard)
        ):
            hit.add(i)
            hit_tags.update(rules[i].tags)
            hit_ids.add(rules[i].id)
    return tuple(i for i in rs.verdict_rules if i in hit)


def _plan(rs: RuleSet, dependents: Mapping[str, tuple[int, ...]]) -> _Plan:
    found = _PLANS.get(id(rs))
    if found is not None and found.ruleset is rs:
        return found
    relevant = set(rs.verdict_questions)
    tried = [
        q.id
        for q in rs.questions
        if q.id in relevant or any(rs.questions[i].id in relevant for i in dependents.get(q.id, ()))
    ]
    affected: dict[tuple[str, str | None], tuple[int, ...]] = {}
    thresholds: dict[str, frozenset[int]] = {}
    for qid in tried:
        q = rs.question(qid)
        follow = {rs.questions[i].id for i in dependents.get(qid, ())}
        for option in [o.id for o in q.options] if q.type == "multi" else [None]:
            affected[qid, option] = _affected(rs, follow, option, qid)
        values: set[int] = set()
        for i in rs.verdict_rules:
            for node in c.walk(rs.rules[i].guard):
                if isinstance(node, c.Compare) and node.question == qid and type(node.value) is int:
                    values.update((node.value, node.value - 1))
        thresholds[qid] = frozenset(values)
    whens = [v.when for v in rs.verdicts]
    upto = tuple(frozenset(closure(rs.rules, whens[: k + 1])) for k in range(len(whens)))
    reads_upto = tuple(
        frozenset(q for w in whens[: k + 1] for q in c.questions_read(w)) for k in range(len(whens))
    )
    touches = {
        qid: frozenset({qid} | {rs.questions[i].id for i in dependents.get(qid, ())})
        for qid in tried
    }
    plan = _Plan(rs, tuple(tried), affected, thresholds, upto, reads_upto, touches)
    _PLANS[id(rs)] = plan
    return plan


def _candidates(q: Question, current: c.Answer, thresholds: frozenset[int]) -> list[Candidate]:
    """Single-answer changes worth trying for one question. Picking an option that claims a
    legal exception carries that exception's condition: it is reported as a condition the law
    sets, not as an answer the reader could simply change."""
    out: list[Candidate] = []
    if q.type == "choice":
        out = [("set", (o.id,), o.id, o.legal_condition) for o in q.options if o.id != current]
    elif q.type == "bool":
        out = [("set", (str(not current).lower(),), not current, None)]
    elif q.type == "multi":
        have = current if isinstance(current, tuple) else ()
        ids = [x.id for x in q.options]
        for o in q.options:
            if o.id in have:
                out.append(("remove", (o.id,), tuple(x for x in have if x != o.id), None))
            else:
                new = tuple(x for x in ids if x in have or x == o.id)
                out.append(("add", (o.id,), new, o.legal_condition))
    elif q.type == "integer":
        for v in sorted(thresholds):
            if (
                v != current
                and (q.minimum is None or v >= q.minimum)
                and (q.maximum is None or v <= q.maximum)
            ):
                out.append(("set", (str(v),), v, None))
    return out


def what_would_change(o: Outcome) -> tuple[Change, ...]:
    """Every change of one applicable answer that gives a different verdict, grouped by
    outcome."""
    from prodready.evaluate import fire

    rs, comp = o.rs, o.comp
    plan = _plan(rs, comp.asker.dependents)
    base, _, _ = fire(comp, o.answers, rs.verdict_rules)
    now = rs.verdicts.index(o.verdict)
    near, reads = plan.upto[now], plan.reads_upto[now]
    # By the rules a change can affect (many changes share them): those of them the verdicts up
    # to the current one read, and what the rules it cannot affect give (their ids and tags).
    shared: dict[tuple[int, ...], tuple[tuple[int, ...], frozenset[str], frozenset[str]]] = {}
    grouped: dict[tuple[str, str, str, str | None], list[str]] = {}
    for qid in plan.questions:
        if qid in o.skipped:
            continue  # a question that does not apply is not offered as a change
        q = rs.question(qid)
        direct = not reads.isdisjoint(plan.touches[qid])
        for change, values, new, condition in _candidates(
            q, o.answers.get(qid), plan.thresholds[qid]
        ):
            redo = plan.affected[qid, values[0] if q.type == "multi" else None]
            if redo not in shared:
                kept = [i for i in base if i not in redo]
                shared[redo] = (
                    tuple(i for i in redo if i in near),
                    frozenset(rs.rules[i].id for i in kept),
                    frozenset(t for i in kept for t in rs.rules[i].tags),
                )
            first, kept_ids, kept_tags = shared[redo]
            if not first and not direct:
                continue  # nothing the current verdict or those before it read can change
            ids, tags = set(kept_ids), set(kept_tags)
            variant = {**o.answers, qid: new}
            comp.asker.reapply({**o.given, qid: new}, variant, qid)
            verdict = _verdict(comp, variant, ids, tags, first, redo, now)
            if verdict != now:
                key = (qid, change, rs.verdicts[verdict].id, condition)
                grouped.setdefault(key, []).extend(values)
    out = []
    for (qid, change, verdict_id, condition), picked in grouped.items():
        q = rs.question(qid)
        labels = _labels(rs, qid, picked)
        out.append(Change(qid, q.text, change, tuple(picked), labels, verdict_id, condition))
    return tuple(out)


def _verdict(
    comp: Compiled,
    answers: dict[str, c.Answer],
    ids: set[str],
    tags: set[str],
    first: tuple[int, ...],
    redo: tuple[int, ...],
    now: int,
) -> int:
    """The verdict index for ``answers``, where only the rules ``redo`` may fire differently from
    ``ids`` and ``tags`` (which hold what the others gave). The rules ``first``, those the
    verdicts up to ``now`` read, are evaluated first: if one of those verdicts holds, it is the
    verdict and the other rules need not be evaluated."""
    rules = comp.ruleset.rules

    def run(indices: tuple[int, ...]) -> None:
        for i in indices:
            if comp.predicates[i](answers, ids, tags):
                ids.add(rules[i].id)
                tags.update(rules[i].tags)

    run(first)
    for k in range(now + 1):
        if comp.verdicts[k](answers, ids, tags):
            return k
    run(tuple(i for i in redo if i not in first))
    return next(
        k for k in range(now + 1, len(comp.verdicts)) if comp.verdicts[k](answers, ids, tags)
    )


def _labels(rs: RuleSet, qid: str, values: list[str]) -> tuple[str, ...]:
    q = rs.question(qid)
    out = []
    for value in values:
        opt = q.option(value)
        out.append(opt.label if opt else {"true": "Yes", "false": "No"}.get(value, value))
    return tuple(out)
