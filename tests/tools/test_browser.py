"""The Chromium launch arguments (prodready_tools.browser): Playwright's own disabled features
survive ours, and a new tab of the benchmark's browser starts no hidden browser-interface page
beside it. The tests themselves drive the headless shell of the same Chromium release."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Playwright

from prodready_tools.browser import (
    BROWSER_UI_DISABLED_FEATURES,
    CHROMIUM_ARGS,
    HEADLESS_SHELL,
    PLAYWRIGHT_ARGS,
    PLAYWRIGHT_DISABLED_FEATURES,
    TEST_ARGS,
    chromium_for_tests,
    chromium_path,
)

pytestmark = pytest.mark.browser


def _parents() -> dict[int, int]:
    """Each process's parent."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat[stat.rfind(")") + 2 :].split()[1])
    return parents


def _descendants(root: int, parents: dict[int, int]) -> Iterator[int]:
    for pid in parents:
        ancestor = parents.get(pid)
        while ancestor:
            if ancestor == root:
                yield pid
                break
            ancestor = parents.get(ancestor)


def browser_processes() -> dict[int, list[str]]:
    """The command lines of the Chromium browser processes (not their helpers) that Playwright
    started below this test process. A helper the browser has just forked still shows the
    browser's command line until it starts its own: a process whose parent is a browser process
    is left out."""
    parents = _parents()
    found: dict[int, list[str]] = {}
    for pid in _descendants(os.getpid(), parents):
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
        except OSError:
            continue
        if "--remote-debugging-pipe" in argv and not any(a.startswith("--type=") for a in argv):
            found[pid] = argv
    return {pid: argv for pid, argv in found.items() if parents.get(pid) not in found}


def disabled_features(argv: list[str]) -> list[str]:
    """The features a Chromium command line disables: its last --disable-features switch
    (Chromium keeps only the last one)."""
    switches = [a for a in argv if a.startswith("--disable-features=")]
    assert switches, argv
    return switches[-1].removeprefix("--disable-features=").split(",")


def test_playwrights_own_disabled_features_are_all_repeated(playwright: Playwright) -> None:
    before = browser_processes()
    browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
    try:
        started = [argv for pid, argv in browser_processes().items() if pid not in before]
    finally:
        browser.close()
    assert len(started) == 1, started
    playwrights = disabled_features(started[0])
    assert "MediaRouter" in playwrights  # one Playwright has disabled for years
    # A Playwright upgrade that disables another feature fails here: add it to the list.
    assert set(playwrights) <= set(PLAYWRIGHT_DISABLED_FEATURES), playwrights


def test_the_launch_keeps_playwrights_features_and_adds_ours(browser: Browser) -> None:
    assert [a for a in PLAYWRIGHT_ARGS if a.startswith("--disable-features=")] == [
        PLAYWRIGHT_ARGS[-1]
    ]
    assert browser.is_connected()
    running = browser_processes()  # the session's browser
    assert running
    for argv in running.values():
        features = disabled_features(argv)
        assert set(PLAYWRIGHT_DISABLED_FEATURES) <= set(features)
        assert set(BROWSER_UI_DISABLED_FEATURES) <= set(features)


def test_a_new_tab_starts_no_browser_interface_page(playwright: Playwright) -> None:
    # The benchmark's browser, the one readers use: the tests' headless shell has no interface.
    before = browser_processes()
    browser = playwright.chromium.launch(executable_path=chromium_path(), args=PLAYWRIGHT_ARGS)
    try:
        # ... with V8's defaults (what readers get), not the tests' WebAssembly setting.
        launched = [argv for pid, argv in browser_processes().items() if pid not in before]
        assert len(launched) == 1, launched
        assert not [arg for arg in launched[0] if arg.startswith("--js-flags")], launched
        context = browser.new_context()
        context.new_page().goto("about:blank")
        session = browser.new_browser_cdp_session()
        targets = session.send("Target.getTargets", {"filter": [{}]})["targetInfos"]
        session.detach()
    finally:
        browser.close()
    assert {t["type"] for t in targets} >= {"page"}, targets
    assert not [t["url"] for t in targets if t["type"] == "browser_ui"]


def test_the_tests_drive_the_headless_shell_of_the_benchmarks_release(
    playwright: Playwright, browser: Browser
) -> None:
    running = list(browser_processes().values())  # the session's browser
    assert [argv[0] for argv in running] == [chromium_for_tests()], running  # the headless shell
    # ... launched with the tests' arguments: WebAssembly on V8's baseline tier only.
    assert all(arg in running[0] for arg in TEST_ARGS), running[0]
    full = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
    try:
        release = full.version
    finally:
        full.close()
    # Debian builds both from one source package: another release would test other code.
    assert browser.version == release


def test_the_tests_browser_is_the_headless_shell_unless_told(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("PRODREADY_TEST_CHROMIUM", raising=False)
    assert chromium_for_tests() == HEADLESS_SHELL
    monkeypatch.setenv("PRODREADY_TEST_CHROMIUM", "/opt/other/chromium")
    assert chromium_for_tests() == "/opt/other/chromium"
