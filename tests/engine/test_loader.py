"""The rule set is checked when it is loaded: a mistake in the data files stops the build with a
message naming the rule and the problem, and never reaches a reader as a wrong verdict."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from typing import Any

import pytest

from prodready import conditions as c
from prodready.loader import (
    RuleSetError,
    _read_data,
    _sources,
    build_ruleset,
    compiled_data,
    load_ruleset,
    select_data,
)

Data = dict[str, Any]


def altered(change: Callable[[Data], None]) -> Data:
    data = copy.deepcopy(_read_data())
    change(data)
    return data


def rule(data: Data, rid: str) -> dict[str, Any]:
    return next(r for r in data["rules"] if r["id"] == rid)


def _question(data: Data, qid: str) -> dict[str, Any]:
    return next(q for q in data["questions"] if q["id"] == qid)


def set_when(rid: str, when: Any) -> Callable[[Data], None]:
    def change(data: Data) -> None:
        rule(data, rid)["when"] = when

    return change


def test_packaged_rules_load() -> None:
    rs = load_ruleset()
    assert build_ruleset(_read_data()) == rs
    assert len(rs.order) == len(rs.rules)
    assert sorted(rs.order) == list(range(len(rs.rules)))


def test_evaluation_order_puts_producers_first() -> None:
    rs = load_ruleset()
    position = {rs.rules[i].id: n for n, i in enumerate(rs.order)}
    for r in rs.rules:
        for node in c.walk(r.when):
            if isinstance(node, c.TagFired):
                for producer in rs.rules:
                    if node.tag in producer.tags:
                        assert position[producer.id] < position[r.id], (producer.id, r.id)


def _add_rule(extra: dict[str, Any]) -> Callable[[Data], None]:
    def change(data: Data) -> None:
        data["rules"].append(extra)

    return change


def _cycle(data: Data) -> None:
    base = {"kind": "signal", "title": "t", "rationale": "r", "guide": "index.md"}
    data["rules"] += [
        {**base, "id": "cycle.a", "when": {"rule": "cycle.b"}},
        {**base, "id": "cycle.b", "when": {"rule": "cycle.a"}},
    ]


def _tag_cycle(data: Data) -> None:
    base = {"kind": "signal", "title": "t", "rationale": "r", "guide": "index.md"}
    data["rules"] += [
        {**base, "id": "loop.a", "when": {"tag": "loop-b"}, "tags": ["loop-a"]},
        {**base, "id": "loop.b", "when": {"tag": "loop-a"}, "tags": ["loop-b"]},
    ]


def _duplicate_rule(data: Data) -> None:
    data["rules"].append(copy.deepcopy(rule(data, "trigger.scale")))


def _no_ends_when(data: Data) -> None:
    del rule(data, "exception.internal-analytics")["ends_when"]


def _verdict_after_fallback(data: Data) -> None:
    fallback = copy.deepcopy(data["verdicts"][-1])
    fallback["id"] = "early_fallback"
    data["verdicts"].insert(1, fallback)


def _no_fallback(data: Data) -> None:
    data["verdicts"][-1]["when"] = {"tag": "production-side"}


def _duplicate_option(data: Data) -> None:
    q = next(q for q in data["questions"] if q["id"] == "model_outputs")
    q["options"].append(copy.deepcopy(q["options"][0]))


def _unknown_section(data: Data) -> None:
    data["questions"][0]["section"] = "nowhere"


def _unknown_capability(data: Data) -> None:
    rule(data, "trigger.scale")["requires"] = ["scaling", "teleportation"]


def _bad_guide(data: Data) -> None:
    rule(data, "trigger.scale")["guide"] = "https://example.com/triggers"


def _unknown_date(data: Data) -> None:
    rule(data, "eu.art5.a")["applies_from"] = "someday"


def _unknown_promote_tag(data: Data) -> None:
    data["capabilities"][0]["promote"] = [{"tag": "ghost-tag", "phase": 1, "reason": "a ghost"}]


def capability(data: Data, cid: str) -> dict[str, Any]:
    return next(k for k in data["capabilities"] if k["id"] == cid)


def _promotion_backwards(data: Data) -> None:
    capability(data, "documentation")["promote"] = [
        {"tag": "ownership-change", "phase": 5, "reason": "a later phase"}
    ]


def _stand_in_chain(data: Data) -> None:
    capability(data, "llm_output_monitoring")["instead"] = "monitoring"


def _unknown_stand_in(data: Data) -> None:
    capability(data, "drift_detection")["instead"] = "crystal_ball"


def _capability_reads_a_tag(data: Data) -> None:
    capability(data, "drift_detection")["applies_when"] = {"tag": "high-risk"}


def _capability_without_action(data: Data) -> None:
    capability(data, "rollback")["action"] = "  "


def _transition_without_exit(data: Data) -> None:
    del rule(data, "transition.parallel-operation")["exit_criteria"]


def _exit_criteria_elsewhere(data: Data) -> None:
    rule(data, "trigger.scale")["exit_criteria"] = ["Never."]


def _figure_basis(data: Data) -> None:
    data["figures"][0]["basis"] = "hunch"


def _figure_without_source(data: Data) -> None:
    data["figures"][0]["source"] = ""


def _gdpr_duty_without_role(data: Data) -> None:
    del rule(data, "gdpr.dpia")["who"]


def _missing_field(data: Data) -> None:
    del rule(data, "trigger.scale")["title"]


def _unknown_field(data: Data) -> None:
    rule(data, "trigger.scale")["colour"] = "blue"


def _condition_without_sides(data: Data) -> None:
    del rule(data, "condition.regulatory-scope")["experimentation"]


def _bad_until(data: Data) -> None:
    rule(data, "exception.time-bounded")["until"] = "retirement_agreed"


def _bad_id(data: Data) -> None:
    rule(data, "trigger.scale")["id"] = "Trigger Scale"


def _set_field(rid: str, key: str, value: Any) -> Callable[[Data], None]:
    def change(data: Data) -> None:
        if value is None:
            del rule(data, rid)[key]
        else:
            rule(data, rid)[key] = value

    return change


def _question_field(qid: str, key: str, value: Any) -> Callable[[Data], None]:
    def change(data: Data) -> None:
        next(q for q in data["questions"] if q["id"] == qid)[key] = value

    return change


CASES: list[tuple[str, Callable[[Data], None], str]] = [
    # Closed vocabularies: a misspelt kind or role is a load error, not a duty moved elsewhere.
    (
        "misspelt-kind",
        _set_field("eu.obligation.provider.registration", "kind", "eu_obligaton"),
        r"rule eu\.obligation\.provider\.registration: unknown rule kind 'eu_obligaton'",
    ),
    (
        "duty-without-role",
        _set_field("eu.obligation.provider.registration", "who", None),
        r"a duty \(eu_obligation\) must name who it binds",
    ),
    (
        "duty-without-system",
        _set_field("eu.art50.1", "systems", None),
        r"rule eu\.art50\.1: a duty \(eu_transparency\) must name who it binds",
    ),
    (
        "unknown-role",
        _set_field("eu.art50.1", "who", ["providr"]),
        r"rule eu\.art50\.1: who: unknown role 'providr'",
    ),
    (
        "unknown-system-kind",
        _set_field("eu.art50.1", "systems", ["annex-ii"]),
        r"rule eu\.art50\.1: systems: unknown kind of system 'annex-ii'",
    ),
    (
        "role-on-a-non-duty",
        _set_field("trigger.scale", "who", ["provider"]),
        r"rule trigger\.scale: only duties name who and systems",
    ),
    (
        "misspelt-kind-in-plan",
        lambda data: data["verdicts"][0].update(plan=["eu_tier", "eu_prohibitd"]),
        r"verdict must_not_deploy: plan: unknown rule kind 'eu_prohibitd'",
    ),
    # Question applicability: over earlier answers only; required questions always apply.
    (
        "ask-when-reads-a-later-question",
        _question_field("eu_derogation", "ask_when", {"q": "ownership_change", "eq": "none"}),
        r"question eu_derogation: ask_when: unknown question 'ownership_change'",
    ),
    (
        "ask-when-reads-a-tag",
        _question_field("eu_derogation", "ask_when", {"tag": "annex-iii"}),
        r"question eu_derogation: ask_when: reads answers only",
    ),
    (
        "ask-when-on-a-required-question",
        _question_field("failure_impact", "ask_when", {"q": "model_outputs", "eq": "research"}),
        r"question failure_impact: ask_when: a required question always applies",
    ),
    (
        "questions-out-of-section-order",
        _question_field("beliefs", "section", "initiative"),
        r"question beliefs: section 'initiative' comes before the previous question's",
    ),
    # Dates.
    (
        "unknown-legal-date",
        set_when("signal.experiment-ended", {"date": "assessed_on", "on_or_after": "@someday"}),
        r"rule signal\.experiment-ended: unknown legal date '@someday'",
    ),
    (
        "date-compared-with-non-date",
        set_when("signal.experiment-ended", {"date": "experiment_end", "before": "name"}),
        r"'date' compares date questions, got 'name'",
    ),
    (
        "unknown-question",
        set_when("trigger.scale", {"q": "volume_growht", "eq": "tenfold"}),
        r"rule trigger\.scale: unknown question 'volume_growht'",
    ),
    (
        "unknown-option",
        set_when("condition.model-outputs", {"q": "model_outputs", "eq": "operationl"}),
        r"rule condition\.model-outputs: model_outputs has no option 'operationl'",
    ),
    (
        "unknown-option-in-list",
        set_when("eu.annex-iii.4a", {"q": "eu_annex_iii", "has_any": ["4a", "4c"]}),
        r"eu_annex_iii has no option '4c'",
    ),
    ("duplicate-rule", _duplicate_rule, r"duplicate rule id 'trigger\.scale'"),
    (
        "tag-nobody-produces",
        set_when("signal.timeline", {"tag": "production-sided"}),
        r"rule signal\.timeline: no rule produces tag 'production-sided'",
    ),
    (
        "unknown-rule",
        set_when("signal.timeline", {"rule": "trigger.scales"}),
        r"rule signal\.timeline: unknown rule 'trigger\.scales'",
    ),
    ("cycle", _cycle, r"cycle: cycle\.(a|b) -> cycle\.(a|b)"),
    ("tag-cycle", _tag_cycle, r"rules depend on each other in a cycle"),
    (
        "exception-without-end",
        _no_ends_when,
        r"rule exception\.internal-analytics: an exception must say what ends it",
    ),
    (
        "verdict-after-fallback",
        _verdict_after_fallback,
        r"verdict early_fallback always holds: the verdicts after it are unreachable",
    ),
    ("no-fallback", _no_fallback, r"the last verdict must be the fallback"),
    ("duplicate-option", _duplicate_option, r"duplicate option of model_outputs id 'research'"),
    ("unknown-section", _unknown_section, r"unknown section 'nowhere'"),
    ("unknown-capability", _unknown_capability, r"requires unknown capability 'teleportation'"),
    ("bad-guide-link", _bad_guide, r"guide link .* is not page\.md#anchor"),
    ("unknown-date", _unknown_date, r"applies_from names unknown date 'someday'"),
    ("promote-tag", _unknown_promote_tag, r"no rule produces tag 'ghost-tag'"),
    ("promote-backwards", _promotion_backwards, r"moves it to an earlier phase"),
    (
        "stand-in-chain",
        _stand_in_chain,
        r"its stand-in '(llm_output_)?monitoring' has a stand-in itself",
    ),
    ("unknown-stand-in", _unknown_stand_in, r"instead names no other capability 'crystal_ball'"),
    ("capability-reads-tag", _capability_reads_a_tag, r"applies_when: reads answers only"),
    ("capability-no-action", _capability_without_action, r"names the action that builds it"),
    ("transition-no-exit", _transition_without_exit, r"lists its exit criteria"),
    ("exit-criteria-elsewhere", _exit_criteria_elsewhere, r"trigger\.scale: a transitional"),
    ("figure-basis", _figure_basis, r"unknown basis; known: practitioner-estimate"),
    ("figure-source", _figure_without_source, r"a figure names its source"),
    ("gdpr-duty-without-role", _gdpr_duty_without_role, r"gdpr\.dpia: a duty \(gdpr_duty\)"),
    ("missing-field", _missing_field, r"malformed rule data"),
    ("unknown-field", _unknown_field, r"malformed rule data.*colour"),
    ("condition-sides", _condition_without_sides, r"must name both sides"),
    ("until-not-a-date", _bad_until, r"until must name a date question"),
    ("bad-id", _bad_id, r"rule id 'Trigger Scale' is not a valid id"),
    (
        "has-on-single-choice",
        set_when("trigger.scale", {"q": "volume_growth", "has": "tenfold"}),
        r"'has' needs a multiple-choice question",
    ),
    (
        "eq-on-multi",
        set_when("misconception.accuracy", {"q": "beliefs", "eq": "accuracy_means_ready"}),
        r"'eq' needs a single-choice question",
    ),
    (
        "bool-compared-with-string",
        set_when("trigger.decision-dependency", {"q": "stakeholder_reliance", "eq": "yes"}),
        r"stakeholder_reliance is yes/no",
    ),
    (
        "number-compared-with-string",
        set_when("trigger.scale", {"q": "business_units", "gte": "2"}),
        r"business_units is a number",
    ),
    (
        "text-compared",
        set_when("trigger.scale", {"q": "name", "eq": "x"}),
        r"name \(text\) cannot be compared",
    ),
    (
        "span-of-non-dates",
        set_when("exception.time-bounded", {"span": ["name", "experiment_end"], "under_months": 3}),
        r"span needs date questions, got 'name'",
    ),
    (
        "malformed-condition",
        set_when("trigger.scale", {"q": "volume_growth", "eq": "tenfold", "in": ["stable"]}),
        r"rule trigger\.scale: 'q' needs exactly one of",
    ),
    (
        "empty-any",
        set_when("trigger.scale", {"any": []}),
        r"rule trigger\.scale: 'any' needs a non-empty list",
    ),
    (
        "unknown-condition",
        set_when("trigger.scale", {"maybe": True}),
        r"rule trigger\.scale: unknown condition",
    ),
    (
        "unknown-source",
        lambda data: rule(data, "eu.art5.c").update(source="hearsay"),
        r"rule eu\.art5\.c: unknown source 'hearsay'",
    ),
    (
        # A rule resting on an unverified text must carry the mark itself.
        "unverified-source-verified-rule",
        lambda data: rule(data, "eu.size.small-mid-cap").update(verified=True),
        r"eu\.size\.small-mid-cap: its source 'smc-definition' is unverified",
    ),
    (
        "source-without-citation",
        lambda data: rule(data, "trigger.scale").update(source="ai-act"),
        r"trigger\.scale: names a source but cites no provision",
    ),
    (
        "alternative-date-unknown",
        lambda data: rule(data, "eu.art50.2")["applies_from_when"][0].update(date="someday"),
        r"eu\.art50\.2: applies_from_when names unknown date 'someday'",
    ),
    (
        "alternative-date-reads-unknown-question",
        lambda data: rule(data, "eu.art50.2")["applies_from_when"][0].update(
            when={"q": "ghost", "eq": True}
        ),
        r"eu\.art50\.2: applies_from_when: unknown question 'ghost'",
    ),
    (
        "duty-binds-an-unknown-role",
        lambda data: rule(data, "eu.obligation.importer").update(who=["wholesaler"]),
        r"eu\.obligation\.importer: who: unknown role 'wholesaler'",
    ),
    (
        "verdict-reads-unknown-tag",
        lambda data: data["verdicts"][0].update(when={"tag": "forbidden"}),
        r"verdict must_not_deploy: no rule produces tag 'forbidden'",
    ),
    (
        "extra-rule-unknown-question",
        _add_rule(
            {
                "id": "signal.extra",
                "kind": "signal",
                "title": "t",
                "rationale": "r",
                "guide": "index.md",
                "when": {
                    "all": [{"q": "model_outputs", "eq": "research"}, {"q": "ghost", "set": True}]
                },
            }
        ),
        r"rule signal\.extra: unknown question 'ghost'",
    ),
    (
        "option-in-no-group",
        lambda data: _question(data, "eu_annex_iii")["groups"][0]["options"].pop(),
        r"question eu_annex_iii: its groups must hold each option exactly once",
    ),
    (
        "option-in-two-groups",
        lambda data: _question(data, "eu_annex_iii")["groups"][1]["options"].append("1a"),
        r"question eu_annex_iii: its groups must hold each option exactly once",
    ),
    (
        "group-names-unknown-option",
        lambda data: _question(data, "eu_annex_iii")["groups"][0]["options"].append("9z"),
        r"question eu_annex_iii: its groups must hold each option exactly once",
    ),
]


@pytest.mark.parametrize(("change", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_inconsistent_rule_set_is_refused(change: Callable[[Data], None], message: str) -> None:
    data = altered(change)
    with pytest.raises(RuleSetError) as info:
        build_ruleset(data)
    assert re.search(message, str(info.value)), str(info.value)


def test_annex_iii_is_shown_as_its_eight_areas() -> None:
    q = load_ruleset().question("eu_annex_iii")
    assert [g.citation for g in q.groups] == [f"Annex III {n}" for n in range(1, 9)]
    # Each point sits in the area its citation names (the fraud exception with 5(b)).
    for g in q.groups:
        for option in g.options:
            citation = q.option(option).citation  # type: ignore[union-attr]
            assert citation is not None
            assert citation == g.citation or citation.startswith(f"{g.citation}("), citation


def test_loader_does_not_mutate_its_input() -> None:
    data = _read_data()
    snapshot = copy.deepcopy(data)
    build_ruleset(data)
    assert data == snapshot


def test_conditions_round_trip() -> None:
    # The published form keeps "@date-id" references; the loader resolves them to their day.
    from prodready.loader import _resolve_dates

    rs = load_ruleset()
    days = {d.id: d.amended or d.original for d in rs.dates}
    for r in rs.rules:
        assert _resolve_dates(c.parse(c.dump(r.when), r.id), days, r.id) == r.when
        for alt in r.applies_from_when:
            assert _resolve_dates(c.parse(c.dump(alt.when), r.id), days, r.id) == alt.when
    for v in rs.verdicts:
        assert c.parse(c.dump(v.when), v.id) == v.when


# ---------------------------------------------------------------------------------------------
# data/compiled.json: the pre-parsed rules a runtime wheel carries (see prodready.loader)


def test_compiled_rules_hold_exactly_what_the_toml_files_hold() -> None:
    texts = _sources()
    from_toml = select_data(texts, None)
    from_compiled = select_data(texts, compiled_data())
    assert from_compiled == from_toml
    # Same types too (JSON has no tuples or dates; TOML here uses neither).
    assert json.dumps(from_compiled) == json.dumps(from_toml)
    assert build_ruleset(from_compiled) == build_ruleset(from_toml)


def test_compiled_rules_are_used_while_they_match_their_sources() -> None:
    texts = _sources()
    doc = json.loads(compiled_data())
    doc["data"]["version"] = "from the compiled file"
    assert select_data(texts, json.dumps(doc))["version"] == "from the compiled file"


@pytest.mark.parametrize(
    "damage",
    ["edited source", "other format", "not json", "no data"],
)
def test_stale_or_broken_compiled_rules_fall_back_to_the_toml_files(damage: str) -> None:
    texts = dict(_sources())
    doc = json.loads(compiled_data())
    doc["data"]["version"] = "stale"
    compiled = json.dumps(doc)
    if damage == "edited source":
        texts["rules.toml"] += "\n# edited after compiling\n"
    elif damage == "other format":
        compiled = json.dumps({**doc, "format": "prodready.compiled-rules/0"})
    elif damage == "not json":
        compiled = compiled[: len(compiled) // 2]
    else:
        compiled = json.dumps({k: v for k, v in doc.items() if k != "data"})
    data = select_data(texts, compiled)
    assert data["version"] != "stale"
    assert data == select_data(texts, None)
