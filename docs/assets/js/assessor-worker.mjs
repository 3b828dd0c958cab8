/*
 * ProdReady assessor worker: runs the Python engine (package `prodready`) in self-hosted Pyodide.
 *
 * Start it as a MODULE worker (Pyodide 314 supports no other kind):
 *   new Worker(new URL("assessor-worker.mjs", import.meta.url), { type: "module" })
 * The runtime is loaded from ../runtime/ relative to this file (built by scripts/build-runtime);
 * nothing is fetched from any other host.
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
 *       "loading" is posted first; then exactly one of "ready" or "failed".
 *       ready:  versions = { pyodide, python, prodready, ...fields of the engine's `info` reply };
 *               timings  = { total, ...phases } in milliseconds since the worker started
 *                          (checked; restored, or runtime and snapshot when one was taken; engine);
 *               install  = "prefetched" (the fast path) or "loadPackage" (the fallback);
 *               installProblem = why the fast path was not taken (only with "loadPackage");
 *               stdlib   = the standard library's file: normally the one with bytecode for
 *                          start-up (python_stdlib-<hash>.zip), else Pyodide's python_stdlib.zip;
 *               stdlibProblem = why the one with bytecode was not used (only then);
 *               snapshot = "restored" (Python started from this browser's memory snapshot),
 *                          "taken" (one was made for later visits) or "none"; see below.
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
 * wheel whose sha256 does not match pyodide-lock.json). Anything else fails start-up after
 * 12 s if the server has not answered by then, or after 60 s in all (a slow connection or
 * device, never a silent hang). A stored memory snapshot that cannot be used is dropped and
 * Python starts the ordinary way (see "Memory snapshot" below).
 */

const RUNTIME_URL = new URL("../runtime/", import.meta.url);
const WASM_URL = new URL("pyodide.asm.wasm", RUNTIME_URL);
// Start-up deadlines (see deadline()): a stuck download or compile fails after NETWORK_TIMEOUT_MS.
const NETWORK_TIMEOUT_MS = 12000;
const INIT_TIMEOUT_MS = 60000;
const ENGINE_PACKAGE = "prodready";
// The start-up check: the engine's `info` reply (its first use also loads its rules).
const INFO_REQUEST = JSON.stringify({ v: 1, id: 0, op: "info" });
const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d]; // "\0asm"
// The smallest valid module: magic + version 1. Compiling it tells whether WebAssembly may run.
const EMPTY_MODULE = new Uint8Array([...WASM_MAGIC, 0x01, 0x00, 0x00, 0x00]);
const CSP_BLOCKS_WASM =
  "The Content-Security-Policy blocks WebAssembly; allow 'wasm-unsafe-eval' in script-src.";
const INTERNAL_ERROR = "The assessment engine stopped because of an internal error.";

const started = performance.now();
const timings = {};
const queue = [];
const stderrTail = [];
let state = "loading";
let failure = null;
let handle = null; // the PyProxy of prodready.protocol.handle once ready
let shortcutProblem = null; // why the engine was not prefetched (see prefetchEngine)
let install = null; // how the engine got into site-packages: "prefetched" or "loadPackage"
let snapshotUse = "none"; // "restored" (started from a snapshot), "taken" (one was made) or "none"
let snapshotProblem = null; // why a stored snapshot was not used or none was taken
let snapshotKeyUsed = null; // the key of the snapshot this runtime was restored from
let stdlibProblem = null; // why the standard library with bytecode was not used (see chooseStdlib)

function mark(name) {
  timings[name] = Math.round(performance.now() - started);
}

function post(message) {
  self.postMessage(message);
}

/** An error whose message is meant for the reader of the page. */
class RuntimeProblem extends Error {
  constructor(message, detail) {
    super(message);
    this.detail = detail;
  }
}

