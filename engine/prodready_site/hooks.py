"""MkDocs hooks for the ProdReady site (wired in mkdocs.yml under `hooks:`; Zensical ignores them).

* Serve mode: `mkdocs serve --livereload` injects an inline `<script>` into every page it serves.
  The site's Content-Security-Policy forbids inline scripts, so `overrides/main.html` adds
  `'unsafe-inline'` to script-src when, and only when, the site is built by `mkdocs serve`
  (`config.extra.serve_mode`). `mkdocs build` and `mike deploy` never relax the policy.
* Serve mode, versions: `mkdocs serve` serves one version with no `versions.json` beside it (mike
  writes that file when it deploys), so the version selector and its request are left out there.
* JSON-LD placement: structured data emitted inside the page content (the FAQPage block from the
  Markdown extension) is moved into `<head>`. Inside the content, Material's instant navigation
  would re-create it as an untyped, executable `<script>`, which the policy then blocks (console
  error); in `<head>` it is swapped between pages as inert data.
* Preload hints: the policy is a `<meta>` tag (static hosts cannot send headers), and Chromium's
  preload scanner stops at a `<meta>` Content-Security-Policy (crbug.com/1458493). Every script
  after it was then fetched only once the parser reached it, one after another: on the assessor
  page the last of them, which starts the engine, arrived ~0.15 s late. So the scripts that run
  after the theme's bundle, and the modules they import, are announced before the policy. Not
  the bundle itself, nor the scripts before it: fetched early, the bundle runs before the first
  paint (Lighthouse's first contentful paint went from 1.4 to 2.0 s).
* The theme's palette-switching rule: when the theme's bundle starts, it marks `<body>` with
  `data-md-color-switching` while it applies the palette (our `palette.js` has applied it already,
  before the first paint), reads the header's computed style, and removes the mark a task later.
  Its stylesheet holds one rule on that mark for every element (`[data-md-color-switching] *`,
  no transitions while the colours change), so each of the two changes makes the browser restyle
  the whole page: on the assessor page (1,850 elements) the first was the largest task of the
  load. The rule is removed from the built stylesheet; a reader who switches the palette sees
  the colours fade over the theme's transitions (0.25 s at most) instead of changing at once.
  The rule is blanked with spaces, so the stylesheet's source map still lines up.
  Lighthouse on the assessor page, six pairs of runs: total blocking time 302 instead of 416 ms
  (medians), performance 93.5 instead of 89.5.
* Search on demand: the theme's configuration (`__config`, key `search`) names the worker that
  builds the search index, which the theme does on every page load. It is pointed at
  `assets/javascripts/workers/search-on-demand.js`, which wraps the theme's worker (named in its
  `?worker=`) and builds the index when the reader first searches (see that file). Sixteen
  guide-page loads in Chromium took 10.7 instead of 14.1 s of processor time (medians of six).
"""

from __future__ import annotations

import logging
import posixpath
import re
from pathlib import Path
from typing import Any, Literal

_state: dict[str, str] = {"command": "build"}
_log = logging.getLogger("mkdocs.hooks.prodready")

_JSON_LD = re.compile(
    r'[ \t]*<script type="application/ld\+json">.*?</script>[ \t]*\n?', re.DOTALL | re.IGNORECASE
)


def on_startup(*, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
    _state["command"] = command


def on_config(config: Any) -> Any:
    serve = _state["command"] == "serve"
    config.extra["serve_mode"] = serve
    if serve:
        # One unversioned site: no versions.json, which Material's version selector (provider
        # mike) would ask for on every page, logging a 404 each time.
        config.extra["version"] = None
    return config


def move_json_ld_to_head(html: str) -> str:
    """Move every `<script type="application/ld+json">` found after `</head>` into the head."""
    head_end = html.find("</head>")
    if head_end < 0:
        return html
    head, body = html[:head_end], html[head_end:]
    blocks = [match.group(0).strip() for match in _JSON_LD.finditer(body)]
    if not blocks:
        return html
    body = _JSON_LD.sub("", body)
    return head + "".join(f"  {block}\n" for block in blocks) + body


# Public: the benchmark (prodready_tools.bench) finds the policy the same way to undo the hints.
CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy"', re.IGNORECASE)
_SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
_ATTR = re.compile(r'([\w-]+)(?:="([^"]*)")?')
_PRELOADED = re.compile(r'<link rel="(?:preload|modulepreload)"[^>]*href="([^"]+)"', re.IGNORECASE)
_STATIC_IMPORT = re.compile(
    r'^\s*import\s+(?:[^"\';]*?\s+from\s+)?["\'](\.{1,2}/[^"\']+)["\']', re.M
)
THEME_BUNDLE = "assets/javascripts/bundle."


def _site_path(page_dest: str, src: str) -> str | None:
    """The path under docs/ of a script `src` on the page written to `page_dest`, or None for a
    script from elsewhere (there should be none: the site loads nothing from other hosts)."""
    if "://" in src or src.startswith("//"):
        return None
    if src.startswith("/"):
        return src.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(page_dest), src))


