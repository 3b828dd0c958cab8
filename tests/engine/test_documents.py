"""Saved documents read back: the kind of a document by its format, and a saved report parsed
into the same Report the engine made (every example), or refused naming the key that is wrong."""

from __future__ import annotations

import json
from typing import Any

import pytest
from engine_cases import BASE

from prodready import assess
from prodready.cli import example_names, example_text
from prodready.documents import DocumentError, Kind, day, kind_of, reader_text, report_from_dict


@pytest.mark.parametrize(
    ("doc", "kind"),
    [
        (BASE, Kind.ANSWERS),
        ({"model_outputs": "research"}, Kind.ANSWERS),
        ({"format": "prodready.report/2"}, Kind.REPORT),
        ({"format": "prodready.record/1"}, Kind.RECORD),
        ({"format": "prodready.portfolio/1"}, Kind.PORTFOLIO),
    ],
)
def test_kind_of(doc: dict[str, Any], kind: Kind) -> None:
    assert kind_of(doc) is kind


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ([], "expected a JSON object, got a list"),
        (None, "got null"),
        ({"format": 3}, "unknown format 3"),
        ({"format": "prodready.report/1"}, "older engine"),
        ({"format": "x" * 500}, "..."),
    ],
)
def test_not_a_known_document(doc: Any, message: str) -> None:
    with pytest.raises(DocumentError, match=r"^the document") as info:
        kind_of(doc)
    assert message in str(info.value)
    assert len(str(info.value)) < 300


@pytest.mark.parametrize("name", example_names())
def test_a_saved_report_reads_back_as_the_same_report(name: str) -> None:
    report = assess(json.loads(example_text(name)))
    assert report_from_dict(json.loads(report.to_json())) == report


def test_unknown_keys_of_a_report_are_ignored() -> None:
    saved = json.loads(assess(BASE).to_json())
    assert report_from_dict({**saved, "added_later": [1]}) == assess(BASE)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda r: r.pop("verdict"), "report: the key 'verdict' is missing"),
        (lambda r: r["verdict"].update(severity="2"), "report.verdict.severity: expected a whole"),
        (lambda r: r["verdict"].update(severity=True), "report.verdict.severity: expected a whole"),
        (lambda r: r.update(fired={}), "report.fired: expected a list"),
        (
            lambda r: r["readiness"][0].update(score="x"),
            "report.readiness[0].score: expected a number",
        ),
        (lambda r: r.update(answers=[]), "report.answers: expected an object"),
        (lambda r: r.update(initiative=3), "report.initiative: expected text"),
        (
            lambda r: r["eu_ai_act"].update(dates=[1]),
            "report.eu_ai_act.dates[0]: expected an object",
        ),
    ],
)
def test_a_damaged_report_names_the_key(edit: Any, message: str) -> None:
    saved = json.loads(assess(json.loads(example_text("cv-screening"))).to_json())
    edit(saved)
    with pytest.raises(DocumentError, match=message.replace("[", r"\[").replace("]", r"\]")):
        report_from_dict(saved)


def test_a_score_written_as_an_integer_is_a_float() -> None:
    saved = json.loads(assess(BASE).to_json())
    saved["readiness"][0]["score"] = 1
    assert report_from_dict(saved).readiness[0].score == 1.0


def test_reader_text() -> None:
    assert reader_text("Ana", "n", max_length=5) == "Ana"
    assert reader_text("a\nb", "n", max_length=5, lines=True) == "a\nb"
    for bad, kwargs in [("", {}), ("a\nb", {}), ("a\tb", {"lines": True}), ("abcdef", {}), (1, {})]:
        with pytest.raises(DocumentError, match=r"^n: "):
            reader_text(bad, "n", max_length=5, **kwargs)


@pytest.mark.parametrize(
    "value",
    ["2026-02-30", "2026-2-3", "２０２６-01-01", None, 20261201],  # noqa: RUF001
)
def test_day_refuses_what_is_not_a_calendar_day(value: Any) -> None:
    with pytest.raises(DocumentError, match="is not a date"):
        day(value, "d")
