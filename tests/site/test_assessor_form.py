"""The assessor's questionnaire, rendered at build time from the rules document, covers every
question and option, has unique ids, and labels every control."""

from __future__ import annotations

import json
from collections import Counter
from html import escape
from typing import Any

import pytest

from prodready.loader import load_ruleset
from prodready.publish import ruleset_document
from prodready_site.assessor_form import guide_href, render_form
from support.html import Element, parse

pytestmark = pytest.mark.site


@pytest.fixture(scope="module")
def rules_doc() -> dict[str, Any]:
    # As `prodready rules` prints it (JSON); the Markdown extension passes the same data.
    doc: dict[str, Any] = json.loads(json.dumps(ruleset_document(load_ruleset())))
    return doc


@pytest.fixture(scope="module")
def elements(rules_doc: dict[str, Any]) -> list[Element]:
    return parse(render_form(rules_doc))


def _by_id(elements: list[Element]) -> dict[str, Element]:
    return {e.attrs["id"]: e for e in elements if "id" in e.attrs}


def test_every_question_and_option_is_in_the_form(
    rules_doc: dict[str, Any], elements: list[Element]
) -> None:
    containers = {e.attrs["data-question"]: e for e in elements if "data-question" in e.attrs}
    assert list(containers) == [q["id"] for q in rules_doc["questions"]]
    inputs = [e for e in elements if e.tag == "input" and e.attrs.get("name")]
    for q in rules_doc["questions"]:
        box = containers[q["id"]]
        assert box.attrs["data-type"] == q["type"]
        assert json.loads(box.attrs["data-default"]) == q.get("default")
        assert box.attrs["data-required"] == ("true" if q["required"] else "false")
        mine = [e for e in inputs if e.attrs["name"] == q["id"]]
        kind = q["type"]
        if kind in ("choice", "multi"):
            want = "radio" if kind == "choice" else "checkbox"
            assert [e.attrs["type"] for e in mine] == [want] * len(q["options"])
            assert [e.attrs["value"] for e in mine] == [o["id"] for o in q["options"]]
            checked = [e.attrs["value"] for e in mine if "checked" in e.attrs]
            default = q.get("default")
            expected = default if isinstance(default, list) else ([default] if default else [])
            assert checked == expected, q["id"]
        elif kind == "bool":
            assert [(e.attrs["type"], e.attrs["value"]) for e in mine] == [
                ("radio", "true"),
                ("radio", "false"),
            ]
            checked = [e.attrs["value"] for e in mine if "checked" in e.attrs]
            assert checked == ([json.dumps(q["default"])] if "default" in q else [])
        else:
            (control,) = mine
            assert (
                control.attrs["type"] == {"integer": "number", "date": "date", "text": "text"}[kind]
            )
            if kind == "integer":
                assert control.attrs["min"] == str(q["minimum"])
                assert control.attrs["max"] == str(q["maximum"])
                assert control.attrs["value"] == str(q["default"])
            if kind == "text" and q.get("max_length"):
                assert control.attrs["maxlength"] == str(q["max_length"])


def test_option_labels_and_question_texts_appear(
    rules_doc: dict[str, Any], elements: list[Element]
) -> None:
    html = render_form(rules_doc)
    for q in rules_doc["questions"]:
        assert escape(q["text"], quote=False) in html
        for o in q["options"]:
            assert escape(o["label"], quote=False) in html
    for s in rules_doc["sections"]:
        assert escape(s["title"], quote=False) in html


def test_ids_are_unique_and_references_resolve(elements: list[Element]) -> None:
    ids = Counter(e.attrs["id"] for e in elements if "id" in e.attrs)
    assert [i for i, n in ids.items() if n > 1] == []
    for e in elements:
        for attr in ("aria-describedby", "aria-labelledby"):
            for ref in e.attrs.get(attr, "").split():
                assert ref in ids, f"{e.tag} {attr} names missing id {ref}"
        if e.tag == "label" and "for" in e.attrs:
            assert e.attrs["for"] in ids
        href = e.attrs.get("href", "") if e.tag == "a" else ""
        if href.startswith("#"):
            assert href[1:] in ids, href