def _module_imports(docs_dir: Path, page_dest: str, src: str) -> list[str]:
    """The URLs, as the page would write them, of the relative static imports of the module at
    `src`, and of theirs in turn (read from the sources under docs/)."""
    found: list[str] = []
    pending = [src]
    while pending:
        url = pending.pop()
        path = _site_path(page_dest, url)
        source = docs_dir / path if path is not None else None
        if source is None or not source.is_file():
            continue
        for target in _STATIC_IMPORT.findall(source.read_text(encoding="utf-8")):
            # Resolved against the importing module's URL, as the browser does.
            imported = posixpath.normpath(posixpath.join(posixpath.dirname(url), target))
            if imported not in found and imported != src:
                found.append(imported)
                pending.append(imported)
    return found


def preload_late_scripts(html: str, page_dest: str, docs_dir: Path) -> str:
    """Announce the scripts after the theme's bundle (and the modules they import) before the
    page's `<meta>` Content-Security-Policy, where the preload scanner still sees them."""
    csp = CSP_META.search(html)
    if not csp:
        return html
    already = {match.group(1) for match in _PRELOADED.finditer(html)}
    links: list[str] = []

    def announce(rel: str, href: str) -> None:
        if href not in already:
            already.add(href)
            kind = ' as="script"' if rel == "preload" else ""
            links.append(f'<link rel="{rel}" href="{href}"{kind}>')

    after_bundle = False
    for match in _SCRIPT.finditer(html, csp.end()):
        attrs = {name.lower(): value or "" for name, value in _ATTR.findall(match.group(1))}
        src = attrs.get("src")
        if not src:
            continue
        if THEME_BUNDLE in src:
            after_bundle = True
            continue
        if not after_bundle:
            continue
        if attrs.get("type") == "module":
            announce("modulepreload", src)
            for imported in _module_imports(docs_dir, page_dest, src):
                announce("modulepreload", imported)
        else:
            announce("preload", src)
    if not links:
        return html
    return html[: csp.start()] + "".join(links) + "\n  " + html[csp.start() :]


# The theme's search worker in its configuration: "search": ".../workers/search.<hash>.min.js".
_SEARCH_WORKER = re.compile(r'("search":\s*"[^"]*workers/)(search\.[0-9a-f]+\.min\.js)"')
SEARCH_ON_DEMAND = "search-on-demand.js"


def search_on_demand(html: str) -> str:
    """Point the theme's search worker at the wrapper that builds the index on the first query."""
    return _SEARCH_WORKER.sub(rf'\1{SEARCH_ON_DEMAND}?worker=\2"', html, count=1)


def on_post_page(output: str, *, page: Any, config: Any) -> str:
    output = search_on_demand(move_json_ld_to_head(output))
    return preload_late_scripts(output, page.file.dest_uri, Path(config.docs_dir))


def on_post_template(output_content: str, *, template_name: str, config: Any) -> str:
    # The theme's 404.html is rendered as a template, not as a page.
    if template_name == "404.html":
        output_content = search_on_demand(output_content)
        return preload_late_scripts(output_content, template_name, Path(config.docs_dir))
    return output_content


# A rule (its whole selector list and block) whose selectors use the mark the theme's palette
# component puts on <body> while it applies a palette.
SWITCHING_RULE = re.compile(r"(?:^|(?<=[{}]))[^{}]*\[data-md-color-switching\][^{}]*\{[^{}]*\}")


def drop_switching_rule(css: str) -> str:
    """The stylesheet `css` with the rules whose selectors use `[data-md-color-switching]`
    blanked out: replaced by as many spaces, so the theme's source map still lines up."""
    return SWITCHING_RULE.sub(lambda match: " " * len(match.group(0)), css)


def on_post_build(*, config: Any) -> None:
    """Blank the palette-switching rule out of the theme's palette stylesheet in the built site.

    The theme's own copy is what is checked for the rule: a `--dirty` build keeps the built copy,
    already blanked, and must not warn."""
    folder = Path("assets", "stylesheets")
    found = False
    for theme_dir in map(Path, config.theme.dirs):
        for source in sorted((theme_dir / folder).glob("palette.*.css")):
            if not SWITCHING_RULE.search(source.read_text(encoding="utf-8")):
                continue
            found = True
            built = Path(config.site_dir, folder, source.name)
            if built.is_file():
                css = built.read_text(encoding="utf-8")
                built.write_text(drop_switching_rule(css), encoding="utf-8")
    if not found:
        # The theme changed its palette code: say so (a strict build stops here).
        _log.warning("no [data-md-color-switching] rule found in the theme's palette stylesheet")
