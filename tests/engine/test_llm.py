"""Language-model systems get the capabilities of their kind.

Written from the guide's page on LLM applications and agents, not from the engine's output: a
production-side system on a language model needs pinned versions, an evaluation gate, output
quality monitoring, guardrails, prompt logging and cost budgets, and never the trained model's
registry, experiment tracking (unless fine-tuned) or drift detection; a vendor's model needs a
plan for its retirement, retrieval needs grounding and a versioned index, an agent whose tools act
outside needs human approval. And the packaged LLM examples' roadmaps name these capabilities.
"""

from __future__ import annotations

from typing import Any

import pytest
from engine_cases import PRODUCTION, doc

from prodready import assess, load_ruleset
from prodready.answers import validate
from prodready.evaluate import dated, decide
from prodready.sections import required_capabilities
from prodready_tools.golden import example_document

LLM_BASE = {
    "llm_version_pinning",
    "llm_eval_gate",
    "llm_output_monitoring",
    "llm_guardrails",
    "llm_logging",
    "llm_cost_budgets",
}
TRAINED_ONLY = {"model_versioning", "monitoring", "drift_detection"}
LLM = {"system_kind": "llm_application", "llm_hosting": "self_hosted"}


def required(document: dict[str, Any]) -> set[str]:
    rs = load_ruleset()
    return set(required_capabilities(decide(validate(dated(document), rs), rs)))


def test_a_production_side_llm_application_gets_the_llm_fundamentals() -> None:
    caps = required(doc(PRODUCTION, LLM))
    assert caps >= LLM_BASE
    assert not caps & TRAINED_ONLY
    assert "experiment_tracking" not in caps
    assert "llm_vendor_exit" not in caps  # self-hosted, no switch planned
    assert not {c for c in caps if c.startswith("llm_")} - LLM_BASE


def test_a_trained_model_gets_no_llm_capability() -> None:
    caps = required(doc(PRODUCTION, user_exposure="customers", ownership_change="author_leaving"))
    assert caps >= TRAINED_ONLY | {"experiment_tracking", "data_versioning"}
    assert not {c for c in caps if c.startswith("llm_")}


@pytest.mark.parametrize(
    ("answers", "needs", "not_needed"),
    [
        ({"llm_hosting": "vendor_api"}, {"llm_vendor_exit"}, set()),
        ({"llm_adaptation": ["retrieval"]}, {"llm_grounding", "data_versioning"}, set()),
        ({"llm_adaptation": ["fine_tuned"]}, {"experiment_tracking", "llm_eval_gate"}, set()),
        ({"user_exposure": "customers"}, {"llm_guardrails", "llm_grounding"}, set()),
        ({"llm_model_change": True}, {"llm_eval_gate", "llm_vendor_exit", "rollback"}, set()),
        (
            {"system_kind": "llm_agent", "agent_side_effects": True},
            {"llm_agent_approval"},
            set(),
        ),
        ({"system_kind": "llm_agent"}, set(), {"llm_agent_approval"}),
    ],
)
def test_what_each_llm_answer_adds(
    answers: dict[str, Any], needs: set[str], not_needed: set[str]
) -> None:
    caps = required(doc(PRODUCTION, LLM, answers))
    assert caps >= needs
    assert not caps & not_needed


def test_an_agent_whose_tools_act_outside_is_on_the_production_side() -> None:
    report = assess(doc(system_kind="llm_agent", agent_side_effects=True))
    assert report.verdict.id == "production_required"
    assert "llm_agent_approval" in {s.capability for s in report.roadmap}


def test_switching_the_model_of_an_experiment_keeps_it_an_experiment() -> None:
    report = assess(doc(LLM, llm_model_change=True))
    assert report.verdict.id == "experimentation_acceptable"
    assert not report.roadmap


# The LLM examples, and the capabilities of their kind each roadmap must name (missing from
# what the example says is in place).
EXAMPLES = {
    "llm-support-assistant": {
        "llm_eval_gate",
        "llm_output_monitoring",
        "llm_guardrails",
        "llm_grounding",
        "llm_logging",
        "llm_cost_budgets",
        "llm_vendor_exit",
    },
    "llm-internal-knowledge": {
        "llm_eval_gate",
        "llm_output_monitoring",
        "llm_guardrails",
        "llm_grounding",
        "llm_logging",
        "llm_cost_budgets",
    },
    "llm-purchasing-agent": {
        "llm_agent_approval",
        "llm_output_monitoring",
        "llm_guardrails",
        "llm_logging",
        "llm_cost_budgets",
        "llm_vendor_exit",
    },
    "llm-claims-decisions": {
        "llm_output_monitoring",
        "llm_guardrails",
        "llm_logging",
        "llm_vendor_exit",
        "human_oversight",
        "decision_logging",
        "explainability",
    },
}


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_each_llm_example_roadmap_names_its_capabilities(name: str) -> None:
    document = example_document(name)
    assert isinstance(document, dict)
    report = assess(document)
    steps = {s.capability for s in report.roadmap}
    assert steps >= EXAMPLES[name], EXAMPLES[name] - steps
    assert not steps & TRAINED_ONLY


def test_the_claims_example_is_a_solely_automated_decision_under_article_22() -> None:
    document = example_document("llm-claims-decisions")
    assert isinstance(document, dict)
    report = assess(document)
    duties = {d.id for d in report.gdpr.duties}
    assert {"gdpr.art22.safeguards", "gdpr.transparency.automated", "gdpr.dpia"} <= duties
    # Human oversight moves up the roadmap for the GDPR's sake, not the AI Act's.
    step = next(s for s in report.roadmap if s.capability == "human_oversight")
    assert step.promoted_by is not None
    assert "GDPR" in step.promoted_by
    assert report.eu_ai_act.tier != "high-risk"
