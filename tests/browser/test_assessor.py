"""The assessor page in a real browser: the built site on a local server, the real worker and
self-hosted Pyodide, the real engine. The page's verdict is compared with the CLI's, and what the
page shows with the fragments the engine writes for the same answers in CPython.

The runtime (docs/assets/runtime/, built by scripts/build-runtime) must exist; when the session's
site was built without it, the fixture builds it and copies it into the built site, which is what
MkDocs would have done.

The tests share one browser profile, as a reader coming back to the page does (`returning_reader`,
tests/support/fixtures.py): Python starts from the memory snapshot the first test left in the
browser, while saved answers are cleared before each test. Tests about the first visit have a
profile of their own (`first_visit`).
"""

from __future__ import annotations

import json
import subprocess
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from prodready.protocol import handle
from prodready_tools.bench import SNAPSHOT_STORED_JS
from prodready_tools.server import Response, SiteServer, make_server
from prodready_tools.site import venv_tool
from support.a11y import SCHEMES, set_palette
from support.assessor import (
    EXAMPLES,
    READY_MS,
    ROOT,
    ROOT_SEL,
    SUMMARY_SEL,
    VERDICT_SEL,
    act,
    axe,
    axe_in_both_palettes,
    clean,
    form_state,
    load_file,
    open_assessor,
    requested,
    settle,
    show_step,
    tab_to,
)
from support.browser import PageLog

pytestmark = pytest.mark.returning_reader

RUNTIME = ROOT / "docs" / "assets" / "runtime"
FAIL_WITHIN_S = 15.0
REQUIRED = {
    "model_outputs",
    "failure_impact",
    "user_exposure",
    "accuracy_requirements",
    "availability_needs",
}
EXPERIMENTAL = {
    "model_outputs": "research",
    "failure_impact": "learning",
    "user_exposure": "data_science_team",
    "accuracy_requirements": "directional",
    "availability_needs": "downtime_ok",
}

# ---------------------------------------------------------------------------------------------
# Fixtures and helpers


@pytest.fixture(scope="module")
def cli_verdicts() -> dict[str, str]:
    """Each example's verdict according to the CLI."""
    return {path.stem: cli_verdict(path) for path in EXAMPLES}


