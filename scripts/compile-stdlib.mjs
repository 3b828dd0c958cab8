// Adds bytecode to Pyodide's standard library for the modules the assessor's start-up needs
// (see compile_stdlib.py for why and how).
//
//   node scripts/compile-stdlib.mjs STOCK_ZIP REQUESTS_JSON OUT_ZIP WHEEL...
//
// Starts Pyodide from node_modules (the pinned version the site ships) on STOCK_ZIP, unpacks the
// engine's WHEELs into site-packages, sends the engine each request of REQUESTS_JSON (a JSON list
// of request strings) as the worker would, then compiles every module imported so far from
// STOCK_ZIP and writes the archive with that bytecode to OUT_ZIP. Prints a JSON summary (cache
// tag, magic number, compiled entries). Exit 1 on failure.

import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
if (args.length < 4) {
  process.stderr.write(
    "usage: node scripts/compile-stdlib.mjs STOCK_ZIP REQUESTS_JSON OUT_ZIP WHEEL...\n",
  );
  process.exit(2);
}
const [stockZip, requestsFile, outZip, ...wheels] = args;

const { loadPyodide } = await import(path.join(here, "..", "node_modules", "pyodide", "pyodide.mjs"));
let sitePackages = null; // where the worker writes the engine's files (fsInit, as there)
const pyodide = await loadPyodide({
  stdLibURL: path.resolve(stockZip),
  stdout: () => {},
  stderr: (line) => process.stderr.write(`${line}\n`),
  fsInit: (FS, info) => {
    sitePackages = info.sitePackages;
  },
});
const requests = JSON.parse(await readFile(requestsFile, "utf8"));
// Everything runs in one namespace; only strings and lists of strings cross back to JavaScript.
const namespace = pyodide.globals.get("dict")();
pyodide.runPython(await readFile(path.join(here, "compile_stdlib.py"), "utf8"), {
  globals: namespace,
});
const wheelBytes = await Promise.all(wheels.map((wheel) => readFile(wheel)));
namespace.get("install")(pyodide.toPy(wheelBytes.map((data) => new Uint8Array(data))), sitePackages);
const replies = namespace.get("warm_up")(pyodide.toPy(requests)).toJs();
for (const [index, reply] of replies.entries()) {
  if (JSON.parse(reply).ok !== true) {
    process.stderr.write(`the engine refused request ${index}: ${reply}\n`);
    process.exit(1);
  }
}
const archive = namespace.get("stdlib_archive")();
const entries = namespace.get("imported_from")(archive).toJs();
// compile_stdlib.py makes each pyc with compile_wheels.bytecode, as for the engine's wheel. It is
// put on sys.path only now, after the modules were counted: its imports would count otherwise.
pyodide.FS.mkdirTree("/build");
pyodide.FS.writeFile(
  "/build/compile_wheels.py",
  await readFile(path.join(here, "compile_wheels.py"), "utf8"),
);
pyodide.runPython("import sys; sys.path.insert(0, '/build')");
const data = new Uint8Array(await readFile(stockZip));
const result = namespace.get("add_bytecode")(data, pyodide.toPy(entries), archive);
await writeFile(outZip, result.toJs());
result.destroy();
process.stdout.write(`${namespace.get("summary")(pyodide.toPy(entries))}\n`);
