// Adds bytecode to Pyodide's standard library for the modules the assessor's start-up needs
// (see compile_stdlib.py for why and how).
//
//   node scripts/compile-stdlib.mjs STOCK_ZIP ENGINE_ARCHIVE REQUESTS_JSON OUT_ZIP
//
// Starts Pyodide from node_modules (the pinned version the site ships) the way the assessor's
// worker does: the engine's files from ENGINE_ARCHIVE (the gzipped ustar archive of the engine's
// wheels) written into site-packages before Python starts. Then it sends the engine each request
// of REQUESTS_JSON (a JSON list of request strings), compiles every module imported so far from
// STOCK_ZIP and writes the archive with that bytecode to OUT_ZIP. Prints a JSON summary (cache
// tag, magic number, compiled entries). Exit 1 on failure.

import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
if (args.length !== 4) {
  process.stderr.write(
    "usage: node scripts/compile-stdlib.mjs STOCK_ZIP ENGINE_ARCHIVE REQUESTS_JSON OUT_ZIP\n",
  );
  process.exit(2);
}
const [stockZip, engineArchive, requestsFile, outZip] = args;

/** The regular files of a ustar archive, as the build writes it, as [path, bytes] pairs. */
function untar(bytes) {
  const text = (at, length) => {
    const field = bytes.subarray(at, at + length);
    const end = field.indexOf(0);
    return Buffer.from(end < 0 ? field : field.subarray(0, end)).toString("utf8");
  };
  const files = [];
  let at = 0;
  while (at + 512 <= bytes.length && bytes[at] !== 0) {
    const prefix = text(at + 345, 155);
    const name = prefix ? `${prefix}/${text(at, 100)}` : text(at, 100);
    const size = Number.parseInt(text(at + 124, 12).trim(), 8);
    at += 512;
    files.push([name, bytes.subarray(at, at + size)]);
    at += Math.ceil(size / 512) * 512;
  }
  return files;
}

const engineFiles = untar(gunzipSync(await readFile(engineArchive)));
const { loadPyodide } = await import(path.join(here, "..", "node_modules", "pyodide", "pyodide.mjs"));
const pyodide = await loadPyodide({
  stdLibURL: path.resolve(stockZip),
  stdout: () => {},
  stderr: (line) => process.stderr.write(`${line}\n`),
  fsInit: (FS, { sitePackages }) => {
    for (const [name, data] of engineFiles) {
      const target = `${sitePackages}/${name}`;
      FS.mkdirTree(target.slice(0, target.lastIndexOf("/")));
      FS.writeFile(target, data);
    }
  },
});
const requests = JSON.parse(await readFile(requestsFile, "utf8"));
// Everything runs in one namespace; only strings and lists of strings cross back to JavaScript.
const namespace = pyodide.globals.get("dict")();
pyodide.runPython(await readFile(path.join(here, "compile_stdlib.py"), "utf8"), {
  globals: namespace,
});
const replies = namespace.get("warm_up")(pyodide.toPy(requests)).toJs();
for (const [index, reply] of replies.entries()) {
  if (JSON.parse(reply).ok !== true) {
    process.stderr.write(`the engine refused request ${index}: ${reply}\n`);
    process.exit(1);
  }
}
const archive = namespace.get("stdlib_archive")();
const entries = namespace.get("imported_from")(archive).toJs();
const data = new Uint8Array(await readFile(stockZip));
const result = namespace.get("add_bytecode")(data, pyodide.toPy(entries), archive);
await writeFile(outZip, result.toJs());
result.destroy();
process.stdout.write(`${namespace.get("summary")(pyodide.toPy(entries))}\n`);
