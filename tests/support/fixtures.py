"""Playwright fixtures, registered for the whole test tree by tests/conftest.py.

Playwright is imported lazily, so test folders that never ask for a browser do not need it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Playwright

    from support.browser import PageLog


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """The Playwright driver (sync API), for the session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Headless Debian Chromium (PRODREADY_CHROMIUM overrides the path), for the session."""
    from support.browser import launch_chromium

    chromium = launch_chromium(playwright)
    yield chromium
    chromium.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser context (own storage and cache) per test."""
    ctx = browser.new_context()
    yield ctx
    ctx.close()


@pytest.fixture
def _watched_page(context: BrowserContext) -> tuple[Page, PageLog]:
    from support.browser import PageLog

    page = context.new_page()
    return page, PageLog().attach(page)


@pytest.fixture
def page(_watched_page: tuple[Page, PageLog]) -> Page:
    """A new page in the test's own context; its activity is recorded in `page_log`."""
    return _watched_page[0]


@pytest.fixture
def page_log(_watched_page: tuple[Page, PageLog]) -> PageLog:
    """Console errors, uncaught exceptions and every request URL of `page`."""
    return _watched_page[1]
