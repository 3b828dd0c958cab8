"""The benchmark's options (prodready_tools.bench.parse_args): by default the throttled visits are
the issue's office line, 20 Mbit/s down and 40 ms round trip, and a warm load follows its cold one
after three seconds."""

from __future__ import annotations

import pytest

from prodready_tools import bench


def test_the_default_line_is_the_office_line() -> None:
    args = bench.parse_args([])
    line = bench.throttle(args.line_mbit)
    assert line["downloadThroughput"] * 8 == 20_000_000  # bits per second
    assert line["latency"] == 40  # milliseconds added to each round trip
    assert line["uploadThroughput"] == -1  # not limited
    assert line["offline"] is False


def test_another_line_changes_only_the_download_speed() -> None:
    args = bench.parse_args(["--line-mbit", "200"])
    assert bench.throttle(args.line_mbit) == {
        **bench.throttle(20),
        "downloadThroughput": 200_000_000 / 8,
    }


@pytest.mark.parametrize("value", ["0", "-5"])
def test_a_line_without_speed_is_refused(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        bench.parse_args(["--line-mbit", value])
    assert "--line-mbit must be positive" in capsys.readouterr().err


def test_a_warm_load_follows_its_cold_one_after_three_seconds_unless_told() -> None:
    assert bench.parse_args([]).settle == 3.0
    assert bench.parse_args(["--quick"]).settle == 3.0
    assert bench.parse_args(["--settle", "0.5"]).settle == 0.5


def test_a_negative_pause_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        bench.parse_args(["--settle", "-1"])
    assert "--settle cannot be negative" in capsys.readouterr().err


def test_the_figures_come_from_the_readers_browser_unless_told(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("PRODREADY_CHROMIUM", raising=False)
    monkeypatch.delenv("PRODREADY_TEST_CHROMIUM", raising=False)
    assert bench.parse_args([]).browser == "readers"
    readers, readers_args = bench.BROWSERS["readers"]()
    assert readers == "/usr/bin/chromium"
    # V8's defaults: WebAssembly tiers up as in a reader's browser.
    assert not any(arg.startswith("--js-flags") for arg in readers_args)
    # The tests' smoke run: the headless shell, WebAssembly on the baseline tier only.
    assert bench.parse_args(["--browser", "tests"]).browser == "tests"
    shell, shell_args = bench.BROWSERS["tests"]()
    assert shell.endswith("/chromium-headless-shell")
    assert "--no-wasm-tier-up" in " ".join(shell_args)
    assert set(readers_args) < set(shell_args)  # the same switches, and the baseline tier's


def test_an_unknown_browser_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        bench.parse_args(["--browser", "firefox"])
    assert "invalid choice: 'firefox'" in capsys.readouterr().err
