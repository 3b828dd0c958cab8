"""The assessor's module worker starts self-hosted Pyodide in Chromium, answers requests, and fails
fast and clearly (within 15 s, never hanging) when the server or the browser gets in the way.

The worker and the runtime are served from a scratch directory laid out like the site
(assets/js/assessor-worker.mjs and its modules next to assets/runtime/), with a minimal page that
starts the worker and records every message it posts. No MkDocs build is needed.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

import prodready
from prodready_tools.bench import SNAPSHOT_CACHE
from prodready_tools.server import Response, SiteServer, make_server
from support.assessor import limits

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "docs" / "assets" / "js"
RUNTIME = ROOT / "docs" / "assets" / "runtime"
FAIL_WITHIN_S = 15.0
READY_WITHIN_S = 75.0  # the worker allows 60 s on a slow device; cold start is ~3 s unloaded

pytestmark = pytest.mark.browser

# Starts the worker at once, queues one request before it can be ready, and records everything.
PAGE_SCRIPT = """\
const events = [];
window.workerEvents = events;
const started = performance.now();
const worker = new Worker("assets/js/assessor-worker.mjs", { type: "module" });
worker.addEventListener("message", (event) => {
  events.push({ ...event.data, at: performance.now() - started });
});
worker.addEventListener("error", (event) => {
  events.push({ type: "worker-error", message: event.message, at: performance.now() - started });
});
window.sendRequest = (payload) => worker.postMessage({ type: "request", payload });
window.sendRequest(JSON.stringify({ v: 1, id: 1, op: "assess", answers: {} }));
"""

PAGE_HTML = """\
<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Assessor worker test</title>
<link rel="icon" href="data:,">
<script type="module" src="page.mjs"></script></head>
<body><main><h1>Assessor worker test</h1></main></body>
</html>
"""


@pytest.fixture(scope="module")
def runtime() -> Path:
    subprocess.run(
        ["bash", "-c", 'source "$1/scripts/_lib.sh" && ensure_node', "ensure_node", str(ROOT)],
        check=True,
    )
    subprocess.run([sys.executable, "-m", "prodready_tools.runtime"], check=True)
    return RUNTIME


@pytest.fixture(scope="module")
def site_root(runtime: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("worker-site")
    shutil.copytree(SCRIPTS, root / "assets" / "js")
    shutil.copytree(runtime, root / "assets" / "runtime")
    (root / "index.html").write_text(PAGE_HTML, encoding="utf-8")
    (root / "page.mjs").write_text(PAGE_SCRIPT, encoding="utf-8")
    return root


@pytest.fixture
def serve(site_root: Path) -> Iterator[Any]:
    servers: list[SiteServer] = []

    def start(**kwargs: Any) -> SiteServer:
        server = make_server(site_root, **kwargs).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


STATIC_IMPORT = re.compile(r'^import\s+(?:[^"]*?\s+from\s+)?"(\.{1,2}/[^"]+)"', re.M)
DYNAMIC_IMPORT = re.compile(r'\bimport\("(\.{1,2}/[^"]+)"\)')


def test_the_worker_imports_all_its_modules_with_its_first_requests() -> None:
    # A static import in the worker's script would be downloaded before its first line runs,
    # one more round trip before the runtime's first requests; a module imported only by another
    # would wait for that one. So the script imports every module itself, at once.
    entry = SCRIPTS / "assessor-worker.mjs"
    source = entry.read_text(encoding="utf-8")
    assert not STATIC_IMPORT.findall(source)
    listed = {(entry.parent / target).resolve() for target in DYNAMIC_IMPORT.findall(source)}
    needed: set[Path] = set()
    pending = list(listed)
    while pending:
        module = pending.pop()
        for target in STATIC_IMPORT.findall(module.read_text(encoding="utf-8")):
            imported = (module.parent / target).resolve()
            if imported not in needed:
                needed.add(imported)
                pending.append(imported)
    assert needed <= listed, sorted(str(p.relative_to(SCRIPTS)) for p in needed - listed)
    assert all(path.is_file() for path in listed)
    # Every module of the worker's folder is one of them.
    assert set((SCRIPTS / "worker").glob("*.mjs")) <= listed


def engine_files() -> dict[str, Any]:
    """The built runtime's engine-files.json (engine archive, standard library)."""
    record: dict[str, Any] = json.loads((RUNTIME / "engine-files.json").read_text(encoding="utf-8"))
    return record


def states(page: Page) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = page.evaluate("window.workerEvents")
    return [e for e in events if e["type"] in {"state", "worker-error"}]


