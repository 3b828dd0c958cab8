"""HTML from the engine's Markdown for the tracking documents (portfolio table, diff, record):
a fragment for the assessor page to place, or a standalone page to print or file.

As for reports (:mod:`prodready.render`), the HTML is the Markdown rendered by markdown-it-py with
the ``js-default`` preset (raw HTML disabled, unsafe link schemes refused), so nothing a reader
typed can inject markup; the engine writes only the document shell.
"""

from __future__ import annotations

import re

from prodready.markup import escape

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
    return (
        "<!doctype html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<style>{_CSS}</style></head>"
        f'<body><main data-document="{escape(kind)}">\n{_render(markdown)}</main></body></html>\n'
    )


_CSS = """
body { font: 16px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1d1d1f; }
table { border-collapse: collapse; } td, th { border: 1px solid #999; padding: .25rem .5rem; text-align: left; vertical-align: top; }
a { color: #0b57d0; text-decoration: underline; }
code { overflow-wrap: anywhere; }
@media print { body { margin: 0; max-width: none; } a { color: inherit; } h2, h3 { break-after: avoid; } tr { break-inside: avoid; } }
"""
