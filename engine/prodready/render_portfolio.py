"""The portfolio table in Markdown and HTML, and the summary cells a diff shares with it."""

from __future__ import annotations

from prodready.pages import document, fragment
from prodready.portfolio import Table
from prodready.summary import NextStep, ReadinessFigure
from prodready.writers import md_escape


def readiness_text(r: ReadinessFigure) -> str:
    """``27% (3 of 11 required)``, or ``6% (1 of 16, none required)`` when the plan requires no
    capability."""
    counted = " required" if r.basis == "required" else ", none required"
    return f"{r.percent}% ({r.in_place} of {r.of}{counted})"


def step_text(step: NextStep | None) -> str:
    return f"{step.title} (phase {step.phase})" if step else "—"


def table_markdown(t: Table) -> str:
    count = f"{len(t.rows)} initiative" + ("" if len(t.rows) == 1 else "s")
    out = [
        "# Portfolio",
        "",
        f"{count}, each by its latest assessment under rule set {t.ruleset_version}, "
        "those needing action first. Readiness: the share of the capabilities the plan "
        "requires that are in place (of all capabilities when it requires none).",
        "",
        "| Initiative | Verdict | EU AI Act | Readiness | Next step | Assessed on |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for row in t.rows:
        s = row.summary
        cells = (
            md_escape(row.name),
            s.verdict_title,
            s.tier_title,
            readiness_text(s.readiness),
            step_text(s.next_step),
            s.assessed_on,
        )
        out.append("| " + " | ".join(cells) + " |")
    out += ["", f"Engine {t.engine_version}, rule set {t.ruleset_version}.", ""]
    return "\n".join(out)


def table_text(t: Table, fmt: str) -> str:
    """The table as ``json``, ``md``, ``html`` (a page) or ``fragment`` (HTML to place)."""
    if fmt == "json":
        return t.to_json()
    md = table_markdown(t)
    if fmt == "md":
        return md
    return document("ProdReady portfolio", md, "portfolio") if fmt == "html" else fragment(md)
