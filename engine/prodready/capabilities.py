"""Which capabilities a system needs, given its kind.

Rules require capabilities by id. Each capability says for which systems it exists
(``applies_when``, over the answers) and which capability stands in for it where it does not
(``instead``). So the one baseline rule asks a predictive model for drift detection and a
language-model application for output-quality monitoring, and the roadmap lists only
capabilities of the system's kind.
"""

from __future__ import annotations

from collections.abc import Mapping

from prodready import conditions as c
from prodready.model import RuleSet

type Predicates = tuple[c.Predicate | None, ...]

_NONE: frozenset[str] = frozenset()


def compile_capabilities(rs: RuleSet) -> Predicates:
    """One compiled ``applies_when`` per capability, in file order (None: always applies)."""
    return tuple(
        None if isinstance(k.applies_when, c.Always) else c.compile_condition(k.applies_when)
        for k in rs.capabilities
    )


def stand_ins(
    rs: RuleSet, predicates: Predicates, answers: Mapping[str, c.Answer]
) -> dict[str, str | None]:
    """Capability id -> the capability that meets a requirement for it on this system: itself
    if it applies, else its stand-in if that applies, else None (the requirement lapses)."""
    applies = {
        k.id: pred is None or pred(answers, _NONE, _NONE)
        for k, pred in zip(rs.capabilities, predicates, strict=True)
    }
    out: dict[str, str | None] = {}
    for k in rs.capabilities:
        if applies[k.id]:
            out[k.id] = k.id
        elif k.instead is not None and applies[k.instead]:
            out[k.id] = k.instead
        else:
            out[k.id] = None
    return out
