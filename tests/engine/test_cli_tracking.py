"""The CLI's tracking commands: the portfolio table (several files, or a portfolio file: the same
table), diff, record, render-record and verify with their exit codes; and fuzz tests proving
malformed records, portfolios and diff inputs never give a traceback, only a one-line reason."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import pytest
from engine_cases import BASE, example
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_cli import JSON_VALUES, assert_input_error, run

from prodready import assess, load_ruleset
from prodready.cli import example_names
from prodready.digest import canonical, sha256
from prodready.portfolio import Initiative, Portfolio, table
from prodready.record import make_record, needs_justification

RS = load_ruleset()
ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "engine" / "prodready" / "examples"
ALL = [str(EXAMPLES / f"{name}.json") for name in example_names()]
FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
Capsys = pytest.CaptureFixture[str]


def assert_no_crash(err: str) -> None:
    assert "Traceback" not in err, err
    assert "internal error" not in err, err


def assert_refused_cleanly(argvs: list[list[str]], capsys: Capsys, failing: set[int]) -> None:
    """Each command succeeds, or fails with one of the ``failing`` statuses and one line."""
    for argv in argvs:
        status, out, err = run(argv, capsys)
        assert_no_crash(err)
        if status == 2:
            assert_input_error(status, out, err)
        elif status != 0:
            assert status in failing, (argv, status, err)
            assert err.startswith("prodready: ")
            assert err.count("\n") == 1


def write(path: Path, doc: Any) -> str:
    path.write_text(json.dumps(doc), encoding="utf-8")
    return str(path)


# --- the portfolio table ----------------------------------------------------------------------


def test_several_answers_files_give_the_table(capsys: Capsys) -> None:
    status, out, err = run(["assess", *ALL], capsys)
    assert (status, err) == (0, "")
    initiatives = [
        Initiative(example(n)["name"], (assess(example(n)).answers,)) for n in example_names()
    ]
    assert out == table(Portfolio(tuple(initiatives)), RS).to_json()


def test_the_portfolio_file_gives_the_same_table(tmp_path: Path, capsys: Capsys) -> None:
    """The command-line side of the browser's export/import round trip."""
    target = tmp_path / "portfolio.json"
    status, out, err = run(["portfolio", *ALL, "-o", str(target)], capsys)
    assert (status, out, err) == (0, "", "")
    for fmt in ("json", "md", "html"):
        _, from_files, _ = run(["assess", *ALL, "--format", fmt], capsys)
        status, from_portfolio, err = run(["assess", str(target), "--format", fmt], capsys)
        assert (status, err) == (0, "")
        assert from_portfolio == from_files
    # Exported again, the portfolio is the same file.
    _, again, _ = run(["portfolio", str(target)], capsys)
    assert again == target.read_text(encoding="utf-8")


def test_one_answers_file_still_gives_one_report(capsys: Capsys) -> None:
    _, out, _ = run(["assess", ALL[0]], capsys)
    assert json.loads(out)["format"] == "prodready.report/2"


def test_the_table_on_a_date(capsys: Capsys) -> None:
    status, out, _ = run(["assess", *ALL[:3], "--date", "2027-06-30"], capsys)
    assert status == 0
    assert {r["assessed_on"] for r in json.loads(out)["initiatives"]} == {"2027-06-30"}


def test_the_table_in_markdown_and_html(capsys: Capsys) -> None:
    _, md, _ = run(["assess", *ALL, "--format", "md"], capsys)
    assert md.startswith("# Portfolio\n")
    _, html, _ = run(["assess", *ALL, "--format", "html"], capsys)
    assert '<main data-document="portfolio">' in html


def test_a_portfolio_merges_the_history_of_an_initiative(tmp_path: Path, capsys: Capsys) -> None:
    cv = example("cv-screening")
    later = write(tmp_path / "later.json", {**cv, "assessed_on": "2027-03-01"})
    _, out, _ = run(["portfolio", ALL[example_names().index("cv-screening")], later], capsys)
    (initiative,) = json.loads(out)["initiatives"]
    assert [a["assessed_on"] for a in initiative["assessments"]] == ["2026-12-01", "2027-03-01"]


