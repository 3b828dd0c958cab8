"""One walk through every page of the built site, each page checked in both palettes: axe-core
(the release in package.json), no request to another host, no failed request and no console
error (Chromium reports Content-Security-Policy violations as console errors). The static
privacy checks of the built files are in tests/site/test_privacy.py.

Each page is loaded in the palette the reader chose last, checked, switched to the other palette
with the header's palette button (as a reader does; the button stores the choice), and checked
again; so the next page loads in that other palette, and the pages alternate between loading in
the light palette and in the dark one (Material stores the choice with `__md_set`, and
assets/js/site/palette.js applies it on each page load). Every axe rule runs in the light
palette; the dark one changes colours only, so there the colour rules run
(support.a11y.rules_for). That a palette switched in place colours a page as a page load in that
palette does is checked on the assessor below, in normal motion. The walk asks for reduced
motion, as some readers do: Material then turns every transition off, so the colour fade of
each switch, otherwise waited for on every page, is skipped (a fifth of the walk's time); axe
checks the same final colours. The walk waits for the network to fall idle on each page, so that
what a page fetches after it loaded is seen too. A search, which builds its index on first use,
is checked the same way in tests/browser/test_search.py.
"""

from __future__ import annotations

from playwright.sync_api import Page

from support.a11y import SCHEMES, axe_violations, rules_for, set_palette, switch_palette
from support.browser import PageLog

SETTLED = """() => {
    const assessor = document.querySelector("#prodready-assessor");
    return !assessor || ["ready", "failed"].includes(assessor.dataset.engineState);
}"""


class Findings:
    """What the walk found, page by page."""

    def __init__(self, page_log: PageLog, site: str) -> None:
        self.log, self.site = page_log, site
        self.seen = 0
        self.axe: list[str] = []
        self.foreign: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []

    def note(self, where: str) -> None:
        log = self.log
        self.seen += len(log.requests)
        self.foreign.extend(log.foreign_requests(self.site))
        # Leaving a page cancels its own downloads still in flight (the assessor's runtime, when
        # the next page is opened before it finished): those aborts are not failures of the site.
        self.failed.extend(
            f"{where}: {f}"
            for f in log.failed_requests
            if not (f.startswith(self.site) and f.endswith("net::ERR_ABORTED"))
        )
        self.errors.extend(f"{where}: {error}" for error in log.errors())
        log.clear()


OTHER = {"light": "dark", "dark": "light"}


def test_every_page_in_both_palettes(
    page: Page, page_log: PageLog, site_server: str, site_pages: list[str]
) -> None:
    page.emulate_media(reduced_motion="reduce")
    set_palette(page, site_server, "light")
    found = Findings(page_log, site_server)
    found.note("choosing the palette")
    palette = "light"  # the reader's choice, in which the next page loads
    for path in site_pages:
        page.goto(site_server + path, wait_until="networkidle")
        # The assessor changes its page as its engine starts: check it once the engine is up.
        page.wait_for_function(SETTLED)
        scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        assert scheme == SCHEMES[palette], f"/{path}: palette {palette} not applied ({scheme})"
        found.axe.extend(axe_violations(page, f"/{path} [{palette}]", rules=rules_for(palette)))
        palette = OTHER[palette]
        switch_palette(page, palette)
        found.axe.extend(axe_violations(page, f"/{path} [{palette}]", rules=rules_for(palette)))
        found.note(f"/{path}")
    assert found.seen, "no requests recorded"
    assert not found.axe, "axe violations:\n" + "\n".join(found.axe)
    assert not found.foreign, "requests to other hosts:\n" + "\n".join(sorted(set(found.foreign)))
    assert not found.failed, "\n".join(found.failed)
    assert not found.errors, "\n".join(found.errors)


def test_the_walks_axe_check_reports_what_it_should(page: Page, site_server: str) -> None:
    # The check the walk relies on (violations only, the dark palette's rules alone) still finds
    # a field without a label and text without contrast, planted on a real page.
    page.goto(site_server + "faq/")
    page.evaluate(
        """() => {
            const main = document.querySelector("main");
            main.insertAdjacentHTML("beforeend",
                '<input type="text" id="planted-field">' +
                '<p id="planted-text" style="color:#777;background:#888">Hard to read</p>');
        }"""
    )
    everything = "\n".join(axe_violations(page, "planted"))
    assert "planted label (critical)" in everything, everything
    assert "#planted-field" in everything, everything
    assert "planted color-contrast (serious)" in everything, everything
    colours = "\n".join(axe_violations(page, "planted", rules=rules_for("dark")))
    assert "color-contrast" in colours, colours
    assert "#planted-text" in colours, colours
    assert " label " not in colours, colours


# Every element's colours, as the browser computes them.
COLOURS_JS = """() => [...document.querySelectorAll("body, body *")].map((element) => {
    const style = getComputedStyle(element);
    return [element.tagName, style.color, style.backgroundColor, style.borderTopColor,
            style.outlineColor, style.fill];
})"""


def test_a_palette_switched_in_place_colours_the_page_as_a_page_load_does(
    page: Page, site_server: str
) -> None:
    # The walk above and the axe tests of the assessor's states switch the palette in place,
    # both ways (support.a11y.switch_palette), rather than load each page or state again.
    set_palette(page, site_server, "dark")
    page.goto(site_server + "assessor/")
    page.wait_for_function(SETTLED)
    loaded_dark = page.evaluate(COLOURS_JS)
    switch_palette(page, "light")
    switched_light = page.evaluate(COLOURS_JS)
    page.reload()  # in the palette the button stored: light
    page.wait_for_function(SETTLED)
    loaded_light = page.evaluate(COLOURS_JS)
    switch_palette(page, "dark")
    switched_dark = page.evaluate(COLOURS_JS)
    assert len(loaded_dark) > 1000
    assert loaded_light != loaded_dark
    for switched, loaded, palette in (
        (switched_light, loaded_light, "light"),
        (switched_dark, loaded_dark, "dark"),
    ):
        assert len(switched) == len(loaded), palette
        differing = [
            (i, a, b) for i, (a, b) in enumerate(zip(switched, loaded, strict=True)) if a != b
        ]
        assert not differing, (palette, differing[:5])
