"""What would change the verdict: every single-answer change that gives a different verdict.

Only questions that can move the verdict are tried: those a verdict-relevant rule or a verdict
reads, and those that decide whether such a question applies. Each variant is decided by the
rule set's compiled verdict function (:func:`prodready.conditions.compile_first`), which
evaluates the verdict-relevant rules without building sets, cheap enough to try every change on
every answer in Pyodide.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from prodready import conditions as c
from prodready.model import Question, RuleSet
from prodready.report import Change

if TYPE_CHECKING:
    from prodready.evaluate import Outcome

# (change, values, new answer, the legal condition the new answer claims, if any)
type Candidate = tuple[str, tuple[str, ...], c.Answer, str | None]


@dataclass(frozen=True, slots=True)
class Plan:
    """What the analysis tries, worked out once per rule set (kept with its compiled form)."""

    questions: tuple[str, ...]  # the questions worth trying, in question order
    # By number question: the values on either side of each threshold the rules compare with.
    thresholds: Mapping[str, frozenset[int]]


def plan(rs: RuleSet, dependents: Mapping[str, tuple[int, ...]]) -> Plan:
    relevant = set(rs.verdict_questions).union(*(c.questions_read(v.when) for v in rs.verdicts))
    tried = tuple(
        q.id
        for q in rs.questions
        if q.id in relevant or any(rs.questions[i].id in relevant for i in dependents.get(q.id, ()))
    )
    conditions = [rs.rules[i].guard for i in rs.verdict_rules] + [v.when for v in rs.verdicts]
    thresholds: dict[str, set[int]] = {qid: set() for qid in tried}
    for node in (n for cond in conditions for n in c.walk(cond)):
        if isinstance(node, c.Compare) and node.question in thresholds and type(node.value) is int:
            thresholds[node.question].update((node.value, node.value - 1))
    return Plan(tried, {qid: frozenset(v) for qid, v in thresholds.items()})


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
    rs, comp = o.rs, o.comp
    tried = comp.whatif
    now = rs.verdicts.index(o.verdict)
    grouped: dict[tuple[str, str, str, str | None], list[str]] = {}
    for qid in tried.questions:
        if qid in o.skipped:
            continue  # a question that does not apply is not offered as a change
        q = rs.question(qid)
        for change, values, new, condition in _candidates(
            q, o.answers.get(qid), tried.thresholds[qid]
        ):
            variant = {**o.answers, qid: new}
            # Only later questions depend on qid, so the given answer to qid is never read here.
            comp.asker.reapply(o.given, variant, qid)
            verdict = comp.verdict(variant)
            if verdict != now:
                key = (qid, change, rs.verdicts[verdict].id, condition)
                grouped.setdefault(key, []).extend(values)
    out = []
    for (qid, change, verdict_id, condition), picked in grouped.items():
        q = rs.question(qid)
        labels = _labels(rs, qid, picked)
        out.append(Change(qid, q.text, change, tuple(picked), labels, verdict_id, condition))
    return tuple(out)


def _labels(rs: RuleSet, qid: str, values: list[str]) -> tuple[str, ...]:
    q = rs.question(qid)
    out = []
    for value in values:
        opt = q.option(value)
        out.append(opt.label if opt else {"true": "Yes", "false": "No"}.get(value, value))
    return tuple(out)
