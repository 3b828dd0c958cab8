"""The interpreter: answers in, report out. Pure and deterministic; no I/O.

All policy lives in the rule files. This module only knows how to decide which questions apply,
walk the rules in dependency order and pick the verdict; :mod:`prodready.sections` builds the
report from what fired, one section at a time, and :mod:`prodready.whatif` finds the single
answers that would change the verdict.

The one clock read is :func:`assess`'s default for an answers document without ``assessed_on``
(the CLI and the page always pass the date, so their reports are reproducible).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

from prodready import conditions as c
from prodready.answers import lenient, validate
from prodready.applicability import Asker, compile_asker
from prodready.capabilities import Predicates, compile_capabilities, stand_ins
from prodready.loader import load_ruleset
from prodready.model import Rule, RuleSet, Verdict
from prodready.report import Report
from prodready.whatif import Plan, plan

type Answers = Mapping[str, c.Answer]

DATE_QUESTION = "assessed_on"


@dataclass(frozen=True, slots=True)
class Compiled:
    ruleset: RuleSet
    asker: Asker
    predicates: tuple[c.Predicate, ...]
    verdicts: tuple[c.Predicate, ...]
    capabilities: Predicates
    # The verdict's index from the answers alone, the verdict-relevant rules compiled into one
    # function with them (what the what-if analysis calls for every variant it tries).
    verdict: Callable[[Answers], int]
    whatif: Plan


# Keyed by id(): hashing a whole frozen RuleSet on every call would cost more than assessing.
# Each entry holds its RuleSet, so the id cannot be reused while the entry exists.
_COMPILED: dict[int, Compiled] = {}


def compiled(ruleset: RuleSet) -> Compiled:
    found = _COMPILED.get(id(ruleset))
    if found is not None and found.ruleset is ruleset:
        return found
    asker = compile_asker(ruleset)
    comp = Compiled(
        ruleset,
        asker,
        tuple(c.compile_condition(r.guard) for r in ruleset.rules),
        tuple(c.compile_condition(v.when) for v in ruleset.verdicts),
        compile_capabilities(ruleset),
        c.compile_first(
            [(r.id, r.tags, r.guard) for r in (ruleset.rules[i] for i in ruleset.verdict_rules)],
            [v.when for v in ruleset.verdicts],
        ),
        plan(ruleset, asker.dependents),
    )
    _COMPILED[id(ruleset)] = comp
    return comp


def fire(
    comp: Compiled, answers: Answers, indices: Sequence[int]
) -> tuple[set[int], set[str], set[str]]:
    """Evaluates the rules at ``indices`` (in that order): the fired indices, ids and tags."""
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


def verdict_index(
    comp: Compiled, answers: Answers, ids: AbstractSet[str], tags: AbstractSet[str]
) -> int:
    for i, pred in enumerate(comp.verdicts):
        if pred(answers, ids, tags):
            return i
    raise AssertionError("the last verdict always holds (checked at load time)")


def verdict_of(answers: Answers, ruleset: RuleSet | None = None) -> str:
    """Only the verdict id for validated answers, evaluating only the rules it can depend on."""
    comp = compiled(ruleset or load_ruleset())
    effective, _ = comp.asker.apply(answers)
    return comp.ruleset.verdicts[comp.verdict(effective)].id


def dated(doc: Mapping[str, Any], on: dt.date | str | None = None) -> dict[str, Any]:
    """``doc`` with its assessment date: ``on`` if given, else the document's own, else today."""
    out = dict(doc)
    if on is not None:
        out[DATE_QUESTION] = on.isoformat() if isinstance(on, dt.date) else on
    elif out.get(DATE_QUESTION) is None:
        out[DATE_QUESTION] = dt.date.today().isoformat()
    return out


def assess(
    doc: Mapping[str, Any], ruleset: RuleSet | None = None, *, on: dt.date | str | None = None
) -> Report:
    """Assess one answers document (see :func:`dated` for the date). Raises
    :class:`prodready.answers.AnswersError` if it is invalid."""
    rs = ruleset or load_ruleset()
    given = validate(dated(doc, on) if isinstance(doc, Mapping) else doc, rs)
    return assess_validated(given, rs)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the interpreter decided, for the section builders."""

    rs: RuleSet
    comp: Compiled
    given: Answers  # validated answers, as the reader gave them
    answers: Answers  # what the rules read: answers to questions that do not apply ignored
    skipped: frozenset[str]  # the questions that do not apply
    rules: tuple[Rule, ...]  # the fired rules, in file order
    tags: frozenset[str]
    verdict: Verdict
    plan: tuple[Rule, ...]  # the fired rules that make up the plan under this verdict
    # Capability id -> the capability that meets a requirement for it here (None: it lapses).
    stand_ins: Mapping[str, str | None]

    @property
    def assessed_on(self) -> str:
        return str(self.answers[DATE_QUESTION])


def decide(given: Answers, rs: RuleSet) -> Outcome:
    comp = compiled(rs)
    answers, skipped = comp.asker.apply(given)
    fired_at, ids, tags = fire(comp, answers, rs.order)
    rules = tuple(rs.rules[i] for i in sorted(fired_at))  # file order reads best
    verdict = rs.verdicts[verdict_index(comp, answers, ids, tags)]
    plan = tuple(r for r in rules if not verdict.plan or r.kind in verdict.plan)
    kinds = stand_ins(rs, comp.capabilities, answers)
    return Outcome(rs, comp, given, answers, skipped, rules, frozenset(tags), verdict, plan, kinds)


def assess_validated(given: Answers, rs: RuleSet) -> Report:
    from prodready.sections import build_report

    return build_report(decide(given, rs))


def not_asked(doc: Any, ruleset: RuleSet | None = None) -> tuple[str, ...]:
    """The ids of the questions that do not apply, for a document that may be incomplete or
    partly invalid (answers that are invalid on their own count as unanswered): what the page
    hides while the reader answers."""
    rs = ruleset or load_ruleset()
    _, skipped = compiled(rs).asker.apply(lenient(doc, rs))
    return tuple(q.id for q in rs.questions if q.id in skipped)
