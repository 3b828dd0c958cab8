"""Portfolios: the file format read, normalised and merged; the table of the examples checked
against their reports row by row and in its order (those needing action first); malformed
portfolio files refused with the place of the problem."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from engine_cases import BASE, example

from prodready import assess, load_ruleset
from prodready.cli import example_names
from prodready.documents import DocumentError
from prodready.portfolio import (
    PORTFOLIO_FORMAT,
    TABLE_FORMAT,
    Initiative,
    Portfolio,
    from_document,
    merge,
    read_portfolio,
    table,
)
from prodready.summary import TIER_URGENCY

RS = load_ruleset()
ROOT = Path(__file__).resolve().parents[2]


def examples_portfolio() -> dict[str, Any]:
    return {
        "format": PORTFOLIO_FORMAT,
        "initiatives": [{"name": name, "assessments": [example(name)]} for name in example_names()],
    }


def test_the_table_of_the_examples_summarises_each_report() -> None:
    rows = table(read_portfolio(examples_portfolio(), RS), RS).to_dict()["initiatives"]
    assert sorted(r["name"] for r in rows) == example_names()
    for row in rows:
        report = json.loads(assess(example(row["name"])).to_json())
        assert row["verdict"] == report["verdict"]["id"]
        assert row["severity"] == report["verdict"]["severity"]
        assert row["tier"] == report["eu_ai_act"]["tier"]
        assert row["assessed_on"] == report["assessed_on"]
        assert row["assessments"] == 1
        roadmap = report["roadmap"]
        expected_step = roadmap[0]["capability"] if roadmap else None
        assert (row["next_step"] or {}).get("capability") == expected_step
        assert row["readiness"] == readiness(report["readiness"])


def readiness(areas: list[dict[str, Any]]) -> dict[str, Any]:
    """The documented readiness figure, computed from the report's areas."""
    required = sum(a["required"] for a in areas)
    if required:
        have, of, basis = sum(a["required_present"] for a in areas), required, "required"
    else:
        have, of, basis = sum(a["present"] for a in areas), sum(a["total"] for a in areas), "all"
    percent = int(have * 100 / of + 0.5) if of else 100
    return {"percent": percent, "in_place": have, "of": of, "basis": basis}


def test_the_initiatives_needing_action_come_first() -> None:
    rows = table(read_portfolio(examples_portfolio(), RS), RS).to_dict()["initiatives"]
    keys = [
        (-r["severity"], TIER_URGENCY[r["tier"]], r["readiness"]["percent"], r["name"].casefold())
        for r in rows
    ]
    assert keys == sorted(keys)
    assert rows[0]["verdict"] == RS.verdicts[0].id  # the most severe verdict the examples give
    assert rows[-1]["severity"] == 0


def test_the_table_json() -> None:
    page = (ROOT / "docs" / "reference" / "portfolio-format.md").read_text(encoding="utf-8")
    doc = table(read_portfolio(examples_portfolio(), RS), RS).to_dict()
    assert doc["format"] == TABLE_FORMAT
    assert f'`"{TABLE_FORMAT}"`' in page
    assert doc["ruleset_version"] == RS.version
    row = doc["initiatives"][1]
    for key in [*doc, *row, *row["readiness"], *row["next_step"]]:
        assert f"`{key}`" in page, key


def test_the_portfolio_file_is_documented() -> None:
    page = (ROOT / "docs" / "reference" / "portfolio-format.md").read_text(encoding="utf-8")
    assert f'`"{PORTFOLIO_FORMAT}"`' in page
    for key in ("format", "initiatives", "name", "assessments"):
        assert f"`{key}`" in page, key


# --- reading and normalising ----------------------------------------------------------------


def test_history_is_canonical_oldest_first_and_without_duplicates() -> None:
    cv = example("cv-screening")
    later = {**cv, "assessed_on": "2027-03-01", "senior_ml_engineers": 3}
    report = json.loads(assess({**cv, "assessed_on": "2026-09-01"}).to_json())
    doc = {
        "format": PORTFOLIO_FORMAT,
        "initiatives": [
            {"name": "CV", "assessments": [later, cv, report, dict(reversed(cv.items()))]}
        ],
    }
    (initiative,) = read_portfolio(doc, RS).initiatives
    assert [a["assessed_on"] for a in initiative.assessments] == [
        "2026-09-01",
        "2026-12-01",
        "2027-03-01",
    ]
    assert initiative.latest["senior_ml_engineers"] == 3
    assert initiative.assessments[1] == assess(cv).answers
    row = table(Portfolio((initiative,)), RS).rows[0]
    assert (row.assessments, row.summary.assessed_on) == (3, "2027-03-01")