def responses(page: Page) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = page.evaluate("window.workerEvents")
    return [json.loads(e["payload"]) for e in events if e["type"] == "response"]


def ask(page: Page, request: dict[str, Any]) -> dict[str, Any]:
    """Sends one request to the worker and returns its response."""
    page.evaluate("(payload) => window.sendRequest(payload)", json.dumps(request))
    page.wait_for_function(
        "(id) => window.workerEvents.some(e => e.type === 'response'"
        " && JSON.parse(e.payload).id === id)",
        arg=request["id"],
        timeout=10000,
    )
    return next(r for r in responses(page) if r["id"] == request["id"])


def wait_for_final_state(page: Page, within_s: float) -> dict[str, Any]:
    page.wait_for_function(
        "() => (window.workerEvents || []).some(e => "
        "(e.type === 'state' && e.state !== 'loading') || e.type === 'worker-error')",
        timeout=within_s * 1000,
    )
    final = [s for s in states(page) if s.get("state") != "loading"]
    assert len(final) == 1, states(page)
    return final[0]


def test_worker_starts_and_answers(page: Page, serve: Any) -> None:
    server = serve()
    page.goto(server.url)
    ready = wait_for_final_state(page, READY_WITHIN_S)
    assert ready["state"] == "ready", ready
    assert [s["state"] for s in states(page)] == ["loading", "ready"]
    # The engine's wheels were fetched with the runtime and unpacked before Python started, not
    # installed afterwards by Pyodide's package loader (the fallback).
    assert ready["install"] == "prefetched", ready
    # Python started on the standard library with bytecode for start-up, not Pyodide's own.
    record = engine_files()
    assert ready["stdlib"] == record["stdlib"]["file"], ready
    assert "stdlibProblem" not in ready, ready
    versions = ready["versions"]
    assert versions["python"].startswith("3.14.")
    assert versions["prodready"] == prodready.__version__
    assert (
        versions["pyodide"]
        == json.loads((ROOT / "package.json").read_text())["dependencies"]["pyodide"]
    )

    # The request sent before the runtime was ready was queued and answered.
    page.wait_for_function(
        "() => window.workerEvents.some(e => e.type === 'response')", timeout=5000
    )
    first = responses(page)[0]
    assert first["id"] == 1
    assert first["v"] == 1

    # A malformed request gets an ok:false response, not silence.
    page.evaluate("window.sendRequest('this is not JSON')")
    page.evaluate("window.sendRequest(JSON.stringify({ v: 1, id: 2, op: 'info' }))")
    page.wait_for_function(
        "() => window.workerEvents.filter(e => e.type === 'response').length >= 3", timeout=5000
    )
    malformed, info = responses(page)[1:3]
    assert malformed["ok"] is False
    assert malformed["error"]["message"]
    assert info["id"] == 2

    # Everything came from this server, and only runtime files the manifest lists: all of them
    # but the fallbacks: the wheels, whose files came in the engine's one archive (they are there
    # for Pyodide's package loader), and Pyodide's own standard library.
    manifest = json.loads((RUNTIME / "manifest.json").read_text(encoding="utf-8"))
    wheels = {package["file"] for package in manifest["packages"].values()}
    runtime_paths = [p for p in server.log.paths() if p.startswith("/assets/runtime/")]
    assert len(runtime_paths) == len(set(runtime_paths)), runtime_paths  # each file once
    fetched = {p.rsplit("/", 1)[1] for p in runtime_paths}
    expected = set(manifest["files"]) - wheels - {"python_stdlib.zip"}
    assert fetched == expected, fetched ^ expected
    assert all(status < 400 for _, _, status in server.log.entries), server.log.entries


def test_worker_runs_under_a_strict_csp_with_wasm_unsafe_eval(page: Page, serve: Any) -> None:
    csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'"
    server = serve(headers={"Content-Security-Policy": csp})
    page.goto(server.url)
    ready = wait_for_final_state(page, READY_WITHIN_S)
    assert ready["state"] == "ready", ready


def _truncated_wasm(path: str) -> Response:
    data = (RUNTIME / "pyodide.asm.wasm").read_bytes()[:4096]
    return Response(body=data, content_type="application/wasm")


# assessor-limits.mjs with a 2 s network deadline and a start-up limit far above it.
SHORT_LIMITS = {"*/assessor-limits.mjs": limits(silent_s=2, startup_s=30, report_s=5)}


