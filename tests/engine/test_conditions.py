"""The compiled verdict function (`compile_first`) on small hand-written rule lists: what fired
is visible only to the rules after it, the first choice that holds wins, and values from the rules
are compared as values, never read as Python."""

from __future__ import annotations

import pytest

from prodready import conditions as c


def cond(raw: dict[str, object]) -> c.Condition:
    return c.parse(raw, "test")


def test_a_tag_or_rule_counts_only_once_its_rule_has_run() -> None:
    rules = [
        ("reads_early", (), cond({"tag": "risky"})),  # before any rule carries the tag
        ("risky_use", ("risky",), cond({"q": "use", "eq": "credit"})),
        ("reads_late", ("late",), cond({"any": [{"tag": "risky"}, {"rule": "nowhere"}]})),
    ]
    choices = [cond({"rule": "reads_early"}), cond({"tag": "late"}), cond({"always": True})]
    first = c.compile_first(rules, choices)
    assert first({"use": "credit"}) == 1
    assert first({"use": "chat"}) == 2
    assert first({}) == 2


def test_no_choice_holding_is_an_error() -> None:
    first = c.compile_first([], [cond({"q": "n", "gte": 3})])
    assert first({"n": 3}) == 0
    for answers in ({"n": 2}, {"n": "3"}):  # a number question compares numbers only
        with pytest.raises(LookupError, match="no choice holds"):
            first(answers)


def test_every_kind_of_condition_agrees_with_the_interpreter() -> None:
    raw: list[dict[str, object]] = [
        {"q": "a", "eq": "x"},
        {"q": "a", "in": ["x", "y"]},
        {"q": "m", "has": "p"},
        {"q": "m", "has_any": ["p", "q"]},
        {"q": "n", "lt": 10},
        {"q": "o", "set": True},
        {"q": "o", "set": False},
        {"span": ["start", "end"], "under_months": 3},
        {"date": "start", "before": "end"},
        {"not": {"all": [{"q": "a", "eq": "x"}, {"q": "n", "gte": 5}]}},
    ]
    documents: list[dict[str, c.Answer]] = [
        {},
        {"a": "x", "m": ("p",), "n": 5, "o": "", "start": "2026-01-31", "end": "2026-04-30"},
        {"a": "y", "m": ("q", "r"), "n": 12, "start": "2026-01-31", "end": "2026-05-01"},
        {"a": "z", "m": (), "n": True, "start": "2026-05-01", "end": "2026-01-01"},
    ]
    for one in raw:
        first = c.compile_first([], [cond(one), cond({"always": True})])
        for doc in documents:
            assert (first(doc) == 0) is c.evaluate(cond(one), doc, set(), set()), (one, doc)


def test_text_in_the_rules_is_a_value_not_code() -> None:
    odd = "x') or True or ('"
    first = c.compile_first([(odd, (odd,), cond({"q": odd, "eq": odd}))], [cond({"tag": odd})])
    assert first({odd: odd}) == 0
    with pytest.raises(LookupError):
        first({odd: "x"})
