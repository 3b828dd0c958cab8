"""The rule set's closed vocabularies: rule kinds, where the report lists each kind, roles, the
kinds of system a duty concerns, and what a figure rests on.

A rule's ``kind`` decides where the report shows it and whether it is a duty (which must name who
it binds and for which kind of system). A misspelt kind in the data files must stop the load, never
silently move a duty to another part of the report, so the kinds are an enum and :data:`KINDS`
maps every one of them; :func:`check_tables` proves the map is complete when the rules load.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType


class RuleKind(StrEnum):
    CONDITION = "condition"
    BASELINE = "baseline"
    TRIGGER = "trigger"
    EXCEPTION = "exception"
    TRANSITION = "transition"
    SIGNAL = "signal"
    MISCONCEPTION = "misconception"
    EU_ROLE = "eu_role"
    EU_SCOPE = "eu_scope"
    EU_PROHIBITED = "eu_prohibited"
    EU_HIGH_RISK = "eu_high_risk"
    EU_DEROGATION = "eu_derogation"
    EU_NOTE = "eu_note"
    EU_TIER = "eu_tier"
    EU_TRANSPARENCY = "eu_transparency"
    EU_OBLIGATION = "eu_obligation"
    EU_SME = "eu_sme"
    EU_PENALTY = "eu_penalty"
    GDPR_SCOPE = "gdpr_scope"
    GDPR_NOTE = "gdpr_note"
    GDPR_DUTY = "gdpr_duty"


class Placement(StrEnum):
    """Where a fired rule appears in the report."""

    REASONS = "reasons"  # report.fired: the guide's rules behind the verdict
    SIGNALS = "signals"  # report.signals: risks and near misses
    TRANSITIONS = "transitions"  # report.transitions: a state on the way, with exit criteria
    EU_PROVISIONS = "eu_provisions"  # eu_ai_act.provisions: what classifies the system
    EU_OBLIGATIONS = "eu_obligations"  # eu_ai_act.obligations: duties, with their dates
    EU_SME = "eu_sme"  # eu_ai_act.sme: measures for smaller companies
    EU_PENALTIES = "eu_penalties"  # eu_ai_act.penalties: the fines that could apply (Art. 99)
    GDPR_PROVISIONS = "gdpr_provisions"  # gdpr.provisions: why and in which role the GDPR applies
    GDPR_DUTIES = "gdpr_duties"  # gdpr.duties: what the GDPR requires, by role


class Role(StrEnum):
    """Who a duty binds. A rule of kind ``eu_role`` tags the roles the organisation holds."""

    PROVIDER = "provider"
    DEPLOYER = "deployer"
    IMPORTER = "importer"
    DISTRIBUTOR = "distributor"
    AUTHORISED_REPRESENTATIVE = "authorised_representative"
    # A deployer that is a public authority, an EU institution or body, or acts on their behalf
    # (Art. 26(8), 49(3)): duties that bind only such deployers name this role.
    PUBLIC_AUTHORITY_DEPLOYER = "public_authority_deployer"
    # The provider of a general-purpose AI model (Art. 3(3), 3(63)), as opposed to the provider
    # of an AI system built on one (Art. 53-55 bind the former).
    GPAI_MODEL_PROVIDER = "gpai_model_provider"
    # GDPR roles (Art. 4(7) and 4(8)), for the personal data the system processes.
    CONTROLLER = "controller"
    PROCESSOR = "processor"

    @property
    def tag(self) -> str:
        """The tag a rule produces when the organisation holds this role."""
        return f"role.{self.value}"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class SystemKind(StrEnum):
    """The kinds of system a duty concerns. A rule tags the kinds the assessed system is."""

    IN_SCOPE = "in-scope"  # any AI system within the Act's scope (Art. 2), not prohibited
    ANNEX_III = "annex-iii"  # high-risk under Art. 6(2) and Annex III
    ANNEX_I = "annex-i"  # high-risk under Art. 6(1) and Annex I
    DEROGATED = "derogated"  # an Annex III use that the Art. 6(3) derogation takes out
    GPAI_MODEL = "gpai-model"  # a general-purpose AI model (Art. 3(63))
    GPAI_SYSTEMIC = "gpai-systemic-risk"  # a GPAI model with systemic risk (Art. 51)
    PERSONAL_DATA = "personal-data"  # processes personal data (GDPR Art. 4(1), 4(2))

    @property
    def tag(self) -> str:
        return f"system.{self.value}"


class Tier(StrEnum):
    """The EU AI Act tiers a rule of kind ``eu_tier`` can give, most demanding first (the order
    is the urgency a portfolio sorts by)."""

    PROHIBITED = "prohibited"
    HIGH_RISK = "high-risk"
    TRANSPARENCY = "transparency"
    MINIMAL = "minimal"
    OUT_OF_SCOPE = "out-of-scope"
    UNKNOWN = "unknown"  # no tier rule fired


class FigureBasis(StrEnum):
    """What a figure of the guide rests on. The figures table prints it beside each figure, so a
    practitioner's estimate is never read as a measured result."""

    PRACTITIONER_ESTIMATE = "practitioner-estimate"  # experience reported by practitioners
    GUIDE_THRESHOLD = "guide-threshold"  # a line this guide draws, not an observation
    LAW = "law"  # stated in a legal text (the source names the provision)
    STUDY = "study"  # a published study (the source names it)

    @property
    def label(self) -> str:
        return _BASIS_LABELS[self]


