"""The guide's decision tables are generated from the engine's rules, never typed by hand.

Checks, against a real strict build: every table shows what ``prodready rules`` says; altering a rule
in a fixture changes the page; every guide link of every rule points at an anchor that exists.
"""

from __future__ import annotations

import copy
import html
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from prodready_tools.site import build_site

pytestmark = pytest.mark.site

ROOT = Path(__file__).resolve().parents[2]


def _rules_json() -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "prodready", "rules"], capture_output=True, text=True, check=True
    )
    doc: dict[str, Any] = json.loads(out.stdout)
    return doc


def _page(site: Path, md_path: str) -> str:
    rel = md_path.removesuffix(".md")
    rel = "" if rel == "index" else rel + "/"
    return html.unescape((site / rel / "index.html").read_text(encoding="utf-8"))


def _text(page_html: str) -> str:
    """Visible text: tags dropped (glossary abbreviations wrap words in <abbr>), spaces folded."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page_html))


def section_text(page_html: str, anchor: str) -> str:
    """Visible text of the h2 section with this id, up to the next h2."""
    start = page_html.index(f'id="{anchor}"')
    start = page_html.rindex("<h2", 0, start)
    end = page_html.find("<h2", start + 1)
    return _text(page_html[start : end if end != -1 else len(page_html)])


def _ids(page_html: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', page_html))


@pytest.fixture(scope="module")
def rules_doc() -> dict[str, Any]:
    return _rules_json()


def test_decision_table_shows_every_condition_and_both_sides(
    built_site: Path, rules_doc: dict[str, Any]
) -> None:
    page = _text(_page(built_site, "decision-framework.md"))
    questions = {q["id"]: q for q in rules_doc["questions"]}
    conditions = [r for r in rules_doc["rules"] if r["kind"] == "condition"]
    assert len(conditions) == 6
    for rule in conditions:
        assert rule.get("label", rule["title"]) in page
        if "question" in rule:
            for option in questions[rule["question"]]["options"]:
                assert option["label"] in page, option
        else:
            assert rule["experimentation"] in page
            assert rule["production"] in page


def test_trigger_exception_roadmap_and_eu_tables_follow_the_rules(
    built_site: Path, rules_doc: dict[str, Any]
) -> None:
    caps = {k["id"]: k for k in rules_doc["capabilities"]}
    for rule in (r for r in rules_doc["rules"] if r["kind"] == "trigger"):
        # Each trigger is explained, with what it requires, on the page its rule links to.
        page = _text(_page(built_site, rule["guide"].partition("#")[0]))
        for action in rule.get("actions", []):
            assert action in page, action
        for cap in rule.get("requires", []):
            assert caps[cap]["action"] in page, (rule["id"], cap)
    exceptions = _text(_page(built_site, "exceptions.md"))
    for rule in (r for r in rules_doc["rules"] if r["kind"] == "exception"):
        assert rule["ends_when"] in exceptions
    roadmap = _text(_page(built_site, "what-to-build-first.md"))
    positions = [roadmap.index(p["title"]) for p in rules_doc["phases"]]
    assert positions == sorted(positions), "roadmap phases out of the rules' order"
    eu = _text(_page(built_site, "eu-ai-act.md"))
    for rule in rules_doc["rules"]:
        if rule["kind"] in ("eu_prohibited", "eu_high_risk", "eu_transparency", "eu_obligation"):
            assert rule["title"] in eu, rule["id"]
    for date in rules_doc["dates"]:
        assert date["original"] in eu
        if "amended" in date:
            assert date["amended"] in eu


def test_every_rule_and_question_links_to_an_existing_anchor(
    built_site: Path, rules_doc: dict[str, Any]
) -> None:
    links = [(r["id"], r["guide"]) for r in rules_doc["rules"]]
    links += [(q["id"], q["guide"]) for q in rules_doc["questions"] if "guide" in q]
    links += [(k["id"], k["guide"]) for k in rules_doc["capabilities"]]
    links += [(p["title"], p["guide"]) for p in rules_doc["phases"]]
    missing = []
    cache: dict[str, set[str]] = {}
    for owner, guide in links:
        page, _, anchor = guide.partition("#")
        if page not in cache:
            cache[page] = _ids(_page(built_site, page))
        if anchor and anchor not in cache[page]:
            missing.append(f"{owner} -> {guide}")
    assert not missing, "guide links to anchors that do not exist:\n" + "\n".join(missing)


def test_changing_a_rule_changes_the_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = copy.deepcopy(_rules_json())
    marker_label = "Altered production side for the fixture"
    marker_action = "An action that only exists in this fixture."
    question = next(q for q in doc["questions"] if q["id"] == "model_outputs")
    next(o for o in question["options"] if o["side"] == "production")["label"] = marker_label
    trigger = next(r for r in doc["rules"] if r["id"] == "trigger.scale")
    trigger["actions"] = [marker_action]
    # An exception that starts asking for a capability says so on its page.
    demo = next(r for r in doc["rules"] if r["id"] == "exception.funding-poc")
    demo["requires"] = ["documentation"]
    fixture = tmp_path / "rules.json"
    fixture.write_text(json.dumps(doc), encoding="utf-8")
    monkeypatch.setenv("PRODREADY_RULES_FILE", str(fixture))
    site = tmp_path / "site"
    build_site(site, "http://127.0.0.1:8000/")
    assert marker_label in _text(_page(site, "decision-framework.md"))
    triggers = _text(_page(site, "triggers.md"))
    assert marker_action in triggers
    scaling = next(k for k in doc["capabilities"] if k["id"] == "scaling")
    assert scaling["action"] in triggers
    demo_section = section_text(_page(site, "exceptions.md"), "proof-of-concept-for-funding")
    documentation = next(k for k in doc["capabilities"] if k["id"] == "documentation")
    assert documentation["action"] in demo_section