function describe(error) {
  if (error == null) return "unknown error";
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
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

function respond(payload) {
  post({ type: "response", payload });
}

function fail(message, detail) {
  if (state === "failed") return;
  state = "failed";
  failure = message;
  const tail = stderrTail.length ? `\n${stderrTail.join("\n")}` : "";
  post({ type: "state", state: "failed", message, detail: `${detail ?? ""}${tail}`.trim() });
  for (const payload of queue.splice(0)) {
    respond(errorPayload(requestId(payload), "runtime_unavailable", message));
  }
}

function answer(payload) {
  if (typeof payload !== "string") {
    respond(errorPayload(null, "bad_message", "The request payload must be a JSON string."));
    return;
  }
  if (state === "loading") {
    queue.push(payload);
    return;
  }
  if (state === "failed") {
    respond(errorPayload(requestId(payload), "runtime_unavailable", failure));
    return;
  }
  let result;
  try {
    result = handle(payload);
  } catch (error) {
    // The engine answers every request, errors included; an exception escaping it in a runtime
    // restored from a snapshot may come from the snapshot, so the next visit starts fresh.
    if (snapshotKeyUsed) forgetSnapshot(snapshotKeyUsed);
    // A Python exception arrives as a PythonError whose message is the traceback.
    const lines = String(error?.message ?? error).trim().split("\n");
    respond(errorPayload(requestId(payload), "engine_exception", lines[lines.length - 1]));
    return;
  }
  if (typeof result !== "string") {
    respond(errorPayload(requestId(payload), "engine_exception", "handle() returned no string"));
    return;
  }
  respond(result);
}

self.addEventListener("message", (event) => {
  const data = event.data;
  if (data && data.type === "request") answer(data.payload);
});

self.addEventListener("error", (event) => {
  fail(INTERNAL_ERROR, describe(event.error ?? event.message));
});

self.addEventListener("unhandledrejection", (event) => {
  fail(INTERNAL_ERROR, describe(event.reason));
});

/** Fails fast when this context may not run WebAssembly at all. */
async function checkWebAssemblyAllowed() {
  if (typeof WebAssembly !== "object") {
    throw new RuntimeProblem(
      "This browser does not run WebAssembly, which the assessment engine needs.",
      "typeof WebAssembly is " + typeof WebAssembly,
    );
  }
  try {
    await WebAssembly.compile(EMPTY_MODULE);
  } catch (error) {
    throw new RuntimeProblem(CSP_BLOCKS_WASM, describe(error));
  }
}

/**
 * Why the wasm binary cannot be used, judged from the response Pyodide itself received (so the
 * check costs no request of its own: a second fetch of the same URL would also cost Chromium its
 * cached compiled code). Returns a RuntimeProblem, or null when status and type are right.
 */
function wasmResponseProblem(response) {
  if (!response.ok) {
    return new RuntimeProblem(
      "The Python runtime is missing from the server: " +
        `pyodide.asm.wasm returned HTTP ${response.status}.`,
      `${WASM_URL}: HTTP ${response.status} ${response.statusText}`,
    );
  }
  const type = (response.headers.get("Content-Type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/wasm") {
    return new RuntimeProblem(
      `The server sends pyodide.asm.wasm as ${type || "an unknown type"}; ` +
        "configure application/wasm.",
      `${WASM_URL}: Content-Type ${JSON.stringify(response.headers.get("Content-Type"))}`,
    );
  }
  return null;
}

function wasmDownloadProblem(error) {
  return new RuntimeProblem(
    "Could not download the Python runtime (pyodide.asm.wasm): network error or a " +
      "Content-Security-Policy connect-src that excludes this site.",
    `${WASM_URL}: ${describe(error)}`,
  );
}

/** The reader's sentence for a failed compilation or instantiation of the main wasm module. */
function instantiationProblem(error) {
  const text = describe(error);
  if (/Content.Security.Policy|unsafe-eval/i.test(text)) {
    return new RuntimeProblem(CSP_BLOCKS_WASM, text);
  }
  if (/magic/i.test(text)) {
    return new RuntimeProblem(
      "The server does not send a valid pyodide.asm.wasm (it is not WebAssembly).",
      `${WASM_URL}: ${text}`,
    );
  }
  return new RuntimeProblem(
    "The browser could not start the Python runtime (WebAssembly instantiation failed).",
    text,
  );
}

function urlOf(resource) {
  try {
    const target = resource instanceof Request ? resource.url : String(resource);
    return new URL(target, self.location.href);
  } catch {
    return null;
  }
}

function isWasmUrl(resource) {
  return urlOf(resource)?.href === WASM_URL.href;
}

/** A standard library archive of this runtime (stock or with bytecode, see chooseStdlib). */
function isStdlibUrl(resource) {
  const url = urlOf(resource);
  return (
    url !== null &&
    url.href.startsWith(RUNTIME_URL.href) &&
    /^python_stdlib[\w-]*\.zip$/.test(url.href.slice(RUNTIME_URL.href.length))
  );
}

/** Pyodide only logs a failed download of the standard library, and Python cannot start. */
function stdlibResponseProblem(url, response) {
  if (response.ok) return null;
  const name = url.pathname.slice(url.pathname.lastIndexOf("/") + 1);
  return new RuntimeProblem(
    `The Python runtime's standard library is missing from the server: ${name} returned ` +
      `HTTP ${response.status}.`,
    `${url}: HTTP ${response.status} ${response.statusText}`,
  );
}

/**
 * Watches start-up from inside the worker's global scope: counts fetches still waiting for their
 * response and notices when the main wasm module starts compiling. Pyodide 314 swallows a failed
 * instantiation (it logs a warning and never settles), so that failure is caught here and
 * reported at once.
 */
function watchStartup() {
  const originalFetch = globalThis.fetch;
  const wasm = typeof WebAssembly === "object" ? WebAssembly : {}; // absent: reported later
  const { instantiate, instantiateStreaming } = wasm;
  let pending = 0; // fetches still waiting for the response headers
  let compiling = false; // the main wasm module is being downloaded and compiled (or is ready)
  let wasmChecked = Promise.resolve(); // rejects with a RuntimeProblem for a bad wasm response
  let rejectFailed;
  const failed = new Promise((_, reject) => {
    rejectFailed = reject;
  });
  failed.catch(() => {}); // observed by startRuntime(); never an unhandled rejection here
  const track = (result) => {
    compiling = true;
    // A bad response (404, wrong type) is the better explanation of a failed compile.
    result.catch((error) =>
      wasmChecked.then(
        () => rejectFailed(instantiationProblem(error)),
        (problem) => rejectFailed(problem),
      ),
    );
    return result;
  };
  globalThis.fetch = function (...args) {
    pending += 1;
    const result = originalFetch.apply(this, args);
    result.then(
      () => (pending -= 1),
      () => (pending -= 1),
    );
    if (isWasmUrl(args[0])) {
      wasmChecked = result.then(
        (response) => {
          const problem = wasmResponseProblem(response);
          if (problem) throw problem;
        },
        (error) => {
          throw wasmDownloadProblem(error);
        },
      );
      wasmChecked.catch((problem) => rejectFailed(problem));
    } else if (isStdlibUrl(args[0])) {
      const url = urlOf(args[0]);
      result.then(
        (response) => {
          const problem = stdlibResponseProblem(url, response);
          if (problem) rejectFailed(problem);
        },
        (error) =>
          rejectFailed(
            new RuntimeProblem(
              "Could not download the Python runtime's standard library (network error).",
              `${url}: ${describe(error)}`,
            ),
          ),
      );
    }
    return result;
  };
  // The main module arrives through instantiateStreaming (or, without a Response, as a large
  // buffer); small helper modules Pyodide builds for feature tests are left alone.
  if (instantiateStreaming) {
    wasm.instantiateStreaming = function (source, imports) {
      return track(instantiateStreaming.call(wasm, source, imports));
    };
  }
  if (instantiate) {
    wasm.instantiate = function (...args) {
      const result = instantiate.apply(this, args);
      return (args[0]?.byteLength ?? 0) > 1e6 ? track(result) : result;
    };
  }
  return {
    failed,
    // Stuck on the server: a response that has not started, or the wasm step not even reached
    // (e.g. the import of pyodide.asm.mjs hangs). A body still streaming counts as progress.
    waitingOnNetwork: () => !compiling || pending > 0,
    restore() {
      globalThis.fetch = originalFetch;
      if (instantiate) wasm.instantiate = instantiate;
      if (instantiateStreaming) wasm.instantiateStreaming = instantiateStreaming;
    },
  };
}

/**
 * Rejects when start-up is stuck: after NETWORK_TIMEOUT_MS if the server has not answered a
 * request or the wasm step was never reached (a hang: fail fast); otherwise only after
 * INIT_TIMEOUT_MS, since downloads are flowing and the rest is compiling and Python initialising
 * on the CPU, which a slow connection or device can stretch well past 12 s.
 */
function deadline(watch) {
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
        stuck(NETWORK_TIMEOUT_MS);
      } else {
        timer = setTimeout(() => stuck(INIT_TIMEOUT_MS), INIT_TIMEOUT_MS - NETWORK_TIMEOUT_MS);
      }
    }, NETWORK_TIMEOUT_MS);
  });
  return { expired, cancel: () => clearTimeout(timer) };
}

