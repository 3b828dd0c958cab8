"""Privacy: the built site's files load nothing from another host. In a real browser, every page
is walked by tests/browser/test_every_page.py, which also fails on any request to another host.

Plain `<a href>` links to other sites (e.g. EUR-Lex) are fine: following a link is the reader's
choice. What must never happen is a page fetching a script, stylesheet, font, image or frame, or
calling an API, on another host.
"""

from __future__ import annotations

import re
import urllib.parse
from pathlib import Path

import pytest

from support.html import parse

# Attributes through which HTML loads a resource, per element.
RESOURCE_ATTRS: dict[str, tuple[str, ...]] = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "input": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
}
# <link rel=…> values that make the browser fetch or connect.
FETCHING_LINK_RELS = {
    "stylesheet",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "preload",
    "modulepreload",
    "prefetch",
    "preconnect",
    "dns-prefetch",
    "manifest",
    "mask-icon",
}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""", re.IGNORECASE)
ABSOLUTE_URL = re.compile(r"""https?://[^\s'"`)<>]+|^//[^/\s]+""", re.IGNORECASE)


def _is_foreign(url: str) -> bool:
    url = url.strip()
    if url.startswith("//"):
        return True
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    return scheme in {"http", "https", "ws", "wss", "ftp"}


def _srcset_urls(value: str) -> list[str]:
    return [part.strip().split(" ")[0] for part in value.split(",") if part.strip()]


@pytest.mark.site
def test_html_loads_no_resource_from_another_host(built_site: Path) -> None:
    problems: list[str] = []
    for html in sorted(built_site.rglob("*.html")):
        rel = html.relative_to(built_site)
        for element in parse(html.read_text(encoding="utf-8")):
            urls: list[str] = []
            if element.tag == "link":
                rels = set(element.attrs.get("rel", "").lower().split())
                if rels & FETCHING_LINK_RELS:
                    urls.append(element.attrs.get("href", ""))
            for attr in RESOURCE_ATTRS.get(element.tag, ()):
                value = element.attrs.get(attr, "")
                urls.extend(_srcset_urls(value) if attr == "srcset" else [value])
            if "style" in element.attrs:
                urls.extend(
                    m.group(1) or m.group(2) for m in CSS_URL.finditer(element.attrs["style"])
                )
            if element.tag == "style":
                urls.extend(m.group(1) or m.group(2) for m in CSS_URL.finditer(element.text))
            problems.extend(
                f"{rel}: <{element.tag}> loads {url}" for url in urls if _is_foreign(url)
            )
    assert not problems, "\n".join(problems)


@pytest.mark.site
def test_stylesheets_load_nothing_from_another_host(built_site: Path) -> None:
    problems = [
        f"{css.relative_to(built_site)}: {m.group(1) or m.group(2)}"
        for css in sorted(built_site.rglob("*.css"))
        for m in CSS_URL.finditer(css.read_text(encoding="utf-8", errors="replace"))
        if _is_foreign(m.group(1) or m.group(2))
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.site
def test_project_scripts_name_no_other_host(built_site: Path) -> None:
    """The project's own JavaScript (assets/js/**) contains no absolute URL at all.

    Vendored code (Material's bundle, Pyodide) is checked at run time by the browser test below.
    """
    scripts = sorted((built_site / "assets" / "js").rglob("*.*js"))
    assert scripts
    problems = [
        f"{js.relative_to(built_site)}: {url}"
        for js in scripts
        for url in ABSOLUTE_URL.findall(js.read_text(encoding="utf-8"))
    ]
    assert not problems, "\n".join(problems)
