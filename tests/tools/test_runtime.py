"""The runtime builder's inputs (prodready_tools.runtime): what makes it build again."""

from __future__ import annotations

import json
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

from prodready_tools import runtime as builder


@pytest.mark.runtime
def test_the_wheels_readme_is_the_packages_own_and_an_input_of_the_build(runtime: Path) -> None:
    # The engine wheel's METADATA carries its readme as the description, and readers download
    # it with the engine: it is the package's short readme, not the repository's README, which
    # changes with every note on the tests and would rebuild the runtime each time.
    (readme,) = builder.package_readme(builder.ROOT / "pyproject.toml")
    assert readme.is_file()
    assert readme != builder.ROOT / "README.md"
    manifest = json.loads((runtime / builder.MANIFEST).read_text(encoding="utf-8"))
    wheel = runtime / manifest["engine"]["wheel"]
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = Parser().parsestr(archive.read(name).decode("utf-8"))
    assert metadata.get_payload().strip() == readme.read_text(encoding="utf-8").strip()
    inputs = builder.engine_source_files()
    assert readme in inputs
    assert builder.ROOT / "README.md" not in inputs


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ('readme = "docs/package.md"', ["docs/package.md"]),
        ('readme = {file = "docs/package.rst", content-type = "text/x-rst"}', ["docs/package.rst"]),
        ('readme = {text = "Inline", content-type = "text/plain"}', []),
        ("", []),
    ],
    ids=["file", "table", "text", "none"],
)
def test_the_readme_is_read_in_each_form_pyproject_allows(
    tmp_path: Path, table: str, expected: list[str]
) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(f'[project]\nname = "x"\n{table}\n', encoding="utf-8")
    assert builder.package_readme(pyproject) == [tmp_path / path for path in expected]
