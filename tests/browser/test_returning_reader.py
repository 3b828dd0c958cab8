"""The shared browser profile of `returning_reader` modules (tests/support/fixtures.py): a test
gets the module's profile, and before it runs, what an earlier reader left in localStorage is
gone while Cache Storage (where the engine keeps its memory snapshot) is kept. A `first_visit`
test gets a profile of its own."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page

from support.fixtures import forget_reader

pytestmark = pytest.mark.returning_reader

CACHE = "prodready-fixture-check"
KEY = "prodready.fixture-check"


def saved(page: Page) -> str | None:
    value: str | None = page.evaluate(f"localStorage.getItem('{KEY}')")
    return value


def cached(page: Page) -> int:
    count: int = page.evaluate(f"async () => (await (await caches.open('{CACHE}')).keys()).length")
    return count


def test_a_returning_reader_keeps_the_cache_and_loses_the_answers(
    page: Page, context: BrowserContext, returning_profile: BrowserContext, site_server: str
) -> None:
    assert context is returning_profile
    page.goto(site_server + "faq/")
    page.evaluate(f"localStorage.setItem('{KEY}', 'left behind')")
    page.evaluate(
        f"async () => (await caches.open('{CACHE}')).put('{site_server}x', new Response('kept'))"
    )
    assert (saved(page), cached(page)) == ("left behind", 1)
    forget_reader(page, site_server)  # what the `page` fixture does before each test
    page.reload()
    assert (saved(page), cached(page)) == (None, 1)


@pytest.mark.first_visit
def test_a_first_visit_has_a_profile_of_its_own(
    page: Page, context: BrowserContext, returning_profile: BrowserContext, site_server: str
) -> None:
    assert context is not returning_profile
    page.goto(site_server + "faq/")
    assert (saved(page), cached(page)) == (None, 0)
