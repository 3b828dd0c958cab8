"""Properties of the engine over generated, schema-valid answer documents.

- every valid document is assessed without an exception, into a consistent report;
- the same answers give byte-identical JSON, whatever the key order of the input;
- monotonicity: moving a framework condition or a trigger to the production side never lowers the
  verdict's severity;
- the what-if analysis is truthful (each suggested change gives the stated verdict) and complete
  for single-option changes;
- compiled predicates agree with the reference evaluator on every rule and verdict.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from engine_cases import severity
from engine_strategies import answer_documents
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prodready import assess, load_ruleset
from prodready import conditions as c
from prodready.answers import validate
from prodready.evaluate import compiled, dated, verdict_of
from prodready.report import Change

RS = load_ruleset()
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# For the tests that assess each document several times over (2 cores, a 60 s budget in all).
HEAVY = settings(SETTINGS, max_examples=100)

# Questions whose options carry a side: the framework conditions that have their own question.
SIDED = {
    q.id: (
        [o.id for o in q.options if o.side == "experimentation"],
        [o.id for o in q.options if o.side == "production"],
    )
    for q in RS.questions
    if any(o.side for o in q.options)
}
# The triggers' questions: (neutral answers, production-side answers).
TRIGGERS: dict[str, tuple[list[Any], list[Any]]] = {
    "stakeholder_reliance": ([False], [True]),
    "volume_growth": (["stable"], ["tenfold"]),
    "business_units": ([1], [2, 3, 50, 1000]),
    "ownership_change": (["none"], ["author_leaving", "handover_to_engineering"]),
    "agent_side_effects": ([False], [True]),
    "automated_decisions": (["none", "human_review"], ["solely_automated"]),
}
# Not a move towards production, so not here: answering that the initiative is still in
# research and development (stage) takes a high-risk use off the production side of the guide's
# framework by design (the legal side still reports it), so it may lower the severity.
MOVES = {**SIDED, **TRIGGERS}


def test_the_sided_questions_are_the_framework_conditions() -> None:
    assert set(SIDED) == {
        "model_outputs",
        "failure_impact",
        "user_exposure",
        "accuracy_requirements",
        "availability_needs",
    }
    for experimentation, production in SIDED.values():
        assert experimentation
        assert production
    # The sixth condition (regulatory scope) has no question of its own: it reads the EU tags,
    # and the EU questions are covered by the tier tests in test_eu_ai_act.py.
    assert RS.rule("condition.regulatory-scope").question is None


@HEAVY
@given(answer_documents(), st.randoms(use_true_random=False))
def test_same_answers_same_bytes(document: dict[str, Any], rnd: random.Random) -> None:
    first = assess(document).to_json()
    assert assess(document).to_json() == first
    keys = list(document)
    rnd.shuffle(keys)
    shuffled: dict[str, Any] = {}
    for k in keys:
        value = document[k]
        # Multiple-choice answers are sets: their order must not matter either.
        if isinstance(value, list):
            value = list(value)
            rnd.shuffle(value)
        shuffled[k] = value
    assert assess(shuffled).to_json() == first
    # The report's canonical answers reproduce it exactly.
    assert assess(assess(document).answers).to_json() == first


def _verdict(answers: Mapping[str, Any]) -> str:
    return verdict_of(answers, RS)


@SETTINGS
@given(answer_documents())
def test_moving_to_the_production_side_never_lowers_severity(document: dict[str, Any]) -> None:
    answers = dict(validate(dated(document), RS))
    for qid, (neutral, production) in MOVES.items():
        for before in neutral:
            low = severity(_verdict({**answers, qid: before}))
            for after in production:
                high = severity(_verdict({**answers, qid: after}))
                assert high >= low, (qid, before, after)


def _added(answers: Mapping[str, Any], qid: str, option: str) -> tuple[str, ...]:
    have = set(answers[qid] or ()) | {option}
    return tuple(o.id for o in RS.question(qid).options if o.id in have)


@SETTINGS
@given(answer_documents())
def test_regulatory_scope_is_monotonic(document: dict[str, Any]) -> None:
    """The sixth condition has no question of its own: moving any EU answer towards a legal duty
    (in scope, a prohibited practice, an Annex III use, Annex I, profiling, no derogation)
    never lowers the severity either."""
    answers = dict(validate(dated(document), RS))
    base = severity(_verdict(answers))
    moves: list[tuple[str, Any]] = [
        ("eu_scope", "eu"),
        ("eu_annex_i", True),
        ("eu_profiling", True),
        ("eu_derogation", ()),
    ]
    for qid in ("eu_practices", "eu_annex_iii"):
        moves += [(qid, _added(answers, qid, o.id)) for o in RS.question(qid).options]
    for qid, value in moves:
        before = {**answers, "eu_scope": "outside"} if qid == "eu_scope" else answers
        low = severity(_verdict(before)) if qid == "eu_scope" else base
        assert severity(_verdict({**before, qid: value})) >= low, (qid, value)


def _apply(answers: Mapping[str, Any], change: Change, value: str) -> dict[str, Any]:
    q = RS.question(change.question)
    out = dict(answers)
    if change.change == "add":
        have = set(out[q.id] or ()) | {value}
        out[q.id] = tuple(o.id for o in q.options if o.id in have)
    elif change.change == "remove":
        out[q.id] = tuple(v for v in out[q.id] if v != value)
    elif q.type == "bool":
        out[q.id] = {"true": True, "false": False}[value]
    elif q.type == "integer":
        out[q.id] = int(value)
    else:
        out[q.id] = value
    return out


@HEAVY
@given(answer_documents())
def test_what_would_change_is_truthful(document: dict[str, Any]) -> None:
    answers = validate(dated(document), RS)
    report = assess(document)
    for change in report.what_would_change:
        assert change.verdict != report.verdict.id
        assert len(change.values) == len(change.labels)
        for n, value in enumerate(change.values):
            variant = _apply(answers, change, value)
            assert _verdict(variant) == change.verdict, (change, value)
            if n == 0:  # and the full assessment of the changed document agrees
                changed = {k: list(v) if isinstance(v, tuple) else v for k, v in variant.items()}
                assert assess(changed).verdict.id == change.verdict


@SETTINGS
@given(answer_documents())
def test_what_would_change_is_complete(document: dict[str, Any]) -> None:
    """Every single choice, yes/no or one-option change that alters the verdict is listed."""
    answers = validate(dated(document), RS)
    current = _verdict(answers)
    _, skipped = compiled(RS).asker.apply(answers)
    listed = {
        (ch.question, ch.change, v, ch.verdict)
        for ch in assess(document).what_would_change
        for v in ch.values
    }
    for qid in RS.verdict_questions:
        if qid in skipped:
            continue  # a question that does not apply is not offered as a change
        q = RS.question(qid)
        tries: list[tuple[str, str, Any]] = []
        if q.type == "choice":
            tries = [("set", o.id, o.id) for o in q.options if o.id != answers[qid]]
        elif q.type == "bool":
            tries = [("set", str(not answers[qid]).lower(), not answers[qid])]
        elif q.type == "multi":
            held = answers[qid]
            have: tuple[str, ...] = held if isinstance(held, tuple) else ()
            for o in q.options:
                if o.id in have:
                    tries.append(("remove", o.id, tuple(x for x in have if x != o.id)))
                else:
                    new = tuple(x.id for x in q.options if x.id in have or x.id == o.id)
                    tries.append(("add", o.id, new))
        for change, value, new in tries:
            verdict = _verdict({**answers, qid: new})
            if verdict != current:
                assert (qid, change, value, verdict) in listed, (qid, change, value, verdict)


@st.composite
def fired_state(draw: st.DrawFn) -> tuple[set[str], set[str]]:
    """Arbitrary sets of fired rule ids and tags (not only reachable ones)."""
    ids = draw(st.sets(st.sampled_from([r.id for r in RS.rules]), max_size=12))
    tags = draw(st.sets(st.sampled_from(sorted({t for r in RS.rules for t in r.tags}))))
    return ids, tags


@SETTINGS
@given(answer_documents(), fired_state())
def test_compiled_predicates_agree_with_the_evaluator(
    document: dict[str, Any], state: tuple[set[str], set[str]]
) -> None:
    answers = validate(dated(document), RS)
    comp = compiled(RS)
    # On arbitrary fired sets...
    ids, tags = state
    for rule, pred in zip(RS.rules, comp.predicates, strict=True):
        assert pred(answers, ids, tags) is c.evaluate(rule.guard, answers, ids, tags), rule.id
    for verdict, pred in zip(RS.verdicts, comp.verdicts, strict=True):
        assert pred(answers, ids, tags) is c.evaluate(verdict.when, answers, ids, tags)
    # ...and along the real evaluation order, where the sets grow rule by rule.
    ids, tags = set(), set()
    for i in RS.order:
        rule = RS.rules[i]
        got = comp.predicates[i](answers, ids, tags)
        assert got is c.evaluate(rule.guard, answers, ids, tags), rule.id
        if got:
            ids.add(rule.id)
            tags.update(rule.tags)
    # The verdict function (the verdict-relevant rules compiled into one, what-if's fast path)
    # picks the verdict the interpreter picks from those rules alone.
    ids, tags = set(), set()
    for i in RS.verdict_rules:
        if c.evaluate(RS.rules[i].guard, answers, ids, tags):
            ids.add(RS.rules[i].id)
            tags.update(RS.rules[i].tags)
    first = next(k for k, v in enumerate(RS.verdicts) if c.evaluate(v.when, answers, ids, tags))
    assert comp.verdict(answers) == first


@SETTINGS
@given(answer_documents())
def test_every_valid_document_gives_a_consistent_report(document: dict[str, Any]) -> None:
    report = assess(document)  # never raises for a schema-valid document
    verdict = report.verdict
    assert verdict.id in {v.id for v in RS.verdicts}
    assert verdict.severity == severity(verdict.id)
    assert report.to_json().endswith("}\n")
    # The fast path used by the what-if analysis agrees with the full assessment.
    assert verdict_of(validate(dated(document), RS), RS) == verdict.id
    fired = {f.id for f in report.fired}
    if verdict.id == "exception_applies":
        assert verdict.ends_when
        assert any(f.kind == "exception" for f in report.fired)
    else:
        assert verdict.ends_when is None
        assert verdict.until is None
    if verdict.id == "experimentation_acceptable":
        assert not [f for f in report.fired if f.kind in ("condition", "trigger")]
    if verdict.id == "production_required":
        assert fired & {r.id for r in RS.rules if "production-side" in r.tags}
    # Roadmap steps are numbered from 1 and ordered by phase; gaps and roadmap name the same set.
    assert [s.step for s in report.roadmap] == list(range(1, len(report.roadmap) + 1))
    assert [s.phase for s in report.roadmap] == sorted(s.phase for s in report.roadmap)
    assert {g.capability for g in report.gaps} == {s.capability for s in report.roadmap}
    present = set(report.answers.get("capabilities", ()))
    assert not {g.capability for g in report.gaps} & present
    for area in report.readiness:
        assert 0.0 <= area.score <= 1.0
        assert area.required_present <= area.required <= area.total
        assert area.present <= area.total