def test_export_reads_back_the_same() -> None:
    p = read_portfolio(examples_portfolio(), RS)
    again = read_portfolio(json.loads(p.to_json()), RS)
    assert again == p
    assert again.to_json() == p.to_json()


def test_merge_joins_initiatives_of_one_name() -> None:
    cv = example("cv-screening")
    a = Portfolio((Initiative("CV", (assess(cv).answers,)),))
    later = assess({**cv, "assessed_on": "2027-01-05"}).answers
    b = Portfolio((Initiative("CV", (later,)), Initiative("Other", (assess(BASE).answers,))))
    merged = merge(a, b, a)
    assert [i.name for i in merged.initiatives] == ["CV", "Other"]
    assert [x["assessed_on"] for x in merged.initiatives[0].assessments] == [
        "2026-12-01",
        "2027-01-05",
    ]


def test_a_loose_document_becomes_an_initiative() -> None:
    cv = example("cv-screening")
    p = from_document(cv, RS, name="fallback", what="cv.json")
    assert [i.name for i in p.initiatives] == [cv["name"]]
    nameless = {k: v for k, v in BASE.items() if k != "assessed_on"}
    q = from_document(nameless, RS, name="fallback", what="x.json", on="2027-02-01")
    assert q.initiatives[0].name == "fallback"
    assert q.initiatives[0].latest["assessed_on"] == "2027-02-01"


@pytest.mark.parametrize(
    ("doc", "where"),
    [
        ({"format": PORTFOLIO_FORMAT}, "portfolio.initiatives: expected a list"),
        ({"format": PORTFOLIO_FORMAT, "initiatives": [], "x": 1}, "unknown key 'x'"),
        ({"format": PORTFOLIO_FORMAT, "initiatives": [3]}, "initiatives[0]: expected an object"),
        (
            {"format": PORTFOLIO_FORMAT, "initiatives": [{"name": "A", "assessments": []}]},
            "initiatives[0].assessments: expected a non-empty list",
        ),
        (
            {"format": PORTFOLIO_FORMAT, "initiatives": [{"name": "", "assessments": [BASE]}]},
            "initiatives[0].name: is empty",
        ),
        (
            {"format": PORTFOLIO_FORMAT, "initiatives": [{"name": "A\nB", "assessments": [BASE]}]},
            "control characters",
        ),
        (
            {
                "format": PORTFOLIO_FORMAT,
                "initiatives": [{"name": "A", "assessments": [{**BASE, "model_outputs": 1}]}],
            },
            "initiatives[0].assessments[0]: invalid answers: model_outputs",
        ),
        (
            {
                "format": PORTFOLIO_FORMAT,
                "initiatives": [
                    {
                        "name": "A",
                        "assessments": [{k: v for k, v in BASE.items() if k != "assessed_on"}],
                    }
                ],
            },
            "has no assessed_on date",
        ),
        (
            {
                "format": PORTFOLIO_FORMAT,
                "initiatives": [
                    {"name": "A", "assessments": [BASE]},
                    {"name": "A", "assessments": [BASE]},
                ],
            },
            "initiatives[1].name: 'A' is listed twice",
        ),
        (
            {
                "format": PORTFOLIO_FORMAT,
                "initiatives": [{"name": "A", "assessments": [{"format": "prodready.record/1"}]}],
            },
            "expected answers or a report",
        ),
        ({"format": "prodready.portfolio/2"}, "unknown format"),
        (BASE, "expected a prodready.portfolio/1 document"),
    ],
)
def test_malformed_portfolios_say_where(doc: dict[str, Any], where: str) -> None:
    with pytest.raises(DocumentError) as info:
        read_portfolio(doc, RS)
    assert where in str(info.value)
    assert "\n" not in str(info.value)
