"""Which questions apply to an initiative, decided from the answers to the questions before them.

A question's ``ask_when`` is a condition in the rules' own language over earlier answers (the
loader checks it reads nothing else), so one pass in question order decides every question. The
answer to a question that does not apply is ignored: the engine assesses as if it held the
question's default, and the report names the ignored answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from prodready import conditions as c
from prodready.model import Question, RuleSet

type Answers = Mapping[str, c.Answer]

_NONE: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Asker:
    """The compiled ``ask_when`` conditions of a rule set."""

    questions: tuple[Question, ...]
    predicates: tuple[c.Predicate | None, ...]  # None: the question always applies
    # For each question id: the questions whose applicability can change with its answer
    # (directly or through another such question), as indices in question order.
    dependents: Mapping[str, tuple[int, ...]]

    def apply(self, answers: Answers) -> tuple[dict[str, c.Answer], frozenset[str]]:
        """The answers the rules see (those of questions that do not apply replaced by their
        defaults) and the ids of the questions that do not apply."""
        effective = dict(answers)
        skipped: list[str] = []
        for q, pred in zip(self.questions, self.predicates, strict=True):
            if pred is not None and not pred(effective, _NONE, _NONE):
                effective[q.id] = q.default
                skipped.append(q.id)
        return effective, frozenset(skipped)

    def reapply(self, given: Answers, effective: dict[str, c.Answer], changed: str) -> None:
        """After ``changed`` took a new value in both ``given`` and ``effective``, decide again
        the questions that depend on it (in place; for the what-if analysis)."""
        for i in self.dependents.get(changed, ()):
            q, pred = self.questions[i], self.predicates[i]
            assert pred is not None
            effective[q.id] = given.get(q.id) if pred(effective, _NONE, _NONE) else q.default


def compile_asker(rs: RuleSet) -> Asker:
    predicates = tuple(
        None if isinstance(q.ask_when, c.Always) else c.compile_condition(q.ask_when)
        for q in rs.questions
    )
    direct: dict[str, set[int]] = {}
    for i, q in enumerate(rs.questions):
        for qid in c.questions_read(q.ask_when):
            direct.setdefault(qid, set()).add(i)
    dependents: dict[str, tuple[int, ...]] = {}
    for qid in direct:
        found: set[int] = set()
        todo = list(direct[qid])
        while todo:
            i = todo.pop()
            if i not in found:
                found.add(i)
                todo.extend(direct.get(rs.questions[i].id, ()))
        dependents[qid] = tuple(sorted(found))
    return Asker(rs.questions, predicates, dependents)


def ignored(given: Answers, skipped: frozenset[str], rs: RuleSet) -> tuple[Question, ...]:
    """The questions that do not apply but were answered with something other than their
    default: what the report says it ignored."""
    return tuple(
        q
        for q in rs.questions
        if q.id in skipped and given.get(q.id) is not None and given.get(q.id) != q.default
    )
