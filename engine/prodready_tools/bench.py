"""Performance benchmark of the ProdReady site and its in-browser assessor (issue 6).

Run it through ``scripts/bench`` (which prepares .venv, node_modules, Chromium and the runtime,
then runs ``python -m prodready_tools.bench``):

    scripts/bench                      # 5 runs of everything, Markdown table on stdout
    scripts/bench --runs 9 --json bench-results/latest.json
    scripts/bench --runs 1 --quick     # smoke run: one build, few evaluations, no Lighthouse
    scripts/bench --experiment preload # measure a variant of the built site (see EXPERIMENTS)
    scripts/bench --runs 1 --quick --browser tests  # the tests' smoke run (see BROWSERS)

What it does: builds the site with ``mkdocs build --strict`` into a temporary directory (timed),
writes a bare ``loadPyodide()`` page next to it (``bench/baseline.html``: Pyodide as it is
distributed, the floor the targets are set against) and a second one that loads the standard
library with start-up bytecode the assessor uses (``bench/baseline-bytecode.html``: what the
engine and the page add on top of the runtime as the site ships it),
serves the directory on 127.0.0.1 like a typical static host (cacheable, text gzipped), and drives
headless Chromium through Playwright. Every cold load uses a fresh browser profile; the warm load
is a second navigation in the same profile (compiled wasm and HTTP cache kept). Baseline and
assessor are measured alternately, and the ratios are taken pair by pair.

Figures are medians; min and max are kept in the JSON (``stats``). Targets are reported, never
asserted: a run that misses one still succeeds (exit 0); only a broken page fails the run.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import gzip
import hashlib
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import (
    BrowserContext,
    Page,
    Playwright,
    Request,
    sync_playwright,
)

from prodready_site.hooks import CSP_META
from prodready_tools.browser import (
    CHROMIUM_ARGS,
    PLAYWRIGHT_ARGS,
    TEST_ARGS,
    chromium_for_tests,
    chromium_path,
    missing_chromium,
)
from prodready_tools.runtime import write_engine_archive, write_record
from prodready_tools.server import SiteServer, local_versions, make_server
from prodready_tools.site import build_site

ROOT = Path(__file__).resolve().parents[2]
RUNTIME_DIR = "assets/runtime/"
ASSESSOR_PATH = "assessor/"
GUIDE_PATHS = ("", "decision-framework/")
BASELINE_PATH = "bench/baseline.html"
BYTECODE_BASELINE_PATH = "bench/baseline-bytecode.html"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
LIGHTHOUSE_CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
LIGHTHOUSE_CHROME_FLAGS = "--headless=new " + " ".join(CHROMIUM_ARGS)
# What a typical static host (GitHub Pages) sends: cacheable for ten minutes, then revalidated
# with If-Modified-Since (the server answers 304).
CACHE_CONTROL = "max-age=600"
READY_TIMEOUT_S = 60.0
GUIDE_IDLE_S = 5.0
# Pause after a cold load before the warm one, so Chromium can write the wasm code cache (the
# assessor's worker first stores its memory snapshot: that is waited for, see SNAPSHOT_STORED_JS).
SETTLE_S = 3.0
# The Cache Storage cache where the assessor's worker keeps its memory snapshot (SNAPSHOT_CACHE in
# docs/assets/js/worker/snapshot.mjs; the tests of the snapshot read it by this name too), and
# whether the snapshot is stored there yet, which the later visit starts from.
SNAPSHOT_CACHE = "prodready-runtime-snapshot"
SNAPSHOT_STORED_JS = f"""async () => typeof caches === "object"
    && (await (await caches.open("{SNAPSHOT_CACHE}")).keys()).length > 0"""
# A first visit over an office line: 20 Mbit/s down, 40 ms round trip (Chromium's network
# emulation through the DevTools protocol; it also holds the assessor's worker). Upload is not
# limited: a visit sends only small requests.
OFFICE_LINE_MBIT = 20.0


def throttle(mbit: float) -> dict[str, Any]:
    """Chromium's network conditions for a line of `mbit` Mbit/s down and 40 ms round trip."""
    return {
        "offline": False,
        "latency": 40,
        "downloadThroughput": mbit * 1_000_000 / 8,
        "uploadThroughput": -1,
    }


# The runtime's files wherever they are served from: everything in the runtime folder, and by
# name the kinds of file it holds (binary, standard library, wheels, engine archive, loader).
RUNTIME_FILE = re.compile(r"(/assets/runtime/.*|\.wasm|\.zip|\.whl|\.tar\.gz|/pyodide[^/]*\.m?js)$")

TARGETS: dict[str, tuple[str, float]] = {
    "ratio_cold": ("<=", 0.75),
    "ratio_warm": ("<=", 0.55),
    "assessor_transfer_gzip_bytes": ("<=", 6_000_000),
    "eval_median_ms": ("<=", 10.0),
    "eval_p95_ms": ("<=", 30.0),
    "guide_runtime_bytes": ("==", 0),
    "build_s": ("<=", 10.0),
    "lighthouse.home.performance": (">=", 95),
    "lighthouse.assessor.performance": (">=", 90),
    "lighthouse.home.accessibility": ("==", 100),
    "lighthouse.assessor.accessibility": ("==", 100),
    "lighthouse.home.best-practices": (">=", 95),
    "lighthouse.assessor.best-practices": (">=", 95),
}

BASELINE_HTML = """\
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>loadPyodide() baseline</title>
<link rel="icon" href="data:,">
<script type="module" src="baseline.mjs"></script>
</head>
<body><main><h1>loadPyodide() baseline</h1></main></body>
</html>
"""

