"""Adds byte-compiled modules to pure-Python wheels, for the Python that Pyodide runs.

Runs INSIDE Pyodide (under Node, see compile-wheels.mjs), so the bytecode is made by the very
interpreter version the browser runs (Python 3.14), whatever Python the build machine has.

Why: Pyodide never writes bytecode (``sys.dont_write_bytecode`` is true there), so without this
every start of the assessor compiles the engine's and markdown-it-py's sources again, about a
tenth of a second of the reader's wait.

How: each ``pkg/mod.py`` gets ``pkg/__pycache__/mod.<cache_tag>.pyc`` beside it, as an
*unchecked-hash* pyc: the import system loads it without comparing it with the source (the wheel's
file times say nothing), and it is deterministic (no timestamp inside). The sources stay in the
wheel: they give tracebacks their lines, and they are the fallback. A runtime of another Python
version looks for another cache tag and simply compiles the sources, as before. RECORD lists the
new files, so the wheel stays valid for any installer.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import io
import py_compile
import sys
import tempfile
import zipfile
from pathlib import Path, PurePosixPath


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "sha256=" + digest.decode("ascii")


def bytecode(source: bytes, name: str, tmp: Path, optimize: int = 0) -> bytes:
    """The unchecked-hash pyc of ``source``, compiled under the file name ``name`` (what
    tracebacks show), at the optimization level ``optimize`` (see :func:`compile`); ``tmp`` is a
    scratch folder. Also used for the standard library (see stdlib.py)."""
    src = tmp / "module.py"
    src.write_bytes(source)
    out = py_compile.compile(
        str(src),
        cfile=str(tmp / "module.pyc"),
        dfile=name,  # what tracebacks show: the path inside site-packages
        doraise=True,
        invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
        optimize=optimize,
    )
    if out is None:  # only with doraise=False
        raise RuntimeError(f"could not compile {name}")
    return Path(out).read_bytes()


def add_to_wheel(data: bytes, files: dict[str, bytes]) -> bytes:
    """Returns the wheel ``data`` with ``files`` (archive name -> contents) added, and listed in
    RECORD. Entries keep their order and times, so the result is deterministic."""
    source = zipfile.ZipFile(io.BytesIO(bytes(data)))
    names = source.namelist()
    clash = sorted(set(files) & set(names))
    if clash:
        raise ValueError(f"already in the wheel: {clash}")
    record = next(n for n in names if n.endswith(".dist-info/RECORD"))
    stamp = source.getinfo(record).date_time
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if info.filename != record:
                out.writestr(info, source.read(info))
        for name, body in sorted(files.items()):
            entry = zipfile.ZipInfo(name, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            out.writestr(entry, body)
        lines = source.read(record).decode("utf-8").splitlines()
        lines = [line for line in lines if line and not line.startswith(record + ",")]
        lines += [
            f"{name},{_record_hash(body)},{len(body)}" for name, body in sorted(files.items())
        ]
        lines.append(f"{record},,")
        out.writestr(source.getinfo(record), "\n".join(lines) + "\n")
    return buffer.getvalue()


def compile_wheel(data: bytes) -> bytes:
    """Returns the wheel ``data`` with a ``__pycache__`` pyc added for every ``.py`` module."""
    source = zipfile.ZipFile(io.BytesIO(bytes(data)))
    names = source.namelist()
    added: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            path = PurePosixPath(name)
            if path.suffix != ".py" or path.parts[0].endswith(".data"):
                continue
            cached = importlib.util.cache_from_source(name)
            if cached not in names:  # compiling a compiled wheel changes nothing
                added[cached] = bytecode(source.read(name), name, Path(tmp))
    return add_to_wheel(data, added) if added else bytes(data)


def cache_tag() -> str:
    tag = sys.implementation.cache_tag
    if tag is None:
        raise RuntimeError("this Python does not use bytecode caches")
    return tag