_BASIS_LABELS: MappingProxyType[FigureBasis, str] = MappingProxyType(
    {
        FigureBasis.PRACTITIONER_ESTIMATE: "Practitioner estimate",
        FigureBasis.GUIDE_THRESHOLD: "Threshold set by this guide",
        FigureBasis.LAW: "Legal text",
        FigureBasis.STUDY: "Published study",
    }
)


@dataclass(frozen=True, slots=True)
class KindSpec:
    placement: Placement
    # A duty names the roles it binds (``who``) and the kinds of system it concerns (``systems``);
    # the engine fires it only for those (see loader: the rule's guard).
    duty: bool = False
    # Whether the report gives the date from which a fired rule of this kind applies.
    dated: bool = False


KINDS: MappingProxyType[RuleKind, KindSpec] = MappingProxyType(
    {
        RuleKind.CONDITION: KindSpec(Placement.REASONS),
        RuleKind.BASELINE: KindSpec(Placement.REASONS),
        RuleKind.TRIGGER: KindSpec(Placement.REASONS),
        RuleKind.EXCEPTION: KindSpec(Placement.REASONS),
        RuleKind.TRANSITION: KindSpec(Placement.TRANSITIONS),
        RuleKind.SIGNAL: KindSpec(Placement.SIGNALS),
        RuleKind.MISCONCEPTION: KindSpec(Placement.SIGNALS),
        RuleKind.EU_ROLE: KindSpec(Placement.EU_PROVISIONS),
        RuleKind.EU_SCOPE: KindSpec(Placement.EU_PROVISIONS),
        RuleKind.EU_PROHIBITED: KindSpec(Placement.EU_PROVISIONS, dated=True),
        RuleKind.EU_HIGH_RISK: KindSpec(Placement.EU_PROVISIONS),
        RuleKind.EU_DEROGATION: KindSpec(Placement.EU_PROVISIONS),
        RuleKind.EU_NOTE: KindSpec(Placement.EU_PROVISIONS),
        RuleKind.EU_TIER: KindSpec(Placement.EU_PROVISIONS, dated=True),
        RuleKind.EU_TRANSPARENCY: KindSpec(Placement.EU_OBLIGATIONS, duty=True, dated=True),
        RuleKind.EU_OBLIGATION: KindSpec(Placement.EU_OBLIGATIONS, duty=True, dated=True),
        RuleKind.EU_SME: KindSpec(Placement.EU_SME),
        RuleKind.EU_PENALTY: KindSpec(Placement.EU_PENALTIES, dated=True),
        RuleKind.GDPR_SCOPE: KindSpec(Placement.GDPR_PROVISIONS),
        RuleKind.GDPR_NOTE: KindSpec(Placement.GDPR_PROVISIONS),
        RuleKind.GDPR_DUTY: KindSpec(Placement.GDPR_DUTIES, duty=True),
    }
)


def check_tables() -> None:
    """Every kind has a placement: a kind added to the enum but not to :data:`KINDS` (or the
    reverse) is an error at load time, not a rule that silently disappears from reports."""
    missing = set(RuleKind) - set(KINDS)
    if missing:
        raise AssertionError(f"rule kinds without a placement: {sorted(missing)}")
    unlabelled = set(FigureBasis) - set(_BASIS_LABELS)
    if unlabelled:
        raise AssertionError(f"figure bases without a label: {sorted(unlabelled)}")


def kinds_placed(placement: Placement) -> frozenset[RuleKind]:
    return frozenset(k for k, spec in KINDS.items() if spec.placement is placement)
