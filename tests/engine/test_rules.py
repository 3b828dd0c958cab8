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
LLM = {"system_kind": "llm_application"}
AGENT = {"system_kind": "llm_agent"}
# Personal data in the inputs (the GDPR applies); solely automated decisions about people.
PD = {"personal_data": ["inputs"]}
ART22 = {**PD, "automated_decisions": "solely_automated"}

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
    "signal.research-high-risk": doc(HR, stage="research_development"),
    # Language-model systems.
    "baseline.llm-vendor": doc(PRODUCTION, LLM),
    "baseline.llm-retrieval": doc(PRODUCTION, LLM, llm_adaptation=["retrieval"]),
    "trigger.llm-customer-text": doc(LLM, user_exposure="customers"),
    "trigger.agent-side-effects": doc(AGENT, agent_side_effects=True),
    "trigger.llm-model-change": doc(PRODUCTION, LLM, llm_model_change=True),
    # GDPR.
    "gdpr.scope.personal-data": doc(PD),
    "gdpr.role.controller": doc(PD),
    "gdpr.role.processor": doc(PD, gdpr_role="processor"),
    "trigger.automated-decisions": doc(ART22),
    "gdpr.note.human-review": doc(PD, automated_decisions="human_review"),
    "gdpr.art22.no-ground": doc(ART22),
    "gdpr.art22.safeguards": doc(ART22, art22_ground="contract"),
    "gdpr.art22.law": doc(ART22, art22_ground="law"),
    "gdpr.art22.special-categories": doc(ART22, special_category_data=True),
    "gdpr.transparency.automated": doc(ART22),
    "gdpr.dpia": doc(PD, automated_decisions="human_review"),
    "gdpr.dpia.ai-act": doc(PD, HR, eu_role="deployer"),
    "gdpr.lawful-basis.training": doc(personal_data=["training"]),
    "gdpr.lawful-basis.inputs": doc(PD),
    "gdpr.special-categories": doc(PD, special_category_data=True),
    "gdpr.storage-limitation": doc(PD),
    "gdpr.processor-contract": doc(PD, LLM),
    "gdpr.processor": doc(PD, gdpr_role="processor"),
    "gdpr.transfers": doc(PD, data_location="other"),
    "gdpr.transfers.dpf": doc(PD, data_location="us_dpf"),
    # Misconceptions.
    "misconception.accuracy": doc(beliefs=["accuracy_means_ready"]),
    "misconception.mlops-enterprise": doc(beliefs=["mlops_enterprise_only"]),
    "misconception.data-scientist-deploys": doc(beliefs=["data_scientists_deploy"]),
    "misconception.cloud-platform": doc(beliefs=["cloud_platform_handles_it"]),
    # The guide's figures.
    "signal.timeline": doc(PRODUCTION),
    "signal.build-capacity": doc(PRODUCTION, senior_ml_engineers=1),
    "signal.cost-of-recovery": doc(PRODUCTION, capabilities=["model_versioning"]),
    # EU AI Act: scope first (Art. 2, Art. 3(1)).
    "eu.scope.not-ai-system": doc(eu_ai_system="no"),
    "eu.scope.outside-eu": doc(eu_scope="outside"),
    "eu.scope.military": doc(eu_exclusion=["military"]),
    "eu.scope.scientific-research": doc(eu_exclusion=["scientific_research"]),
    "eu.scope.pre-market-research": doc(stage="research_development"),
    "eu.scope.real-world-testing": doc(stage="research_development", eu_real_world_testing=True),
    "eu.scope.personal-use": doc(eu_exclusion=["personal"], eu_role="deployer"),
    "eu.scope.personal-use-provider": doc(eu_exclusion=["personal"], eu_role="provider"),
    "eu.scope.open-source": doc(eu_exclusion=["open_source"]),
    "eu.scope.open-source-covered": doc(HR, eu_exclusion=["open_source"]),
    "eu.scope.in-scope": doc(),
    # Roles and the value chain.
    "eu.role.provider": doc(eu_role="provider"),
    "eu.role.deployer": doc(eu_role="deployer"),
    "eu.role.importer": doc(eu_role="importer"),
    "eu.role.distributor": doc(eu_role="distributor"),
    "eu.role.authorised-representative": doc(eu_role="authorised_representative"),
    "eu.role.public-authority-deployer": doc(eu_role="deployer", eu_public="public_authority"),
    "eu.role.provider-own-name": doc(HR, eu_role="deployer", eu_value_chain=["own_name"]),
    "eu.role.provider-modification": doc(
        HR, eu_role="importer", eu_value_chain=["substantial_modification"]
    ),
    "eu.role.provider-new-purpose": doc(
        HR, eu_role="distributor", eu_value_chain=["changed_purpose"]
    ),
    "eu.role.value-chain-not-high-risk": doc(eu_role="deployer", eu_value_chain=["own_name"]),
    # General-purpose AI models.
    "eu.gpai.model-provider": doc(eu_gpai="own_model"),
    "eu.gpai.modifier-provider": doc(eu_gpai="fine_tuned", eu_gpai_compute=True),
    "eu.gpai.modifier-below": doc(eu_gpai="fine_tuned"),
    "eu.gpai.downstream": doc(eu_gpai="api"),
    "eu.gpai.systemic-risk": doc(eu_gpai="own_model", eu_gpai_systemic=True),
    "eu.gpai.open-source": doc(eu_gpai="own_model", eu_gpai_open=True),
    # Article 5.
    "eu.art5.a": doc(eu_practices=["manipulation"]),
    "eu.art5.b": doc(eu_practices=["exploits_vulnerabilities"]),
    "eu.art5.c": doc(eu_practices=["social_scoring"]),
    "eu.art5.d": doc(eu_practices=["crime_prediction_profiling"]),
    "eu.art5.e": doc(eu_practices=["facial_scraping"]),
    "eu.art5.f": doc(eu_practices=["emotion_work_education"]),
    "eu.art5.g": doc(eu_practices=["biometric_sensitive_categorisation"]),
    "eu.art5.h": doc(eu_practices=["realtime_remote_biometric_id"]),
    "eu.art5.ba": doc(eu_practices=["intimate_imagery"]),
    "eu.art5.bb": doc(eu_practices=["csam"]),
    "eu.art5.ab-no-harm": doc(eu_practices=["manipulation"], eu_distortion_harm="no"),
    "eu.art5.f-medical-safety": doc(
        eu_practices=["emotion_work_education"], emotion_purpose="medical"
    ),
    "eu.art5.h-provider": doc(eu_practices=["realtime_remote_biometric_id"], eu_role="provider"),
    "eu.art5.h-exception": doc(
        eu_practices=["realtime_remote_biometric_id"], eu_rbi_exception="threat"
    ),
    "eu.art5.overrides": doc(eu_practices=["social_scoring"], eu_annex_iii=["1c"]),
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
    "eu.annex-i-b": doc(eu_annex_i=True, eu_annex_i_section="section_b"),
    # Derogation.
    "eu.derogation": doc(HR, eu_derogation=["narrow_procedural"]),
    "eu.obligation.derogation-assessment": doc(HR, eu_derogation=["narrow_procedural"]),
    "eu.obligation.derogation-registration": doc(HR, eu_derogation=["narrow_procedural"]),
    "eu.derogation.profiling": doc(HR, eu_derogation=["preparatory"], eu_profiling=True),
    # Tiers.
    "eu.tier.out-of-scope": doc(eu_scope="outside"),
    "eu.tier.prohibited": doc(eu_practices=["social_scoring"]),
    "eu.tier.high-risk": doc(HR),
    "eu.tier.high-risk-existing": doc(HR, eu_placed_on_market="2025-05-01"),
    "eu.tier.high-risk-existing-public": doc(
        HR, eu_placed_on_market="2025-05-01", eu_public="public_authority"
    ),
    "eu.tier.high-risk-annex-i": doc(eu_annex_i=True),
    "eu.tier.high-risk-annex-i-existing": doc(eu_annex_i=True, eu_placed_on_market="2028-01-01"),
    "eu.tier.high-risk-annex-i-existing-public": doc(
        eu_annex_i=True, eu_placed_on_market="2028-01-01", eu_public="public_authority"
    ),
    "eu.tier.high-risk-annex-i-b": doc(eu_annex_i=True, eu_annex_i_section="section_b"),
    "eu.tier.transparency": doc(eu_transparency=["interacts_with_people"]),
    "eu.tier.minimal-derogated": doc(HR, eu_derogation=["preparatory"]),
    "eu.tier.minimal": doc(),
    # Article 50, by role.
    "eu.art50.1": doc(eu_role="provider", eu_transparency=["interacts_with_people"]),
    "eu.art50.2": doc(eu_role="provider", eu_transparency=["synthetic_content"]),
    "eu.art50.2-not-applicable": doc(
        eu_transparency=["synthetic_content"], eu_synthetic_scope="assistive_editing"
    ),
    "eu.art50.3": doc(eu_role="deployer", eu_transparency=["emotion_or_biometric_categorisation"]),
    "eu.art50.4-deep-fakes": doc(eu_role="deployer", eu_transparency=["deep_fakes"]),
    "eu.art50.4-public-text": doc(eu_role="deployer", eu_transparency=["public_interest_text"]),
    "eu.art50.4-editorial": doc(eu_transparency=["public_interest_text"], eu_editorial=True),
    # Obligations.
    "eu.obligation.ai-literacy": doc(),
    "eu.note.bias-data": doc(HR),
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
    "eu.obligation.provider.national-registration": doc(eu_annex_iii=["2"], eu_role="provider"),
    "eu.obligation.provider.authorised-representative": doc(
        HR, eu_role="provider", eu_established_outside=True
    ),
    "eu.obligation.authorised-representative": doc(HR, eu_role="authorised_representative"),
    "eu.obligation.importer": doc(HR, eu_role="importer"),
    "eu.obligation.distributor": doc(HR, eu_role="distributor"),
    **{
        f"eu.obligation.deployer.{name}": doc(HR, eu_role="deployer")
        for name in ("use-and-oversight", "monitoring", "dpia", "inform-persons", "explanation")
    },
    "eu.obligation.deployer.inform-workers": doc(HR, eu_role="deployer", eu_workplace=True),
    "eu.obligation.deployer.public-registration": doc(
        HR, eu_role="deployer", eu_public="public_authority"
    ),
    "eu.obligation.deployer.fria": doc(eu_annex_iii=["5c"], eu_role="deployer"),
    "eu.obligation.deployer.rbi-safeguards": doc(
        eu_practices=["realtime_remote_biometric_id"], eu_rbi_exception="victims"
    ),
    "eu.obligation.gpai.documentation": doc(eu_gpai="own_model"),
    "eu.obligation.gpai.copyright": doc(eu_gpai="own_model", eu_gpai_open=True),
    "eu.obligation.gpai.authorised-representative": doc(
        eu_gpai="own_model", eu_established_outside=True
    ),
    "eu.obligation.gpai.systemic-risk": doc(eu_gpai="own_model", eu_gpai_systemic=True),
    # Size and the measures for smaller companies.
    "eu.size.micro": doc(HR, organisation_size="under_10", balance_sheet="up_to_2m"),
    "eu.size.sme": doc(HR, annual_turnover="up_to_50m"),
    "eu.size.small-mid-cap": doc(HR, organisation_size="250_749", annual_turnover="up_to_150m"),
    "eu.size.large": doc(HR, organisation_size="750_plus"),
    "eu.size.unknown": doc(HR),
    "eu.sme.support": doc(eu_transparency=["synthetic_content"], annual_turnover="up_to_10m"),
    "eu.sme.simplified-documentation": doc(HR, annual_turnover="up_to_50m"),
    "eu.sme.proportionate-qms": doc(HR, organisation_size="250_749", balance_sheet="up_to_129m"),
    "eu.sme.simplified-qms": doc(HR, organisation_size="10_49", annual_turnover="up_to_10m"),
    "eu.sme.linked-enterprises": doc(HR, annual_turnover="up_to_10m", eu_linked_enterprises=True),
    # Penalties.
    "eu.penalty.prohibited": doc(eu_practices=["social_scoring"]),
    "eu.penalty.prohibited-sme": doc(eu_practices=["social_scoring"], balance_sheet="up_to_43m"),
    "eu.penalty.obligations": doc(HR),
    "eu.penalty.obligations-smaller": doc(HR, annual_turnover="up_to_50m"),
    "eu.penalty.information": doc(eu_transparency=["interacts_with_people"]),
    "eu.penalty.information-smaller": doc(
        eu_transparency=["interacts_with_people"],
        organisation_size="250_749",
        annual_turnover="up_to_2m",
    ),
    "eu.penalty.gpai": doc(eu_gpai="fine_tuned", eu_gpai_compute=True),
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
    ("eu.obligation.deployer.fria", doc(HR, eu_role="deployer", eu_public="public_service")),
    ("eu.obligation.deployer.fria", doc(HR, eu_role="deployer", eu_public="public_authority")),
    ("eu.obligation.deployer.fria", doc(eu_annex_iii=["5b"], eu_role="provider_and_deployer")),
    ("eu.sme.support", doc(HR, eu_derogation=["narrow_procedural"], annual_turnover="up_to_50m")),
    ("eu.size.small-mid-cap", doc(HR, annual_turnover="over_150m", balance_sheet="up_to_129m")),
    ("eu.size.large", doc(HR, annual_turnover="over_150m", balance_sheet="over_129m")),
    ("eu.tier.transparency", doc(eu_role="deployer", eu_transparency=["deep_fakes"])),
    (
        "eu.role.provider-own-name",
        doc(eu_annex_i=True, eu_role="distributor", eu_value_chain=["own_name"]),
    ),
    (
        "eu.scope.open-source-covered",
        doc(eu_exclusion=["open_source"], eu_transparency=["deep_fakes"]),
    ),
    ("eu.scope.open-source-covered", doc(eu_exclusion=["open_source"], eu_practices=["csam"])),
    (
        "eu.art50.2-not-applicable",
        doc(eu_transparency=["synthetic_content"], eu_synthetic_scope="no_substantial_alteration"),
    ),
    ("eu.art5.overrides", doc(eu_practices=["social_scoring"], eu_annex_i=True)),
    (
        "eu.art5.overrides",
        doc(eu_practices=["social_scoring"], eu_annex_i=True, eu_annex_i_section="section_b"),
    ),
    ("signal.research-high-risk", doc(eu_annex_i=True, stage="research_development")),
    ("trigger.llm-customer-text", doc(AGENT, user_exposure="customers")),
    ("gdpr.scope.personal-data", doc(personal_data=["outputs"])),
    ("gdpr.lawful-basis.inputs", doc(personal_data=["outputs"])),
    ("gdpr.art22.safeguards", doc(ART22, art22_ground="consent")),
    ("gdpr.dpia", doc(ART22)),
    ("gdpr.dpia", doc(PD, special_category_data=True)),
    ("gdpr.dpia", doc(PD, HR)),
    ("gdpr.transfers", doc(PD, gdpr_role="processor", data_location="other")),
    ("signal.cost-of-recovery", doc(PRODUCTION, LLM, capabilities=["monitoring"])),
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
    # Without a high-risk use there is nothing to warn about in research and development.
    "signal.research-high-risk": doc(stage="research_development"),
    # Language-model rules need a language-model system (and what each names).
    "baseline.llm-vendor": doc(PRODUCTION, LLM, llm_hosting="self_hosted"),
    "baseline.llm-retrieval": doc(PRODUCTION, llm_adaptation=["retrieval"]),
    "trigger.llm-customer-text": doc(user_exposure="customers"),
    "trigger.agent-side-effects": doc(LLM, agent_side_effects=True),
    "trigger.llm-model-change": doc(LLM, llm_model_change=True),
    # GDPR rules need personal data; the answers that depend on it are ignored without it.
    "gdpr.scope.personal-data": doc(automated_decisions="solely_automated"),
    "trigger.automated-decisions": doc(PD, automated_decisions="human_review"),
    "gdpr.art22.no-ground": doc(ART22, art22_ground="consent"),
    "gdpr.art22.safeguards": doc(ART22, art22_ground="law"),
    "gdpr.dpia": doc(PD),
    "gdpr.dpia.ai-act": doc(PD, HR, eu_role="provider"),
    "gdpr.lawful-basis.training": doc(PD),
    "gdpr.storage-limitation": doc(PD, gdpr_role="processor"),
    "gdpr.processor-contract": doc(PD, LLM, llm_hosting="self_hosted"),
    "gdpr.processor": doc(PD),
    "gdpr.transfers": doc(PD, data_location="adequacy"),
    "gdpr.transfers.dpf": doc(PD, data_location="eea"),
    "misconception.data-scientist-deploys": doc(deployment_owner="data_scientist"),
    "signal.timeline": doc(PRODUCTION, stage="production", capabilities=["monitoring"]),
    "signal.build-capacity": doc(PRODUCTION, senior_ml_engineers=2),
    "signal.cost-of-recovery": doc(PRODUCTION, capabilities=["monitoring"]),
    "eu.art5.a": doc(eu_practices=["manipulation"], eu_scope="outside"),
    "eu.art5.b": doc(eu_practices=["exploits_vulnerabilities"], eu_distortion_harm="no"),
    "eu.art5.f": doc(eu_practices=["emotion_work_education"], emotion_purpose="safety"),
    "eu.art5.h": doc(eu_practices=["realtime_remote_biometric_id"], eu_role="provider"),
    "eu.art5.ba": doc(eu_practices=["intimate_imagery"], eu_exclusion=["military"]),
    "eu.art5.f-medical-safety": doc(eu_practices=["emotion_work_education"]),
    "eu.art5.h-exception": doc(eu_practices=["realtime_remote_biometric_id"]),
    "eu.art5.overrides": doc(eu_practices=["social_scoring"], eu_annex_iii=["fraud_detection"]),
    "eu.annex-iii.5b": doc(eu_annex_iii=["fraud_detection"]),
    "eu.annex-iii.4a": doc(HR, eu_scope="outside"),
    "eu.annex-i": doc(eu_annex_i=True, eu_scope="outside"),
    "eu.annex-i-b": doc(eu_annex_i=True),
    "eu.derogation": doc(HR, eu_derogation=["narrow_procedural"], eu_profiling=True),
    "eu.derogation.profiling": doc(HR, eu_profiling=True),
    "eu.tier.high-risk": doc(HR, eu_derogation=["narrow_procedural"]),
    "eu.tier.high-risk-existing": doc(HR, eu_placed_on_market="2025-05-01", eu_design_change=True),
    "eu.tier.high-risk-annex-i": doc(eu_annex_i=True, eu_placed_on_market="2028-01-01"),
    "eu.tier.prohibited": doc(eu_practices=["social_scoring"], eu_scope="outside"),
    "eu.tier.transparency": doc(eu_role="deployer", eu_transparency=["interacts_with_people"]),
    "eu.tier.minimal": doc(eu_transparency=["synthetic_content"]),
    "eu.tier.minimal-derogated": doc(
        HR, eu_derogation=["preparatory"], eu_transparency=["interacts_with_people"]
    ),
    "eu.tier.out-of-scope": doc(stage="research_development", eu_real_world_testing=True),
    "eu.art50.1": doc(eu_role="deployer", eu_transparency=["interacts_with_people"]),
    "eu.art50.2": doc(
        eu_transparency=["synthetic_content"], eu_synthetic_scope="assistive_editing"
    ),
    "eu.art50.3": doc(eu_role="provider", eu_transparency=["emotion_or_biometric_categorisation"]),
    "eu.art50.4-deep-fakes": doc(eu_role="provider", eu_transparency=["deep_fakes"]),
    "eu.art50.4-public-text": doc(
        eu_role="deployer", eu_transparency=["public_interest_text"], eu_editorial=True
    ),
    "eu.obligation.ai-literacy": doc(eu_practices=["manipulation"]),
    "eu.scope.in-scope": doc(eu_scope="outside"),
    "eu.scope.personal-use": doc(eu_exclusion=["personal"], eu_role="provider"),
    "eu.scope.open-source": doc(HR, eu_exclusion=["open_source"]),
    "eu.scope.pre-market-research": doc(stage="prototype"),
    "eu.role.provider": doc(eu_role="deployer"),
    "eu.role.deployer": doc(eu_role="provider"),
    "eu.role.public-authority-deployer": doc(eu_role="provider", eu_public="public_authority"),
    "eu.role.provider-own-name": doc(eu_role="deployer", eu_value_chain=["own_name"]),
    "eu.gpai.modifier-provider": doc(eu_gpai="fine_tuned"),
    "eu.gpai.model-provider": doc(eu_gpai="api"),
    "eu.gpai.open-source": doc(eu_gpai="own_model", eu_gpai_open=True, eu_gpai_systemic=True),
    "eu.obligation.derogation-assessment": doc(
        HR, eu_role="deployer", eu_derogation=["narrow_procedural"]
    ),
    "eu.obligation.derogation-registration": doc(
        HR, eu_derogation=["narrow_procedural"], eu_profiling=True
    ),
    "eu.obligation.provider.risk-management": doc(HR, eu_role="deployer"),
    "eu.obligation.provider.registration": doc(eu_annex_i=True, eu_role="provider"),
    "eu.obligation.provider.national-registration": doc(HR, eu_role="provider"),
    "eu.obligation.deployer.use-and-oversight": doc(HR, eu_role="provider"),
    "eu.obligation.deployer.inform-workers": doc(eu_annex_iii=["3b"], eu_role="deployer"),
    "eu.obligation.deployer.public-registration": doc(
        eu_annex_iii=["2"], eu_role="deployer", eu_public="public_authority"
    ),
    "eu.obligation.deployer.inform-persons": doc(eu_annex_i=True, eu_role="deployer"),
    "eu.obligation.deployer.fria": doc(HR, eu_role="deployer"),
    "eu.obligation.importer": doc(eu_role="importer"),
    "eu.obligation.gpai.documentation": doc(eu_gpai="own_model", eu_gpai_open=True),
    "eu.obligation.gpai.copyright": doc(eu_gpai="api"),
    "eu.sme.support": doc(eu_transparency=["synthetic_content"], organisation_size="750_plus"),
    "eu.sme.simplified-documentation": doc(HR, annual_turnover="up_to_50m", eu_role="deployer"),
    "eu.sme.simplified-qms": doc(HR, organisation_size="250_749", annual_turnover="up_to_150m"),
    "eu.size.sme": doc(HR, annual_turnover="up_to_150m"),
    "eu.size.small-mid-cap": doc(HR, organisation_size="750_plus", annual_turnover="up_to_150m"),
    "eu.penalty.prohibited": doc(eu_practices=["social_scoring"], annual_turnover="up_to_2m"),
    "eu.penalty.obligations": doc(HR, organisation_size="250_749", annual_turnover="up_to_150m"),
}