def _stall(path: str) -> None:
    time.sleep(FAIL_WITHIN_S + 2)


SABOTAGE: dict[str, tuple[dict[str, Any], str]] = {
    "wasm-404": ({"overrides": {"*.wasm": Response(status=404)}}, "HTTP 404"),
    "wasm-as-text": (
        {"content_types": {".wasm": "text/plain"}},
        "sends pyodide.asm.wasm as text/plain; configure application/wasm",
    ),
    "csp-without-wasm-unsafe-eval": (
        {"headers": {"Content-Security-Policy": "default-src 'self'; script-src 'self'"}},
        "Content-Security-Policy blocks WebAssembly; allow 'wasm-unsafe-eval'",
    ),
    "wasm-rewritten": (
        {
            "overrides": {
                "*.wasm": Response(body=b"<!doctype html>", content_type="application/wasm")
            }
        },
        "not WebAssembly",
    ),
    "wasm-truncated": ({"overrides": {"*.wasm": _truncated_wasm}}, "instantiation failed"),
    "loader-404": ({"overrides": {"*/pyodide.mjs": Response(status=404)}}, "pyodide.mjs"),
    # One of the worker's own modules is missing: as if its script were.
    "worker-module-404": (
        {"overrides": {"*/worker/snapshot.mjs": Response(status=404)}},
        "script could not be loaded from this site",
    ),
    # Both ways in fail: the archive (its sha256 does not match) and then the wheel.
    "engine-files-tampered": (
        {
            "overrides": {
                "*/engine-*.tar.gz": Response(body=b"\x1f\x8b" + bytes(30)),
                "*/prodready-*.whl": Response(body=b"PK\x05\x06" + bytes(18)),
            }
        },
        "engine could not be loaded",
    ),
    # The server never answers: caught by the network deadline (SILENT_MS, served shorter here
    # so the test need not wait 12 s), not the overall one.
    "stdlib-stalls": (
        {"overrides": {"*/python_stdlib*.zip": _stall, **SHORT_LIMITS}},
        "did not start within 2 s",
    ),
    # Pyodide only logs this one, and Python cannot start without it.
    "stdlib-404": (
        {"overrides": {"*/python_stdlib*.zip": Response(status=404)}},
        "standard library is missing from the server: python_stdlib-",
    ),
    "runtime-module-stalls": (
        {"overrides": {"*/pyodide.asm.mjs": _stall, **SHORT_LIMITS}},
        "did not start within 2 s",
    ),
}


def test_engine_is_installed_by_pyodide_when_the_shortcut_fails(page: Page, serve: Any) -> None:
    # A lock entry the prefetch refuses (an upper-case sha256, which Pyodide's own loader still
    # accepts): the engine must then come through loadPackage(), and work.
    lock = json.loads((RUNTIME / "pyodide-lock.json").read_text(encoding="utf-8"))
    lock["packages"]["mdurl"]["sha256"] = lock["packages"]["mdurl"]["sha256"].upper()
    server = serve(
        overrides={
            "*/pyodide-lock.json": Response(
                body=json.dumps(lock).encode(), content_type="application/json"
            )
        }
    )
    page.goto(server.url)
    ready = wait_for_final_state(page, READY_WITHIN_S)
    assert ready["state"] == "ready", ready.get("detail")
    assert ready["install"] == "loadPackage", ready
    # The lock file is not usable for the prefetch, nor for a snapshot's key: none is taken.
    assert ready["snapshot"] == "none", ready
    assert "pyodide-lock.json has no usable entry" in ready["snapshotProblem"], ready
    assert "pyodide-lock.json has no usable entry" in ready["installProblem"], ready
    info = ask(page, {"v": 1, "id": 2, "op": "info"})
    assert info["ok"] is True, info


def _served_record(**changes: Any) -> Response:
    """engine-files.json as built, with `changes` applied."""
    record = engine_files()
    record.update(changes)
    return Response(body=json.dumps(record).encode(), content_type="application/json")


def _other_wheels(path: str) -> Response:
    record = engine_files()
    return _served_record(wheels=["0" * 64, *record["wheels"][1:]])


NOT_A_TAR = gzip.compress(b"this is not a tar archive\n" * 40)

