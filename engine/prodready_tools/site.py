"""Building the documentation site: for the tests and the benchmark."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # engine/prodready_tools/site.py
RUNTIME = ROOT / "docs" / "assets" / "runtime"
VENV_BIN = Path(sys.executable).parent


def venv_tool(name: str) -> Path:
    """Path of a console script installed next to the running Python (the project's .venv)."""
    path = VENV_BIN / name
    if not path.exists():
        raise FileNotFoundError(
            f"{name} is not installed in {VENV_BIN}; run scripts/test (it syncs .venv from uv.lock)"
        )
    return path


def site_env(site_url: str) -> dict[str, str]:
    """Environment for mkdocs/mike: quiet MkDocs 2 notice, site_url pointing at the server."""
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PRODREADY_SITE_URL": site_url}


def config_path() -> Path:
    """The MkDocs configuration under test: PRODREADY_MKDOCS_CONFIG, else the project's."""
    return Path(os.environ.get("PRODREADY_MKDOCS_CONFIG", ROOT / "mkdocs.yml")).resolve()


def build_site(dest: Path, site_url: str, *, config: Path | None = None) -> float:
    """Run `mkdocs build --strict` into `dest`; return the wall time in seconds.

    Raises AssertionError with MkDocs' output when the build fails.
    """
    config = config or config_path()
    started = time.perf_counter()
    proc = subprocess.run(
        [
            str(venv_tool("mkdocs")),
            "build",
            "--strict",
            "--config-file",
            str(config),
            "--site-dir",
            str(dest),
        ],
        cwd=config.parent,
        env=site_env(site_url),
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise AssertionError(
            f"mkdocs build --strict failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
        )
    return elapsed


# What a Zensical build reads besides mkdocs.yml (it writes the site inside its project folder).
ZENSICAL_INPUTS = ("docs", "overrides")


def build_zensical(project: Path, site_url: str) -> Path:
    """Build the site with Zensical (`zensical build --strict`) from a copy of the project's
    mkdocs.yml, docs/ and overrides/ in `project`; return the built site's folder.

    Zensical writes its output and cache inside the project folder, so it builds a copy rather
    than the checkout. Raises AssertionError with Zensical's output when the build fails."""
    project.mkdir(parents=True, exist_ok=True)
    shutil.copy2(config_path(), project / "mkdocs.yml")
    for name in ZENSICAL_INPUTS:
        shutil.copytree(
            config_path().parent / name,
            project / name,
            ignore=shutil.ignore_patterns("__pycache__"),
            dirs_exist_ok=True,
        )
    proc = subprocess.run(
        [str(venv_tool("zensical")), "build", "--strict", "--config-file", "mkdocs.yml"],
        cwd=project,
        env=site_env(site_url),
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise AssertionError(
            f"zensical build --strict failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
        )
    return project / "site"


def page_paths(site: Path) -> list[str]:
    """URL paths (relative to the site root) of every HTML page MkDocs built, 404 page excluded."""
    paths: list[str] = []
    for html in sorted(site.rglob("index.html")):
        rel = html.parent.relative_to(site).as_posix()
        paths.append("" if rel == "." else f"{rel}/")
    return paths


def with_runtime(site: Path) -> None:
    """Put the self-hosted runtime (``python -m prodready_tools.runtime``) into the built `site`,
    building it first if needed: what MkDocs does when the runtime exists before the build."""
    if (site / "assets" / "runtime" / "manifest.json").exists():
        return
    if not (RUNTIME / "manifest.json").exists():
        subprocess.run(
            ["bash", "-c", 'source "$1/scripts/_lib.sh" && ensure_node', "_", str(ROOT)],
            check=True,
        )
        subprocess.run([sys.executable, "-m", "prodready_tools.runtime"], check=True)
    shutil.copytree(RUNTIME, site / "assets" / "runtime", dirs_exist_ok=True)
