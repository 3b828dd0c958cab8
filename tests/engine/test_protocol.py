"""The JSON protocol between the browser worker and the engine: every response is a JSON object
with the request's id, ``ok`` true with the payload, or ``ok`` false with the error as data."""

from __future__ import annotations

import json
from typing import Any

import pytest
from engine_cases import BASE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prodready import __version__, assess, load_ruleset
from prodready.chart import readiness_svg
from prodready.evaluate import not_asked
from prodready.protocol import handle
from prodready.render import to_html, to_markdown


def _strict(token: str) -> Any:
    raise ValueError(f"{token} is not JSON: the page's JSON.parse would throw")


def call(request: Any) -> dict[str, Any]:
    text = handle(request if isinstance(request, str) else json.dumps(request))
    # Parse as the browser does: NaN and Infinity are not JSON.
    response = json.loads(text, parse_constant=_strict)
    assert isinstance(response, dict)
    assert response["v"] == 1
    assert isinstance(response["ok"], bool)
    return response


def assert_error(response: dict[str, Any], code: str) -> dict[str, Any]:
    assert response["ok"] is False
    error: dict[str, Any] = response["error"]
    assert error["code"] == code
    assert isinstance(error["message"], str)
    assert error["message"]
    return error


def test_info() -> None:
    response = call({"v": 1, "id": 1, "op": "info"})
    assert response == {
        "v": 1,
        "id": 1,
        "ok": True,
        "engine_version": __version__,
        "ruleset_version": load_ruleset().version,
    }


def test_assess() -> None:
    response = call({"v": 1, "id": "a-7", "op": "assess", "answers": BASE})
    assert response["ok"] is True
    assert response["id"] == "a-7"
    report = assess(BASE)
    assert response["report"] == json.loads(report.to_json())
    assert response["chart_svg"] == readiness_svg(report.readiness)
    assert set(response) == {"v", "id", "ok", "report", "chart_svg", "hidden"}
    assert response["hidden"] == list(not_asked(BASE))


def test_assess_with_fragments() -> None:
    from prodready.fragments import report_fragments

    answers = {**BASE, "availability_needs": "sla"}
    response = call({"v": 1, "id": 1, "op": "assess", "answers": answers, "fragments": True})
    assert response["ok"] is True
    assert set(response) == {"v", "id", "ok", "verdict", "hidden", "fragments"}
    report = assess(answers)
    assert response["verdict"] == {"id": report.verdict.id, "severity": report.verdict.severity}
    assert response["hidden"] == list(not_asked(answers))
    expected = report_fragments(assess(answers), answers, not_asked(answers), load_ruleset())
    assert response["fragments"] == expected
    # Guide links relative to the assessor page unless the request names another base.
    assert 'href="../decision-framework/#availability-needs"' in response["fragments"]["reasons"]
    other = call(
        {
            "v": 1,
            "id": 2,
            "op": "assess",
            "answers": answers,
            "fragments": True,
            "guide_base": "/g/",
        }
    )
    assert 'href="/g/decision-framework/#availability-needs"' in other["fragments"]["reasons"]


def test_invalid_answers_with_fragments() -> None:
    from prodready.answers import AnswersError
    from prodready.fragments import pending_fragments

    answers = {"model_outputs": "sideways"}
    response = call({"v": 1, "id": 3, "op": "assess", "answers": answers, "fragments": True})
    assert_error(response, "invalid_answers")
    with pytest.raises(AnswersError) as caught:
        assess(answers)
    expected = pending_fragments(answers, caught.value.problems, not_asked(answers), load_ruleset())
    assert response["fragments"] == expected
    assert response["hidden"] == list(not_asked(answers))


@pytest.mark.parametrize("extra", [{"fragments": "yes"}, {"fragments": True, "guide_base": 1}])
def test_assess_bad_options(extra: dict[str, Any]) -> None:
    response = call({"v": 1, "id": 9, "op": "assess", "answers": BASE, **extra})
    assert_error(response, "bad_request")


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_render(fmt: str) -> None:
    response = call(
        {"v": 1, "id": 2, "op": "render", "answers": BASE, "format": fmt, "guide_base": "/g/"}
    )
    assert response["ok"] is True
    assert response["format"] == fmt
    report = assess(BASE)
    expected = to_markdown(report, "/g/") if fmt == "md" else to_html(report, "/g/")
    assert response["text"] == expected


