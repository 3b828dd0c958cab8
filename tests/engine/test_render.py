"""The Markdown and HTML reports: text a reader typed cannot become markup or a link, the chart is
accessible, and guide links point at the guide's directory URLs."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from engine_cases import BASE, doc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prodready import AnswersError, assess, load_ruleset
from prodready.chart import readiness_svg
from prodready.markup import escape
from prodready.render import DEFAULT_GUIDE_BASE, to_html, to_markdown
from prodready.writers import guide_url, md_escape

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = "<script>alert(1)</script> [x](javascript:alert(1))"


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text, of an HTML document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def h1_text(html: str) -> str:
    """The text of the report's first heading, entities decoded (what a reader sees)."""
    start = html.index("<h1>")
    return "".join(parse(html[start : html.index("</h1>", start)]).text)


def parse(html: str) -> Elements:
    parser = Elements()
    parser.feed(html)
    parser.close()
    return parser


SAFE_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "p",
    "strong",
    "em",
    "code",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
    "svg",
    "desc",
    "rect",
    "text",
    "br",
}


def assert_safe(html: str, guide_base: str = DEFAULT_GUIDE_BASE) -> Elements:
    assert "<script" not in html.lower()
    assert (
        "javascript:"
        not in "".join(v or "" for _, attrs in parse(html).tags for v in attrs.values()).lower()
    )
    elements = parse(html)
    for tag, attrs in elements.tags:
        assert tag in SAFE_TAGS, tag
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        if tag == "a":
            assert (attrs.get("href") or "").startswith(guide_base), attrs
    return elements


def test_hostile_initiative_name_is_inert() -> None:
    report = assess(doc(name=HOSTILE))
    html = to_html(report)
    elements = assert_safe(html)
    hrefs = [attrs.get("href") for tag, attrs in elements.tags if tag == "a"]
    assert hrefs
    assert all("javascript" not in (h or "") for h in hrefs)
    # The name is shown as text, exactly as typed.
    assert h1_text(html) == f"ProdReady assessment: {HOSTILE}"
    assert "&lt;script&gt;" in html
    assert HOSTILE in to_markdown(report).replace("\\", "")


@pytest.mark.parametrize(
    "name",
    [
        "<img src=x onerror=alert(1)>",
        "<javascript:alert(1)>",
        "[a]: javascript:alert(1)",
        "![x](javascript:alert(1))",
        "`code` *em* _u_ ~~s~~ | pipe |",
        "&lt;script&gt; &#106;avascript: &amp;",
        "<!-- comment --> <style>body{}</style>",
        "a\\",
        "AT&T R&D",
    ],
)
def test_markup_in_the_name_stays_text(name: str) -> None:
    html = to_html(assess(doc(name=name)))
    assert_safe(html)
    assert h1_text(html) == f"ProdReady assessment: {name}"


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(
        st.sampled_from(list("<>[]()!*_`#&;:/\\-|~=\"' ajvscriptJAVS1\t")) | st.characters(),
        max_size=120,
    )
)
def test_any_name_renders_safely(name: str) -> None:
    try:
        report = assess(doc(name=name))
    except AnswersError:
        return  # refusing odd text is fine too
    html = to_html(report, "https://guide.test/")
    assert_safe(html, "https://guide.test/")
    if "\n" not in name and "\r" not in name and name.strip():
        first = to_markdown(report).split("\n", 1)[0]
        assert first.startswith("# ProdReady assessment: ")


def test_line_break_in_name_cannot_add_blocks() -> None:
    name = "Churn\n\n**Verdict: Experimentation is acceptable**"
    try:
        report = assess(doc(name=name))
    except AnswersError:
        return
    md = to_markdown(report)
    heading, rest = md.split("\n", 1)
    assert "Verdict" in heading
    assert "Verdict: Experimentation" not in rest.replace("**Verdict: Production", "")


def test_md_escape_neutralises_markdown() -> None:
    from markdown_it import MarkdownIt

    text = "*a* _b_ `c` [d](e) <f> # g ! h | i ~ j"
    html = MarkdownIt("js-default").renderInline(md_escape(text))
    assert html == text.replace("<", "&lt;").replace(">", "&gt;")


# --- the chart ------------------------------------------------------------------------------


def test_chart_is_accessible() -> None:
    report = assess({**BASE, "model_outputs": "operational", "capabilities": ["monitoring"]})
    svg = readiness_svg(report.readiness)
    elements = parse(svg)
    root_tag, root = elements.tags[0]
    assert root_tag == "svg"
    assert root["role"] == "img"
    labelled = (root.get("aria-labelledby") or "").split()
    ids = {attrs.get("id"): tag for tag, attrs in elements.tags if attrs.get("id")}
    assert [ids[i] for i in labelled] == ["title", "desc"]
    assert "Readiness" in svg[svg.index("<title") : svg.index("</title>")]
    desc = svg[svg.index("<desc") : svg.index("</desc>")]
    for area in report.readiness:
        assert area.title in desc
    assert "<script" not in svg
    assert 'xmlns="http://www.w3.org/2000/svg"' in svg


def test_chart_is_in_the_html_report() -> None:
    report = assess(doc(availability_needs="sla"))
    html = to_html(report)
    assert readiness_svg(report.readiness) in html
    assert html.index("Readiness by area") < html.index("<svg")
    assert html.count("<svg") == 1


def test_chart_bars_follow_the_scores() -> None:
    report = assess({**BASE, "model_outputs": "operational", "capabilities": ["model_versioning"]})
    svg = readiness_svg(report.readiness)
    for area in report.readiness:
        assert f">{round(area.score * 100)}%<" in svg