# The engine's archive cannot be used: the engine comes through Pyodide's loader instead, and the
# ready message says why. (overrides, what the reason says)
ARCHIVE_PROBLEMS: dict[str, tuple[dict[str, Any], str]] = {
    "record-missing": ({"*/engine-files.json": Response(status=404)}, "HTTP 404"),
    # The browser refuses a body whose sha256 is not the recorded one (fetch integrity).
    "archive-tampered": (
        {"*/engine-*.tar.gz": Response(body=gzip.compress(bytes(1024)))},
        "not received as recorded",
    ),
    # A host that labels the archive as gzip-encoded: the browser unpacks it before the check.
    "archive-with-content-encoding": (
        {"*/engine-*.tar.gz": Response(headers={"Content-Encoding": "gzip"})},
        "not received as recorded",
    ),
    "archive-of-other-wheels": (
        {"*/engine-files.json": _other_wheels},
        "was not made from the wheels in pyodide-lock.json",
    ),
    "archive-not-tar": (
        {
            "*/engine-files.json": lambda path: _served_record(
                file="engine-other.tar.gz", sha256=hashlib.sha256(NOT_A_TAR).hexdigest()
            ),
            "*/engine-other.tar.gz": Response(body=NOT_A_TAR),
        },
        "not a ustar archive",
    ),
}


@pytest.mark.parametrize("case", ARCHIVE_PROBLEMS, ids=list(ARCHIVE_PROBLEMS))
def test_engine_archive_problems_fall_back_to_pyodides_loader(
    page: Page, serve: Any, case: str
) -> None:
    overrides, reason = ARCHIVE_PROBLEMS[case]
    server = serve(overrides=overrides)
    page.goto(server.url)
    ready = wait_for_final_state(page, READY_WITHIN_S)
    assert ready["state"] == "ready", ready.get("detail")
    assert ready["install"] == "loadPackage", ready
    assert reason in ready["installProblem"], ready
    # No snapshot is taken of a runtime whose engine came from Pyodide's loader.
    assert ready["snapshot"] == "none", ready
    info = ask(page, {"v": 1, "id": 2, "op": "info"})
    assert info["ok"] is True, info
    # The wheels were fetched by the loader instead.
    assert any(path.endswith(".whl") for path in server.log.paths()), server.log.paths()


# Without the engine's record, Python starts on Pyodide's own standard library, compiled from
# source: seconds in which the worker's thread is busy, longer than the network deadline served
# here (SHORT_LIMITS: 2 s). Then Pyodide's loader requests the wheels.
BUSY_START = {"*/engine-files.json": Response(status=404), **SHORT_LIMITS}


def test_a_start_busy_on_the_cpu_is_not_taken_for_a_silent_server(page: Page, serve: Any) -> None:
    # The wheels, requested just as the thread came free, were once reported as "still waiting
    # for the server", as if the busy seconds had been spent waiting for them.
    server = serve(overrides=BUSY_START)
    page.goto(server.url)
    ready = wait_for_final_state(page, READY_WITHIN_S)
    assert ready["state"] == "ready", ready.get("detail")
    assert ready["install"] == "loadPackage", ready
    # Otherwise this test shows nothing: the busy stretch outlasted the deadline.
    assert ready["timings"]["runtime"] > 2000, ready


def test_a_request_stalled_after_a_busy_start_is_reported_by_name(page: Page, serve: Any) -> None:
    # The wheel is held back until the test ends (the busy start alone may take over 10 s on a
    # loaded machine), then served as usual.
    released = threading.Event()

    def held_back(path: str) -> None:
        released.wait()

    server = serve(overrides={**BUSY_START, "*/prodready-*.whl": held_back})
    try:
        page.goto(server.url)
        final = wait_for_final_state(page, READY_WITHIN_S)
    finally:
        released.set()
    assert final["state"] == "failed", final
    assert "did not start within 2 s" in final["message"], final
    assert "still waiting for the server: prodready-" in final["detail"], final


