/*
 * The runtime's files (docs/assets/runtime/, built by scripts/build-runtime): where they are, which
 * standard library and engine files to load, and what a bad answer from the server means for the
 * reader. Each step resolves to its result or its problem; a problem that makes start-up
 * impossible is a RuntimeProblem, anything else only disables a shortcut and is reported with
 * "ready".
 */

import { RuntimeProblem, describe } from "./problem.mjs";

export const RUNTIME_URL = new URL("../../runtime/", import.meta.url);
const WASM_URL = new URL("pyodide.asm.wasm", RUNTIME_URL);
export const ENGINE_PACKAGE = "prodready";
const SHA256_HEX = /^[0-9a-f]{64}$/;
const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d]; // "\0asm"
// The smallest valid module: magic + version 1. Compiling it tells whether WebAssembly may run.
const EMPTY_MODULE = new Uint8Array([...WASM_MAGIC, 0x01, 0x00, 0x00, 0x00]);
const CSP_BLOCKS_WASM =
  "The Content-Security-Policy blocks WebAssembly; allow 'wasm-unsafe-eval' in script-src.";

/* ---------------------------------------------------------------------------------------------
 * The runtime itself: its loader module, its package list, WebAssembly and the wasm binary.
 */

/** Pyodide's loader module (pyodide.mjs), from the import the worker started at once. */
export function runtimeModule(imported) {
  return imported.catch((error) => {
    throw new RuntimeProblem(
      "Could not load the Python runtime (pyodide.mjs) from this site.",
      describe(error),
    );
  });
}

/** pyodide-lock.json's contents; rejects with a RuntimeProblem (loadPyodide reports it). */
export function readLock({ url, response }) {
  const lock = response.then((answer) => {
    if (!answer.ok) {
      throw new RuntimeProblem(
        `The Python runtime's package list is missing from the server (HTTP ${answer.status}).`,
        `${url}: HTTP ${answer.status} ${answer.statusText}`,
      );
    }
    return answer.json();
  });
  lock.catch(() => {}); // reported by loadPyodide(), which is given this promise
  return lock;
}

/** Fails fast when this context may not run WebAssembly at all. */
export async function checkWebAssemblyAllowed() {
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
 * Judges the runtime's own downloads and compilation as Pyodide makes them (deadline.mjs shows
 * them here, so no request is added: a second fetch of the wasm would also cost Chromium its
 * cached compiled code). `problem` resolves to the first RuntimeProblem that makes start-up
 * impossible and never resolves otherwise: Pyodide 314 never settles loadPyodide() when the wasm
 * cannot be instantiated, and only logs a missing standard library.
 */
export function runtimeChecks() {
  let found;
  const problem = new Promise((resolve) => {
    found = resolve;
  });
  let wasmResponse = Promise.resolve(null); // the wasm response's problem, or null
  const report = (judged) => judged.then((problem) => problem && found(problem));
  return {
    problem,
    fetched(url, result) {
      if (url?.href === WASM_URL.href) {
        wasmResponse = result.then(wasmResponseProblem, wasmDownloadProblem);
        report(wasmResponse);
      } else if (isStdlibUrl(url)) {
        report(
          result.then(
            (response) => stdlibResponseProblem(url, response),
            (error) => stdlibDownloadProblem(url, error),
          ),
        );
      }
    },
    compiled(result) {
      // A bad response (404, wrong type) is the better explanation of a failed compile.
      result.catch((error) =>
        report(wasmResponse.then((bad) => bad ?? instantiationProblem(error))),
      );
    },
  };
}

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

/* ---------------------------------------------------------------------------------------------
 * The standard library. Pyodide's python_stdlib.zip holds sources only, and Pyodide never writes
 * bytecode, so each start compiled again the ~130 modules its start-up and the engine import:
 * most of a first visit's wait. The build adds their bytecode to a copy of that archive
 * (prodready_tools.stdlib), named with its sha256 in engine-files.json; without a usable
 * record, Pyodide's own archive is used, which only costs time. A pyc that this runtime cannot
 * load (another Python version) makes zipimport compile its source instead.
 */

const STOCK_STDLIB = { url: new URL("python_stdlib.zip", RUNTIME_URL).href, tag: "stock" };

/** A standard library archive of this runtime (stock or with bytecode). */
function isStdlibUrl(url) {
  return (
    url !== null &&
    url.href.startsWith(RUNTIME_URL.href) &&
    /^python_stdlib[\w-]*\.zip$/.test(url.href.slice(RUNTIME_URL.href.length))
  );
}

/** Resolves to { url, tag } of the standard library to load, with `problem` when it is
 * Pyodide's own for want of a usable record (never rejects). */
