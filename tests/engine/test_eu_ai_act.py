"""The EU AI Act classification: every Article 5 item, Annex III point and Article 50 duty has a
cited rule that fires for its option, and the tricky cases the guide calls out decide correctly.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from engine_cases import doc, fired_ids, fired_tags
from engine_strategies import answer_documents
from hypothesis import HealthCheck, given, settings

from prodready import assess, load_ruleset
from prodready import conditions as c
from prodready.cli import main
from prodready.model import UNVERIFIED, Option, Rule
from prodready.render import to_markdown

RS = load_ruleset()
HR = {"eu_annex_iii": ["4a"]}


def options(qid: str) -> list[Option]:
    return list(RS.question(qid).options)


def rules_reading(qid: str, option: str) -> list[Rule]:
    """Rules whose condition tests this option of a multiple-choice question."""
    out = []
    for r in RS.rules:
        for node in c.walk(r.when):
            if (
                isinstance(node, c.Compare)
                and node.question == qid
                and node.op in ("has", "has_any")
                and option in (node.value if isinstance(node.value, tuple) else (node.value,))
            ):
                out.append(r)
                break
    return out


def cited_rule(qid: str, option: Option, kinds: tuple[str, ...]) -> Rule:
    found = [r for r in rules_reading(qid, option.id) if r.kind in kinds]
    assert found, f"no {kinds} rule reads {qid}={option.id}"
    rule = found[0]
    assert rule.citation, f"{rule.id} has no citation"
    assert option.citation, f"option {qid}={option.id} has no citation"
    # The option and its rule cite the same provision (one may be more precise).
    assert rule.citation.startswith(option.citation) or option.citation.startswith(rule.citation)
    assert rule.guide.startswith("eu-ai-act.md#")
    return rule


def tier_of(document: dict[str, Any]) -> str:
    return assess(document).eu_ai_act.tier


# --- Article 5 ------------------------------------------------------------------------------


@pytest.mark.parametrize("option", options("eu_practices"), ids=lambda o: o.id)
def test_every_article_5_practice_is_prohibited(option: Option) -> None:
    rule = cited_rule("eu_practices", option, ("eu_prohibited",))
    report = assess(doc(eu_practices=[option.id]))
    assert rule.id in {p.id for p in report.eu_ai_act.provisions}
    assert report.verdict.id == "must_not_deploy"
    assert report.eu_ai_act.tier == "prohibited"
    assert "prohibited" in fired_tags(doc(eu_practices=[option.id]))


def test_prohibition_dates() -> None:
    report = assess(doc(eu_practices=["manipulation", "intimate_imagery"]))
    dates = {d.id: d.applies_from for d in report.eu_ai_act.dates}
    assert dates["prohibitions"] == "2025-02-02"
    assert dates["intimate-imagery"] == "2026-12-02"


def test_emotion_recognition_at_work_is_prohibited() -> None:
    report = assess(doc(eu_practices=["emotion_work_education"], emotion_purpose="other"))
    assert report.verdict.id == "must_not_deploy"
    assert report.eu_ai_act.tier == "prohibited"
    # A prohibited system gets no compliance programme: it must not be deployed at all.
    assert not [o for o in report.eu_ai_act.obligations if o.id != "eu.obligation.ai-literacy"]


@pytest.mark.parametrize("purpose", ["medical", "safety"])
def test_emotion_recognition_for_medical_or_safety_reasons_is_high_risk(purpose: str) -> None:
    document = doc(eu_practices=["emotion_work_education"], emotion_purpose=purpose)
    report = assess(document)
    assert report.verdict.id == "production_required"
    assert report.eu_ai_act.tier == "high-risk"
    provisions = {p.id: p for p in report.eu_ai_act.provisions}
    assert "eu.art5.f" not in provisions
    assert "Annex III 1(c)" in (provisions["eu.art5.f-medical-safety"].citation or "")
    assert "prohibited" not in fired_tags(document)


# --- Annex III ------------------------------------------------------------------------------

ANNEX_III_POINTS = [o for o in options("eu_annex_iii") if o.id != "fraud_detection"]


@pytest.mark.parametrize("option", ANNEX_III_POINTS, ids=lambda o: o.id)
def test_every_annex_iii_point_is_high_risk(option: Option) -> None:
    rule = cited_rule("eu_annex_iii", option, ("eu_high_risk",))
    report = assess(doc(eu_annex_iii=[option.id]))
    assert rule.id in {p.id for p in report.eu_ai_act.provisions}
    assert report.eu_ai_act.tier == "high-risk"
    assert report.verdict.id == "production_required"
    assert "condition.regulatory-scope" in {f.id for f in report.fired}


@pytest.mark.parametrize("option", ANNEX_III_POINTS, ids=lambda o: o.id)
def test_every_annex_iii_point_admits_the_derogation(option: Option) -> None:
    report = assess(doc(eu_annex_iii=[option.id], eu_derogation=["preparatory"]))
    assert report.eu_ai_act.tier == "minimal"
    assert report.verdict.id == "experimentation_acceptable"


def test_fraud_detection_is_not_credit_scoring() -> None:
    option = next(o for o in options("eu_annex_iii") if o.id == "fraud_detection")
    cited_rule("eu_annex_iii", option, ("eu_note",))
    document = doc(eu_annex_iii=["fraud_detection"])
    report = assess(document)
    assert report.eu_ai_act.tier != "high-risk"
    assert report.eu_ai_act.tier == "minimal"
    assert "eu.annex-iii.5b-fraud" in {p.id for p in report.eu_ai_act.provisions}
    assert "high-risk" not in fired_tags(document)
    assert report.verdict.id == "experimentation_acceptable"


def test_credit_scoring_next_to_fraud_detection_is_high_risk() -> None:
    report = assess(doc(eu_annex_iii=["fraud_detection", "5b"]))
    assert report.eu_ai_act.tier == "high-risk"
    assert {"eu.annex-iii.5b", "eu.annex-iii.5b-fraud"} <= {
        p.id for p in report.eu_ai_act.provisions
    }


def test_credit_scoring_is_high_risk() -> None:
    report = assess(doc(eu_annex_iii=["5b"]))
    assert report.eu_ai_act.tier == "high-risk"
    assert report.verdict.id == "production_required"


# --- Article 6(3) derogation ----------------------------------------------------------------


def test_narrow_procedural_hr_tool_uses_the_derogation() -> None:
    report = assess(doc(HR, eu_derogation=["narrow_procedural"], eu_profiling=False))
    eu = report.eu_ai_act
    assert eu.tier == "minimal"
    assert "eu.derogation" in {p.id for p in eu.provisions}
    assert report.verdict.id == "experimentation_acceptable"
    # Art. 6(4) and 49(2) bind the provider of the derogated system.
    duties = {o.citation: o for o in eu.obligations}
    assert duties["Art. 6(4)"].who == ("provider",)
    assert duties["Art. 49(2)"].who == ("provider",)
    assert not [o for o in eu.obligations if o.id.startswith("eu.obligation.provider.")]
    deployer = assess(doc(HR, eu_role="deployer", eu_derogation=["narrow_procedural"]))
    cited = {o.citation for o in deployer.eu_ai_act.obligations}
    assert not cited & {"Art. 6(4)", "Art. 49(2)"}


def test_profiling_closes_the_derogation() -> None:
    report = assess(doc(HR, eu_derogation=["narrow_procedural"], eu_profiling=True))
    eu = report.eu_ai_act
    assert eu.tier == "high-risk"
    ids = {p.id for p in eu.provisions}
    assert "eu.derogation.profiling" in ids
    assert "eu.derogation" not in ids
    assert report.verdict.id == "production_required"


def test_derogation_does_not_reach_annex_i() -> None:
    report = assess(doc(HR, eu_annex_i=True, eu_derogation=["narrow_procedural"]))
    assert report.eu_ai_act.tier == "high-risk"
    assert "eu.tier.high-risk-annex-i" in {p.id for p in report.eu_ai_act.provisions}


def test_derogation_without_an_annex_iii_use_is_meaningless() -> None:
    assert "eu.derogation" not in fired_ids(doc(eu_derogation=["narrow_procedural"]))


# --- Article 50 -----------------------------------------------------------------------------


@pytest.mark.parametrize("option", options("eu_transparency"), ids=lambda o: o.id)
def test_every_article_50_duty(option: Option) -> None:
    rule = cited_rule("eu_transparency", option, ("eu_transparency",))
    assert rule.who in (("provider",), ("deployer",))
    role = rule.who[0].value
    other = "deployer" if role == "provider" else "provider"
    report = assess(doc(eu_role=role, eu_transparency=[option.id]))
    duty = {o.id: o for o in report.eu_ai_act.obligations}[rule.id]
    assert duty.citation == rule.citation
    assert duty.actions
    assert duty.applies_from is not None
    assert duty.applies_from.applies_from == "2026-08-02"
    assert report.eu_ai_act.tier == "transparency"
    assert rule.id in fired_ids(doc(eu_role="provider_and_deployer", eu_transparency=[option.id]))
    assert rule.id not in fired_ids(doc(eu_role=other, eu_transparency=[option.id]))


def test_transparency_duties_do_not_lower_a_high_risk_tier() -> None:
    report = assess(doc(HR, eu_transparency=["interacts_with_people"]))
    assert report.eu_ai_act.tier == "high-risk"
    assert "eu.art50.1" in {o.id for o in report.eu_ai_act.obligations}


# --- Scope and tiers ------------------------------------------------------------------------


def test_out_of_scope_has_no_eu_obligations() -> None:
    everything = doc(
        eu_scope="outside",
        eu_practices=[o.id for o in options("eu_practices")],
        eu_annex_iii=[o.id for o in options("eu_annex_iii")],
        eu_annex_i=True,
        eu_transparency=[o.id for o in options("eu_transparency")],
        eu_public="public_authority",
        organisation_size="under_10",
        annual_turnover="up_to_2m",
        eu_gpai="own_model",
    )
    report = assess(everything)
    eu = report.eu_ai_act
    assert eu.tier == "out-of-scope"
    # The reason (Art. 2(1)) and the tier, nothing else.
    assert [p.id for p in eu.provisions] == ["eu.scope.outside-eu", "eu.tier.out-of-scope"]
    assert eu.obligations == ()
    assert eu.sme == ()
    assert eu.penalties == ()
    assert eu.dates == ()
    assert not {t for t in fired_tags(everything) if t != "production-side"} & {
        "prohibited",
        "high-risk",
        "annex-iii",
        "annex-i",
        "transparency",
        "derogation",
    }
    assert report.verdict.id == "experimentation_acceptable"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answer_documents())
def test_exactly_one_tier_per_document(document: dict[str, Any]) -> None:
    ids = fired_ids(document)
    tiers = {r.tier for r in RS.rules if r.kind == "eu_tier" and r.id in ids}
    assert len(tiers) == 1, tiers
    report = assess(document)
    assert report.eu_ai_act.tier == next(iter(tiers))
    # The verdict and the tier agree on the prohibition.
    assert (report.verdict.id == "must_not_deploy") == (report.eu_ai_act.tier == "prohibited")
    if report.eu_ai_act.tier == "high-risk":
        assert report.verdict.id == "production_required"


# --- Dates ----------------------------------------------------------------------------------


def test_annex_iii_dates_are_the_amended_ones() -> None:
    report = assess(doc(HR, eu_role="provider"))
    for o in report.eu_ai_act.obligations:
        if o.id.startswith("eu.obligation.provider."):
            assert o.applies_from is not None
            assert o.applies_from.applies_from == "2027-12-02"
            assert o.applies_from.original == "2026-08-02"
            assert o.applies_from.amended == "2027-12-02"
    assert "2027-12-02 (originally 2026-08-02)" in to_markdown(report)


def test_annex_i_dates_are_the_amended_ones() -> None:
    report = assess(doc(eu_annex_i=True, eu_role="deployer"))
    duty = {o.id: o for o in report.eu_ai_act.obligations}[
        "eu.obligation.deployer.use-and-oversight"
    ]
    assert duty.applies_from is not None
    assert duty.applies_from.applies_from == "2028-08-02"
    assert duty.applies_from.original == "2027-08-02"
    assert "2028-08-02 (originally 2027-08-02)" in to_markdown(report)


def test_dates_table_lists_what_the_obligations_use() -> None:
    report = assess(doc(HR))
    dates = {d.id: d for d in report.eu_ai_act.dates}
    # Art. 4 (2 Feb 2025), the Annex III duties, and the penalties (Chapter XII, 2 Aug 2025).
    assert set(dates) == {"prohibitions", "annex-iii", "gpai"}
    assert dates["annex-iii"].applies_from == "2027-12-02"
    assert dates["annex-iii"].original == "2026-08-02"


# --- Fundamental-rights impact assessment (Art. 27) -----------------------------------------


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"eu_annex_iii": ["5b"], "eu_role": "deployer"}, True),
        ({"eu_annex_iii": ["5c"], "eu_role": "deployer"}, True),
        ({"eu_annex_iii": ["5b"], "eu_role": "provider_and_deployer"}, True),
        ({"eu_annex_iii": ["4a"], "eu_role": "deployer", "eu_public": "public_service"}, True),
        ({"eu_annex_iii": ["4a"], "eu_role": "deployer", "eu_public": "public_authority"}, True),
        ({"eu_annex_iii": ["5b"], "eu_role": "provider"}, False),
        ({"eu_annex_iii": ["4a"], "eu_role": "deployer"}, False),
        ({"eu_annex_iii": ["5a"], "eu_role": "deployer"}, False),
        ({"eu_annex_iii": ["fraud_detection"], "eu_role": "deployer"}, False),
        ({"eu_role": "deployer", "eu_public": "public_service"}, False),
        ({"eu_annex_iii": ["5b"], "eu_role": "deployer", "eu_derogation": ["preparatory"]}, False),
    ],
)
def test_fria_only_for_public_bodies_and_credit_or_insurance(
    answers: dict[str, Any], expected: bool
) -> None:
    assert ("eu.obligation.deployer.fria" in fired_ids(doc(answers))) is expected


@pytest.mark.parametrize(
    "answers",
    [
        {"eu_annex_i": True, "eu_role": "deployer", "eu_public": "public_service"},
        {"eu_annex_iii": ["2"], "eu_role": "deployer", "eu_public": "public_service"},
    ],
    ids=["annex-i-only", "annex-iii-point-2"],
)
def test_no_fria_outside_article_27_scope(answers: dict[str, Any]) -> None:
    assert "eu.obligation.deployer.fria" not in fired_ids(doc(answers))


# --- SME provisions and the report's framing -------------------------------------------------


# Staff headcount AND turnover or balance sheet (Art. 3(14a): Recommendation 2003/361/EC; Art. 3(14b):
# Recommendation (EU) 2025/1099), and what Regulation (EU) 2026/1744 gives each size.
@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (
            {"organisation_size": "under_10", "annual_turnover": "up_to_2m"},
            {
                "eu.size.micro",
                "eu.sme.support",
                "eu.sme.simplified-documentation",
                "eu.sme.proportionate-qms",
                "eu.sme.simplified-qms",
            },
        ),
        (
            {"organisation_size": "10_49", "annual_turnover": "up_to_10m"},
            {
                "eu.size.sme",
                "eu.sme.support",
                "eu.sme.simplified-documentation",
                "eu.sme.proportionate-qms",
                "eu.sme.simplified-qms",
            },
        ),
        # Under 250 staff but over both financial ceilings: not an SME, a small mid-cap.
        (
            {
                "organisation_size": "50_249",
                "annual_turnover": "up_to_150m",
                "balance_sheet": "up_to_129m",
            },
            {
                "eu.size.small-mid-cap",
                "eu.sme.simplified-documentation",
                "eu.sme.proportionate-qms",
            },
        ),
        (
            {"organisation_size": "250_749", "balance_sheet": "up_to_43m"},
            {
                "eu.size.small-mid-cap",
                "eu.sme.simplified-documentation",
                "eu.sme.proportionate-qms",
            },
        ),
        ({"organisation_size": "750_plus", "annual_turnover": "up_to_10m"}, {"eu.size.large"}),
        # One financial figure over its SME ceiling does not settle it: the other may be under.
        ({"organisation_size": "50_249", "annual_turnover": "up_to_150m"}, {"eu.size.unknown"}),
        ({"organisation_size": "50_249"}, {"eu.size.unknown"}),
    ],
)
def test_sme_provisions_by_size(size: dict[str, str], expected: set[str]) -> None:
    report = assess(doc(HR, size, eu_role="provider"))
    assert {s.id for s in report.eu_ai_act.sme} == expected


def test_sme_measures_need_a_relevant_duty() -> None:
    assert assess(doc(organisation_size="under_10", annual_turnover="up_to_2m")).eu_ai_act.sme == ()
    deployer = assess(doc(HR, eu_role="deployer", annual_turnover="up_to_10m"))
    # Provider measures (Art. 11(1), 17(2), 63) are not offered to a deployer.
    assert {s.id for s in deployer.eu_ai_act.sme} == {"eu.size.sme", "eu.sme.support"}


def test_report_states_disclaimer_and_legal_basis() -> None:
    report = assess(doc(HR))
    assert "not legal advice" in report.disclaimer
    assert report.eu_ai_act.disclaimer == report.disclaimer == RS.disclaimer
    assert "Regulation (EU) 2024/1689" in report.eu_ai_act.legal_basis
    assert "Regulation (EU) 2026/1744" in report.eu_ai_act.legal_basis
    md = to_markdown(report)
    assert RS.disclaimer in md
    assert RS.legal_basis in md


def test_every_eu_rule_is_cited_and_linked() -> None:
    for r in RS.rules:
        if r.kind.startswith("eu_"):
            assert r.citation, r.id
            assert r.guide.startswith("eu-ai-act.md#"), r.id


def test_every_eu_option_has_a_rule() -> None:
    for qid in ("eu_practices", "eu_annex_iii", "eu_transparency", "eu_derogation"):
        unread = [o.id for o in options(qid) if not rules_reading(qid, o.id)]
        assert not unread, (qid, unread)


def test_every_annex_iii_option_has_a_rule() -> None:
    read = {o.id for o in options("eu_annex_iii") if rules_reading("eu_annex_iii", o.id)}
    assert read == {o.id for o in options("eu_annex_iii")}


# --- Legal exceptions in "what would change" --------------------------------------------------


def _claims_exception(change: Any) -> bool:
    """Whether a change picks an option that claims a legal exception or exclusion."""
    if change.change == "remove":
        return False
    q = RS.question(change.question)
    return any((q.option(v) or Option("", "")).legal_condition for v in change.values)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answer_documents())
def test_an_exception_is_never_offered_as_an_answer_to_change(document: dict[str, Any]) -> None:
    for change in assess(document).what_would_change:
        assert bool(change.condition) == _claims_exception(change), change


def test_exceptions_are_stated_as_conditions_in_the_report() -> None:
    report = assess(doc(eu_practices=["emotion_work_education"]))
    conditions = [c for c in report.what_would_change if c.condition]
    assert {c.values for c in conditions} >= {("medical",), ("safety",)}
    md = to_markdown(report)
    lines = [line for line in md.splitlines() if "Only if the law's condition is met" in line]
    assert any("Art. 5(1)(f)" in line for line in lines)
    assert "answering “Medical reasons”" not in md
    # Removing the practice (a redesign) stays an ordinary change.
    assert any(c.change == "remove" and not c.condition for c in report.what_would_change)


# --- Every statement current, and unverified ones marked ---------------------------------------

ROOT = Path(__file__).resolve().parents[2]
STALE = re.compile(
    r"as reported|\(reported|reported;|reported\)|not yet confirmed|unconfirmed|"
    r"check the amending act|official journal reference not",
    re.IGNORECASE,
)


def _legal_texts() -> list[Path]:
    data = sorted((ROOT / "engine" / "prodready" / "data").glob("*.toml"))
    docs = sorted((ROOT / "docs").glob("**/*.md"))
    golden = sorted((ROOT / "tests" / "engine" / "golden").glob("*"))
    examples = sorted((ROOT / "engine" / "prodready" / "examples").glob("*.json"))
    return [*data, *docs, *golden, *examples]


def test_nothing_calls_the_amended_law_reported_or_unconfirmed() -> None:
    stale = [
        f"{p.relative_to(ROOT)}: {m.group(0)!r}"
        for p in _legal_texts()
        for m in STALE.finditer(p.read_text(encoding="utf-8"))
    ]
    assert not stale


def test_unverified_facts_carry_one_mark_everywhere() -> None:
    # One mark, UNVERIFIED, in the rules' rendering and on the pages; no second wording.
    other = re.compile(r"secondary sources, not checked|marked unverified|not verified\b", re.I)
    found = [
        f"{p.relative_to(ROOT)}: {m.group(0)!r}"
        for p in _legal_texts()
        for m in other.finditer(p.read_text(encoding="utf-8"))
    ]
    assert not found
    unverified = [r for r in RS.rules if not r.verified]
    assert {r.source for r in unverified} >= {"cjeu-case-law", "dpf-decision"}


def test_the_rules_name_the_amending_regulation(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    doc_ = json.loads(capsys.readouterr().out)
    assert "Regulation (EU) 2026/1744" in doc_["legal_basis"]
    assert {s["id"] for s in doc_["sources"]} >= {"ai-act", "ai-act-amended"}
    dates = {d["id"]: d for d in doc_["dates"]}
    for d in dates.values():
        assert d["source"], d["id"]
        if d.get("amended"):
            assert "2026/1744" in d["amended_source"], d["id"]
    # Art. 113 as amended: Annex III 2 Dec 2027, Annex I 2 Aug 2028, new bans 2 Dec 2026;
    # Art. 111(4): the marking grace ends 2 Dec 2026; Art. 111(2): public authorities 2030.
    assert dates["annex-iii"]["amended"] == "2027-12-02"
    assert dates["annex-i"]["amended"] == "2028-08-02"
    assert dates["intimate-imagery"]["original"] == "2026-12-02"
    assert dates["art50-2-existing"]["amended"] == "2026-12-02"
    assert dates["public-authority-existing"]["original"] == "2030-08-02"


def test_unverified_rules_are_marked_in_the_report() -> None:
    report = assess(doc(HR, eu_role="deployer"))
    art86 = {o.citation: o for o in report.eu_ai_act.obligations}["Art. 86(1)"]
    assert art86.verified is False
    assert f"(Art. 86(1)) {UNVERIFIED}" in to_markdown(report)
    verified = {o.citation: o for o in report.eu_ai_act.obligations}["Art. 26(1), Art. 26(2)"]
    assert verified.verified is True
    assert f"(Art. 26(1), Art. 26(2)) {UNVERIFIED}" not in to_markdown(report)


def test_every_unverified_rule_rests_on_a_reason_given_in_its_text() -> None:
    sources = {s.id: s for s in RS.sources}
    for r in RS.rules:
        if not r.verified:
            unverified_source = r.source is not None and not sources[r.source].verified
            assert unverified_source or "not settle" in r.rationale or "expressly" in r.rationale, (
                r.id
            )


# --- Duties reach the right party -------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "absent"),
    [
        # Art. 26(7): only workers at the workplace.
        ({"eu_annex_iii": ["3b"], "eu_role": "deployer"}, "Art. 26(7)"),
        # Art. 49(1): Annex III only.
        ({"eu_annex_i": True, "eu_role": "provider"}, "Art. 49(1)"),
        # Art. 49(1): not point 2.
        ({"eu_annex_iii": ["2"], "eu_role": "provider"}, "Art. 49(1)"),
        # Art. 6(4): the provider's.
        (
            {"eu_annex_iii": ["4a"], "eu_derogation": ["preparatory"], "eu_role": "deployer"},
            "Art. 6(4)",
        ),
        # Art. 26(8): public-authority deployers only.
        ({"eu_annex_iii": ["5a"], "eu_role": "deployer"}, "Art. 26(8), Art. 49(3)"),
    ],
)
def test_a_duty_does_not_reach_the_wrong_party(answers: dict[str, Any], absent: str) -> None:
    cited = {o.citation for o in assess(doc(answers)).eu_ai_act.obligations}
    assert absent not in cited


def test_the_minimal_tier_does_not_contradict_the_derogation_duties() -> None:
    report = assess(doc(HR, eu_role="provider", eu_derogation=["narrow_procedural"]))
    tier = next(p for p in report.eu_ai_act.provisions if p.kind == "eu_tier")
    assert tier.id == "eu.tier.minimal-derogated"
    assert "Art. 6(4)" in tier.reason
    assert "Art. 49(2)" in tier.reason
    assert "only AI literacy" not in tier.reason
