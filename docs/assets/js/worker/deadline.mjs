/*
 * The start-up deadline. Start-up fails after SILENT_MS if a request has waited that long for the
 * server to start answering, or the runtime's WebAssembly step was not reached in that time (e.g.
 * the import of pyodide.asm.mjs hangs): a hang, reported fast. Otherwise downloads are flowing and
 * the rest is compiling and Python initialising on the CPU, which a slow connection or device can
 * stretch well past SILENT_MS, so it fails only after STARTUP_MS in all. The page waits for this
 * report with the same limits (assessor-limits.mjs), so it never gives up while the worker still
 * legitimately starts.
 *
 * To tell a stall from progress, the worker's global fetch and WebAssembly.instantiate* are
 * watched while it starts (restored afterwards): fetches still waiting for their response
 * headers, and whether the main wasm module is compiling. The watch also shows each fetch and the
 * compilation to an observer (runtime-files.mjs judges them).
 *
 * A wait is measured in time this thread was free to see an answer arrive. Python initialising
 * keeps it busy for seconds at a time (much longer on a slow device, or with Pyodide's own
 * standard library, which is compiled from source); a request made just before such a stretch
 * has not waited for the server all that time, and an answer that arrived during it is only seen
 * afterwards. So the deadline looks every TICK_MS, and a look that comes late counts as at most
 * LATE_MS of waiting.
 */

import { SILENT_MS, STARTUP_MS } from "../assessor-limits.mjs";
import { RuntimeProblem } from "./problem.mjs";

function urlOf(resource) {
  try {
    const target = resource instanceof Request ? resource.url : String(resource);
    return new URL(target, self.location.href);
  } catch {
    return null;
  }
}

const TICK_MS = 250;
const LATE_MS = 2 * TICK_MS;

/** A short name for a request in the report of a stall: its file, or its URL. */
function nameOf(url) {
  const name = url?.pathname.slice(url.pathname.lastIndexOf("/") + 1);
  return name || String(url ?? "a request");
}

/**
 * Watches start-up: `observer.fetched(url, responsePromise)` sees every fetch and
 * `observer.compiled(resultPromise)` the main wasm module's compilation. `track(promise, url)`
 * counts a request started before the watch (`url` a URL). `waiting()` lists what start-up
 * waits for on the network, each as { what, since } (performance.now()): requests still without
 * their response headers, and the WebAssembly step until it is reached.
 */
export function watchStartup(observer) {
  const originalFetch = globalThis.fetch;
  const wasm = typeof WebAssembly === "object" ? WebAssembly : {}; // absent: reported elsewhere
  const { instantiate, instantiateStreaming } = wasm;
  // The main wasm module being downloaded and compiled (or ready) ends this wait.
  const wasmStep = { what: "the runtime's wasm step, not reached", since: performance.now() };
  const waits = new Set([wasmStep]);
  const track = (request, url) => {
    const wait = { what: nameOf(url), since: performance.now() };
    waits.add(wait);
    const done = () => waits.delete(wait);
    request.then(done, done);
  };
  const compile = (result) => {
    waits.delete(wasmStep);
    observer.compiled(result);
    return result;
  };
  globalThis.fetch = function (...args) {
    const result = originalFetch.apply(this, args);
    const url = urlOf(args[0]);
    track(result, url);
    observer.fetched(url, result);
    return result;
  };
  // The main module arrives through instantiateStreaming (or, without a Response, as a large
  // buffer); small helper modules Pyodide builds for feature tests are left alone.
  if (instantiateStreaming) {
    wasm.instantiateStreaming = function (source, imports) {
      return compile(instantiateStreaming.call(wasm, source, imports));
    };
  }
  if (instantiate) {
    wasm.instantiate = function (...args) {
      const result = instantiate.apply(this, args);
      return (args[0]?.byteLength ?? 0) > 1e6 ? compile(result) : result;
    };
  }
  return {
    track,
    // A response that has not started, or the wasm step not reached; a body still streaming
    // counts as progress.
    waiting: () => [...waits],
    restore() {
      globalThis.fetch = originalFetch;
      if (instantiate) wasm.instantiate = instantiate;
      if (instantiateStreaming) wasm.instantiateStreaming = instantiateStreaming;
    },
  };
}

/** `expired` rejects with a RuntimeProblem when start-up is stuck (see above). */
export function deadline(watch) {
  const started = performance.now();
  const waited = new WeakMap(); // each wait (see watchStartup) -> ms of it this thread was free
  let last = started;
  let timer;
  const expired = new Promise((_, reject) => {
    const stuck = (ms, wait) =>
      reject(
        new RuntimeProblem(
          `The Python runtime did not start within ${ms / 1000} s.`,
          `start-up had not finished after ${ms} ms` +
            (wait ? ` (still waiting for the server: ${wait.what})` : ""),
        ),
      );
    const look = () => {
      const now = performance.now();
      let longest = null;
      for (const wait of watch.waiting()) {
        const free = Math.min(now - Math.max(last, wait.since), LATE_MS);
        waited.set(wait, (waited.get(wait) ?? 0) + free);
        if (!longest || waited.get(wait) > waited.get(longest)) longest = wait;
      }
      last = now;
      if (longest && waited.get(longest) >= SILENT_MS) return stuck(SILENT_MS, longest);
      if (now - started >= STARTUP_MS) return stuck(STARTUP_MS, longest);
      timer = setTimeout(look, TICK_MS);
    };
    timer = setTimeout(look, TICK_MS);
  });
  expired.catch(() => {}); // observed by every step it races with
  return { expired, cancel: () => clearTimeout(timer) };
}

/** `promise`, or the deadline's rejection if it comes first. */
export function within(limit, promise) {
  return Promise.race([promise, limit.expired]);
}
