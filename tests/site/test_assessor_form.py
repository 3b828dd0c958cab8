"""The assessor's page, rendered at build time from the rules document: it covers every question
and option, has unique ids and labels every control, starts from the engine's own answer for an
empty form (follow-ups hidden, the summary and the steps' progress filled in), shows Annex III as
its areas, and leaves every word of the report to the engine (the page script holds none)."""

from __future__ import annotations

import ast
import json
import re
from collections import Counter
from html import escape
from pathlib import Path
from typing import Any

import pytest

from prodready.evaluate import not_asked
from prodready.loader import load_ruleset
from prodready.publish import ruleset_document
from prodready.wording import PARTS
from prodready_site.assessor_form import engine_start, guide_href, render_form
from support.html import Element, parse

ROOT = Path(__file__).resolve().parents[2]
PAGE_SCRIPT = ROOT / "docs" / "assets" / "js" / "assessor.js"
TRACKING_SCRIPT = ROOT / "docs" / "assets" / "js" / "assessor-tracking.mjs"

pytestmark = pytest.mark.site


@pytest.fixture(scope="module")
def rules_doc() -> dict[str, Any]:
    # As `prodready rules` prints it (JSON); the Markdown extension passes the same data.
    doc: dict[str, Any] = json.loads(json.dumps(ruleset_document(load_ruleset())))
    return doc


@pytest.fixture(scope="module")
def start() -> dict[str, Any]:
    return engine_start()


@pytest.fixture(scope="module")
def elements(rules_doc: dict[str, Any], start: dict[str, Any]) -> list[Element]:
    return parse(render_form(rules_doc, start))


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
    # (The tracking panels' own fieldsets are tested with them: test_tracking_form.py.)
    fieldsets = [e for e in elements if e.tag == "fieldset" and "data-question" in e.attrs]
    legends = [
        e for e in elements if e.tag == "legend" and e.attrs.get("class") == "prodready-question"
    ]
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
    assert ids["prodready-verdict"].attrs["data-verdict"] == ""
    assert ids["prodready-status"].attrs["aria-live"] == "polite"
    # One element per fragment of the engine's, the report's parts in the report's order.
    places = [e.attrs["data-fragment"] for e in elements if "data-fragment" in e.attrs]
    sections = [s["id"] for s in rules_doc["sections"]]
    assert places == [
        "summary",
        *[f"step:{s}" for s in sections],
        "verdict",
        "problems",
        *[name for name, _, _ in PARTS if name != "verdict"],
    ]
    for name, _, _ in PARTS[1:]:
        assert ids[f"prodready-block-{name}"].attrs["data-fragment"] == name
        assert ids[f"prodready-block-{name}"].attrs["data-block"] == name  # as before
    # No script and no inline event handler: the site's CSP allows neither.
    assert not [e for e in elements if e.tag == "script"]
    assert not [e for e in elements if any(a.startswith("on") for a in e.attrs)]


def test_the_summary_carries_the_verdict_and_speaks_politely(elements: list[Element]) -> None:
    (summary,) = [e for e in elements if "data-summary" in e.attrs]
    assert summary.attrs["data-verdict"] == ""
    assert summary.attrs["aria-labelledby"] == "prodready-summary-title"
    (rows,) = [e for e in elements if e.attrs.get("data-fragment") == "summary"]
    assert rows.tag == "dl"
    assert rows.attrs["aria-live"] == "polite"
    # The report's own verdict is not a second live region (one announcement per change).
    assert "aria-live" not in _by_id(elements)["prodready-verdict"].attrs
    links = [e.attrs.get("href") for e in elements if e.tag == "a"]
    assert "#prodready-results" in links


def test_the_page_starts_from_the_engines_answer_for_an_empty_form(
    rules_doc: dict[str, Any], start: dict[str, Any]
) -> None:
    html = render_form(rules_doc, start)
    elements = parse(html)
    # The questions that do not apply to an empty form are there, hidden; the others are not.
    hidden = [
        e.attrs["data-question"]
        for e in elements
        if "hidden" in e.attrs and "data-question" in e.attrs
    ]
    assert hidden == list(not_asked({})) == start["hidden"]
    assert {"feeds_operational", "eu_derogation", "experiment_start"} <= set(hidden)
    asks = {q["id"] for q in rules_doc["questions"] if "ask_when" in q}
    assert set(hidden) <= asks
    # Every fragment is in its place as the engine wrote it.
    for name, fragment in start["fragments"].items():
        assert f'data-fragment="{name}"' in html
        if fragment:
            assert fragment in html, name
    assert "0 of 5" in start["fragments"]["summary"]
    # Without the engine's answer nothing is hidden (the form is whole).
    bare = parse(render_form(rules_doc))
    assert not [e for e in bare if "data-question" in e.attrs and "hidden" in e.attrs]


def test_steps_link_every_section_and_lead_from_one_to_the_next(
    rules_doc: dict[str, Any], elements: list[Element]
) -> None:
    sections = [s["id"] for s in rules_doc["sections"]]
    steps = [e for e in elements if "data-step" in e.attrs]
    assert [e.attrs["data-step"] for e in steps] == sections
    step_links = [
        e.attrs["href"]
        for e in elements
        if e.tag == "a"
        and e.attrs.get("href", "").startswith("#prodready-section-")
        and "data-go" not in e.attrs
    ]
    # Links point at each step's heading (an id link checkers know; the script shows its step).
    assert step_links == [f"#prodready-section-{s}-title" for s in sections]
    forms = [e for e in elements if e.tag == "form" and "data-section" in e.attrs]
    assert [f.attrs["data-section"] for f in forms] == sections
    nexts = [e.attrs["href"] for e in elements if e.attrs.get("data-go") in ("next", "results")]
    assert nexts == [f"#prodready-section-{s}-title" for s in sections[1:]] + ["#prodready-results"]
    previous = [e.attrs["href"] for e in elements if e.attrs.get("data-go") == "previous"]
    assert previous == [f"#prodready-section-{s}-title" for s in sections[:-1]]
    ids = _by_id(elements)
    for s in sections:  # the heading the focus moves to on a change of step
        assert ids[f"prodready-section-{s}-title"].attrs["tabindex"] == "-1"


