/*
 * Start-up, step by step: the runtime's files and the stored snapshot, then Python (restored
 * from the snapshot, or started fresh and copied), then the engine inside it and its start-up
 * check. Each step returns its result, or its problem: a RuntimeProblem ends start-up (the reader
 * is told), any other problem only means a slower way was taken, and is reported with "ready".
 * Everything runs within the deadline (deadline.mjs).
 */

import { deadline, watchStartup, within } from "./deadline.mjs";
import { RuntimeProblem, describe } from "./problem.mjs";
import {
  ENGINE_PACKAGE,
  RUNTIME_URL,
  checkWebAssemblyAllowed,
  chooseStdlib,
  engineFilesWriter,
  prefetchEngine,
  readLock,
  readRecord,
  runtimeChecks,
  runtimeModule,
} from "./runtime-files.mjs";
import {
  forgetSnapshot,
  readSnapshot,
  snapshotKey,
  storeSnapshot,
  takeSnapshot,
} from "./snapshot.mjs";

// The start-up check: the engine's `info` reply (its first use also loads its rules).
const INFO_REQUEST = JSON.stringify({ v: 1, id: 0, op: "info" });

/**
 * Starts Python and the engine. `first` holds the requests the worker started at once
 * ({ lock, record }: { url, response }; loader: the import of pyodide.mjs); `stderr` receives
 * Python's error output line by line; `started` is the worker's start on performance.now().
 *
 * Resolves to { engine, report, afterReady }: the engine ({ handle, distrust }), the fields of
 * the "ready" message, and the work left once the page has been told (keeping a new snapshot).
 * Rejects with a RuntimeProblem. The deadline is armed before this returns.
 */
export async function start(first, { stderr, started }) {
  const checks = runtimeChecks();
  const watch = watchStartup(checks);
  watch.track(first.lock.response, first.lock.url);
  watch.track(first.record.response, first.record.url);
  const limit = deadline(watch);
  try {
    return await startRuntime(first, { checks, limit, stderr, clock: clockFrom(started) });
  } catch (error) {
    if (error instanceof RuntimeProblem) throw error;
    throw new RuntimeProblem("The Python runtime failed to start.", describe(error));
  } finally {
    limit.cancel();
    watch.restore();
  }
}

function clockFrom(started) {
  const timings = {};
  return { timings, mark: (name) => (timings[name] = Math.round(performance.now() - started)) };
}

async function startRuntime(first, { checks, limit, stderr, clock }) {
  const files = await runtimeFiles(first, limit);
  clock.mark("checked");
  const writer = engineFilesWriter(files.prefetched);
  const boot = booter(files, writer, { checks, limit, stderr });
  const restored = files.stored.bytes ? await restore(boot, files.stored.bytes, writer) : {};
  if (restored.python) clock.mark("restored");
  if (restored.problem) await forgetSnapshot(files.key);
  const fresh = restored.python ? {} : await startFresh(boot, files.key, writer, clock);
  const python = restored.python ?? fresh.python;
  const engine = restored.engine ?? (await importEngine(python, writer.problem(), limit));
  clock.mark("engine");
  // The check ran inside Python before the copy: its reply is not asked for again.
  const reply = fresh.snapshot?.reply;
  const info = restored.info ?? startupCheck(() => reply ?? engine.handle(INFO_REQUEST));
  const versions = versionsOf(python, info);
  clock.mark("total");
  return outcome({ files, restored, fresh, engine, versions, timings: clock.timings });
}

/** What start() resolves to, from the steps' results (see start). */
function outcome({ files, restored, fresh, engine, versions, timings }) {
  const problems = [files.keyProblem, files.stored.problem, restored.problem];
  const snapshotProblem = [...problems, fresh.snapshot?.problem].filter(Boolean).join("; ");
  const taken = fresh.snapshot?.bytes;
  return {
    engine: {
      handle: engine.handle,
      // An exception escaping the engine in a runtime restored from a snapshot may come from the
      // snapshot: the next visit starts fresh.
      distrust: () => (restored.python ? forgetSnapshot(files.key) : undefined),
    },
    report: {
      versions,
      timings,
      install: engine.install,
      ...(engine.problem ? { installProblem: engine.problem } : {}),
      stdlib: files.stdlib.url.slice(RUNTIME_URL.href.length),
      ...(files.stdlib.problem ? { stdlibProblem: files.stdlib.problem } : {}),
      snapshot: restored.python ? "restored" : taken ? "taken" : "none",
      ...(snapshotProblem ? { snapshotProblem } : {}),
    },
    afterReady: () => (taken ? storeSnapshot(files.key, taken) : undefined),
  };
}

/**
 * The runtime's files, all requested at once: Pyodide's loader module, whether WebAssembly may
 * run, the standard library to load, the snapshot's key and the stored snapshot. The engine's
 * files are still being fetched (`prefetched`, needed only once Python starts).
 */
