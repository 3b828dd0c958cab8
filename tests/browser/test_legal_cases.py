"""The legal corpus's cases from issue 14, answered in the browser: the assessor page runs the same
engine and shows the legally right tier and verdict for each (tests/engine/legal_cases)."""

from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import Page

from support.assessor import clean, load_file, open_assessor
from support.browser import PageLog

CASES = Path(__file__).resolve().parents[1] / "engine" / "legal_cases"

# The cases listed under "Why" in issue 14, one per legal point the page must get right.
BROWSER_CASES = (
    "derogated-annex-iii-deployer",
    "annex-i-not-in-eu-database",
    "exam-scoring-students-not-workers",
    "text-sentiment-not-emotion-recognition",
    "voice-emotion-call-centre",
    "rbi-supplier-not-prohibited",
    "manipulation-without-significant-harm",
    "pre-market-research",
    "experiment-after-its-end-date",
    "machinery-section-b",
)


def test_the_page_gives_the_legal_result_of_each_case(
    page: Page, page_log: PageLog, site: str, tmp_path: Path
) -> None:
    open_assessor(page, site)
    for name in BROWSER_CASES:
        case = json.loads((CASES / f"{name}.json").read_text(encoding="utf-8"))
        answers = tmp_path / f"{name}.json"
        answers.write_text(json.dumps(case["answers"]), encoding="utf-8")
        verdict = load_file(page, answers)
        tier = page.get_attribute("[data-eu-tier]", "data-eu-tier")
        assert tier == case["expect"]["tier"], (name, case["provision"])
        if "verdict" in case["expect"]:
            assert verdict == case["expect"]["verdict"], (name, case["provision"])
    clean(page_log, site)
