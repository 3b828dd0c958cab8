"""Accessibility helpers for the browser tests: the reader's palette choice, and axe-core.

The palette is chosen the way a reader chooses it: Material stores the choice with `__md_set` and
assets/js/site/palette.js applies it on the next page load.

axe-core is the release pinned in package.json (installed in node_modules by scripts/test). It is
evaluated through the DevTools protocol, which the pages' Content-Security-Policy does not
govern, so no test weakens the policy to inject it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

SCHEMES = {"light": "default", "dark": "slate"}

# The rules whose outcome depends on the palette: a palette changes colours only (the markup is the
# same), so the other rules give the same result in both and run once, in the light palette.
COLOUR_RULES = ("color-contrast", "link-in-text-block")


def rules_for(palette: str) -> tuple[str, ...] | None:
    """The axe rules to run in `palette`: all of them in light, the colour rules in dark."""
    return None if palette == "light" else COLOUR_RULES


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


PALETTE_FORM = "[data-md-component=palette]"
# No animation or transition running on the page (Material fades colours and buttons in).
STILL_JS = "() => document.getAnimations().every((a) => a.playState !== 'running')"


def switch_palette(page: Page, palette: str) -> None:
    """Switches the open page to `palette` as a reader does, with the header's palette button
    (light, dark, the system's, light again: pressed as often as it takes), the system's
    preference set to the same palette. The page is not reloaded; the button stores the choice,
    as for a reader, so the next page loads in `palette`. Returns once the colours have faded
    in."""
    page.emulate_media(color_scheme=palette)  # type: ignore[arg-type]
    chosen = f"() => document.querySelector('{PALETTE_FORM} input:checked')?.dataset.mdColorMedia"
    for _ in range(3):
        if page.evaluate(chosen) == MEDIA[palette]:
            break
        page.click(f"{PALETTE_FORM} label:not([hidden])")
    else:
        raise AssertionError(f"the palette button never chose {palette}")
    page.wait_for_function(
        "(scheme) => document.body.dataset.mdColorScheme === scheme", arg=SCHEMES[palette]
    )
    # The colours fade over the theme's transitions: done once no animation runs.
    page.wait_for_function(STILL_JS)


def axe_violations(
    page: Page, label: str, *, within: str | None = None, rules: tuple[str, ...] | None = None
) -> list[str]:
    """axe-core's violations on the page as it is now, one line each plus up to five nodes.

    `within` limits the check to the element it selects (a part another test checks whole),
    `rules` to those axe rules (see rules_for). axe is asked for its violations only: the nodes
    of its passes and incomplete results, which nothing here reads, were half of its time.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    options: dict[str, Any] = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": list(rules)}
    results: dict[str, Any] = page.evaluate(
        """([within, options]) => {
            const context = within ? document.querySelector(within) : document;
            if (!context) throw new Error(`axe: nothing matches ${within}`);
            return axe.run(context, options);
        }""",
        [within, options],
    )
    violations: list[dict[str, Any]] = results.get("violations", [])
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


@cache
def axe_source() -> str:
    if not AXE.is_file():
        raise FileNotFoundError(f"{AXE} is missing: run scripts/test (it runs npm ci)")
    return AXE.read_text(encoding="utf-8")
