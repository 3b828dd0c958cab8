"""The requests the build sends the engine inside Pyodide to find what it imports (stdlib.py).

The standard library the assessor downloads holds only the modules seen imported, so these
requests must take the engine down every path a reader's answers can: the worker's start-up
check, every example assessed and rendered in both formats, answers generated from the answers
schema (each property given each kind of value it allows, and left out), every tracking
operation of the protocol (portfolio, diff, decision record, verify) in every format, and
malformed requests and answers. The generated answers are also what tests/tools checks in
Pyodide against CPython.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Any

from prodready.evaluate import assess
from prodready.loader import load_ruleset
from prodready.protocol import TRACKING_OPS
from prodready.protocol_tracking import FORMATS
from prodready.record import make_record, needs_justification
from prodready.schema import answers_schema

OPS = ("assess", "render:md", "render:html")
TEXTS = ("", "Zürich — ünïcödé ✓ 日本語", "<script>alert(1)</script> & **bold**")
# Answer sets that are not valid, or not even an object: the engine must reject them cleanly.
MALFORMED: dict[str, Any] = {
    "empty": {},
    "unknown-question": {"no_such_question": "yes"},
    "wrong-types": {"users": 7, "data": ["a", "b"], "decision": None},
    "not-an-object": ["a", 1],
}
DAMAGED_DOCUMENTS: tuple[object, ...] = (
    {"format": "prodready.nothing/1 ✓"},
    {"format": "prodready.portfolio/1", "initiatives": [{"name": "", "assessments": []}]},
    {"format": "prodready.portfolio/1", "initiatives": [{"name": "A", "ässessments": []}]},
    "[1, 2]",
)
BAD_REQUESTS = (
    "not json",
    json.dumps([1, 2]),
    json.dumps({"v": 2, "id": 1, "op": "info"}),
    json.dumps({"v": 1, "id": 1, "op": "nonsense"}),
    json.dumps({"v": 1, "id": 1, "op": "render", "answers": {}, "format": "pdf"}),
)


@dataclass(frozen=True)
class Probe:
    """One request, and whether the engine must answer it with ``ok: true``."""

    request: str
    must_succeed: bool

    def to_json(self) -> dict[str, object]:
        return {"request": self.request, "must_succeed": self.must_succeed}


def request(op_spec: str, answers: object, rid: int = 1) -> str:
    """The request the worker sends for ``op_spec`` ("assess", or "render:FORMAT")."""
    op, _, fmt = op_spec.partition(":")
    body: dict[str, object] = {"v": 1, "id": rid, "op": op, "answers": answers}
    if fmt:
        body["format"] = fmt
    return json.dumps(body, ensure_ascii=False)


def examples() -> dict[str, dict[str, Any]]:
    """The packaged example answers, by name."""
    found: dict[str, dict[str, Any]] = {}
    for item in sorted(resources.files("prodready").joinpath("examples").iterdir(), key=str):
        if item.name.endswith(".json"):
            data = json.loads(item.read_text(encoding="utf-8"))
            found[item.name[: -len(".json")]] = data.get("answers", data)
    return found


def _values(schema: dict[str, Any]) -> Iterator[object]:
    """Values of each kind a property's schema allows (and one it does not). An optional
    question's type is a list with "null" (unanswered)."""
    types = schema.get("type", [])
    kinds = set(types) if isinstance(types, list) else {types}
    if "enum" in schema:
        yield from schema["enum"]
    elif "array" in kinds:
        options = schema.get("items", {}).get("enum", [])
        yield []
        yield from ([option] for option in options)
        yield list(options)
    elif "boolean" in kinds:
        yield from (True, False)
    elif "integer" in kinds:
        yield from {schema.get("minimum", 0), schema.get("maximum", 10_000), 1, -1}
    elif schema.get("format") == "date":
        yield from ("2026-12-01", "2027-08-02", "2024-02-29", "01/12/2026")
    elif "string" in kinds:
        yield from TEXTS
    if "null" in kinds:
        yield None
    yield "not-a-valid-value"


def generated_answers() -> list[dict[str, Any]]:
    """Answer sets made from the answers schema: a complete example with one property changed
    to each value of each kind it allows (and to a wrong one), or left out."""
    schema = answers_schema(load_ruleset())
    base = next(iter(examples().values()))
    out: list[dict[str, Any]] = []
    for name, prop in schema["properties"].items():
        if name == "format":
            continue
        out.append({k: v for k, v in base.items() if k != name})
        out.extend({**base, name: value} for value in _values(prop))
    return out


def _op(op: str, **body: object) -> str:
    return json.dumps({"v": 1, "id": 1, "op": op, **body}, ensure_ascii=False)


def _record_of(answers: dict[str, Any]) -> dict[str, Any]:
    """A decision record of ``answers``, with every justification it needs (made in CPython)."""
    rs = load_ruleset()
    needed = needs_justification(assess(answers, rs))
    notes = {n.id: "Why this holds, in the reader's words." for n in needed}
    sign_offs = [{"name": "A. Reader", "role": "CTO", "date": "2026-12-01"}]
    return make_record(answers, rs, justifications=notes, sign_offs=sign_offs).to_dict()


def tracking_probes() -> list[Probe]:
    """Every tracking operation, in every format, on the examples; and damaged documents."""
    ex = examples()
    first, second = (ex[name] for name in sorted(ex)[:2])
    found: list[Probe] = []
    for fmt in FORMATS:
        portfolio = {"portfolio": None, "add": first, "name": "One", "format": fmt}
        found.append(Probe(_op("portfolio", **portfolio), must_succeed=True))
        found.append(Probe(_op("diff", old=first, new=second, format=fmt), must_succeed=True))
    for answers in ex.values():
        found.append(Probe(_op("record_form", answers=answers), must_succeed=True))
        record = _record_of(answers)
        for fmt in FORMATS:
            found.append(Probe(_op("record", answers=record, format=fmt), must_succeed=True))
            found.append(Probe(_op("verify", record=record, format=fmt), must_succeed=True))
        tampered = {**record, "digest": "sha256:" + "0" * 64}
        found.append(Probe(_op("verify", record=tampered, format="fragment"), must_succeed=True))
    for op in TRACKING_OPS:
        found.append(Probe(_op(op, answers="not json", record="{", old=[], new=7), False))
    # Documents of the wrong kind or shape, as a reader's file or tampered storage brings them
    # (their messages quote what was found: the unicode_escape codec).
    for doc in DAMAGED_DOCUMENTS:
        found.append(Probe(_op("portfolio", portfolio=doc, add=first, name="Ünï"), False))
        found.append(Probe(_op("portfolio", portfolio=None, add=doc, label="f.json"), False))
        found.append(Probe(_op("diff", old=doc, new=first), False))
        found.append(Probe(_op("verify", record=doc), False))
    return found


def probes() -> list[Probe]:
    """Every request the build sends, in order: the start-up check first."""
    found = [Probe(json.dumps({"v": 1, "id": 0, "op": "info"}), must_succeed=True)]
    for answers in examples().values():
        found.extend(Probe(request(op, answers), must_succeed=True) for op in OPS)
    for answers in generated_answers():
        found.append(Probe(request("assess", answers), must_succeed=False))
    found.extend(tracking_probes())
    for answers in MALFORMED.values():
        found.extend(Probe(request(op, answers), must_succeed=False) for op in OPS)
    found.extend(Probe(text, must_succeed=False) for text in BAD_REQUESTS)
    return found