@pytest.mark.parametrize(
    "stdlib",
    [None, {"file": "../python_stdlib-0123456789abcdef.zip", "sha256": "0" * 64}],
    ids=["record-without-stdlib", "stdlib-outside-the-runtime-folder"],
)
def test_without_a_usable_stdlib_record_pyodides_own_library_is_used(
    page: Page, serve: Any, stdlib: dict[str, str] | None
) -> None:
    record = engine_files()
    compiled = record.pop("stdlib")["file"]
    if stdlib is not None:
        record["stdlib"] = stdlib
    body = Response(body=json.dumps(record).encode(), content_type="application/json")
    server = serve(overrides={"*/engine-files.json": body})
    page.goto(server.url)
    ready = wait_for_final_state(page, READY_WITHIN_S)
    assert ready["state"] == "ready", ready.get("detail")
    assert ready["stdlib"] == "python_stdlib.zip", ready
    assert "names no usable standard library" in ready["stdlibProblem"], ready
    assert ready["install"] == "prefetched", ready  # the rest of the record was usable
    paths = server.log.paths()
    assert "/assets/runtime/python_stdlib.zip" in paths
    assert not any(compiled in path for path in paths), paths
    assert ask(page, {"v": 1, "id": 2, "op": "info"})["ok"] is True
    # A snapshot was taken of this runtime; its key names the library it was taken with.
    assert ready["snapshot"] == "taken", ready
    assert "-stdlib-stock-" in stored_snapshot(page)["url"]

    # With the usual record, that snapshot is not restored on a runtime that loads another
    # library (the snapshot holds zipimport's index of the one it was taken with).
    del server.overrides["*/engine-files.json"]
    page.reload()
    again = wait_for_final_state(page, READY_WITHIN_S)
    assert again["state"] == "ready", again
    assert again["stdlib"] == compiled, again
    assert again["snapshot"] == "taken", again
    tag = compiled.removeprefix("python_stdlib-").removesuffix(".zip")
    assert f"-stdlib-{tag}-" in stored_snapshot(page, containing=f"-stdlib-{tag}-")["url"]


@pytest.mark.parametrize("case", SABOTAGE, ids=list(SABOTAGE))
def test_worker_fails_fast_and_clearly(page: Page, serve: Any, case: str) -> None:
    server_kwargs, expected = SABOTAGE[case]
    # A bad engine wheel shows only once Python has started (CPU-bound, slow on a loaded runner);
    # every other case must fail within 15 s.
    budget_s = READY_WITHIN_S if case == "engine-files-tampered" else FAIL_WITHIN_S
    server = serve(**server_kwargs)
    page.goto(server.url)
    final = wait_for_final_state(page, budget_s)
    assert final["type"] == "state", final
    assert final["state"] == "failed", final
    assert expected in final["message"], final
    assert final["at"] < budget_s * 1000
    # The request queued before the failure is answered, not left pending.
    # A function, not an expression: Playwright re-evaluates an expression with eval() while it
    # polls, which the Content-Security-Policy of some cases forbids.
    page.wait_for_function(
        "() => window.workerEvents.some(e => e.type === 'response')", timeout=2000
    )
    (queued,) = responses(page)
    assert queued == {
        "v": 1,
        "id": 1,
        "ok": False,
        "error": {"code": "runtime_unavailable", "message": final["message"]},
    }


# ---------------------------------------------------------------------------------------------
# The memory snapshot kept in Cache Storage (see "Memory snapshot" in assessor-worker.mjs).

EXAMPLE = ROOT / "engine" / "prodready" / "examples" / "cv-screening.json"

SNAPSHOT_ENTRIES_JS = """async (name) => {
  const cache = await caches.open(name);
  const entries = [];
  for (const request of await cache.keys()) {
    const response = await cache.match(request);
    if (!response) continue; // deleted meanwhile: the worker replaces an older snapshot
    const bytes = (await response.arrayBuffer()).byteLength;
    entries.push({ url: request.url, bytes, declared: response.headers.get("X-Snapshot-Bytes") });
  }
  return entries;
}"""

# Which of `texts` occur in the stored snapshot's bytes (UTF-8).
SNAPSHOT_CONTAINS_JS = """async ([name, texts]) => {
  const cache = await caches.open(name);
  const [request] = await cache.keys();
  const bytes = new Uint8Array(await (await cache.match(request)).arrayBuffer());
  const haystack = new TextDecoder("latin1").decode(bytes);
  const latin1 = (text) => String.fromCharCode(...new TextEncoder().encode(text));
  return Object.fromEntries(texts.map((text) => [text, haystack.includes(latin1(text))]));
}"""

TAMPER_SNAPSHOT_JS = """async ([name, mode]) => {
  const cache = await caches.open(name);
  const [request] = await cache.keys();
  const bytes = new Uint8Array(await (await cache.match(request)).arrayBuffer());
  let body = bytes.slice();
  if (mode === "garbage") {
    body = new Uint8Array(bytes.length);
    crypto.getRandomValues(body.subarray(0, 65536));
  } else if (mode === "truncated") {
    body = bytes.slice(0, bytes.length / 2);
  } else if (mode === "other-build") {
    body[16] ^= 0xff; // the first byte of the build id Pyodide writes into the header
  }
  const headers = { "X-Snapshot-Bytes": String(bytes.length) };
  await cache.put(request, new Response(body, { headers }));
}"""


