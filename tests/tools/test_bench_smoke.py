"""The benchmark (scripts/bench, prodready_tools.bench) runs end to end and writes a complete JSON document.

A smoke test, never a timed one: one cold/warm pair, one build, a few answer changes, no
Lighthouse, shorter pauses (half a second before a warm load instead of three, a guide page
watched for one second), the emulated line ten times faster than the office line it stands
for (the code is the same; waiting for 20 Mbit/s would add a quarter of a minute), and the tests'
browser rather than the readers' (`--browser tests`: a quarter less processor time). It checks
that every figure the Performance page relies on is present with a sane type and unit, not how fast
anything is (the targets live in the benchmark itself).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.site, pytest.mark.browser]

SECONDS = (
    "baseline_cold_s",
    "baseline_warm_s",
    "ready_cold_s",
    "ready_warm_s",
    "build_s",
    "ready_cold_throttled_s",
    "baseline_cold_throttled_s",
)
RATIOS = ("ratio_cold", "ratio_warm", "ratio_cold_throttled")
MILLISECONDS = ("eval_median_ms", "eval_p95_ms")
BYTES = ("assessor_transfer_bytes", "assessor_transfer_gzip_bytes", "guide_runtime_bytes")
MACHINE = ("cpu", "cores", "memory_gb", "os", "chromium", "pyodide")
SMOKE_LINE_MBIT = 200
SMOKE_SETTLE_S = 0.5


@pytest.fixture(scope="module")
def result(runtime: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("bench") / "bench.json"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "prodready_tools.bench",
            "--runs",
            "1",
            "--quick",
            "--line-mbit",
            str(SMOKE_LINE_MBIT),
            "--settle",
            str(SMOKE_SETTLE_S),
            "--guide-idle",
            "1",
            "--browser",
            "tests",
            "--json",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    # The Markdown table goes to stdout.
    assert "| Measurement |" in proc.stdout
    assert "| `ratio_cold` |" in proc.stdout
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return data


def is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def test_timings_are_positive_numbers(result: dict[str, Any]) -> None:
    for key in (*SECONDS, *RATIOS, *MILLISECONDS):
        assert is_number(result[key]), (key, result[key])
        assert result[key] > 0, (key, result[key])
    # Seconds, not milliseconds: nothing on a page load takes ten minutes.
    for key in SECONDS:
        assert result[key] < 600, (key, result[key])
    assert result["eval_p95_ms"] >= result["eval_median_ms"]


def test_ratios_are_taken_from_the_same_pairs(result: dict[str, Any]) -> None:
    # With one run there is one pair, so each ratio is exactly ready / baseline of that pair.
    stats = result["stats"]
    for kind in ("cold", "warm", "cold_throttled"):
        ready = stats[f"ready_{kind}_s"]["samples"][0]
        baseline = stats[f"baseline_{kind}_s"]["samples"][0]
        assert result[f"ratio_{kind}"] == pytest.approx(ready / baseline, rel=1e-2)
    for key in (*SECONDS, *RATIOS):
        summary = stats[key]
        assert summary["min"] <= summary["median"] <= summary["max"], key


def test_transfer_counts_the_runtime(result: dict[str, Any]) -> None:
    for key in BYTES:
        assert isinstance(result[key], int), (key, result[key])
        assert result[key] >= 0, key
    runtime = ROOT / "docs" / "assets" / "runtime"
    wasm = (runtime / "pyodide.asm.wasm").stat().st_size
    # The assessor downloaded at least the wasm binary, and compression made it smaller.
    assert result["assessor_transfer_bytes"] > wasm
    assert 0 < result["assessor_transfer_gzip_bytes"] < result["assessor_transfer_bytes"]
    paths = {r["path"] for r in result["assessor_requests"]}
    assert "/assets/runtime/pyodide.asm.wasm" in paths
    record = json.loads((runtime / "engine-files.json").read_text(encoding="utf-8"))
    assert f"/assets/runtime/{record['stdlib']['file']}" in paths


def test_the_later_visit_started_from_the_first_visits_snapshot(result: dict[str, Any]) -> None:
    # One pair: the first visit took a memory snapshot, the later visit started from it, so
    # ready_warm_s measures the path a returning reader takes.
    assert result["assessor_snapshot"] == {"cold": {"taken": 1}, "warm": {"restored": 1}}


def test_lighthouse_is_reported_as_skipped(result: dict[str, Any]) -> None:
    assert isinstance(result["lighthouse"], str)
    assert "skipped" in result["lighthouse"]


def test_machine_and_targets_are_recorded(result: dict[str, Any]) -> None:
    machine = result["machine"]
    for key in MACHINE:
        assert machine[key], key
    assert (
        machine["pyodide"]
        == json.loads((ROOT / "package.json").read_text())["dependencies"]["pyodide"]
    )
    targets = result["targets"]
    assert {"ratio_cold", "ratio_warm", "eval_median_ms", "eval_p95_ms", "build_s"} <= set(targets)
    assert targets["assessor_transfer_gzip_bytes"]["target"] == "<= 6e+06"
    # The emulated line is recorded with the figures it produced.
    assert result["method"]["settle_s"] == SMOKE_SETTLE_S
    assert result["method"]["browser"] == "tests"
    assert result["method"]["throttled"]["latency"] == 40
    assert result["method"]["throttled"]["downloadThroughput"] * 8 == SMOKE_LINE_MBIT * 1_000_000
    for name, target in targets.items():
        assert target["pass"] in (True, False, None), name
