"""The portfolio table in Markdown and HTML, and the summary cells a diff shares with it.

The assessor page gets the table as a fragment of its own (:func:`table_fragment`): the same
cells, with the keys a reader may sort the rows by written on each row (``data-sort-<column>``,
ascending as listed in :data:`SORT_KEYS`) and named on the sortable headers (``data-sort``), so
the page sorts without knowing what the values mean.
"""

from __future__ import annotations

from collections.abc import Callable

from prodready.markup import escape
from prodready.pages import document
from prodready.portfolio import Row, Table
from prodready.summary import TIER_URGENCY, NextStep, ReadinessFigure
from prodready.writers import md_escape

COLUMNS = ("Initiative", "Verdict", "EU AI Act", "Readiness", "Next step", "Assessed on")
# The columns a reader may sort by and each row's key: ascending puts the initiatives needing
# action first (the most severe verdict, the most demanding tier, the least ready), names A to
# Z and the oldest assessment first. The table's own order is the verdict's, ties broken as in
# :func:`prodready.summary.urgency` and then by name.
SORT_KEYS: dict[str, tuple[str, Callable[[Row], int | str]]] = {
    "Initiative": ("name", lambda r: r.name.casefold()),
    "Verdict": ("verdict", lambda r: -r.summary.severity),
    "EU AI Act": ("tier", lambda r: TIER_URGENCY.get(r.summary.tier, len(TIER_URGENCY))),
    "Readiness": ("readiness", lambda r: r.summary.readiness.percent),
    "Assessed on": ("assessed", lambda r: r.summary.assessed_on),
}
DEFAULT_SORT = "Verdict"


def readiness_text(r: ReadinessFigure) -> str:
    """``27% (3 of 11 required)``, or ``6% (1 of 16, none required)`` when the plan requires no
    capability."""
    counted = " required" if r.basis == "required" else ", none required"
    return f"{r.percent}% ({r.in_place} of {r.of}{counted})"


def step_text(step: NextStep | None) -> str:
    return f"{step.title} (phase {step.phase})" if step else "—"


def _lead(t: Table) -> str:
    count = f"{len(t.rows)} initiative" + ("" if len(t.rows) == 1 else "s")
    return (
        f"{count}, each by its latest assessment under rule set {t.ruleset_version}, "
        "those needing action first. Readiness: the share of the capabilities the plan "
        "requires that are in place (of all capabilities when it requires none)."
    )


def _versions(t: Table) -> str:
    return f"Engine {t.engine_version}, rule set {t.ruleset_version}."


def _cells(row: Row) -> tuple[str, str, str, str, str]:
    """The cells after the name (the rule set's words and figures: nothing the reader typed)."""
    s = row.summary
    return (
        s.verdict_title,
        s.tier_title,
        readiness_text(s.readiness),
        step_text(s.next_step),
        s.assessed_on,
    )


def table_markdown(t: Table) -> str:
    out = [
        "# Portfolio",
        "",
        _lead(t),
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|" + " --- |" * len(COLUMNS),
    ]
    for row in t.rows:
        out.append("| " + " | ".join((md_escape(row.name), *_cells(row))) + " |")
    out += ["", _versions(t), ""]
    return "\n".join(out)


def _header(column: str) -> str:
    sort = SORT_KEYS.get(column)
    if sort is None:
        return f'<th scope="col">{escape(column)}</th>'
    order = ' aria-sort="ascending"' if column == DEFAULT_SORT else ""
    return f'<th scope="col" data-sort="{sort[0]}"{order}>{escape(column)}</th>'


def _row(row: Row) -> str:
    keys = "".join(
        f' data-sort-{name}="{escape(str(key(row)))}"' for name, key in SORT_KEYS.values()
    )
    cells = "".join(f"<td>{escape(cell)}</td>" for cell in _cells(row))
    name = escape(row.name)
    return f'<tr data-initiative="{name}"{keys}><th scope="row">{name}</th>{cells}</tr>'


def table_fragment(t: Table) -> str:
    """The table for the assessor page's portfolio panel (whose heading is the page's)."""
    if not t.rows:
        return "<p>No initiatives in this portfolio yet.</p>"
    return "\n".join(
        [
            f"<p>{escape(_lead(t))}</p>",
            "<table>",
            "<thead><tr>" + "".join(_header(c) for c in COLUMNS) + "</tr></thead>",
            "<tbody>",
            *(_row(row) for row in t.rows),
            "</tbody>",
            "</table>",
            f'<p class="prodready-portfolio-versions">{escape(_versions(t))}</p>',
        ]
    )


def table_text(t: Table, fmt: str) -> str:
    """The table as ``json``, ``md``, ``html`` (a page) or ``fragment`` (HTML to place)."""
    if fmt == "json":
        return t.to_json()
    if fmt == "fragment":
        return table_fragment(t)
    md = table_markdown(t)
    return document("ProdReady portfolio", md, "portfolio") if fmt == "html" else md
