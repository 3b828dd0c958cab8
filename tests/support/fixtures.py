"""Browser fixtures, registered for the whole test tree by tests/conftest.py.

pytest-playwright provides `playwright`, `browser` (session), `context` and `page` (per test),
and keeps a screenshot of each failed test under test-results/ (`--screenshot only-on-failure`,
set in pyproject.toml; `--tracing retain-on-failure` adds a full Playwright trace, at a quarter
more time for every browser test). Here its launch options point it at Debian's
Chromium (PRODREADY_CHROMIUM overrides the path; `playwright install` is never used), and
`page_log` records what `page` does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from prodready_tools.browser import CHROMIUM_ARGS, chromium_path, missing_chromium

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from support.browser import PageLog


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright's launch options (--headed, --slowmo), with Debian's Chromium."""
    missing = missing_chromium()
    if missing:
        pytest.fail(missing)
    return {**browser_type_launch_args, "executable_path": chromium_path(), "args": CHROMIUM_ARGS}


@pytest.fixture
def page_log(page: Page) -> PageLog:
    """Console errors, uncaught exceptions and every request URL of `page`."""
    from support.browser import PageLog

    return PageLog().attach(page)