# Other near misses of rules that already have one above.
ALSO_MISSES: list[tuple[str, dict[str, Any]]] = [
    # Research and development keeps a high-risk use on the experimentation side.
    ("condition.regulatory-scope", doc(HR, stage="research_development")),
    ("trigger.regulatory", doc(eu_annex_iii=["5b"], stage="research_development")),
    ("trigger.automated-decisions", doc(automated_decisions="solely_automated")),
    ("exception.internal-analytics", doc(ART22, user_exposure="business_users", analyst_only=True)),
]

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


@pytest.mark.parametrize(
    ("rule_id", "document"),
    [*sorted(NEAR_MISSES.items()), *ALSO_MISSES],
    ids=[*sorted(NEAR_MISSES), *(f"{r}-also" for r, _ in ALSO_MISSES)],
)
def test_rule_does_not_fire_on_a_near_miss(rule_id: str, document: dict[str, Any]) -> None:
    assert rule_id in RULE_IDS
    assert rule_id not in fired_ids(document)


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
        for legal in (HR, {"eu_practices": ["manipulation"]}, {"eu_annex_i": True}, ART22):
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


def test_research_and_development_stays_on_the_experimentation_side() -> None:
    """The decision framework puts a system still in research and development, not used for
    real, on the experimentation side: a CV-ranking model its own team runs on past data is not
    told that experimentation is over, but it is warned about its high-risk use."""
    research = doc(HR, stage="research_development", eu_profiling=True)
    report = assess(research)
    assert report.verdict.id == "experimentation_acceptable"
    assert "signal.research-high-risk" in {s.id for s in report.signals}
    assert not {f.id for f in report.fired} & {"condition.regulatory-scope", "trigger.regulatory"}
    # Used for real (a pilot), the same system needs production engineering.
    assert assess({**research, "stage": "prototype"}).verdict.id == "production_required"
