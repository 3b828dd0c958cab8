"""The command line: every sub-command, the exit codes, and a fuzz test proving malformed input
never produces a traceback, only exit status 2 and one line on standard error."""

from __future__ import annotations

import contextlib
import io
import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from engine_cases import BASE
from engine_strategies import answer_documents
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

import prodready
from prodready import assess, load_ruleset
from prodready.answers import _check
from prodready.cli import example_names, main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "engine" / "prodready" / "examples"
FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def assert_input_error(status: int, out: str, err: str) -> None:
    assert status == 2, err
    assert out == ""
    assert err.startswith("prodready:"), err
    assert err.endswith("\n")
    assert err.count("\n") == 1, f"more than one line on stderr: {err!r}"
    assert "\r" not in err
    assert "Traceback" not in err


# --- assess ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", example_names())
def test_assess_json(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = EXAMPLES / f"{name}.json"
    status, out, err = run(["assess", str(path)], capsys)
    assert (status, err) == (0, "")
    assert out == assess(json.loads(path.read_text(encoding="utf-8"))).to_json()
    assert json.loads(out)["format"] == "prodready.report/2"


def test_assess_markdown_and_html(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(EXAMPLES / "cv-screening.json")
    status, md, _ = run(["assess", path, "--format", "md"], capsys)
    assert status == 0
    assert md.startswith("# ProdReady assessment: CV screening assistant\n")
    assert "**Verdict: Production-grade engineering required**" in md
    status, html, _ = run(["assess", path, "--format", "html"], capsys)
    assert status == 0
    assert html.startswith("<!doctype html>")
    assert 'data-verdict="production_required"' in html
    assert "<svg" in html
    assert html.rstrip().endswith("</html>")


def test_assess_guide_base(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(EXAMPLES / "cv-screening.json")
    status, md, _ = run(["assess", path, "--format", "md", "--guide-base", "/g/"], capsys)
    assert status == 0
    assert "](/g/decision-framework/#model-outputs)" in md
    assert "https://prodready.github.io" not in md


@pytest.mark.parametrize("fmt", ["json", "md", "html"])
def test_assess_output_file(fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / f"report.{fmt}"
    path = str(EXAMPLES / "support-chatbot.json")
    status, out, err = run(["assess", path, "--format", fmt, "--output", str(target)], capsys)
    assert (status, out, err) == (0, "", "")
    _, printed, _ = run(["assess", path, "--format", fmt], capsys)
    assert target.read_text(encoding="utf-8") == printed


def test_assess_output_unwritable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "no" / "such" / "dir" / "r.json"
    status, out, err = run(
        ["assess", str(EXAMPLES / "churn-exploration.json"), "-o", str(target)], capsys
    )
    assert_input_error(status, out, err)
    assert "cannot write" in err


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(value)  # a TOML basic string is a JSON string for this content


@pytest.mark.parametrize("name", ["credit-scoring", "time-boxed-experiment", "cv-screening"])
def test_assess_toml(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    toml = tmp_path / f"{name}.toml"
    toml.write_text(
        "".join(f"{key} = {_toml_value(value)}\n" for key, value in data.items()), encoding="utf-8"
    )
    status, out, err = run(["assess", str(toml)], capsys)
    assert (status, err) == (0, "")
    assert out == assess(data).to_json()


def test_assess_toml_native_dates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = [f"{k} = {_toml_value(v)}" for k, v in BASE.items()]
    lines += ["experiment_start = 2026-01-05", "experiment_end = 2026-02-20"]
    toml = tmp_path / "dates.toml"
    toml.write_text("\n".join(lines) + "\n", encoding="utf-8")
    status, out, _ = run(["assess", str(toml)], capsys)
    assert status == 0
    assert json.loads(out)["answers"]["experiment_end"] == "2026-02-20"


class _Stdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


@pytest.mark.parametrize("kind", ["json", "toml"])
def test_assess_stdin(
    kind: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if kind == "json":
        data = json.dumps(BASE).encode()
    else:
        data = "".join(f"{k} = {_toml_value(v)}\n" for k, v in BASE.items()).encode()
    monkeypatch.setattr(sys, "stdin", _Stdin(data))
    status, out, err = run(["assess", "-"], capsys)
    assert (status, err) == (0, "")
    assert out == assess(BASE).to_json()


# --- schema ---------------------------------------------------------------------------------


def schema_errors(schema: dict[str, Any], value: Any) -> list[str]:
    """Every way `value` fails `schema`, as jsonschema's 2020-12 validator (formats checked)."""
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    return [f"{error.json_path}: {error.message}" for error in validator.iter_errors(value)]


def cli_schema() -> dict[str, Any]:
    """The schema as ``prodready schema`` prints it."""
    with contextlib.redirect_stdout(io.StringIO()) as out:
        assert main(["schema"]) == 0
    schema = json.loads(out.getvalue())
    assert isinstance(schema, dict)
    return schema


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return cli_schema()


def test_schema_is_json_schema_2020_12(schema: dict[str, Any]) -> None:
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    Draft202012Validator.check_schema(schema)  # raises SchemaError naming the bad keyword
    rs = load_ruleset()
    assert set(schema["properties"]) == {"format"} | {q.id for q in rs.questions}
    assert set(schema["required"]) == {q.id for q in rs.questions if q.required}
    assert len(schema["required"]) == 5


@pytest.mark.parametrize("name", example_names())
def test_every_example_validates_against_the_schema(name: str, schema: dict[str, Any]) -> None:
    document = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    assert schema_errors(schema, document) == []


SCHEMA = cli_schema()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answer_documents())
def test_generated_documents_validate_against_the_schema(document: dict[str, Any]) -> None:
    assert schema_errors(SCHEMA, document) == []
    assert schema_errors(SCHEMA, assess(document).answers) == []


def test_schema_rejects_what_the_engine_rejects(schema: dict[str, Any]) -> None:
    for bad in (
        {**BASE, "model_outputs": "operationl"},
        {**BASE, "business_units": 0},
        {**BASE, "beliefs": ["x"]},
        {**BASE, "surprise": 1},
        {k: v for k, v in BASE.items() if k != "user_exposure"},
        {**BASE, "name": "x" * 121},
        {**BASE, "name": "bell\x07"},
        {**BASE, "assessed_on": "2026-02-30"},
    ):
        assert schema_errors(schema, bad), bad
        with pytest.raises(prodready.AnswersError):
            assess(bad)


# --- rules, example, version, help ------------------------------------------------------------


def test_rules(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(["rules"], capsys)
    assert (status, err) == (0, "")
    doc = json.loads(out)
    rs = load_ruleset()
    assert doc["format"] == "prodready.rules/2"
    assert doc["ruleset_version"] == rs.version
    assert [r["id"] for r in doc["rules"]] == [r.id for r in rs.rules]
    assert [v["id"] for v in doc["verdicts"]] == [v.id for v in rs.verdicts]
    assert all("when" in r for r in doc["rules"])


def test_example_list_and_print(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["example"], capsys)
    assert status == 0
    names = out.split()
    assert names == sorted(p.stem for p in EXAMPLES.glob("*.json"))
    for name in names:
        status, text, _ = run(["example", name], capsys)
        assert status == 0
        assert text == (EXAMPLES / f"{name}.json").read_text(encoding="utf-8")


def test_example_unknown(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(["example", "no-such-example"], capsys)
    assert_input_error(status, out, err)
    assert "cv-screening" in err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["--version"], capsys)
    assert status == 0
    assert out.strip() == f"prodready {prodready.__version__} (rule set {load_ruleset().version})"


@pytest.mark.parametrize("argv", [["--help"], ["assess", "--help"], ["example", "-h"]])
def test_help(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(argv, capsys)
    assert status == 0
    assert out.startswith("usage: prodready")


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["frobnicate"],
        ["assess"],
        ["assess", "x.json", "--format", "pdf"],
        ["assess", "does-not-exist.json"],
        ["assess", "."],
        ["schema", "extra"],
        ["--no-such-flag"],
    ],
)
def test_bad_arguments_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert_input_error(*run(argv, capsys))


def test_internal_error_exits_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr("prodready.cli.assess", boom)
    status, out, err = run(["assess", str(EXAMPLES / "cv-screening.json")], capsys)
    assert status == 1
    assert out == ""
    assert err == "prodready: internal error: RuntimeError: simulated bug\n"


def test_invalid_answers_name_the_field_and_suggest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "typo.json"
    path.write_text(json.dumps({**BASE, "model_outputs": "operationl"}), encoding="utf-8")
    status, out, err = run(["assess", str(path)], capsys)
    assert_input_error(status, out, err)
    assert "model_outputs" in err
    assert "did you mean 'operational'?" in err


# --- fuzz -----------------------------------------------------------------------------------

# Keys without line breaks: a key containing one is a known bug, tested separately below.
_KEY = st.text(
    st.characters(exclude_characters="\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"), max_size=12
)
_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(10**30), 10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
)
JSON_VALUES = st.recursive(
    _SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_KEY, children, max_size=4),
    max_leaves=15,
)
QUESTION_IDS = [q.id for q in load_ruleset().questions]


def _dump(value: Any) -> bytes:
    return json.dumps(value, allow_nan=True).encode("utf-8", "surrogatepass")


@st.composite
def malformed_files(draw: st.DrawFn) -> tuple[str, bytes]:
    """(file suffix, contents) of an answers file the CLI must refuse with exit status 2."""
    kind = draw(
        st.sampled_from(
            [
                "value",
                "wrong-type",
                "unknown-key",
                "truncated",
                "garbage",
                "nested",
                "huge",
                "nan",
                "non-utf8",
                "toml",
            ]
        )
    )
    example = (EXAMPLES / f"{draw(st.sampled_from(example_names()))}.json").read_bytes()
    match kind:
        case "value":
            value = draw(JSON_VALUES)
            if isinstance(value, dict):
                value.pop("model_outputs", None)  # never a valid document by accident
            return ".json", _dump(value)
        case "wrong-type":
            q = draw(st.sampled_from(load_ruleset().questions))
            value = draw(JSON_VALUES)
            # Keep only values this question refuses (null means unanswered, and is fine).
            assume(value is not None and _check(q, value)[1] is not None)
            return ".json", _dump({**BASE, q.id: value})
        case "unknown-key":
            key = draw(_KEY.filter(lambda k: k not in QUESTION_IDS and k != "format"))
            return ".json", _dump({**BASE, key: draw(JSON_VALUES)})
        case "truncated":
            end = example.rstrip().rfind(b"}")
            return ".json", example[: draw(st.integers(0, end))]
        case "garbage":
            return draw(st.sampled_from([".json", ".toml", ".txt"])), draw(st.binary(max_size=64))
        case "nested":
            depth = draw(st.sampled_from([50, 500, 5000, 100_000]))
            inner = "[" * depth + "]" * depth
            closed = draw(st.booleans())
            body = inner if closed else "[" * depth
            return ".json", ('{"beliefs": ' + body + "}").encode()
        case "huge":
            digits = draw(st.integers(20, 4000))
            number = "9" * digits
            sign = draw(st.sampled_from(["", "-"]))
            qid = draw(st.sampled_from(["business_units", "senior_ml_engineers", "name"]))
            text = json.dumps(BASE)[:-1] + f', "{qid}": {sign}{number}' + "}"
            return ".json", text.encode()
        case "nan":
            qid = draw(st.sampled_from(QUESTION_IDS))
            token = draw(st.sampled_from(["NaN", "Infinity", "-Infinity", "1e999"]))
            return ".json", (json.dumps(BASE)[:-1] + f', "{qid}": {token}' + "}").encode()
        case "non-utf8":
            prefix = example[: draw(st.integers(0, len(example)))]
            bad = draw(st.sampled_from([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf8\x88"]))
            return draw(st.sampled_from([".json", ".toml"])), prefix + bad + example[len(prefix) :]
        case _:
            text = draw(st.text(max_size=80))
            return ".toml", text.encode("utf-8", "surrogatepass")


@FUZZ
@given(case=malformed_files())
def test_fuzz_malformed_answers(
    case: tuple[str, bytes], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    suffix, data = case
    path = tmp_path / f"answers{suffix}"
    path.write_bytes(data)
    for fmt in ("json", "md"):
        status, out, err = run(["assess", str(path), "--format", fmt], capsys)
        assert_input_error(status, out, err)


def test_nan_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "nan.json"
    path.write_text(json.dumps({**BASE, "business_units": math.nan}), encoding="utf-8")
    status, out, err = run(["assess", str(path)], capsys)
    assert_input_error(status, out, err)
    assert "business_units" in err


@pytest.mark.parametrize("suffix", [".json", ".toml"])
def test_integer_longer_than_4300_digits(
    suffix: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / f"huge{suffix}"
    number = "9" * 5000
    if suffix == ".json":
        path.write_text(json.dumps(BASE)[:-1] + f', "business_units": {number}' + "}")
    else:
        path.write_text("".join(f'{k} = "{v}"\n' for k, v in BASE.items()) + f"n = {number}\n")
    assert_input_error(*run(["assess", str(path)], capsys))


def test_key_with_a_line_break_gives_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "nl.json"
    path.write_text(json.dumps({**BASE, "a\nb": 1}), encoding="utf-8")
    assert_input_error(*run(["assess", str(path)], capsys))


def test_lone_surrogate_in_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "surrogate.json"
    path.write_text(json.dumps(BASE)[:-1] + ', "name": "\\ud800"}', encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "prodready", "assess", str(path)],
        capture_output=True,
        check=False,
        cwd=ROOT,
    )
    # Refusing the answer (2) or printing it with the surrogate replaced (0) are both fine.
    assert proc.returncode in (0, 2), proc.stderr
    assert b"Traceback" not in proc.stderr


def test_week_dates_are_refused() -> None:
    with pytest.raises(prodready.AnswersError):
        assess({**BASE, "experiment_start": "2026-W01-1"})


def test_console_script_on_a_malformed_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"model_outputs": "research", ', encoding="utf-8")
    script = Path(sys.executable).parent / "prodready"
    assert script.exists(), "the venv's prodready console script is missing"
    proc = subprocess.run(
        [str(script), "assess", str(path)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1
    assert proc.stderr.startswith("prodready: error: ")
    assert "not valid JSON" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_console_script_assesses(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "prodready"
    out = tmp_path / "r.md"
    proc = subprocess.run(
        [
            str(script),
            "assess",
            str(EXAMPLES / "workplace-emotion.json"),
            "--format",
            "md",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")
    assert "**Verdict: Must not be deployed**" in out.read_text(encoding="utf-8")
