"""Shared helpers for the engine tests: minimal answer documents and what fired for them.

Kept as a plain module (not fixtures) so the tables in the tests read as data: a rule id and the
few answers that make it fire, on top of the five required framework answers.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from prodready.answers import validate
from prodready.evaluate import compiled, fire
from prodready.loader import load_ruleset
from prodready.report import Report
from prodready.vocab import Placement

# The five required framework answers, all on the experimentation side: nothing fires on them
# except the EU AI Act's minimal tier and the AI-literacy duty.
BASE: dict[str, Any] = {
    "format": "prodready.answers/1",
    "assessed_on": "2026-12-01",
    "model_outputs": "research",
    "failure_impact": "learning",
    "user_exposure": "data_science_team",
    "accuracy_requirements": "directional",
    "availability_needs": "downtime_ok",
}

# A production-side answer that touches nothing else (used where a rule needs the tag).
PRODUCTION = {"failure_impact": "disruption"}


def doc(*parts: Mapping[str, Any], **answers: Any) -> dict[str, Any]:
    """``BASE`` with the given answers on top (later ones win)."""
    out = dict(BASE)
    for part in parts:
        out.update(part)
    out.update(answers)
    return out


def _fired(document: Mapping[str, Any]) -> tuple[set[str], set[str]]:
    rs = load_ruleset()
    comp = compiled(rs)
    answers, _ = comp.asker.apply(validate({"assessed_on": BASE["assessed_on"], **document}, rs))
    _, ids, tags = fire(comp, answers, rs.order)
    return ids, tags


def fired_ids(document: Mapping[str, Any]) -> set[str]:
    """The ids of every rule the interpreter fires for a document (straight from the interpreter,
    not from the report, so the two can be compared)."""
    return _fired(document)[0]


def fired_tags(document: Mapping[str, Any]) -> set[str]:
    return _fired(document)[1]


# Where the report lists a fired rule of each placement.
SECTION_OF_PLACEMENT = {
    Placement.REASONS: "fired",
    Placement.SIGNALS: "signals",
    Placement.TRANSITIONS: "transitions",
    Placement.EU_PROVISIONS: "provisions",
    Placement.EU_OBLIGATIONS: "obligations",
    Placement.EU_SME: "sme",
    Placement.EU_PENALTIES: "penalties",
    Placement.GDPR_PROVISIONS: "gdpr_provisions",
    Placement.GDPR_DUTIES: "gdpr_duties",
}


def report_sections(report: Report) -> dict[str, list[str]]:
    """Rule ids per report section, in report order."""
    eu = report.eu_ai_act
    return {
        "fired": [f.id for f in report.fired],
        "signals": [f.id for f in report.signals],
        "transitions": [t.id for t in report.transitions],
        "provisions": [p.id for p in eu.provisions],
        "obligations": [o.id for o in eu.obligations],
        "sme": [s.id for s in eu.sme],
        "penalties": [p.id for p in eu.penalties],
        "gdpr_provisions": [p.id for p in report.gdpr.provisions],
        "gdpr_duties": [d.id for d in report.gdpr.duties],
    }


def report_ids(report: Report) -> set[str]:
    return {rid for ids in report_sections(report).values() for rid in ids}


def example(name: str) -> dict[str, Any]:
    """A bundled example answers document, parsed (a fresh copy each time)."""
    from prodready.cli import example_text

    doc: dict[str, Any] = json.loads(example_text(name))
    return doc


def severity(verdict_id: str) -> int:
    return next(v.severity for v in load_ruleset().verdicts if v.id == verdict_id)
