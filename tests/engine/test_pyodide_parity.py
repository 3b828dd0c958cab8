"""The engine gives byte-identical answers in CPython and in the self-hosted Pyodide runtime.

The runtime is (re)built by prodready_tools.runtime when it is missing or stale (the `runtime`
fixture, tests/conftest.py: a no-op taking a fraction of a second when it is current), then
tests/runtime/parity.mjs (support.parity) runs the engine inside Pyodide under Node, loading the
wheels through the runtime's lock file, and every response string is compared with what CPython's
prodready.protocol.handle() returns for the same request.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import pytest
from legal_corpus import CASES, check, load_cases

import prodready
import prodready.protocol
from prodready.verify import verify
from prodready_tools import warmup
from prodready_tools.runtime import write_engine_archive
from support.parity import Requests, run_parity, written

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.runtime

# Every answer file goes through each of these requests (op, or op:format).
OPS = ("assess", "assess:fragments", "render:md", "render:html")

# Answer sets written next to the example files: edge cases whose responses (often errors) must
# also match between the two interpreters.
INLINE_ANSWERS: dict[str, Any] = {
    "empty": {},
    "unknown-question": {"no_such_question": "yes"},
    "wrong-types": {"users": 7, "data": ["a", "b"], "decision": None},
    "unicode": {"notes": "Zürich — ünïcödé ✓ 日本語"},
    "not-an-object": ["a", 1],
}


def example_files() -> list[Path]:
    examples = sorted((ROOT / "engine" / "prodready" / "examples").glob("*.json"))
    golden = sorted((ROOT / "tests" / "engine" / "golden").glob("*.json"))
    return examples + golden


def legal_files() -> list[Path]:
    """The legal corpus (each case file has an "answers" member, which parity.mjs assesses)."""
    return sorted(CASES.glob("*.json"))


def answer_files() -> list[Path]:
    return example_files() + legal_files()


def request_for(text: str, op_spec: str) -> str:
    """The request parity.mjs builds inside Pyodide, built the same way here."""
    data = json.loads(text)
    answers = (
        data["answers"]
        if isinstance(data, dict) and isinstance(data.get("answers"), dict)
        else data
    )
    op, _, fmt = op_spec.partition(":")
    request: dict[str, Any] = {"v": 1, "id": 1, "op": op, "answers": answers}
    if fmt == "fragments":  # the page's request
        request["fragments"] = True
    elif fmt:
        request["format"] = fmt
    return json.dumps(request)


def cpython_result(text: str, op_spec: str) -> dict[str, str]:
    try:
        return {"op": op_spec, "response": prodready.protocol.handle(request_for(text, op_spec))}
    except Exception as error:  # mirrors parity.mjs
        return {"op": op_spec, "exception": f"{type(error).__name__}: {error}"}


# Decision records made in the browser must verify with the CLI: the record op (canonical JSON,
# SHA-256 of the record and of the rule set) gives the same bytes in Pyodide as in CPython.
RECORD_OPS = ("record", "record:md", "record_form", "portfolio")

# The legal corpus is assessed (test_legal_corpus_in_pyodide checks each case against its
# articles); the reports, records and fragments run on the examples, the golden files and the
# edge cases, which between them take every op through its renderers. (All eight ops on every
# case as well were 406 of the run's 784 requests in each interpreter, for renderers these files
# already cover.)
LEGAL_OPS = ("assess",)


@pytest.fixture(scope="session")
def generated_answers(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Each property of the answers taken through every kind of value it allows (and a wrong
    one), or left out (prodready_tools.warmup): assessed too, so that the run reaches the code
    paths the examples do not."""
    documents = {f"{n:03}": doc for n, doc in enumerate(warmup.generated_answers())}
    return written(tmp_path_factory.mktemp("generated"), documents)


@pytest.fixture(scope="session")
def parity_requests(
    tmp_path_factory: pytest.TempPathFactory, generated_answers: list[Path]
) -> Requests:
    inline = written(tmp_path_factory.mktemp("answers"), INLINE_ANSWERS)
    every_op = [(path, OPS + RECORD_OPS) for path in example_files() + inline]
    return every_op + [(path, LEGAL_OPS) for path in legal_files() + generated_answers]


@pytest.fixture(scope="session")
def pyodide_report(runtime: Path, parity_requests: Requests) -> dict[str, Any]:
    """One run of Pyodide for every request of this module (a start of Pyodide is seconds)."""
    return run_parity(runtime, parity_requests)