/* ---------------------------------------------------------------------------------------------
 * The engine's files: fetched at once, in parallel with the runtime, and written straight into
 * site-packages before Python starts (loadPyodide's fsInit hook). Pyodide's own package loader
 * would install the same wheels only after start-up, and first imports tarfile and
 * importlib.metadata, about 0.2 s of the reader's wait.
 *
 * The files come as one gzipped tar archive made from the wheels at build time
 * (scripts/build_runtime.py), named with its sha256 in engine-files.json: one gzip stream is
 * unpacked in milliseconds, where inflating each of the wheels' ~140 files on its own kept this
 * thread busy for half a second while Pyodide's loader needed it. The browser checks the archive
 * against that sha256 (fetch `integrity`), and it is used only if it was made from exactly the
 * wheels in pyodide-lock.json, which the snapshot key and the fallback rely on. Any problem here
 * only disables the shortcut: start-up then installs the engine with loadPackage(), as Pyodide
 * would.
 */

const LOCK_URL = new URL("pyodide-lock.json", RUNTIME_URL);
const ENGINE_FILES_URL = new URL("engine-files.json", RUNTIME_URL);
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The lock-file entries of `name` and everything it depends on. */
function packageClosure(lock, name) {
  const seen = new Map();
  const pending = [name];
  while (pending.length) {
    const next = pending.pop();
    if (seen.has(next)) continue;
    const entry = lock?.packages?.[next];
    if (!entry || typeof entry.file_name !== "string" || !SHA256_HEX.test(entry.sha256)) {
      throw new Error(`pyodide-lock.json has no usable entry for ${next}`);
    }
    seen.set(next, entry);
    pending.push(...(entry.depends ?? []));
  }
  return [...seen.values()];
}

