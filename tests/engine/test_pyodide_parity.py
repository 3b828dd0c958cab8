"""The engine gives byte-identical answers in CPython and in the self-hosted Pyodide runtime.

The runtime is (re)built by scripts/build_runtime.py when it is missing or stale (a no-op taking a
fraction of a second when it is current), then tests/runtime/parity.mjs runs the engine inside
Pyodide under Node, loading the wheels through the runtime's lock file, and every response string
is compared with what CPython's prodready.protocol.handle() returns for the same request.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import pytest

import prodready
import prodready.protocol
from support.modules import load_script

ROOT = Path(__file__).resolve().parents[2]
RUNTIME = ROOT / "docs" / "assets" / "runtime"
PARITY_SCRIPT = ROOT / "tests" / "runtime" / "parity.mjs"

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


def answer_files() -> list[Path]:
    examples = sorted((ROOT / "engine" / "prodready" / "examples").glob("*.json"))
    golden = sorted((ROOT / "tests" / "engine" / "golden").glob("*.json"))
    return examples + golden


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


@pytest.fixture(scope="session")
def runtime() -> Path:
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js 20+ is needed to run the engine in Pyodide (apt-get install nodejs)")
    subprocess.run(
        ["bash", "-c", 'source "$1/scripts/_lib.sh" && ensure_node', "ensure_node", str(ROOT)],
        check=True,
    )
    subprocess.run([sys.executable, str(ROOT / "scripts" / "build_runtime.py")], check=True)
    assert (RUNTIME / "manifest.json").is_file()
    return RUNTIME


@pytest.fixture(scope="session")
def parity_inputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    inline_dir = tmp_path_factory.mktemp("answers")
    inline = []
    for name, answers in INLINE_ANSWERS.items():
        path = inline_dir / f"{name}.json"
        path.write_text(json.dumps(answers, ensure_ascii=False), encoding="utf-8")
        inline.append(path)
    return answer_files() + inline


@pytest.fixture(scope="session")
def pyodide_report(runtime: Path, parity_inputs: list[Path]) -> dict[str, Any]:
    proc = subprocess.run(
        [
            "node",
            str(PARITY_SCRIPT),
            "--runtime",
            str(runtime),
            *(arg for op in OPS for arg in ("--op", op)),
            *map(str, parity_inputs),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert proc.returncode == 0, f"parity.mjs failed:\n{proc.stderr}"
    report: dict[str, Any] = json.loads(proc.stdout)
    return report


def test_there_are_example_answer_files() -> None:
    assert answer_files(), "no engine/prodready/examples/*.json or tests/engine/golden/*.json"


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
    pyodide_report: dict[str, Any], parity_inputs: list[Path]
) -> None:
    results = pyodide_report["results"]
    expected_keys = [(str(p), op) for p in parity_inputs for op in OPS]
    assert [(r["file"], r["op"]) for r in results] == expected_keys
    texts = {str(p): p.read_text(encoding="utf-8") for p in parity_inputs}
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
    build_runtime = load_script(ROOT / "scripts" / "build_runtime.py", "build_runtime")
    again = build_runtime.write_engine_archive(tmp_path, wheels)
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


def test_compiled_stdlib_is_pyodides_library_plus_bytecode(runtime: Path, tmp_path: Path) -> None:
    engine_files = json.loads((runtime / "engine-files.json").read_text(encoding="utf-8"))
    record = engine_files["stdlib"]
    path = runtime / record["file"]
    data = path.read_bytes()
    assert hashlib.sha256(data).hexdigest() == record["sha256"]
    assert record["file"] == f"python_stdlib-{record['sha256'][:16]}.zip"
    stock_path = runtime / "python_stdlib.zip"
    assert hashlib.sha256(stock_path.read_bytes()).hexdigest() == record["source"]
    manifest = json.loads((runtime / "manifest.json").read_text(encoding="utf-8"))
    assert record["file"] in manifest["files"]

    with zipfile.ZipFile(stock_path) as stock, zipfile.ZipFile(path) as compiled:
        # Pyodide's entries, unchanged (the sources stay: tracebacks, and the fallback).
        stock_names = stock.namelist()
        assert compiled.namelist()[: len(stock_names)] == stock_names
        assert all(compiled.read(name) == stock.read(name) for name in stock_names)
        added = compiled.namelist()[len(stock_names) :]
        assert len(added) > 100
        for name in added:
            # Beside its source, where zipimport looks (it never reads __pycache__).
            assert name.endswith(".pyc"), name
            assert name[:-4] + ".py" in stock_names, name
            header = compiled.read(name)[:16]
            # Flags 1: a hash-based pyc that is not checked against its source.
            assert int.from_bytes(header[4:8], "little") == 1, name
        assert len({compiled.read(name)[:4] for name in added}) == 1  # one magic number

    # Reproducible: the same library and engine give the same archive, hence the same URL.
    build_runtime = load_script(ROOT / "scripts" / "build_runtime.py", "build_runtime")
    shutil.copyfile(stock_path, tmp_path / "python_stdlib.zip")
    lock = json.loads((runtime / "pyodide-lock.json").read_text(encoding="utf-8"))
    wheels = [runtime / entry["file_name"] for entry in lock["packages"].values()]
    assert build_runtime.compile_stdlib(tmp_path, wheels) == record
