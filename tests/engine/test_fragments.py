"""The assessor page's fragments: the report's parts written for the page (the same words as the
reports), the live summary, each section's progress and the problems, for complete, incomplete
and invalid answers alike; and nothing from the rules or the reader becomes markup."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import pytest
from engine_cases import BASE, doc
from test_render import parse

from prodready import AnswersError, assess, load_ruleset
from prodready.evaluate import not_asked
from prodready.fragments import pending_fragments, report_fragments
from prodready.wording import PARTS, part
from prodready.writers import HtmlWriter

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "engine" / "prodready" / "examples").glob("*.json"))
SECTIONS = [s.id for s in load_ruleset().sections]
NAMES = {name for name, _, _ in PARTS} | {"summary", "problems"} | {f"step:{s}" for s in SECTIONS}

# What the fragments may contain: the report's own elements, the chart, and the summary's rows.
PAGE_TAGS = {
    "p", "strong", "em", "ul", "ol", "li", "a", "h3", "h4", "table", "thead", "tbody", "tr", "th",
    "td", "code", "span", "div", "dt", "dd", "svg", "title", "desc", "rect", "text",
}  # fmt: skip
PAGE_ATTRS = {
    "href", "class", "scope", "data-key", "data-eu-tier", "xmlns", "role", "viewbox", "width",
    "height", "aria-labelledby", "id", "x", "y", "rx",
}  # fmt: skip


def fragments_for(document: dict[str, Any]) -> dict[str, str]:
    rs = load_ruleset()
    hidden = not_asked(document)
    try:
        report = assess(document)
    except AnswersError as exc:
        return pending_fragments(document, exc.problems, hidden, rs)
    return report_fragments(report, document, hidden, rs)


def text_of(html: str) -> str:
    return " ".join("".join(parse(html).text).split())


def assert_page_safe(fragments: dict[str, str]) -> None:
    for name, html in fragments.items():
        for tag, attrs in parse(html).tags:
            assert tag in PAGE_TAGS, (name, tag)
            assert set(attrs) <= PAGE_ATTRS, (name, tag, attrs)
            href = attrs.get("href")
            if href is not None:
                assert href.startswith(("../", "#q-")), (name, href)
                assert ".md" not in href, (name, href)
                assert ":" not in href, (name, href)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_gets_every_fragment(path: Path) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    fragments = fragments_for(document)
    assert set(fragments) == NAMES
    assert_page_safe(fragments)
    report = assess(document)
    # The page's parts say what the standalone HTML report's parts say, word for word (only the
    # headings' level and the links to the form's questions differ).
    standalone = HtmlWriter("../")
    for name, heading, body in PARTS:
        assert text_of(fragments[name]) == text_of(part(report, standalone, heading, body)), name
    assert f"<strong>{report.verdict.title}</strong>" in fragments["summary"]
    assert report.eu_ai_act.tier_title in text_of(fragments["summary"])
    assert fragments["problems"] == ""


def test_the_page_links_questions_to_the_form_and_guides_relative_to_it() -> None:
    fragments = fragments_for(doc(availability_needs="sla"))
    assert '<a href="../decision-framework/#availability-needs">' in fragments["reasons"]
    change = fragments["change"]
    assert '“<a href="#q-availability_needs">How available must it be?</a>”' in change
    # The same part in the report names the question without a link.
    report = assess(doc(availability_needs="sla"))
    assert "“How available must it be?”" in part(report, HtmlWriter("../"), "", PARTS[5][2])
    assert fragments["reasons"].startswith("<h3>Why: the rules that fired</h3>")


def _rows(summary: str) -> dict[str, str]:
    rows = re.findall(r'<div data-key="([a-z]+)"><dt>([^<]*)</dt><dd>(.*?)</dd></div>', summary)
    assert (
        "".join(f'<div data-key="{k}"><dt>{t}</dt><dd>{v}</dd></div>' for k, t, v in rows)
        == summary
    ), "the summary is rows of term and value, nothing else"
    return {key: value for key, _, value in rows}


def test_summary_of_an_assessed_initiative() -> None:
    rows = _rows(fragments_for(doc(eu_annex_iii=["4a"], eu_role="deployer"))["summary"])
    assert list(rows) == ["verdict", "tier", "required", "next"]
    assert rows["verdict"] == "<strong>Production-grade engineering required</strong>"
    assert rows["tier"] == "High-risk AI system (Annex III)"
    assert rows["required"] == "5 of 5"
    assert rows["next"] == "All required questions are answered."


def test_an_empty_form_says_what_to_answer_first() -> None:
    rs = load_ruleset()
    required = [q for q in rs.questions if q.required]
    fragments = fragments_for({})
    assert set(fragments) == NAMES
    assert_page_safe(fragments)
    rows = _rows(fragments["summary"])
    assert rows["verdict"] == "None yet"
    assert rows["required"] == f"0 of {len(required)}"
    assert rows["next"] == f'<a href="#q-{required[0].id}">{required[0].text}</a>'
    verdict = fragments["verdict"]
    assert "No verdict yet" in verdict
    # Every required question is listed as still to answer, in the form's order.
    assert re.findall(r'href="#q-([a-z_]+)"', verdict) == [q.id for q in required]
    assert fragments["problems"] == ""
    for name, _, _ in PARTS:
        if name != "verdict":
            assert fragments[name] == "", name
    assert "0 of 5 required answered" in fragments["step:usage"]
    assert "prodready-progress--todo" in fragments["step:usage"]


def test_invalid_answers_are_problems_and_missing_ones_still_to_answer() -> None:
    answers = {"model_outputs": "sideways", "business_units": 0, "colour": "blue"}
    fragments = fragments_for(answers)
    problems = fragments["problems"]
    assert '<a href="#q-model_outputs">What are the model' in problems
    assert "&#x27;sideways&#x27;" in problems or "'sideways'" in problems
    assert '<a href="#q-business_units">' in problems
    assert "<code>colour</code>" in problems
    # The required questions not answered at all are to answer, not to fix.
    assert "#q-failure_impact" not in problems
    assert "#q-failure_impact" in fragments["verdict"]
    assert "#q-model_outputs" not in fragments["verdict"]
    assert "2 answers to fix" in fragments["step:usage"]
    assert "prodready-progress--fix" in fragments["step:usage"]
    rows = _rows(fragments["summary"])
    assert rows["required"] == "0 of 5"
    assert (
        rows["next"]
        == '<a href="#q-failure_impact">If the model is wrong or down for a day, what happens?</a>'
    )


def test_only_a_wrong_answer_left_makes_it_the_next_thing() -> None:
    rows = _rows(fragments_for({**BASE, "business_units": 0})["summary"])
    assert rows["required"] == "5 of 5"
    assert rows["next"].startswith('Fix <a href="#q-business_units">')


def test_steps_count_only_the_questions_that_apply() -> None:
    rs = load_ruleset()

    def count(document: dict[str, Any], section: str) -> int:
        text = text_of(fragments_for(document)[f"step:{section}"])
        match = re.fullmatch(r"(\d+) questions?, none required", text)
        assert match, text
        return int(match.group(1))

    in_eu = [q for q in rs.questions if q.section == "eu"]
    asked = [q for q in in_eu if q.id not in not_asked(BASE)]
    assert count(BASE, "eu") == len(asked) < len(in_eu)
    # An Annex III use brings the derogation and profiling questions with it.
    assert count(doc(eu_annex_iii=["4a"]), "eu") == len(asked) + 2


def test_an_answer_to_a_question_that_does_not_apply_is_named_not_assessed() -> None:
    answers = doc(feeds_operational=True)  # asked only when the outputs are for analysts only
    assert "feeds_operational" in not_asked(answers)
    fragments = fragments_for(answers)
    text = text_of(fragments["ignored"])
    assert text.startswith("Answers not assessed These questions do not apply")
    assert "“Do its outputs feed operational dashboards or automated reports?”" in text
    assert fragments_for(doc(analyst_only=True, feeds_operational=True))["ignored"] == ""


HOSTILE = '<img src=x onerror="alert(1)"> & [x](javascript:alert(1)) \'"'
_PLAIN_FIELDS = {
    "title", "reason", "text", "summary", "ends_when", "signal", "citation", "tier_title",
    "legal_basis", "disclaimer", "phase_title", "label", "source", "amended_source", "initiative",
}  # fmt: skip


def _hostile(value: Any) -> Any:
    """The report with every piece of wording replaced by markup (ids and links kept)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for f in dataclasses.fields(value):
            v = getattr(value, f.name)
            if f.name in _PLAIN_FIELDS and isinstance(v, str):
                changes[f.name] = HOSTILE
            elif f.name in ("labels", "actions") and isinstance(v, tuple):
                changes[f.name] = tuple(HOSTILE if isinstance(x, str) else _hostile(x) for x in v)
            else:
                changes[f.name] = _hostile(v)
        return dataclasses.replace(value, **changes)
    if isinstance(value, tuple):
        return tuple(_hostile(v) for v in value)
    return value


@pytest.mark.parametrize("name", ["credit-scoring", "time-boxed-experiment", "cv-screening"])
def test_no_wording_becomes_markup(name: str) -> None:
    document = json.loads((ROOT / "engine/prodready/examples" / f"{name}.json").read_text())
    report = _hostile(assess(document))
    fragments = report_fragments(report, document, not_asked(document), load_ruleset())
    assert_page_safe(fragments)
    assert not [name for name, html in fragments.items() if "<img" in html]
    # The text reads as it was written.
    assert HOSTILE in text_of(fragments["reasons"])
    assert HOSTILE in text_of(fragments["verdict"])
