"""Headless Chromium for the tests and the benchmark: Debian's, never a Playwright download.

Two builds of the same Chromium release. The benchmark and Lighthouse run the browser readers
use, `chromium --headless` (chromium_path). The tests drive Chromium's headless shell (Debian's
chromium-headless-shell package, the build Playwright itself runs for headless tests): the same
Blink and V8 without the browser's window and interface around each tab, which costs about a sixth
less processor time per page on the project's machine (chromium_for_tests). The tests' browser
also runs WebAssembly without V8's optimising tier (TEST_ARGS).
"""

from __future__ import annotations

import os
from pathlib import Path

# Root in a container: no sandbox, no GPU; nothing in the background that could reach the network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]

# The features Playwright 1.65 disables itself (its chromiumSwitches list). Chromium keeps only the
# last --disable-features switch, so any list given at launch has to repeat these.
PLAYWRIGHT_DISABLED_FEATURES = (
    "AvoidUnnecessaryBeforeUnloadCheckSync",
    "DestroyProfileOnBrowserClose",
    "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable",
    "LensOverlay",
    "MediaRouter",
    "PaintHolding",
    "ThirdPartyStoragePartitioning",
    "AvoidCorsURLLoaderRestartOnRedirect",
    "TcpPortRandomizationWin",
    "OptimizationHints",
    "NetworkTimeServiceQuerying",
    "AimEnabled",
    "PreconnectToSearch",
    "msForceBrowserSignIn",
    "msEdgeUpdateLaunchServicesPreferredVersion",
)

# Headless Chromium 156 opens a hidden browser window for every tab, and each window loads the
# address bar's suggestion popup (a WebUI page, chrome://omnibox-popup.top-chrome) in a renderer of
# its own: about 0.9 s of processor per new tab on this machine, competing with the page under
# test. Nothing of it is ever shown, and the page does not see it.
BROWSER_UI_DISABLED_FEATURES = ("WebUIOmniboxPopup", "WebUIOmniboxAimPopup")

# Launch arguments for Playwright (tests and benchmark); Lighthouse starts Chromium with its own.
PLAYWRIGHT_ARGS = [
    *CHROMIUM_ARGS,
    "--disable-features=" + ",".join(PLAYWRIGHT_DISABLED_FEATURES + BROWSER_UI_DISABLED_FEATURES),
]


# The tests' browser runs WebAssembly on V8's baseline compiler (Liftoff) only. By default V8
# compiles a page's hot WebAssembly functions again with its optimising compiler (TurboFan), in the
# background: Python's interpreter in every new worker. The tests start Python about a hundred times
# (one run of the browser tests on 4 December 2026 downloaded the WebAssembly binary 95 times) and
# then run little in it, and that compiling was a third of the processor time of
# tests/browser/test_worker.py (83 -> 55 processor-seconds). It does not pay for itself even where a
# test sends many requests: forty example files loaded into one assessor took 2.2 processor-seconds
# here, 2.8 with V8's defaults. The same code gives the same results on either tier; the benchmark
# keeps V8's defaults.
WASM_BASELINE_ONLY = "--js-flags=--no-wasm-tier-up --no-wasm-dynamic-tiering"

# Launch arguments for the tests' browser.
TEST_ARGS = [*PLAYWRIGHT_ARGS, WASM_BASELINE_ONLY]


# The binary of Debian's chromium-headless-shell package (/usr/bin/chromium-headless-shell is a
# shell script that starts it).
HEADLESS_SHELL = "/usr/lib/chromium/chromium-headless-shell"


def chromium_path() -> str:
    """The browser of the benchmark and Lighthouse: PRODREADY_CHROMIUM, else Debian's
    /usr/bin/chromium."""
    return os.environ.get("PRODREADY_CHROMIUM", "/usr/bin/chromium")


def chromium_for_tests() -> str:
    """The browser the tests drive: PRODREADY_TEST_CHROMIUM, else Debian's headless shell."""
    return os.environ.get("PRODREADY_TEST_CHROMIUM", HEADLESS_SHELL)


def missing_chromium(path: str) -> str | None:
    """Why the Chromium binary at `path` cannot be started (a message saying what to install),
    or None."""
    if Path(path).exists():
        return None
    return (
        f"Chromium not found at {path}: install it (apt-get install chromium "
        "chromium-headless-shell) or set PRODREADY_CHROMIUM / PRODREADY_TEST_CHROMIUM"
    )
