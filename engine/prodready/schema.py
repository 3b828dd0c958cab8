"""JSON Schema (2020-12) of the answers document, generated from the questions.

Generated, not written, so the schema, the validator and the questionnaire cannot disagree: every
document the schema accepts is assessed, and every document it rejects is refused (a property test
proves it). Validate with format assertion on (``"format": "date"`` must be a real calendar day),
as JSON Schema 2020-12 allows. ``null`` for an optional question means unanswered.
"""

from __future__ import annotations

from typing import Any

from prodready.answers import FORMAT
from prodready.model import Question, RuleSet


def _nullable(doc: dict[str, Any]) -> None:
    """Also allow ``null`` (unanswered) for an optional question."""
    if "enum" in doc:
        doc["enum"] = [*doc["enum"], None]
    else:
        doc["type"] = [doc["type"], "null"]


def _property(q: Question) -> dict[str, Any]:
    doc: dict[str, Any] = {"title": q.text}
    if q.help:
        doc["description"] = q.help
    match q.type:
        case "choice":
            doc["enum"] = [o.id for o in q.options]
        case "multi":
            doc.update(
                type="array",
                uniqueItems=True,
                items={"enum": [o.id for o in q.options]},
            )
        case "bool":
            doc["type"] = "boolean"
        case "integer":
            doc["type"] = "integer"
            if q.minimum is not None:
                doc["minimum"] = q.minimum
            if q.maximum is not None:
                doc["maximum"] = q.maximum
        case "date":
            doc.update(type="string", format="date", pattern="^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
        case "text":
            # One line of text, as the validator checks: no control characters (C0 and DEL), and
            # no lone surrogates (which no UTF-8 file can hold).
            doc.update(type="string", pattern="^[^\\u0000-\\u001f\\u007f\\ud800-\\udfff]*$")
            if q.max_length is not None:
                doc["maxLength"] = q.max_length
    if q.default is not None:
        doc["default"] = list(q.default) if isinstance(q.default, tuple) else q.default
    if not q.required:
        _nullable(doc)
    return doc


def answers_schema(rs: RuleSet) -> dict[str, Any]:
    props: dict[str, Any] = {"format": {"const": FORMAT, "description": "Answers format version."}}
    props.update({q.id: _property(q) for q in rs.questions})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://prodready.github.io/schema/answers-1.json",
        "title": "ProdReady answers",
        "description": f"Answers about one AI initiative (rule set {rs.version}).",
        "type": "object",
        "properties": props,
        "required": [q.id for q in rs.questions if q.required],
        "additionalProperties": False,
    }
