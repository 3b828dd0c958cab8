"""One action per capability: a report never asks for the same capability twice.

Every missing capability a fired rule requires brings exactly one action, the capability's own
(``Action.capability`` names it); rules keep only actions no capability covers. What "the same
capability" means is fixed here, independently of the engine, by a few words that name each
capability. An action of a rule's own that uses them, next to that capability's action (or next
to another such rule action), is a near-duplicate and fails the test: "Implement drift
detection." beside "Monitor prediction quality and drift" is what this guards against.

Legal duties (actions that carry their provision in ``citation``) are left out of the comparison:
each restates what one article requires, so a duty to assign human oversight may sit beside the
capability that builds it. The report lists them apart, under their provision.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest
from engine_strategies import answer_documents
from hypothesis import HealthCheck, given, settings

from prodready import assess, load_ruleset
from prodready.cli import example_names
from prodready.report import Action, Report
from prodready_tools.golden import example_document

# The words that name each capability, written from what the capability means.
NAMES: dict[str, str] = {
    "model_versioning": r"model version|immutable version|version of the model",
    "experiment_tracking": r"experiment track|training runs?\b",
    "data_versioning": r"snapshot|data version|document index",
    "llm_version_pinning": r"\bpin(ned)?\b",
    "llm_eval_gate": r"evaluation set|regression gate",
    "governance_docs": r"risk management|governance documentation|technical documentation",
    "decision_logging": r"audit trail|(record|log) (every|each) (automated )?decision",
    "monitoring": r"prediction quality|monitor(ing)? (the )?(model|predictions)",
    "drift_detection": r"\bdrift",
    "llm_output_monitoring": r"output quality|live outputs",
    "llm_guardrails": r"guardrail|injected instructions|prompt injection",
    "llm_grounding": r"\bcite\b|grounding|sources (they|it) (draw|rel)",
    "llm_logging": r"\blog (each|every) prompt|logs? of prompts|prompt logging",
    "llm_cost_budgets": r"\bbudgets?\b",
    "llm_agent_approval": r"person's approval|human approval|least privilege",
    "explainability": r"explainab|reason for an individual output",
    "human_oversight": r"human oversight|\boverride|human review",
    "automated_deployment": r"pipeline|automated deploy",
    "rollback": r"roll ?back|restorable",
    "shadow_deployment": r"\bshadow\b",
    "ab_testing": r"a/b|controlled split",
    "graceful_degradation": r"graceful|fails or is unavailable|fallback behaviour",
    "scaling": r"scale compute|back-pressure|caching",
    "llm_vendor_exit": r"retirement dates?|deprecation|second model",
    "documentation": r"write down what|runbook|documentation for maintain",
}


def capabilities_named(text: str) -> set[str]:
    lowered = text.lower()
    return {cap for cap, words in NAMES.items() if re.search(words, lowered)}


def duplicates(actions: tuple[Action, ...]) -> dict[str, int]:
    """Capability -> how many of the (non-legal) actions are about it, where more than one."""
    count: Counter[str] = Counter()
    for a in actions:
        if a.citation is not None:
            continue
        count.update({a.capability} if a.capability else capabilities_named(a.text))
    return {cap: n for cap, n in count.items() if n > 1}


def test_the_names_cover_every_capability_and_find_its_own_action() -> None:
    rs = load_ruleset()
    assert set(NAMES) == {k.id for k in rs.capabilities}
    for k in rs.capabilities:
        assert k.id in capabilities_named(k.action), (k.id, k.action)


def test_the_check_catches_the_near_duplicates_it_is_for() -> None:
    old = (
        Action("Monitor prediction quality and drift in production.", "baseline", None, None),
        Action("Implement monitoring of prediction quality.", "trigger", None, None),
        Action("Implement drift detection.", "trigger", None, None),
    )
    assert duplicates(old) == {"monitoring": 2, "drift_detection": 2}
    rs = load_ruleset()
    drift = rs.capability("drift_detection").action
    planted = (Action(drift, "r", "drift_detection", None), old[2])
    assert duplicates(planted) == {"drift_detection": 2}


def test_no_rule_action_restates_a_capability() -> None:
    """A rule's own actions name no capability: what a capability needs is its own action."""
    offenders = [
        (r.id, text, sorted(capabilities_named(text)))
        for r in load_ruleset().rules
        if r.citation is None
        for text in r.actions
        if capabilities_named(text)
    ]
    assert not offenders, offenders


def _check(report: Report) -> None:
    caps = [a.capability for a in report.actions if a.capability]
    assert len(caps) == len(set(caps))
    # Every missing required capability has its action, in roadmap order.
    assert caps == [s.capability for s in report.roadmap]
    assert not duplicates(report.actions), duplicates(report.actions)


@pytest.mark.parametrize("name", example_names())
def test_no_example_report_holds_two_actions_for_one_capability(name: str) -> None:
    document = example_document(name)
    assert isinstance(document, dict)
    _check(assess(document))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answer_documents())
def test_no_report_holds_two_actions_for_one_capability(document: dict[str, Any]) -> None:
    _check(assess(document))
