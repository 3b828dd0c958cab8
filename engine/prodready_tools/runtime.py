"""Assemble the self-hosted Pyodide runtime that the assessor's Web Worker loads.

Output: ``docs/assets/runtime/`` (gitignored; MkDocs copies it into the site):

* the Pyodide core files (``pyodide.mjs``, ``pyodide.asm.mjs``, ``pyodide.asm.wasm``,
  ``python_stdlib.zip``), taken from ``node_modules/pyodide``: a complete stock runtime, which
  ``loadPyodide()`` can start without options;
* ``python_stdlib-<hash>.zip``: the modules of that standard library that the runtime and the
  engine import, as bytecode (see stdlib.py), the one the worker loads;
* the engine wheel (``prodready``), with its rules pre-parsed (``data/compiled.json``, see
  prodready.loader) and bytecode compiled inside Pyodide for its Python 3.14 (see
  wheels.py), and the pure-Python wheels it needs, at the versions installed in the project's
  virtualenv (the files and sha256 that uv.lock records);
* ``pyodide-lock.json``: Pyodide's lock file with our wheels added by ``pyodide lockfile
  add-wheels`` and then cut down to the packages shipped here, so ``loadPackage(["prodready"])``
  resolves everything locally (sha256-checked) and asks for nothing that is not on the server;
* ``engine-<hash>.tar.gz``: the files of those wheels in one gzipped tar archive, as the worker
  writes them into site-packages before Python starts (see write_engine_archive);
* ``engine-files.json``: the record the worker reads first: the archive's name, its sha256 and
  the wheels it came from, and the compiled standard library's name, sha256 and source;
* ``manifest.json``: file names, sizes and sha256, the versions, and a fingerprint of the inputs.

Idempotent: when the inputs' fingerprint matches the manifest and the files are intact, it exits
at once. Third-party wheels are cached in ``.cache/wheels/`` and the engine wheel in
``.cache/runtime/`` (keyed by a hash of its sources), so rebuilds work offline.

Run it through ``scripts/build-runtime``, which prepares the virtualenv and ``node_modules`` first.
"""

from __future__ import annotations

import argparse
import fcntl
import gzip
import hashlib
import importlib.metadata
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
import urllib.request
import zipfile
from dataclasses import dataclass
from email.parser import Parser
from pathlib import Path
from typing import NoReturn

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

from prodready_tools.warmup import probes
from prodready_tools.wheels import add_to_wheel

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OUT = ROOT / "docs" / "assets" / "runtime"
PYODIDE_PKG = ROOT / "node_modules" / "pyodide"
WHEEL_CACHE = ROOT / ".cache" / "wheels"
ENGINE_CACHE = ROOT / ".cache" / "runtime"
ENGINE_SRC = ROOT / "engine" / "prodready"
ENGINE_NAME = "prodready"
# Adds bytecode for Pyodide's Python to the engine wheel (sources kept as the fallback). Only the
# engine: it is what runs at start-up; markdown-it-py is imported only for a downloaded report, so
# its larger bytecode would cost every reader bytes for a rare, one-off saving.
COMPILER = (HERE / "compile-wheels.mjs", HERE / "wheels.py")
# Adds bytecode for the start-up modules to Pyodide's standard library (see stdlib.py).
STDLIB_COMPILER = (
    HERE / "compile-stdlib.mjs", HERE / "stdlib.py", HERE / "wheels.py", HERE / "warmup.py",
)  # fmt: skip
UV_LOCK = ROOT / "uv.lock"
COMPILED_RULES = f"{ENGINE_NAME}/data/compiled.json"
COMPILED_RULES_SCRIPT = (
    "import sys; from prodready.loader import compiled_data; sys.stdout.write(compiled_data())"
)

# What loadPyodide() fetches in a browser (checked by watching the requests of a real load):
# the loader, the Emscripten module, the wasm binary, the standard library and the lock file.
STOCK_STDLIB = "python_stdlib.zip"
CORE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", STOCK_STDLIB)
LOCK_FILE = "pyodide-lock.json"
MANIFEST = "manifest.json"
ENGINE_FILES = "engine-files.json"
SOURCE_MAP_PREFIX = b"//# sourceMappingURL="
# Bump when the output layout changes, so old outputs are rebuilt.
LAYOUT_VERSION = "4"


