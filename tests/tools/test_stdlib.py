"""The standard library the assessor downloads (prodready_tools.stdlib): only what is imported,
as bytecode, with a clear message for a module it left out.

Run through the real runtime: Pyodide under Node (tests/runtime/parity.mjs) on the archive that
engine-files.json names, the one the worker loads. That no request of the engine misses a module
of it is shown by the parity run (tests/engine/test_pyodide_parity.py), which runs there every
example and answers generated to take each property through every kind of value it allows.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import signal
import zipfile
from pathlib import Path
from typing import Any

import pytest

from prodready_tools import stdlib, warmup
from prodready_tools.runtime import NodeRun, compile_stdlib
from support.parity import run_parity, written

pytestmark = pytest.mark.runtime


def record(runtime: Path) -> dict[str, str]:
    data: dict[str, str] = json.loads((runtime / "engine-files.json").read_text())["stdlib"]
    return data


def run_in_pyodide(runtime: Path, answers: list[Any], tmp_path: Path, *ops: str) -> Any:
    paths = written(tmp_path, {f"answers-{n:03}": doc for n, doc in enumerate(answers)})
    return run_parity(runtime, [(path, ops) for path in paths])


def test_the_archive_holds_only_bytecode_of_stock_modules(runtime: Path) -> None:
    rec = record(runtime)
    data = (runtime / rec["file"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == rec["sha256"]
    assert rec["file"] == f"python_stdlib-{rec['sha256'][:16]}.zip"  # a new archive, a new URL
    stock_path = runtime / "python_stdlib.zip"  # kept: the worker's fallback
    assert hashlib.sha256(stock_path.read_bytes()).hexdigest() == rec["source"]
    with zipfile.ZipFile(stock_path) as stock, zipfile.ZipFile(runtime / rec["file"]) as trimmed:
        names = trimmed.namelist()
        stock_names = set(stock.namelist())
        assert names == [*sorted(names[:-1]), names[-1]]
        assert names[-1] == "sitecustomize.pyc"
        for name in names[:-1]:
            # Beside where its source was, where zipimport looks (it never reads __pycache__).
            assert name.endswith(".pyc"), name
            assert name[:-1] in stock_names, name
        magics = set()
        for name in names:
            header = trimmed.read(name)[:16]
            assert int.from_bytes(header[4:8], "little") == 1, name  # unchecked hash
            magics.add(header[:4])
        assert len(magics) == 1
        # Far smaller than Pyodide's: a lighter first visit.
        assert len(names) < len(stock_names) / 3
        assert (runtime / rec["file"]).stat().st_size < 0.75 * stock_path.stat().st_size


def test_every_module_of_the_engine_and_start_up_is_kept(runtime: Path) -> None:
    with zipfile.ZipFile(runtime / record(runtime)["file"]) as trimmed:
        kept = {stdlib.module_name(name[:-1]) for name in trimmed.namelist()}
    # Pyodide's start-up, the worker's (snapshot, package loader) and the engine's own imports.
    assert {"encodings", "asyncio", "ast", "zipfile", "json", "_pyodide._base"} <= kept
    assert {"importlib.resources", "datetime", "html", "pyodide._package_loader"} <= kept
    # What nothing imports stays out.
    assert not {"unittest", "xml", "email.mime", "sqlite3", "tkinter"} & kept


def test_a_left_out_module_says_why_it_is_missing(runtime: Path, tmp_path: Path) -> None:
    # The archive without the `html` package, which only the HTML pages of the tracking ops import
    # (markdown-it, for a decision record as HTML): assessing still works, and the record fails
    # with the guard's explanation (the real text, left as source for Pyodide to compile), which
    # the page shows, not a bare "No module named" or a hang.
    rec = record(runtime)
    sabotaged = tmp_path / "runtime"
    shutil.copytree(runtime, sabotaged)
    with (
        zipfile.ZipFile(runtime / "python_stdlib.zip") as stock,
        zipfile.ZipFile(runtime / rec["file"]) as trimmed,
        zipfile.ZipFile(sabotaged / rec["file"], "w") as out,
    ):
        kept = [
            name
            for name in trimmed.namelist()
            if not name.startswith("html/") and name != "sitecustomize.pyc"
        ]
        assert len(kept) < len(trimmed.namelist()) - 1, "no op imports html any more"
        for name in kept:
            out.writestr(trimmed.getinfo(name), trimmed.read(name))
        out.writestr(stdlib.GUARD, stdlib.guard_source(stock.namelist(), [n[:-1] for n in kept]))
    example = next(iter(warmup.examples().values()))
    report = run_in_pyodide(sabotaged, [example], tmp_path, "assess", "record:html")
    assessed, rendered = (json.loads(r["response"]) for r in report["results"])
    assert assessed["ok"] is True
    assert rendered["ok"] is False
    assert rendered["error"]["code"] == "internal"
    message = rendered["error"]["message"]
    assert "No module named 'html': this site's copy of Python's standard library" in message
    assert "scripts/build-runtime" in message


def test_the_archive_is_reproducible(runtime: Path, tmp_path: Path) -> None:
    # The same library and engine give the same archive, hence the same URL: written again by
    # another process (another hash seed, which orders the sets in the bytecode's constants),
    # from the modules the archive holds, with the package loader's run finding its modules
    # again. (Which modules the first visit imports is the same code run on the same requests;
    # that none is missing is what the Pyodide tests on this archive show.)
    lock = json.loads((runtime / "pyodide-lock.json").read_text(encoding="utf-8"))
    names = ["python_stdlib.zip", "pyodide-lock.json"]
    names += [entry["file_name"] for entry in lock["packages"].values()]
    for name in names:
        shutil.copyfile(runtime / name, tmp_path / name)
    wheels = [tmp_path / entry["file_name"] for entry in lock["packages"].values()]
    with zipfile.ZipFile(runtime / record(runtime)["file"]) as built:
        kept = [name[:-1] for name in built.namelist() if name != "sitecustomize.pyc"]
    assert compile_stdlib(tmp_path, wheels, first_entries=kept) == record(runtime)


def test_a_failed_run_fails_the_build_and_says_which(
    runtime: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The first-visit run cannot read a wheel that is not there (it reads the wheels before
    # it starts the runtime).
    for name in ("python_stdlib.zip", "pyodide-lock.json"):
        shutil.copyfile(runtime / name, tmp_path / name)
    missing = tmp_path / "prodready-0.1.0-py3-none-any.whl"
    with pytest.raises(SystemExit):
        compile_stdlib(tmp_path, [missing])
    assert (
        "compiling the standard library for Pyodide failed (first run)" in capsys.readouterr().err
    )


def test_the_run_left_waiting_is_stopped(tmp_path: Path) -> None:
    # When one run fails, the other (the package loader's waits for the first one's modules on
    # its stdin) is ended rather than waited for.
    waiting = NodeRun.start(tmp_path, "waiting", ["node", "-e", "process.stdin.resume()"])
    done = NodeRun.start(tmp_path, "done", ["node", "-e", ""])
    assert done.finish() == ""
    waiting.stop()
    done.stop()
    assert waiting.proc.returncode == -signal.SIGKILL
    assert done.proc.returncode == 0
