"""Helpers for the browser tests of the assessor page (tests/browser): open it and wait for the
engine, act on the form and wait for the results that follow, run axe, check a page's log.

The `site` fixture (the built site with the runtime in place) is in tests/browser/conftest.py.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from prodready_tools.server import Response
from support.a11y import STILL_JS, axe_violations, rules_for, switch_palette
from support.browser import PageLog

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "engine" / "prodready" / "examples").glob("*.json"))
READY_MS = 60_000  # a cold start is a few seconds; a loaded 2-core runner needs more
ROOT_SEL = "#prodready-assessor"
VERDICT_SEL = "#prodready-verdict"
SUMMARY_SEL = "[data-summary]"


def limits(silent_s: float, startup_s: float, report_s: float) -> Response:
    """The start-up limits module (docs/assets/js/assessor-limits.mjs) as a server would send it,
    with other limits: what lets a test see a stall reported without waiting the real ones out."""
    body = (
        f"export const SILENT_MS = {round(silent_s * 1000)};\n"
        f"export const STARTUP_MS = {round(startup_s * 1000)};\n"
        f"export const REPORT_MS = {round(report_s * 1000)};\n"
    )
    return Response(body=body.encode(), content_type="text/javascript")


def open_assessor(page: Page, url: str, fragment: str = "") -> float:
    """Opens the assessor and waits for the engine; returns seconds from navigation to ready."""
    started = time.perf_counter()
    page.goto(url + "assessor/" + fragment)
    page.wait_for_selector(f"{ROOT_SEL}[data-engine-state=ready]", timeout=READY_MS)
    elapsed = time.perf_counter() - started
    settle(page, 0)
    return elapsed


def requested(page: Page) -> int:
    value = page.get_attribute(ROOT_SEL, "data-requested")
    return int(value or 0)


def settle(page: Page, after: int) -> str:
    """Waits until the results show a request newer than `after`; returns the verdict id."""
    page.wait_for_function(
        """(after) => {
            const root = document.getElementById("prodready-assessor");
            const asked = Number(root.dataset.requested || 0);
            return asked > after && root.dataset.shown === String(asked)
                && root.dataset.busy !== "true";
        }""",
        arg=after,
        timeout=15_000,
    )
    return page.get_attribute(VERDICT_SEL, "data-verdict") or ""


def act(page: Page, action: Callable[[], Any]) -> str:
    """Runs `action` and returns the verdict of the results that follow it."""
    before = requested(page)
    action()
    return settle(page, before)


def form_state(page: Page) -> list[list[Any]]:
    state: list[list[Any]] = page.evaluate(
        """() => [...document.querySelectorAll("#prodready-assessor [data-question] input")]
            .map((i) => [i.id, i.type === "radio" || i.type === "checkbox" ? i.checked : i.value])"""
    )
    return state


def load_file(page: Page, path: Path) -> str:
    return act(page, lambda: page.set_input_files("#prodready-load-file", str(path)))


def show_step(page: Page, section: str) -> None:
    """Shows one step of the form, as a reader does: its link in the list of steps."""
    page.click(f".prodready-steps [data-step={section}] a")
    page.wait_for_selector(f"#prodready-section-{section}:not([hidden])")


def axe(page: Page, label: str, palette: str = "light", within: str | None = None) -> list[str]:
    """axe-core's violations once the page's transitions are over (Material fades its "back to
    top" button in when the page scrolls up, as a change of step does): in `palette`, the rules
    that palette needs (support.a11y.rules_for), within the element `within` selects if given."""
    page.wait_for_function(STILL_JS)
    return axe_violations(page, label, within=within, rules=rules_for(palette))


def axe_in_both_palettes(page: Page, label: str, within: str | None = None) -> list[str]:
    """axe's violations in the page's state now, in the light palette and then in the dark one,
    switched in place (support.a11y.switch_palette): one set of steps to reach each state serves
    both palettes. The page is left in the light palette."""
    problems = axe(page, f"light, {label}", "light", within)
    switch_palette(page, "dark")
    problems += axe(page, f"dark, {label}", "dark", within)
    switch_palette(page, "light")
    return problems


def clean(page_log: PageLog, url: str) -> None:
    assert not page_log.errors(), page_log.errors()
    assert not page_log.foreign_requests(url), page_log.foreign_requests(url)


def tab_to(page: Page, predicate: str, limit: int = 200) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const e = document.activeElement; return {predicate}; }})()"):
            return
    raise AssertionError(f"Tab never reached an element with {predicate}")
