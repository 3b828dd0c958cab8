"""The two ways the report is written: Markdown and HTML, behind one small set of methods.

The report's wording (:mod:`prodready.wording`) calls these methods and never writes markup itself,
so the Markdown report, the standalone HTML report and the assessor page's fragments are the same
phrases in the same order. Every method takes text already written by the same writer, except
:meth:`Writer.text` and :meth:`Writer.typed`, which take plain text and escape it: ``text`` for
the rule set's own words, ``typed`` for what the reader typed (escaped for Markdown too, so it
cannot become a link or markup there either).

Guide links in the rules (``page.md#anchor``, relative to docs/) become URLs under a base: the
published guide for the CLI's reports, ``../`` for the assessor page (served at ``assessor/``).
This is the only place that mapping is written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from prodready.chart import describe, readiness_svg
from prodready.markup import escape
from prodready.report import Readiness

DEFAULT_GUIDE_BASE = "https://prodready.github.io/prodready/latest/"
PAGE_GUIDE_BASE = "../"
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&])")


def guide_url(guide: str, base: str = DEFAULT_GUIDE_BASE) -> str:
    """``triggers.md#scale`` -> ``<base>triggers/#scale`` (MkDocs directory URLs)."""
    page, _, anchor = guide.partition("#")
    path = page.removesuffix(".md")
    path = "" if path == "index" else path.removesuffix("/index") + "/"
    return f"{base}{path}" + (f"#{anchor}" if anchor else "")


def question_anchor(question: str) -> str:
    """The element id of a question on the assessor page (the form is built with it too)."""
    return f"q-{question}"


def md_escape(text: str) -> str:
    """Escape text the reader typed, so it cannot become a link or markup."""
    return _MD_SPECIAL.sub(r"\\\1", text)


class Writer:
    """The methods the wording uses; :class:`MarkdownWriter` and :class:`HtmlWriter` write them."""

    def __init__(self, base: str) -> None:
        self.base = base

    def text(self, text: str) -> str:
        raise NotImplementedError

    def typed(self, text: str) -> str:
        raise NotImplementedError

    def link(self, label: str, guide: str) -> str:
        raise NotImplementedError

    def strong(self, inner: str, data: tuple[str, str] | None = None) -> str:
        raise NotImplementedError

    def emphasis(self, inner: str) -> str:
        raise NotImplementedError

    def quoted(self, inner: str) -> str:
        return f"“{inner}”"

    def question(self, question: str, inner: str) -> str:
        """A reference to a question of the form: its text, quoted."""
        return self.quoted(inner)

    def heading(self, level: int, inner: str) -> str:
        raise NotImplementedError

    def para(self, inner: str, name: str = "") -> str:
        raise NotImplementedError

    def items(self, items: Sequence[str], *, ordered: bool = False, checks: bool = False) -> str:
        raise NotImplementedError

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
        raise NotImplementedError

    def chart(self, rows: tuple[Readiness, ...]) -> str:
        raise NotImplementedError

    def rule(self) -> str:
        raise NotImplementedError

    def blocks(self, blocks: Sequence[str]) -> str:
        """Blocks one after the other (empty ones left out)."""
        raise NotImplementedError


class MarkdownWriter(Writer):
    def text(self, text: str) -> str:
        return text

    def typed(self, text: str) -> str:
        return md_escape(text)

    def link(self, label: str, guide: str) -> str:
        return f"[{label}]({guide_url(guide, self.base)})"

    def strong(self, inner: str, data: tuple[str, str] | None = None) -> str:
        return f"**{inner}**"

    def emphasis(self, inner: str) -> str:
        return f"*{inner}*"

    def heading(self, level: int, inner: str) -> str:
        return f"{'#' * level} {inner}"

    def para(self, inner: str, name: str = "") -> str:
        return inner

    def items(self, items: Sequence[str], *, ordered: bool = False, checks: bool = False) -> str:
        out = []
        for n, item in enumerate(items, start=1):
            marker = f"{n}. " if ordered else ("- [ ] " if checks else "- ")
            indent = " " * (len(marker) if ordered else 2)
            first, *rest = item.split("\n")
            out.append(
                marker + first + "".join(f"\n{indent}{line}" if line else "\n" for line in rest)
            )
        return "\n".join(out)

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
        def row(cells: Sequence[str]) -> str:
            return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

        return "\n".join([row(header), "|" + " --- |" * len(header), *map(row, rows)])

    def chart(self, rows: tuple[Readiness, ...]) -> str:
        return self.items([describe(r) for r in rows])

    def rule(self) -> str:
        return "---"

    def blocks(self, blocks: Sequence[str]) -> str:
        return "\n\n".join(b for b in blocks if b)


