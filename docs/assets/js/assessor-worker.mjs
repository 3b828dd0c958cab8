/*
 * ProdReady assessor worker: runs the Python engine (package `prodready`) in self-hosted Pyodide.
 *
 * Start it as a MODULE worker (Pyodide 314 supports no other kind):
 *   new Worker(new URL("assessor-worker.mjs", import.meta.url), { type: "module" })
 * The runtime is loaded from ../runtime/ relative to this file (built by scripts/build-runtime);
 * nothing is fetched from any other host.
 *
 * This file is the message protocol and the worker's one state; the work is in worker/:
 *   start.mjs          start-up, step by step (the runtime, the snapshot, the engine)
 *   deadline.mjs       when start-up is stuck (limits shared with the page: assessor-limits.mjs)
 *   runtime-files.mjs  the runtime's files: wasm, standard library, the engine's archive
 *   snapshot.mjs       the memory snapshot kept in Cache Storage for later visits
 *
 * Protocol: one message type each way, plain JSON-compatible objects.
 *
 *   page -> worker   { type: "request", payload: "<JSON string>" }
 *       payload is handed unchanged to prodready.protocol.handle(message: str) -> str, e.g.
 *       '{"v":1,"id":7,"op":"assess","answers":{...},"format":"html"}'.
 *       Requests sent before the runtime is ready are queued and answered once it is.
 *
 *   worker -> page   { type: "state", state: "loading" | "ready" | "failed",
 *                      message?, detail?, versions?, timings? }
 *       "loading" is posted once the worker's own modules are loaded and its start-up deadline
 *       runs; then exactly one of "ready" or "failed" ("failed" alone when the worker's own
 *       modules cannot be loaded).
 *       ready:  versions = { pyodide, python, prodready, ...fields of the engine's `info` reply };
 *               timings  = { total, ...phases } in milliseconds since the worker started
 *                          (checked; restored, or runtime and snapshot when one was taken; engine);
 *               install  = "prefetched" (the fast path) or "loadPackage" (the fallback);
 *               installProblem = why the fast path was not taken (only with "loadPackage");
 *               stdlib   = the standard library's file: normally the one with bytecode for
 *                          start-up (python_stdlib-<hash>.zip), else Pyodide's python_stdlib.zip;
 *               stdlibProblem = why the one with bytecode was not used (only then);
 *               snapshot = "restored" (Python started from this browser's memory snapshot),
 *                          "taken" (one was made for later visits) or "none";
 *               snapshotProblem = why a stored snapshot was not used or none was taken.
 *       failed: message = one sentence for the reader, saying what is wrong and how to fix it;
 *               detail  = technical detail for the console / a bug report.
 *       A failure after "ready" (an uncaught error inside the worker) also posts "failed".
 *
 *   worker -> page   { type: "response", payload: "<JSON string>" }
 *       payload is the string returned by handle(), unchanged. When the engine cannot answer
 *       (runtime failed, Python raised, malformed message) the worker answers itself in the
 *       engine's format: '{"v":1,"id":<id or null>,"ok":false,"error":{"code":..,"message":..}}'
 *       with code "runtime_unavailable", "engine_exception" or "bad_message".
 *
 * Failure modes caught before they can hang Pyodide (loadPyodide() never settles when the wasm
 * cannot be instantiated): no WebAssembly; a Content-Security-Policy without 'wasm-unsafe-eval';
 * pyodide.asm.wasm missing, served with a type other than application/wasm, or not WebAssembly
 * (judged from the response Pyodide's own fetch receives: no extra request, and Chromium keeps
 * its cached compiled code); a failed wasm instantiation (reported at once); the standard
 * library's archive missing (reported at once: Pyodide only logs it, and Python then cannot
 * start); the engine not loading, neither from its archive nor through Pyodide's loader (e.g. a
 * wheel whose sha256 does not match pyodide-lock.json). Anything else fails start-up once the
 * deadline passes (deadline.mjs): never a silent hang. A stored memory snapshot that cannot be
 * used is dropped and Python starts the ordinary way (snapshot.mjs).
 */

// No static import, on purpose: a module worker downloads its static imports before it runs a
// line, which would put one more round trip before the runtime's first requests. So those start
// here, and the worker's own modules are imported alongside them, every one of them listed (not
// only start.mjs), so that none waits for the module that imports it.
const started = performance.now();
const RUNTIME_URL = new URL("../runtime/", import.meta.url);

