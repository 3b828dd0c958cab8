"""One test per rule: the rule fires for a minimal document, and the report lists it where it
belongs. A guard test fails when a rule is added without a row in the table.

Each row is the five required framework answers (on the experimentation side) plus only what the
rule needs. Near misses (one answer away from firing) check the rule families do not fire too
eagerly.
"""

from __future__ import annotations

from typing import Any

import pytest
from engine_cases import (
    PRODUCTION,
    SECTION_OF_PLACEMENT,
    doc,
    fired_ids,
    report_ids,
    report_sections,
)

import prodready
from prodready import assess, load_ruleset
from prodready.vocab import KINDS, RuleKind

# Experiments still running on the assessment date of every document here (2026-12-01).
# The dates are asked (and read) only for a time-boxed experiment.
SHORT = {"time_boxed": True, "experiment_start": "2026-11-05", "experiment_end": "2027-01-20"}
LONG = {"time_boxed": True, "experiment_start": "2026-11-05", "experiment_end": "2027-02-05"}
ENDED = {"time_boxed": True, "experiment_start": "2026-08-05", "experiment_end": "2026-10-20"}
HR = {"eu_annex_iii": ["4a"]}

# rule id -> answers (on top of the base document) under which it fires.
FIRES: dict[str, dict[str, Any]] = {
    # The six conditions.
    "condition.model-outputs": doc(model_outputs="operational"),
    "condition.failure-impact": doc(failure_impact="disruption"),
    "condition.user-exposure": doc(user_exposure="business_users"),
    "condition.regulatory-scope": doc(HR),
    "condition.accuracy-requirements": doc(accuracy_requirements="thresholds"),
    "condition.availability-needs": doc(availability_needs="sla"),
    "baseline.production-grade": doc(availability_needs="sla"),
    # The five triggers.
    "trigger.decision-dependency": doc(stakeholder_reliance=True),
    "trigger.customer-facing": doc(user_exposure="customers"),
    "trigger.regulatory": doc(eu_annex_iii=["5b"]),
    "trigger.scale": doc(volume_growth="tenfold"),
    "trigger.team-transition": doc(ownership_change="handover_to_engineering"),
    # Exceptions and the transition.
    "exception.internal-analytics": doc(user_exposure="business_users", analyst_only=True),
    "exception.time-bounded": doc(PRODUCTION, SHORT, retirement_agreed=True),
    "exception.funding-poc": doc(PRODUCTION, funding_demo=True, labelled_demo=True),
    "transition.parallel-operation": doc(stage="parallel_operation"),
    # Near misses of the exceptions.
    "signal.experiment-too-long": doc(LONG, retirement_agreed=True),
    "signal.experiment-dates-reversed": doc(
        time_boxed=True,
        experiment_start="2027-03-01",
        experiment_end="2027-01-01",
        retirement_agreed=True,
    ),
    "signal.experiment-no-agreement": doc(SHORT),
    "signal.experiment-ended": doc(ENDED, retirement_agreed=True),
    "signal.demo-unlabelled": doc(funding_demo=True),
    "signal.approval-granted": doc(funding_demo=True, labelled_demo=True, approval_granted=True),
    "signal.analytics-feeds-operations": doc(analyst_only=True, feeds_operational=True),
    # Misconceptions.
    "misconception.accuracy": doc(beliefs=["accuracy_means_ready"]),
    "misconception.mlops-enterprise": doc(beliefs=["mlops_enterprise_only"]),
    "misconception.data-scientist-deploys": doc(beliefs=["data_scientists_deploy"]),
    "misconception.cloud-platform": doc(beliefs=["cloud_platform_handles_it"]),
    # The guide's figures.
    "signal.timeline": doc(PRODUCTION),
    "signal.build-capacity": doc(PRODUCTION, senior_ml_engineers=1),
    "signal.cost-of-recovery": doc(PRODUCTION, capabilities=["model_versioning"]),
    # EU AI Act: Article 5.
    "eu.art5.a": doc(eu_practices=["manipulation"]),
    "eu.art5.b": doc(eu_practices=["exploits_vulnerabilities"]),
    "eu.art5.c": doc(eu_practices=["social_scoring"]),
    "eu.art5.d": doc(eu_practices=["crime_prediction_profiling"]),
    "eu.art5.e": doc(eu_practices=["facial_scraping"]),
    "eu.art5.f": doc(eu_practices=["emotion_work_education"]),
    "eu.art5.g": doc(eu_practices=["biometric_sensitive_categorisation"]),
    "eu.art5.h": doc(eu_practices=["realtime_remote_biometric_id"]),
    "eu.art5.omnibus": doc(eu_practices=["intimate_imagery"]),
    "eu.art5.f-medical-safety": doc(
        eu_practices=["emotion_work_education"], emotion_purpose="medical"
    ),
    # Annex III.
    **{
        f"eu.annex-iii.{point}": doc(eu_annex_iii=[point])
        for point in (
            "1a",
            "1b",
            "1c",
            "2",
            "3a",
            "3b",
            "3c",
            "3d",
            "4a",
            "4b",
            "5a",
            "5b",
            "5c",
            "5d",
            "6a",
            "6b",
            "6c",
            "6d",
            "6e",
            "7a",
            "7b",
            "7c",
            "7d",
            "8a",
            "8b",
        )
    },
    "eu.annex-iii.5b-fraud": doc(eu_annex_iii=["fraud_detection"]),
    "eu.annex-i": doc(eu_annex_i=True),
    # Scope and roles.
    "eu.scope.in-scope": doc(),
    "eu.role.provider": doc(eu_role="provider"),
    "eu.role.deployer": doc(eu_role="deployer"),
    # Derogation.
    "eu.derogation": doc(HR, eu_derogation=["narrow_procedural"]),
    "eu.obligation.derogation-assessment": doc(HR, eu_derogation=["narrow_procedural"]),
    "eu.obligation.derogation-registration": doc(HR, eu_derogation=["narrow_procedural"]),
    "eu.derogation.profiling": doc(HR, eu_derogation=["preparatory"], eu_profiling=True),
    # Tiers.
    "eu.tier.out-of-scope": doc(eu_scope="outside"),
    "eu.tier.prohibited": doc(eu_practices=["social_scoring"]),
    "eu.tier.high-risk": doc(HR),
    "eu.tier.high-risk-annex-i": doc(eu_annex_i=True),
    "eu.tier.transparency": doc(eu_transparency=["interacts_with_people"]),
    "eu.tier.minimal": doc(),
    # Article 50, by role.
    "eu.art50.1": doc(eu_role="provider", eu_transparency=["interacts_with_people"]),
    "eu.art50.2": doc(eu_role="provider", eu_transparency=["synthetic_content"]),
    "eu.art50.3": doc(eu_role="deployer", eu_transparency=["emotion_or_biometric_categorisation"]),
    "eu.art50.4-deep-fakes": doc(eu_role="deployer", eu_transparency=["deep_fakes"]),
    "eu.art50.4-public-text": doc(eu_role="deployer", eu_transparency=["public_interest_text"]),
    # Obligations.
    "eu.obligation.ai-literacy": doc(),
    **{
        f"eu.obligation.provider.{name}": doc(HR, eu_role="provider")
        for name in (
            "risk-management",
            "data-governance",
            "technical-documentation",
            "record-keeping",
            "instructions",
            "human-oversight",
            "accuracy-robustness",
            "quality-management",
            "conformity",
            "registration",
            "post-market",
        )
    },
    "eu.obligation.deployer.use-and-oversight": doc(HR, eu_role="deployer"),
    "eu.obligation.deployer.fria": doc(eu_annex_iii=["5c"], eu_role="deployer"),
    # SME provisions.
    "eu.sme.support": doc(eu_transparency=["synthetic_content"], organisation_size="under_50"),
    "eu.sme.simplified-documentation": doc(HR, organisation_size="50_249"),
    "eu.sme.microenterprise-qms": doc(HR, organisation_size="under_50"),
    "eu.sme.fines": doc(HR, organisation_size="50_249"),
    "eu.sme.small-midcap": doc(HR, organisation_size="250_749"),
}

