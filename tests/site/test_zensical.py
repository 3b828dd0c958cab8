"""The guide builds with Zensical, Material for MkDocs' successor, from the same mkdocs.yml.

What docs/contributing/zensical.md says works is checked here against a real `zensical build
--strict` (the `zensical` dependency group): the generated tables and diagram, the assessor's
form and DOM contract, a verdict in a real browser, the privacy rule (no request to another
host, although Zensical's theme bundle names some CDN addresses) and the Content-Security-Policy.
What the page says differs is pinned too, so the page cannot go stale unnoticed.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page
from test_build import EXPECTED_CSP

from prodready_tools.bench import share_fragment
from prodready_tools.server import SiteServer, local_versions, make_server
from prodready_tools.site import build_zensical, page_paths
from support.browser import PageLog
from support.html import Element, is_executable_script, parse

pytestmark = pytest.mark.site

ROOT = Path(__file__).resolve().parents[2]
# Where both builds must agree on every link: served at a site root, and under a sub-path (a
# GitHub project site, a mike version folder).
BASES = ("http://host/", "http://host/prodready/0.2/")
# The third-party addresses in Zensical's theme bundle, each behind a feature this site does not
# use (see docs/contributing/zensical.md): none may ever be requested.
BUNDLE_HOSTS = {"api.github.com", "cdn.jsdelivr.net", "unpkg.com"}
GENERATED = re.compile(r"<!-- prodready:([\w-]+)")
EXAMPLE = ROOT / "engine" / "prodready" / "examples" / "cv-screening.json"


@pytest.fixture(scope="module")
def zensical_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    """A server for the Zensical build, bound first so the site is built with its address."""
    project = tmp_path_factory.mktemp("zensical")
    server = make_server(project / "site", overrides=local_versions(project / "site"))
    build_zensical(project, server.url)
    with server:
        yield server


@pytest.fixture(scope="module")
def zensical_site(zensical_host: SiteServer) -> Path:
    return zensical_host.root


def _html(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def _article(html: str) -> str:
    match = re.search(r"<article\b[^>]*>(.*?)</article>", html, re.DOTALL)
    assert match, "no <article> in the page"
    return match.group(1)


def _resolved(elements: list[Element], base: str) -> list[tuple[str, dict[str, str], str]]:
    """Elements with their links resolved against the page's URL `base`."""
    out = []
    for element in elements:
        attrs = dict(element.attrs)
        if "href" in attrs:
            attrs["href"] = urllib.parse.urljoin(base, attrs["href"])
        out.append((element.tag, attrs, element.text))
    return out


# What the two themes put into a page's <article> besides the page itself: the edit and view
# buttons (other icons), Zensical's skip target, and the FAQ's JSON-LD, which the MkDocs hooks
# move into <head> (Zensical ignores hooks; see below).
THEME_PARTS = re.compile(
    r'<a [^>]*class="md-content__button[^"]*"[^>]*>.*?</a>|<a id="__skip"[^>]*></a>'
    r'|<script type="application/ld\+json">.*?</script>',
    re.DOTALL,
)


def _content(html: str) -> list[Element]:
    """The page's own content: its <article> without the theme's parts."""
    return parse(THEME_PARTS.sub("", _article(html)))


def _differing_pages(built_site: Path, zensical_site: Path, base: str) -> list[str]:
    """Pages whose content differs between the builds, links resolved from `base`."""
    return [
        path
        for path in page_paths(built_site)
        if _resolved(_content(_html(zensical_site, path)), base + path)
        != _resolved(_content(_html(built_site, path)), base + path)
    ]


def _pages_with_generated_blocks() -> list[str]:
    pages = []
    for source in sorted((ROOT / "docs").rglob("*.md")):
        if GENERATED.search(source.read_text(encoding="utf-8")):
            rel = source.relative_to(ROOT / "docs").with_suffix("").as_posix()
            pages.append("" if rel == "index" else f"{rel}/")
    return pages


def test_every_page_of_the_mkdocs_build_is_built(built_site: Path, zensical_site: Path) -> None:
    assert page_paths(zensical_site) == page_paths(built_site)
    assert (zensical_site / "404.html").is_file()
    assert not (zensical_site / "includes").exists()  # snippet sources are not pages
    # Nothing of the project's tooling lands in the site (Zensical copies the whole theme
    # folder, overrides/, into it: the MkDocs hooks live in engine/prodready_site for that).
    assert not list(zensical_site.rglob("*.py"))