function request(name) {
  const url = new URL(name, RUNTIME_URL);
  const response = fetch(url);
  response.catch(() => {}); // judged by the step that reads it (start.mjs)
  return { url, response };
}

const first = {
  lock: request("pyodide-lock.json"),
  record: request("engine-files.json"),
  loader: import(new URL("pyodide.mjs", RUNTIME_URL).href),
};
first.loader.catch(() => {}); // judged by start.mjs

const modules = Promise.all([
  import("./worker/start.mjs"),
  import("./worker/deadline.mjs"),
  import("./worker/runtime-files.mjs"),
  import("./worker/snapshot.mjs"),
  import("./worker/problem.mjs"),
  import("./assessor-limits.mjs"),
]);

const SCRIPT_MISSING = "The assessment engine's script could not be loaded from this site.";
const INTERNAL_ERROR = "The assessment engine stopped because of an internal error.";
const STDERR_LINES = 20;

/** Everything the worker keeps: what the page was told, and the engine once it is ready. */
const worker = {
  state: "loading", // "loading", "ready" or "failed"
  failure: null, // the reader's sentence, once failed
  engine: null, // { handle, distrust } once ready (see start.mjs)
  queue: [], // requests received while loading
  stderr: [], // the last lines Python wrote to stderr, added to a failure's detail
};

function post(message) {
  self.postMessage(message);
}

function respond(payload) {
  post({ type: "response", payload });
}

function requestId(payload) {
  try {
    const id = JSON.parse(payload)?.id;
    return typeof id === "number" || typeof id === "string" ? id : null;
  } catch {
    return null;
  }
}

function errorPayload(id, code, message) {
  return JSON.stringify({ v: 1, id, ok: false, error: { code, message } });
}

function fail(message, detail) {
  if (worker.state === "failed") return;
  worker.state = "failed";
  worker.failure = message;
  const tail = worker.stderr.length ? `\n${worker.stderr.join("\n")}` : "";
  post({ type: "state", state: "failed", message, detail: `${detail ?? ""}${tail}`.trim() });
  for (const payload of worker.queue.splice(0)) answer(payload);
}

function becomeReady({ engine, report }) {
  if (worker.state !== "loading") return;
  worker.state = "ready";
  worker.engine = engine;
  post({ type: "state", state: "ready", ...report });
  for (const payload of worker.queue.splice(0)) answer(payload);
}

function answer(payload) {
  if (typeof payload !== "string") {
    respond(errorPayload(null, "bad_message", "The request payload must be a JSON string."));
  } else if (worker.state === "loading") {
    worker.queue.push(payload);
  } else if (worker.state === "failed") {
    respond(errorPayload(requestId(payload), "runtime_unavailable", worker.failure));
  } else {
    respond(ask(worker.engine, payload));
  }
}

/** The engine's answer to `payload`; the engine answers every request, errors included. */
function ask(engine, payload) {
  let result;
  try {
    result = engine.handle(payload);
  } catch (error) {
    engine.distrust();
    // A Python exception arrives as a PythonError whose message is the traceback.
    const lines = String(error?.message ?? error).trim().split("\n");
    return errorPayload(requestId(payload), "engine_exception", lines[lines.length - 1]);
  }
  if (typeof result !== "string") {
    return errorPayload(requestId(payload), "engine_exception", "handle() returned no string");
  }
  return result;
}

function keepStderr(line) {
  worker.stderr.push(line);
  if (worker.stderr.length > STDERR_LINES) worker.stderr.shift();
}

self.addEventListener("message", (event) => {
  const data = event.data;
  if (data && data.type === "request") answer(data.payload);
});

// Reported here, so the page is not also sent the error event (which means a missing script).
self.addEventListener("error", (event) => {
  event.preventDefault();
  fail(INTERNAL_ERROR, String(event.error ?? event.message));
});

self.addEventListener("unhandledrejection", (event) => {
  event.preventDefault();
  fail(INTERNAL_ERROR, String(event.reason));
});

async function run() {
  let start;
  try {
    [{ start }] = await modules;
  } catch (error) {
    fail(SCRIPT_MISSING, String(error));
    return;
  }
  const starting = start(first, { stderr: keepStderr, started });
  post({ type: "state", state: "loading" });
  let result;
  try {
    result = await starting;
  } catch (problem) {
    fail(problem.message, problem.detail);
    return;
  }
  becomeReady(result);
  await result.afterReady();
}

run();
