"""Making decision records: every example makes a record that verifies, whose digest is that of
its canonical JSON; the Art. 6(3) derogation needs a justification; malformed justifications and
sign-offs are refused; the record format page documents every key."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from engine_cases import BASE, example

from prodready import __version__, assess, load_ruleset
from prodready.cli import example_names
from prodready.digest import canonical, ruleset_digest, sha256
from prodready.record import (
    JUSTIFIED_KINDS,
    RECORD_FORMAT,
    RecordError,
    make_record,
    needs_justification,
)
from prodready.verify import Status, verify
from prodready.vocab import RuleKind

RS = load_ruleset()
ROOT = Path(__file__).resolve().parents[2]
SIGN_OFF = {"name": "Ana Ruiz", "role": "CTO", "date": "2026-12-02"}


def derogated_rules() -> list[str]:
    """The rules whose firing needs a justification, read from the rule set."""
    return [r.id for r in RS.rules if r.kind in JUSTIFIED_KINDS]


def needed(doc: dict[str, Any]) -> dict[str, str]:
    """A justification for each rule the assessment of ``doc`` lists that needs one."""
    report = assess(doc, RS)
    return {n.id: f"Why {n.title} holds here." for n in needs_justification(report)}


def record_of(doc: dict[str, Any]) -> dict[str, Any]:
    made = make_record(doc, RS, justifications=needed(doc), sign_offs=[SIGN_OFF])
    out: dict[str, Any] = json.loads(made.to_json())
    return out


def redigest(doc: dict[str, Any]) -> dict[str, Any]:
    """The record with its digest made again: what a forger with the format's spec can do."""
    body = {k: v for k, v in doc.items() if k != "digest"}
    return {**body, "digest": sha256(body)}


@pytest.mark.parametrize("name", example_names())
def test_every_example_makes_a_record_that_verifies(name: str) -> None:
    doc = example(name)
    rec = record_of(doc)
    assert rec["format"] == RECORD_FORMAT
    assert rec["report"] == json.loads(assess(doc, RS).to_json())
    assert rec["answers"] == rec["report"]["answers"]
    assert rec["assessed_on"] == doc["assessed_on"]
    assert (rec["engine_version"], rec["ruleset_version"]) == (__version__, RS.version)
    assert rec["ruleset_digest"] == ruleset_digest(RS)
    assert rec["sign_offs"] == [SIGN_OFF]
    v = verify(rec, RS)
    assert (v.status, v.ok) == (Status.VERIFIED, True), v.reason
    assert v.reason.startswith("verified: ")


def test_the_digest_is_the_canonical_json_without_itself() -> None:
    rec = record_of(example("credit-scoring"))
    body = {k: v for k, v in rec.items() if k != "digest"}
    import hashlib

    expected = hashlib.sha256(canonical(body).encode("utf-8")).hexdigest()
    assert rec["digest"] == f"sha256:{expected}"


def test_reformatting_keeps_the_digest() -> None:
    """Whitespace, key order and 1.0 written as 1 (as a browser writes it) are not changes."""
    rec = record_of(example("cv-screening"))

    def js_numbers(value: Any) -> Any:
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, dict):
            return {k: js_numbers(v) for k, v in reversed(list(value.items()))}
        if isinstance(value, list):
            return [js_numbers(v) for v in value]
        return value

    rewritten = json.loads(json.dumps(js_numbers(rec), separators=(",", ":")))
    scores = [a["score"] for a in rewritten["report"]["readiness"]]
    assert any(isinstance(s, int) for s in scores), scores  # 1.0 and 0.0 became 1 and 0
    assert verify(rewritten, RS).ok


def test_a_record_is_deterministic() -> None:
    doc = example("support-chatbot")
    assert record_of(doc) == record_of(doc)


# --- the Art. 6(3) derogation needs a justification --------------------------------------------


def derogated_example() -> dict[str, Any]:
    for name in example_names():
        doc = example(name)
        if needs_justification(assess(doc, RS)):
            return doc
    raise AssertionError("no example fires a rule that needs a justification")


def test_the_derogation_is_a_kind_that_needs_a_justification() -> None:
    assert RuleKind.EU_DEROGATION in JUSTIFIED_KINDS
    assert derogated_rules(), "the rule set has no derogation rule"


def test_a_derogated_system_needs_its_justification() -> None:
    doc = derogated_example()
    (rule,) = needs_justification(assess(doc, RS))
    assert rule.id in derogated_rules()
    with pytest.raises(RecordError, match="which condition applies and why") as info:
        make_record(doc, RS)
    assert info.value.field == f"justifications.{rule.id}"
    assert rule.id in str(info.value)
    with pytest.raises(RecordError, match="is empty"):
        make_record(doc, RS, justifications={rule.id: "   \n "})
    made = make_record(doc, RS, justifications={rule.id: "Art. 6(3)(a): it only books rooms."})
    assert verify(json.loads(made.to_json()), RS).ok


@pytest.mark.parametrize(
    ("notes", "message"),
    [
        ({"no-such-rule": "x"}, "is not a rule of this report"),
        ({"genral": "x"}, "did you mean 'general'"),
        ({"general": 3}, "expected text"),
        ({"general": "bell\x07"}, "control characters"),
        ({"general": "x" * 4001}, "longer than 4000"),
    ],
)
def test_malformed_justifications(notes: dict[str, Any], message: str) -> None:
    with pytest.raises(RecordError, match=message):
        make_record(BASE, RS, justifications=notes)


def test_justifications_may_concern_the_decision_a_question_or_a_capability() -> None:
    notes = {
        "general": "Reviewed at the quarterly AI board.\nNo change expected.",
        "model_outputs": "Analysts read the outputs; nothing is automated.",
        "monitoring": "Accepted for now: no production use.",
    }
    rec = make_record(BASE, RS, justifications=notes)
    assert rec.justifications == dict(sorted(notes.items()))


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"name": "A", "role": "CTO"}, "is not a date"),
        ({"name": "", "role": "CTO", "date": "2026-12-02"}, "is empty"),
        ({"name": "A", "role": "CTO", "date": "2026-02-30"}, "is not a date"),
        ({"name": "A", "role": "CTO", "date": "2026-12-02", "x": 1}, "unknown key"),
        ("Ana|CTO|2026-12-02", "expected an object"),
    ],
)
def test_malformed_sign_offs(entry: Any, message: str) -> None:
    with pytest.raises(RecordError, match=message) as info:
        make_record(BASE, RS, sign_offs=[entry])
    assert info.value.field == "sign_offs"


def test_the_record_format_page_documents_every_key() -> None:
    page = (ROOT / "docs" / "reference" / "record-format.md").read_text(encoding="utf-8")
    rec = record_of(derogated_example())
    for key in [*rec, *rec["sign_offs"][0]]:
        assert f"`{key}`" in page, key
    assert "ssh-keygen -Y sign" in page
    assert "ssh-keygen -Y verify" in page