def test_render_defaults_to_markdown() -> None:
    response = call({"v": 1, "id": 3, "op": "render", "answers": BASE})
    assert response["format"] == "md"
    assert response["text"] == to_markdown(assess(BASE))


def test_invalid_answers_are_data() -> None:
    answers = {**BASE, "model_outputs": "operationl", "nonsense": 1}
    response = call({"v": 1, "id": 4, "op": "assess", "answers": answers})
    assert response["id"] == 4
    error = assert_error(response, "invalid_answers")
    fields = {p["field"] for p in error["problems"]}
    assert fields == {"model_outputs", "nonsense"}
    assert all(set(p) == {"field", "message"} for p in error["problems"])
    assert any("did you mean 'operational'" in p["message"] for p in error["problems"])


@pytest.mark.parametrize("answers", [None, [], "x", 3])
def test_answers_not_an_object(answers: Any) -> None:
    assert_error(call({"v": 1, "id": 5, "op": "assess", "answers": answers}), "invalid_answers")


def test_missing_answers() -> None:
    error = assert_error(call({"v": 1, "id": 6, "op": "assess"}), "invalid_answers")
    assert error["problems"]


@pytest.mark.parametrize("op", ["frobnicate", None, 3, "ASSESS"])
def test_unknown_op(op: Any) -> None:
    response = call({"v": 1, "id": 7, "op": op, "answers": BASE})
    assert response["id"] == 7
    error = assert_error(response, "bad_request")
    assert "unknown op" in error["message"]


@pytest.mark.parametrize("version", [None, 0, 2, "1"])
def test_wrong_protocol_version(version: Any) -> None:
    request = {"id": 8, "op": "info"}
    if version is not None:
        request["v"] = version
    response = call(request)
    assert response["id"] == 8
    assert_error(response, "bad_request")


@pytest.mark.parametrize("text", ["", "{", "not json", "[1, 2", "{'v': 1}", "\x00"])
def test_bad_json(text: str) -> None:
    response = call(text)
    assert response["id"] is None
    assert "not JSON" in assert_error(response, "bad_request")["message"]


@pytest.mark.parametrize("text", ["[]", "1", '"info"', "null", "true"])
def test_request_not_an_object(text: str) -> None:
    assert_error(call(text), "bad_request")


@pytest.mark.parametrize(
    "extra", [{"format": "pdf"}, {"format": None}, {"guide_base": 3}, {"guide_base": None}]
)
def test_render_bad_options(extra: dict[str, Any]) -> None:
    response = call({"v": 1, "id": 9, "op": "render", "answers": BASE, **extra})
    assert_error(response, "bad_request")


def test_internal_errors_are_data(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr("prodready.protocol.assess", boom)
    error = assert_error(call({"v": 1, "id": 10, "op": "assess", "answers": BASE}), "internal")
    assert error["message"] == "RuntimeError: simulated bug"


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_id_gives_valid_json(token: str) -> None:
    call('{"v": 1, "id": ' + token + ', "op": "info"}')


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(), children),
    max_leaves=10,
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.text(),
        _JSON.map(json.dumps),
        st.fixed_dictionaries(
            {"v": st.just(1), "id": _JSON, "op": st.sampled_from(["assess", "render", "info"])},
            optional={"answers": _JSON, "format": _JSON, "guide_base": _JSON, "fragments": _JSON},
        ).map(json.dumps),
    )
)
def test_handle_never_raises(message: str) -> None:
    """Whatever arrives, the answer is a JSON object: the worker never sees an exception."""
    response = call(message)
    if not response["ok"]:
        assert response["error"]["code"] in {"bad_request", "invalid_answers", "internal"}
        # Internal errors are bugs: random input must only ever give the first two.
        assert response["error"]["code"] != "internal", response
