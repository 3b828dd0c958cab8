"""Shared fixtures: one strict build of the site per session, served from a local static server.

    def test_something(built_site: Path, site_server: str) -> None:
        html = (built_site / "faq" / "index.html").read_text()
        ...  # site_server is the base URL, e.g. "http://127.0.0.1:41234/"

The server is bound before the build, so the site is built with its exact address as site_url
(Material's instant navigation only works when they match). The server and the build helper
are the project's tooling (engine/prodready_tools), shared with the benchmark; test-only helpers
live in tests/support/.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from prodready_tools import runtime as runtime_builder
from prodready_tools.server import SiteServer, local_versions, make_server
from prodready_tools.site import build_site, page_paths, with_runtime
from support.fixtures import browser_type_launch_args, context, page, page_log, returning_profile

# Browser fixtures for every folder (see tests/support/fixtures.py).
__all__ = ["browser_type_launch_args", "context", "page", "page_log", "returning_profile"]

_timings: dict[str, float] = {}

# Modules with a test that drives Chromium, builds the site or starts Pyodide take from seconds to
# a minute each; the engine's modules take a second or two.
HEAVY_MARKS = frozenset({"browser", "site", "runtime"})


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Heavy modules first, whole modules kept together: the test processes (pytest-xdist, a
    module at a time, in this order: `--no-loadscope-reorder` in pyproject.toml) then end on the
    engine's many short modules and finish together, instead of one waiting while the other runs
    the last heavy module (the walk of every page was last, a minute on its own)."""
    heavy = {
        item.path for item in items if any(mark.name in HEAVY_MARKS for mark in item.iter_markers())
    }
    items.sort(key=lambda item: item.path not in heavy)  # stable: the order within is kept


@pytest.fixture(scope="session")
def site_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    """The session's server, bound to a free port but not yet serving."""
    root = tmp_path_factory.mktemp("built") / "site"
    server = make_server(
        root,
        # LinkChecker throttles itself to a few requests a second unless the server says this.
        headers={"LinkChecker": "local test server"},
        overrides=local_versions(root),
    )
    yield server
    server.stop()


@pytest.fixture(scope="session")
def built_site(site_host: SiteServer) -> Path:
    """`mkdocs build --strict` of the project, once per session, with site_url = the server's."""
    _timings["mkdocs build --strict"] = build_site(site_host.root, site_host.url)
    return site_host.root


@pytest.fixture(scope="session")
def served_site(built_site: Path) -> Path:
    """The built site with the self-hosted runtime in it (built first if missing), as readers
    get it: for every test that needs the assessor's runtime in the site, so that none relies on
    another module of its process having put it there."""
    with_runtime(built_site)
    return built_site


@pytest.fixture(scope="session")
def site_server(site_host: SiteServer, built_site: Path) -> str:
    """Base URL (ending in "/") of the built site, served with correct MIME types."""
    site_host.start()
    return site_host.url


@pytest.fixture(scope="session")
def site_pages(built_site: Path) -> list[str]:
    """URL paths, relative to the site root, of every built page ("" is the home page)."""
    return page_paths(built_site)


@pytest.fixture(scope="session")
def runtime() -> Path:
    """The self-hosted Pyodide runtime (docs/assets/runtime/), built when missing or stale."""
    if shutil.which("node") is None:
        pytest.fail("Node.js 20+ is needed to run the engine in Pyodide (apt-get install nodejs)")
    root = runtime_builder.ROOT
    subprocess.run(
        ["bash", "-c", 'source "$1/scripts/_lib.sh" && ensure_node', "ensure_node", str(root)],
        check=True,
    )
    assert runtime_builder.main([]) == 0
    assert (runtime_builder.OUT / runtime_builder.MANIFEST).is_file()
    return runtime_builder.OUT


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for name, seconds in _timings.items():
        terminalreporter.write_line(f"{name}: {seconds:.1f}s")
