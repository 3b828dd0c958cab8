"""The decision-flow diagram, drawn as inline SVG from the verdicts and the rules that feed them.

No Mermaid (it loads from a CDN) and no hand-drawn picture that could drift from the rules: the
boxes are the verdicts in the order the engine tries them, and each question lists the rules
whose tags it reads.
"""

from __future__ import annotations

import textwrap
from html import escape
from typing import Any

_W, _BOX_W, _GAP = 720, 360, 26
_VX, _VW = 450, 260  # the verdict boxes on the right


def _feeders(doc: dict[str, Any], when: dict[str, Any]) -> list[str]:
    """Titles of the rules producing the tags a verdict condition requires (not negated)."""
    tags: list[str] = []

    def visit(node: dict[str, Any], negated: bool) -> None:
        if "tag" in node and not negated and node["tag"] not in tags:
            tags.append(node["tag"])
        for key in ("all", "any"):
            for item in node.get(key, []):
                visit(item, negated)
        if "not" in node:
            visit(node["not"], not negated)

    visit(when, False)
    names: list[str] = []
    for r in doc["rules"]:
        if r["kind"] in ("condition", "trigger", "exception", "eu_tier") and set(
            r.get("tags", [])
        ) & set(tags):
            name = r.get("label") or r["title"]
            if name not in names:
                names.append(name)
    return names


def _text(x: float, y: float, lines: list[str], cls: str) -> str:
    spans = "".join(
        f'<tspan x="{x}" dy="{0 if i == 0 else 17}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text x="{x}" y="{y}" class="{cls}" text-anchor="middle">{spans}</text>'


# Self-contained styles (the diagram also works outside the site), following Material's palette
# variables so it reads in light and dark; verdict colours keep 4.5:1 contrast with their text.
_STYLE = (
    "text{font:14px system-ui,sans-serif;fill:var(--md-default-fg-color,#1d1d1f)}"
    ".ft{font-size:11.5px}.lbl{font-size:12px;font-style:italic}"
    ".test{fill:var(--md-default-bg-color,#fff);stroke:var(--md-default-fg-color--light,#555);stroke-width:1.5}"
    ".edge{stroke:var(--md-default-fg-color--light,#555);stroke-width:1.5}"
    ".arrowhead{fill:var(--md-default-fg-color--light,#555)}"
    ".verdict{stroke:none}.verdict+text{fill:#fff;font-weight:600}"
    ".v-must_not_deploy{fill:#8c1d18}.v-production_required{fill:#8a4b00}"
    ".v-exception_applies{fill:#2f4f9e}.v-experimentation_acceptable{fill:#1b6b35}"
)


def decision_flow_svg(doc: dict[str, Any]) -> str:
    verdicts = doc["verdicts"]
    parts: list[str] = []
    y = 10.0
    desc: list[str] = []
    shown: set[str] = set()
    left_x = 20 + _BOX_W / 2
    for i, v in enumerate(verdicts):
        last = i == len(verdicts) - 1
        if last:
            lines = textwrap.wrap(v["title"], 34)
            h = 24 + 17 * len(lines)
            parts.append(
                f'<rect x="20" y="{y}" width="{_BOX_W}" height="{h}" rx="8" class="verdict v-{escape(v["id"])}"/>'
            )
            parts.append(_text(left_x, y + 26, lines, "vt"))
            desc.append(f"Otherwise: {v['title']}.")
            y += h + 10
            break
        q_lines = textwrap.wrap(v.get("test") or v["title"], 40)
        # Each box names only the rules not already named above it.
        feeders = [f for f in _feeders(doc, v["when"]) if f not in shown]
        shown.update(feeders)
        f_lines = textwrap.wrap("Fed by: " + ", ".join(feeders), 56) if feeders else []
        h = 24 + 17 * len(q_lines) + (15 * len(f_lines) + 6 if f_lines else 0)
        parts.append(f'<rect x="20" y="{y}" width="{_BOX_W}" height="{h}" rx="4" class="test"/>')
        parts.append(_text(left_x, y + 24, q_lines, "qt"))
        if f_lines:
            fy = y + 24 + 17 * len(q_lines) + 4
            spans = "".join(
                f'<tspan x="{left_x}" dy="{0 if j == 0 else 15}">{escape(line)}</tspan>'
                for j, line in enumerate(f_lines)
            )
            parts.append(
                f'<text x="{left_x}" y="{fy}" class="ft" text-anchor="middle">{spans}</text>'
            )
        # yes -> verdict box on the right
        v_lines = textwrap.wrap(v["title"], 22)
        vh = 20 + 17 * len(v_lines)
        vy = y + h / 2 - vh / 2
        parts.append(
            f'<line x1="{20 + _BOX_W}" y1="{y + h / 2}" x2="{_VX - 2}" y2="{y + h / 2}" class="edge" marker-end="url(#arrow)"/>'
        )
        parts.append(f'<text x="{20 + _BOX_W + 14}" y="{y + h / 2 - 6}" class="lbl">yes</text>')
        parts.append(
            f'<rect x="{_VX}" y="{vy}" width="{_VW}" height="{vh}" rx="8" class="verdict v-{escape(v["id"])}"/>'
        )
        parts.append(_text(_VX + _VW / 2, vy + 24, v_lines, "vt"))
        # no -> down to the next question
        parts.append(
            f'<line x1="{left_x}" y1="{y + h}" x2="{left_x}" y2="{y + h + _GAP}" class="edge" marker-end="url(#arrow)"/>'
        )
        parts.append(f'<text x="{left_x + 8}" y="{y + h + 17}" class="lbl">no</text>')
        desc.append(
            f"{v.get('test') or v['title']} If yes: {v['title']}."
            + (f" ({'; '.join(feeders)})" if feeders else "")
        )
        y += h + _GAP
    height = round(y + 4)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="prodready-flow" viewBox="0 0 {_W} {height}" '
        f'role="img" aria-labelledby="flow-title flow-desc">'
        '<title id="flow-title">How the assessor reaches its verdict</title>'
        f'<desc id="flow-desc">{escape(" ".join(desc))}</desc>'
        f"<style>{_STYLE}</style>"
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" class="arrowhead"/></marker></defs>'
    )
    svg = head + "".join(parts) + "</svg>"
    steps = "\n".join(
        f"{n}. {v.get('test') or 'Otherwise'} → **{v['title']}** (`{v['id']}`)"
        for n, v in enumerate(verdicts, 1)
    )
    return f'<div class="prodready-flow-wrap" markdown="0">{svg}</div>\n\n' + steps