def log(message: str) -> None:
    print(f"build-runtime: {message}", file=sys.stderr)


def fail(message: str) -> NoReturn:
    print(f"build-runtime: error: {message}", file=sys.stderr)
    raise SystemExit(1)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def run(args: list[str], cwd: Path | None = None) -> None:
    """Runs a command quietly; shows its output only when it fails."""
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        fail(f"command failed ({proc.returncode}): {' '.join(args)}")


def pinned_pyodide_version() -> str:
    package_json = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    pinned: str = package_json["dependencies"]["pyodide"]
    installed_json = PYODIDE_PKG / "package.json"
    if not installed_json.is_file():
        fail("node_modules/pyodide is missing: run `npm ci` (scripts/build-runtime does it).")
    installed: str = json.loads(installed_json.read_text(encoding="utf-8"))["version"]
    if installed != pinned:
        fail(f"node_modules has pyodide {installed} but package.json pins {pinned}: run `npm ci`.")
    return pinned


def engine_source_files() -> list[Path]:
    """The files hatchling puts in the engine wheel, plus the metadata sources: pyproject.toml
    and the package's readme (its METADATA's description, which readers download too)."""
    files = [
        p
        for p in ENGINE_SRC.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in {".pyc", ".pyo"}
    ]
    pyproject = ROOT / "pyproject.toml"
    files += [pyproject, *package_readme(pyproject)]
    return sorted(f for f in files if f.is_file())


def package_readme(pyproject: Path) -> list[Path]:
    """The readme file ``pyproject`` names for the package (``readme = "FILE"`` or
    ``readme = {file = "FILE", ...}``), if any."""
    readme = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"].get("readme")
    if isinstance(readme, dict):
        readme = readme.get("file")
    return [pyproject.parent / readme] if isinstance(readme, str) else []


def engine_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in [*engine_source_files(), *COMPILER]:
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def core_fingerprint() -> str:
    """Cheap identity of the npm files: name, size and mtime (npm ci rewrites them)."""
    parts = []
    for name in (*CORE_FILES, LOCK_FILE):
        stat = (PYODIDE_PKG / name).stat()
        parts.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def build_engine_wheel(fingerprint: str) -> Path:
    """Builds (or reuses) the engine wheel for the current sources."""
    cache_dir = ENGINE_CACHE / f"{ENGINE_NAME}-{fingerprint[:16]}"
    wheels = sorted(cache_dir.glob("*.whl")) if cache_dir.is_dir() else []
    if len(wheels) == 1:
        return wheels[0]
    log("building the engine wheel")
    ENGINE_CACHE.mkdir(parents=True, exist_ok=True)
    for stale in ENGINE_CACHE.glob(f"{ENGINE_NAME}-*"):
        shutil.rmtree(stale, ignore_errors=True)
    # The build frontend and hatchling are in the virtualenv (uv.lock): no isolated build
    # environment to download.
    with tempfile.TemporaryDirectory(dir=ENGINE_CACHE) as tmp:
        run(
            [
                sys.executable, "-m", "build", "--wheel", "--no-isolation",
                "--outdir", tmp, str(ROOT),
            ]
        )  # fmt: skip
        built = sorted(Path(tmp).glob(f"{ENGINE_NAME}-*.whl"))
        if len(built) != 1:
            fail(f"expected one {ENGINE_NAME} wheel, the build produced {[p.name for p in built]}")
        add_compiled_rules(built[0])
        compile_bytecode(built[0])
        cache_dir.mkdir()
        target = cache_dir / built[0].name
        shutil.move(built[0], target)
    check_engine_wheel(target)
    return target


def add_compiled_rules(wheel: Path) -> None:
    """Adds ``prodready/data/compiled.json`` (the TOML rules, parsed; see prodready.loader)."""
    proc = subprocess.run(
        [sys.executable, "-c", COMPILED_RULES_SCRIPT],
        cwd=ROOT, capture_output=True, text=True, check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT / "engine")},
    )  # fmt: skip
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        fail("could not compile the rule files")
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            is_rules = name.startswith(f"{ENGINE_NAME}/data/") and name.endswith(".toml")
            if is_rules and archive.read(name) != (ROOT / "engine" / name).read_bytes():
                fail(f"{name} in {wheel.name} differs from the source tree")
    data = add_to_wheel(wheel.read_bytes(), {COMPILED_RULES: proc.stdout.encode("utf-8")})
    wheel.write_bytes(data)


