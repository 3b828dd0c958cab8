"""The portfolio table in words: one row per initiative in the table's order, names escaped."""

from __future__ import annotations

import json

from engine_cases import BASE

from prodready import load_ruleset
from prodready.cli import example_names, example_text
from prodready.portfolio import Initiative, Portfolio, canonical_answers, table
from prodready.render_portfolio import readiness_text, step_text, table_markdown, table_text
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
    assert table_text(t, "fragment").startswith("<h2>Portfolio</h2>")
    assert json.loads(table_text(t, "json")) == t.to_dict()


def test_cells() -> None:
    assert readiness_text(ReadinessFigure(38, 3, 8, "required")) == "38% (3 of 8 required)"
    assert readiness_text(ReadinessFigure(6, 1, 16, "all")) == "6% (1 of 16, none required)"
    assert step_text(None) == "—"
    assert (
        step_text(NextStep("x", "Model versioning", 1, "Versioning"))
        == "Model versioning (phase 1)"
    )
