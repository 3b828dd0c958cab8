// Builds the standard library the assessor loads: the modules it was seen importing, as bytecode
// (see stdlib.py for why and how). Two runs, each in its own process so that they run side by
// side (prodready_tools.runtime.compile_stdlib starts both):
//
//   node compile-stdlib.mjs first RUNTIME_DIR REQUESTS_JSON WHEEL...
//   node compile-stdlib.mjs fallback RUNTIME_DIR OUT_ZIP < FIRST_ENTRIES_JSON
//
// RUNTIME_DIR holds Pyodide's python_stdlib.zip, the runtime's pyodide-lock.json and the wheels
// it names. Pyodide from node_modules (the pinned version the site ships) is started on that
// archive as the worker may start it:
//   first:    the first visit: the engine's WHEELs unpacked into site-packages, the engine
//             imported and its start-up check answered, then a memory snapshot made (the
//             worker's usual path), then every request of REQUESTS_JSON sent (a JSON list of
//             {"request": "<JSON string>", "must_succeed": bool}). Writes the archive entries
//             it imported to stdout (JSON).
//   fallback: the engine installed by Pyodide's package loader from the lock file, sent only the
//             start-up check (what a request imports does not depend on how the engine was
//             installed, and the first run sends them all). Then reads the first run's entries
//             from stdin, and writes the archive of every module either run imported to OUT_ZIP
//             and its summary (cache tag, magic number, kept entries) to stdout.
// Exit 1 when a run fails, when a request that must succeed does not, or when any reply reports
// an internal error (a missing module shows up as one).

import { readFile, writeFile } from "node:fs/promises";
import { text as streamText } from "node:stream/consumers";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..", "..");
const USAGE = `usage: node compile-stdlib.mjs first RUNTIME_DIR REQUESTS_JSON WHEEL...
       node compile-stdlib.mjs fallback RUNTIME_DIR OUT_ZIP < FIRST_ENTRIES_JSON
`;
const [mode, ...args] = process.argv.slice(2);
const enough = { first: 3, fallback: 2 }[mode];
if (enough === undefined || args.length < enough) {
  process.stderr.write(USAGE);
  process.exit(2);
}
const [runtimeDir, ...rest] = args.map((arg) => path.resolve(arg));
const pyodideDir = path.join(root, "node_modules", "pyodide");
const { loadPyodide } = await import(path.join(pyodideDir, "pyodide.mjs"));
const tools = await readFile(path.join(here, "stdlib.py"), "utf8");
const INFO = JSON.stringify({ v: 1, id: 0, op: "info" });

function fail(message) {
  process.stderr.write(`compile-stdlib: ${message}\n`);
  process.exit(1);
}

/** Starts Pyodide on the stock archive; `options` as loadPyodide's. */
function start(options) {
  return loadPyodide({
    indexURL: pyodideDir + path.sep,
    stdLibURL: path.join(runtimeDir, "python_stdlib.zip"),
    lockFileURL: path.join(runtimeDir, "pyodide-lock.json"),
    packageBaseUrl: runtimeDir + path.sep,
    stdout: () => {},
    stderr: (line) => process.stderr.write(`${line}\n`),
    ...options,
  });
}

/** Sends the requests to the engine (imported by now) and checks the replies. Only strings
 * cross between JavaScript and Python, so no Python object is held (the snapshot needs that). */
function warmUp(pyodide, label, probes) {
  pyodide.FS.writeFile("/tmp/requests.json", JSON.stringify(probes.map((r) => r.request)));
  const replies = JSON.parse(pyodide.runPython("warm_up('/tmp/requests.json')"));
  for (const [index, text] of replies.entries()) {
    const reply = JSON.parse(text);
    if (reply.ok !== true && (probes[index].must_succeed || reply.error?.code === "internal")) {
      fail(`${label}: the engine refused request ${index} ${probes[index].request}: ${text}`);
    }
  }
}

/** The stock archive's entries of the modules imported so far. */
function imported(pyodide) {
  return pyodide.runPython("'\\n'.join(imported_from(stdlib_archive()))").split("\n");
}

/** The first visit, as the worker makes it: files in site-packages before Python imports
 * anything of the engine, the start-up check, the memory snapshot. */
async function firstVisit(requestsFile, wheels) {
  const requests = JSON.parse(await readFile(requestsFile, "utf8"));
  // Read before the runtime starts: a wheel that is not there fails the run at once.
  const wheelData = await Promise.all(wheels.map((wheel) => readFile(wheel)));
  let sitePackages = null;
  const first = await start({
    _makeSnapshot: true,
    fsInit: (FS, info) => {
      sitePackages = info.sitePackages;
    },
  });
  first.runPython(tools);
  const wheelPaths = wheelData.map((_, index) => `/tmp/wheel-${index}.whl`);
  for (const [index, data] of wheelData.entries()) {
    first.FS.writeFile(wheelPaths[index], new Uint8Array(data));
  }
  first.runPython(`install(${JSON.stringify(wheelPaths)}, ${JSON.stringify(sitePackages)})`);
  const check = first.runPython(
    `import prodready.protocol\nprodready.protocol.handle(${JSON.stringify(INFO)})`,
  );
  if (JSON.parse(check).ok !== true) fail(`the start-up check failed: ${check}`);
  if (!(first.makeMemorySnapshot().length > 0)) fail("the memory snapshot is empty");
  warmUp(first, "first visit", requests);
  process.stdout.write(`${JSON.stringify(imported(first))}\n`);
}

/** The fallback: Pyodide's package loader installs the engine from the lock file. This run also
 * writes the archive, with prodready_tools.wheels (which makes the bytecode) put into
 * site-packages only now, after the modules were counted. */
async function fallbackAndWrite(outZip) {
  let sitePackages = null;
  const fallback = await start({
    fsInit: (FS, info) => {
      sitePackages = info.sitePackages;
    },
  });
  fallback.runPython(tools);
  const loaded = await fallback.loadPackage(["prodready"], { messageCallback: () => {} });
  if (!loaded.some((pkg) => pkg.name === "prodready")) {
    fail("the package loader did not load the engine");
  }
  fallback.runPython("import prodready.protocol");
  // The start-up check alone (see the top of this file): the loader's own imports are the point.
  warmUp(fallback, "package loader", [{ request: INFO, must_succeed: true }]);
  const kept = new Set(imported(fallback));
  for (const entry of JSON.parse(await streamText(process.stdin))) kept.add(entry);
  const toolsDir = `${sitePackages}/prodready_tools`;
  fallback.FS.mkdirTree(toolsDir);
  for (const name of ["__init__.py", "wheels.py"]) {
    fallback.FS.writeFile(`${toolsDir}/${name}`, await readFile(path.join(here, name), "utf8"));
  }
  const entries = JSON.stringify([...kept].sort());
  const summary = fallback.runPython(`write_trimmed(${entries}, '/tmp/stdlib.zip')`);
  await writeFile(outZip, fallback.FS.readFile("/tmp/stdlib.zip"));
  process.stdout.write(`${summary}\n`);
}

if (mode === "first") await firstVisit(rest[0], rest.slice(1));
else await fallbackAndWrite(rest[0]);