def stored_snapshot(page: Page, within_s: float = 20.0, containing: str = "") -> dict[str, Any]:
    """The one snapshot entry in Cache Storage, once the worker has stored it (and its key
    contains `containing`: an older entry is replaced only after the page is ready)."""
    deadline = time.monotonic() + within_s
    while True:
        entries: list[dict[str, Any]] = page.evaluate(SNAPSHOT_ENTRIES_JS, SNAPSHOT_CACHE)
        if any(containing in e["url"] for e in entries) or time.monotonic() > deadline:
            break
        time.sleep(0.25)
    assert len(entries) == 1, entries
    return entries[0]


def test_a_later_visit_starts_from_the_memory_snapshot_which_holds_no_answers(
    page: Page, serve: Any
) -> None:
    server = serve()
    marker = "answer-that-must-stay-out-of-the-snapshot-5f3a9c"
    example = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    render = {"v": 1, "id": 3, "op": "render", "answers": example, "format": "html"}

    page.goto(server.url)
    first = wait_for_final_state(page, READY_WITHIN_S)
    assert first["state"] == "ready", first
    assert first["snapshot"] == "taken", first
    marked_answers = {**example, "name": marker}
    marked = ask(page, {"v": 1, "id": 2, "op": "assess", "answers": marked_answers})
    assert marked["ok"] is True, marked
    first_report = ask(page, render)
    assert first_report["ok"] is True, first_report
    first_answers = responses(page)

    entry = stored_snapshot(page)
    pyodide_version = json.loads((ROOT / "package.json").read_text())["dependencies"]["pyodide"]
    record = engine_files()
    assert entry["url"].startswith(
        f"{server.url}assets/runtime/snapshot/pyodide-{pyodide_version}-"
        f"stdlib-{record['stdlib']['sha256'][:16]}-"
    )
    assert entry["declared"] == str(entry["bytes"])
    # Taken before any request was answered: the reader's answers are not in it; the engine is.
    found = page.evaluate(SNAPSHOT_CONTAINS_JS, [SNAPSHOT_CACHE, [marker, "prodready.protocol"]])
    assert found == {marker: False, "prodready.protocol": True}

    page.reload()
    later = wait_for_final_state(page, READY_WITHIN_S)
    assert later["state"] == "ready", later
    assert later["snapshot"] == "restored", later
    assert "snapshotProblem" not in later, later
    assert later["versions"] == first["versions"]
    # The same answers as from a fresh start, including the HTML report, whose renderer
    # (markdown-it-py) is imported only now, from the files unpacked into site-packages.
    again = ask(page, {"v": 1, "id": 2, "op": "assess", "answers": marked_answers})
    assert again == marked
    assert ask(page, render) == first_report
    assert responses(page)[0] == first_answers[0]  # the request queued before ready
    assert stored_snapshot(page)["url"] == entry["url"]  # kept, not re-made


# How a stored snapshot is broken, and what the worker says about it.
BROKEN = {
    "garbage": "invalid magic number",
    "truncated": "expected",
    "other-build": "build id mismatch",
}


def test_a_broken_snapshot_is_replaced_and_python_starts_fresh(
    page: Page, serve: Any, subtests: pytest.Subtests
) -> None:
    # One reader's profile: each kind of damage is done to the good snapshot that replaced the
    # one damaged before (so each replacement is shown to be a real snapshot, which the last
    # visit starts from).
    server = serve()
    page.goto(server.url)
    assert wait_for_final_state(page, READY_WITHIN_S)["snapshot"] == "taken"
    stored_snapshot(page)
    for mode, problem in BROKEN.items():
        with subtests.test(mode=mode):
            page.evaluate(TAMPER_SNAPSHOT_JS, [SNAPSHOT_CACHE, mode])
            page.reload()
            fresh = wait_for_final_state(page, READY_WITHIN_S)
            assert fresh["state"] == "ready", fresh
            assert fresh["snapshot"] == "taken", fresh
            assert "stored snapshot not used" in fresh["snapshotProblem"]
            assert problem in fresh["snapshotProblem"], fresh["snapshotProblem"]
            assert ask(page, {"v": 1, "id": 2, "op": "info"})["ok"] is True
            # The broken entry was replaced by a good one.
            entry = stored_snapshot(page)
            assert entry["declared"] == str(entry["bytes"])
    page.reload()
    assert wait_for_final_state(page, READY_WITHIN_S)["snapshot"] == "restored"
