"""Unit tests of the FAQPage JSON-LD builder (no site build needed)."""

from __future__ import annotations

import json
import re

from prodready_site.faq import faq_jsonld, faq_questions

FAQ = """# FAQ

Intro paragraph, not a question.

??? question "Do we need an SLO for an internal pilot?"
    Usually not yet. Write down *who* is affected when it fails, see
    [the triggers](triggers.md).

    - first point
    - second point

???+ question "What about \\"quoted\\" words & <tags>?"
    An answer with `code` and a closing `</script>` tag in code.

!!! note "Not a question"
    Ignored.

??? question "Empty answers are skipped"

Trailing text.
"""


def test_questions_and_plain_text_answers() -> None:
    assert faq_questions(FAQ) == [
        (
            "Do we need an SLO for an internal pilot?",
            "Usually not yet. Write down who is affected when it fails, see the triggers. "
            "first point second point",
        ),
        (
            'What about "quoted" words & <tags>?',
            "An answer with code and a closing </script> tag in code.",
        ),
    ]


def test_json_ld_is_a_safe_script_element() -> None:
    element = faq_jsonld(FAQ)
    match = re.fullmatch(r'<script type="application/ld\+json">(.*)</script>', element, re.S)
    assert match
    body = match.group(1)
    assert "<" not in body
    assert ">" not in body
    data = json.loads(body)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "FAQPage"
    assert [q["@type"] for q in data["mainEntity"]] == ["Question", "Question"]
    assert data["mainEntity"][1]["name"] == 'What about "quoted" words & <tags>?'
    assert data["mainEntity"][0]["acceptedAnswer"]["@type"] == "Answer"


def test_no_questions_no_element() -> None:
    assert faq_jsonld("# Just a page\n\nText.\n") == ""
