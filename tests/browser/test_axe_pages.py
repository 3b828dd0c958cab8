"""axe-core (the release in package.json) on every page, in the light and the dark palette.

Every rule runs in the light palette; the dark one changes colours only, so there the colour
rules run (support.a11y.rules_for).

The palette is chosen the way a reader chooses it: Material stores the choice with `__md_set`
and assets/js/site/palette.js applies it on the next page load.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from support.a11y import SCHEMES, axe_violations, rules_for, set_palette

SETTLED = """() => {
    const assessor = document.querySelector("#prodready-assessor");
    return !assessor || ["ready", "failed"].includes(assessor.dataset.engineState);
}"""


@pytest.mark.parametrize("palette", ["light", "dark"])
def test_no_axe_violations(
    page: Page, site_server: str, site_pages: list[str], palette: str
) -> None:
    set_palette(page, site_server, palette)
    problems: list[str] = []
    for path in site_pages:
        page.goto(site_server + path, wait_until="load")
        # The assessor changes its page as its engine starts: check it once the engine is up.
        page.wait_for_function(SETTLED)
        scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        assert scheme == SCHEMES[palette], f"/{path}: palette not applied ({scheme})"
        problems.extend(axe_violations(page, f"/{path} [{palette}]", rules=rules_for(palette)))
    assert not problems, "axe violations:\n" + "\n".join(problems)
