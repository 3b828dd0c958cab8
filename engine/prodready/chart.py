"""The readiness profile as a small, accessible SVG bar chart: no plotting library, no script.

Drawn by the engine so the browser, the HTML report and the CLI show the same picture.
"""

from __future__ import annotations

from prodready.markup import escape
from prodready.report import Readiness

_W, _LABEL, _ROW, _BAR = 560, 170, 30, 16


def readiness_svg(rows: tuple[Readiness, ...] | list[Readiness]) -> str:
    height = _ROW * len(rows) + 30
    span = _W - _LABEL - 70
    desc = "; ".join(describe(r) for r in rows)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="prodready-chart" role="img" '
        f'viewBox="0 0 {_W} {height}" width="100%" aria-labelledby="readiness-title readiness-desc">',
        '<title id="readiness-title">Readiness profile by capability area</title>',
        f'<desc id="readiness-desc">{escape(desc)}</desc>',
    ]
    for n, r in enumerate(rows):
        y = 10 + n * _ROW
        width = round(span * r.score, 1)
        level = "good" if r.score >= 0.999 else ("partial" if r.score > 0 else "none")
        parts += [
            f'<text x="0" y="{y + 13}" class="label">{escape(r.title)}</text>',
            f'<rect x="{_LABEL}" y="{y}" width="{span}" height="{_BAR}" rx="3" class="track"/>',
            f'<rect x="{_LABEL}" y="{y}" width="{width}" height="{_BAR}" rx="3" class="bar {level}"/>',
            f'<text x="{_LABEL + span + 8}" y="{y + 13}" class="value">{round(r.score * 100)}%</text>',
        ]
    parts.append(
        f'<text x="{_LABEL}" y="{height - 4}" class="note">Share of the capabilities this '
        "initiative needs that are in place (all capabilities where none is required yet)</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


def describe(r: Readiness) -> str:
    """One area's readiness in words: the chart's description, and the Markdown report's list."""
    if r.required:
        return (
            f"{r.title}: {r.required_present} of {r.required} required in place "
            f"({r.present} of {r.total} overall)"
        )
    return f"{r.title}: nothing required; {r.present} of {r.total} in place"


CHART_CSS = """
.prodready-chart text { font: 13px system-ui, sans-serif; fill: currentColor; }
.prodready-chart .note { font-size: 11px; }
.prodready-chart .track { fill: #e0e0e0; }
.prodready-chart .bar.good { fill: #1b7f3b; }
.prodready-chart .bar.partial { fill: #b35c00; }
.prodready-chart .bar.none { fill: #b3261e; }
"""