# Other ways into the same rule (an `any` with several branches deserves a row per branch).
ALSO_FIRES: list[tuple[str, dict[str, Any]]] = [
    ("trigger.scale", doc(business_units=2)),
    ("trigger.team-transition", doc(ownership_change="author_leaving")),
    ("trigger.decision-dependency", doc(model_outputs="operational")),
    ("condition.user-exposure", doc(user_exposure="customers")),
    ("condition.regulatory-scope", doc(eu_practices=["manipulation"])),
    ("condition.regulatory-scope", doc(eu_annex_i=True)),
    ("trigger.regulatory", doc(eu_annex_i=True)),
    (
        "eu.art5.f-medical-safety",
        doc(eu_practices=["emotion_work_education"], emotion_purpose="safety"),
    ),
    ("misconception.data-scientist-deploys", doc(PRODUCTION, deployment_owner="data_scientist")),
    ("eu.obligation.deployer.fria", doc(HR, eu_role="deployer", eu_public_service=True)),
    ("eu.obligation.deployer.fria", doc(eu_annex_iii=["5b"], eu_role="provider_and_deployer")),
    ("eu.sme.support", doc(HR, eu_derogation=["narrow_procedural"], organisation_size="50_249")),
    (
        "eu.sme.small-midcap",
        doc(HR, eu_derogation=["detects_patterns"], organisation_size="250_749"),
    ),
    ("eu.tier.transparency", doc(eu_role="deployer", eu_transparency=["deep_fakes"])),
    *[
        ("eu.derogation", doc(HR, eu_derogation=[option]))
        for option in ("improves_human_result", "detects_patterns", "preparatory")
    ],
]

