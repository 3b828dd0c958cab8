// Runs the engine inside Pyodide under Node, from the self-hosted runtime in docs/assets/runtime/
// (build it first: scripts/build-runtime), and prints what prodready.protocol.handle() returns.
//
//   node tests/runtime/parity.mjs [--runtime DIR] [[--op OP[:FORMAT]]... ANSWERS.json...]...
//
// Each file holds an answers object, or an object with an "answers" member (an example or a full
// request). The --op options before a file are its requests (default: assess): a file takes the
// ops of the group of --op options last given before it, so one run can ask for every op on some
// files and fewer on others. For each file and each of its ops the engine gets exactly
//   json.dumps({"v": 1, "id": 1, "op": OP, "answers": answers})
// with "format": FORMAT appended when given (e.g. --op render:html; --op assess:fragments asks for
// the page's fragments, "fragments": true, instead), and the script prints one
// JSON document on stdout, results in file order, then op order:
//   {"python": "3.14.x", "prodready": "<__version__>", "pyodide": "<version>",
//    "packages": ["mdurl", ...], "bytecode": {"prodready.loader": "unchecked-hash", ...},
//    "startup_stdlib": {"asyncio": "pyc", ...}, "engine_stdlib": {"datetime": "pyc", ...},
//    "results": [{"file": "<as given>", "op": "OP[:FORMAT]", "response": "<exact string>"} |
//                {"file": ..., "op": ..., "exception": "<Type>: <message>"}, ...]}
// The packages come from the runtime's pyodide-lock.json (sha256-checked by Pyodide); nothing is
// fetched from the network and micropip is not used. The standard library is the one the worker
// loads (engine-files.json); the *_stdlib maps tell, for each module of it imported by Pyodide's
// start-up and by the engine's import, info and first assessment, whether zipimport found
// bytecode ("pyc") or compiled the source ("py"). Exit status: 0 on success, 2 on usage
// errors, 1 when the runtime or the engine fails to load.

import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..", "..");

