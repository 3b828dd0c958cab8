"""The standard library the assessor loads: only the modules it imports, as bytecode.

Runs INSIDE Pyodide (under Node, see compile-stdlib.mjs), so the bytecode is made by the very
interpreter the browser runs (Python 3.14), whatever Python the build machine has.

Why: the ``python_stdlib.zip`` that Pyodide ships is the whole standard library (2.5 MB) as
sources, and Pyodide never writes bytecode. A first visit downloaded all of it, and every start
compiled again each module that Pyodide's start-up imports (about 125: asyncio, ast, typing,
zipfile, ...) and the few more the engine needs. That compiling, run by a WebAssembly
interpreter that has barely warmed up, was most of the time ``loadPyodide()`` took.

What: an archive holding, for each module that the runtime and the engine were seen importing
(see compile-stdlib.mjs: the worker's start-up with its memory snapshot, Pyodide's package
loader, and the engine answering every example and generated answers), its bytecode and nothing
else: ``pkg/mod.pyc``, where zipimport looks first (it never reads ``__pycache__``). Each is an
*unchecked-hash* pyc, loaded without a source to compare it with, and deterministic; it is
compiled under the file name it has at run time (``/lib/python314.zip/pkg/mod.py``), so
tracebacks name the module as before (without its source lines: the sources are left out too,
they would add a third to the download). Pyodide's complete archive stays on the server as the
fallback the worker uses when ``engine-files.json`` names no usable one.

A module left out cannot be imported, and says so: the archive's ``sitecustomize`` (which
Python's start-up imports) adds a finder, last on ``sys.meta_path``, that answers an import of
any other module of Pyodide's library with a ``ModuleNotFoundError`` explaining why it is missing
and what to do, instead of a bare "No module named".
"""

from __future__ import annotations

# Only ``sys`` at the top: loading this script must not import anything start-up does not, or
# imported_from() would report it too. The other modules are imported where they are used.
import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from collections.abc import Iterable

GUARD = "sitecustomize.py"

# The standard library's bytecode is compiled as ``python -OO`` would: without its docstrings
# (and its asserts), about 15% of the archive. Nothing the runtime or the engine does reads a
# standard-library docstring; the engine's own bytecode keeps its docstrings. A sourceless
# module is loaded whatever level it was compiled at.
OPTIMIZE = 2

GUARD_SOURCE = '''\
"""Guard of the assessor's trimmed standard library (made by prodready_tools.stdlib).

The archive holds only the modules the build saw the runtime and the engine import. An import
of another module of Python's standard library ends here, last on sys.meta_path, and fails
with a message that says why, rather than a bare "No module named".
"""

import sys

LEFT_OUT = frozenset(%(left_out)r)


class LeftOutFinder:
    @staticmethod
    def find_spec(name, path=None, target=None):
        if name not in LEFT_OUT:
            return None
        raise ModuleNotFoundError(
            f"No module named {name!r}: this site's copy of Python's standard library leaves it "
            "out, as the build never saw it imported. Rebuild the runtime with the code that "
            "needs it exercised (scripts/build-runtime), or serve Pyodide's complete library "
            "by removing 'stdlib' from assets/runtime/engine-files.json.",
            name=name,
        )


sys.meta_path.append(LeftOutFinder)
'''


def stdlib_archive() -> str:
    """The path of the standard-library archive: where ``encodings``, which every start of
    Python imports, was found (``/lib/python314.zip/encodings/__init__.py``)."""
    origin = str(getattr(sys.modules["encodings"].__spec__, "origin", ""))
    return origin.rpartition("/encodings/")[0]


def imported_from(archive: str) -> list[str]:
    """The archive entries (``pkg/mod.py``) of every module imported so far from ``archive``."""
    prefix = archive + "/"
    entries = set()
    for module in list(sys.modules.values()):
        origin = getattr(getattr(module, "__spec__", None), "origin", None)
        if isinstance(origin, str) and origin.startswith(prefix) and origin.endswith(".py"):
            entries.add(origin[len(prefix) :])
    return sorted(entries)