# Only the runtime, from the same self-hosted files the assessor uses; nothing else. OPTIONS is
# replaced: nothing for the stock baseline, the compiled standard library for the other one.
BASELINE_JS = """\
import { loadPyodide } from "../assets/runtime/pyodide.mjs";

const indexURL = new URL("../assets/runtime/", import.meta.url).href;
loadPyodide({ indexURL /* OPTIONS */ }).then(
  () => { window.benchDone = { state: "ready", at: performance.now() }; },
  (error) => { window.benchDone = { state: "failed", at: performance.now(), error: String(error) }; },
);
"""

# Installed before any page script: records performance.now() (ms since navigation start) the
# moment the assessor's root element reports a new engine state.
READY_OBSERVER_JS = """\
(() => {
  const seen = {};
  window.benchStates = seen;
  const check = () => {
    const root = document.getElementById("prodready-assessor");
    const state = root && root.getAttribute("data-engine-state");
    if (state && !(state in seen)) {
      seen[state] = performance.now();
      // The page may report "failed" (e.g. its own start-up timeout) and still become ready.
      if (state === "ready") window.benchDone = { state, at: seen[state] };
    }
  };
  new MutationObserver(check).observe(document, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["data-engine-state"],
  });
  // Diagnostics: when the page starts the assessor's worker, and when the worker reports.
  const NativeWorker = window.Worker;
  window.benchWorker = null;
  if (NativeWorker) {
    window.Worker = class extends NativeWorker {
      constructor(url, options) {
        super(url, options);
        if (!String(url).includes("assessor-worker")) return;
        const entry = { created: performance.now() };
        window.benchWorker = entry;
        this.addEventListener("message", (event) => {
          const data = event.data;
          if (data && data.type === "state" && data.state !== "loading" && !entry.state) {
            Object.assign(entry, {
              state: data.state, at: performance.now(), timings: data.timings,
              message: data.message, detail: data.detail, install: data.install,
              snapshot: data.snapshot,
            });
          }
        });
      }
    };
  }
})();
"""


class BenchError(RuntimeError):
    """A page did not reach the state the benchmark waits for."""


def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# Statistics


@dataclass
class Series:
    """Samples of one measurement, in its unit."""

    samples: list[float] = field(default_factory=list)

    def add(self, value: float) -> None:
        self.samples.append(value)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    def summary(self, digits: int) -> dict[str, Any]:
        return {
            "median": round(self.median, digits),
            "min": round(min(self.samples), digits),
            "max": round(max(self.samples), digits),
            "n": len(self.samples),
            "samples": [round(s, digits) for s in self.samples],
        }