function usage(message) {
  const synopsis =
    "usage: node tests/runtime/parity.mjs [--runtime DIR] [[--op OP[:FORMAT]]... FILE...]...";
  process.stderr.write(`${message}\n${synopsis}\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
let runtimeDir = path.join(root, "docs", "assets", "runtime");
const files = [];
const opsOf = []; // opsOf[i]: the requests for files[i]
let ops = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--runtime") {
    if (i + 1 >= args.length) usage("--runtime needs a directory");
    runtimeDir = path.resolve(args[++i]);
  } else if (args[i] === "--op") {
    if (i + 1 >= args.length) usage("--op needs a value such as assess or render:html");
    if (opsOf.at(-1) === ops) ops = []; // a file took the ops before: a new group starts
    ops.push(args[++i]);
  } else if (args[i].startsWith("-")) {
    usage(`unknown option ${args[i]}`);
  } else {
    files.push(args[i]);
    if (ops.length === 0) ops = ["assess"];
    opsOf.push(ops);
  }
}

const texts = await Promise.all(files.map((f) => readFile(f, "utf8")));
const indexURL = runtimeDir + path.sep;

// The loader under node_modules is byte-identical to the shipped one apart from the stripped
// source-map comment; importing it from there lets Node resolve the loader's "ws" dependency.
// Everything else (asm.mjs, wasm, stdlib, lock file, wheels) comes from the runtime directory.
const { loadPyodide } = await import(
  path.join(root, "node_modules", "pyodide", "pyodide.mjs")
);

// The standard library the worker loads: the bytecode of the modules it imports (see
// engine/prodready_tools/stdlib.py), as named in engine-files.json.
const record = JSON.parse(await readFile(path.join(runtimeDir, "engine-files.json"), "utf8"));

// Each module imported so far from the standard library's archive, and whether zipimport found
// its bytecode ("pyc", the module's origin is the .pyc) or compiled its source ("py").
// Only sys is imported here, so that the modules start-up imported are all that is counted.
const STDLIB_KINDS = `
import sys
_archive = next(p for p in sys.path if p.endswith(".zip")) + "/"
def _stdlib_kinds(names):
    kinds = {}
    for name in sorted(names):
        origin = getattr(getattr(sys.modules.get(name), "__spec__", None), "origin", None)
        if isinstance(origin, str) and origin.startswith(_archive):
            kinds[name] = origin.rpartition(".")[2]
    return kinds
`;

const stderrLines = [];
let pyodide;
try {
  pyodide = await loadPyodide({
    indexURL,
    stdLibURL: path.join(runtimeDir, record.stdlib.file),
    // packageBaseUrl also replaces the CDN fallback Pyodide uses under Node for missing files.
    packageBaseUrl: indexURL,
    stdout: () => {},
    stderr: (line) => stderrLines.push(line),
  });
} catch (error) {
  process.stderr.write(`parity: loadPyodide failed: ${error}\n`);
  process.exit(1);
}

pyodide.runPython(STDLIB_KINDS);
const startupProxy = pyodide.runPython("_stdlib_kinds(list(sys.modules))");
const startupStdlib = startupProxy.toJs({ dict_converter: Object.fromEntries });
startupProxy.destroy();

const messages = [];
const loaded = await pyodide.loadPackage(["prodready"], {
  messageCallback: (m) => messages.push(m),
  errorCallback: (m) => messages.push(`error: ${m}`),
});
const loadedNames = loaded.map((p) => p.name).sort();
if (!loadedNames.includes("prodready")) {
  process.stderr.write(`parity: prodready did not load:\n${messages.join("\n")}\n`);
  process.exit(1);
}

pyodide.globals.set("answer_texts", pyodide.toPy(texts));
pyodide.globals.set("ops_of", pyodide.toPy(opsOf));
const result = pyodide.runPython(`
import json
import sys

_before_engine = set(sys.modules)
import prodready
import prodready.protocol


def _answers(text):
    data = json.loads(text)
    if isinstance(data, dict) and isinstance(data.get("answers"), dict):
        return data["answers"]
    return data


def _bytecode():
    # How each engine module was loaded: the kind of pyc beside its source, if any. Pyodide never
    # writes bytecode, so a pyc here is one shipped in the wheel. Flags: 1 = unchecked hash.
    kinds = {}
    for name, module in sorted(sys.modules.items()):
        if name.split(".")[0] != "prodready":
            continue
        cached = getattr(module.__spec__, "cached", None)
        try:
            with open(cached, "rb") as handle:
                flags = int.from_bytes(handle.read(8)[4:8], "little")
            kinds[name] = "unchecked-hash" if flags == 1 else f"flags={flags}"
        except (OSError, TypeError):
            kinds[name] = "none"
    return kinds


def _run(text, op_spec):
    op, _, fmt = op_spec.partition(":")
    try:
        request = {"v": 1, "id": 1, "op": op, "answers": _answers(text)}
        if fmt == "fragments":
            request["fragments"] = True
        elif fmt:
            request["format"] = fmt
        return {"op": op_spec, "response": prodready.protocol.handle(json.dumps(request))}
    except Exception as error:  # reported, compared with CPython's behaviour
        return {"op": op_spec, "exception": f"{type(error).__name__}: {error}"}


# What the assessor's start-up (import, info, one assessment) imports of the costly optional
# modules: none is needed before a report is downloaded.
prodready.protocol.handle(json.dumps({"v": 1, "id": 0, "op": "info"}))
if answer_texts:
    prodready.protocol.handle(
        json.dumps({"v": 1, "id": 0, "op": "assess", "answers": _answers(answer_texts[0])})
    )
_startup_heavy = sorted(m for m in ("tomllib", "html", "markdown_it") if m in sys.modules)
_engine_stdlib = _stdlib_kinds(set(sys.modules) - _before_engine)

json.dumps(
    {
        "startup_heavy_modules": _startup_heavy,
        "engine_stdlib": _engine_stdlib,
        "python": ".".join(str(p) for p in sys.version_info[:3]),
        "prodready": prodready.__version__,
        "results": [
            _run(text, op) for text, ops in zip(answer_texts, ops_of) for op in ops
        ],
        "bytecode": _bytecode(),
    }
)
`);
const report = JSON.parse(result);
report.pyodide = pyodide.version;
report.startup_stdlib = startupStdlib;
report.packages = loadedNames;
const fileOf = files.flatMap((file, i) => opsOf[i].map(() => file));
report.results = report.results.map((r, i) => ({ file: fileOf[i], ...r }));
if (stderrLines.length) report.stderr = stderrLines;
process.stdout.write(`${JSON.stringify(report)}\n`);
