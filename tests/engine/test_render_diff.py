"""A diff in words: the two summaries, the answers in their labels, the steps by cause."""

from __future__ import annotations

import json
from typing import Any

from engine_cases import BASE

from prodready import assess, load_ruleset
from prodready.cli import example_text
from prodready.diff import diff_documents
from prodready.render_diff import answer_text, diff_markdown, diff_text

RS = load_ruleset()


def cv() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(example_text("cv-screening"))
    return doc


def test_answers_in_words() -> None:
    q = RS.question
    assert (
        answer_text(q("model_outputs"), "operational")
        == "“" + q("model_outputs").option("operational").label + "”"
    )  # type: ignore[union-attr]
    assert answer_text(q("eu_profiling"), None) == "no"  # the default
    assert answer_text(q("capabilities"), []) == "none"
    assert answer_text(q("experiment_end"), None) == "not answered"
    assert answer_text(None, None) == "not answered"  # a question the rules no longer ask
    assert answer_text(q("name"), "A *bold* [x](y)") == "A \\*bold\\* \\[x\\]\\(y\\)"
    assert answer_text(q("assessed_on"), "2026-12-01") == "2026-12-01"


def test_markdown_of_a_change() -> None:
    new = {**cv(), "eu_profiling": False}
    md = diff_markdown(diff_documents(cv(), new, RS), RS)
    assert md.startswith("# What changed: CV screening assistant\n")
    assert "| Verdict | " in md
    assert "| EU AI Act | " in md
    question = RS.question("eu_profiling").text
    assert f"- “{question}”: yes → no" in md
    assert "## Changes from the answers\n" in md
    before, after = (assess(cv()).eu_ai_act.tier_title, assess(new).eu_ai_act.tier_title)
    assert f"- EU AI Act: {before} → **{after}**" in md
    assert "**Now applies**" in md
    assert "**No longer applies**" in md


def test_nothing_changed() -> None:
    md = diff_markdown(diff_documents(BASE, BASE, RS), RS)
    assert "Nothing changed" in md
    assert "##" not in md


def test_rules_steps_are_headed_with_both_versions() -> None:
    old = json.loads(assess(cv()).to_json())
    old["ruleset_version"] = "2026.9.0"
    old["fired"] = old["fired"][1:]
    md = diff_markdown(diff_documents(old, cv(), RS), RS)
    assert f"## Changes from the rules: rule set 2026.9.0 → {RS.version}" in md
    assert f"## Changes from the answers (under rule set {RS.version})" in md


def test_formats() -> None:
    d = diff_documents(BASE, {**BASE, "name": "<img src=x>"}, RS)
    assert json.loads(diff_text(d, RS, "json")) == json.loads(d.to_json())
    html = diff_text(d, RS, "html")
    assert html.startswith("<!doctype html>")
    assert '<main data-document="diff">' in html
    assert "<img" not in html
    assert diff_text(d, RS, "fragment").startswith("<h4>What changed:")
