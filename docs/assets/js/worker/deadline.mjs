/*
 * The start-up deadline. Start-up fails after SILENT_MS if the server has not answered a request
 * by then, or the runtime's WebAssembly step was not even reached (e.g. the import of
 * pyodide.asm.mjs hangs): a hang, reported fast. Otherwise downloads are flowing and the rest is
 * compiling and Python initialising on the CPU, which a slow connection or device can stretch
 * well past SILENT_MS, so it fails only after STARTUP_MS in all. The page waits for this report
 * with the same limits (assessor-limits.mjs), so it never gives up while the worker still
 * legitimately starts.
 *
 * To tell a stall from progress, the worker's global fetch and WebAssembly.instantiate* are
 * watched while it starts (restored afterwards): fetches still waiting for their response
 * headers, and whether the main wasm module is compiling. The watch also shows each fetch and the
 * compilation to an observer (runtime-files.mjs judges them).
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

/**
 * Watches start-up: `observer.fetched(url, responsePromise)` sees every fetch and
 * `observer.compiled(resultPromise)` the main wasm module's compilation. `track(promise)` counts
 * a request started before the watch (until its response arrives).
 */
export function watchStartup(observer) {
  const originalFetch = globalThis.fetch;
  const wasm = typeof WebAssembly === "object" ? WebAssembly : {}; // absent: reported elsewhere
  const { instantiate, instantiateStreaming } = wasm;
  let pending = 0; // fetches still waiting for the response headers
  let compiling = false; // the main wasm module is being downloaded and compiled (or is ready)
  const track = (request) => {
    pending += 1;
    const done = () => (pending -= 1);
    request.then(done, done);
  };
  const compile = (result) => {
    compiling = true;
    observer.compiled(result);
    return result;
  };
  globalThis.fetch = function (...args) {
    const result = originalFetch.apply(this, args);
    track(result);
    observer.fetched(urlOf(args[0]), result);
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
    // Stuck on the server: a response that has not started, or the wasm step not even reached.
    // A body still streaming counts as progress.
    waitingOnNetwork: () => !compiling || pending > 0,
    restore() {
      globalThis.fetch = originalFetch;
      if (instantiate) wasm.instantiate = instantiate;
      if (instantiateStreaming) wasm.instantiateStreaming = instantiateStreaming;
    },
  };
}

/** `expired` rejects with a RuntimeProblem when start-up is stuck (see above). */
export function deadline(watch) {
  let timer;
  const expired = new Promise((_, reject) => {
    const stuck = (ms) =>
      reject(
        new RuntimeProblem(
          `The Python runtime did not start within ${ms / 1000} s.`,
          `start-up had not finished after ${ms} ms` +
            (watch.waitingOnNetwork() ? " (still waiting for the server)" : ""),
        ),
      );
    timer = setTimeout(() => {
      if (watch.waitingOnNetwork()) {
        stuck(SILENT_MS);
      } else {
        timer = setTimeout(() => stuck(STARTUP_MS), STARTUP_MS - SILENT_MS);
      }
    }, SILENT_MS);
  });
  expired.catch(() => {}); // observed by every step it races with
  return { expired, cancel: () => clearTimeout(timer) };
}

/** `promise`, or the deadline's rejection if it comes first. */
export function within(limit, promise) {
  return Promise.race([promise, limit.expired]);
}