def cli_verdict(path: Path) -> str:
    proc = subprocess.run(
        [str(venv_tool("prodready")), "assess", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    verdict: str = json.loads(proc.stdout)["verdict"]["id"]
    return verdict


def open_example(page: Page, site: str, name: str) -> tuple[Path, str, list[list[Any]]]:
    """Opens the assessor, loads examples/NAME.json; returns the file, verdict and form state."""
    open_assessor(page, site)
    example = ROOT / "engine" / "prodready" / "examples" / f"{name}.json"
    verdict = load_file(page, example)
    return example, verdict, form_state(page)


def answer_experimental(page: Page) -> str:
    show_step(page, "usage")

    def answer() -> None:
        for question, value in EXPERIMENTAL.items():
            page.check(f"input[name={question}][value={value}]")

    return act(page, answer)


def engine_response(answers: dict[str, Any]) -> dict[str, Any]:
    """What the engine answers in CPython for `answers`, as the page asks (fragments for the
    page, guide links relative to it)."""
    request = {"v": 1, "id": 1, "op": "assess", "answers": answers, "fragments": True}
    response: dict[str, Any] = json.loads(handle(json.dumps(request)))
    return response


# The page's fragments: each element's HTML, and that of the engine's fragment once the browser
# has parsed it (so both are serialised by the same parser), and whether the element is hidden.
PLACED_JS = """(fragments) => Object.entries(fragments).map(([name, html]) => {
    const node = document.querySelector(`#prodready-assessor [data-fragment="${name}"]`);
    const parsed = document.createElement("template");
    parsed.innerHTML = html;
    return [name, node ? node.innerHTML : null, parsed.innerHTML, node ? node.hidden : null];
})"""


def assert_page_shows(page: Page, fragments: dict[str, str], label: str) -> None:
    placed = page.evaluate(PLACED_JS, fragments)
    assert len(placed) == len(fragments)
    for name, shown, expected, hidden in placed:
        assert shown == expected, f"{label}: fragment {name} differs from the engine's"
        assert hidden == (expected == ""), f"{label}: fragment {name} hidden={hidden}"


def in_viewport(page: Page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    viewport = page.viewport_size
    assert box is not None
    assert viewport is not None
    return box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"] and box["height"] > 0


def assessor_workers(page: Page) -> int:
    paths = (urllib.parse.urlsplit(worker.url).path for worker in page.workers)
    return sum(1 for path in paths if path.endswith("/assessor-worker.mjs"))


# ---------------------------------------------------------------------------------------------
# Answering and the verdict


def test_answering_gives_a_verdict_and_it_follows_every_change(
    page: Page, page_log: PageLog, site: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ready_s = open_assessor(page, site)
    ready_ms = page.get_attribute(ROOT_SEL, "data-engine-ready-ms")
    assert page.get_attribute(VERDICT_SEL, "data-verdict") == ""
    assert page.get_attribute(SUMMARY_SEL, "data-verdict") == ""
    status = page.inner_text("#prodready-status")
    assert "ready" in status
    # The required questions are listed as still to answer, not as errors.
    todo = page.locator(f"{VERDICT_SEL} li a")
    assert todo.count() == len(REQUIRED)
    assert {(todo.nth(i).get_attribute("href") or "")[3:] for i in range(5)} == REQUIRED
    assert page.locator("#prodready-problems").is_hidden()
    assert "0 of 5" in page.inner_text(SUMMARY_SEL)

    verdict = answer_experimental(page)
    expected = tmp_path / "experimental.json"
    expected.write_text(json.dumps(EXPERIMENTAL), encoding="utf-8")
    assert verdict == cli_verdict(expected) == "experimentation_acceptable"
    assert page.get_attribute(SUMMARY_SEL, "data-verdict") == verdict
    assert page.locator(f"{VERDICT_SEL} li").count() == 0
    assert page.locator("#prodready-block-readiness").is_visible()
    assert "5 of 5" in page.inner_text(SUMMARY_SEL)
    assert "5 of 5 required answered" in page.inner_text(".prodready-steps [data-step=usage]")

    # One production-side answer changes the verdict; time it from the click.
    started = time.perf_counter()
    verdict = act(page, lambda: page.check("input[name=model_outputs][value=operational]"))
    change_s = time.perf_counter() - started
    assert verdict == "production_required"
    latency = page.get_attribute(ROOT_SEL, "data-last-latency-ms")

    # The report parts are there, with guide links relative to the site.
    assert page.get_attribute(SUMMARY_SEL, "data-verdict") == verdict
    for block in ("reasons", "actions", "roadmap", "readiness", "eu", "change"):
        assert page.locator(f"#prodready-block-{block}").is_visible(), block
    reasons = page.locator("#prodready-block-reasons a")
    assert reasons.count() >= 2
    href = reasons.first.get_attribute("href") or ""
    assert href.startswith("../"), href
    assert "#" in href, href
    assert page.locator("#prodready-block-readiness svg.prodready-chart").count() == 1
    assert page.locator("#prodready-block-eu [data-eu-tier]").count() == 1
    assert "Operational decisions" in page.inner_text("#prodready-block-reasons")

    # Un-answering a required question withdraws the verdict.
    verdict = act(
        page,
        lambda: page.evaluate(
            """() => { for (const i of document.querySelectorAll("input[name=model_outputs]")) {
                i.checked = false; }
            document.querySelector("input[name=model_outputs]")
                .dispatchEvent(new Event("change", { bubbles: true })); }"""
        ),
    )
    assert verdict == ""
    assert page.get_attribute(SUMMARY_SEL, "data-verdict") == ""
    assert page.locator(f"{VERDICT_SEL} li a[href$='#q-model_outputs']").count() == 1
    assert page.locator(f"{VERDICT_SEL} li").count() == 1

    clean(page_log, site)
    with capsys.disabled():
        print(
            f"\n  assessor: navigation -> ready {ready_s:.2f}s (page clock {ready_ms} ms); "
            f"answer -> new verdict {change_s * 1000:.0f} ms (page clock {latency} ms)"
        )


def test_engine_problems_are_shown_next_to_the_field(
    page: Page, page_log: PageLog, site: str
) -> None:
    open_assessor(page, site)
    answer_experimental(page)
    verdict = act(page, lambda: page.fill("#q-business_units-input", "0"))
    assert verdict == ""
    error = page.locator("#q-business_units-error")
    assert error.is_visible()
    assert "out of range" in error.inner_text()
    assert page.get_attribute("#q-business_units-input", "aria-invalid") == "true"
    # The engine's list of problems links to the answer, and the step says it needs fixing.
    problems = page.locator("#prodready-problems")
    assert "out of range" in problems.inner_text()
    assert "1 answer to fix" in page.inner_text(".prodready-steps [data-step=usage]")
    show_step(page, "team")
    page.click("#prodready-problems a[href$='#q-business_units']")
    page.wait_for_selector("#prodready-section-usage:not([hidden])")
    assert page.evaluate("document.activeElement.id") == "q-business_units-input"
    verdict = act(page, lambda: page.fill("#q-business_units-input", "3"))
    assert verdict == "production_required"
    assert error.is_hidden()
    clean(page_log, site)


def test_every_example_gives_the_cli_verdict_and_the_engines_fragments(
    page: Page, page_log: PageLog, site: str, cli_verdicts: dict[str, str]
) -> None:
    open_assessor(page, site)
    seen: dict[str, str] = {}
    for path in EXAMPLES:
        verdict = load_file(page, path)
        seen[path.stem] = verdict
        doc = json.loads(path.read_text(encoding="utf-8"))
        if "name" in doc:
            assert page.input_value("#q-name-input") == doc["name"]
        # Every part of the result is the engine's fragment for these answers, as CPython
        # writes it, and the questions that do not apply are hidden.
        response = engine_response(doc)
        assert_page_shows(page, response["fragments"], path.stem)
        hidden = page.evaluate(
            "[...document.querySelectorAll('[data-question]')].filter((q) => q.hidden)"
            ".map((q) => q.dataset.question)"
        )
        assert hidden == response["hidden"], path.stem
        assert page.get_attribute(SUMMARY_SEL, "data-verdict") == verdict
        if cli_verdicts[path.stem] == "exception_applies":
            ends = page.locator(f"{VERDICT_SEL} .prodready-ends")
            assert ends.is_visible(), path.stem
            assert ends.inner_text(), path.stem
    assert seen == cli_verdicts
    assert len(set(seen.values())) == 4  # the examples cover every verdict
    clean(page_log, site)


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)], ids=["wide", "narrow"])
def test_the_summary_stays_in_view_while_answering_the_eu_section(
    page: Page, page_log: PageLog, site: str, width: int, height: int
) -> None:
    page.set_viewport_size({"width": width, "height": height})
    open_assessor(page, site)
    answer_experimental(page)
    show_step(page, "eu")
    header = page.locator(".md-header").bounding_box()
    assert header is not None

    def summary_in_view() -> None:
        box = page.locator(SUMMARY_SEL).bounding_box()
        assert box is not None
        assert in_viewport(page, SUMMARY_SEL), box
        assert box["y"] >= header["y"] + header["height"] - 1, box  # not under the header
        if width < 600:  # the compact bar leaves the screen to the questions
            assert box["height"] < height / 5, box

    question = page.locator("#q-eu_annex_iii")
    question.scroll_into_view_if_needed()
    page.click("#q-eu_annex_iii summary:has-text('Employment')")
    summary_in_view()
    verdict = act(page, lambda: page.check("input[name=eu_annex_iii][value='4a']"))
    assert verdict == "production_required"
    summary_in_view()
    # The summary shows the same verdict as the report, and says so to screen readers politely.
    assert page.get_attribute(SUMMARY_SEL, "data-verdict") == verdict
    assert "Production-grade engineering required" in page.inner_text(SUMMARY_SEL)
    assert page.get_attribute(f"{SUMMARY_SEL} [data-fragment=summary]", "aria-live") == "polite"
    # Its live region changes only where the result does: not at all while the reader types a
    # name, and one row (the verdict's) when the verdict changes.
    page.evaluate(
        """() => { window.summaryChanges = [];
          new MutationObserver((records) => { for (const r of records) window.summaryChanges
            .push([...r.addedNodes].map((n) => n.dataset && n.dataset.key).join(",")); })
            .observe(document.querySelector("[data-summary] [data-fragment=summary]"),
              { childList: true, subtree: true, characterData: true, attributes: true }); }"""
    )
    show_step(page, "initiative")
    act(page, lambda: page.fill("#q-name-input", "Summary"))
    assert page.evaluate("window.summaryChanges") == []
    show_step(page, "usage")
    act(page, lambda: page.check("input[name=model_outputs][value=operational]"))
    assert page.evaluate("window.summaryChanges") == []  # still production-grade
    show_step(page, "eu")
    act(page, lambda: page.check("input[name=eu_practices][value=social_scoring]"))
    assert page.evaluate("window.summaryChanges") == ["verdict", "tier"]
    # Further down the step, still in view; and it links to the full report.
    page.locator("#q-personal_data").scroll_into_view_if_needed()
    summary_in_view()
    page.evaluate("window.assessorRoot = document.getElementById('prodready-assessor')")
    page.click(f"{SUMMARY_SEL} a[href$='#prodready-results']")
    page.wait_for_function("() => document.activeElement.id === 'prodready-results'")
    page.wait_for_function(  # the heading in view, below the page's header
        """() => { const box = document.querySelector("#prodready-results h2")
            .getBoundingClientRect();
          const header = document.querySelector(".md-header").getBoundingClientRect();
          return box.top >= header.bottom - 1 && box.bottom <= window.innerHeight; }"""
    )
    # The same page (not loaded again), still at the same step.
    assert page.evaluate("window.assessorRoot === document.getElementById('prodready-assessor')")
    assert page.locator("#prodready-section-eu").is_visible()
    if width < 600:
        problems = axe(page, "narrow screen")
        assert not problems, "\n".join(problems)
    clean(page_log, site)


def test_a_follow_up_is_asked_only_once_its_trigger_is_answered(
    page: Page, page_log: PageLog, site: str, tmp_path: Path
) -> None:
    open_assessor(page, site)
    # Hidden from the start (the page is built with the engine's answer for an empty form).
    for follow_up in ("feeds_operational", "experiment_start", "eu_derogation", "emotion_purpose"):
        assert page.locator(f"#q-{follow_up}").is_hidden(), follow_up
    answer_experimental(page)
    follow_up = page.locator("#q-feeds_operational")
    assert follow_up.is_hidden()
    act(page, lambda: page.check("input[name=analyst_only][value=true]"))
    assert follow_up.is_visible()
    act(page, lambda: page.check("input[name=feeds_operational][value=true]"))
    ignored = page.locator("#prodready-block-ignored")
    assert ignored.is_hidden()
    # Its trigger answered the other way: the follow-up goes, its answer is kept but not assessed.
    verdict = act(page, lambda: page.check("input[name=analyst_only][value=false]"))
    assert follow_up.is_hidden()
    assert page.is_checked("input[name=feeds_operational][value=true]")
    assert ignored.is_visible()
    assert "Do its outputs feed operational dashboards" in ignored.inner_text()
    path = tmp_path / "ignored.json"
    path.write_text(json.dumps({**EXPERIMENTAL, "feeds_operational": True}), encoding="utf-8")
    proc = subprocess.run(
        [str(venv_tool("prodready")), "assess", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(proc.stdout)
    assert [i["question"] for i in report["ignored"]] == ["feeds_operational"]
    assert verdict == report["verdict"]["id"] == "experimentation_acceptable"
    # Time-boxed work: its dates are asked once it is said to be time-boxed.
    assert page.locator("#q-experiment_end").is_hidden()
    act(page, lambda: page.check("input[name=time_boxed][value=true]"))
    assert page.locator("#q-experiment_end").is_visible()
    # Annex III: eight areas, closed, each opening to its points; the derogation follows a point.
    show_step(page, "eu")
    areas = page.locator("#q-eu_annex_iii details")
    assert areas.count() == 8
    assert page.locator("#q-eu_annex_iii details[open]").count() == 0
    assert page.locator("input[name=eu_annex_iii][value='5b']").is_hidden()
    page.click("#q-eu_annex_iii summary:has-text('Essential')")
    assert page.locator("input[name=eu_annex_iii][value='5b']").is_visible()
    assert page.locator("#q-eu_derogation").is_hidden()
    act(page, lambda: page.check("input[name=eu_annex_iii][value='5b']"))
    assert page.locator("#q-eu_derogation").is_visible()
    assert "prodready-progress--open" in (
        page.inner_html(".prodready-steps [data-step=eu] [data-fragment]")
    )
    clean(page_log, site)


def test_an_address_into_a_step_opens_that_step(page: Page, page_log: PageLog, site: str) -> None:
    open_assessor(page, site, "#q-eu_annex_iii")
    assert page.locator("#prodready-section-eu").is_visible()
    assert page.locator("#prodready-section-initiative").is_hidden()
    assert page.locator("[data-step=eu] a[aria-current=step]").count() == 1
    clean(page_log, site)


# ---------------------------------------------------------------------------------------------
# Keeping and sharing


def test_share_link_round_trip(
    browser: Browser, page: Page, page_log: PageLog, site: str, cli_verdicts: dict[str, str]
) -> None:
    example, verdict, state = open_example(page, site, "time-boxed-experiment")
    assert verdict == cli_verdicts[example.stem]
    page.click("button[data-action=copy-link]")
    link = page.input_value("#prodready-share-url")
    assert "#a=1." in link, link
    assert "?" not in link, link
    assert page.url == link
    clean(page_log, site)

    # A fresh browser context (no saved answers) opening the link sees the same answers.
    other = browser.new_context()
    try:
        fresh = other.new_page()
        log = PageLog().attach(fresh)
        fresh.goto(link)
        fresh.wait_for_selector(f"{ROOT_SEL}[data-engine-state=ready]", timeout=READY_MS)
        fresh.wait_for_function(
            "() => document.querySelector('#prodready-verdict').dataset.verdict !== ''"
        )
        assert fresh.get_attribute(VERDICT_SEL, "data-verdict") == verdict
        assert form_state(fresh) == state
        # Editing after opening a link drops the now outdated fragment.
        act(fresh, lambda: fresh.fill("#q-name-input", "Edited"))
        assert "#a=" not in fresh.url
        clean(log, site)
    finally:
        other.close()


BAD_SHARE_LINKS = [
    ("#a=1.%%%not-base64", "damaged"),
    ("#a=1.bm90IGpzb24", "not JSON"),  # "not json"
    ("#a=9.e30", "different version"),
    # {"model_outputs": "sideways"}: an option the form does not have
    ("#a=1.eyJtb2RlbF9vdXRwdXRzIjoic2lkZXdheXMifQ", "cannot take"),
]


def test_bad_share_links_keep_the_saved_answers(
    page: Page, page_log: PageLog, site: str, subtests: pytest.Subtests
) -> None:
    # One reader opens each bad link in turn, from another page of the guide: the answers saved
    # before the first are still there after each (so each link starts from the same answers).
    open_assessor(page, site)
    answer_experimental(page)
    state = form_state(page)
    for fragment, message in BAD_SHARE_LINKS:
        with subtests.test(link=fragment):
            page.goto(site + "faq/")
            open_assessor(page, site, fragment)
            page.wait_for_selector("#prodready-message:not([hidden])")
            assert message in page.inner_text("#prodready-message")
            assert form_state(page) == state
            page.wait_for_function(
                "() => document.querySelector('#prodready-verdict').dataset.verdict !== ''"
            )
            assert page.get_attribute(VERDICT_SEL, "data-verdict") == "experimentation_acceptable"
            if message == "cannot take":
                # The engine's own problem is shown next to the field the link got wrong, which
                # the list of problems links to (in its step).
                page.wait_for_function(
                    "() => document.querySelector('#q-model_outputs-error')"
                    ".textContent.includes('sideways')"
                )
                page.click("#prodready-load-problems a[href$='#q-model_outputs']")
                assert page.locator("#q-model_outputs-error").is_visible()
    assert not page_log.page_errors


def test_reload_keeps_the_answers(page: Page, page_log: PageLog, site: str) -> None:
    open_assessor(page, site)
    answer_experimental(page)
    show_step(page, "initiative")
    act(page, lambda: page.fill("#q-name-input", "Reload test ✓"))
    show_step(page, "capabilities")
    act(page, lambda: page.check("input[name=capabilities][value=monitoring]"))
    state = form_state(page)
    saved = json.loads(page.evaluate("localStorage.getItem('prodready.answers.v1')"))
    assert saved["format"] == "prodready.answers/1"
    assert saved["name"] == "Reload test ✓"
    assert saved["capabilities"] == ["monitoring"]
    assert "stakeholder_reliance" not in saved  # defaults are left out
    page.wait_for_function(SNAPSHOT_STORED_JS)  # the worker stores it after it is ready
    page.reload()
    page.wait_for_selector(f"{ROOT_SEL}[data-engine-state=ready]", timeout=READY_MS)
    page.wait_for_function(
        "() => document.querySelector('#prodready-verdict').dataset.verdict !== ''"
    )
    # Python started from the memory snapshot the first visit left in Cache Storage.
    assert page.get_attribute(ROOT_SEL, "data-engine-snapshot") == "restored"
    assert form_state(page) == state
    assert page.get_attribute(VERDICT_SEL, "data-verdict") == "experimentation_acceptable"
    clean(page_log, site)


def test_corrupt_saved_state_is_reported_not_fatal(
    page: Page, page_log: PageLog, site: str
) -> None:
    page.goto(site + "faq/")
    page.evaluate("localStorage.setItem('prodready.answers.v1', '{broken')")
    open_assessor(page, site)
    page.wait_for_selector("#prodready-message:not([hidden])")
    assert "saved in this browser could not be read" in page.inner_text("#prodready-message")
    assert answer_experimental(page) == "experimentation_acceptable"
    assert not page_log.page_errors


def test_download_answers_cli_and_load_round_trip(
    page: Page, page_log: PageLog, site: str, tmp_path: Path, cli_verdicts: dict[str, str]
) -> None:
    example, verdict, state = open_example(page, site, "cv-screening")
    with page.expect_download() as info:
        page.click("button[data-action=download-answers]")
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    assert saved.suffix == ".json"
    doc = json.loads(saved.read_text(encoding="utf-8"))
    assert doc["format"] == "prodready.answers/1"
    assert doc == json.loads(example.read_text(encoding="utf-8"))
    # The CLI reads the downloaded file and agrees with the page.
    assert cli_verdict(saved) == verdict == cli_verdicts[example.stem]

    # Reset asks first: dismissing keeps everything.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("button[data-action=reset]")
    assert form_state(page) == state
    page.once("dialog", lambda dialog: dialog.accept())
    assert act(page, lambda: page.click("button[data-action=reset]")) == ""
    assert page.input_value("#q-name-input") == ""
    assert page.evaluate("localStorage.getItem('prodready.answers.v1')") != json.dumps(doc)

    assert load_file(page, saved) == verdict
    assert form_state(page) == state
    clean(page_log, site)


INVALID_FILES = [
    (b"this is not json", "not JSON"),
    (b"[1, 2]", "not a set of answers"),
    (b'{"format": "prodready.answers/9"}', "uses the format"),
    (b'{"model_outputs": "sideways", "colour": "blue"}', "cannot take"),
]


def test_invalid_files_change_nothing(
    page: Page, page_log: PageLog, site: str, tmp_path: Path
) -> None:
    """Each invalid file in turn, on one page: its message, and the form as it was."""
    open_assessor(page, site)
    answer_experimental(page)
    state = form_state(page)
    bad = tmp_path / "answers.json"
    for content, message in INVALID_FILES:
        bad.write_bytes(content)
        page.set_input_files("#prodready-load-file", str(bad))
        page.wait_for_function(
            """(text) => {
                const box = document.querySelector("#prodready-message");
                return !box.hidden && box.innerText.includes(text);
            }""",
            arg=message,
        )
        assert form_state(page) == state, message
        assert page.get_attribute(VERDICT_SEL, "data-verdict") == "experimentation_acceptable"
    # The last file's answers are named where they would go, and in the list of problems.
    page.wait_for_function(
        "() => document.querySelector('#q-model_outputs-error').textContent.includes('sideways')"
    )
    summary = page.inner_text("#prodready-load-problems")
    assert "colour" in summary
    assert "not loaded" in summary
    # The reader's next edit clears the notes about the rejected file.
    show_step(page, "initiative")
    act(page, lambda: page.fill("#q-name-input", "x"))
    assert page.locator("#q-model_outputs-error").is_hidden()
    assert not page_log.page_errors


def test_download_report_markdown_and_html(
    page: Page, page_log: PageLog, site: str, tmp_path: Path
) -> None:
    open_assessor(page, site)
    load_file(page, ROOT / "engine" / "prodready" / "examples" / "cv-screening.json")
    title = page.inner_text(f"{VERDICT_SEL} .prodready-verdict-title")
    assert title.startswith("Verdict: ")
    texts = {}
    for fmt in ("md", "html"):
        with page.expect_download() as info:
            page.click(f"button[data-action=download-{fmt}]")
        path = tmp_path / info.value.suggested_filename
        info.value.save_as(path)
        assert path.suffix == f".{fmt}"
        texts[fmt] = path.read_text(encoding="utf-8")
        assert title in texts[fmt]
        assert "CV screening assistant" in texts[fmt]
    assert texts["md"].startswith("# ProdReady assessment")
    assert "<html" in texts["html"]
    assert "<svg" in texts["html"]
    # Guide links in the reports point at this site.
    assert site in texts["md"]
    clean(page_log, site)


def test_print_shows_the_report_then_every_section(
    page: Page, page_log: PageLog, site: str
) -> None:
    open_assessor(page, site)
    answer_experimental(page)
    assert page.locator("#prodready-section-eu").is_hidden()
    page.emulate_media(media="print")
    assert page.locator("#prodready-results").is_visible()
    assert page.locator(VERDICT_SEL).is_visible()
    # Every step's answers are printed, after the report, without the questions that do not
    # apply and without the controls.
    for section in ("initiative", "usage", "eu", "capabilities", "team"):
        assert page.locator(f"#prodready-section-{section}").is_visible(), section
    report_y = page.locator("#prodready-results").bounding_box()
    form_y = page.locator("#prodready-section-initiative").bounding_box()
    assert report_y is not None
    assert form_y is not None
    assert report_y["y"] < form_y["y"]
    assert page.locator("#q-feeds_operational").is_hidden()
    for hidden in (
        ".prodready-toolbar",
        "#prodready-status",
        "#how-it-works",
        ".prodready-steps",
        SUMMARY_SEL,
        ".prodready-section__nav",
    ):
        assert page.locator(hidden).first.is_hidden(), hidden
    page.emulate_media(media="screen")
    assert page.locator("#prodready-section-eu").is_hidden()
    clean(page_log, site)


def test_instant_navigation_reuses_the_worker(
    page: Page, page_log: PageLog, site: str, site_host: SiteServer
) -> None:
    def worker_fetches() -> int:
        return sum(1 for p in site_host.log.paths() if p.endswith("/assessor-worker.mjs"))

    before = worker_fetches()
    open_assessor(page, site)
    answer_experimental(page)
    for _ in range(2):
        page.click(".md-tabs a[href$='faq/']")
        page.wait_for_url("**/faq/")
        page.click(".md-tabs a[href$='assessor/']")
        page.wait_for_url("**/assessor/")
        # Bound again, engine already running, answers restored and assessed.
        page.wait_for_selector(f"{ROOT_SEL}[data-bound=true][data-engine-state=ready]")
        page.wait_for_function(
            "() => document.querySelector('#prodready-verdict').dataset.verdict !== ''"
        )
        assert page.get_attribute(VERDICT_SEL, "data-verdict") == "experimentation_acceptable"
    assert worker_fetches() - before == 1
    clean(page_log, site)


def _fetches(site_host: SiteServer, suffix: str) -> int:
    return sum(1 for p in site_host.log.paths() if p.endswith(suffix))


def test_engine_starts_when_the_assessor_is_reached_by_instant_navigation(
    page: Page, page_log: PageLog, site: str, site_host: SiteServer
) -> None:
    # The page script starts the engine, exactly once, after an instant navigation too.
    page.goto(site)
    page.wait_for_load_state("load")
    before = _fetches(site_host, "/assessor-worker.mjs")
    assert assessor_workers(page) == 0
    page.click(".md-tabs a[href$='assessor/']")
    page.wait_for_url("**/assessor/")
    page.wait_for_selector(f"{ROOT_SEL}[data-engine-state=ready]", timeout=READY_MS)
    assert answer_experimental(page) == "experimentation_acceptable"
    assert _fetches(site_host, "/assessor-worker.mjs") - before == 1
    assert assessor_workers(page) == 1
    clean(page_log, site)


@pytest.mark.first_visit
def test_direct_load_starts_one_engine_that_downloads_the_runtime_once(
    page: Page, page_log: PageLog, site: str, site_host: SiteServer
) -> None:
    record = json.loads((RUNTIME / "engine-files.json").read_text(encoding="utf-8"))
    paths = ("/assessor-worker.mjs", "/pyodide.asm.wasm", f"/{record['stdlib']['file']}")
    before = {path: _fetches(site_host, path) for path in paths}
    open_assessor(page, site)
    assert assessor_workers(page) == 1
    for path in paths:
        assert _fetches(site_host, path) - before[path] == 1, path
    assert answer_experimental(page) == "experimentation_acceptable"
    clean(page_log, site)


# ---------------------------------------------------------------------------------------------
# Keyboard and accessibility


def _focused(page: Page, predicate: str) -> bool:
    result: bool = page.evaluate(
        f"(() => {{ const e = document.activeElement; return !!({predicate}); }})()"
    )
    return result


def test_keyboard_only_completion(page: Page, page_log: PageLog, site: str) -> None:
    """A whole assessment with the keyboard alone: every step reached through its "Next" link,
    the required answers given, an Annex III area opened and a point ticked, a capability
    ticked, then the results."""
    open_assessor(page, site)
    tab_to(page, "e.id === 'q-name-input'")
    page.keyboard.type("Keyboard")

    def next_step(section: str) -> None:
        tab_to(page, "e.dataset.go === 'next'")
        page.keyboard.press("Enter")
        page.wait_for_selector(f"#prodready-section-{section}:not([hidden])")
        # The focus moves to the new step's heading, so the next Tab starts there.
        assert _focused(page, f"e.id === 'prodready-section-{section}-title'")
        assert page.locator(f"[data-step={section}] a[aria-current=step]").count() == 1

    next_step("usage")
    keys = {
        "model_outputs": ["Space"],  # first option
        "failure_impact": ["Space"],
        "user_exposure": ["Space", "ArrowDown"],  # second option
        "accuracy_requirements": ["Space"],
        "availability_needs": ["Space"],
    }
    for question, presses in keys.items():
        tab_to(page, f"e.name === '{question}'")
        for key in presses:
            page.keyboard.press(key)
    next_step("eu")
    tab_to(page, "e.tagName === 'SUMMARY' && e.textContent.startsWith('Employment')")
    page.keyboard.press("Enter")  # opens the area
    before = requested(page)
    tab_to(page, "e.name === 'eu_annex_iii' && e.value === '4a'")
    page.keyboard.press("Space")
    settle(page, before)
    # The derogation now applies, and is reached by the keyboard like any other question.
    tab_to(page, "e.name === 'eu_derogation'")
    next_step("capabilities")
    tab_to(page, "e.name === 'capabilities' && e.value === 'monitoring'")
    page.keyboard.press("Space")
    next_step("team")
    tab_to(page, "e.dataset.go === 'results'")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.id === 'prodready-results'")
    verdict = settle(page, requested(page) - 1)  # the results of the last answer
    answers = {
        "name": "Keyboard",
        "model_outputs": "research",
        "failure_impact": "learning",
        "user_exposure": "business_users",
        "accuracy_requirements": "directional",
        "availability_needs": "downtime_ok",
        "eu_annex_iii": ["4a"],
        "capabilities": ["monitoring"],
    }
    response = engine_response(answers)
    assert verdict == response["verdict"]["id"] == "production_required"
    assert_page_shows(page, response["fragments"], "keyboard")
    assert page.locator("#prodready-results").is_visible()

    # The skip link takes keyboard users straight to the results.
    page.goto(site + "assessor/")
    tab_to(page, "e.textContent === 'Skip to the results'")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.id === 'prodready-results'")
    assert in_viewport(page, "#prodready-results h2")
    clean(page_log, site)


def test_no_axe_violations_empty_partial_complete_and_invalid(
    page: Page, page_log: PageLog, site: str
) -> None:
    # Each state in both palettes: the light one with every rule, then the dark one, switched
    # in place as a reader does, with the colour rules (test_every_page checks the page loaded
    # in each palette, and that switching in place colours it the same). In reduced motion, as in
    # that walk: axe checks the same final colours without each switch's fade being waited for.
    page.emulate_media(reduced_motion="reduce")
    set_palette(page, site, "light")
    open_assessor(page, site)
    scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert scheme == SCHEMES["light"]
    problems = axe_in_both_palettes(page, "empty")
    show_step(page, "usage")
    act(page, lambda: page.check("input[name=model_outputs][value=operational]"))
    problems += axe_in_both_palettes(page, "partly answered")
    load_file(page, ROOT / "engine" / "prodready" / "examples" / "cv-screening.json")
    show_step(page, "eu")
    page.click("#q-eu_annex_iii summary >> nth=3")  # an area opened
    problems += axe_in_both_palettes(page, "complete")
    # An answer out of range: problems next to the field and in the list of problems.
    show_step(page, "usage")
    act(page, lambda: page.fill("#q-business_units-input", "0"))
    problems += axe_in_both_palettes(page, "invalid answer")
    assert not problems, "\n".join(problems)
    clean(page_log, site)


# ---------------------------------------------------------------------------------------------
# Failure: the engine cannot start, the form stays usable


SABOTAGE: dict[str, dict[str, Any]] = {
    "wasm-404": {"overrides": {"*.wasm": Response(status=404)}},
    "wasm-as-text": {"content_types": {".wasm": "text/plain"}},
    "csp-without-wasm-unsafe-eval": {
        "headers": {"Content-Security-Policy": "default-src 'self'; script-src 'self'"}
    },
    # The worker's own script is missing: its error event must be reported, not lost.
    "worker-script-404": {"overrides": {"*/assessor-worker.mjs": Response(status=404)}},
    # A browser without module workers: the constructor throws, after the page has already sent
    # its first requests (they wait for the worker, which is created once the page has loaded).
    "no-module-workers": {
        "init_script": "window.Worker = function () { throw new TypeError('no module workers'); };"
    },
}


@pytest.fixture
def sabotaged(
    site: str, built_site: Path, page: Page, request: pytest.FixtureRequest
) -> Iterator[str]:
    kwargs = dict(SABOTAGE[request.param])
    if "init_script" in kwargs:
        page.add_init_script(kwargs.pop("init_script"))
    overrides = dict(kwargs.pop("overrides", {}))
    overrides["/versions.json"] = Response(
        body=b'[{"version": "dev", "title": "dev", "aliases": ["latest"]}]',
        content_type="application/json",
    )
    server = make_server(built_site, overrides=overrides, **kwargs).start()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.mark.first_visit
@pytest.mark.parametrize("sabotaged", list(SABOTAGE), indirect=True)
def test_engine_failure_is_clear_and_the_form_stays_usable(
    page: Page, page_log: PageLog, sabotaged: str, request: pytest.FixtureRequest
) -> None:
    started = time.perf_counter()
    page.goto(sabotaged + "assessor/")
    page.wait_for_selector(f"{ROOT_SEL}[data-engine-state=failed]", timeout=FAIL_WITHIN_S * 1000)
    assert time.perf_counter() - started < FAIL_WITHIN_S
    status = page.inner_text("#prodready-status")
    assert "could not start" in status, status
    assert "answers are kept" in status, status
    # The form still works and keeps the answers.
    assert "Every question is shown" in status, status
    # Nothing can tell which questions apply: all of them are shown, follow-ups included.
    show_step(page, "usage")
    assert page.locator("#q-feeds_operational").is_visible()
    assert page.locator("[data-question][hidden]").count() == 0
    answer_experimental(page)
    saved = json.loads(page.evaluate("localStorage.getItem('prodready.answers.v1')"))
    assert saved["model_outputs"] == "research"
    assert page.get_attribute(VERDICT_SEL, "data-verdict") == ""
    assert "not running" in page.inner_text("#prodready-engine-off")
    assert "not running" in page.inner_text(SUMMARY_SEL)
    assert page.locator("[data-fragment]:not([hidden])").count() == 0
    page.reload()
    page.wait_for_selector(f"{ROOT_SEL}[data-engine-state=failed]", timeout=FAIL_WITHIN_S * 1000)
    assert page.is_checked("input[name=model_outputs][value=research]")
    assert axe(page, "failed") == []
    assert not page_log.page_errors
    if request.node.callspec.params["sabotaged"] in ("worker-script-404", "no-module-workers"):
        # No worker ever ran, so nothing downloaded the runtime.
        assert not [url for url in page_log.requests if url.endswith(".wasm")]
