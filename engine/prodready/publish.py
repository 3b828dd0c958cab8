"""The rule set as one JSON document (``prodready rules``): what the site build renders.

The guide's tables and diagram are generated from this document, so what the page shows is what
the engine runs.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from prodready import __version__
from prodready.conditions import dump
from prodready.model import Rule, RuleSet

RULES_FORMAT = "prodready.rules/1"


def _rule(r: Rule) -> dict[str, Any]:
    doc = {k: v for k, v in dataclasses.asdict(r).items() if v not in (None, (), "")}
    doc["when"] = dump(r.when)
    return {k: list(v) if isinstance(v, tuple) else v for k, v in doc.items()}


def _plain(obj: Any) -> Any:
    doc = dataclasses.asdict(obj)
    return {k: v for k, v in doc.items() if v is not None}


def ruleset_document(rs: RuleSet) -> dict[str, Any]:
    return {
        "format": RULES_FORMAT,
        "engine_version": __version__,
        "ruleset_version": rs.version,
        "legal_basis": rs.legal_basis,
        "disclaimer": rs.disclaimer,
        "sections": [_plain(s) for s in rs.sections],
        "questions": [_plain(q) for q in rs.questions],
        "rules": [_rule(r) for r in rs.rules],
        "capabilities": [_plain(k) for k in rs.capabilities],
        "areas": [_plain(a) for a in rs.areas],
        "phases": [_plain(p) for p in rs.phases],
        "verdicts": [{**_plain(v), "when": dump(v.when)} for v in rs.verdicts],
        "dates": [_plain(d) for d in rs.dates],
        "figures": [_plain(f) for f in rs.figures],
    }
