// Byte-compiles pure-Python wheels in place for Pyodide's own Python (see wheels.py).
//
//   node engine/prodready_tools/compile-wheels.mjs WHEEL...
//
// Loads Pyodide from node_modules (the pinned version the site ships), runs wheels.py in
// it and rewrites each wheel. Prints the cache tag used, e.g. "cpython-314". Exit 1 on failure.

import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..", "..");
const wheels = process.argv.slice(2);
if (wheels.length === 0) {
  process.stderr.write("usage: node compile-wheels.mjs WHEEL...\n");
  process.exit(2);
}

const { loadPyodide } = await import(path.join(root, "node_modules", "pyodide", "pyodide.mjs"));
const pyodide = await loadPyodide({ stdout: () => {}, stderr: (line) => process.stderr.write(`${line}\n`) });
const namespace = pyodide.globals.get("dict")();
pyodide.runPython(await readFile(path.join(here, "wheels.py"), "utf8"), {
  globals: namespace,
});
const compileWheel = namespace.get("compile_wheel");
for (const wheel of wheels) {
  const result = compileWheel(new Uint8Array(await readFile(wheel)));
  await writeFile(wheel, result.toJs());
  result.destroy();
}
process.stdout.write(`${namespace.get("cache_tag")()}\n`);
