"""axe-core (through axe-playwright-python) on every page, in the light and the dark palette.

The palette is chosen the way a reader chooses it: Material stores the choice with `__md_set`
and assets/js/site/palette.js applies it on the next page load.
"""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from playwright.sync_api import Page

SCHEMES = {"light": "default", "dark": "slate"}
MEDIA = {"light": "(prefers-color-scheme: light)", "dark": "(prefers-color-scheme: dark)"}


def _describe(path: str, scheme: str, violations: list[dict[str, Any]]) -> list[str]:
    lines: list[str] = []
    for violation in violations:
        lines.append(
            f"/{path} [{scheme}] {violation['id']} ({violation.get('impact')}): {violation['help']}"
        )
        for node in violation.get("nodes", [])[:5]:
            target = " ".join(str(t) for t in node.get("target", []))
            summary = " ".join(str(node.get("failureSummary", "")).split())
            lines.append(f"    {target}: {summary[:300]}")
        if len(violation.get("nodes", [])) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more")
    return lines


@pytest.mark.parametrize("palette", ["light", "dark"])
def test_no_axe_violations(
    page: Page, site_server: str, site_pages: list[str], palette: str
) -> None:
    axe = Axe()
    page.emulate_media(color_scheme=palette)  # type: ignore[arg-type]
    page.goto(site_server, wait_until="load")
    page.evaluate(
        """([scheme, media]) => __md_set("__palette", {
            index: scheme === "slate" ? 2 : 1,
            color: {media: media, scheme: scheme, primary: "indigo", accent: "indigo"},
        })""",
        [SCHEMES[palette], MEDIA[palette]],
    )
    problems: list[str] = []
    for path in site_pages:
        page.goto(site_server + path, wait_until="networkidle")
        scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        assert scheme == SCHEMES[palette], f"/{path}: palette not applied ({scheme})"
        results = axe.run(page)
        problems.extend(_describe(path, palette, results.response.get("violations", [])))
    assert not problems, "axe violations:\n" + "\n".join(problems)