def test_every_page_has_the_content_of_the_mkdocs_build(
    built_site: Path, zensical_site: Path
) -> None:
    # Same elements, attributes and texts, links to the same pages from a site root: the
    # generated tables, lists and diagram, the assessor's form (its DOM contract) and the prose.
    assert len(_pages_with_generated_blocks()) >= 6
    for path in _pages_with_generated_blocks():
        assert "<!-- prodready:" not in _html(zensical_site, path), path
    assert _differing_pages(built_site, zensical_site, BASES[0]) == []


def test_under_a_sub_path_only_the_forms_links_differ(
    built_site: Path, zensical_site: Path
) -> None:
    # Known difference (docs/contributing/zensical.md): Zensical rewrites the relative links
    # of raw HTML blocks as if they were written relative to the Markdown file, so the form's
    # "Why this matters" links climb one folder too many. At a site root the browser stops at
    # the root and they land; under a sub-path (a GitHub project site, a mike version) they
    # miss. Links written in Markdown, as the tables' are, agree.
    assert _differing_pages(built_site, zensical_site, BASES[1]) == ["assessor/"]


def test_every_page_keeps_the_content_security_policy(zensical_site: Path) -> None:
    for html in sorted(zensical_site.rglob("*.html")):
        elements = parse(html.read_text(encoding="utf-8"))
        metas = [
            e.attrs.get("content", "")
            for e in elements
            if e.tag == "meta"
            and e.attrs.get("http-equiv", "").lower() == "content-security-policy"
        ]
        rel = html.relative_to(zensical_site)
        assert metas == [EXPECTED_CSP], f"{rel}: {metas}"
        inline = [e for e in elements if is_executable_script(e) and not e.attrs.get("src")]
        assert not inline, f"{rel}: inline scripts the policy blocks"


def test_the_theme_bundle_names_cdn_hosts_the_site_never_requests(zensical_site: Path) -> None:
    bundles = sorted((zensical_site / "assets" / "javascripts").glob("bundle.*.min.js"))
    assert len(bundles) == 1
    hosts = {
        urllib.parse.urlsplit(url).hostname or ""
        for url in re.findall(r"https://[\w.-]+/", bundles[0].read_text(encoding="utf-8"))
    }
    # What the page documents; requests are checked in a browser below.
    assert hosts == BUNDLE_HOSTS


@pytest.mark.browser
def test_pages_request_nothing_from_another_host_and_log_no_error(
    page: Page, page_log: PageLog, zensical_host: SiteServer
) -> None:
    base = zensical_host.url
    problems: list[str] = []
    for path in page_paths(zensical_host.root):
        page_log.clear()
        page.goto(base + path, wait_until="networkidle")
        problems.extend(f"/{path}: {error}" for error in page_log.errors())
        problems.extend(f"/{path}: request to {url}" for url in page_log.foreign_requests(base))
    # Instant navigation (the theme swaps the content in without a page load): to the FAQ,
    # whose JSON-LD block stays in the content under Zensical (the hook that moves it into
    # <head> is ignored), then to the assessor.
    page_log.clear()
    page.goto(base, wait_until="networkidle")
    for path in ("faq/", "assessor/"):
        page.locator(f'a.md-tabs__link[href$="{path}"]').first.click()
        page.wait_for_url(base + path)
        page.wait_for_load_state("networkidle")
    problems.extend(f"navigation: {error}" for error in page_log.errors())
    problems.extend(f"navigation: request to {url}" for url in page_log.foreign_requests(base))
    assert not problems, "\n".join(problems)


def _cli_verdict(answers: Path) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "prodready", "assess", str(answers)],
        capture_output=True,
        text=True,
        check=True,
    )
    verdict: str = json.loads(proc.stdout)["verdict"]["id"]
    return verdict


@pytest.mark.browser
def test_the_assessor_gives_the_cli_verdict(
    page: Page, page_log: PageLog, zensical_host: SiteServer
) -> None:
    base = zensical_host.url
    page.goto(base + "assessor/" + share_fragment(EXAMPLE))
    page.wait_for_selector("#prodready-assessor[data-engine-state=ready]", timeout=60_000)
    verdict = page.locator("#prodready-verdict")
    page.wait_for_function(
        "() => document.querySelector('#prodready-verdict')?.getAttribute('data-verdict')",
        timeout=30_000,
    )
    assert verdict.get_attribute("data-verdict") == _cli_verdict(EXAMPLE)
    assert not page_log.errors(), page_log.errors()
    assert not page_log.foreign_requests(base), page_log.foreign_requests(base)
