"""Loading a project script that is not an importable package (scripts/, overrides/hooks/)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType


def load_script(path: Path, name: str) -> ModuleType:
    """The module in the file at `path`, registered in sys.modules as `name` (a dataclass in it
    looks its module up there). Its folder goes on sys.path, as when Python runs a script, so
    the script's imports of its sibling modules work; a script already imported from the same
    file (say, by another script) is returned as it is, not run a second time."""
    existing = sys.modules.get(name)
    if existing is not None and Path(getattr(existing, "__file__", "")).resolve() == path.resolve():
        return existing
    folder = str(path.parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)
    spec.loader.exec_module(module)
    return module