async function runtimeFiles(first, limit) {
  const lock = readLock(first.lock);
  const record = readRecord(first.record);
  const prefetched = prefetchEngine(lock, record);
  const runtime = runtimeModule(first.loader);
  const stdlib = chooseStdlib(record);
  const keyed = snapshotKey(lock, runtime, stdlib);
  const [{ loadPyodide }, , library, { key, problem: keyProblem }, stored] = await within(
    limit,
    Promise.all([runtime, checkWebAssemblyAllowed(), stdlib, keyed, keyed.then(readSnapshot)]),
  );
  return { loadPyodide, lock, prefetched, stdlib: library, key, keyProblem, stored };
}

/**
 * Starts Python with loadPyodide(`extra` options added), within the deadline. Pyodide never
 * settles loadPyodide() for some failures: the runtime's checks report those at once.
 */
function booter(files, writer, { checks, limit, stderr }) {
  const options = {
    indexURL: RUNTIME_URL.href,
    stdLibURL: files.stdlib.url,
    lockFileContents: files.lock,
    // needed with lockFileContents, for the fallback in importEngine
    packageBaseUrl: RUNTIME_URL.href,
    // The engine is in site-packages before Python starts (or installed by importEngine).
    fsInit: writer.fsInit,
    checkAPIVersion: true,
    stdout: () => {},
    stderr,
  };
  const failed = checks.problem.then((problem) => Promise.reject(problem));
  failed.catch(() => {}); // observed by each boot
  return (extra) =>
    within(limit, Promise.race([files.loadPyodide({ ...options, ...extra }), failed]));
}

/** Python from the stored snapshot, with the engine checked: { python, engine, info }, or
 * { problem } (a wasm or deadline problem then fails the fresh start the same way). */
async function restore(boot, bytes, writer) {
  try {
    const python = await boot({ _loadSnapshot: bytes });
    const notPrefetched = writer.problem();
    if (notPrefetched) throw new Error(`engine files not prefetched: ${notPrefetched}`);
    const handle = engineHandle(python);
    // A restored engine that cannot answer is not kept.
    const info = startupCheck(() => handle(INFO_REQUEST));
    return { python, engine: { handle, install: "prefetched" }, info };
  } catch (error) {
    return { problem: `stored snapshot not used: ${describe(error)}` };
  }
}

/** Python started the ordinary way; with a snapshot `key`, a copy of it once the engine is
 * imported and checked inside Python: { python, snapshot? } (see takeSnapshot). */
async function startFresh(boot, key, writer, clock) {
  const python = await boot(key ? { _makeSnapshot: true } : {});
  clock.mark("runtime");
  if (!key) return { python };
  if (writer.problem()) {
    return { python, snapshot: { problem: "no snapshot taken: the engine was not prefetched" } };
  }
  // The check runs inside Python before the copy; a Python str comes back as a JavaScript string.
  const snapshot = takeSnapshot(python, () =>
    python.runPython(
      `import ${ENGINE_PACKAGE}.protocol\n` +
        `${ENGINE_PACKAGE}.protocol.handle(${JSON.stringify(INFO_REQUEST)})`,
    ),
  );
  clock.mark("snapshot");
  return { python, snapshot };
}

/**
 * The engine: { handle, install, problem? }. Normally it is already in site-packages
 * (runtime-files.mjs); if not, Pyodide installs it, and `problem` says why. loadPackage() does
 * not throw when a package fails to load (e.g. a sha256 mismatch), so the import is the real
 * check.
 */
async function importEngine(python, notPrefetched, limit) {
  try {
    return { handle: engineHandle(python), install: "prefetched" };
  } catch (error) {
    const problem = notPrefetched ?? `prefetched engine not importable: ${describe(error)}`;
    const problems = [problem];
    await within(
      limit,
      python.loadPackage([ENGINE_PACKAGE], {
        messageCallback: () => {},
        errorCallback: (message) => problems.push(message),
      }),
    );
    try {
      return { handle: engineHandle(python), install: "loadPackage", problem };
    } catch (error) {
      throw new RuntimeProblem(
        "The assessment engine could not be loaded into the Python runtime.",
        [...problems, describe(error)].join("\n"),
      );
    }
  }
}

/** The engine's protocol entry point, prodready.protocol.handle (a PyProxy). */
function engineHandle(python) {
  return python.pyimport(`${ENGINE_PACKAGE}.protocol`).handle;
}

/** The engine's parsed `info` reply, from `ask()`; a RuntimeProblem when it is not a good one. */
function startupCheck(ask) {
  let info;
  try {
    info = JSON.parse(ask());
  } catch (error) {
    throw new RuntimeProblem("The assessment engine failed its start-up check.", describe(error));
  }
  if (!info || info.ok !== true) {
    throw new RuntimeProblem(
      "The assessment engine failed its start-up check.",
      JSON.stringify(info?.error ?? info),
    );
  }
  return info;
}

/** The versions reported with "ready": the runtime's, Python's and the engine's own. */
function versionsOf(python, info) {
  const versions = {
    pyodide: python.version,
    python: python.runPython("import sys; sys.version.split()[0]"),
    prodready: python.runPython(`import ${ENGINE_PACKAGE}; ${ENGINE_PACKAGE}.__version__`),
  };
  for (const [name, value] of Object.entries(info.versions ?? info)) {
    if (!["v", "id", "ok"].includes(name) && ["string", "number"].includes(typeof value)) {
      versions[name] = value;
    }
  }
  return versions;
}
