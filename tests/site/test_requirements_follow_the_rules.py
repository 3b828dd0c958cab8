"""One source for every requirement the guide states: the rules.

Where a page says what an exception, a transitional state or a capability requires, the text is
generated from the rules; these tests read the built pages and fail when a page states something
else: a section that names a capability its rule does not require, leaves out one it does, or
words what ends an exception differently. The worked example's report must be the engine's.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from test_generated_tables import _page, _rules_json, _text, section_text

from prodready import assess
from prodready.cli import example_text
from prodready.vocab import FigureBasis

pytestmark = pytest.mark.site

ROOT = Path(__file__).resolve().parents[2]
WORKED_EXAMPLE = "llm-support-assistant"


@pytest.fixture(scope="module")
def rules_doc() -> dict[str, Any]:
    return _rules_json()


def _named(text: str, title: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(title.lower())}(?![\w-])", text.lower()) is not None


def _rules(doc: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [r for r in doc["rules"] if r["kind"] == kind]


def test_each_exception_states_exactly_what_its_rule_requires(
    built_site: Path, rules_doc: dict[str, Any]
) -> None:
    page = _page(built_site, "exceptions.md")
    caps = {k["id"]: k for k in rules_doc["capabilities"]}
    for rule in _rules(rules_doc, "exception"):
        section = section_text(page, rule["guide"].partition("#")[2])
        named = {cid for cid, k in caps.items() if _named(section, k["title"])}
        required = set(rule.get("requires", []))
        # A required capability's stand-in on other kinds of system may be named beside it.
        stand_ins = {caps[cid]["instead"] for cid in required if "instead" in caps[cid]}
        assert required <= named <= required | stand_ins, (rule["id"], named)
        for cid in rule.get("requires", []):
            assert caps[cid]["action"] in section, (rule["id"], cid)
        for action in rule.get("actions", []):
            assert action in section, (rule["id"], action)
        assert rule["ends_when"] in section, rule["id"]


def test_parallel_operation_is_a_transitional_state_with_exit_criteria(
    built_site: Path, rules_doc: dict[str, Any]
) -> None:
    page = _page(built_site, "exceptions.md")
    (rule,) = _rules(rules_doc, "transition")
    section = section_text(page, rule["guide"].partition("#")[2])
    for criterion in rule["exit_criteria"]:
        assert criterion in section
    caps = {k["id"]: k for k in rules_doc["capabilities"]}
    for cid in rule["requires"]:
        assert caps[cid]["action"] in section
    # It is not one of the exceptions, in the table or in the words of the page.
    assert rule["title"] not in section_text(page, "exceptions-table")
    assert "not an exception" in section


def test_no_page_words_an_exception_by_hand() -> None:
    """What an exception still expects and what ends it come only from the rules' block."""
    for path in sorted((ROOT / "docs").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        for phrase in ("**What is still expected.**", "**What ends it.**"):
            assert phrase not in text, f"{path.name} words {phrase} by hand"


def test_each_capability_page_states_the_capability_action(
    built_site: Path, rules_doc: dict[str, Any]
) -> None:
    for k in rules_doc["capabilities"]:
        page = _text(_page(built_site, k["guide"].partition("#")[0]))
        if k["guide"].startswith("llm-applications.md"):
            assert k["action"] in page, k["id"]
            for ref in k.get("references", []):
                assert ref in page, (k["id"], ref)
    table = _text(_page(built_site, "what-to-build-first.md"))
    for k in rules_doc["capabilities"]:
        assert k["summary"] in table, k["id"]


def test_the_figures_say_what_they_rest_on(built_site: Path, rules_doc: dict[str, Any]) -> None:
    section = section_text(_page(built_site, "what-to-build-first.md"), "figures")
    for f in rules_doc["figures"]:
        assert f["meaning"] in section
        assert f["source"] in section
        assert FigureBasis(f["basis"]).label in section
    # The guide's own estimates are never presented as study results.
    assert "Published study" not in section or any(
        f["basis"] == "study" for f in rules_doc["figures"]
    )


def test_the_worked_example_shows_the_engines_report(
    built_site: Path, rules_doc: dict[str, Any]
) -> None:
    page = _text(_page(built_site, "worked-example.md"))
    answers = json.loads(example_text(WORKED_EXAMPLE))
    report = assess(answers)
    assert report.verdict.title in page
    assert report.eu_ai_act.tier_title in page
    for action in report.actions:
        assert action.text in page, action
    # The page's report holds those actions and no others (one checkbox each).
    assert page.count("[ ]") == len(report.actions)
    for step in report.roadmap:
        assert step.title in page
    for change in report.what_would_change:
        assert change.text in page, change
    questions = {q["id"]: q for q in rules_doc["questions"]}
    for qid in answers:
        if qid != "format":
            assert questions[qid]["text"] in page, qid


def test_the_worked_example_links_stay_inside_the_guide(built_site: Path) -> None:
    html = _page(built_site, "worked-example.md")
    assert "guide.invalid" not in html
    assert "prodready.github.io" not in html
