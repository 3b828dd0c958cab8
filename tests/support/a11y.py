"""Accessibility helpers for the browser tests: the reader's palette choice, and axe-core.

The palette is chosen the way a reader chooses it: Material stores the choice with `__md_set` and
assets/js/site/palette.js applies it on the next page load.
"""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from playwright.sync_api import Page

SCHEMES = {"light": "default", "dark": "slate"}
MEDIA = {"light": "(prefers-color-scheme: light)", "dark": "(prefers-color-scheme: dark)"}


def set_palette(page: Page, url: str, palette: str) -> None:
    """Stores `palette` ("light" or "dark") as the reader's choice; applied from the next load."""
    page.emulate_media(color_scheme=palette)  # type: ignore[arg-type]
    page.goto(url, wait_until="load")
    page.evaluate(
        """([scheme, media]) => __md_set("__palette", {
            index: scheme === "slate" ? 2 : 1,
            color: {media: media, scheme: scheme, primary: "indigo", accent: "indigo"},
        })""",
        [SCHEMES[palette], MEDIA[palette]],
    )


def axe_violations(page: Page, label: str) -> list[str]:
    """axe-core's violations on the page as it is now, one line each plus up to five nodes."""
    violations: list[dict[str, Any]] = Axe().run(page).response.get("violations", [])
    lines: list[str] = []
    for violation in violations:
        lines.append(f"{label} {violation['id']} ({violation.get('impact')}): {violation['help']}")
        nodes = violation.get("nodes", [])
        for node in nodes[:5]:
            target = " ".join(str(t) for t in node.get("target", []))
            summary = " ".join(str(node.get("failureSummary", "")).split())
            lines.append(f"    {target}: {summary[:300]}")
        if len(nodes) > 5:
            lines.append(f"    … and {len(nodes) - 5} more")
    return lines