function sriOf(hexDigest) {
  const bytes = hexDigest.match(/../g).map((pair) => parseInt(pair, 16));
  return `sha256-${btoa(String.fromCharCode(...bytes))}`;
}

/**
 * The regular files of an uncompressed ustar archive as [path, bytes] pairs. Only what
 * scripts/build_runtime.py writes is accepted: ustar headers, regular files, relative paths.
 */
function untar(bytes) {
  const decoder = new TextDecoder();
  const text = (at, length) => {
    const field = bytes.subarray(at, at + length);
    const end = field.indexOf(0);
    return decoder.decode(end < 0 ? field : field.subarray(0, end));
  };
  const files = [];
  let at = 0;
  while (at + 512 <= bytes.length && bytes[at] !== 0) {
    if (!text(at + 257, 6).startsWith("ustar")) throw new Error("not a ustar archive");
    const prefix = text(at + 345, 155);
    const path = prefix ? `${prefix}/${text(at, 100)}` : text(at, 100);
    const size = Number.parseInt(text(at + 124, 12).trim(), 8);
    const type = bytes[at + 156];
    at += 512;
    if (type !== 0x30 && type !== 0) throw new Error(`unsupported archive entry ${path}`);
    if (!Number.isSafeInteger(size) || size < 0 || at + size > bytes.length) {
      throw new Error(`bad size for ${path}`);
    }
    if (!path || path.startsWith("/") || path.split("/").includes("..")) {
      throw new Error(`bad path ${path}`);
    }
    files.push([path, bytes.subarray(at, at + size)]);
    at += Math.ceil(size / 512) * 512;
  }
  if (!files.length) throw new Error("empty archive");
  return files;
}

