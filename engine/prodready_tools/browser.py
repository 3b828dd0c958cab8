"""Headless Chromium for the tests and the benchmark: Debian's, never a Playwright download."""

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


def chromium_path() -> str:
    """The Chromium binary: PRODREADY_CHROMIUM, else Debian's /usr/bin/chromium."""
    return os.environ.get("PRODREADY_CHROMIUM", "/usr/bin/chromium")


def missing_chromium() -> str | None:
    """Why Chromium cannot be started (a message saying what to install), or None."""
    path = chromium_path()
    if Path(path).exists():
        return None
    return (
        f"Chromium not found at {path}: install it (apt-get install chromium) or set "
        "PRODREADY_CHROMIUM"
    )