# --- diff ----------------------------------------------------------------------------------


def test_diff_formats_and_exit_code(tmp_path: Path, capsys: Capsys) -> None:
    cv = example("cv-screening")
    old = write(tmp_path / "old.json", cv)
    new = write(tmp_path / "new.json", {**cv, "eu_profiling": False})
    status, out, err = run(["diff", old, new], capsys)
    assert (status, err) == (0, "")
    assert json.loads(out)["format"] == "prodready.diff/1"
    _, md, _ = run(["diff", old, new, "--format", "md"], capsys)
    assert md.startswith("# What changed: CV screening assistant")
    _, html, _ = run(["diff", old, new, "--format", "html"], capsys)
    assert '<main data-document="diff">' in html
    assert run(["diff", old, new, "--exit-code"], capsys)[0] == 1
    assert run(["diff", old, old, "--exit-code"], capsys)[:3:2] == (0, "")


def test_diff_of_a_saved_report(tmp_path: Path, capsys: Capsys) -> None:
    cv = example("cv-screening")
    report = tmp_path / "report.json"
    report.write_text(assess(cv).to_json(), encoding="utf-8")
    new = write(tmp_path / "new.json", {**cv, "senior_ml_engineers": 4})
    _, out, _ = run(["diff", str(report), new], capsys)
    doc = json.loads(out)
    assert doc["old"]["source"] == "report"
    assert [a["question"] for a in doc["answers"]] == ["senior_ml_engineers"]


def test_diff_of_a_report_1_says_so(tmp_path: Path, capsys: Capsys) -> None:
    old = write(tmp_path / "old.json", {"format": "prodready.report/1", "answers": BASE})
    status, out, err = run(["diff", old, ALL[0]], capsys)
    assert_input_error(status, out, err)
    assert "prodready.report/1" in err
    assert "assess its answers" in err


# --- record, render-record, verify --------------------------------------------------------------


def derogated() -> tuple[dict[str, Any], str]:
    for name in example_names():
        needed = needs_justification(assess(example(name)))
        if needed:
            return example(name), needed[0].id
    raise AssertionError("no example needs a justification")


def test_record_needs_the_derogation_justification(tmp_path: Path, capsys: Capsys) -> None:
    doc, rule = derogated()
    answers = write(tmp_path / "a.json", doc)
    status, out, err = run(["record", answers], capsys)
    assert_input_error(status, out, err)
    assert f"justifications.{rule}" in err
    assert "--justification" in err
    target = tmp_path / "record.json"
    argv = ["record", answers, "-j", f"{rule}=Only a narrow procedural task.", "-o", str(target)]
    argv += ["--sign-off", "Ana Ruiz|CTO|2026-12-02"]
    assert run(argv, capsys) == (0, "", "")
    rec = json.loads(target.read_text(encoding="utf-8"))
    assert rec["justifications"] == {rule: "Only a narrow procedural task."}
    assert rec["sign_offs"] == [{"name": "Ana Ruiz", "role": "CTO", "date": "2026-12-02"}]
    status, out, err = run(["verify", str(target)], capsys)
    assert (status, err) == (0, "")
    verdict = assess(doc).verdict.id
    assert out == (
        f"{target}: verified: {doc['name']}, assessed on {doc['assessed_on']}, "
        f"verdict {verdict}, rule set {RS.version}\n"
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["-j", "no-equals-sign"], "expected KEY=TEXT"),
        (["-s", "Ana|CTO"], "expected NAME|ROLE|YYYY-MM-DD"),
        (["-s", "Ana|CTO|yesterday"], "is not a date"),
        (["-j", "nonsense=x"], "is not a rule of this report"),
        (["--date", "2026-13-01"], "assessed_on"),
    ],
)
def test_record_refuses_bad_options(argv: list[str], message: str, capsys: Capsys) -> None:
    status, out, err = run(["record", ALL[0], *argv], capsys)
    assert_input_error(status, out, err)
    assert message in err