/** engine-files.json, the record of what the worker adds to the stock runtime (a promise). */
function fetchRecord() {
  const record = fetch(ENGINE_FILES_URL).then((response) => {
    if (!response.ok) throw new Error(`${ENGINE_FILES_URL}: HTTP ${response.status}`);
    return response.json();
  });
  record.catch(() => {}); // each user of the record reports its failure
  return record;
}

/** Fetches and unpacks the engine's files; resolves to them, or null (see above). */
async function prefetchEngine(lockPromise, recordPromise) {
  try {
    if (typeof DecompressionStream !== "function") return null;
    const bundle = await recordPromise;
    const wheels = bundle?.wheels;
    if (
      typeof bundle?.file !== "string" ||
      !SHA256_HEX.test(bundle.sha256) ||
      !Array.isArray(wheels)
    ) {
      throw new Error(`${ENGINE_FILES_URL} is not usable`);
    }
    const url = new URL(bundle.file, RUNTIME_URL);
    const fetched = fetch(url, { integrity: sriOf(bundle.sha256) }).catch((error) => {
      throw new Error(
        `${url} not received as recorded (a network error, or its sha256 differs: the file ` +
          `was changed, or the host re-encoded it): ${describe(error)}`,
      );
    });
    const unpacked = fetched.then(async (archive) => {
      if (!archive.ok) throw new Error(`${url}: HTTP ${archive.status}`);
      const stream = archive.body.pipeThrough(new DecompressionStream("gzip"));
      return untar(new Uint8Array(await new Response(stream).arrayBuffer()));
    });
    const [lock, files] = await Promise.all([lockPromise, unpacked]);
    const locked = packageClosure(lock, ENGINE_PACKAGE).map((entry) => entry.sha256);
    if (locked.sort().join() !== [...wheels].sort().join()) {
      throw new Error(`${bundle.file} was not made from the wheels in pyodide-lock.json`);
    }
    return files;
  } catch (error) {
    shortcutProblem = describe(error);
    return null;
  }
}

/** loadPyodide's fsInit hook: writes the prefetched files into site-packages. Never throws. */
function installPrefetched(prefetched) {
  return async (FS, { sitePackages }) => {
    try {
      const files = await prefetched;
      if (!files) return;
      for (const [name, data] of files) {
        const path = `${sitePackages}/${name}`;
        FS.mkdirTree(path.slice(0, path.lastIndexOf("/")));
        FS.writeFile(path, data);
      }
    } catch (error) {
      shortcutProblem = describe(error);
    }
  };
}

/* ---------------------------------------------------------------------------------------------
 * The standard library. Pyodide's python_stdlib.zip holds sources only, and Pyodide never writes
 * bytecode, so each start compiled again the ~130 modules its start-up and the engine import:
 * most of a first visit's wait. The build adds their bytecode to a copy of that archive
 * (scripts/compile_stdlib.py), named with its sha256 in engine-files.json; without a usable
 * record, Pyodide's own archive is used, which only costs time. A pyc that this runtime cannot
 * load (another Python version) makes zipimport compile its source instead.
 */

const STOCK_STDLIB = { url: new URL("python_stdlib.zip", RUNTIME_URL).href, tag: "stock" };

/** Resolves to { url, tag } of the standard library to load (never rejects). */
async function chooseStdlib(recordPromise) {
  try {
    const stdlib = (await recordPromise)?.stdlib;
    if (
      typeof stdlib?.file !== "string" ||
      !/^python_stdlib-[\w-]+\.zip$/.test(stdlib.file) ||
      !SHA256_HEX.test(stdlib.sha256)
    ) {
      throw new Error(`${ENGINE_FILES_URL} names no usable standard library`);
    }
    return { url: new URL(stdlib.file, RUNTIME_URL).href, tag: stdlib.sha256.slice(0, 16) };
  } catch (error) {
    stdlibProblem = describe(error);
    return STOCK_STDLIB;
  }
}

