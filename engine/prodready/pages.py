"""HTML from the engine's Markdown for the tracking documents (portfolio table, diff, record):
a fragment for the assessor page to place, or a standalone page to print or file.

As for reports (:mod:`prodready.render`), the HTML is the Markdown rendered by markdown-it-py with
the ``js-default`` preset (raw HTML disabled, unsafe link schemes refused), so nothing a reader
typed can inject markup; the engine writes only the document shell.
"""

from __future__ import annotations

import re

from prodready.writers import standalone

_HEADING = re.compile(r"^(#{1,6}) ", re.MULTILINE)
# The assessor page shows these documents in its tracking panels: under the page's title (h1),
# the section "Track your initiatives" (h2) and a panel's heading (h3). A fragment's own title
# (``#``) is then an h4.
FRAGMENT_DEPTH = 3


def demote(markdown: str, levels: int = 1) -> str:
    """Every ATX heading ``levels`` down (``#`` becomes ``##``), at most to ``######``: a
    document inside another."""
    return _HEADING.sub(lambda m: "#" * min(6, len(m.group(1)) + levels) + " ", markdown)


def _render(markdown: str) -> str:
    from markdown_it import MarkdownIt

    html: str = MarkdownIt("js-default").render(markdown)
    return html


def fragment(markdown: str) -> str:
    """The Markdown as an HTML fragment for a tracking panel of the assessor page (its headings
    start at ``h4``: see :data:`FRAGMENT_DEPTH`)."""
    return _render(demote(markdown, FRAGMENT_DEPTH))


def document(title: str, markdown: str, kind: str) -> str:
    """A standalone, print-ready HTML page; ``kind`` names the document on ``<main>``."""
    return standalone(title, _render(markdown), ("document", kind))
