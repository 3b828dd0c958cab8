"""The strict build, and what every built page must (not) contain."""

from __future__ import annotations

import json
import re
import urllib.parse
from pathlib import Path

import material
import pytest

from prodready_site import hooks
from prodready_site.faq import faq_questions
from prodready_tools.site import config_path
from support.html import Element, is_executable_script, parse

pytestmark = pytest.mark.site

EXPECTED_CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'"
)


def html_files(site: Path) -> list[Path]:
    files = sorted(site.rglob("*.html"))
    assert files, f"no HTML in {site}"
    return files


def test_strict_build_produces_every_nav_page(built_site: Path) -> None:
    for page in [
        "index.html",
        "404.html",
        "why-it-matters/index.html",
        "decision-framework/index.html",
        "triggers/index.html",
        "misconceptions/index.html",
        "exceptions/index.html",
        "eu-ai-act/index.html",
        "what-to-build-first/index.html",
        "assessor/index.html",
        "faq/index.html",
        "glossary/index.html",
        "reference/cli/index.html",
        "reference/report-format/index.html",
        "search/search_index.json",
        "assets/stylesheets/extra.css",
    ]:
        assert (built_site / page).is_file(), page
    # Snippet sources are not pages.
    assert not (built_site / "includes").exists()


def test_every_page_has_the_content_security_policy(built_site: Path) -> None:
    for html in html_files(built_site):
        metas = [
            e.attrs.get("content", "")
            for e in parse(html.read_text(encoding="utf-8"))
            if e.tag == "meta"
            and e.attrs.get("http-equiv", "").lower() == "content-security-policy"
        ]
        rel = html.relative_to(built_site)
        assert metas == [EXPECTED_CSP], f"{rel}: {metas}"
        assert "'unsafe-eval'" not in metas[0]


def _is_csp(element: Element) -> bool:
    return element.attrs.get("http-equiv", "").lower() == "content-security-policy"


def test_csp_comes_before_any_script_or_stylesheet(built_site: Path) -> None:
    # Preload hints may come first (see the next test): they run nothing, and every script
    # they announce is loaded and run by a <script> under the policy.
    for html in html_files(built_site):
        elements = parse(html.read_text(encoding="utf-8"))
        tags = [
            "csp" if _is_csp(e) else e.tag
            for e in elements
            if e.tag in {"script", "style", "meta"}
            or (e.tag == "link" and e.attrs.get("rel") == "stylesheet")
        ]
        first_resource = next(
            (i for i, t in enumerate(tags) if t in {"script", "link", "style"}), len(tags)
        )
        assert tags.index("csp") < first_resource, html.relative_to(built_site)


def _static_imports(module: Path) -> list[Path]:
    source = module.read_text(encoding="utf-8")
    pattern = r'^import\s+(?:[^"]*?\s+from\s+)?"(\.{1,2}/[^"]+)"'
    targets = re.findall(pattern, source, re.M)
    return [(module.parent / target).resolve() for target in targets]


def test_late_scripts_are_announced_before_the_policy(built_site: Path) -> None:
    # Chromium's preload scanner stops at a <meta> Content-Security-Policy, so without hints
    # before it the scripts after the theme's bundle were fetched one after another. Announced:
    # exactly those scripts and the modules they import; not the bundle or anything before it
    # (fetched early, the bundle would run before the first paint).
    for html in html_files(built_site):
        rel = html.relative_to(built_site)
        elements = parse(html.read_text(encoding="utf-8"))
        csp = next(i for i, e in enumerate(elements) if _is_csp(e))
        hints = [e for e in elements[:csp] if e.tag == "link" and "preload" in e.attrs["rel"]]
        scripts = [e for e in elements[csp:] if e.tag == "script" and "src" in e.attrs]
        bundle = next(i for i, e in enumerate(scripts) if "/javascripts/bundle." in e.attrs["src"])

        def local(href: str, page: Path = html) -> Path:
            if href.startswith("/"):
                return (built_site / href.lstrip("/")).resolve()
            return (page.parent / href).resolve()

        expected: dict[Path, str] = {}
        for script in scripts[bundle + 1 :]:
            module = script.attrs.get("type") == "module"
            expected[local(script.attrs["src"])] = "modulepreload" if module else "preload"
            if module:
                pending = [local(script.attrs["src"])]
                while pending:
                    for imported in _static_imports(pending.pop()):
                        if imported not in expected:
                            expected[imported] = "modulepreload"
                            pending.append(imported)
        announced = {local(e.attrs["href"]): e.attrs["rel"] for e in hints}
        assert announced == expected, rel
        for hint in hints:
            assert local(hint.attrs["href"]).is_file(), (rel, hint.attrs)
            if hint.attrs["rel"] == "preload":
                assert hint.attrs.get("as") == "script", (rel, hint.attrs)
            assert "crossorigin" not in hint.attrs, (rel, hint.attrs)  # same mode as the script
        assert expected, rel  # every page loads the assessor's module after the bundle


def test_the_palette_switching_rule_is_blanked_out(built_site: Path) -> None:
    # Material's palette component marks <body> while it applies a palette; a rule on that mark
    # for every element restyles the whole page twice as the theme starts (see hooks.py).
    theme = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
    for original in sorted(theme.glob("palette.*.css")):
        built = (built_site / "assets" / "stylesheets" / original.name).read_text(encoding="utf-8")
        source = original.read_text(encoding="utf-8")
        assert "[data-md-color-switching]" in source, "the theme dropped the rule: drop the hook"
        assert "data-md-color-switching" not in built
        # Blanked, not cut (the theme's source map still lines up), and nothing else changed:
        # what the blanking does to each shape of rule is tested in test_hooks.py.
        assert built == hooks.drop_switching_rule(source)


