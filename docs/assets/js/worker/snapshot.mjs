/*
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
 *
 * Each step resolves to its result or, as `problem`, why there is none (reported with "ready").
 */

import { describe } from "./problem.mjs";
import { ENGINE_PACKAGE, RUNTIME_URL, packageClosure } from "./runtime-files.mjs";

const SNAPSHOT_CACHE = "prodready-runtime-snapshot";
const SNAPSHOT_PREFIX = new URL("snapshot/", RUNTIME_URL).href;
const SNAPSHOT_LENGTH_HEADER = "X-Snapshot-Bytes";

/** This runtime's and engine's snapshot key (a URL under the runtime folder): { key } or
 * { problem }. */
export async function snapshotKey(lockPromise, runtimePromise, stdlibPromise) {
  try {
    if (typeof caches !== "object" || caches === null) throw new Error("no Cache Storage here");
    const [lock, runtime, stdlib] = await Promise.all([lockPromise, runtimePromise, stdlibPromise]);
    const wheels = packageClosure(lock, ENGINE_PACKAGE).map((entry) => entry.sha256.slice(0, 16));
    const version = String(runtime.version).replace(/[^\w.-]/g, "_");
    return {
      key: `${SNAPSHOT_PREFIX}pyodide-${version}-stdlib-${stdlib.tag}-${wheels.sort().join("-")}`,
    };
  } catch (error) {
    // No Cache Storage (not a secure context), or no usable lock file (start-up reports that).
    return { problem: `no snapshot: ${describe(error)}` };
  }
}

/** Deletes the snapshot stored under `key`. Never throws. */
export async function forgetSnapshot(key) {
  try {
    await (await caches.open(SNAPSHOT_CACHE)).delete(key);
  } catch {
    // nothing more to do: the next visit checks the entry again
  }
}

/** The snapshot stored under `key`: { bytes }, {} when there is none, or { problem } when it
 * cannot be used (it is then deleted). */
export async function readSnapshot({ key }) {
  if (!key) return {};
  try {
    const response = await (await caches.open(SNAPSHOT_CACHE)).match(key);
    if (!response) return {};
    const bytes = new Uint8Array(await response.arrayBuffer());
    const expected = Number(response.headers.get(SNAPSHOT_LENGTH_HEADER));
    if (bytes.length !== expected || bytes.length % 16 !== 0) {
      throw new Error(`stored snapshot has ${bytes.length} bytes, expected ${expected}`);
    }
    return { bytes };
  } catch (error) {
    await forgetSnapshot(key);
    return { problem: `stored snapshot not used: ${describe(error)}` };
  }
}

/** Keeps `bytes` under `key`, replacing older snapshots of this runtime folder. Never throws. */
export async function storeSnapshot(key, bytes) {
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

/**
 * Runs `prepare(pyodide)` (which imports the engine and returns its start-up check's reply as a
 * string, so that JavaScript holds no Python object) and copies the runtime's memory. Returns
 * { bytes, reply }, or { reply, problem } when no copy was made (`reply` null when `prepare`
 * failed: the engine's import is then left to start-up).
 */
export function takeSnapshot(pyodide, prepare) {
  // Pyodide checks that the objects JavaScript shares with Python are as a fresh start has
  // them; its record of installed packages is one, and a fresh start fills it in from
  // site-packages again. So it is emptied while the copy is made, then put back.
  const installed = pyodide.loadedPackages;
  const entries = Object.entries(installed);
  let reply = null;
  try {
    reply = prepare(pyodide);
    for (const [name] of entries) delete installed[name];
    return { bytes: pyodide.makeMemorySnapshot(), reply };
  } catch (error) {
    return { reply, problem: `no snapshot taken: ${describe(error)}` };
  } finally {
    Object.assign(installed, Object.fromEntries(entries));
  }
}
