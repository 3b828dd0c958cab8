"""The engine run inside Pyodide under Node (tests/runtime/parity.mjs): for the tests that compare
its answers with CPython's and those of the runtime's standard library.

    report = run_parity(runtime, [(path, ("assess", "render:md")) for path in files])
    report["results"]  # [{"file": ..., "op": ..., "response": ...}, ...] in the order asked
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

PARITY_SCRIPT = Path(__file__).resolve().parents[1] / "runtime" / "parity.mjs"

# Each answer file with the ops it is sent through.
type Requests = list[tuple[Path, tuple[str, ...]]]


def written(folder: Path, documents: Mapping[str, Any]) -> list[Path]:
    """Each document written to ``folder`` as NAME.json, in order."""
    paths = []
    for name, answers in documents.items():
        path = folder / f"{name}.json"
        path.write_text(json.dumps(answers, ensure_ascii=False), encoding="utf-8")
        paths.append(path)
    return paths


def run_parity(runtime: Path, requests: Requests) -> dict[str, Any]:
    """What parity.mjs reports for each file's ops, run inside Pyodide on ``runtime``."""
    args = []
    last: tuple[str, ...] = ()
    for path, ops in requests:
        if ops != last:  # parity.mjs: a file takes the --op options given last before it
            args += [arg for op in ops for arg in ("--op", op)]
            last = ops
        args.append(str(path))
    proc = subprocess.run(
        ["node", str(PARITY_SCRIPT), "--runtime", str(runtime), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, f"parity.mjs failed:\n{proc.stderr}"
    report: dict[str, Any] = json.loads(proc.stdout)
    return report
