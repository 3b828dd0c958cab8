"""The assessor's tracking panels, rendered at build time: hidden until the script binds them,
each opened by a button that controls it, every control labelled, an empty place for each thing
the engine returns, and every action the markup names handled by the panels' script."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from prodready.loader import load_ruleset
from prodready.publish import ruleset_document
from prodready_site.assessor_form import engine_start, render_form
from prodready_site.tracking_form import PANELS, SECTION_ID, panel_id, render_tracking
from support.html import Element, parse

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "docs" / "assets" / "js" / "assessor-tracking.mjs"

pytestmark = pytest.mark.site


@pytest.fixture(scope="module")
def elements() -> list[Element]:
    return parse("\n".join(render_tracking()))


def test_the_section_waits_for_the_script_and_its_panels_are_closed(
    elements: list[Element],
) -> None:
    section = next(e for e in elements if e.attrs.get("id") == SECTION_ID)
    assert "hidden" in section.attrs
    openers = [e for e in elements if "data-panel-open" in e.attrs]
    assert [e.attrs["data-panel-open"] for e in openers] == [p for p, _, _ in PANELS]
    ids = {e.attrs["id"]: e for e in elements if "id" in e.attrs}
    for opener in openers:
        panel = opener.attrs["data-panel-open"]
        assert opener.tag == "button"
        assert opener.attrs["aria-expanded"] == "false"
        assert opener.attrs["aria-controls"] == panel_id(panel)
        body = ids[panel_id(panel)]
        assert "hidden" in body.attrs
        assert body.attrs["role"] == "region"
        title = ids[body.attrs["aria-labelledby"]]
        assert (title.tag, title.attrs["tabindex"]) == ("h3", "-1")  # the focus goes there


def test_places_and_files(elements: list[Element]) -> None:
    places = [e for e in elements if "data-tracking-fragment" in e.attrs]
    assert [e.attrs["data-tracking-fragment"] for e in places] == [
        "portfolio",
        "history",
        "compare",
        "verify",
    ]
    for place in places:
        assert place.attrs["id"] == f"prodready-{place.attrs['data-tracking-fragment']}-result"
        assert "hidden" in place.attrs
    files = [e for e in elements if e.tag == "input" and e.attrs.get("type") == "file"]
    assert len(files) == 3
    for f in files:
        assert "hidden" in f.attrs
        assert f.attrs["aria-label"]
    for fieldset in (e for e in elements if e.tag == "fieldset"):
        assert fieldset.attrs.get("id")  # each a group with its legend (below)
    assert sum(e.tag == "legend" for e in elements) == sum(e.tag == "fieldset" for e in elements)


def test_it_leaves_the_questionnaires_hooks_alone(elements: list[Element]) -> None:
    """The page script binds the questionnaire by these attributes; the panels use none."""
    for e in elements:
        assert not {"data-fragment", "data-question", "data-section", "data-action"} & set(
            e.attrs
        ), e


def test_every_action_is_handled_by_the_script(elements: list[Element]) -> None:
    actions = {e.attrs["data-tracking"] for e in elements if "data-tracking" in e.attrs}
    script = SCRIPT.read_text(encoding="utf-8")
    handled = set(re.findall(r'^\s+"?([a-z-]+)"?: \(\) => this\.', script, re.M))
    submits = {
        e.attrs["data-tracking"] for e in elements if e.attrs.get("type") == "submit"
    }  # the form's submit event
    assert submits == {"save"}
    assert actions - submits == handled - {"remove-note", "remove-signoff"}
    # The rows the script adds have their own remove buttons.
    assert {"remove-note", "remove-signoff"} <= handled


def test_the_assessor_page_holds_the_section_after_the_results() -> None:
    rules = json.loads(json.dumps(ruleset_document(load_ruleset())))
    html = render_form(rules, engine_start())
    assert html.index('id="prodready-results"') < html.index(f'id="{SECTION_ID}"')
    assert html.rstrip().endswith("</section>\n</div>")