export async function chooseStdlib(recordPromise) {
  try {
    const stdlib = (await recordPromise)?.stdlib;
    if (
      typeof stdlib?.file !== "string" ||
      !/^python_stdlib-[\w-]+\.zip$/.test(stdlib.file) ||
      !SHA256_HEX.test(stdlib.sha256)
    ) {
      throw new Error("engine-files.json names no usable standard library");
    }
    return { url: new URL(stdlib.file, RUNTIME_URL).href, tag: stdlib.sha256.slice(0, 16) };
  } catch (error) {
    return { ...STOCK_STDLIB, problem: describe(error) };
  }
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

function stdlibDownloadProblem(url, error) {
  return new RuntimeProblem(
    "Could not download the Python runtime's standard library (network error).",
    `${url}: ${describe(error)}`,
  );
}

/* ---------------------------------------------------------------------------------------------
 * The engine's files: fetched at once, in parallel with the runtime, and written straight into
 * site-packages before Python starts (loadPyodide's fsInit hook). Pyodide's own package loader
 * would install the same wheels only after start-up, and first imports tarfile and
 * importlib.metadata, about 0.2 s of the reader's wait.
 *
 * The files come as one gzipped tar archive made from the wheels at build time
 * (prodready_tools.runtime), named with its sha256 in engine-files.json: one gzip stream is
 * unpacked in milliseconds, where inflating each of the wheels' ~140 files on its own kept this
 * thread busy for half a second while Pyodide's loader needed it. The browser checks the archive
 * against that sha256 (fetch `integrity`), and it is used only if it was made from exactly the
 * wheels in pyodide-lock.json, which the snapshot key and the fallback rely on. Any problem here
 * only disables the shortcut: start-up then installs the engine with loadPackage(), as Pyodide
 * would.
 */

/** engine-files.json, the record of what the worker adds to the stock runtime (a promise). */
export function readRecord({ url, response }) {
  const record = response.then((answer) => {
    if (!answer.ok) throw new Error(`${url}: HTTP ${answer.status}`);
    return answer.json();
  });
  record.catch(() => {}); // each user of the record reports its failure
  return record;
}

/** The lock-file entries of `name` and everything it depends on. */
export function packageClosure(lock, name) {
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
 * prodready_tools.runtime writes is accepted: ustar headers, regular files, relative paths.
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

/** The engine's archive named in the record, fetched and unpacked ([path, bytes] pairs). */
async function fetchArchive(bundle) {
  const url = new URL(bundle.file, RUNTIME_URL);
  let archive;
  try {
    archive = await fetch(url, { integrity: sriOf(bundle.sha256) });
  } catch (error) {
    throw new Error(
      `${url} not received as recorded (a network error, or its sha256 differs: the file ` +
        `was changed, or the host re-encoded it): ${describe(error)}`,
    );
  }
  if (!archive.ok) throw new Error(`${url}: HTTP ${archive.status}`);
  const stream = archive.body.pipeThrough(new DecompressionStream("gzip"));
  return untar(new Uint8Array(await new Response(stream).arrayBuffer()));
}

/** Fetches and unpacks the engine's files: resolves to { files } or { problem } (see above). */
export async function prefetchEngine(lockPromise, recordPromise) {
  try {
    if (typeof DecompressionStream !== "function") {
      throw new Error("this browser has no DecompressionStream");
    }
    const bundle = await recordPromise;
    const wheels = bundle?.wheels;
    if (
      typeof bundle?.file !== "string" ||
      !SHA256_HEX.test(bundle.sha256) ||
      !Array.isArray(wheels)
    ) {
      throw new Error("engine-files.json is not usable");
    }
    const [lock, files] = await Promise.all([lockPromise, fetchArchive(bundle)]);
    const locked = packageClosure(lock, ENGINE_PACKAGE).map((entry) => entry.sha256);
    if (locked.sort().join() !== [...wheels].sort().join()) {
      throw new Error(`${bundle.file} was not made from the wheels in pyodide-lock.json`);
    }
    return { files };
  } catch (error) {
    return { problem: describe(error) };
  }
}

/**
 * loadPyodide's fsInit hook, writing the prefetched files into site-packages before Python
 * starts, with `problem()`: why they were not written (null once they were). Never throws: the
 * import of the engine is the real check, and falls back to Pyodide's loader.
 */
export function engineFilesWriter(prefetched) {
  let problem = "the runtime did not ask for the engine's files";
  return {
    problem: () => problem,
    async fsInit(FS, { sitePackages }) {
      const { files, problem: notFetched } = await prefetched;
      if (!files) {
        problem = notFetched;
        return;
      }
      try {
        for (const [name, data] of files) {
          const path = `${sitePackages}/${name}`;
          FS.mkdirTree(path.slice(0, path.lastIndexOf("/")));
          FS.writeFile(path, data);
        }
        problem = null;
      } catch (error) {
        problem = `the engine's files could not be written: ${describe(error)}`;
      }
    },
  };
}
