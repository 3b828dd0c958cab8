"""The rule set as one JSON document (``prodready rules``): what the site build renders.

The guide's tables and diagram are generated from this document, so what the page shows is what
the engine runs.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from prodready import __version__
from prodready import conditions as c
from prodready.model import Capability, Question, Rule, RuleSet

RULES_FORMAT = "prodready.rules/2"


def _fields(obj: Any, skip: tuple[str, ...]) -> dict[str, Any]:
    """The dataclass's fields except ``skip``: empty ones left out, tuples as lists, enum
    members as their values (conditions are dumped by the callers)."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if f.name in skip or value in (None, (), ""):
            continue
        if isinstance(value, tuple):
            value = [_plain(v) if dataclasses.is_dataclass(v) else str(v) for v in value]
        out[f.name] = value
    return out


def _rule(r: Rule) -> dict[str, Any]:
    doc = {**_fields(r, ("when", "guard", "applies_from_when")), "when": c.dump(r.when)}
    if r.applies_from_when:
        doc["applies_from_when"] = [
            {"when": c.dump(alt.when), "date": alt.date} for alt in r.applies_from_when
        ]
    return doc


def _with_condition(obj: Question | Capability, name: str) -> dict[str, Any]:
    """The record's fields, with its optional condition ``name`` dumped (left out if always)."""
    doc: dict[str, Any] = _plain(obj)
    del doc[name]
    cond = getattr(obj, name)
    if not isinstance(cond, c.Always):
        doc[name] = c.dump(cond)
    return doc


def _plain(obj: Any) -> Any:
    doc = dataclasses.asdict(obj)
    return {k: v for k, v in doc.items() if v is not None}


def ruleset_document(rs: RuleSet) -> dict[str, Any]:
    return {
        "format": RULES_FORMAT,
        "engine_version": __version__,
        "ruleset_version": rs.version,
        "ruleset_reviewed": rs.reviewed,
        "legal_basis": rs.legal_basis,
        "disclaimer": rs.disclaimer,
        "gdpr_legal_basis": rs.gdpr_basis,
        "sections": [_plain(s) for s in rs.sections],
        "questions": [_with_condition(q, "ask_when") for q in rs.questions],
        "rules": [_rule(r) for r in rs.rules],
        "capabilities": [_with_condition(k, "applies_when") for k in rs.capabilities],
        "areas": [_plain(a) for a in rs.areas],
        "phases": [_plain(p) for p in rs.phases],
        "verdicts": [{**_fields(v, ("when",)), "when": c.dump(v.when)} for v in rs.verdicts],
        "dates": [_plain(d) for d in rs.dates],
        "figures": [_plain(f) for f in rs.figures],
        "sources": [_plain(s) for s in rs.sources],
    }