def percentile(samples: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile (q in 0..100), as numpy's default."""
    ordered = sorted(samples)
    if len(ordered) == 1:
        return ordered[0]
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


# --------------------------------------------------------------------------------------------
# Site: build, bench pages, server


def build(dest: Path, site_url: str, times: int) -> Series:
    series = Series()
    for i in range(times):
        seconds = build_site(dest, site_url)
        series.add(seconds)
        log(f"mkdocs build {i + 1}/{times}: {seconds:.2f} s")
    return series


def engine_files(runtime: Path) -> dict[str, Any]:
    """The runtime's engine-files.json: the engine's archive and the standard library to load."""
    record: dict[str, Any] = json.loads((runtime / "engine-files.json").read_text(encoding="utf-8"))
    return record


def write_bench_pages(site: Path) -> None:
    """The two bare runtime pages: Pyodide as distributed, and Pyodide on the standard library
    the site ships with start-up bytecode (named in engine-files.json)."""
    bench = site / "bench"
    bench.mkdir(exist_ok=True)
    record = engine_files(site / RUNTIME_DIR)
    stdlib = f', stdLibURL: new URL("{record["stdlib"]["file"]}", indexURL).href'
    for name, options in (("baseline", ""), ("baseline-bytecode", stdlib)):
        html = BASELINE_HTML.replace("baseline.mjs", f"{name}.mjs")
        (bench / f"{name}.html").write_text(html, encoding="utf-8")
        js = BASELINE_JS.replace(" /* OPTIONS */", options)
        (bench / f"{name}.mjs").write_text(js, encoding="utf-8")


def cacheable_server(root: Path) -> SiteServer:
    """The test suite's static server, set up like a static host: cacheable responses
    (CACHE_CONTROL, so a warm visit finds the compiled wasm) and gzip for text files."""
    return make_server(
        root,
        cache_control=CACHE_CONTROL,
        compress=True,
        overrides=local_versions(root),
    )


# --------------------------------------------------------------------------------------------
# Browser


# The browsers the benchmark can drive: the Chromium readers use, with V8's defaults (what the
# figures stand for), or the tests' (Chromium's headless shell, WebAssembly on V8's baseline tier
# only: prodready_tools.browser), for the tests' smoke run, which checks that the benchmark works
# end to end and whose times are not comparable anyway: a quarter less processor time.
BROWSERS: dict[str, Callable[[], tuple[str, list[str]]]] = {
    "readers": lambda: (chromium_path(), PLAYWRIGHT_ARGS),
    "tests": lambda: (chromium_for_tests(), TEST_ARGS),
}


@dataclass(frozen=True)
class Driver:
    """Playwright, and the Chromium it starts: the binary and its launch arguments."""

    pw: Playwright
    executable: str
    args: list[str]


@contextmanager
def fresh_profile(driver: Driver) -> Iterator[BrowserContext]:
    """A browser with a brand-new on-disk profile (empty HTTP cache and wasm code cache)."""
    with tempfile.TemporaryDirectory(prefix="prodready-profile-") as profile:
        context = driver.pw.chromium.launch_persistent_context(
            profile, executable_path=driver.executable, args=driver.args, headless=True
        )
        try:
            context.add_init_script(READY_OBSERVER_JS)
            yield context
        finally:
            context.close()


def timed_load(page: Page, url: str) -> float:
    """Navigate and return seconds from navigation start to the page's `benchDone` signal."""
    page.goto(url, wait_until="commit")
    try:
        page.wait_for_function("() => window.benchDone", timeout=READY_TIMEOUT_S * 1000)
    except Exception as error:
        status = page.evaluate(
            "() => [window.benchStates, window.benchWorker,"
            " document.getElementById('prodready-status')?.textContent]"
        )
        raise BenchError(
            f"{url} was not ready within {READY_TIMEOUT_S:.0f} s (states, worker, status: {status})"
        ) from error
    done: dict[str, Any] = page.evaluate("window.benchDone")
    if done.get("state") != "ready":
        worker: dict[str, Any] = page.evaluate("window.benchWorker") or {}
        why = done.get("error") or f"{worker.get('message', '')} {worker.get('detail', '')}"
        raise BenchError(f"{url} reached state {done.get('state')!r}: {why.strip()}")
    return float(done["at"]) / 1000


@dataclass
class Transfer:
    """What a page downloaded: finished requests (URL, status) and requests that failed.

    Playwright reports a response's end after the page may already have used it (a streamed
    WebAssembly compile starts before the last byte), so `collect` waits, up to `patience`
    seconds, for every request started so far to finish or fail before it counts."""

    finished: list[tuple[str, int]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    _started: list[Request] = field(default_factory=list)
    _pending: list[Request] = field(default_factory=list)
    _failed: list[Request] = field(default_factory=list)

    def attach(self, context: BrowserContext) -> Transfer:
        context.on("request", lambda request: self._started.append(request))
        context.on("requestfinished", lambda request: self._pending.append(request))
        context.on("requestfailed", lambda request: self._failed.append(request))
        return self

    def collect(self, page: Page, patience: float = 30.0) -> Transfer:
        deadline = time.monotonic() + patience
        while len(self._pending) + len(self._failed) < len(self._started):
            if time.monotonic() > deadline:
                ended = {id(request) for request in (*self._pending, *self._failed)}
                open_ = [r.url for r in self._started if id(r) not in ended]
                raise BenchError(f"requests still open after {patience:.0f} s: {open_}")
            page.wait_for_timeout(50)  # lets Playwright deliver the events it has
        for request in self._pending:
            if request.url.startswith(("data:", "blob:")):
                continue
            response = request.response()
            self.finished.append((request.url, response.status if response else 0))
        for request in self._failed:
            self.failed.append((request.url, str(request.failure)))
        self._started.clear()
        self._pending.clear()
        self._failed.clear()
        return self


def url_path(url: str) -> str:
    return urllib.parse.unquote(urllib.parse.urlsplit(url).path)


class Sizes:
    """Raw and gzip -6 sizes of the served files behind URLs (the server does not compress, so
    the raw size is what crossed the wire; 304 answers and foreign URLs count 0)."""

    def __init__(self, site: Path) -> None:
        self.site = site
        self._cache: dict[str, tuple[int, int]] = {}

    def of(self, url: str, status: int = 200) -> tuple[int, int]:
        if status != 200:
            return 0, 0
        path = url_path(url).lstrip("/")
        if path not in self._cache:
            file = self.site / path
            if path == "" or path.endswith("/"):
                file = file / "index.html"
            data = file.read_bytes() if file.is_file() else b""
            gz = len(gzip.compress(data, compresslevel=6)) if data else 0
            self._cache[path] = (len(data), gz)
        return self._cache[path]


@dataclass
class PairResult:
    baseline_cold: float
    baseline_warm: float
    bytecode_cold: float  # the bare runtime on the standard library with start-up bytecode
    bytecode_warm: float
    ready_cold: float
    ready_warm: float
    transfer: Transfer
    phases_cold: dict[str, float]
    phases_warm: dict[str, float]
    snapshot_cold: str
    snapshot_warm: str
    baseline_cold_throttled: float  # first visits over the emulated line
    ready_cold_throttled: float


def first_page(context: BrowserContext) -> Page:
    return context.pages[0] if context.pages else context.new_page()


def measure_baseline(driver: Driver, url: str, settle_s: float) -> tuple[float, float]:
    with fresh_profile(driver) as context:
        page = first_page(context)
        cold = timed_load(page, url)
        page.wait_for_timeout(settle_s * 1000)
        warm = timed_load(page, url)
    return cold, warm


def measure_throttled(driver: Driver, url: str, line: dict[str, Any]) -> float:
    """Seconds to ready of a first visit (fresh profile) over the emulated `line`."""
    with fresh_profile(driver) as context:
        page = first_page(context)
        session = context.new_cdp_session(page)
        session.send("Network.enable")
        session.send("Network.emulateNetworkConditions", line)
        try:
            return timed_load(page, url)
        finally:
            session.detach()


def worker_report(page: Page) -> tuple[dict[str, float], str]:
    """What the page's assessor worker reported: milliseconds since navigation (worker created,
    its ready message) plus its own timings; and how it used its memory snapshot ("taken",
    "restored", "none", or "?" when it did not say)."""
    entry: dict[str, Any] = page.evaluate("window.benchWorker") or {}
    phases: dict[str, float] = {}
    if "created" in entry:
        phases["worker_created_ms"] = float(entry["created"])
    if "at" in entry:
        phases["worker_ready_ms"] = float(entry["at"])
    for name, value in (entry.get("timings") or {}).items():
        phases[f"worker_{name}_ms"] = float(value)
    return phases, str(entry.get("snapshot") or "?")


def measure_assessor(
    driver: Driver, base_url: str, settle_s: float
) -> tuple[float, float, Transfer, dict[str, float], dict[str, float], str, str]:
    with fresh_profile(driver) as context:
        transfer = Transfer().attach(context)
        page = first_page(context)
        cold = timed_load(page, base_url + ASSESSOR_PATH)
        transfer.collect(page)
        phases_cold, snapshot_cold = worker_report(page)
        if snapshot_cold == "taken":
            page.wait_for_function(SNAPSHOT_STORED_JS, timeout=READY_TIMEOUT_S * 1000)
        page.wait_for_timeout(settle_s * 1000)
        warm = timed_load(page, base_url + ASSESSOR_PATH)
        phases_warm, snapshot_warm = worker_report(page)
    return cold, warm, transfer, phases_cold, phases_warm, snapshot_cold, snapshot_warm


def measure_pairs(
    driver: Driver, base_url: str, runs: int, line: dict[str, Any], settle_s: float
) -> list[PairResult]:
    results: list[PairResult] = []
    for i in range(runs):
        # Rotate the order so slow drift of the machine does not favour one page.
        steps: list[tuple[str, Callable[[], Any]]] = [
            ("baseline", lambda: measure_baseline(driver, base_url + BASELINE_PATH, settle_s)),
            (
                "bytecode",
                lambda: measure_baseline(driver, base_url + BYTECODE_BASELINE_PATH, settle_s),
            ),
            ("assessor", lambda: measure_assessor(driver, base_url, settle_s)),
            (
                "baseline_throttled",
                lambda: measure_throttled(driver, base_url + BASELINE_PATH, line),
            ),
            (
                "assessor_throttled",
                lambda: measure_throttled(driver, base_url + ASSESSOR_PATH, line),
            ),
        ]
        steps = steps[i % len(steps) :] + steps[: i % len(steps)]
        got = {name: step() for name, step in steps}
        (b_cold, b_warm), (c_cold, c_warm) = got["baseline"], got["bytecode"]
        a_cold, a_warm, transfer, phases_cold, phases_warm, snap_cold, snap_warm = got["assessor"]
        b_slow, a_slow = got["baseline_throttled"], got["assessor_throttled"]
        results.append(
            PairResult(
                baseline_cold=b_cold,
                baseline_warm=b_warm,
                bytecode_cold=c_cold,
                bytecode_warm=c_warm,
                ready_cold=a_cold,
                ready_warm=a_warm,
                transfer=transfer,
                phases_cold=phases_cold,
                phases_warm=phases_warm,
                snapshot_cold=snap_cold,
                snapshot_warm=snap_warm,
                baseline_cold_throttled=b_slow,
                ready_cold_throttled=a_slow,
            )
        )
        log(
            f"run {i + 1}/{runs}: baseline {b_cold:.2f}/{b_warm:.2f} s, "
            f"with bytecode {c_cold:.2f}/{c_warm:.2f} s, "
            f"assessor {a_cold:.2f}/{a_warm:.2f} s (cold/warm); "
            f"throttled first visit: baseline {b_slow:.2f} s, assessor {a_slow:.2f} s"
        )
    return results


# Changes one answer at a time, as a reader would (click another radio option, toggle a checkbox,
# pick another option), and times each change until the assessor has rendered the new result.
# Answers in every step of the form are changed; the step is shown before the change is timed.
# The result counts as rendered at the first DOM change the page makes for it: the root's
# `data-last-latency-ms` attribute, which assessor.js sets right before it renders a response,
# and the results region (its render is synchronous, so the observer's callback runs after it),
# or a `prodready:rendered` event on the root if the page dispatches one.
EVAL_JS = """\
async ({ n, timeoutMs }) => {
  const root = document.getElementById("prodready-assessor");
  if (!root) throw new Error("no #prodready-assessor on the page");
  // The report's verdict (the live summary carries data-verdict too, outside the results).
  const verdict = root.querySelector("section [data-verdict]") ?? root.querySelector("[data-verdict]");
  const results = verdict?.closest("section") ?? root;
  // A question that applies, in any step of the form (the page shows one step at a time), and
  // not inside a closed group of options.
  const visible = (el) => !el.disabled && !el.closest("[data-question][hidden], details:not([open])")
    && (el.getClientRects().length > 0 || !!el.closest("form[data-section][hidden]"));
  // The step that holds an answer is shown (by its link, as a reader does) before it is timed.
  const showStep = (el) => {
    const form = el.closest("form[data-section]");
    if (form && form.hidden) root.querySelector(`[data-step="${form.dataset.section}"] a`)?.click();
  };
  const choices = () => {
    const seen = new Set();
    const out = [];
    for (const el of root.querySelectorAll("input[type=radio], input[type=checkbox], select")) {
      if (!visible(el) || el.closest("[data-bench-skip]")) continue;
      const key = el.type === "radio" ? `radio:${el.name}` : el;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(el);
    }
    return out;
  };
  const change = (el) => {
    if (el.tagName === "SELECT") {
      el.selectedIndex = (el.selectedIndex + 1) % el.options.length;
      el.dispatchEvent(new Event("input", { bubbles: true }));
      el.dispatchEvent(new Event("change", { bubbles: true }));
    } else if (el.type === "radio") {
      const group = [...root.querySelectorAll(`input[type=radio][name="${CSS.escape(el.name)}"]`)]
        .filter(visible);
      const current = group.findIndex((r) => r.checked);
      group[(current + 1) % group.length].click();
    } else {
      el.click();
    }
  };
  const rendered = () => new Promise((resolve, reject) => {
    const observers = [];
    const finish = (how) => {
      clearTimeout(timer);
      root.removeEventListener("prodready:rendered", onEvent);
      for (const observer of observers) observer.disconnect();
      how instanceof Error ? reject(how) : resolve(how);
    };
    const onEvent = () => finish("event");
    const timer = setTimeout(() => finish(new Error(`no new result within ${timeoutMs} ms`)),
      timeoutMs);
    root.addEventListener("prodready:rendered", onEvent);
    const watch = (target, options, how) => {
      const observer = new MutationObserver(() => finish(how));
      observer.observe(target, options);
      observers.push(observer);
    };
    watch(root, { attributes: true, attributeFilter: ["data-last-latency-ms"] }, "latency-attribute");
    watch(results, { subtree: true, childList: true, attributes: true, characterData: true },
      "results-region");
  });
  const deadline = performance.now() + timeoutMs;
  while (verdict && !verdict.getAttribute("data-verdict")) {
    if (performance.now() > deadline) throw new Error("no verdict for the loaded answers");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const times = [];
  const how = {};
  for (let i = 0; i < n; i++) {
    const all = choices();
    if (!all.length) throw new Error("the assessor form has no answer to change");
    showStep(all[i % all.length]);
    const done = rendered();
    const started = performance.now();
    change(all[i % all.length]);
    const kind = await done;
    times.push(performance.now() - started);
    how[kind] = (how[kind] ?? 0) + 1;
  }
  return { times, how };
}
"""
# A complete answer set (the CLI reference's example), opened as a share link so that the page
# starts from a verdict.
EVAL_ANSWERS = ROOT / "engine" / "prodready" / "examples" / "support-chatbot.json"


def share_fragment(answers: Path) -> str:
    """The assessor's share-link fragment for an answers file: #a=1.<base64url of the JSON>."""
    doc = json.loads(answers.read_text(encoding="utf-8"))
    data = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()
    return "#a=1." + base64.urlsafe_b64encode(data).decode().rstrip("=")


def measure_eval(driver: Driver, base_url: str, changes: int) -> tuple[list[float], dict[str, int]]:
    """Milliseconds from one changed answer to the new result on the page, `changes` times."""
    with fresh_profile(driver) as context:
        page = first_page(context)
        timed_load(page, base_url + ASSESSOR_PATH + share_fragment(EVAL_ANSWERS))
        # A few changes first: the engine's first evaluations warm its caches.
        page.evaluate(EVAL_JS, {"n": 10, "timeoutMs": 10000})
        outcome: dict[str, Any] = page.evaluate(EVAL_JS, {"n": changes, "timeoutMs": 10000})
    return [float(t) for t in outcome["times"]], dict(outcome["how"])


def measure_guide(driver: Driver, base_url: str, sizes: Sizes, idle_s: float) -> dict[str, int]:
    """Runtime bytes each guide page downloads within `idle_s` of loading, untouched."""
    found: dict[str, int] = {}
    for path in GUIDE_PATHS:
        with fresh_profile(driver) as context:
            transfer = Transfer().attach(context)
            page = first_page(context)
            page.goto(base_url + path, wait_until="load")
            page.wait_for_timeout(idle_s * 1000)
            transfer.collect(page)
        runtime = [
            (url, status) for url, status in transfer.finished if RUNTIME_FILE.search(url_path(url))
        ]
        started = [url for url, _ in transfer.failed if RUNTIME_FILE.search(url_path(url))]
        found["/" + path] = sum(sizes.of(url, status)[0] for url, status in runtime)
        if started:
            log(f"guide page /{path} started (but did not finish) runtime requests: {started}")
    return found


# --------------------------------------------------------------------------------------------
# Lighthouse


def lighthouse_available() -> str | None:
    """None when Lighthouse can run, else why not."""
    if not LIGHTHOUSE.exists():
        return 'not installed (add "lighthouse": "12.2.3" to devDependencies in package.json)'
    return None


def run_lighthouse(url: str, out_dir: Path, runs: int) -> dict[str, int]:
    scores: dict[str, list[int]] = {c: [] for c in LIGHTHOUSE_CATEGORIES}
    for i in range(runs):
        report = out_dir / f"lighthouse-{len(list(out_dir.iterdir()))}.json"
        proc = subprocess.run(
            [
                str(LIGHTHOUSE),
                url,
                "--output=json",
                f"--output-path={report}",
                f"--only-categories={','.join(LIGHTHOUSE_CATEGORIES)}",
                f"--chrome-flags={LIGHTHOUSE_CHROME_FLAGS}",
                "--quiet",
            ],
            env={**os.environ, "CHROME_PATH": chromium_path()},
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0 or not report.exists():
            raise BenchError(f"lighthouse failed on {url}:\n{proc.stderr[-2000:]}")
        categories = json.loads(report.read_text(encoding="utf-8"))["categories"]
        for name in LIGHTHOUSE_CATEGORIES:
            score = categories[name]["score"]
            scores[name].append(round(100 * score) if score is not None else 0)
        log(
            f"lighthouse {url} ({i + 1}/{runs}): "
            + ", ".join(f"{k} {v[-1]}" for k, v in scores.items())
        )
    return {name: int(statistics.median(values)) for name, values in scores.items()}


# --------------------------------------------------------------------------------------------
# Machine


def machine(chromium_version: str) -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory_gb: float | None = None
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        match = re.search(r"MemTotal:\s+(\d+) kB", meminfo.read_text(encoding="utf-8"))
        if match:
            memory_gb = round(int(match.group(1)) / 1024 / 1024, 1)
    os_name = platform.platform()
    release = Path("/etc/os-release")
    if release.exists():
        match = re.search(r'^PRETTY_NAME="?([^"\n]+)', release.read_text(), re.MULTILINE)
        if match:
            os_name = f"{match.group(1)} ({platform.system()} {platform.release()})"
    manifest = json.loads((ROOT / "docs" / RUNTIME_DIR / "manifest.json").read_text())
    node = subprocess.run(["node", "--version"], capture_output=True, text=True, check=False)
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": memory_gb,
        "os": os_name,
        "chromium": chromium_version,
        "pyodide": manifest.get("pyodide"),
        "python_in_browser": manifest.get("python"),
        "node": node.stdout.strip() or None,
    }


# --------------------------------------------------------------------------------------------
# Experiments: variants of the built site, applied to the benchmark's own copy only. Each adopted
# optimisation can be undone on its own (`no-snapshot`, `loadpackage`, `plain-wheel`,
# `debounce-choices`, `no-preload-hints`, `no-stdlib-bytecode`), so that a run with and one
# without show what it is worth on the machine at hand; `preload` and `no-search` measure ideas
# that were not adopted.


def _insert_in_head(page: Path, markup: str) -> None:
    html = page.read_text(encoding="utf-8")
    if "</head>" not in html:
        raise BenchError(f"{page} has no </head>")
    page.write_text(html.replace("</head>", markup + "</head>", 1), encoding="utf-8")


def _patch(path: Path, replacements: Sequence[tuple[str, str]], experiment: str) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in replacements:
        if old not in text:
            raise BenchError(f"experiment {experiment}: {path.name} no longer contains {old!r}")
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


def experiment_preload(site: Path) -> None:
    """Start fetching the runtime from the assessor page's <head>, before any script runs.

    Rejected: a worker does not reuse what its page preloaded."""
    runtime = "../assets/runtime/"
    record = engine_files(site / RUNTIME_DIR)
    _insert_in_head(
        site / ASSESSOR_PATH / "index.html",
        f'<link rel="modulepreload" href="{runtime}pyodide.mjs">'
        f'<link rel="modulepreload" href="{runtime}pyodide.asm.mjs">'
        f'<link rel="preload" href="{runtime}pyodide.asm.wasm" as="fetch" crossorigin>'
        f'<link rel="preload" href="{runtime}{record["stdlib"]["file"]}" as="fetch" crossorigin>',
    )


def experiment_plain_wheel(site: Path) -> None:
    """Undo the wheel's start-up aids: the engine wheel as pip builds it, without bytecode
    (Pyodide then compiles every module at each start: it never writes bytecode) and without
    the pre-parsed rules (data/compiled.json: the TOML files are parsed instead)."""
    runtime = site / RUNTIME_DIR
    lock_path = runtime / "pyodide-lock.json"
    lock = json.loads(lock_path.read_text(encoding="utf-8"))
    entry = lock["packages"]["prodready"]
    wheel = runtime / entry["file_name"]
    with zipfile.ZipFile(wheel) as source:
        kept = [
            i
            for i in source.infolist()
            if "/__pycache__/" not in i.filename and not i.filename.endswith("/compiled.json")
        ]
        if len(kept) == len(source.infolist()):
            raise BenchError("experiment plain-wheel: the engine wheel has nothing to remove")
        members = [(info, source.read(info)) for info in kept]
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as out:
        for info, body in members:
            out.writestr(info, body)
    entry["sha256"] = hashlib.sha256(wheel.read_bytes()).hexdigest()
    lock_path.write_text(json.dumps(lock, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    # The worker takes the engine's files from the archive made of the locked wheels.
    record = engine_files(runtime)
    wheels = [runtime / e["file_name"] for e in lock["packages"].values()]
    write_record(runtime, write_engine_archive(runtime, wheels), wheels, record.get("stdlib"))


def experiment_loadpackage(site: Path) -> None:
    """Undo the prefetched engine: Pyodide's package loader installs the wheels after start-up.

    This also undoes the memory snapshot, which needs the prefetched engine (see the worker)."""
    _patch(
        site / "assets" / "js" / "worker" / "start.mjs",
        [
            ("    fsInit: writer.fsInit,\n", "    packages: [ENGINE_PACKAGE],\n"),
            (
                "  const prefetched = prefetchEngine(lock, record);\n",
                '  const prefetched = Promise.resolve({ problem: "experiment loadpackage" });\n',
            ),
        ],
        "loadpackage",
    )


def experiment_no_snapshot(site: Path) -> None:
    """Undo the memory snapshot: every visit starts Python from scratch."""
    _patch(
        site / "assets" / "js" / "worker" / "start.mjs",
        [
            (
                "  const keyed = snapshotKey(lock, runtime, stdlib);\n",
                '  const keyed = Promise.resolve({ problem: "experiment no-snapshot" });\n',
            )
        ],
        "no-snapshot",
    )


def experiment_debounce_choices(site: Path) -> None:
    """Undo the immediate assessment of choices: every change waits for the typing debounce."""
    _patch(
        site / "assets" / "js" / "assessor.js",
        [("    this.changed(choice, doc);\n", "    this.changed(false, doc);\n")],
        "debounce-choices",
    )


def experiment_no_preload_hints(site: Path) -> None:
    """Undo the preload hints before the pages' <meta> Content-Security-Policy (see
    engine/prodready_site/hooks.py): the scripts after the theme's bundle are found by the parser, one by one."""
    hint = re.compile(r'<link rel="(?:preload|modulepreload)" href="[^"]*"(?: as="script")?>')
    changed = 0
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        csp = CSP_META.search(html)
        if not csp:
            continue
        head, count = hint.subn("", html[: csp.start()])
        if count:
            page.write_text(head + html[csp.start() :], encoding="utf-8")
            changed += 1
    if not changed:
        raise BenchError("experiment no-preload-hints: no page has preload hints")


def experiment_no_search(site: Path) -> None:
    """The assessor page without the theme's search (its worker builds the index at load)."""
    page = site / ASSESSOR_PATH / "index.html"
    html = page.read_text(encoding="utf-8")
    html, count = re.subn(r'"search": "[^"]*", ', "", html)
    if count != 1:
        raise BenchError("experiment no-search: no search entry in the page's __config")
    page.write_text(html, encoding="utf-8")


def experiment_no_stdlib_bytecode(site: Path) -> None:
    """Undo the standard library's start-up bytecode: the worker loads Pyodide's own archive,
    as it does when engine-files.json names no usable one."""
    path = site / RUNTIME_DIR / "engine-files.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    if record.pop("stdlib", None) is None:
        raise BenchError("experiment no-stdlib-bytecode: engine-files.json names no stdlib")
    path.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")


EXPERIMENTS: dict[str, Callable[[Path], None]] = {
    "debounce-choices": experiment_debounce_choices,
    "loadpackage": experiment_loadpackage,
    "no-preload-hints": experiment_no_preload_hints,
    "no-search": experiment_no_search,
    "no-snapshot": experiment_no_snapshot,
    "no-stdlib-bytecode": experiment_no_stdlib_bytecode,
    "plain-wheel": experiment_plain_wheel,
    "preload": experiment_preload,
}


# --------------------------------------------------------------------------------------------
# Report


def lookup(result: dict[str, Any], dotted: str) -> Any:
    value: Any = result
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def check_targets(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    checked: dict[str, dict[str, Any]] = {}
    for name, (op, target) in TARGETS.items():
        value = lookup(result, name)
        if not isinstance(value, int | float):
            passed: bool | None = None
        elif op == "<=":
            passed = value <= target
        elif op == ">=":
            passed = value >= target
        else:
            passed = value == target
        checked[name] = {"target": f"{op} {target:g}", "value": value, "pass": passed}
    return checked


def markdown_table(result: dict[str, Any]) -> str:
    stats: dict[str, dict[str, Any]] = result["stats"]
    lines = ["| Measurement | Median | Min | Max | Runs |", "|---|--:|--:|--:|--:|"]
    for name, s in stats.items():
        lines.append(f"| `{name}` | {s['median']:g} | {s['min']:g} | {s['max']:g} | {s['n']} |")
    lines += ["", "| Target | Value | Wanted | Pass |", "|---|--:|--:|:-:|"]
    for name, t in result["targets"].items():
        mark = {True: "yes", False: "**no**", None: "n/a"}[t["pass"]]
        value = t["value"] if t["value"] is not None else "n/a"
        lines.append(f"| `{name}` | {value} | {t['target']} | {mark} |")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="scripts/bench", description="Benchmark the ProdReady site and its assessor."
    )
    parser.add_argument("--runs", type=int, default=5, help="cold/warm pairs (default 5)")
    parser.add_argument("--builds", type=int, default=None, help="timed builds (default 3)")
    parser.add_argument("--evals", type=int, default=None, help="answer changes (default 200)")
    parser.add_argument(
        "--lighthouse-runs", type=int, default=None, help="Lighthouse runs per page (default 3)"
    )
    parser.add_argument("--no-lighthouse", action="store_true", help="skip Lighthouse")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke run: 1 build, 20 evaluations, no Lighthouse (figures are not comparable)",
    )
    parser.add_argument(
        "--experiment",
        action="append",
        default=[],
        choices=sorted(EXPERIMENTS),
        help="apply a variant to the benchmark's copy of the built site (repeatable)",
    )
    parser.add_argument(
        "--guide-idle",
        type=float,
        default=None,
        help=f"seconds a guide page is watched for runtime downloads (default {GUIDE_IDLE_S:g})",
    )
    parser.add_argument(
        "--settle",
        type=float,
        default=SETTLE_S,
        help=f"seconds between a cold load and the warm one (default {SETTLE_S:g})",
    )
    parser.add_argument(
        "--line-mbit",
        type=float,
        default=OFFICE_LINE_MBIT,
        help=f"download speed of the emulated line, Mbit/s (default {OFFICE_LINE_MBIT:g})",
    )
    parser.add_argument(
        "--browser",
        choices=sorted(BROWSERS),
        default="readers",
        help="the Chromium driven: the readers' (default), or the tests' (their smoke run)",
    )
    parser.add_argument("--json", type=Path, help="write the results as JSON to this file")
    parser.add_argument("--keep", type=Path, help="keep the built site and reports in this folder")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.line_mbit <= 0:
        parser.error("--line-mbit must be positive")
    if args.settle < 0:
        parser.error("--settle cannot be negative")
    args.builds = args.builds or (1 if args.quick else 3)
    args.evals = args.evals or (20 if args.quick else 200)
    args.lighthouse_runs = args.lighthouse_runs or (1 if args.runs < 3 else 3)
    args.guide_idle = args.guide_idle or (2.0 if args.quick else GUIDE_IDLE_S)
    if args.quick:
        args.no_lighthouse = True
    return args


def median_phases(samples: list[dict[str, float]]) -> dict[str, float]:
    keys = sorted({key for sample in samples for key in sample})
    return {key: round(statistics.median(s[key] for s in samples if key in s)) for key in keys}


def run(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    site = work / "site"
    server = cacheable_server(site)
    base_url = server.url
    stats: dict[str, Series] = {}
    result: dict[str, Any] = {}
    line = throttle(args.line_mbit)  # the emulated line of the throttled first visits
    load_before = os.getloadavg()
    # The browser is looked for before anything is built: a missing one fails the run at once.
    executable, browser_args = BROWSERS[args.browser]()
    if why := missing_chromium(executable):
        raise BenchError(why)

    log(f"building the site {args.builds}x")
    stats["build_s"] = build(site, base_url, args.builds)
    write_bench_pages(site)
    for name in args.experiment:
        log(f"experiment: {name}")
        EXPERIMENTS[name](site)
    sizes = Sizes(site)

    with server:
        with sync_playwright() as pw:
            driver = Driver(pw, executable, browser_args)
            browser = pw.chromium.launch(executable_path=driver.executable, args=driver.args)
            chromium_version = browser.version
            browser.close()

            log(f"cold/warm loads, {args.runs} pairs")
            pairs = measure_pairs(driver, base_url, args.runs, line, args.settle)
            stats["baseline_cold_s"] = Series([p.baseline_cold for p in pairs])
            stats["baseline_warm_s"] = Series([p.baseline_warm for p in pairs])
            stats["ready_cold_s"] = Series([p.ready_cold for p in pairs])
            stats["ready_warm_s"] = Series([p.ready_warm for p in pairs])
            stats["ratio_cold"] = Series([p.ready_cold / p.baseline_cold for p in pairs])
            stats["ratio_warm"] = Series([p.ready_warm / p.baseline_warm for p in pairs])
            # The same against the bare runtime on the site's own standard library (not targets).
            stats["baseline_bytecode_cold_s"] = Series([p.bytecode_cold for p in pairs])
            stats["baseline_bytecode_warm_s"] = Series([p.bytecode_warm for p in pairs])
            stats["ratio_bytecode_cold"] = Series([p.ready_cold / p.bytecode_cold for p in pairs])
            stats["ratio_bytecode_warm"] = Series([p.ready_warm / p.bytecode_warm for p in pairs])
            # First visits over an office line (--line-mbit), against the bare runtime likewise.
            stats["ready_cold_throttled_s"] = Series([p.ready_cold_throttled for p in pairs])
            stats["baseline_cold_throttled_s"] = Series([p.baseline_cold_throttled for p in pairs])
            stats["ratio_cold_throttled"] = Series(
                [p.ready_cold_throttled / p.baseline_cold_throttled for p in pairs]
            )
            result["assessor_phases_cold_ms"] = median_phases([p.phases_cold for p in pairs])
            result["assessor_phases_warm_ms"] = median_phases([p.phases_warm for p in pairs])
            # How many first and later visits took / started from a memory snapshot.
            result["assessor_snapshot"] = {
                "cold": dict(Counter(p.snapshot_cold for p in pairs)),
                "warm": dict(Counter(p.snapshot_warm for p in pairs)),
            }

            transfer = pairs[-1].transfer
            requests = [
                {"path": url_path(url), "status": status, "bytes": raw, "gzip_bytes": gz}
                for url, status in transfer.finished
                for raw, gz in [sizes.of(url, status)]
            ]
            result["assessor_transfer_bytes"] = sum(r["bytes"] for r in requests)
            result["assessor_transfer_gzip_bytes"] = sum(r["gzip_bytes"] for r in requests)
            result["assessor_requests"] = requests
            result["assessor_cancelled_requests"] = [
                {"path": url_path(url), "failure": why} for url, why in transfer.failed
            ]

            log(f"answer changes, {args.evals}")
            evals, observed_by = measure_eval(driver, base_url, args.evals)
            result["eval_observed_by"] = observed_by
            stats["eval_ms"] = Series(evals)
            result["eval_median_ms"] = round(statistics.median(evals), 2)
            result["eval_p95_ms"] = round(percentile(evals, 95), 2)

            log("guide pages, idle")
            guide = measure_guide(driver, base_url, sizes, args.guide_idle)
            result["guide_runtime_bytes"] = sum(guide.values())
            result["guide_runtime_bytes_by_page"] = guide

        why_not = lighthouse_available()
        if args.no_lighthouse:
            result["lighthouse"] = "skipped (--no-lighthouse or --quick)"
        elif why_not:
            log(f"lighthouse: {why_not}")
            result["lighthouse"] = why_not
        else:
            reports = work / "lighthouse"
            reports.mkdir(exist_ok=True)
            result["lighthouse"] = {
                "home": run_lighthouse(base_url, reports, args.lighthouse_runs),
                "assessor": run_lighthouse(base_url + ASSESSOR_PATH, reports, args.lighthouse_runs),
            }

    digits = {"build_s": 2, "eval_ms": 2}
    summaries = {name: s.summary(digits.get(name, 3)) for name, s in stats.items()}
    headline = {name: s["median"] for name, s in summaries.items() if name != "eval_ms"}
    ordered: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "runs": args.runs,
        "quick": args.quick,
        "experiments": args.experiment,
        **headline,
        **result,
        "stats": summaries,
        "machine": {
            **machine(chromium_version),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
        },
        "method": {
            "cache_control": CACHE_CONTROL,
            "browser": args.browser,
            "settle_s": args.settle,
            "guide_idle_s": args.guide_idle,
            "guide_pages": ["/" + p for p in GUIDE_PATHS],
            "gzip": "each downloaded file gzip -6 compressed, binaries included",
            "throttled": line,
            "lighthouse": "lighthouse 12.2.3 defaults (mobile, simulated throttling), median",
        },
    }
    ordered["targets"] = check_targets(ordered)
    return ordered


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    if args.keep:
        if args.keep.exists() and any(args.keep.iterdir()):
            raise BenchError(f"--keep {args.keep}: the folder must be new or empty")
        args.keep.mkdir(parents=True, exist_ok=True)
        result = run(args, args.keep.resolve())
    else:
        with tempfile.TemporaryDirectory(prefix="prodready-bench-") as work:
            result = run(args, Path(work))
    print(markdown_table(result))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    log(f"done in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except BenchError as error:
        print(f"bench: error: {error}", file=sys.stderr)
        raise SystemExit(1) from None