# rule id -> a document one answer away from FIRES[rule id], under which it must not fire.
NEAR_MISSES: dict[str, dict[str, Any]] = {
    "condition.regulatory-scope": doc(HR, eu_derogation=["narrow_procedural"]),
    "baseline.production-grade": doc(stage="production"),
    "trigger.decision-dependency": doc(stakeholder_reliance=False),
    "trigger.customer-facing": doc(user_exposure="business_users"),
    "trigger.regulatory": doc(eu_annex_iii=["fraud_detection"]),
    "trigger.scale": doc(business_units=1, volume_growth="stable"),
    "trigger.team-transition": doc(ownership_change="none"),
    # Every exception is voided by a high-risk or prohibited use, and needs its own conditions.
    "exception.internal-analytics": doc(user_exposure="business_users", analyst_only=True, **HR),
    "exception.time-bounded": doc(PRODUCTION, LONG, retirement_agreed=True),
    "exception.funding-poc": doc(
        PRODUCTION, funding_demo=True, labelled_demo=True, user_exposure="customers"
    ),
    "signal.experiment-ended": doc(SHORT, retirement_agreed=True),
    "signal.experiment-too-long": doc(SHORT, retirement_agreed=True),
    "signal.experiment-dates-reversed": doc(SHORT, retirement_agreed=True),
    "signal.experiment-no-agreement": doc(SHORT, retirement_agreed=True),
    "signal.demo-unlabelled": doc(funding_demo=True, labelled_demo=True),
    "signal.approval-granted": doc(funding_demo=True, labelled_demo=True),
    "signal.analytics-feeds-operations": doc(analyst_only=True, feeds_operational=False),
    "misconception.data-scientist-deploys": doc(deployment_owner="data_scientist"),
    "signal.timeline": doc(PRODUCTION, stage="production", capabilities=["monitoring"]),
    "signal.build-capacity": doc(PRODUCTION, senior_ml_engineers=2),
    "signal.cost-of-recovery": doc(PRODUCTION, capabilities=["monitoring"]),
    "eu.art5.a": doc(eu_practices=["manipulation"], eu_scope="outside"),
    "eu.art5.f": doc(eu_practices=["emotion_work_education"], emotion_purpose="safety"),
    "eu.art5.f-medical-safety": doc(eu_practices=["emotion_work_education"]),
    "eu.annex-iii.5b": doc(eu_annex_iii=["fraud_detection"]),
    "eu.annex-iii.4a": doc(HR, eu_scope="outside"),
    "eu.annex-i": doc(eu_annex_i=True, eu_scope="outside"),
    "eu.derogation": doc(HR, eu_derogation=["narrow_procedural"], eu_profiling=True),
    "eu.derogation.profiling": doc(HR, eu_profiling=True),
    "eu.tier.high-risk": doc(HR, eu_derogation=["narrow_procedural"]),
    "eu.tier.prohibited": doc(eu_practices=["social_scoring"], eu_scope="outside"),
    "eu.tier.transparency": doc(eu_role="deployer", eu_transparency=["interacts_with_people"]),
    "eu.tier.minimal": doc(eu_transparency=["synthetic_content"]),
    "eu.art50.1": doc(eu_role="deployer", eu_transparency=["interacts_with_people"]),
    "eu.art50.2": doc(eu_role="deployer", eu_transparency=["synthetic_content"]),
    "eu.art50.3": doc(eu_role="provider", eu_transparency=["emotion_or_biometric_categorisation"]),
    "eu.art50.4-deep-fakes": doc(eu_role="provider", eu_transparency=["deep_fakes"]),
    "eu.art50.4-public-text": doc(eu_role="provider", eu_transparency=["public_interest_text"]),
    "eu.obligation.ai-literacy": doc(eu_practices=["manipulation"]),
    "eu.scope.in-scope": doc(eu_scope="outside"),
    "eu.role.provider": doc(eu_role="deployer"),
    "eu.role.deployer": doc(eu_role="provider"),
    "eu.obligation.derogation-assessment": doc(
        HR, eu_role="deployer", eu_derogation=["narrow_procedural"]
    ),
    "eu.obligation.derogation-registration": doc(
        HR, eu_derogation=["narrow_procedural"], eu_profiling=True
    ),
    "eu.obligation.provider.risk-management": doc(HR, eu_role="deployer"),
    "eu.obligation.deployer.use-and-oversight": doc(HR, eu_role="provider"),
    "eu.obligation.deployer.fria": doc(HR, eu_role="deployer"),
    "eu.sme.support": doc(eu_transparency=["synthetic_content"], organisation_size="750_plus"),
    "eu.sme.simplified-documentation": doc(HR, organisation_size="50_249", eu_role="deployer"),
    "eu.sme.microenterprise-qms": doc(HR, organisation_size="50_249"),
    "eu.sme.fines": doc(eu_practices=["manipulation"], organisation_size="under_50"),
    "eu.sme.small-midcap": doc(HR, organisation_size="750_plus"),
}