def results_of(report: dict[str, Any], ops: tuple[str, ...]) -> list[dict[str, Any]]:
    return [r for r in report["results"] if r["op"] in ops]


def requested(requests: Requests, ops: tuple[str, ...]) -> list[tuple[str, str]]:
    """(file, op) of every request for one of ``ops``, in the order parity.mjs answers them."""
    return [(str(path), op) for path, its_ops in requests for op in its_ops if op in ops]


def test_there_are_example_answer_files() -> None:
    assert example_files(), "no engine/prodready/examples/*.json or tests/engine/golden/*.json"


def test_pyodide_runs_python_314_and_the_same_engine(pyodide_report: dict[str, Any]) -> None:
    assert pyodide_report["python"].startswith("3.14.")
    assert pyodide_report["prodready"] == prodready.__version__
    assert (
        pyodide_report["pyodide"]
        == json.loads((ROOT / "package.json").read_text())["dependencies"]["pyodide"]
    )
    assert "prodready" in pyodide_report["packages"]
    assert "markdown-it-py" in pyodide_report["packages"]
    assert not pyodide_report.get("stderr"), pyodide_report.get("stderr")


def test_engine_starts_from_bytecode_and_pre_parsed_rules(
    pyodide_report: dict[str, Any], runtime: Path
) -> None:
    # scripts/build-runtime compiles the engine for Pyodide's Python; every module the run above
    # imported must have found that bytecode (not compiled its source again at start-up).
    loaded = pyodide_report["bytecode"]
    assert {"prodready.protocol", "prodready.evaluate", "prodready.loader"} <= set(loaded)
    assert set(loaded.values()) == {"unchecked-hash"}, loaded
    # The pre-parsed rules (data/compiled.json) were used: TOML was never parsed, and neither
    # the html package nor markdown-it were imported before a report was asked for.
    assert pyodide_report["startup_heavy_modules"] == []
    lock = json.loads((runtime / "pyodide-lock.json").read_text(encoding="utf-8"))
    with zipfile.ZipFile(runtime / lock["packages"]["prodready"]["file_name"]) as wheel:
        names = set(wheel.namelist())
    sources = {n for n in names if n.endswith(".py")}
    assert sources, "the sources stay in the wheel (tracebacks, other Python versions)"
    for source in sources:
        folder, _, module = source.rpartition("/")
        assert f"{folder}/__pycache__/{module[:-3]}.cpython-314.pyc" in names, source


def test_responses_are_byte_identical(
    pyodide_report: dict[str, Any], parity_requests: Requests
) -> None:
    results = results_of(pyodide_report, OPS)
    assert [(r["file"], r["op"]) for r in results] == requested(parity_requests, OPS)
    texts = {str(p): p.read_text(encoding="utf-8") for p, _ in parity_requests}
    mismatches = []
    for result in results:
        expected = cpython_result(texts[result["file"]], result["op"])
        got = {k: v for k, v in result.items() if k != "file"}
        if got != expected:
            mismatches.append(
                f"{result['file']} {result['op']}:\n  CPython: {expected}\n  Pyodide: {got}"
            )
    assert not mismatches, "\n".join(mismatches)
    # The example files are valid assessments: they must succeed, not merely agree.
    examples = {str(p) for p in answer_files()}
    for result in results:
        if result["file"] in examples:
            assert "response" in result, result
            assert json.loads(result["response"])["ok"] is True, (result["file"], result["op"])


def test_legal_corpus_in_pyodide(pyodide_report: dict[str, Any]) -> None:
    # Every case of the legal corpus gives, inside Pyodide, the result its articles give: the
    # same checker as test_legal_corpus.py, applied to the report Pyodide returned.
    reports = {
        r["file"]: json.loads(r["response"])
        for r in pyodide_report["results"]
        if r["op"] == "assess" and "response" in r
    }
    cases = load_cases()
    assert len(cases) >= 30
    failures = {}
    for case in cases:
        response = reports[str(case.path)]
        assert response["ok"] is True, (case.name, response)
        problems = check(case.expect, response["report"])
        if problems:
            failures[case.name] = problems
    assert not failures


def test_generated_answers_meet_no_internal_error(
    pyodide_report: dict[str, Any], generated_answers: list[Path]
) -> None:
    # The standard library Pyodide loads here is the trimmed one the worker loads
    # (prodready_tools.stdlib): a code path that imports a module it left out would answer
    # "internal" (with the guard's message). test_responses_are_byte_identical compares these
    # responses with CPython's.
    files = {str(path) for path in generated_answers}
    results = [r for r in pyodide_report["results"] if r["file"] in files]
    assert len(results) == len(files)
    for result in results:
        assert "response" in result, result
        assert json.loads(result["response"]).get("error", {}).get("code") != "internal", result


