"""The Markdown and standalone HTML reports: :mod:`prodready.wording` written by each writer.

Markdown is the primary human format (tickets, pull requests); HTML is the same parts written as
HTML, with the readiness chart, in a document with its own small stylesheet. Nothing a reader
typed can become markup or a link in either (see :mod:`prodready.writers`).
"""

from __future__ import annotations

from prodready.chart import CHART_CSS
from prodready.report import Report
from prodready.wording import document
from prodready.writers import DEFAULT_GUIDE_BASE, HtmlWriter, MarkdownWriter, standalone

__all__ = ["DEFAULT_GUIDE_BASE", "to_html", "to_markdown"]


def to_markdown(report: Report, guide_base: str = DEFAULT_GUIDE_BASE) -> str:
    return document(report, MarkdownWriter(guide_base)) + "\n"


def to_html(report: Report, guide_base: str = DEFAULT_GUIDE_BASE) -> str:
    """A standalone HTML document: the report's parts, the chart included."""
    body = document(report, HtmlWriter(guide_base))
    title = f"ProdReady assessment: {report.initiative or 'Untitled initiative'}"
    return standalone(title, body, ("verdict", report.verdict.id), CHART_CSS)