RULE_IDS = [r.id for r in load_ruleset().rules]


def test_every_rule_has_a_test_case() -> None:
    missing = [rid for rid in RULE_IDS if rid not in FIRES]
    stale = sorted(set(FIRES) - set(RULE_IDS))
    assert not missing, f"rules without a row in FIRES: {missing}"
    assert not stale, f"rows in FIRES for rules that no longer exist: {stale}"


def test_the_base_document_fires_almost_nothing() -> None:
    assert fired_ids(doc()) == {
        "eu.scope.in-scope",
        "eu.role.provider",
        "eu.role.deployer",
        "eu.tier.minimal",
        "eu.obligation.ai-literacy",
    }
    assert assess(doc()).verdict.id == "experimentation_acceptable"


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_fires(rule_id: str) -> None:
    document = FIRES[rule_id]
    assert rule_id in fired_ids(document)
    report = assess(document)
    section = SECTION_OF_PLACEMENT[KINDS[load_ruleset().rule(rule_id).kind].placement]
    assert rule_id in report_sections(report)[section], f"{rule_id} not listed under {section}"


@pytest.mark.parametrize(
    ("rule_id", "document"), ALSO_FIRES, ids=[f"{r}-{i}" for i, (r, _) in enumerate(ALSO_FIRES)]
)
def test_rule_fires_through_every_branch(rule_id: str, document: dict[str, Any]) -> None:
    assert rule_id in fired_ids(document)


@pytest.mark.parametrize("rule_id", sorted(NEAR_MISSES))
def test_rule_does_not_fire_on_a_near_miss(rule_id: str) -> None:
    assert rule_id in RULE_IDS
    assert rule_id not in fired_ids(NEAR_MISSES[rule_id])


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_report_lists_exactly_the_fired_rules_once(rule_id: str) -> None:
    report = assess(FIRES[rule_id])
    listed = [rid for ids in report_sections(report).values() for rid in ids]
    assert len(listed) == len(set(listed))
    # A verdict's plan (Verdict.plan) may leave out signals: a prohibited system gets no
    # production timeline. Everything else that fired is listed.
    verdict = next(v for v in load_ruleset().verdicts if v.id == report.verdict.id)
    rules = {r.id: r for r in load_ruleset().rules}
    expected = {
        rid
        for rid in fired_ids(FIRES[rule_id])
        if not verdict.plan
        or rules[rid].kind not in ("signal", "transition", "misconception")
        or rules[rid].kind in verdict.plan
    }
    assert report_ids(report) == expected