def install(wheels: Iterable[str], site_packages: str) -> None:
    """Unpacks the engine's wheels (paths in this runtime's file system) into site-packages, as
    the worker writes their files there.

    Uses only modules Pyodide's start-up has already imported (``zipfile``, UTF-8), so
    imported_from() reports nothing on its behalf: names not flagged as UTF-8 are read as UTF-8
    (wheel names are ASCII) rather than cp437, whose codec start-up does not load."""
    import zipfile

    for path in wheels:
        with zipfile.ZipFile(path, metadata_encoding="utf-8") as wheel:
            wheel.extractall(site_packages)


def warm_up(requests_file: str) -> str:
    """Imports the engine, sends it each request of ``requests_file`` (a JSON list of request
    strings) as the worker does, and returns its replies as a JSON list."""
    import json

    from prodready.protocol import handle

    # open(), not pathlib: nothing here may import a module the engine itself does not.
    with open(requests_file, encoding="utf-8") as handle_file:  # noqa: PTH123
        requests = json.load(handle_file)
    return json.dumps([handle(request) for request in requests])


def module_name(entry: str) -> str:
    """``pkg/mod.py`` -> ``pkg.mod``; ``pkg/__init__.py`` -> ``pkg``."""
    name = entry[: -len(".py")].replace("/", ".")
    return name[: -len(".__init__")] if name.endswith(".__init__") else name


def guard_source(stock: Iterable[str], kept: Iterable[str]) -> str:
    """The guard module's text: it names the modules of ``stock`` (archive entries) that the
    trimmed archive does not keep."""
    left_out = {module_name(e) for e in stock if e.endswith(".py")} - set(map(module_name, kept))
    return GUARD_SOURCE % {"left_out": sorted(left_out)}


def trimmed(data: bytes, entries: Iterable[str], archive: str) -> bytes:
    """The archive of the modules ``entries`` (``pkg/mod.py`` entries of the stock archive
    ``data``) as unchecked-hash bytecode, plus the guard, compiled as ``sitecustomize``.

    Entries are sorted and keep their source's time, so the result depends only on the inputs
    and this interpreter."""
    import io
    import tempfile
    import zipfile
    from pathlib import Path

    # The engine wheel's pyc are made the same way. Imported only here, once the modules have
    # been counted: its imports would count otherwise.
    from prodready_tools.wheels import bytecode

    source = zipfile.ZipFile(io.BytesIO(bytes(data)))
    present = source.namelist()
    wanted = sorted(set(entries))
    missing = [entry for entry in wanted if entry not in present]
    if missing:
        raise ValueError(f"not in the archive: {missing}")
    if GUARD in present or GUARD in wanted:
        raise ValueError(f"the archive already has a {GUARD}")
    guard = guard_source(present, wanted).encode("utf-8")
    stamp = source.getinfo(wanted[0]).date_time if wanted else (1980, 1, 1, 0, 0, 0)
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out,
        tempfile.TemporaryDirectory() as tmp,
    ):
        modules = [(e, source.read(e), source.getinfo(e).date_time) for e in wanted]
        for entry, text, date_time in [*modules, (GUARD, guard, stamp)]:
            pyc = bytecode(text, f"{archive}/{entry}", Path(tmp), optimize=OPTIMIZE)
            item = zipfile.ZipInfo(entry[:-3] + ".pyc", date_time=date_time)
            item.compress_type = zipfile.ZIP_DEFLATED
            item.external_attr = 0o644 << 16
            out.writestr(item, pyc)
    return buffer.getvalue()


def write_trimmed(entries: Iterable[str], out: str) -> str:
    """Writes the trimmed archive of this runtime's standard library to ``out``; returns the
    build's summary (see summary())."""
    from pathlib import Path

    archive = stdlib_archive()
    Path(out).write_bytes(trimmed(Path(archive).read_bytes(), entries, archive))
    return summary(sorted(set(entries)))


def summary(entries: list[str]) -> str:
    """What the build logs and checks: the interpreter's cache tag and the kept entries."""
    import importlib.util
    import json

    return json.dumps(
        {
            "cache_tag": sys.implementation.cache_tag,
            "magic": importlib.util.MAGIC_NUMBER.hex(),
            "entries": entries,
        }
    )