def compile_bytecode(wheel: Path) -> None:
    """Adds Python 3.14 bytecode to ``wheel`` in place, compiled by Pyodide itself under Node."""
    node = shutil.which("node")
    if node is None:
        fail(
            "Node.js is needed to compile the engine for Pyodide (scripts/build-runtime sets it up)"
        )
    proc = subprocess.run(
        [node, str(COMPILER[0]), str(wheel)], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        fail(f"compiling {wheel.name} for Pyodide failed")
    with zipfile.ZipFile(wheel) as archive:
        if not any(name.endswith(".pyc") for name in archive.namelist()):
            fail(f"{wheel.name} has no bytecode after compiling it")


def check_engine_wheel(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        tops = {name.split("/", 1)[0] for name in archive.namelist()}
    unexpected = {t for t in tops if t != ENGINE_NAME and not t.endswith(".dist-info")}
    if unexpected:
        fail(f"the engine wheel should hold only {ENGINE_NAME}/, found also {sorted(unexpected)}")


def wheel_requirements(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        meta_name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = Parser().parsestr(archive.read(meta_name).decode("utf-8"))
    return metadata.get_all("Requires-Dist") or []


def pyodide_marker_env(python_version: str) -> dict[str, str]:
    env = {key: str(value) for key, value in default_environment().items()}
    major_minor = ".".join(python_version.split(".")[:2])
    env.update(
        python_version=major_minor,
        python_full_version=python_version,
        sys_platform="emscripten",
        platform_system="Emscripten",
        platform_machine="wasm32",
        os_name="posix",
        implementation_name="cpython",
        platform_python_implementation="CPython",
        extra="",
    )
    return env


def dependency_pins(requirements: list[str], python_version: str) -> dict[str, str]:
    """Transitive runtime dependencies (name -> version installed in this virtualenv)."""
    env = pyodide_marker_env(python_version)
    pins: dict[str, str] = {}
    queue = list(requirements)
    while queue:
        req = Requirement(queue.pop())
        if req.marker is not None and not req.marker.evaluate(env):
            continue
        name = canonicalize_name(req.name)
        if name in pins:
            continue
        try:
            version = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            fail(f"{name} is a dependency of the engine but is not installed in the virtualenv")
        if not req.specifier.contains(version, prereleases=True):
            fail(f"the virtualenv has {name} {version}, the engine requires {req}")
        pins[name] = version
        queue.extend(importlib.metadata.requires(name) or [])
    return dict(sorted(pins.items()))


def locked_wheel(name: str, version: str) -> tuple[str, str]:
    """The URL and sha256 of the pure-Python wheel of ``name`` ``version`` in uv.lock."""
    lock = tomllib.loads(UV_LOCK.read_text(encoding="utf-8"))
    for package in lock.get("package", []):
        if package.get("name") != name or package.get("version") != version:
            continue
        for wheel in package.get("wheels", []):
            url = str(wheel["url"])
            _, _, _, tags = parse_wheel_filename(url.rsplit("/", 1)[1])
            if all(t.abi == "none" and t.platform == "any" for t in tags):
                algorithm, _, digest = str(wheel["hash"]).partition(":")
                if algorithm != "sha256":
                    fail(f"uv.lock gives a {algorithm} hash for {url}, not sha256")
                return url, digest
        fail(f"uv.lock has no pure-Python wheel of {name} {version}; Pyodide cannot load it")
    fail(f"{name} {version} is not in uv.lock: run scripts/lock, then scripts/build-runtime")


def download_wheel(url: str, sha256: str, dest: Path) -> Path:
    """Downloads the wheel at ``url`` into ``dest`` when its sha256 is the locked one."""
    log(f"downloading {url.rsplit('/', 1)[1]}")
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            data = response.read()
    except OSError as error:
        fail(f"could not download {url}: {error}")
    if hashlib.sha256(data).hexdigest() != sha256:
        fail(f"{url} does not have the sha256 that uv.lock records")
    dest.mkdir(parents=True, exist_ok=True)
    target = dest / url.rsplit("/", 1)[1]
    target.write_bytes(data)
    return target


def dependency_wheels(pins: dict[str, str]) -> list[Path]:
    """The wheels of ``pins`` (name -> version), the files uv.lock records, sha256-checked;
    cached in .cache/wheels/ so rebuilds work offline."""
    wheels = []
    for name, version in pins.items():
        url, sha256 = locked_wheel(name, version)
        cached = WHEEL_CACHE / url.rsplit("/", 1)[1]
        if cached.is_file() and sha256_file(cached) == sha256:
            wheels.append(cached)
        else:
            wheels.append(download_wheel(url, sha256, WHEEL_CACHE))
    return wheels


def copy_core(dest: Path) -> None:
    for name in CORE_FILES:
        source = PYODIDE_PKG / name
        target = dest / name
        if name == "pyodide.mjs":
            # The loader ends with a sourceMappingURL comment; drop it rather than ship the map,
            # so opening the developer tools does not log a 404.
            lines = source.read_bytes().splitlines(keepends=True)
            kept = [ln for ln in lines if not ln.startswith(SOURCE_MAP_PREFIX)]
            write_if_changed(target, b"".join(kept))
        elif not (target.is_file() and sha256_file(target) == sha256_file(source)):
            shutil.copyfile(source, target)


def write_if_changed(target: Path, data: bytes) -> None:
    if target.is_file() and target.read_bytes() == data:
        return
    target.write_bytes(data)


def build_lock(dest: Path, wheels: list[Path]) -> dict[str, str]:
    """Adds the wheels to Pyodide's lock file, keeps only what we ship; returns name -> file."""
    for wheel in wheels:
        target = dest / wheel.name
        if not (target.is_file() and target.read_bytes() == wheel.read_bytes()):
            shutil.copyfile(wheel, target)
    pyodide_cli = Path(sys.executable).with_name("pyodide")
    with tempfile.TemporaryDirectory() as tmp:
        full = Path(tmp) / "pyodide-lock-full.json"
        run(
            [
                str(pyodide_cli), "lockfile", "add-wheels",
                "--input", str(PYODIDE_PKG / LOCK_FILE), "--output", str(full),
                "--base-path", str(dest), *(str(dest / w.name) for w in wheels),
            ]
        )  # fmt: skip
        lock = json.loads(full.read_text(encoding="utf-8"))
    packages: dict[str, dict[str, object]] = lock["packages"]
    shipped: dict[str, dict[str, object]] = {}
    queue = [ENGINE_NAME]
    while queue:
        name = queue.pop()
        if name in shipped:
            continue
        if name not in packages:
            fail(f"{name} is missing from the lock file after add-wheels")
        entry = packages[name]
        file_name = str(entry["file_name"])
        if not (dest / file_name).is_file():
            fail(f"the lock file wants {file_name} for {name}, which this build does not ship")
        if entry["sha256"] != sha256_file(dest / file_name):
            fail(f"sha256 of {file_name} does not match the lock file")
        shipped[name] = entry
        depends = entry.get("depends", [])
        assert isinstance(depends, list)
        queue.extend(str(d) for d in depends)
    lock["packages"] = dict(sorted(shipped.items()))
    text = json.dumps(lock, indent=1, sort_keys=True) + "\n"
    write_if_changed(dest / LOCK_FILE, text.encode("utf-8"))
    return {name: str(entry["file_name"]) for name, entry in lock["packages"].items()}


def write_engine_archive(dest: Path, wheels: list[Path]) -> tuple[str, str]:
    """Writes the wheels' files as one gzipped tar archive; returns its name and sha256.

    Why: the worker used to fetch the three wheels and inflate each of their ~140 files with its
    own DecompressionStream. On a first visit that took the worker's thread about 0.6 s of
    event-loop turns while Pyodide's loader needed the same thread, and Python's start waited
    for the files. One gzip stream over a plain tar is unpacked in a few milliseconds, and it is
    smaller than the wheels (one compression context for all files). The wheels stay: they are
    what the lock file names, what Pyodide's package loader installs when this shortcut cannot
    be used, and what ``wheels`` in the record ties the archive to.

    The archive is reproducible (sorted members, fixed times and owners, gzip without a time
    stamp) and ustar only, the one tar dialect the worker reads: regular files, paths relative
    to site-packages.
    """
    members: list[tuple[str, bytes]] = []
    for wheel in sorted(wheels, key=lambda w: w.name):
        with zipfile.ZipFile(wheel) as archive:
            for info in archive.infolist():
                if info.is_dir():
                    continue
                top = info.filename.split("/", 1)[0]
                if top.endswith(".data"):
                    fail(f"{wheel.name} has a .data folder, which the engine bundle cannot place")
                members.append((info.filename, archive.read(info)))
    names = [name for name, _ in members]
    if len(set(names)) != len(names):
        fail("two wheels of the engine bundle contain the same file")
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, body in sorted(members):
            entry = tarfile.TarInfo(name)
            entry.size = len(body)
            entry.mode = 0o644
            entry.mtime = 0
            try:
                tar.addfile(entry, io.BytesIO(body))
            except ValueError as error:  # e.g. a path too long for a ustar header
                fail(f"cannot put {name} into the engine bundle: {error}")
    data = gzip.compress(raw.getvalue(), compresslevel=9, mtime=0)
    digest = hashlib.sha256(data).hexdigest()
    name = f"engine-{digest[:16]}.tar.gz"
    write_if_changed(dest / name, data)
    return name, digest


def compile_stdlib(
    dest: Path, wheels: list[Path], first_entries: list[str] | None = None
) -> dict[str, str]:
    """Writes ``python_stdlib-<hash>.zip``: the modules of the stock standard library that the
    runtime and the engine's ``wheels`` import, as bytecode (see stdlib.py and warmup.py);
    returns its record. ``dest`` holds the stock archive, the lock file and the wheels.

    The two runs of compile-stdlib.mjs (the first visit; the package loader, which then writes
    the archive) are independent until the end, so they run side by side: the second is handed
    the modules of the first once it has them. Given ``first_entries`` (the modules of an earlier
    first visit, e.g. those of an archive built before), only the second run is made."""
    node = shutil.which("node")
    if node is None:
        fail("Node.js is needed to compile the standard library (scripts/build-runtime sets it up)")
    stock = dest / STOCK_STDLIB
    script = str(STDLIB_COMPILER[0])
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "stdlib.zip"

        def run(mode: str, *rest: str) -> NodeRun:
            return NodeRun.start(Path(tmp), mode, [node, script, mode, str(dest), *rest])

        def run_first() -> NodeRun:
            requests = Path(tmp) / "requests.json"
            requests.write_text(json.dumps([p.to_json() for p in probes()]), encoding="utf-8")
            return run("first", str(requests), *map(str, wheels))

        # The fallback run first: it needs no requests, so it starts while they are made.
        fallback = run("fallback", str(out))
        first = None
        try:
            if first_entries is None:
                first = run_first()
            given = first.finish() if first else json.dumps(first_entries)
            summary = json.loads(fallback.finish(given))
        finally:
            for each in (first, fallback):
                if each:
                    each.stop()
        compiled: list[str] = summary["entries"]
        # A start-up that imported (almost) nothing from the archive means the run went wrong.
        for needed in ("encodings/__init__.py", "asyncio/__init__.py", "json/__init__.py"):
            if needed not in compiled:
                fail(f"the compiled standard library lacks {needed} ({len(compiled)} modules)")
        data = out.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    name = f"python_stdlib-{digest[:16]}.zip"
    write_if_changed(dest / name, data)
    return {"file": name, "sha256": digest, "source": sha256_file(stock)}


@dataclass(frozen=True)
class NodeRun:
    """One run of compile-stdlib.mjs in its own process; its stderr goes to a file (a pipe
    nobody reads while the other run is awaited could fill up and stall it)."""

    mode: str
    proc: subprocess.Popen[str]
    stderr: Path

    @classmethod
    def start(cls, tmp: Path, mode: str, args: list[str]) -> NodeRun:
        """Starts `args`, the run `mode` ("first" or "fallback"), with its stderr in `tmp`."""
        stderr = tmp / f"{mode}.stderr"
        with stderr.open("w", encoding="utf-8") as errors:
            proc = subprocess.Popen(
                args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors, text=True
            )
        return cls(mode, proc, stderr)

    def finish(self, given: str = "") -> str:
        """Writes `given` to the run's stdin, waits for it and returns its stdout."""
        out, _ = self.proc.communicate(given)
        if self.proc.returncode != 0:
            sys.stderr.write(out + self.stderr.read_text(encoding="utf-8"))
            fail(f"compiling the standard library for Pyodide failed ({self.mode} run)")
        return out

    def stop(self) -> None:
        """Ends the run if it is still going (the other one failed)."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate()


def write_record(
    dest: Path, archive: tuple[str, str], wheels: list[Path], stdlib: dict[str, str] | None
) -> None:
    """Writes ``engine-files.json``, which the worker reads before anything else it adds to the
    stock runtime: the engine's archive (name, sha256, the sha256 of each wheel it was made from)
    and, under ``stdlib``, the compiled standard library (name, sha256, the stock one's sha256)."""
    record: dict[str, object] = {
        "file": archive[0],
        "sha256": archive[1],
        "wheels": sorted(sha256_file(wheel) for wheel in wheels),
    }
    if stdlib is not None:
        record["stdlib"] = stdlib
    text = json.dumps(record, indent=1, sort_keys=True) + "\n"
    write_if_changed(dest / ENGINE_FILES, text.encode("utf-8"))


def manifest_is_current(fingerprint: str) -> bool:
    path = OUT / MANIFEST
    if not path.is_file():
        return False
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if manifest.get("inputs") != fingerprint:
            return False
        return all(
            (OUT / name).is_file() and (OUT / name).stat().st_size == info["size"]
            for name, info in manifest["files"].items()
        )
    except (ValueError, KeyError, TypeError, OSError):
        return False


def build(force: bool) -> Path:
    pyodide_version = pinned_pyodide_version()
    source_lock = json.loads((PYODIDE_PKG / LOCK_FILE).read_text(encoding="utf-8"))
    python_version = str(source_lock["info"]["python"])
    engine_fp = engine_fingerprint()
    # Dependencies are read from the engine's declared requirements (pyproject.toml, part of the
    # engine fingerprint) and the versions installed in the virtualenv.
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    project_reqs = [str(r) for r in pyproject["project"].get("dependencies", [])]
    pins = dependency_pins(project_reqs, python_version)
    script_fp = [sha256_file(path) for path in (Path(__file__), *STDLIB_COMPILER)]
    fingerprint = hashlib.sha256(
        json.dumps(
            [LAYOUT_VERSION, pyodide_version, core_fingerprint(), engine_fp, pins, script_fp]
        ).encode()
    ).hexdigest()
    if not force and manifest_is_current(fingerprint):
        return OUT / MANIFEST

    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / MANIFEST).unlink(missing_ok=True)  # written last: its presence marks a whole build
    engine_wheel = build_engine_wheel(engine_fp)
    wheels = [engine_wheel, *dependency_wheels(pins)]
    copy_core(OUT)
    package_files = build_lock(OUT, wheels)
    locked_wheels = [OUT / name for name in package_files.values()]
    archive = write_engine_archive(OUT, locked_wheels)
    log("compiling the standard library the assessor imports")
    stdlib = compile_stdlib(OUT, locked_wheels)
    write_record(OUT, archive, locked_wheels, stdlib)

    keep = {
        *CORE_FILES, LOCK_FILE, MANIFEST, *package_files.values(), archive[0], ENGINE_FILES,
        stdlib["file"],
    }  # fmt: skip
    for stale in OUT.iterdir():
        if stale.name not in keep:
            if stale.is_dir():
                shutil.rmtree(stale)
            else:
                stale.unlink()

    manifest = {
        "inputs": fingerprint,
        "pyodide": pyodide_version,
        "python": python_version,
        "engine": {"name": ENGINE_NAME, "wheel": engine_wheel.name},
        "packages": {
            name: {"file": file_name, "version": _wheel_version(file_name)}
            for name, file_name in package_files.items()
        },
        "files": {
            name: {"size": (OUT / name).stat().st_size, "sha256": sha256_file(OUT / name)}
            for name in sorted(keep - {MANIFEST})
        },
    }
    tmp = OUT / f".{MANIFEST}.tmp"
    tmp.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(OUT / MANIFEST)
    return OUT / MANIFEST


def _wheel_version(file_name: str) -> str:
    return str(parse_wheel_filename(file_name)[1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    parser.add_argument("-v", "--verbose", action="store_true", help="report the time taken")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    ENGINE_CACHE.mkdir(parents=True, exist_ok=True)
    # One build at a time (test sessions and scripts may start it concurrently).
    with (ENGINE_CACHE / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        manifest = build(force=args.force)
    if args.verbose:
        elapsed = time.perf_counter() - started
        log(f"{manifest.parent.relative_to(ROOT)} ready in {elapsed:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
