"""Browser tests: headless Debian Chromium driven by Playwright (sync API).

The fixtures are pytest-playwright's, pointed at Debian's Chromium and shared with the whole
test tree (tests/support/fixtures.py, registered in tests/conftest.py): `browser` (session),
`context`, `page` and `page_log` (per test), plus `site_server` (the built site's base URL):

    def test_x(page: Page, page_log: PageLog, site_server: str) -> None:
        page.goto(site_server + "faq/")
        assert not page_log.errors()                     # console errors + uncaught exceptions
        assert not page_log.foreign_requests(site_server)

`playwright install` is never used: the browser is PRODREADY_TEST_CHROMIUM or Debian's Chromium
headless shell (prodready_tools.browser.chromium_for_tests). A
failed test leaves a screenshot in test-results/; `--tracing retain-on-failure` adds its Playwright
trace.
Every test in this folder is marked `browser` automatically.
"""

from __future__ import annotations

from pathlib import Path

import pytest

_HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def site(served_site: Path, site_server: str) -> str:
    """Base URL of the built site, with the runtime present and the assessor script wired in."""
    page_html = (served_site / "assessor" / "index.html").read_text(encoding="utf-8")
    assert 'id="prodready-assessor"' in page_html, "the assessor form is not on the page"
    assert "assets/js/assessor.js" in page_html, (
        "assets/js/assessor.js is not loaded: add it to extra_javascript in mkdocs.yml"
    )
    return site_server
