"""The legal corpus (``legal_cases/``), run in CPython: every case gives the result the articles
it cites give. The same cases run inside Pyodide in ``test_pyodide_parity.py``."""

from __future__ import annotations

import json

import pytest
from legal_corpus import Case, check, check_labels, load_cases

from prodready import assess, load_ruleset
from prodready.publish import ruleset_document

CASES = load_cases()

# The cases issue #14 lists under "Why", by file name: each must stay in the corpus.
REQUIRED = {
    "derogated-annex-iii-deployer",  # Art. 6(4), 49(2) bind the provider
    "annex-i-not-in-eu-database",  # Art. 49(1) is for Annex III
    "critical-infrastructure-national-register",  # Art. 49(5)
    "sme-40-staff-simplified-qms",  # Art. 63 as amended
    "exam-scoring-students-not-workers",  # Art. 26(7)
    "text-sentiment-not-emotion-recognition",  # Art. 5(1)(f), Annex III 1(c), Art. 3(39)
    "manipulation-without-significant-harm",  # Art. 5(1)(a)
    "rbi-supplier-not-prohibited",  # Art. 5(1)(h) bans the use
    "rbi-police-use-prohibited",
    "assistive-editing-no-marking",  # Art. 50(2)
    "voice-emotion-call-centre",  # the exception is a condition, not a switch
    "intimate-imagery-prohibited-from-2-dec-2026",  # Art. 5(1)(ba), dated
    "experiment-after-its-end-date",
    "rules-engine-not-ai",  # Art. 3(1)
    "pre-market-research",  # Art. 2(8)
    "deployer-rebrands-high-risk",  # Art. 25
    "importer-checks",
    "distributor-changes-purpose",
    "gpai-heavy-fine-tune",  # Art. 53
    "gpai-model-on-market-before-aug-2025",  # Art. 111(3)
    "existing-annex-iii-system",  # Art. 111(2)
    "existing-annex-iii-system-public-authority",
    "prohibited-penalty-sme",  # Art. 99(6)
    "obligations-penalty-small-mid-cap",  # Art. 99(6a)
    "machinery-section-b",  # Art. 2(2), Annex I Section B
    "synthetic-content-existing-system-grace",  # Art. 111(4)
    "annex-iii-duties-before-the-date",
    "annex-iii-duties-after-the-date",
}


def test_the_corpus_is_complete() -> None:
    names = {c.name for c in CASES}
    assert len(CASES) >= 30
    assert names >= REQUIRED, sorted(REQUIRED - names)
    for case in CASES:
        assert case.provision, case.name
        assert case.why, case.name
        assert case.title, case.name
        assert "tier" in case.expect, case.name


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case: Case) -> None:
    report = json.loads(assess(case.answers).to_json())
    assert check(case.expect, report) == [], f"{case.title} ({case.provision}): {case.why}"


@pytest.mark.parametrize(
    "case", [c for c in CASES if "label_mentions" in c.expect], ids=lambda c: c.name
)
def test_case_questions_ask_the_legal_condition(case: Case) -> None:
    assert check_labels(case.expect, ruleset_document(load_ruleset())) == []


def test_the_checker_fails_a_wrong_report() -> None:
    # The checker itself can fail: a case's expectations against another case's report.
    by_name = {c.name: c for c in CASES}
    wrong = json.loads(assess(by_name["rules-engine-not-ai"].answers).to_json())
    assert check(by_name["exam-scoring-students-not-workers"].expect, wrong)
    prohibited = json.loads(assess(by_name["voice-emotion-call-centre"].answers).to_json())
    # A what-if entry offering the exception as a plain answer would be caught.
    tampered = {
        **prohibited,
        "what_would_change": [{**c, "condition": None} for c in prohibited["what_would_change"]],
    }
    assert check(by_name["voice-emotion-call-centre"].expect, tampered)
