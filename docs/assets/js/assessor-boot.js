/*
 * Starts the assessor's engine while the assessor page is still loading.
 *
 * A classic `async` script, linked from the <head> of pages whose front matter says
 * `assessor: true` (overrides/main.html). It runs as soon as it arrives, long before the theme's
 * bundle and assessor.js (a module, run after parsing), so the worker begins downloading and
 * compiling the Python runtime about 0.7 s sooner on a first visit. It only creates the worker
 * and keeps what the worker says until assessor.js takes it over (claimEngineBoot() there);
 * everything else, including every message to the reader, stays in assessor.js.
 *
 * Hand-over: window.prodreadyEngineBoot = { worker, startedAt, events, detach } | { claimed }.
 * If assessor.js has already started its own worker, this script does nothing.
 */
(() => {
  "use strict";
  if (window.prodreadyEngineBoot || typeof Worker !== "function") return;
  const script = document.currentScript;
  if (!script) return;
  let worker;
  try {
    worker = new Worker(new URL("assessor-worker.mjs", script.src), { type: "module" });
  } catch {
    return; // assessor.js starts the engine itself and explains what failed
  }
  const events = [];
  const keep = (event) => {
    // A failed worker script is reported by assessor.js, on the page, not as a console error.
    if (event.type === "error") event.preventDefault();
    events.push(event);
  };
  worker.addEventListener("message", keep);
  worker.addEventListener("error", keep);
  window.prodreadyEngineBoot = {
    worker,
    startedAt: performance.now(),
    events,
    detach() {
      worker.removeEventListener("message", keep);
      worker.removeEventListener("error", keep);
    },
  };
})();