def made_record(tmp_path: Path, doc: dict[str, Any] | None = None) -> Path:
    doc = doc or example("credit-scoring")
    target = tmp_path / "record.json"
    target.write_text(make_record(doc, RS).to_json(), encoding="utf-8")
    return target


def test_record_adds_a_sign_off_to_a_record(tmp_path: Path, capsys: Capsys) -> None:
    rec = made_record(tmp_path)
    status, out, _ = run(["record", str(rec), "-s", "Bo Li|DPO|2026-12-09"], capsys)
    assert status == 0
    assert json.loads(out)["sign_offs"] == [{"name": "Bo Li", "role": "DPO", "date": "2026-12-09"}]


def test_record_and_render_record_formats(tmp_path: Path, capsys: Capsys) -> None:
    rec = made_record(tmp_path)
    _, md, _ = run(["record", ALL[0], "--format", "md"], capsys)
    assert md.startswith("# Decision record: ")
    _, md, _ = run(["render-record", str(rec)], capsys)
    assert md.startswith("# Decision record: Consumer credit scoring")
    _, html, _ = run(["render-record", str(rec), "--format", "html"], capsys)
    assert '<main data-document="record">' in html


def test_verify_a_tampered_record(tmp_path: Path, capsys: Capsys) -> None:
    rec = made_record(tmp_path)
    rec.write_text(rec.read_text(encoding="utf-8").replace("Consumer credit", "Consumer debit"))
    status, out, err = run(["verify", str(rec)], capsys)
    assert (status, out) == (1, "")
    assert err.startswith(f"prodready: {rec}: digest mismatch")
    assert err.count("\n") == 1
    status, out, err = run(["render-record", str(rec)], capsys)
    assert (status, out) == (1, "")
    assert "not rendered: digest mismatch" in err


def test_verify_a_record_of_an_older_rule_set(tmp_path: Path, capsys: Capsys) -> None:
    rec = made_record(tmp_path)
    doc = json.loads(rec.read_text(encoding="utf-8"))
    doc["ruleset_version"] = doc["report"]["ruleset_version"] = "2026.9.0"
    del doc["digest"]
    write(rec, {**doc, "digest": sha256(doc)})
    status, out, err = run(["verify", str(rec)], capsys)
    assert status == 1
    assert "made under rule set 2026.9.0" in err
    assert err.count("\n") == 1
    assert f"## Changes from the rules: rule set 2026.9.0 → {RS.version}" in out
    status, out, _ = run(["verify", str(rec), "--format", "json"], capsys)
    assert json.loads(out)["steps"][0]["cause"] == "rules"
    # An intact record of another rule set is still printed for the file.
    assert run(["render-record", str(rec)], capsys)[0] == 0


@pytest.mark.parametrize("content", ["", "[]", '{"format": "prodready.answers/1"}', "{", "\xff"])
def test_verify_what_is_not_a_record(content: str, tmp_path: Path, capsys: Capsys) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(content.encode("latin-1"))
    assert_input_error(*run(["verify", str(path)], capsys))
    assert_input_error(*run(["render-record", str(path)], capsys))


# --- fuzz -----------------------------------------------------------------------------------


def record_text_of(name: str) -> str:
    doc = example(name)
    notes = {n.id: "Because." for n in needs_justification(assess(doc))}
    return make_record(doc, RS, justifications=notes).to_json()


RECORDS = {name: record_text_of(name) for name in ("credit-scoring", "hr-scheduling-derogation")}


@FUZZ
@given(
    name=st.sampled_from(sorted(RECORDS)),
    at=st.floats(0, 1, exclude_max=True),
    byte=st.integers(0, 255),
)
def test_fuzz_one_changed_byte(
    name: str, at: float, byte: int, tmp_path: Path, capsys: Capsys
) -> None:
    data = bytearray(RECORDS[name].encode("utf-8"))
    data[int(at * len(data))] = byte
    path = tmp_path / "record.json"
    path.write_bytes(bytes(data))
    status, _out, err = run(["verify", str(path)], capsys)
    assert "Traceback" not in err
    assert "internal error" not in err
    if status == 0:  # only a change JSON does not see (e.g. one blank for another) verifies
        assert canonical(json.loads(bytes(data))) == canonical(json.loads(RECORDS[name]))
    else:
        assert status in (1, 2)
        assert err.startswith("prodready: ")
        assert err.count("\n") == 1


