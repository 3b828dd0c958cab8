"""The page and its worker share the engine's start-up limits (docs/assets/js/assessor-limits.mjs):
the page never tells the reader that start-up failed while the worker is still within them, and a
worker that cannot report is still reported, never an endless spinner.

The built site on a local server, the real page, worker and runtime. Cases that need a failure
serve the limits module with short limits, to the page and the worker alike, which also shows
that both read it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from prodready_tools.server import Response, make_server
from support.assessor import limits

ROOT_SEL = "#prodready-assessor"
PAGE_LIMIT_BEFORE_S = 15.0  # the page's own limit before it shared the worker's
TRICKLE_S = PAGE_LIMIT_BEFORE_S + 3

# Installed before any page script: every engine state the page shows, with the time since
# navigation, and the worker's own state messages.
STATES_JS = """\
(() => {
  window.engineStates = [];
  window.workerStates = [];
  const seen = () => {
    const root = document.getElementById("prodready-assessor");
    const state = root && root.getAttribute("data-engine-state");
    const last = window.engineStates[window.engineStates.length - 1];
    if (state && (!last || last.state !== state)) {
      window.engineStates.push({ state, at: performance.now() });
    }
  };
  new MutationObserver(seen).observe(document, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["data-engine-state"],
  });
  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    constructor(url, options) {
      super(url, options);
      this.addEventListener("message", (event) => {
        if (event.data && event.data.type === "state") {
          window.workerStates.push({ state: event.data.state, at: performance.now() });
        }
      });
    }
  };
})();
"""


def _stall(path: str) -> None:
    time.sleep(20)


@pytest.fixture
def serve(served_site: Path, site_server: str) -> Iterator[Any]:
    servers = []

    def start(overrides: dict[str, Any]) -> str:
        # As on a mike deployment, for the version selector (else a 404 in the console).
        overrides["/versions.json"] = Response(body=b"[]", content_type="application/json")
        servers.append(make_server(served_site, overrides=overrides).start())
        return servers[-1].url

    yield start
    for server in servers:
        server.stop()


def open_page(page: Page, url: str) -> None:
    page.add_init_script(STATES_JS)
    page.goto(url + "assessor/")


def settled(page: Page, within_s: float) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The page's and the worker's states once the page shows ready or failed."""
    page.wait_for_selector(
        f"{ROOT_SEL}[data-engine-state=ready], {ROOT_SEL}[data-engine-state=failed]",
        timeout=within_s * 1000,
    )
    return page.evaluate("window.engineStates"), page.evaluate("window.workerStates")


def test_a_slow_start_that_progresses_is_waited_for(page: Page, serve: Any) -> None:
    # The runtime's binary arrives slowly but steadily: start-up takes longer than the page used
    # to allow, but the worker is within its limits, so the reader is never told it failed.
    url = serve({"*/pyodide.asm.wasm": Response(trickle_s=TRICKLE_S)})
    open_page(page, url)
    shown, _ = settled(page, within_s=90)
    assert [s["state"] for s in shown] == ["loading", "ready"], shown
    assert shown[-1]["at"] > PAGE_LIMIT_BEFORE_S * 1000, shown
    assert "could not start" not in page.inner_text("#prodready-status")


def test_the_worker_reports_a_stall_with_the_shared_limits(page: Page, serve: Any) -> None:
    # The worker's own deadline, from the same module as the page's: the reader gets the
    # worker's explanation, not the page's fallback.
    url = serve(
        {
            "*/assessor-limits.mjs": limits(silent_s=2, startup_s=6, report_s=2),
            "*/python_stdlib*.zip": _stall,
        }
    )
    open_page(page, url)
    shown, worker = settled(page, within_s=15)
    assert [s["state"] for s in shown] == ["loading", "failed"], shown
    assert [s["state"] for s in worker] == ["loading", "failed"], worker
    assert "The Python runtime did not start within 2 s." in page.inner_text("#prodready-status")
    assert shown[-1]["at"] - worker[0]["at"] < 6000, (shown, worker)


def test_a_worker_that_never_reports_is_reported_by_the_page(page: Page, serve: Any) -> None:
    # The worker runs (it says "loading") but its start-up never ends and never fails, as a
    # worker whose thread hangs: the page gives up once the worker's limit and the time for its
    # report have passed, not before.
    never = b"export function start() {\n  return new Promise(() => {});\n}\n"
    url = serve(
        {
            "*/assessor-limits.mjs": limits(silent_s=1, startup_s=3, report_s=1),
            "*/worker/start.mjs": Response(body=never, content_type="text/javascript"),
        }
    )
    open_page(page, url)
    shown, worker = settled(page, within_s=15)
    assert [s["state"] for s in shown] == ["loading", "failed"], shown
    assert [s["state"] for s in worker] == ["loading"], worker
    assert shown[-1]["at"] - worker[0]["at"] >= 4000, (shown, worker)
    status = page.inner_text("#prodready-status")
    assert "The assessment engine did not start within 4 seconds." in status, status


def test_a_worker_whose_files_never_arrive_is_reported_by_the_page(page: Page, serve: Any) -> None:
    # One of the worker's modules never comes: the worker cannot even say "loading".
    url = serve(
        {
            "*/assessor-limits.mjs": limits(silent_s=2, startup_s=6, report_s=2),
            "*/worker/snapshot.mjs": _stall,
        }
    )
    open_page(page, url)
    shown, worker = settled(page, within_s=15)
    assert [s["state"] for s in shown] == ["loading", "failed"], shown
    assert worker == [], worker
    assert 2000 <= shown[-1]["at"] < 10_000, shown
    status = page.inner_text("#prodready-status")
    assert "The assessment engine did not start within 2 seconds." in status, status
