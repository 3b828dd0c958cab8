"""A decision record in words: what it attests, the justifications and sign-offs (escaped), room
to sign on paper, then the recorded report one heading level down; and the outcome of checking
one."""

from __future__ import annotations

import json

from engine_cases import BASE

from prodready import load_ruleset
from prodready.cli import example_text
from prodready.digest import sha256
from prodready.pages import demote
from prodready.record import make_record
from prodready.render import to_markdown
from prodready.render_record import (
    OUTCOMES,
    record_markdown,
    record_text,
    verification_markdown,
    verification_text,
)
from prodready.verify import Status, verify

RS = load_ruleset()


def test_markdown_of_a_record() -> None:
    doc = json.loads(example_text("credit-scoring"))
    notes = {
        "general": "Approved by the AI board.\n\nSee minutes of 2 December.",
        "monitoring": "x",
    }
    sign = [{"name": "Ana Ruiz", "role": "CTO", "date": "2026-12-02"}]
    r = make_record(doc, RS, justifications=notes, sign_offs=sign)
    md = record_markdown(r, RS)
    assert md.startswith("# Decision record: Consumer credit scoring\n")
    assert md.count("\n# ") == 0  # one h1: the report's own headings are one level down
    assert f"`{r.digest}`" in md
    assert f"`{r.ruleset_digest}`" in md
    assert "### The decision as a whole\n\nApproved by the AI board\\.\n\nSee minutes" in md
    monitoring = next(k.title for k in RS.capabilities if k.id == "monitoring")
    assert f"### {monitoring} (monitoring)" in md
    assert "| Ana Ruiz | CTO | 2026-12-02 | |" in md
    report_md = to_markdown(r.report)
    assert md.endswith("\n\n" + demote(report_md))


def test_no_sign_off_leaves_room_to_sign() -> None:
    md = record_markdown(make_record(BASE, RS), RS)
    assert "None given." in md
    assert md.count("| | | | |") == 2


def test_reader_text_cannot_become_markup() -> None:
    notes = {"general": "<script>x</script> [a](javascript:alert(1))\n# not a heading"}
    sign = [{"name": "<b>Eve</b>", "role": "| CTO", "date": "2026-12-02"}]
    r = make_record({**BASE, "name": "<i>x</i>"}, RS, justifications=notes, sign_offs=sign)
    html = record_text(r, RS, "html")
    assert "<script>" not in html
    assert "<b>Eve" not in html
    assert "<i>x" not in html
    assert 'href="javascript' not in html
    assert "<h1>not a heading" not in html
    assert "<h2>not a heading" not in html
    assert '<main data-document="record">' in html
    assert record_text(r, RS, "json") == r.to_json()
    assert record_text(r, RS, "fragment").startswith("<h4>Decision record:")


def test_every_outcome_of_verify_is_worded() -> None:
    assert set(OUTCOMES) == set(Status)
    assert OUTCOMES[Status.VERIFIED].startswith("**Verified.**")
    others = [text for status, text in OUTCOMES.items() if status is not Status.VERIFIED]
    assert all(text.startswith("**Not verified.**") for text in others)


def test_verification_in_words() -> None:
    r = make_record({**BASE, "name": "<i>x</i>"}, RS)
    good = verify(json.loads(r.to_json()), RS)
    md = verification_markdown(good)
    assert md.startswith(OUTCOMES[Status.VERIFIED])
    assert f"`{r.digest}`" in md
    assert "\\<i\\>x" in md  # the reader's name, escaped
    tampered = json.loads(r.to_json())
    tampered["justifications"] = {"general": "added later"}
    bad = verify(tampered, RS)
    html = verification_text(bad, "fragment")
    assert html.startswith("<p><strong>Not verified.</strong> The record was changed")
    assert "digest mismatch" in html
    assert "<i>" not in verification_text(good, "fragment")


def test_a_resealed_record_whose_roadmap_lacks_its_gaps_still_renders() -> None:
    """Found by the fuzz test of render-record: a record edited and sealed again may list a
    roadmap step whose gap it no longer has; it is printed (without the step's link)."""
    doc = json.loads(make_record(json.loads(example_text("credit-scoring")), RS).to_json())
    assert doc["report"]["roadmap"]
    doc["report"]["gaps"] = []
    del doc["digest"]
    doc["digest"] = sha256(doc)
    v = verify(doc, RS)
    assert v.status is Status.MISMATCH
    assert v.record is not None
    md = record_text(v.record, RS, "md")
    step = doc["report"]["roadmap"][0]["title"]
    assert f"1. {step}: " in md