/* ---------------------------------------------------------------------------------------------
 * Memory snapshot. Most of a later visit's wait is Python initialising and importing the engine,
 * the same work every time. So the first visit copies the runtime's memory right after the
 * engine is imported (Pyodide's memory snapshot, the options `_makeSnapshot` / `_loadSnapshot`
 * of Pyodide 314) and keeps it in this browser's Cache Storage; a later visit starts Python from
 * that copy. The copy is made before any request is answered, so it holds no answers, and it never
 * leaves the browser. It is only made and used when the engine was prefetched (files written by
 * JavaScript before Python started: a snapshot cannot be taken once JavaScript holds Python
 * objects, as Pyodide's package loader leaves it). Its key names the Pyodide version, the
 * standard library's archive (the snapshot holds zipimport's index of it) and the sha256 of each
 * engine wheel, so a new release of the site starts fresh (and replaces it);
 * Pyodide itself refuses a snapshot of another build. Anything wrong with a stored snapshot
 * (unreadable, truncated, refused, failing the start-up check) deletes it and starts Python the
 * ordinary way. Without Cache Storage (no secure context) nothing changes.
 */

const SNAPSHOT_CACHE = "prodready-runtime-snapshot";
const SNAPSHOT_PREFIX = new URL("snapshot/", RUNTIME_URL).href;
const SNAPSHOT_LENGTH_HEADER = "X-Snapshot-Bytes";

/** This runtime's and engine's snapshot key (a URL under the runtime folder), or null. */
async function snapshotKey(lockPromise, runtimePromise, stdlibPromise) {
  try {
    if (typeof caches !== "object" || caches === null) throw new Error("no Cache Storage here");
    const [lock, runtime, stdlib] = await Promise.all([lockPromise, runtimePromise, stdlibPromise]);
    const wheels = packageClosure(lock, ENGINE_PACKAGE).map((entry) => entry.sha256.slice(0, 16));
    const version = String(runtime.version).replace(/[^\w.-]/g, "_");
    return `${SNAPSHOT_PREFIX}pyodide-${version}-stdlib-${stdlib.tag}-${wheels.sort().join("-")}`;
  } catch (error) {
    // No Cache Storage (not a secure context), or no usable lock file (start-up reports that).
    snapshotProblem = `no snapshot: ${describe(error)}`;
    return null;
  }
}

async function forgetSnapshot(key) {
  try {
    await (await caches.open(SNAPSHOT_CACHE)).delete(key);
  } catch {
    // nothing more to do: the next visit checks the entry again
  }
}

/** The stored snapshot for `key` as bytes, or null (none, or unusable: then it is deleted). */
async function readSnapshot(key) {
  if (!key) return null;
  try {
    const response = await (await caches.open(SNAPSHOT_CACHE)).match(key);
    if (!response) return null;
    const bytes = new Uint8Array(await response.arrayBuffer());
    const expected = Number(response.headers.get(SNAPSHOT_LENGTH_HEADER));
    if (bytes.length !== expected || bytes.length % 16 !== 0) {
      throw new Error(`stored snapshot has ${bytes.length} bytes, expected ${expected}`);
    }
    return bytes;
  } catch (error) {
    snapshotProblem = `stored snapshot not used: ${describe(error)}`;
    await forgetSnapshot(key);
    return null;
  }
}

/** Keeps `bytes` under `key`, replacing older snapshots of this runtime folder. Never throws. */
async function storeSnapshot(key, bytes) {
  try {
    const cache = await caches.open(SNAPSHOT_CACHE);
    for (const request of await cache.keys()) {
      if (request.url.startsWith(SNAPSHOT_PREFIX) && request.url !== key) {
        await cache.delete(request);
      }
    }
    const headers = {
      "Content-Type": "application/octet-stream",
      [SNAPSHOT_LENGTH_HEADER]: String(bytes.length),
    };
    await cache.put(key, new Response(bytes, { headers }));
  } catch {
    // Storage full or refused: later visits start the ordinary way.
  }
}