def test_annex_iii_is_eight_areas_that_open_to_their_points(
    rules_doc: dict[str, Any], start: dict[str, Any]
) -> None:
    q = next(q for q in rules_doc["questions"] if q["id"] == "eu_annex_iii")
    html = render_form(rules_doc, start)
    box = html[
        html.index('id="q-eu_annex_iii"') : html.index(
            "</fieldset>", html.index('id="q-eu_annex_iii"')
        )
    ]
    areas = re.findall(
        r"<details class=\"prodready-group\">\n<summary>(.*?)</summary>(.*?)</details>", box, re.S
    )
    assert len(areas) == 8
    for (summary, inner), group in zip(areas, q["groups"], strict=True):
        assert summary.startswith(escape(group["title"], quote=False))
        assert re.findall(r'name="eu_annex_iii" value="([^"]+)"', inner) == list(group["options"])
    assert "<details" not in html.replace(box, "")  # only that question has groups


def test_the_unserialised_document_renders_the_same(
    rules_doc: dict[str, Any], start: dict[str, Any]
) -> None:
    assert render_form(ruleset_document(load_ruleset()), start) == render_form(rules_doc, start)


def test_unknown_question_type_is_refused(rules_doc: dict[str, Any]) -> None:
    doc = json.loads(json.dumps(rules_doc))
    doc["questions"][0]["type"] = "slider"
    with pytest.raises(ValueError, match="slider"):
        render_form(doc)


# --- the page script: no report wording, no guide links --------------------------------------


def _phrases(module: str) -> set[str]:
    """The words the engine writes into the page: every string constant of several words in the
    wording and fragment modules (f-strings' constant parts included)."""
    path = ROOT / "engine" / "prodready" / f"{module}.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    found = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
        ):
            for piece in re.split(r"[<>{}]", node.value):
                words = re.findall(r"[A-Za-z]{2,}", piece)
                lead = len(words) == 1 and piece.strip()[:1].isupper() and len(words[0]) >= 7
                if len(words) >= 2 or lead:
                    found.add(" ".join(piece.split()).strip(" :,.(“”"))
    # (", for the {roles}" gives "for the": too common to be told apart from other code.)
    return {p for p in found if len(p) >= 7 and p != "for the"}


def _script_code(path: Path = PAGE_SCRIPT) -> str:
    """A page script without its comments, on one line."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"(?m)^\s*//.*$", " ", text)
    return " ".join(text.split())


def test_the_page_script_holds_no_report_wording() -> None:
    script = _script_code()
    phrases = _phrases("wording") | _phrases("fragments")
    assert {"Why: the rules that fired", "No verdict yet", "Ticking", "Unticking"} <= phrases
    assert len(phrases) > 30, sorted(phrases)
    found = sorted(p for p in phrases if p in script)
    assert not found, f"assessor.js writes the report's words itself: {found}"
    # Nor does it know where the guide's pages are: the engine resolves every guide link (the
    # script only tells it, for a downloaded report, the site's address).
    assert ".md" not in script
    assert set(re.findall(r"\w*guide\w*", script, flags=re.I)) <= {"guide_base", "guideBase"}


def test_the_tracking_script_holds_no_wording_of_the_engines_documents() -> None:
    """The portfolio table, the diffs, the records and the outcome of a check are written by
    the engine; the tracking panels' script (like the page's) only places them."""
    script = _script_code(TRACKING_SCRIPT)
    modules = ("render_portfolio", "render_diff", "render_record", "record", "wording")
    # Their Markdown's marks set aside: "## Answers that changed" is "Answers that changed".
    marks = r"\*\*|\||`|#+ |\\n"
    pieces = {p.strip(" :,.(“”") for m in modules for x in _phrases(m) for p in re.split(marks, x)}
    # ("rule set {version} was changed" gives "was changed", as in the page's own "Nothing was
    # changed.": too common to be told apart.)
    phrases = {p for p in pieces if len(p) >= 7 and len(p.split()) >= 2} - {"was changed"}
    assert {
        "Answers that changed",
        "Not verified",
        "No initiatives in this portfolio yet",
    } <= phrases
    found = sorted(p for p in phrases if p in script)
    assert not found, f"assessor-tracking.mjs writes the engine's words itself: {found}"
    # Nor does it know where the guide's pages are (it tells the engine the site's address).
    assert set(re.findall(r"\w*guide\w*", script, flags=re.I)) <= {"guide_base", "guideBase"}


def test_one_guide_url_mapping() -> None:
    """``page.md#anchor`` becomes a URL in one function (prodready.writers.guide_url): neither
    the page script, nor the form, nor another engine module maps guide links themselves."""
    sources = [*sorted((ROOT / "engine").rglob("*.py")), PAGE_SCRIPT]
    mapping = re.compile(r"""removesuffix\(["']\.md["']\)|\\\.md\$""")
    writers = [p.relative_to(ROOT).as_posix() for p in sources if mapping.search(p.read_text())]
    assert writers == ["engine/prodready/writers.py"]
