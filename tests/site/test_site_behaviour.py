"""The site's theme behaviour in Chromium: instant navigation, palette, CSP, print (search: see
tests/browser/test_search.py)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from support.browser import PageLog

pytestmark = [pytest.mark.site, pytest.mark.browser]


def test_instant_navigation_swaps_pages_without_reloading(
    page: Page, page_log: PageLog, site_server: str
) -> None:
    page.goto(site_server, wait_until="networkidle")
    page.evaluate("window.__probe = 'still here'")
    page.locator(".md-tabs__link", has_text="FAQ").click()
    page.wait_for_url(site_server + "faq/")
    expect(page.locator("article h1")).to_contain_text("questions")
    assert page.evaluate("window.__probe") == "still here", "navigation reloaded the page"
    assert not page_log.errors(), page_log.errors()


def test_palette_choice_is_applied_and_remembered(
    page: Page, page_log: PageLog, site_server: str
) -> None:
    page.emulate_media(color_scheme="light")
    page.goto(site_server, wait_until="networkidle")
    body = page.locator("body")
    # Toggle order: system -> light -> dark. Two clicks reach dark.
    for _ in range(2):
        page.locator("form[data-md-component=palette] label:visible").click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    page.goto(site_server + "glossary/", wait_until="load")
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    assert not page_log.errors(), page_log.errors()


def test_inline_scripts_are_blocked_by_the_policy(page: Page, site_server: str) -> None:
    page.goto(site_server, wait_until="load")
    blocked = page.evaluate(
        """() => new Promise(resolve => {
            document.addEventListener("securitypolicyviolation",
                e => resolve(e.violatedDirective), {once: true});
            const script = document.createElement("script");
            script.textContent = "window.__inlineRan = true";
            document.body.appendChild(script);
            setTimeout(() => resolve(window.__inlineRan ? "ran" : "silent"), 2000);
        })"""
    )
    assert blocked.startswith("script-src"), blocked
    assert page.evaluate("window.__inlineRan") is None


def test_print_layout(page: Page, site_server: str) -> None:
    page.goto(site_server + "faq/", wait_until="networkidle")
    page.emulate_media(media="print")
    for selector in [".md-header", ".md-sidebar--primary", ".md-footer", ".md-tabs"]:
        expect(page.locator(selector).first).to_be_hidden()
    # Collapsed FAQ answers print expanded.
    answer = page.locator("article details").first.locator("p").first
    expect(answer).to_be_visible()
    link = page.locator("article details p a").first
    assert "underline" in link.evaluate("a => getComputedStyle(a).textDecorationLine")
    # Links to other sites get their address printed after them; internal links do not.
    after = "a => getComputedStyle(a, '::after').content"
    assert link.evaluate(after) in {"none", "normal", ""}
    # The "edit this page" button links to the repository on GitHub: an external link.
    edit = page.locator("article a.md-content__button[rel=edit]")
    expect(edit).to_have_class(re.compile(r"\bprodready-external\b"))
    assert "github.com" in edit.evaluate(after)
    expect(link).not_to_have_class(re.compile(r"\bprodready-external\b"))


def _pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def test_short_page_prints_on_one_sheet(page: Page, site_server: str) -> None:
    page.goto(site_server + "404.html", wait_until="networkidle")
    pdf = page.pdf(format="A4")
    assert _pdf_pages(pdf) == 1, "blank trailing page(s) in print"