async function start() {
  post({ type: "state", state: "loading" });
  const watch = watchStartup();
  const limit = deadline(watch);
  try {
    await startRuntime(watch, limit.expired);
  } finally {
    limit.cancel();
    watch.restore();
  }
}

async function startRuntime(watch, expired) {
  // Started first: the lock file and the engine's archive are small, needed as soon as Python is.
  const lock = fetch(LOCK_URL).then((response) => {
    if (!response.ok) {
      throw new RuntimeProblem(
        `The Python runtime's package list is missing from the server (HTTP ${response.status}).`,
        `${LOCK_URL}: HTTP ${response.status} ${response.statusText}`,
      );
    }
    return response.json();
  });
  lock.catch(() => {}); // a failure reaches loadPyodide(), which reports it
  const record = fetchRecord();
  const prefetched = prefetchEngine(lock, record);
  const stdlib = chooseStdlib(record);
  const runtime = import(new URL("pyodide.mjs", RUNTIME_URL).href).catch((error) => {
    throw new RuntimeProblem(
      "Could not load the Python runtime (pyodide.mjs) from this site.",
      describe(error),
    );
  });
  const keyLookup = snapshotKey(lock, runtime, stdlib);
  const [{ loadPyodide }, , key, snapshot, stdlibChoice] = await Promise.race([
    Promise.all([
      runtime,
      checkWebAssemblyAllowed(),
      keyLookup,
      keyLookup.then(readSnapshot),
      stdlib,
    ]),
    expired,
  ]);
  mark("checked");

  const boot = (options) =>
    Promise.race([
      loadPyodide({ ...runtimeOptions(lock, prefetched, stdlibChoice.url), ...options }),
      watch.failed,
      expired,
    ]);
  let pyodide = null;
  let info = null; // the engine's reply to the start-up check
  if (snapshot) {
    try {
      pyodide = await boot({ _loadSnapshot: snapshot });
      mark("restored");
      if (shortcutProblem) throw new Error(`engine files not prefetched: ${shortcutProblem}`);
      handle = engineHandle(pyodide);
      // A restored engine that cannot answer is not kept.
      info = startupCheck(() => handle(INFO_REQUEST));
      install = "prefetched";
      snapshotUse = "restored";
      snapshotKeyUsed = key;
    } catch (error) {
      // A wasm or deadline problem fails the ordinary start below the same way, and is reported.
      snapshotProblem = `stored snapshot not used: ${describe(error)}`;
      await forgetSnapshot(key);
      pyodide = null;
      handle = null;
      info = null;
    }
  }
  const taking = !pyodide && key !== null;
  let taken = null;
  if (!pyodide) {
    pyodide = await boot(taking ? { _makeSnapshot: true } : {});
    mark("runtime");
    if (taking) {
      const snap = takeSnapshot(pyodide);
      taken = snap.bytes;
      // The check ran inside Python before the copy: its reply is not asked for again.
      if (snap.reply !== null) info = startupCheck(() => snap.reply);
      mark("snapshot");
    }
  }
  if (!handle) handle = await importEngine(pyodide, expired);
  mark("engine");

  const versions = {
    pyodide: pyodide.version,
    python: pyodide.runPython("import sys; sys.version.split()[0]"),
    prodready: pyodide.runPython(`import ${ENGINE_PACKAGE}; ${ENGINE_PACKAGE}.__version__`),
  };
  info ??= startupCheck(() => handle(INFO_REQUEST));
  for (const [name, value] of Object.entries(info.versions ?? info)) {
    if (!["v", "id", "ok"].includes(name) && ["string", "number"].includes(typeof value)) {
      versions[name] = value;
    }
  }
  mark("total");
  state = "ready";
  const ready = { type: "state", state: "ready", versions, timings, install };
  if (install === "loadPackage") ready.installProblem = shortcutProblem;
  ready.stdlib = stdlibChoice.url.slice(RUNTIME_URL.href.length);
  if (stdlibProblem) ready.stdlibProblem = stdlibProblem;
  post({ ...ready, snapshot: snapshotUse, ...(snapshotProblem ? { snapshotProblem } : {}) });
  for (const payload of queue.splice(0)) answer(payload);
  if (taken) await storeSnapshot(key, taken);
}

