"""The browser fixtures (tests/support/fixtures.py) keep a screenshot of a failed test, and take
none of a passed one (pytest-playwright would take one of every tab still open and then delete
it: half a second each), in a new profile and in a shared (`returning_reader`) one alike.

Run as a separate pytest on a few planted tests, with the project's fixtures and the option
pyproject.toml gives the suite (`--screenshot only-on-failure`). Its conftest counts the
screenshots taken, by test.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]

CONFTEST = """\
import os

import pytest
from playwright.sync_api import Page

from support.fixtures import browser_type_launch_args, context, page, returning_profile

__all__ = ["browser_type_launch_args", "context", "page", "returning_profile"]


@pytest.fixture(scope="session")
def site_server() -> str:
    return "http://127.0.0.1:9/"  # whose storage a shared profile clears; never visited


screenshot = Page.screenshot


def counted(self, *args, **kwargs):
    with open("screenshots.log", "a", encoding="utf-8") as log:
        log.write(os.environ["PYTEST_CURRENT_TEST"].split("::")[1].split("[")[0] + "\\n")
    return screenshot(self, *args, **kwargs)


Page.screenshot = counted
"""

PLANTED = """\
import pytest

PAGE = "<main><h1>Planted</h1></main>"


def test_new_profile_passes(page):
    page.set_content(PAGE)


def test_new_profile_fails(page):
    page.set_content(PAGE)
    assert page.title() == "something else"


@pytest.mark.returning_reader
def test_shared_profile_passes(page):
    page.set_content(PAGE)


@pytest.mark.returning_reader
def test_shared_profile_fails(page):
    page.set_content(PAGE)
    assert page.title() == "something else"
"""


def test_screenshots_are_taken_and_kept_of_failed_tests_only(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(CONFTEST, encoding="utf-8")
    (tmp_path / "test_planted.py").write_text(PLANTED, encoding="utf-8")
    results = tmp_path / "results"
    proc = subprocess.run(
        [
            sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist",
            "--screenshot", "only-on-failure", "--output", str(results),
            "-o", "markers=returning_reader", "test_planted.py",
        ],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(TESTS)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )  # fmt: skip
    assert "2 failed, 2 passed" in proc.stdout, proc.stdout + proc.stderr
    taken = (tmp_path / "screenshots.log").read_text(encoding="utf-8").split()
    assert sorted(taken) == ["test_new_profile_fails", "test_shared_profile_fails"], taken
    pictures = sorted(path.relative_to(results).parent.name for path in results.rglob("*.png"))
    assert pictures == [
        "test-planted-py-test-new-profile-fails-chromium",
        "test-planted-py-test-shared-profile-fails-chromium",
    ], pictures
