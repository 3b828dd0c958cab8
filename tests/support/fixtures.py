"""Browser fixtures, registered for the whole test tree by tests/conftest.py.

pytest-playwright provides `playwright`, `browser` (session), `context` and `page` (per test),
and keeps a screenshot of each failed test under test-results/ (`--screenshot only-on-failure`,
set in pyproject.toml; `--tracing retain-on-failure` adds a full Playwright trace, at a quarter
more time for every browser test). Here its launch options point it at Debian's
Chromium headless shell (prodready_tools.browser.chromium_for_tests; PRODREADY_TEST_CHROMIUM
overrides the path, `playwright install` is never used), and
`page_log` records what `page` does. The tabs of a passed test are closed before its profile is,
so that pytest-playwright, which screenshots every tab still open when it closes a profile (and
then deletes the pictures of a passed test), takes pictures of failed tests only.

A returning reader. By default every test is a first visit: a new browser profile with empty
storage, so the worker takes its memory snapshot. A module marked `returning_reader` shares one
profile among its tests instead, as one reader coming back to the site does: Cache Storage, which
holds the runtime's memory snapshot, is kept (so Python starts from it), while everything a reader
leaves behind (saved answers and portfolio in localStorage, IndexedDB, cookies) is cleared before
each test. (The test server sends `Cache-Control: no-store`, so the HTTP cache holds nothing
either way and every request still reaches the server.) A test in such a module that is about the
first visit is marked `first_visit` and gets a profile of its own.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from prodready_tools.browser import TEST_ARGS, chromium_for_tests, missing_chromium

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

    from support.browser import PageLog

# What a reader leaves behind on the site's origin; Cache Storage (the snapshot) stays.
READER_STORAGE = "cookies,local_storage,indexeddb,websql,file_systems,service_workers"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright's launch options (--headed, --slowmo), with Debian's Chromium."""
    path = chromium_for_tests()
    missing = missing_chromium(path)
    if missing:
        pytest.fail(missing)
    return {**browser_type_launch_args, "executable_path": path, "args": TEST_ARGS}


@pytest.fixture(scope="module")
def returning_profile(
    browser: Browser, browser_context_args: dict[str, Any]
) -> Iterator[BrowserContext]:
    """The browser profile a `returning_reader` module's tests share."""
    profile = browser.new_context(**browser_context_args)
    yield profile
    profile.close()


def _returning(request: pytest.FixtureRequest) -> bool:
    node = request.node
    return bool(node.get_closest_marker("returning_reader")) and not node.get_closest_marker(
        "first_visit"
    )


@pytest.fixture
def context(
    request: pytest.FixtureRequest, new_context: Callable[..., BrowserContext]
) -> BrowserContext:
    """pytest-playwright's new profile, or the module's shared one (see the module docstring)."""
    if _returning(request):
        profile: BrowserContext = request.getfixturevalue("returning_profile")
        return profile
    return new_context()


@pytest.fixture
def page(
    request: pytest.FixtureRequest, context: BrowserContext, output_path: str
) -> Iterator[Page]:
    """A new tab. In a shared profile the reader's storage is cleared first, and the tab is
    closed afterwards (with a screenshot when the test failed, as pytest-playwright does)."""
    tab = context.new_page()
    if not _returning(request):
        yield tab
        if not _failed(request) and request.config.getoption("--screenshot") != "on":
            # pytest-playwright screenshots every tab still open when it closes the profile,
            # then deletes the pictures of a passed test: half a second each, for nothing.
            for other in context.pages:
                other.close()
        return
    forget_reader(tab, request.getfixturevalue("site_server"))
    yield tab
    wanted = request.config.getoption("--screenshot") in {"on", "only-on-failure"}
    if wanted and _failed(request) and not tab.is_closed():
        tab.screenshot(path=Path(output_path) / "test-failed-1.png")  # makes the folder
    for other in context.pages:
        other.close()


def _failed(request: pytest.FixtureRequest) -> bool:
    """Whether the test itself failed (pytest-playwright keeps each phase's report)."""
    report = getattr(request.node, "rep_call", None)
    return report is not None and bool(report.failed)


def forget_reader(page: Page, site: str) -> None:
    """Clears what a reader leaves on `site`'s origin (READER_STORAGE) in `page`'s profile."""
    parts = urllib.parse.urlsplit(site)
    session = page.context.new_cdp_session(page)
    session.send(
        "Storage.clearDataForOrigin",
        {"origin": f"{parts.scheme}://{parts.netloc}", "storageTypes": READER_STORAGE},
    )
    session.detach()


@pytest.fixture
def page_log(page: Page) -> PageLog:
    """Console errors, uncaught exceptions and every request URL of `page`."""
    from support.browser import PageLog

    return PageLog().attach(page)