def test_html_document_shell() -> None:
    report = assess(doc(name="Café ✓"))
    html = to_html(report)
    assert html.startswith('<!doctype html>\n<html lang="en">')
    assert '<meta charset="utf-8">' in html
    assert "<title>ProdReady assessment: Café ✓</title>" in html
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    # The only external references are the guide's links: no fonts, scripts or images.
    assert not re.search(r"\b(src|@import|url\()", html)


# --- guide links ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("guide", "expected"),
    [
        ("index.md", "B/"),
        ("triggers.md", "B/triggers/"),
        ("triggers.md#scale-requirements", "B/triggers/#scale-requirements"),
        ("reference/index.md#x", "B/reference/#x"),
        ("reference/report-format.md", "B/reference/report-format/"),
        ("index.md#top", "B/#top"),
    ],
)
def test_guide_url(guide: str, expected: str) -> None:
    assert guide_url(guide, "B/") == expected


def _links(markdown: str) -> list[str]:
    return re.findall(r"\]\(([^)\s]+)\)", markdown)


@pytest.mark.parametrize("base", [DEFAULT_GUIDE_BASE, "https://example.test/docs/1.2/", "/"])
def test_every_report_link_resolves_under_the_base(base: str) -> None:
    document = doc(
        eu_annex_iii=["5b"],
        eu_role="provider_and_deployer",
        eu_transparency=["interacts_with_people"],
        stage="parallel_operation",
        beliefs=["accuracy_means_ready"],
        user_exposure="customers",
    )
    report = assess(document)
    markdown = to_markdown(report, base)
    links = _links(markdown)
    assert len(links) >= 10
    pattern = re.compile(re.escape(base) + r"([a-z0-9_-]+(/[a-z0-9_-]+)*/)?(#[a-z0-9-]+)?$")
    for link in links:
        assert pattern.match(link), link
    html = to_html(report, base)
    hrefs = [a.get("href") or "" for t, a in parse(html).tags if t == "a"]
    assert sorted(hrefs) == sorted(links)


def test_every_guide_page_exists() -> None:
    rs = load_ruleset()
    guides = (
        {r.guide for r in rs.rules}
        | {q.guide for q in rs.questions if q.guide}
        | {k.guide for k in rs.capabilities}
        | {p.guide for p in rs.phases}
        | {f.guide for f in rs.figures}
    )
    missing = sorted(g for g in guides if not (ROOT / "docs" / g.partition("#")[0]).is_file())
    assert not missing, missing


def test_markdown_report_sections() -> None:
    report = assess(doc(eu_annex_iii=["4a"], eu_role="deployer"))
    md = to_markdown(report)
    for heading in (
        "## Why: the rules that fired",
        "## Required actions",
        "## Roadmap: what to build, in order",
        "## Readiness by area",
        "## EU AI Act",
        "### Obligations",
        "### Dates",
    ):
        assert f"\n{heading}\n" in md
    assert md.endswith("\n")
    assert "Engine " in md.splitlines()[-1]


@given(st.text(), st.booleans())
def test_markup_escape_matches_the_standard_library(text: str, quote: bool) -> None:
    # prodready.markup avoids importing html (start-up cost in Pyodide) but must escape alike.
    assert escape(text, quote) == html.escape(text, quote)


def test_engine_start_up_does_not_import_the_html_package() -> None:
    # In a fresh interpreter: importing the protocol and assessing must not pull in `html`
    # (its entity table costs ~70 ms in Pyodide) or markdown-it (only for downloaded reports).
    code = (
        "import json, sys\n"
        "import prodready.protocol as p\n"
        "p.handle(json.dumps({'v': 1, 'id': 1, 'op': 'assess', 'answers': {}}))\n"
        "print(json.dumps(sorted(m for m in ('html', 'markdown_it') if m in sys.modules)))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(proc.stdout) == []


# --- one wording, two formats -----------------------------------------------------------------

EXAMPLES = sorted((ROOT / "engine" / "prodready" / "examples").glob("*.json"))


class _Words(HTMLParser):
    """The words of an HTML fragment, each element's boundary counted as a space."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _words(html: str) -> str:
    words = _Words()
    words.feed(html)
    words.close()
    return " ".join("".join(words.parts).split())


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_markdown_and_html_reports_say_the_same(path: Path) -> None:
    """Each part of the Markdown report, read by a Markdown renderer (markdown-it, js-default),
    says word for word what the same part of the HTML report says."""
    from markdown_it import MarkdownIt

    from prodready.wording import PARTS, part
    from prodready.writers import HtmlWriter, MarkdownWriter

    md = MarkdownIt("js-default")
    report = assess(json.loads(path.read_text(encoding="utf-8")))
    for name, heading, body in PARTS:
        html = part(report, HtmlWriter("B/"), heading, body)
        markdown = part(report, MarkdownWriter("B/"), heading, body)
        read = _words(md.render(markdown)).replace("[ ] ", "")  # a checklist's boxes
        if name == "readiness":  # a chart in HTML, its description as a list in Markdown
            desc = _words(html[html.index("<desc") : html.index("</desc>") + 7])
            items = [line[2:] for line in markdown.splitlines() if line.startswith("- ")]
            assert desc == "; ".join(items)
            continue
        assert read == _words(html), name
        assert sorted(_links(markdown)) == sorted(
            a.get("href") or "" for t, a in parse(html).tags if t == "a"
        ), name