def test_every_rule_kind_has_a_report_section() -> None:
    assert set(KINDS) == set(RuleKind)
    assert {spec.placement for spec in KINDS.values()} == set(SECTION_OF_PLACEMENT)


@pytest.mark.parametrize(
    "family", ["condition.", "trigger.", "exception.", "misconception.", "eu.art5.", "eu.art50."]
)
def test_no_rule_of_a_family_fires_on_the_base_document(family: str) -> None:
    assert not {rid for rid in fired_ids(doc()) if rid.startswith(family)}


def test_legal_duties_void_every_exception() -> None:
    for rid in ("exception.internal-analytics", "exception.time-bounded", "exception.funding-poc"):
        for legal in (HR, {"eu_practices": ["manipulation"]}, {"eu_annex_i": True}):
            document = {**FIRES[rid], **legal}
            assert rid not in fired_ids(document), (rid, legal)
            assert assess(document).verdict.id in ("production_required", "must_not_deploy")


@pytest.mark.parametrize(
    ("document", "verdict"),
    [
        (doc(), "experimentation_acceptable"),
        (FIRES["condition.model-outputs"], "production_required"),
        (FIRES["exception.internal-analytics"], "exception_applies"),
        (FIRES["exception.time-bounded"], "exception_applies"),
        (FIRES["exception.funding-poc"], "exception_applies"),
        (FIRES["eu.art5.c"], "must_not_deploy"),
        (FIRES["eu.annex-iii.5b-fraud"], "experimentation_acceptable"),
        (FIRES["eu.derogation"], "experimentation_acceptable"),
        (FIRES["eu.tier.high-risk"], "production_required"),
        (FIRES["signal.experiment-no-agreement"], "experimentation_acceptable"),
    ],
)
def test_verdicts_of_the_table(document: dict[str, Any], verdict: str) -> None:
    assert assess(document).verdict.id == verdict


def test_time_bounded_exception_reports_its_end() -> None:
    verdict = assess(FIRES["exception.time-bounded"]).verdict
    assert verdict.until == "2027-01-20"
    assert verdict.ends_when == load_ruleset().rule("exception.time-bounded").ends_when


def test_an_experiment_past_its_end_date_gets_no_exception() -> None:
    ended = doc(PRODUCTION, ENDED, retirement_agreed=True)
    report = assess(ended)
    assert report.verdict.id == "production_required"
    assert "signal.experiment-ended" in {s.id for s in report.signals}
    # The same experiment assessed while it was still running had the exception until its end.
    running = assess(ended, on="2026-09-01")
    assert running.verdict.id == "exception_applies"
    assert running.verdict.until == "2026-10-20"
    # On its end date it still runs; the day after, it has ended.
    assert assess(ended, on="2026-10-20").verdict.id == "exception_applies"
    assert assess(ended, on="2026-10-21").verdict.id == "production_required"


def test_span_is_under_three_calendar_months() -> None:
    # 31 January + 3 months clamps to 30 April: the 29th is inside, the 30th is not.
    inside = doc(PRODUCTION, experiment_start="2027-01-31", experiment_end="2027-04-29")
    edge = doc(PRODUCTION, experiment_start="2027-01-31", experiment_end="2027-04-30")
    backwards = doc(PRODUCTION, experiment_start="2026-03-01", experiment_end="2026-02-01")
    for d in (inside, edge, backwards):
        d["time_boxed"] = d["retirement_agreed"] = True
    assert "exception.time-bounded" in fired_ids(inside)
    assert "exception.time-bounded" not in fired_ids(edge)
    assert "exception.time-bounded" not in fired_ids(backwards)
    assert "signal.experiment-too-long" in fired_ids(edge)


def test_prohibited_system_gets_no_time_to_production() -> None:
    report = assess(doc(eu_practices=["emotion_work_education"]))
    assert report.verdict.id == "must_not_deploy"
    assert "signal.timeline" not in {s.id for s in report.signals}


def test_backwards_experiment_is_not_called_too_long() -> None:
    document = doc(experiment_start="2026-03-01", experiment_end="2026-02-01")
    try:
        ids = fired_ids(document)
    except prodready.AnswersError:
        return
    assert "signal.experiment-too-long" not in ids