/** loadPyodide's options (the snapshot options are added by the caller). */
function runtimeOptions(lock, prefetched, stdLibURL) {
  return {
    indexURL: RUNTIME_URL.href,
    stdLibURL,
    lockFileContents: lock,
    // needed with lockFileContents, for the fallback in importEngine
    packageBaseUrl: RUNTIME_URL.href,
    // The engine is in site-packages before Python starts (or installed by importEngine).
    fsInit: installPrefetched(prefetched),
    checkAPIVersion: true,
    stdout: () => {},
    stderr: (line) => {
      stderrTail.push(line);
      if (stderrTail.length > 20) stderrTail.shift();
    },
  };
}

/**
 * Imports the prefetched engine inside Python, runs the start-up check there (which loads the
 * rules) and copies the runtime's memory, before JavaScript holds any Python object. Returns
 * { bytes, reply }: the snapshot (or null, the reason in snapshotProblem) and the check's reply
 * (a string, or null when it did not run); an import error itself is left to importEngine().
 */
function takeSnapshot(pyodide) {
  if (shortcutProblem) {
    snapshotProblem = "no snapshot taken: the engine was not prefetched";
    return { bytes: null, reply: null };
  }
  // Pyodide checks that the objects JavaScript shares with Python are as a fresh start has
  // them; its record of installed packages is one, and a fresh start fills it in from
  // site-packages again. So it is emptied while the copy is made, then put back.
  const installed = pyodide.loadedPackages;
  const entries = Object.entries(installed);
  let reply = null;
  try {
    // A Python str comes back as a JavaScript string: no Python object is held.
    reply = pyodide.runPython(
      `import ${ENGINE_PACKAGE}.protocol\n` +
        `${ENGINE_PACKAGE}.protocol.handle(${JSON.stringify(INFO_REQUEST)})`,
    );
    for (const [name] of entries) delete installed[name];
    const bytes = pyodide.makeMemorySnapshot();
    snapshotUse = "taken";
    return { bytes, reply };
  } catch (error) {
    snapshotProblem = `no snapshot taken: ${describe(error)}`;
    return { bytes: null, reply: typeof reply === "string" ? reply : null };
  } finally {
    Object.assign(installed, Object.fromEntries(entries));
  }
}

/**
 * The engine's handle(). Normally the engine is already in site-packages (prefetchEngine). If
 * not, Pyodide installs it; loadPackage() does not throw when a package fails to load (e.g. a
 * sha256 mismatch), so the import is the real check.
 */
async function importEngine(pyodide, expired) {
  try {
    const handle = engineHandle(pyodide);
    install = "prefetched";
    return handle;
  } catch (error) {
    // Why the fast path was not taken: reported with the ready message, or in the failure.
    shortcutProblem ??= `prefetched engine not importable: ${describe(error)}`;
    const problems = [shortcutProblem];
    await Promise.race([
      pyodide.loadPackage([ENGINE_PACKAGE], {
        messageCallback: () => {},
        errorCallback: (message) => problems.push(message),
      }),
      expired,
    ]);
    try {
      const handle = engineHandle(pyodide);
      install = "loadPackage";
      return handle;
    } catch (error) {
      throw new RuntimeProblem(
        "The assessment engine could not be loaded into the Python runtime.",
        [...problems, describe(error)].join("\n"),
      );
    }
  }
}

/** The engine's protocol entry point, prodready.protocol.handle (a PyProxy). */
function engineHandle(pyodide) {
  return pyodide.pyimport(`${ENGINE_PACKAGE}.protocol`).handle;
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

start().catch((error) => {
  if (error instanceof RuntimeProblem) fail(error.message, error.detail);
  else fail("The Python runtime failed to start.", describe(error));
});
