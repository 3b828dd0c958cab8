"""HTML from the engine's Markdown for the tracking documents (portfolio table, diff, record):
a fragment for the assessor page to place, or a standalone page to print or file.

As for reports (:mod:`prodready.render`), the HTML is the Markdown rendered by markdown-it-py with
the ``js-default`` preset (raw HTML disabled, unsafe link schemes refused), so nothing a reader
typed can inject markup; the engine writes only the document shell.
"""

from __future__ import annotations

import re

from prodready.writers import standalone

_HEADING = re.compile(r"^(#{1,5}) ", re.MULTILINE)


def demote(markdown: str) -> str:
    """Every ATX heading one level down (``#`` becomes ``##``): a document inside another."""
    return _HEADING.sub(r"#\1 ", markdown)


def _render(markdown: str) -> str:
    from markdown_it import MarkdownIt

    html: str = MarkdownIt("js-default").render(markdown)
    return html


def fragment(markdown: str) -> str:
    """The Markdown as an HTML fragment for the assessor page, whose own ``h1`` is above it (so
    the headings start at ``h2``)."""
    return _render(demote(markdown))


def document(title: str, markdown: str, kind: str) -> str:
    """A standalone, print-ready HTML page; ``kind`` names the document on ``<main>``."""
    return standalone(title, _render(markdown), ("document", kind))
