"""Search: it works under the site's Content-Security-Policy and requests nothing from another
host; its index is built when the reader first searches, not on every page load
(docs/assets/javascripts/workers/search-on-demand.js, wired in by the build hook); and the results
are the theme's own.
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, Worker

from support.browser import PageLog

WRAPPER = "search-on-demand.js"

# Runs the page's configured search worker and the theme's own worker side by side on the site's
# index: the results of each query, as lists of result locations, and the order of the messages
# the configured worker sent back.
SIDE_BY_SIDE = """async (queries) => {
  const config = JSON.parse(document.getElementById("__config").textContent);
  const configured = new URL(config.search, document.baseURI);
  const theme = new URL(configured.searchParams.get("worker"), configured);
  const response = await fetch(new URL("search/search_index.json", new URL(config.base, document.baseURI)));
  const index = await response.json();
  const setup = { type: 0, data: { config: index.config, docs: index.docs, options: { suggest: false } } };
  async function run(url) {
    const worker = new Worker(url);
    const seen = [];
    let waiting = null;
    worker.onmessage = (event) => {
      seen.push(event.data.type);
      if (waiting) { const resolve = waiting; waiting = null; resolve(event.data); }
    };
    const next = () => new Promise((resolve) => { waiting = resolve; });
    const ready = next();
    worker.postMessage(setup);
    await ready;
    const results = [];
    for (const query of queries) {
      const answer = next();
      worker.postMessage({ type: 2, data: query });
      const result = await answer;
      results.push(result.data.items.map((group) => group.map((item) => item.location)));
    }
    worker.terminate();
    return { results, seen };
  }
  return { configured: await run(configured), theme: await run(theme), url: configured.pathname };
}"""


def search_worker(page: Page) -> Worker:
    workers = [worker for worker in page.workers if WRAPPER in worker.url]
    assert len(workers) == 1, [worker.url for worker in page.workers]
    return workers[0]


def index_state(worker: Worker) -> str:
    state: str = worker.evaluate("self.prodreadySearch.index")
    return state


def test_the_index_is_built_on_the_first_search_only(
    page: Page, page_log: PageLog, site_server: str
) -> None:
    page.goto(site_server + "triggers/", wait_until="networkidle")
    worker = search_worker(page)
    # The page has sent the index and the empty search box; neither built the index.
    assert index_state(worker) == "deferred"
    search = page.locator("input.md-search__input")
    search.click()
    assert index_state(worker) == "deferred"
    search.press_sequentially("annex", delay=30)
    page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    assert index_state(worker) == "built"
    assert "matching document" in page.inner_text(".md-search-result__meta")
    # Instant navigation keeps the worker and its index.
    page.keyboard.press("Escape")
    page.locator("a.md-nav__link[href$='faq/']").first.dispatch_event("click")
    page.wait_for_url("**/faq/")
    assert index_state(search_worker(page)) == "built"
    page.wait_for_load_state("networkidle")
    # Chromium reports Content-Security-Policy violations as console errors.
    assert not page_log.errors(), page_log.errors()
    assert not page_log.foreign_requests(site_server), page_log.foreign_requests(site_server)
    assert not page_log.failed_requests, page_log.failed_requests


def test_the_results_are_the_themes_own(page: Page, page_log: PageLog, site_server: str) -> None:
    page.goto(site_server + "faq/", wait_until="load")
    queries = ["", "production", "annex iii", "gdpr", "risk management", "zzqxj"]
    found: dict[str, Any] = page.evaluate(SIDE_BY_SIDE, queries)
    assert found["url"].endswith("/" + WRAPPER)
    assert found["configured"]["results"] == found["theme"]["results"]
    by_query = dict(zip(queries, found["theme"]["results"], strict=True))
    assert by_query[""] == []
    assert by_query["zzqxj"] == []
    assert by_query["production"], by_query
    assert by_query["annex iii"], by_query
    # One READY (1) for the setup and one RESULT (3) per query: the theme's own READY, sent when
    # the index is built on the first query that is not empty, is not passed on.
    assert found["configured"]["seen"] == [1] + [3] * len(queries)
    assert not page_log.errors()