class HtmlWriter(Writer):
    """HTML; ``shift`` moves headings down (the page's report sits under its own h2), and on the
    page (``page=True``) a reference to a question links to it in the form."""

    def __init__(self, base: str, *, shift: int = 0, page: bool = False) -> None:
        super().__init__(base)
        self.shift = shift
        self.page = page

    def text(self, text: str) -> str:
        return escape(text, quote=False)

    def typed(self, text: str) -> str:
        return escape(text, quote=False)

    def link(self, label: str, guide: str) -> str:
        return f'<a href="{escape(guide_url(guide, self.base))}">{label}</a>'

    def strong(self, inner: str, data: tuple[str, str] | None = None) -> str:
        attr = f' data-{data[0]}="{escape(data[1])}"' if data else ""
        return f"<strong{attr}>{inner}</strong>"

    def emphasis(self, inner: str) -> str:
        return f"<em>{inner}</em>"

    def question(self, question: str, inner: str) -> str:
        if not self.page:
            return self.quoted(inner)
        return self.quoted(f'<a href="#{escape(question_anchor(question))}">{inner}</a>')

    def heading(self, level: int, inner: str) -> str:
        n = min(level + self.shift, 6)
        return f"<h{n}>{inner}</h{n}>"

    def para(self, inner: str, name: str = "") -> str:
        cls = f' class="prodready-{escape(name)}"' if name else ""
        return f"<p{cls}>{inner}</p>"

    def items(self, items: Sequence[str], *, ordered: bool = False, checks: bool = False) -> str:
        tag = "ol" if ordered else "ul"
        cls = ' class="prodready-checklist"' if checks else ""
        body = "".join(f"<li>{item}</li>" for item in items)
        return f"<{tag}{cls}>{body}</{tag}>"

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
        head = "".join(f'<th scope="col">{h}</th>' for h in header)
        body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
        return (
            f'<table class="prodready-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>"
        )

    def chart(self, rows: tuple[Readiness, ...]) -> str:
        return readiness_svg(rows)

    def rule(self) -> str:
        return "<hr>"

    def blocks(self, blocks: Sequence[str]) -> str:
        return "\n".join(b for b in blocks if b)


# The stylesheet of every standalone page the engine writes (reports, records, diffs, portfolio
# tables): readable on screen and on paper, with no file or font from elsewhere.
PAGE_CSS = """
body { font: 16px/1.5 system-ui, sans-serif; max-width: 56rem; margin: 2rem auto; padding: 0 1rem; color: #1d1d1f; }
table { border-collapse: collapse; } td, th { border: 1px solid #999; padding: .25rem .5rem; text-align: left; vertical-align: top; }
a { color: #0b57d0; text-decoration: underline; }
code { overflow-wrap: anywhere; }
.prodready-checklist { list-style: "☐  "; }
@media print { body { margin: 0; max-width: none; } a { color: inherit; } h2, h3 { break-after: avoid; } tr { break-inside: avoid; } }
"""


def standalone(title: str, body: str, main: tuple[str, str], css: str = "") -> str:
    """A whole HTML page around ``body`` (HTML the engine wrote): ``title`` is plain text,
    ``main`` one ``data-*`` attribute naming what the page is, ``css`` added to PAGE_CSS."""
    return (
        "<!doctype html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<style>{PAGE_CSS}{css}</style></head>"
        f'<body><main data-{main[0]}="{escape(main[1])}">\n{body}\n</main></body></html>\n'
    )
