"""The one-line summary of a report: the readiness figure, the next step, and the urgency order
(AI Act tiers are a closed vocabulary: a tier outside it stops the load)."""

from __future__ import annotations

import copy

import pytest
from engine_cases import BASE

from prodready import assess, load_ruleset
from prodready.loader import RuleSetError, _read_data, build_ruleset
from prodready.report import Readiness
from prodready.summary import readiness_figure, summarise, urgency
from prodready.vocab import Tier


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
    assert {r.tier for r in rs.rules if r.tier} <= set(Tier)
    assert all(isinstance(r.tier, Tier) for r in rs.rules if r.tier)


def test_a_tier_outside_the_vocabulary_stops_the_load() -> None:
    data = copy.deepcopy(_read_data())
    tiered = next(r for r in data["rules"] if r.get("tier"))
    tiered["tier"] = "limited"
    with pytest.raises(RuleSetError, match="unknown AI Act tier 'limited'"):
        build_ruleset(data)


def test_summary_and_urgency() -> None:
    s = summarise(assess(BASE))
    assert s.verdict == "experimentation_acceptable"
    assert s.next_step is None
    busy = summarise(assess({**BASE, "failure_impact": "disruption"}))
    assert busy.next_step is not None
    assert urgency(busy) < urgency(s)
