// Byte-compiles pure-Python wheels in place for Pyodide's own Python (see compile_wheels.py).
//
//   node scripts/compile-wheels.mjs WHEEL...
//
// Loads Pyodide from node_modules (the pinned version the site ships), runs compile_wheels.py in
// it and rewrites each wheel. Prints the cache tag used, e.g. "cpython-314". Exit 1 on failure.

import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const wheels = process.argv.slice(2);
if (wheels.length === 0) {
  process.stderr.write("usage: node scripts/compile-wheels.mjs WHEEL...\n");
  process.exit(2);
}

const { loadPyodide } = await import(path.join(here, "..", "node_modules", "pyodide", "pyodide.mjs"));
const pyodide = await loadPyodide({ stdout: () => {}, stderr: (line) => process.stderr.write(`${line}\n`) });
const namespace = pyodide.globals.get("dict")();
pyodide.runPython(await readFile(path.join(here, "compile_wheels.py"), "utf8"), {
  globals: namespace,
});
const compileWheel = namespace.get("compile_wheel");
for (const wheel of wheels) {
  const result = compileWheel(new Uint8Array(await readFile(wheel)));
  await writeFile(wheel, result.toJs());
  result.destroy();
}
process.stdout.write(`${namespace.get("cache_tag")()}\n`);
