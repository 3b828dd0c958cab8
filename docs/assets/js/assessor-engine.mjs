/*
 * ProdReady assessor: the engine's side of the page (ES module). It starts the Web Worker that
 * runs the Python engine (assessor-worker.mjs; see its header for the message protocol), keeps its
 * state and routes requests and responses. It holds no decision logic and no DOM code: the page
 * script (assessor.js) renders; this module only moves messages.
 *
 * One instance per document: assessor.js asks for it once the page has been parsed, the worker
 * is created once the document has loaded (the `load` event; at once after an instant
 * navigation, whose document has long loaded), and after an instant navigation (Material re-runs
 * `document$` subscribers, not modules) the running engine is kept. Requests made before the
 * worker exists wait in `engine.queue` and are sent, in order, when it is created.
 *
 * Start-up is deliberately not earlier, and the worker compiles the runtime's WebAssembly itself.
 * Measured on two cores (see the Performance page): starting the worker from the <head> and
 * compiling the wasm on the page made the runtime compete with the page's own loading, so the
 * page was unresponsive for longer (Lighthouse performance 76 instead of 91) while the engine
 * was not ready sooner in proportion. Waiting for `load` rather than the end of parsing keeps
 * Python's start off the processors while the theme's start-up scripts run (Lighthouse on the
 * assessor page: median 91 instead of 88.5 over ten pairs of runs, total blocking time 361
 * instead of 440 ms). Later visits start from the worker's memory snapshot.
 */

import { REPORT_MS, SILENT_MS, STARTUP_MS } from "./assessor-limits.mjs";

const WORKER_URL = new URL("assessor-worker.mjs", import.meta.url);
export const PROTOCOL = 1;

export const engine = {
  worker: null,
  dead: false, // the worker could not be created or its script not loaded: nothing will answer
  state: "loading",
  message: "",
  detail: "",
  versions: null,
  snapshot: null, // "restored", "taken" or "none": see the worker's memory snapshot
  timer: null,
  nextId: 1,
  pending: new Map(), // request id -> callback(response object)
  queue: [], // messages for a worker not created yet (see startEngine)
  wanted: false, // startEngine has been called for this document
  view: null, // the bound page, told about state changes
  readyAt: 0,
};

function setEngineState(state, message, detail) {
  engine.state = state;
  engine.message = message || "";
  engine.detail = detail || "";
  if (state !== "loading" && engine.timer !== null) {
    clearTimeout(engine.timer);
    engine.timer = null;
  }
  if (state === "ready") engine.readyAt = performance.now();
  if (engine.view) engine.view.showEngineState();
}

/**
 * Gives up on a worker that cannot report, after `ms`: the worker enforces the start-up limits
 * itself and says what went wrong; the page only covers a worker whose files never arrive or that
 * never reports (assessor-limits.mjs).
 */
function watchWorker(ms, detail) {
  clearTimeout(engine.timer);
  engine.timer = setTimeout(() => {
    engine.timer = null;
    if (engine.state === "loading") {
      // A later "ready" from the worker still brings the page back (see the message handler).
      setEngineState(
        "failed",
        `The assessment engine did not start within ${Math.round(ms / 1000)} seconds.`,
        detail,
      );
    }
  }, ms);
}

function onWorkerMessage(event) {
  const data = event.data || {};
  if (data.type === "state") {
    if (data.state === "loading") {
      // The worker runs and its own deadline too: wait for its report, not less.
      watchWorker(STARTUP_MS + REPORT_MS, "no ready or failed message from the worker");
    } else if (data.state === "ready") {
      engine.versions = data.versions || null;
      engine.snapshot = data.snapshot || null;
      if (data.installProblem) console.info("prodready engine:", data.installProblem);
      if (data.snapshotProblem) console.info("prodready engine:", data.snapshotProblem);
      if (data.stdlibProblem) console.info("prodready engine:", data.stdlibProblem);
      setEngineState("ready");
    } else if (data.state === "failed") {
      if (data.detail) console.warn("prodready engine:", data.detail);
      setEngineState("failed", data.message, data.detail);
    }
  } else if (data.type === "response") {
    let response;
    try {
      response = JSON.parse(data.payload);
    } catch {
      return;
    }
    const callback = engine.pending.get(response && response.id);
    if (callback) {
      engine.pending.delete(response.id);
      callback(response);
    }
  }
}

/** The engine's answer format, for requests no engine will answer. */
function unavailable(id) {
  return { v: PROTOCOL, id, ok: false, error: { code: "runtime_unavailable" } };
}

/** Marks the engine dead and answers the requests still waiting: nothing else will. */
function giveUp(message, detail) {
  engine.dead = true;
  engine.queue.length = 0;
  setEngineState("failed", message, detail);
  for (const [id, callback] of engine.pending) {
    engine.pending.delete(id);
    callback(unavailable(id));
  }
}

function onWorkerError(event) {
  event.preventDefault();
  giveUp(
    "The assessment engine's script could not be loaded from this site.",
    event.message || "worker error event",
  );
}

/**
 * Starts the engine once per document, once the document has loaded; later calls do nothing.
 */
export function startEngine() {
  if (engine.wanted) return;
  engine.wanted = true;
  if (document.readyState === "complete") createWorker();
  else window.addEventListener("load", createWorker, { once: true });
}

function createWorker() {
  try {
    engine.worker = new Worker(WORKER_URL, { type: "module" });
  } catch (error) {
    engine.worker = { postMessage() {} };
    giveUp(
      "This browser could not start the assessment engine (module Web Workers are needed).",
      String(error),
    );
    return;
  }
  engine.worker.addEventListener("message", onWorkerMessage);
  engine.worker.addEventListener("error", onWorkerError);
  watchWorker(SILENT_MS, "the worker's files did not arrive (no loading message)");
  for (const message of engine.queue.splice(0)) engine.worker.postMessage(message);
}

/** Sends one request; `callback` gets the parsed response object. Returns the request id. */
export function request(body, callback) {
  const id = engine.nextId++;
  if (engine.dead) {
    setTimeout(() => callback(unavailable(id)), 0);
    return id;
  }
  engine.pending.set(id, callback);
  const message = { type: "request", payload: JSON.stringify({ v: PROTOCOL, id, ...body }) };
  if (engine.worker) engine.worker.postMessage(message);
  else engine.queue.push(message);
  return id;
}
