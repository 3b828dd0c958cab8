"""The Markdown and standalone HTML reports: :mod:`prodready.wording` written by each writer.

Markdown is the primary human format (tickets, pull requests); HTML is the same parts written as
HTML, with the readiness chart, in a document with its own small stylesheet. Nothing a reader
typed can become markup or a link in either (see :mod:`prodready.writers`).
"""

from __future__ import annotations

from prodready.chart import CHART_CSS
from prodready.markup import escape
from prodready.report import Report
from prodready.wording import document
from prodready.writers import DEFAULT_GUIDE_BASE, HtmlWriter, MarkdownWriter

__all__ = ["DEFAULT_GUIDE_BASE", "to_html", "to_markdown"]


def to_markdown(report: Report, guide_base: str = DEFAULT_GUIDE_BASE) -> str:
    return document(report, MarkdownWriter(guide_base)) + "\n"


def to_html(report: Report, guide_base: str = DEFAULT_GUIDE_BASE) -> str:
    """A standalone HTML document: the report's parts, the chart included."""
    body = document(report, HtmlWriter(guide_base))
    title = escape(f"ProdReady assessment: {report.initiative or 'Untitled initiative'}")
    return (
        "<!doctype html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<style>{_PAGE_CSS}{CHART_CSS}</style></head>"
        f'<body><main data-verdict="{escape(report.verdict.id)}">\n{body}\n</main></body></html>\n'
    )


_PAGE_CSS = """
body { font: 16px/1.5 system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; color: #1d1d1f; }
table { border-collapse: collapse; } td, th { border: 1px solid #999; padding: .25rem .5rem; text-align: left; }
a { color: #0b57d0; text-decoration: underline; }
.prodready-checklist { list-style: "☐  "; }
@media print { a { color: inherit; } }
"""
