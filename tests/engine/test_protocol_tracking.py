"""The protocol's tracking operations, as the assessor page will call them: each answers what
the library gives, documents may come as the text of a file, and malformed ones come back as
errors (data) that leave whatever the page holds untouched."""

from __future__ import annotations

import json
from typing import Any

import pytest
from engine_cases import BASE, example
from hypothesis import HealthCheck, given, settings
from test_cli import JSON_VALUES
from test_protocol import assert_error, call

from prodready import assess, load_ruleset
from prodready.cli import example_names
from prodready.diff import diff_documents
from prodready.digest import sha256
from prodready.portfolio import read_portfolio, table
from prodready.record import make_record, needs_justification
from prodready.render_diff import diff_text
from prodready.render_portfolio import table_text
from prodready.render_record import record_text, verification_text
from prodready.verify import verify

RS = load_ruleset()


def request(op: str, **fields: Any) -> dict[str, Any]:
    return call({"v": 1, "id": op, "op": op, **fields})


# --- portfolio ------------------------------------------------------------------------------


def test_building_a_portfolio_one_initiative_at_a_time() -> None:
    stored = None
    for name in example_names():
        response = request("portfolio", portfolio=stored, add=example(name))
        assert response["ok"] is True, response
        stored = response["portfolio"]
    p = read_portfolio(stored, RS)
    assert len(p.initiatives) == len(example_names())
    assert response["export"] == p.to_json()
    assert response["table"] == json.loads(table(p, RS).to_json())
    assert response["text"] == table_text(table(p, RS), "fragment")


def test_import_of_an_exported_file_gives_the_same_table() -> None:
    built = None
    for name in example_names():
        built = request("portfolio", portfolio=built, add=example(name))["portfolio"]
    export = request("portfolio", portfolio=built, format="json")["export"]
    imported = request("portfolio", portfolio=None, add=export, format="json")
    assert imported["export"] == export
    assert json.loads(imported["text"]) == imported["table"]


def test_a_later_assessment_joins_its_initiative_and_remove_deletes() -> None:
    cv = example("cv-screening")
    first = request("portfolio", portfolio=None, add=cv)["portfolio"]
    both = request("portfolio", portfolio=first, add={**cv, "assessed_on": "2027-03-01"})
    (initiative,) = both["portfolio"]["initiatives"]
    assert len(initiative["assessments"]) == 2
    assert both["table"]["initiatives"][0]["assessed_on"] == "2027-03-01"
    gone = request("portfolio", portfolio=both["portfolio"], remove=cv["name"])
    assert gone["portfolio"]["initiatives"] == []


def test_a_nameless_answers_document_takes_the_given_name() -> None:
    response = request("portfolio", portfolio=None, add=BASE, name="Forecast pilot")
    assert response["portfolio"]["initiatives"][0]["name"] == "Forecast pilot"
    untitled = request("portfolio", portfolio=None, add=BASE, name="")["portfolio"]
    assert untitled["initiatives"][0]["name"] == "Untitled initiative"


def test_the_readers_name_files_a_renamed_initiative_under_its_old_name() -> None:
    cv = example("cv-screening")
    first = request("portfolio", portfolio=None, add=cv)["portfolio"]
    renamed = {**cv, "name": "CV screening v2", "assessed_on": "2027-03-01"}
    both = request("portfolio", portfolio=first, add=renamed, name=cv["name"])
    (initiative,) = both["portfolio"]["initiatives"]
    assert initiative["name"] == cv["name"]
    assert [a["name"] for a in initiative["assessments"]] == [cv["name"], "CV screening v2"]
    # The reader's name is checked as a name; a portfolio added keeps its own names.
    error = assert_error(request("portfolio", portfolio=None, add=cv, name=" "), "invalid_document")
    assert error["message"] == "name: is empty"
    again = request("portfolio", portfolio=first, add=first, name="Other")["portfolio"]
    assert again == first


def test_a_file_is_named_in_messages_by_its_label() -> None:
    error = assert_error(
        request("portfolio", portfolio=None, add="{oops", label="team.json"), "invalid_document"
    )
    assert error["message"].startswith("team.json: not valid JSON")
    wrong = {"format": "prodready.portfolio/1", "initiatives": [{"name": "A"}]}
    error = assert_error(
        request("portfolio", portfolio=None, add=wrong, label="team.json"), "invalid_document"
    )
    assert error["message"].startswith("team.json.initiatives[0].assessments: ")


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"portfolio": "{not json"}, "invalid_document"),
        ({"portfolio": {"format": "prodready.portfolio/1", "initiatives": 3}}, "invalid_document"),
        ({"portfolio": None, "add": {"format": "prodready.record/1"}}, "invalid_document"),
        ({"portfolio": None, "add": "NaN"}, "invalid_document"),
        ({"portfolio": None, "format": "pdf"}, "bad_request"),
        ({"portfolio": None, "remove": 3}, "bad_request"),
    ],
)
def test_malformed_portfolio_requests(fields: dict[str, Any], code: str) -> None:
    error = assert_error(request("portfolio", **fields), code)
    assert "\n" not in error["message"]


FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(value=JSON_VALUES)
def test_fuzz_portfolio_never_crashes(value: Any) -> None:
    doc = {"format": "prodready.portfolio/1", "initiatives": value}
    for fields in ({"portfolio": doc}, {"portfolio": None, "add": value}):
        response = request("portfolio", **fields)
        if not response["ok"]:
            # A non-finite number makes the whole request invalid JSON: bad_request.
            codes = ("invalid_document", "invalid_answers", "bad_request")
            assert response["error"]["code"] in codes


# --- diff -----------------------------------------------------------------------------------


def test_diff() -> None:
    cv = example("cv-screening")
    new = {**cv, "eu_profiling": False}
    response = request("diff", old=cv, new=json.dumps(new), format="md")
    d = diff_documents(cv, new, RS)
    assert response["diff"] == json.loads(d.to_json())
    assert response["changed"] is True
    assert response["text"] == diff_text(d, RS, "md")
    assert request("diff", old=cv, new=cv)["changed"] is False


@pytest.mark.parametrize(
    "fields",
    [{"old": None, "new": BASE}, {"old": BASE, "new": "["}, {"old": BASE, "new": {"format": "x"}}],
)
def test_malformed_diff_requests(fields: dict[str, Any]) -> None:
    assert_error(request("diff", **fields), "invalid_document")


# --- records --------------------------------------------------------------------------------


def derogated() -> dict[str, Any]:
    return next(example(n) for n in example_names() if needs_justification(assess(example(n))))


def test_record_form_lists_what_a_record_needs() -> None:
    doc = derogated()
    response = request("record_form", answers=doc)
    (needed,) = response["required"]
    (rule,) = needs_justification(assess(doc))
    assert needed["id"] == rule.id
    assert "which condition applies and why" in needed["prompt"]
    keys = [k["id"] for k in response["keys"]]
    assert keys[0] == "general"
    assert rule.id in keys
    assert "model_outputs" in keys
    assert request("record_form", answers=BASE)["required"] == []


def test_record_made_in_the_page_verifies() -> None:
    doc = derogated()
    rule = needs_justification(assess(doc))[0].id
    sign = [{"name": "Ana Ruiz", "role": "CTO", "date": "2026-12-02"}]
    response = request(
        "record", answers=doc, justifications={rule: "Books rooms only."}, sign_offs=sign
    )
    assert response["ok"] is True, response
    made = make_record(doc, RS, justifications={rule: "Books rooms only."}, sign_offs=sign)
    assert response["file"] == made.to_json() == response["text"]
    assert response["digest"] == made.digest
    assert verify(json.loads(response["file"]), RS).ok
    html = request("record", answers=doc, justifications={rule: "x"}, format="html")["text"]
    assert html == record_text(make_record(doc, RS, justifications={rule: "x"}), RS, "html")


def test_record_without_the_justification_names_the_field() -> None:
    doc = derogated()
    rule = needs_justification(assess(doc))[0].id
    error = assert_error(request("record", answers=doc), "invalid_document")
    assert error["problems"] == [{"field": f"justifications.{rule}", "message": error["message"]}]


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"answers": {**BASE, "model_outputs": "x"}}, "invalid_answers"),
        ({"answers": BASE, "justifications": []}, "bad_request"),
        ({"answers": BASE, "sign_offs": [{"name": "A"}]}, "invalid_document"),
        ({"answers": BASE, "format": "docx"}, "bad_request"),
    ],
)
def test_malformed_record_requests(fields: dict[str, Any], code: str) -> None:
    assert_error(request("record", **fields), code)


def test_verify() -> None:
    rec = json.loads(make_record(example("credit-scoring"), RS).to_json())
    ok = request("verify", record=json.dumps(rec))
    assert (ok["status"], ok["verified"], ok["diff"], ok["text"]) == ("verified", True, None, None)
    tampered = {**rec, "answers": {**rec["answers"], "name": "Forged"}}
    bad = request("verify", record=tampered)
    assert (bad["status"], bad["verified"]) == ("tampered", False)
    assert bad["reason"].startswith("digest mismatch")
    report = {**rec["report"], "ruleset_version": "2026.9.0"}
    older = {**rec, "ruleset_version": "2026.9.0", "report": report}
    del older["digest"]
    other = request("verify", record={**older, "digest": sha256(older)}, format="md")
    assert other["status"] == "other_ruleset"
    assert other["diff"]["steps"][0]["cause"] == "rules"
    assert other["text"].startswith("# What changed:")
    # The outcome in words, for the page (a fragment) and in Markdown.
    assert ok["result"] == verification_text(verify(rec, RS), "fragment")
    assert ok["result"].startswith("<p><strong>Verified.</strong>")
    assert bad["result"].startswith("<p><strong>Not verified.</strong>")
    assert other["result"] == verification_text(
        verify(json.loads(json.dumps({**older, "digest": sha256(older)})), RS), "md"
    )


@pytest.mark.parametrize("record", [None, "", "{", BASE, {"format": "prodready.record/9"}])
def test_verify_what_is_not_a_record(record: Any) -> None:
    assert_error(request("verify", record=record), "not_a_record")


def test_unknown_op_lists_the_tracking_ops() -> None:
    error = assert_error(request("frobnicate"), "bad_request")
    for op in ("portfolio", "diff", "record_form", "record", "verify"):
        assert op in error["message"]