def test_every_page_builds_its_search_index_on_demand(built_site: Path) -> None:
    # The theme's configuration names the wrapper, which names a theme worker that exists.
    wrapper = built_site / "assets" / "javascripts" / "workers" / "search-on-demand.js"
    assert wrapper.is_file()
    for html in html_files(built_site):
        configs = [
            json.loads(e.text)
            for e in parse(html.read_text(encoding="utf-8"))
            if e.tag == "script" and e.attrs.get("id") == "__config"
        ]
        assert len(configs) == 1, html
        url = urllib.parse.urlsplit(configs[0]["search"])
        assert url.path.endswith("workers/search-on-demand.js"), (html, url)
        (worker,) = urllib.parse.parse_qs(url.query)["worker"]
        assert re.fullmatch(r"search\.[0-9a-f]+\.min\.js", worker), worker
        assert (wrapper.parent / worker).is_file(), worker


def test_no_inline_executable_script_remains(built_site: Path) -> None:
    problems: list[str] = []
    handler = re.compile(r"^on[a-z]+$")
    for html in html_files(built_site):
        rel = html.relative_to(built_site)
        for element in parse(html.read_text(encoding="utf-8")):
            if is_executable_script(element) and "src" not in element.attrs:
                problems.append(f"{rel}: inline <script>{element.text.strip()[:80]}")
            problems.extend(
                f"{rel}: <{element.tag} {name}=…> inline event handler"
                for name in element.attrs
                if handler.match(name)
            )
            href = element.attrs.get("href", "") + element.attrs.get("src", "")
            if href.strip().lower().startswith("javascript:"):
                problems.append(f"{rel}: javascript: URL on <{element.tag}>")
    assert not problems, "\n".join(problems)


def test_site_scripts_are_served_from_the_site(built_site: Path) -> None:
    page = (built_site / "index.html").read_text(encoding="utf-8")
    sources = [e.attrs["src"] for e in parse(page) if e.tag == "script" and "src" in e.attrs]
    for name in ["md-base.js", "palette.js", "content.js", "outdated.js", "a11y.js", "print.js"]:
        matches = [s for s in sources if s.endswith(f"assets/js/site/{name}")]
        assert len(matches) == 1, (name, sources)
        assert (built_site / "assets/js/site" / name).is_file()
    # md-base.js defines the globals the others use, so it must come first.
    assert sources[0].endswith("assets/js/site/md-base.js"), sources


def test_repository_link_does_not_fetch_from_github(built_site: Path) -> None:
    for element in parse((built_site / "index.html").read_text(encoding="utf-8")):
        assert element.attrs.get("data-md-component") != "source"
    assert "fonts.googleapis.com" not in (built_site / "index.html").read_text(encoding="utf-8")


def test_search_dialog_has_an_accessible_name(built_site: Path) -> None:
    dialogs = [
        e
        for e in parse((built_site / "index.html").read_text(encoding="utf-8"))
        if e.attrs.get("role") == "dialog"
    ]
    assert dialogs
    assert all(e.attrs.get("aria-label") for e in dialogs)


def test_faq_page_carries_faqpage_json_ld(built_site: Path) -> None:
    source = (config_path().parent / "docs" / "faq.md").read_text(encoding="utf-8")
    expected = faq_questions(source)
    html = (built_site / "faq" / "index.html").read_text(encoding="utf-8")
    blocks = [
        e.text
        for e in parse(html)
        if e.tag == "script" and e.attrs.get("type") == "application/ld+json"
    ]
    if not expected:
        assert blocks == [], "no `??? question` blocks in faq.md, so no FAQPage data"
        return
    assert len(blocks) == 1
    # In <head>: inside the content, instant navigation would turn it into an executable script.
    head = html.split("</head>")[0]
    assert 'type="application/ld+json"' in head
    data = json.loads(blocks[0])
    assert data["@type"] == "FAQPage"
    assert [(q["name"], q["acceptedAnswer"]["text"]) for q in data["mainEntity"]] == expected
    # Other pages carry no FAQ data.
    for other in html_files(built_site):
        if other.parent.name != "faq":
            assert "application/ld+json" not in other.read_text(encoding="utf-8"), other


def test_every_page_has_a_title_and_a_description_from_its_front_matter(built_site: Path) -> None:
    """Each guide page's front matter is valid YAML (MkDocs ignores a page's metadata it cannot
    read, silently; Zensical refuses the build) and gives the page its meta description."""
    import yaml

    docs = Path(__file__).resolve().parents[2] / "docs"
    for md in sorted(docs.rglob("*.md")):
        if "includes" in md.parts:
            continue
        text = md.read_text(encoding="utf-8")
        assert text.startswith("---\n"), md
        meta = yaml.safe_load(text.split("---\n", 2)[1])
        assert isinstance(meta, dict), md
        assert meta.get("title"), md
        assert meta.get("description"), md
        rel = md.relative_to(docs).with_suffix("")
        page = "index.html" if rel.name == "index" else f"{rel.as_posix()}/index.html"
        described = [
            m
            for m in parse((built_site / page).read_text(encoding="utf-8"))
            if m.tag == "meta" and m.attrs.get("name") == "description"
        ]
        assert [m.attrs.get("content") for m in described] == [meta["description"]], md
