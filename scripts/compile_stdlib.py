"""Adds bytecode to Pyodide's standard-library archive, for the modules the assessor's start needs.

Runs INSIDE Pyodide (under Node, see compile-stdlib.mjs), so the bytecode is made by the very
interpreter the browser runs (Python 3.14), whatever Python the build machine has.

Why: the ``python_stdlib.zip`` that Pyodide ships holds sources only, and Pyodide never writes
bytecode. So every start compiles again each module that Pyodide's own start-up imports (about 125:
asyncio, ast, typing, zipfile, ...) and the few more the engine needs. That compiling, run by a
WebAssembly interpreter that has barely warmed up, is most of the time ``loadPyodide()`` takes:
about 2 of its 3 s in Node, on the machine the Performance page describes.

How: the archive's own entries are kept as they are, and for each of those modules ``pkg/mod.py``
gets ``pkg/mod.pyc`` beside it, where zipimport looks first (it never reads ``__pycache__``). Each
is an *unchecked-hash* pyc: loaded without comparing it with the source, and deterministic. The
code is compiled under the file name it has at run time (``/lib/python314.zip/pkg/mod.py``), so
tracebacks read as before, and the sources stay for their lines. A runtime of another Python
version rejects the pyc by its magic number, and zipimport then compiles the source, as before.

Only the modules that start-up imports are compiled (found by running it, see
compile-stdlib.mjs): bytecode is larger than source, so compiling the whole library would add
about 4.5 MB to a first visit, where these add about 1.3 MB.
"""

from __future__ import annotations

# Only ``sys`` at the top: loading this script must not import anything start-up does not, or
# imported_from() would report it too. The other modules are imported where they are used.
import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from collections.abc import Iterable


def stdlib_archive() -> str:
    """The path of the standard-library archive on this runtime's ``sys.path``."""
    return next(path for path in sys.path if path.endswith(".zip"))


def imported_from(archive: str) -> list[str]:
    """The archive entries (``pkg/mod.py``) of every module imported so far from ``archive``."""
    prefix = archive + "/"
    entries = set()
    for module in list(sys.modules.values()):
        origin = getattr(getattr(module, "__spec__", None), "origin", None)
        if isinstance(origin, str) and origin.startswith(prefix) and origin.endswith(".py"):
            entries.add(origin[len(prefix) :])
    return sorted(entries)


def install(wheels: Iterable[bytes], site_packages: str) -> None:
    """Unpacks the engine's wheels into site-packages, as the worker writes their files there.

    Uses only modules Pyodide's start-up has already imported (``io``, ``zipfile``, UTF-8), so
    imported_from() reports nothing on its behalf: names not flagged as UTF-8 are read as UTF-8
    (wheel names are ASCII) rather than cp437, whose codec start-up does not load."""
    import io
    import zipfile

    for data in wheels:
        with zipfile.ZipFile(io.BytesIO(bytes(data)), metadata_encoding="utf-8") as wheel:
            wheel.extractall(site_packages)


def warm_up(requests: Iterable[str]) -> list[str]:
    """Imports the engine, sends it ``requests`` as the worker does, and returns its replies."""
    from prodready.protocol import handle

    return [handle(request) for request in requests]


def add_bytecode(data: bytes, entries: Iterable[str], archive: str) -> bytes:
    """The archive ``data`` with an unchecked-hash ``.pyc`` added beside each of ``entries``.

    Existing entries keep their order, names, times and contents; the new ones follow, sorted,
    with their source's time. The result depends only on the inputs and this interpreter.
    """
    import io
    import tempfile
    import zipfile
    from pathlib import Path

    # The engine wheel's pyc are made the same way; compile-stdlib.mjs puts the script on sys.path
    # only once the modules have been counted.
    from compile_wheels import bytecode

    source = zipfile.ZipFile(io.BytesIO(bytes(data)))
    present = set(source.namelist())
    wanted = sorted(set(entries))
    missing = [entry for entry in wanted if entry not in present]
    if missing:
        raise ValueError(f"not in the archive: {missing}")
    clash = [entry for entry in wanted if entry[:-3] + ".pyc" in present]
    if clash:
        raise ValueError(f"the archive already has bytecode for {clash}")
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out,
        tempfile.TemporaryDirectory() as tmp,
    ):
        for info in source.infolist():
            out.writestr(info, source.read(info))
        for entry in wanted:
            pyc = bytecode(source.read(entry), f"{archive}/{entry}", Path(tmp))
            item = zipfile.ZipInfo(entry[:-3] + ".pyc", date_time=source.getinfo(entry).date_time)
            item.compress_type = zipfile.ZIP_DEFLATED
            item.external_attr = 0o644 << 16
            out.writestr(item, pyc)
    return buffer.getvalue()


def summary(entries: list[str]) -> str:
    """What the build logs and checks: the interpreter's cache tag and the compiled entries."""
    import importlib.util
    import json

    return json.dumps(
        {
            "cache_tag": sys.implementation.cache_tag,
            "magic": importlib.util.MAGIC_NUMBER.hex(),
            "entries": entries,
        }
    )
