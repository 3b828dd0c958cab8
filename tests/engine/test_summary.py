"""The one-line summary of a report: the readiness figure, the next step, and the urgency order
whose tier table must cover every tier the rules can give."""

from __future__ import annotations

import dataclasses

import pytest
from engine_cases import BASE

from prodready import assess, load_ruleset
from prodready.loader import RuleSetError
from prodready.report import Readiness
from prodready.summary import Tier, check_tiers, readiness_figure, summarise, urgency


def area(required: int, required_present: int, present: int, total: int) -> Readiness:
    return Readiness("a", "A", present, required, required_present, total, 0.0)


@pytest.mark.parametrize(
    ("areas", "expected"),
    [
        ([area(4, 1, 1, 5), area(4, 2, 3, 5)], (38, 3, 8, "required")),  # 37.5 rounds up
        ([area(3, 1, 1, 5)], (33, 1, 3, "required")),
        ([area(0, 0, 1, 5), area(0, 0, 2, 3)], (38, 3, 8, "all")),
        ([area(0, 0, 0, 4)], (0, 0, 4, "all")),
        ([area(2, 2, 2, 2)], (100, 2, 2, "required")),
        ([], (100, 0, 0, "all")),
    ],
)
def test_readiness_figure(areas: list[Readiness], expected: tuple[int, int, int, str]) -> None:
    f = readiness_figure(areas)
    assert (f.percent, f.in_place, f.of, f.basis) == expected


def test_every_tier_of_the_rules_has_its_place() -> None:
    rs = load_ruleset()
    check_tiers(rs)
    assert {r.tier for r in rs.rules if r.tier} <= set(Tier)


def test_a_tier_without_a_place_stops_the_table() -> None:
    rs = load_ruleset()
    tiered = next(r for r in rs.rules if r.tier)
    odd = dataclasses.replace(tiered, tier="limited")
    with pytest.raises(RuleSetError, match="limited"):
        check_tiers(dataclasses.replace(rs, rules=(odd, *rs.rules)))


def test_summary_and_urgency() -> None:
    s = summarise(assess(BASE))
    assert s.verdict == "experimentation_acceptable"
    assert s.next_step is None
    busy = summarise(assess({**BASE, "failure_impact": "disruption"}))
    assert busy.next_step is not None
    assert urgency(busy) < urgency(s)
