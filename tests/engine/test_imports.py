"""The engine runs in Pyodide with nothing but the standard library and markdown-it-py: every
import in the package must be one of those (or the package itself)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

import prodready

PACKAGE = Path(prodready.__file__).resolve().parent
MODULES = sorted(PACKAGE.rglob("*.py"))
ALLOWED_THIRD_PARTY = {"markdown_it"}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.partition(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: inside the package
                roots.add("prodready")
            elif node.module:
                roots.add(node.module.partition(".")[0])
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, (ast.Name, ast.Attribute))
            and (node.func.id if isinstance(node.func, ast.Name) else node.func.attr)
            in ("__import__", "import_module")
        ):
            # Dynamic imports would dodge this test: allow none.
            roots.add("<dynamic import>")
    return roots


def test_there_are_modules() -> None:
    names = {p.name for p in MODULES}
    assert {"evaluate.py", "loader.py", "render.py", "cli.py", "protocol.py"} <= names


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_only_stdlib_and_markdown_it(path: Path) -> None:
    foreign = imported_roots(path) - set(sys.stdlib_module_names) - {"prodready", "__future__"}
    assert foreign <= ALLOWED_THIRD_PARTY, f"{path.name} imports {sorted(foreign)}"


def test_markdown_it_is_only_needed_for_tracking_pages() -> None:
    # The reports and the page's fragments are written by prodready.writers; markdown-it renders
    # only the portfolio table, diffs and decision records as HTML (pages.py).
    users = [p.name for p in MODULES if "markdown_it" in imported_roots(p)]
    assert users == ["pages.py"]


def test_package_data_is_importable_without_the_repository() -> None:
    # Rules and examples are read through importlib.resources, never through a repo path.
    for path in MODULES:
        text = path.read_text(encoding="utf-8")
        assert "__file__" not in text, f"{path.name} locates files through __file__"
