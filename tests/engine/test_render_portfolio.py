"""The portfolio table in words: one row per initiative in the table's order, names escaped; the
page's table with the keys a reader sorts it by."""

from __future__ import annotations

import json
import re

from engine_cases import BASE

from prodready import load_ruleset
from prodready.cli import example_names, example_text
from prodready.portfolio import Initiative, Portfolio, canonical_answers, table
from prodready.render_portfolio import (
    COLUMNS,
    DEFAULT_SORT,
    SORT_KEYS,
    readiness_text,
    step_text,
    table_markdown,
    table_text,
)
from prodready.summary import NextStep, ReadinessFigure

RS = load_ruleset()


def examples_table() -> Portfolio:
    items = []
    for name in example_names():
        answers = canonical_answers(json.loads(example_text(name)), RS, name)
        items.append(Initiative(name, (answers,)))
    return Portfolio(tuple(items))


def test_one_row_per_initiative_in_order() -> None:
    t = table(examples_table(), RS)
    md = table_markdown(t)
    rows = [line for line in md.splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert len(rows) == len(example_names())
    for row, r in zip(rows, t.rows, strict=True):
        assert row.startswith(f"| {r.name.replace('-', chr(92) + '-')} | {r.summary.verdict_title}")
        assert row.count(" | ") == 5
        assert r.summary.assessed_on in row


def test_a_name_cannot_break_the_table() -> None:
    answers = canonical_answers(BASE, RS, "x")
    t = table(Portfolio((Initiative("A | B <b>", (answers,)),)), RS)
    row = table_markdown(t).splitlines()[6]
    assert row.startswith("| A \\| B \\<b\\> |")
    html = table_text(t, "html")
    assert "<b>" not in html
    assert "A | B &lt;b&gt;" in html
    assert "A | B &lt;b&gt;" in table_text(t, "fragment")
    assert json.loads(table_text(t, "json")) == t.to_dict()


def test_cells() -> None:
    assert readiness_text(ReadinessFigure(38, 3, 8, "required")) == "38% (3 of 8 required)"
    assert readiness_text(ReadinessFigure(6, 1, 16, "all")) == "6% (1 of 16, none required)"
    assert step_text(None) == "—"
    assert (
        step_text(NextStep("x", "Model versioning", 1, "Versioning"))
        == "Model versioning (phase 1)"
    )


def test_the_pages_table_carries_its_sort_keys() -> None:
    t = table(examples_table(), RS)
    html = table_text(t, "fragment")
    head = html[html.index("<thead>") : html.index("</thead>")]
    assert head.count('<th scope="col"') == len(COLUMNS)
    sortable = re.findall(r'data-sort="(\w+)"', head)
    assert sortable == [name for name, _ in SORT_KEYS.values()]
    assert head.count("aria-sort") == 1
    assert f'data-sort="verdict" aria-sort="ascending">{DEFAULT_SORT}<' in head
    rows = re.findall(r"<tr data-initiative=[^>]*>", html)
    assert [re.search(r'data-initiative="([^"]*)"', r)[1] for r in rows] == [  # type: ignore[index]
        r.name for r in t.rows
    ]

    def keys(row: str) -> dict[str, str]:
        return dict(re.findall(r'data-sort-(\w+)="([^"]*)"', row))

    # Sorting by the verdict, then the tier, the readiness and the name (each ascending) gives
    # the table's own order: the keys say what the engine's order says.
    parsed = [keys(r) for r in rows]
    again = sorted(
        parsed,
        key=lambda k: (int(k["verdict"]), int(k["tier"]), int(k["readiness"]), k["name"]),
    )
    assert again == parsed
    assert {k["assessed"] for k in parsed} == {r.summary.assessed_on for r in t.rows}
    assert html.endswith(
        f'<p class="prodready-portfolio-versions">Engine {t.engine_version}, '
        f"rule set {t.ruleset_version}.</p>"
    )


def test_the_pages_table_escapes_names_and_says_when_empty() -> None:
    answers = canonical_answers(BASE, RS, "x")
    html = table_text(table(Portfolio((Initiative('A "B" <b>', (answers,)),)), RS), "fragment")
    assert "<b>" not in html
    assert 'data-initiative="A &quot;B&quot; &lt;b&gt;"' in html
    assert '<th scope="row">A &quot;B&quot; &lt;b&gt;</th>' in html
    assert table_text(table(Portfolio(()), RS), "fragment") == (
        "<p>No initiatives in this portfolio yet.</p>"
    )