def test_every_control_has_a_label(elements: list[Element]) -> None:
    labelled = {e.attrs["for"] for e in elements if e.tag == "label" and "for" in e.attrs}
    controls = [e for e in elements if e.tag in ("input", "select", "textarea", "button")]
    assert controls
    for c in controls:
        if c.tag == "button":
            continue  # named by its text
        assert c.attrs.get("id") in labelled or c.attrs.get("aria-label"), c.attrs


def test_groups_have_legends_and_required_markers(
    rules_doc: dict[str, Any], elements: list[Element]
) -> None:
    html = render_form(rules_doc)
    fieldsets = [e for e in elements if e.tag == "fieldset"]
    legends = [e for e in elements if e.tag == "legend"]
    assert (
        len(fieldsets)
        == len(legends)
        == sum(1 for q in rules_doc["questions"] if q["type"] in ("choice", "multi", "bool"))
    )
    required = [q for q in rules_doc["questions"] if q["required"]]
    assert len(required) == 5
    assert html.count('<span class="prodready-sr-only"> (required)</span>') == len(required)
    for q in required:
        box = _by_id(elements)[f"q-{q['id']}"]
        assert box.attrs.get("aria-required") == "true"


def test_help_text_is_referenced_and_guide_links_are_site_relative(
    rules_doc: dict[str, Any], elements: list[Element]
) -> None:
    ids = _by_id(elements)
    for q in rules_doc["questions"]:
        box = ids[f"q-{q['id']}"]
        described = (
            box.attrs.get("aria-describedby") or ids[f"q-{q['id']}-input"].attrs["aria-describedby"]
        )
        if q.get("help"):
            assert f"q-{q['id']}-help" in described.split()
        assert f"q-{q['id']}-error" in described.split()
    hrefs = [e.attrs["href"] for e in elements if e.tag == "a"]
    for q in rules_doc["questions"]:
        if q.get("guide"):
            assert guide_href(q["guide"]) in hrefs
    for href in hrefs:
        assert href.startswith(("#", "../")), href
        assert ".md" not in href, href


@pytest.mark.parametrize(
    ("guide", "href"),
    [
        ("triggers.md#scale-requirements", "../triggers/#scale-requirements"),
        ("misconceptions.md", "../misconceptions/"),
        ("index.md#x", "../#x"),
        ("reference/cli.md#verdicts", "../reference/cli/#verdicts"),
        ("reference/index.md", "../reference/"),
    ],
)
def test_guide_href(guide: str, href: str) -> None:
    assert guide_href(guide) == href


def test_root_and_results_region(rules_doc: dict[str, Any], elements: list[Element]) -> None:
    ids = _by_id(elements)
    root = elements[0]
    assert root.attrs["id"] == "prodready-assessor"
    assert root.attrs["data-engine-state"] == "loading"
    titles = json.loads(root.attrs["data-verdict-titles"])
    assert titles == {v["id"]: v["title"] for v in rules_doc["verdicts"]}
    assert ids["prodready-verdict"].attrs["data-verdict"] == ""
    assert ids["prodready-verdict"].attrs["aria-live"] == "polite"
    assert ids["prodready-status"].attrs["aria-live"] == "polite"
    for block in ("reasons", "actions", "roadmap", "gaps", "readiness", "eu", "change", "signals"):
        assert f"prodready-block-{block}" in ids
    # No script and no inline event handler: the site's CSP allows neither.
    assert not [e for e in elements if e.tag == "script"]
    assert not [e for e in elements if any(a.startswith("on") for a in e.attrs)]


def test_the_unserialised_document_renders_the_same(rules_doc: dict[str, Any]) -> None:
    assert render_form(ruleset_document(load_ruleset())) == render_form(rules_doc)


def test_unknown_question_type_is_refused(rules_doc: dict[str, Any]) -> None:
    doc = json.loads(json.dumps(rules_doc))
    doc["questions"][0]["type"] = "slider"
    with pytest.raises(ValueError, match="slider"):
        render_form(doc)
