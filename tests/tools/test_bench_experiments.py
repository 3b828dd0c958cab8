"""Every benchmark experiment (prodready_tools.bench, `--experiment NAME`) still applies to the site.

An experiment undoes one adopted optimisation by patching the benchmark's copy of the built
site; when the code it patches changes, the patch must fail loudly rather than measure the
unchanged site under the experiment's name. No browser and no timing: each experiment is applied
to a fresh copy of the built site and must change it.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from prodready_tools import bench

pytestmark = pytest.mark.site


def digest(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.mark.parametrize("name", sorted(bench.EXPERIMENTS))
def test_experiment_applies_and_changes_the_site(
    name: str, served_site: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    shutil.copytree(served_site, site)
    before = digest(site)
    bench.EXPERIMENTS[name](site)  # raises BenchError when its target text is gone
    after = digest(site)
    assert after != before, f"experiment {name} changed nothing"
    # The engine's archive still matches the lock file; if it did not, the worker would quietly
    # install the engine with Pyodide's loader and the experiment would measure that instead.
    runtime = site / "assets" / "runtime"
    lock = json.loads((runtime / "pyodide-lock.json").read_text(encoding="utf-8"))
    record = bench.engine_files(runtime)
    assert sorted(e["sha256"] for e in lock["packages"].values()) == record["wheels"]
    archive = (runtime / record["file"]).read_bytes()
    assert hashlib.sha256(archive).hexdigest() == record["sha256"]
