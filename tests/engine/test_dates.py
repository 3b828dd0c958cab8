"""The assessment date: every report carries it, the same answers and date give the same report,
and each dated duty reads "applies since" or "applies from" as seen on that day."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from engine_cases import BASE, doc

from prodready import assess
from prodready.cli import main
from prodready.render import to_markdown

HIGH_RISK_DEPLOYER = doc(eu_annex_iii=["4a"], eu_role="deployer")


def test_every_report_carries_its_date_and_the_rules_review_date() -> None:
    report = assess(BASE)
    assert report.assessed_on == "2026-12-01"
    assert report.answers["assessed_on"] == "2026-12-01"
    assert report.ruleset_reviewed
    text = to_markdown(report)
    assert "Assessed on 2026-12-01." in text
    assert f"checked against the legal texts on {report.ruleset_reviewed}" in text


def test_without_a_date_the_assessment_is_made_today() -> None:
    undated = {k: v for k, v in BASE.items() if k != "assessed_on"}
    assert assess(undated).assessed_on == dt.date.today().isoformat()


def test_an_explicit_date_overrides_the_documents() -> None:
    assert assess(BASE, on="2028-01-01").assessed_on == "2028-01-01"
    assert assess(BASE, on=dt.date(2026, 6, 1)).assessed_on == "2026-06-01"


@pytest.mark.parametrize(
    ("day", "status"),
    [
        ("2026-06-01", "upcoming"),
        ("2027-12-01", "upcoming"),
        ("2027-12-02", "applies"),
        ("2028-01-01", "applies"),
    ],
)
def test_annex_iii_duties_apply_from_the_amended_date(day: str, status: str) -> None:
    # Art. 113 as amended by Regulation (EU) 2026/1744: Annex III obligations from 2 Dec 2027.
    report = assess(HIGH_RISK_DEPLOYER, on=day)
    duty = {o.id: o for o in report.eu_ai_act.obligations}[
        "eu.obligation.deployer.use-and-oversight"
    ]
    assert duty.applies_from is not None
    assert duty.applies_from.applies_from == "2027-12-02"
    assert duty.applies_from.original == "2026-08-02"
    assert duty.applies_from.status == status


def _cli_md(tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(HIGH_RISK_DEPLOYER), encoding="utf-8")
    assert main(["assess", str(path), "--format", "md", *args]) == 0
    return capsys.readouterr().out


def test_cli_date_turns_applies_from_into_applies_since(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _cli_md(tmp_path, capsys, "--date", "2026-06-01")
    after = _cli_md(tmp_path, capsys, "--date", "2028-01-01")
    assert "Assessed on 2026-06-01." in before
    assert "applies from 2027-12-02 (originally 2026-08-02)" in before
    assert "Assessed on 2028-01-01." in after
    assert "applies since 2027-12-02 (originally 2026-08-02)" in after
    # Art. 4 (AI literacy) has applied since 2 Feb 2025 on both days.
    assert "applies since 2025-02-02" in before
    assert "applies since 2025-02-02" in after


def test_cli_refuses_a_bad_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(BASE), encoding="utf-8")
    assert main(["assess", str(path), "--date", "2026-13-01"]) == 2
    assert "assessed_on" in capsys.readouterr().err


def test_same_answers_and_date_same_bytes() -> None:
    undated = {k: v for k, v in HIGH_RISK_DEPLOYER.items() if k != "assessed_on"}
    assert assess(undated, on="2027-03-03").to_json() == assess(undated, on="2027-03-03").to_json()
    assert assess(undated, on="2027-03-03").to_json() != assess(undated, on="2028-03-03").to_json()
