"""Which questions apply: a follow-up applies only once its trigger is answered, and the engine
ignores (and names) an answer to a question that does not apply."""

from __future__ import annotations

import pytest
from engine_cases import BASE, PRODUCTION, doc

from prodready import assess, load_ruleset
from prodready import conditions as c
from prodready.evaluate import not_asked
from prodready.protocol import handle

RS = load_ruleset()
FOLLOW_UPS = [q.id for q in RS.questions if not isinstance(q.ask_when, c.Always)]


def test_follow_ups_exist_and_none_is_required() -> None:
    assert {"emotion_purpose", "eu_derogation", "eu_profiling"} <= set(FOLLOW_UPS)
    assert not [qid for qid in FOLLOW_UPS if RS.question(qid).required]


def test_a_follow_up_applies_only_once_its_trigger_is_answered() -> None:
    assert "eu_derogation" in not_asked(BASE)
    assert "eu_derogation" not in not_asked({**BASE, "eu_annex_iii": ["4a"]})
    # Fraud detection is not an Annex III use, so it opens no derogation question.
    assert "eu_derogation" in not_asked({**BASE, "eu_annex_iii": ["fraud_detection"]})
    assert "emotion_purpose" in not_asked(BASE)
    assert "emotion_purpose" not in not_asked({**BASE, "eu_practices": ["emotion_work_education"]})


def test_not_asked_reads_incomplete_and_partly_invalid_documents() -> None:
    # No required answers at all, and one answer that is invalid on its own: the page still
    # learns which questions to show while the reader is answering.
    partial = {"eu_annex_iii": ["4a"], "funding_demo": "maybe"}
    hidden = not_asked(partial)
    assert "eu_derogation" not in hidden
    assert "labelled_demo" in hidden  # the invalid trigger counts as unanswered
    assert not_asked(None) == not_asked({})


def test_an_answer_to_a_question_that_does_not_apply_is_ignored_and_named() -> None:
    hr_derogated = doc(eu_annex_iii=["4a"], eu_derogation=["narrow_procedural"])
    assert assess(hr_derogated).eu_ai_act.tier == "minimal"
    # The same derogation answer, left over after the Annex III use was removed: ignored.
    leftover = doc(eu_derogation=["narrow_procedural"])
    report = assess(leftover)
    assert [i.question for i in report.ignored] == ["eu_derogation"]
    assert "eu.derogation" not in {p.id for p in report.eu_ai_act.provisions}
    # Apart from naming it (and the what-if analysis, where the answer would apply again if an
    # Annex III use were added: see below), the report is that of the document without it.
    unset = {"ignored": [], "answers": {}, "what_would_change": []}
    assert {**report.to_dict(), **unset} == {**assess(doc()).to_dict(), **unset}
    # The canonical answers keep what the reader gave, so they reproduce the report.
    assert report.answers["eu_derogation"] == ["narrow_procedural"]
    assert assess(report.answers).to_json() == report.to_json()


def test_an_ignored_answer_never_changes_the_verdict() -> None:
    # A funding-demo label given while the initiative is not a funding demo.
    plain = doc(PRODUCTION)
    labelled = doc(PRODUCTION, labelled_demo=True, approval_granted=True)
    assert assess(labelled).verdict == assess(plain).verdict
    assert {i.question for i in assess(labelled).ignored} == {"labelled_demo", "approval_granted"}


@pytest.mark.parametrize(
    "document",
    [
        BASE,
        doc(PRODUCTION),
        doc(eu_annex_iii=["4a"], eu_role="deployer"),
        doc(eu_practices=["emotion_work_education"]),
        doc(eu_role="importer", eu_transparency=["synthetic_content"]),
    ],
)
def test_the_report_never_suggests_answering_a_question_that_does_not_apply(
    document: dict[str, object],
) -> None:
    report = assess(document)
    hidden = set(not_asked(document))
    assert hidden & set(FOLLOW_UPS), "some follow-up question is hidden for this document"
    assert not {ch.question for ch in report.what_would_change} & hidden


def test_what_would_change_follows_a_question_that_opens_a_follow_up() -> None:
    # Adding an Annex III use also opens the derogation question: with a derogation already
    # answered, adding 4(a) does not make the system high-risk (the answer now applies).
    document = doc(eu_derogation=["narrow_procedural"])
    changes = {
        (ch.question, v): ch.verdict for ch in assess(document).what_would_change for v in ch.values
    }
    assert ("eu_annex_iii", "4a") not in changes
    # Without a derogation it would.
    plain = {
        (ch.question, v): ch.verdict for ch in assess(doc()).what_would_change for v in ch.values
    }
    assert plain[("eu_annex_iii", "4a")] == "production_required"


def test_protocol_tells_the_page_what_to_hide_even_for_invalid_answers() -> None:
    import json

    response = json.loads(handle(json.dumps({"v": 1, "id": 1, "op": "assess", "answers": {}})))
    assert response["ok"] is False
    assert response["error"]["code"] == "invalid_answers"
    assert "eu_derogation" in response["hidden"]
    ok = json.loads(
        handle(
            json.dumps(
                {"v": 1, "id": 2, "op": "assess", "answers": {**BASE, "eu_annex_iii": ["5b"]}}
            )
        )
    )
    assert ok["ok"] is True
    assert "eu_derogation" not in ok["hidden"]
    assert "emotion_purpose" in ok["hidden"]