@st.composite
def malformed_records(draw: st.DrawFn) -> Any:
    rec = json.loads(RECORDS[draw(st.sampled_from(sorted(RECORDS)))])
    kind = draw(st.sampled_from(["value", "drop", "replace", "nested", "redigested"]))
    if kind == "value":
        return draw(JSON_VALUES)
    key = draw(st.sampled_from(sorted(rec)))
    if kind == "drop":
        del rec[key]
    elif kind in ("replace", "redigested"):
        rec[key] = draw(JSON_VALUES)
    else:
        part = draw(st.sampled_from(["report", "answers"]))
        sub = draw(st.sampled_from(sorted(rec[part])))
        rec[part][sub] = draw(JSON_VALUES)
    if kind in ("redigested", "nested"):
        body = {k: v for k, v in rec.items() if k != "digest"}
        with contextlib.suppress(ValueError):
            rec["digest"] = sha256(body)
    return rec


@FUZZ
@given(doc=malformed_records())
def test_fuzz_malformed_records(doc: Any, tmp_path: Path, capsys: Capsys) -> None:
    path = tmp_path / "record.json"
    path.write_text(json.dumps(doc, allow_nan=True), encoding="utf-8", errors="surrogatepass")
    argvs = [["verify", str(path)], ["render-record", str(path)], ["record", str(path)]]
    assert_refused_cleanly(argvs, capsys, failing={1, 2})


PORTFOLIO = json.loads(
    Portfolio(
        tuple(
            Initiative(n, (assess(example(n)).answers,)) for n in ("cv-screening", "funding-demo")
        )
    ).to_json()
)


@st.composite
def malformed_portfolios(draw: st.DrawFn) -> Any:
    doc = json.loads(json.dumps(PORTFOLIO))
    kind = draw(st.sampled_from(["value", "top", "initiative", "assessment"]))
    if kind == "value":
        value = draw(JSON_VALUES)
        return {"format": "prodready.portfolio/1", "initiatives": value}
    if kind == "top":
        doc[draw(st.sampled_from(["initiatives", "extra"]))] = draw(JSON_VALUES)
        return doc
    initiative = doc["initiatives"][draw(st.integers(0, 1))]
    if kind == "initiative":
        initiative[draw(st.sampled_from(["name", "assessments", "extra"]))] = draw(JSON_VALUES)
        return doc
    answers = initiative["assessments"][0]
    answers[draw(st.sampled_from([*sorted(answers), "format", "unknown"]))] = draw(JSON_VALUES)
    return doc


@FUZZ
@given(doc=malformed_portfolios())
def test_fuzz_malformed_portfolios(doc: Any, tmp_path: Path, capsys: Capsys) -> None:
    path = tmp_path / "portfolio.json"
    path.write_text(json.dumps(doc, allow_nan=True), encoding="utf-8", errors="surrogatepass")
    argvs = [["assess", str(path)], ["portfolio", str(path)], ["assess", str(path), ALL[0]]]
    assert_refused_cleanly(argvs, capsys, failing={2})


@FUZZ
@given(old=JSON_VALUES | malformed_records(), new=JSON_VALUES)
def test_fuzz_malformed_diff_inputs(old: Any, new: Any, tmp_path: Path, capsys: Capsys) -> None:
    a, b = tmp_path / "old.json", tmp_path / "new.json"
    a.write_text(json.dumps(old, allow_nan=True), encoding="utf-8", errors="surrogatepass")
    b.write_text(json.dumps(new, allow_nan=True), encoding="utf-8", errors="surrogatepass")
    argvs = [["diff", str(a), str(b)], ["diff", str(b), ALL[0], "--format", "md"]]
    assert_refused_cleanly(argvs, capsys, failing={2})
