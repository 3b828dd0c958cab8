"""Re-assessment diffs: for every example, each answer changed on its own (every kind of
question) gives a diff naming exactly that answer, and changes equal to the difference of the two
reports computed here, independently, from their JSON. Changes are told apart: the same rule set
means every change comes from the answers; a report of another rule set is assessed again under
the current rules, and that part of the change is the rules'."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from engine_cases import BASE, example

from prodready import assess, load_ruleset
from prodready.cli import example_names
from prodready.diff import DIFF_FORMAT, Delta, Diff, diff, diff_documents, read_side
from prodready.documents import DocumentError
from prodready.model import Question

RS = load_ruleset()
ROOT = Path(__file__).resolve().parents[2]


def _effective(q: Question, doc: dict[str, Any]) -> Any:
    value = doc.get(q.id)
    return q.default if value is None else value


def one_change(q: Question, doc: dict[str, Any]) -> list[Any]:
    """New values for question ``q`` that differ from its answer in ``doc``: one per kind of
    change the question allows (a multi-choice question gets an option added and one removed)."""
    now = _effective(q, doc)
    match q.type:
        case "choice":
            return [next(o.id for o in q.options if o.id != now)]
        case "multi":
            have = list(now or [])
            out = []
            missing = [o.id for o in q.options if o.id not in have]
            if missing:
                out.append([*have, missing[0]])
            if have:
                out.append(have[1:])
            return out
        case "bool":
            return [not now]
        case "integer":
            low = q.minimum if q.minimum is not None else 0
            return [low if now != low else low + 1]
        case "date":
            day = dt.date.fromisoformat(now) if now else dt.date(2026, 12, 1)
            return [(day + dt.timedelta(days=30)).isoformat()]
        case "text":
            return [f"{now or 'Initiative'} (renamed)"]
    raise AssertionError(q.type)


def changed_copies(doc: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for q in RS.questions:
        for value in one_change(q, doc):
            out.append((q.id, {**copy.deepcopy(doc), q.id: value}))
    return out


# --- what the two reports say, computed from their JSON alone --------------------------------


def rules_listed(report: dict[str, Any]) -> set[str]:
    eu = report["eu_ai_act"]
    sections = [report["fired"], report["signals"], eu["provisions"], eu["obligations"], eu["sme"]]
    return {entry["id"] for section in sections for entry in section}


def expected(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    def moved(a: str, b: str) -> tuple[str, str] | None:
        return None if a == b else (a, b)

    def both(a: set[str], b: set[str]) -> tuple[set[str], set[str]]:
        return b - a, a - b

    return {
        "verdict": moved(old["verdict"]["id"], new["verdict"]["id"]),
        "tier": moved(old["eu_ai_act"]["tier"], new["eu_ai_act"]["tier"]),
        "rules": both(rules_listed(old), rules_listed(new)),
        "actions": both({a["text"] for a in old["actions"]}, {a["text"] for a in new["actions"]}),
        "gaps": both(
            {g["capability"] for g in old["gaps"]}, {g["capability"] for g in new["gaps"]}
        ),
    }


def observed(c: Delta) -> dict[str, Any]:
    return {
        "verdict": (c.verdict.old, c.verdict.new) if c.verdict else None,
        "tier": (c.tier.old, c.tier.new) if c.tier else None,
        "rules": ({i.id for i in c.rules.added}, {i.id for i in c.rules.removed}),
        "actions": (set(c.actions.added), set(c.actions.removed)),
        "gaps": ({i.id for i in c.gaps.added}, {i.id for i in c.gaps.removed}),
    }


@pytest.mark.parametrize("name", example_names())
def test_one_changed_answer_is_named_with_its_consequences(name: str) -> None:
    doc = example(name)
    # Each side read once (diff_documents is diff() of the two sides read): the example is
    # assessed once, not again for each of its changed copies.
    old = read_side(doc, "OLD", RS)
    old_report = json.loads(old.report.to_json())
    cases = changed_copies(doc)
    assert len(cases) >= len(RS.questions)
    for qid, changed in cases:
        new = read_side(changed, "NEW", RS)
        d = diff(old, new, RS)
        assert [a.question for a in d.answers] == [qid], (name, qid)
        new_report = json.loads(new.report.to_json())
        assert observed(d.changes) == expected(old_report, new_report), (name, qid)
        # One rule set: one step, every change from the answers.
        assert [(s.cause, s.changes) for s in d.steps] == [("answers", d.changes)]
        assert d.same_ruleset
        assert d.changed


@pytest.mark.parametrize("name", example_names())
def test_an_assessment_against_itself_changes_nothing(name: str) -> None:
    doc = example(name)
    d = diff_documents(doc, doc, RS)
    assert not d.changed
    assert d.answers == ()
    assert d.changes.empty
    # A saved report of the same answers is the same assessment.
    assert not diff_documents(doc, json.loads(assess(doc).to_json()), RS).changed


def test_the_answer_change_carries_both_values() -> None:
    d = diff_documents(BASE, {**BASE, "business_units": 4, "eu_profiling": True}, RS)
    by_id = {a.question: a for a in d.answers}
    assert set(by_id) == {"business_units", "eu_profiling"}
    assert (by_id["business_units"].old, by_id["business_units"].new) == (None, 4)
    assert by_id["business_units"].text == RS.question("business_units").text


def test_json_form() -> None:
    cv = example("cv-screening")
    d = diff_documents(cv, {**cv, "eu_profiling": False}, RS)
    doc = json.loads(d.to_json())
    assert doc["format"] == DIFF_FORMAT
    assert set(doc) == {
        "format",
        "current_ruleset",
        "old",
        "new",
        "same_ruleset",
        "answers",
        "changes",
        "steps",
        "changed",
    }
    assert set(doc["changes"]) == {"verdict", "tier", "rules", "actions", "gaps"}
    assert set(doc["old"]) == {"source", "summary"}
    assert doc["old"]["source"] == "answers"
    assert doc["changed"] is True
    assert d.to_json() == diff_documents(cv, {**cv, "eu_profiling": False}, RS).to_json()


def test_every_key_is_documented() -> None:
    page = (ROOT / "docs" / "reference" / "diff-format.md").read_text(encoding="utf-8")
    cv = example("cv-screening")
    doc = json.loads(diff_documents(cv, {**cv, "eu_profiling": False}, RS).to_json())
    keys = set(doc) | set(doc["changes"]) | set(doc["steps"][0]) | set(doc["answers"][0])
    for key in keys:
        assert f"`{key}`" in page, key


# --- another rule set --------------------------------------------------------------------------


def older_report(doc: dict[str, Any]) -> dict[str, Any]:
    """The report of ``doc`` as an older rule set might have given it: another version, one rule
    fewer, one action fewer and another verdict (no older rule set ships, so it is simulated)."""
    report = json.loads(assess(doc).to_json())
    report["ruleset_version"] = "2026.9.0"
    report["fired"] = report["fired"][1:]
    report["actions"] = report["actions"][1:]
    report["verdict"] = {**report["verdict"], "id": "exception_applies", "title": "Old title"}
    return report


def test_a_report_of_another_rule_set_tells_rules_from_answers() -> None:
    cv = example("cv-screening")
    old = older_report(cv)
    new = {**cv, "eu_profiling": False}
    d = diff_documents(old, new, RS)
    assert not d.same_ruleset
    assert d.old.source == "report"
    assert [s.cause for s in d.steps] == ["rules", "answers"]
    rules_step, answers_step = d.steps
    assert (rules_step.from_ruleset, rules_step.to_ruleset) == ("2026.9.0", RS.version)
    # The rules step: the same answers, the old report against the current rules' report.
    current = json.loads(assess(cv).to_json())
    assert observed(rules_step.changes) == expected(old, current)
    assert rules_step.changes.verdict is not None
    assert {i.id for i in rules_step.changes.rules.added} == {old_fired(cv)}
    # The answers step: under the current rules, the old answers against the new.
    assert observed(answers_step.changes) == expected(current, json.loads(assess(new).to_json()))
    assert [a.question for a in d.answers] == ["eu_profiling"]


def old_fired(doc: dict[str, Any]) -> str:
    return str(json.loads(assess(doc).to_json())["fired"][0]["id"])


def test_same_answers_under_another_rule_set_change_only_by_the_rules() -> None:
    cv = example("cv-screening")
    d = diff_documents(older_report(cv), cv, RS)
    assert d.answers == ()
    assert d.changed
    rules_step, answers_step = d.steps
    assert not rules_step.changes.empty
    assert answers_step.changes.empty


def test_both_sides_of_one_older_rule_set_are_compared_as_they_are() -> None:
    cv = example("cv-screening")
    a, b = older_report(cv), older_report({**cv, "eu_profiling": False})
    d = diff_documents(a, b, RS)
    assert d.same_ruleset
    assert [s.cause for s in d.steps] == ["answers"]
    assert observed(d.changes) == expected(a, b)


def test_answers_the_current_rules_refuse_cannot_be_told_apart() -> None:
    cv = example("cv-screening")
    old = older_report(cv)
    old["answers"] = {**old["answers"], "retired_question": True}
    d = diff_documents(old, cv, RS)
    assert [s.cause for s in d.steps] == ["rules_and_answers"]
    assert "retired_question" in (d.steps[0].note or "")
    assert [a.question for a in d.answers] == ["retired_question"]
    assert d.answers[0].text is None


def test_a_record_is_a_side() -> None:
    from prodready.record import make_record

    cv = example("cv-screening")
    rec = json.loads(make_record(cv, RS).to_json())
    d = diff_documents(rec, {**cv, "senior_ml_engineers": 3}, RS)
    assert d.old.source == "record"
    assert [a.question for a in d.answers] == ["senior_ml_engineers"]


# --- what is not a side -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"format": "prodready.report/1", "answers": {}}, "prodready.report/1"),
        ({"format": "prodready.portfolio/1", "initiatives": []}, "not one assessment"),
        ({"format": "prodready.report/2"}, "missing"),
        ({**BASE, "model_outputs": "nope"}, "invalid answers"),
        ([], "expected a JSON object"),
        ({"format": "something/9"}, "unknown format"),
    ],
)
def test_not_a_side(doc: Any, message: str) -> None:
    with pytest.raises(DocumentError, match=message):
        diff_documents(doc, BASE, RS)
    with pytest.raises(DocumentError, match="NEW"):
        diff_documents(BASE, doc, RS)


def test_diff_is_a_dataclass_tree() -> None:
    d = diff_documents(BASE, BASE, RS)
    assert isinstance(d, Diff)
    assert d.to_dict()["changed"] is False