def test_lock_file_matches_the_shipped_files(runtime: Path) -> None:
    lock = json.loads((runtime / "pyodide-lock.json").read_text(encoding="utf-8"))
    manifest = json.loads((runtime / "manifest.json").read_text(encoding="utf-8"))
    assert lock["info"]["python"].startswith("3.14.")
    assert set(lock["packages"]) >= {"prodready", "markdown-it-py", "mdurl"}
    for name, entry in lock["packages"].items():
        wheel = runtime / entry["file_name"]
        assert wheel.is_file(), name
        assert hashlib.sha256(wheel.read_bytes()).hexdigest() == entry["sha256"], name
    for file_name, info in manifest["files"].items():
        data = (runtime / file_name).read_bytes()
        assert len(data) == info["size"], file_name
        assert hashlib.sha256(data).hexdigest() == info["sha256"], file_name
    shipped = {p.name for p in runtime.iterdir()}
    assert shipped == {*manifest["files"], "manifest.json"}
    assert "sourceMappingURL" not in (runtime / "pyodide.mjs").read_text(encoding="utf-8")


def test_engine_archive_holds_exactly_the_locked_wheels(runtime: Path, tmp_path: Path) -> None:
    # The worker writes the engine's files from this archive instead of unpacking the wheels;
    # it must hold the same files, byte for byte, in the one tar dialect the worker reads.
    lock = json.loads((runtime / "pyodide-lock.json").read_text(encoding="utf-8"))
    record = json.loads((runtime / "engine-files.json").read_text(encoding="utf-8"))
    archive = runtime / record["file"]
    data = archive.read_bytes()
    assert hashlib.sha256(data).hexdigest() == record["sha256"]
    assert record["sha256"][:16] in record["file"]  # a new archive gets a new URL
    wheels = [runtime / entry["file_name"] for entry in lock["packages"].values()]
    assert record["wheels"] == sorted(entry["sha256"] for entry in lock["packages"].values())

    expected: dict[str, bytes] = {}
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as source:
            for info in source.infolist():
                if not info.is_dir():
                    expected[info.filename] = source.read(info)
    raw = gzip.decompress(data)
    found: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(raw), mode="r:") as tar:
        for member in tar.getmembers():
            assert member.isreg(), member.name
            header = raw[member.offset : member.offset + 512]
            assert header[257:262] == b"ustar", member.name
            body = tar.extractfile(member)
            assert body is not None
            found[member.name] = body.read()
    assert found.keys() == expected.keys()
    assert all(found[name] == expected[name] for name in expected)

    # Reproducible: the same wheels give the same archive, so its URL only changes with them.
    again = write_engine_archive(tmp_path, wheels)
    assert again == (record["file"], record["sha256"])
    assert (tmp_path / record["file"]).read_bytes() == data


def test_start_up_imports_the_standard_library_from_bytecode(
    pyodide_report: dict[str, Any],
) -> None:
    # Pyodide ships its standard library as sources; the build adds bytecode for what start-up
    # needs. Every module that Pyodide's start-up, and then the engine's import, start-up check
    # and first assessment imported from it must have come from that bytecode: a module missing
    # from it is compiled at every start, and a pyc this runtime refused (another Python) would
    # show as "py" here too.
    startup = pyodide_report["startup_stdlib"]
    engine = pyodide_report["engine_stdlib"]
    assert len(startup) > 100, startup
    assert {"encodings", "asyncio", "ast", "zipfile"} <= set(startup)
    assert "importlib.resources" in engine, engine  # the engine reads its rules through it
    not_compiled = sorted(name for name, kind in {**startup, **engine}.items() if kind != "pyc")
    assert not_compiled == []


def test_records_are_byte_identical(
    pyodide_report: dict[str, Any], parity_requests: Requests
) -> None:
    results = results_of(pyodide_report, RECORD_OPS)
    assert [(r["file"], r["op"]) for r in results] == requested(parity_requests, RECORD_OPS)
    made = 0
    for result in results:
        text = Path(result["file"]).read_text(encoding="utf-8")
        expected = cpython_result(text, result["op"])
        assert {k: v for k, v in result.items() if k != "file"} == expected, result["file"]
        response = json.loads(result["response"])
        if result["op"] == "record" and response["ok"]:
            made += 1
            assert verify(json.loads(response["file"]), prodready.load_ruleset()).ok
    assert made >= len(example_files()) // 2
