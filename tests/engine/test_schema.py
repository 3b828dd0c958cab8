"""The JSON Schema is the validator: every answers document the schema accepts is assessed, and
every document it rejects is refused. Documents are generated from the schema itself
(hypothesis-jsonschema) and then spoiled one value at a time; a standard validator (jsonschema,
with format assertion) is the oracle."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from jsonschema import Draft202012Validator

from prodready import AnswersError, assess, load_ruleset
from prodready.answers import validate
from prodready.schema import answers_schema

RS = load_ruleset()
SCHEMA = answers_schema(RS)
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Values near the edges of what each kind of question takes.
ODD_VALUES = st.sampled_from(
    [
        None,
        True,
        False,
        0,
        -1,
        2,
        2.0,
        2.5,
        10**6,
        "",
        "x",
        "research",
        "operational",
        "2026-12-01",
        "2026-02-30",
        "2026-1-01",
        "\u0662\u0660\u0662\u0666-\u0660\u0661-\u0660\u0661",  # Arabic-Indic digits
        "line\nbreak",
        "tab\there",
        "del\x7f",
        "lone \ud800 surrogate",
        "x" * 121,
        [],
        ["4a"],
        ["4a", "4a"],
        ["not-an-option"],
        [1],
        {},
        {"a": 1},
        "prodready.answers/1",
        "prodready.answers/2",
    ]
)


def engine_accepts(document: Any) -> bool:
    try:
        validate(document, RS)
    except AnswersError:
        return False
    return True


# Built once: from_schema checks and canonicalises the schema on every call (most of the time
# of a draw when it was called inside spoiled_documents).
DOCUMENTS = from_schema(SCHEMA)


@SETTINGS
@given(DOCUMENTS)
def test_every_document_the_schema_accepts_is_assessed(document: dict[str, Any]) -> None:
    assert VALIDATOR.is_valid(document)
    report = assess(document, on="2026-12-01")
    assert report.verdict.id


@st.composite
def spoiled_documents(draw: st.DrawFn) -> Any:
    """A schema-valid document with one key set to an odd value (or an unknown key added, or a
    required one removed), or something that is not a document at all."""
    document: dict[str, Any] = dict(draw(DOCUMENTS))
    how = draw(st.sampled_from(["set", "set", "set", "unknown", "drop", "not-a-document"]))
    if how == "set":
        key = draw(st.sampled_from(["format", *(q.id for q in RS.questions)]))
        document[key] = draw(ODD_VALUES)
    elif how == "unknown":
        document[draw(st.sampled_from(["modeloutputs", "Name", "", "capability"]))] = "x"
    elif how == "drop":
        required = [q.id for q in RS.questions if q.required]
        document.pop(draw(st.sampled_from(required)), None)
    else:
        return draw(st.sampled_from([None, [], "answers", 3, [document]]))
    return document


@SETTINGS
@given(spoiled_documents())
def test_the_schema_and_the_engine_agree_on_every_document(document: Any) -> None:
    assert VALIDATOR.is_valid(document) == engine_accepts(document), list(
        VALIDATOR.iter_errors(document)
    )


def test_known_disagreements_are_gone() -> None:
    base = {q.id: q.options[0].id for q in RS.questions if q.required}
    # A name with a control character: the schema used to accept it while the CLI refused it.
    assert not VALIDATOR.is_valid({**base, "name": "a\x07b"})
    assert not engine_accepts({**base, "name": "a\x07b"})
    # null is "unanswered" for an optional question, and refused for a required one.
    assert VALIDATOR.is_valid({**base, "name": None})
    assert engine_accepts({**base, "name": None})
    required = next(q.id for q in RS.questions if q.required)
    assert not VALIDATOR.is_valid({**base, required: None})
    assert not engine_accepts({**base, required: None})
    # 2.0 is the integer 2 in JSON Schema, and for the engine.
    assert VALIDATOR.is_valid({**base, "business_units": 2.0})
    assert assess({**base, "business_units": 2.0}, on="2026-12-01").answers["business_units"] == 2
