"""The assessor page's tools for tracking initiatives, rendered at build time: the portfolio, the
comparison with a previous assessment, the decision record and the check of a record.

``render_tracking()`` returns one block of HTML that :mod:`prodready_site.assessor_form` puts
after the results. It is the panels' frame only: labels, buttons, file inputs and the empty
places where the page script (``docs/assets/js/assessor-tracking.mjs``, loaded when the reader
first opens a panel) puts what the engine returns (``data-tracking-fragment``). Every word about
a portfolio, a diff or a record is the engine's; the words here name controls.

The section is ``hidden`` until the page script binds it: without JavaScript nothing in it works.
"""

from __future__ import annotations

from html import escape

SECTION_ID = "prodready-tracking"

# (panel, the button that opens it, its heading, its introduction)
PANELS: tuple[tuple[str, str, str], ...] = (
    (
        "portfolio",
        "Portfolio",
        "Several initiatives, each with its dated assessments, kept in this browser's storage "
        "for this site and sent nowhere. Export the portfolio to keep a copy or to move it to "
        "another browser.",
    ),
    (
        "compare",
        "Compare with a previous assessment",
        "What changed between an earlier assessment and the answers in the form: pick one "
        "saved in the portfolio, or choose a file of answers, a downloaded report or a "
        "decision record.",
    ),
    (
        "record",
        "Decision record",
        "One file for a governance file: the answers in the form, the full report, the rule "
        "set and engine versions, your justifications and sign-offs, sealed with a digest "
        "that the command-line tool's verify command checks.",
    ),
    (
        "verify",
        "Verify a record",
        "Check a decision record in this browser: that nothing in it changed since it was "
        "made, and that its answers still give its report under the same rules.",
    ),
)


def panel_id(panel: str) -> str:
    return f"prodready-panel-{panel}"


def _t(value: str) -> str:
    return escape(value, quote=False)


def _button(action: str, label: str, primary: bool = False, kind: str = "button") -> str:
    style = "md-button md-button--primary" if primary else "md-button"
    return f'<button type="{kind}" class="{style}" data-tracking="{action}">{_t(label)}</button>'


def _file(input_id: str, label: str) -> str:
    """A file input opened by a button; ``hidden`` keeps it out of the tab order."""
    return (
        f'<input type="file" id="{input_id}" accept=".json,application/json" '
        f'aria-label="{escape(label)}" hidden>'
    )


def _message(panel: str) -> str:
    """Where a panel says what went wrong (or what was done): an alert or a polite status."""
    return f'<p class="prodready-message" id="prodready-{panel}-message" hidden></p>'


def _place(name: str, live: bool = False) -> str:
    """An empty place for what the engine returns."""
    polite = ' aria-live="polite"' if live else ""
    return (
        f'<div class="prodready-tracking__result" id="prodready-{name}-result" '
        f'data-tracking-fragment="{name}"{polite} hidden></div>'
    )


def _portfolio() -> list[str]:
    return [
        '<form class="prodready-tracking__form" id="prodready-portfolio-save" method="dialog" '
        'novalidate aria-label="Save the answers in the form to the portfolio">',
        '<div class="prodready-field">',
        '<label for="prodready-portfolio-name">Name in the portfolio</label>',
        '<input type="text" id="prodready-portfolio-name" autocomplete="off" '
        'list="prodready-portfolio-names" aria-describedby="prodready-portfolio-name-help">',
        '<datalist id="prodready-portfolio-names"></datalist>',
        '<p class="prodready-help" id="prodready-portfolio-name-help">Leave it empty to use '
        "the initiative's name from the answers. The name of an initiative already in the "
        "portfolio adds these answers to its history.</p>",
        "</div>",
        _button("save", "Save the answers to the portfolio", primary=True, kind="submit"),
        "</form>",
        '<div class="prodready-tracking__actions" role="group" aria-label="Portfolio file">',
        _button("export", "Export the portfolio (JSON)"),
        _button("import", "Import a portfolio (JSON)"),
        _file("prodready-portfolio-file", "Portfolio file to import (JSON)"),
        "</div>",
        _message("portfolio"),
        '<div class="prodready-tracking__actions" data-portfolio-broken hidden>',
        _button("download-stored", "Download the saved portfolio as it is"),
        _button("discard-stored", "Discard the saved portfolio"),
        "</div>",
        _place("portfolio"),
        '<fieldset class="prodready-tracking__group" id="prodready-portfolio-one" hidden>',
        "<legend>One initiative</legend>",
        '<div class="prodready-field">',
        '<label for="prodready-portfolio-pick">Initiative</label>',
        '<select id="prodready-portfolio-pick"></select>',
        "</div>",
        '<div class="prodready-tracking__actions">',
        _button("open", "Open its latest assessment in the form"),
        _button("delete", "Delete it from the portfolio"),
        "</div>",
        '<div class="prodready-tracking__dates" data-history>',
        '<div class="prodready-field">',
        '<label for="prodready-history-old">Earlier assessment</label>',
        '<select id="prodready-history-old"></select>',
        "</div>",
        '<div class="prodready-field">',
        '<label for="prodready-history-new">Later assessment</label>',
        '<select id="prodready-history-new"></select>',
        "</div>",
        _button("compare-dates", "Compare these two assessments"),
        "</div>",
        '<p class="prodready-help" data-history-single hidden>This initiative has one '
        "assessment so far: save a later one under the same name to compare them.</p>",
        "</fieldset>",
        _place("history"),
    ]


def _compare() -> list[str]:
    return [
        '<div class="prodready-field">',
        '<label for="prodready-compare-pick">Saved assessment</label>',
        '<select id="prodready-compare-pick"></select>',
        "</div>",
        '<div class="prodready-tracking__actions">',
        _button("compare-saved", "Compare with the saved assessment"),
        _button("compare-file", "Compare with a file"),
        _file("prodready-compare-file", "Earlier assessment: answers, report or record (JSON)"),
        "</div>",
        _message("compare"),
        _place("compare"),
    ]


def _record() -> list[str]:
    return [
        '<form class="prodready-tracking__form" id="prodready-record-form" method="dialog" '
        'novalidate aria-label="Decision record">',
        '<fieldset class="prodready-tracking__group" id="prodready-record-notes">',
        "<legend>Justifications</legend>",
        "<div data-notes></div>",
        '<div class="prodready-field prodready-tracking__add">',
        '<label for="prodready-record-key">Add a justification about</label>',
        '<select id="prodready-record-key"></select>',
        _button("add-note", "Add"),
        "</div>",
        "</fieldset>",
        '<fieldset class="prodready-tracking__group" id="prodready-record-signoffs" '
        'aria-describedby="prodready-record-signoffs-error">',
        "<legend>Sign-off</legend>",
        '<p class="prodready-help">Who approved the decision: a name, a role and a date each. '
        "A sign-off is not a signature: to sign the file itself, see the record format in "
        "the reference.</p>",
        "<div data-signoffs></div>",
        '<p class="prodready-error" id="prodready-record-signoffs-error" hidden></p>',
        _button("add-signoff", "Add a sign-off"),
        "</fieldset>",
        '<div class="prodready-tracking__actions" role="group" aria-label="Download the record">',
        _button("record-json", "Download the record (JSON)", primary=True),
        _button("record-html", "Download it to print (HTML)"),
        _button("record-md", "Download it as Markdown"),
        "</div>",
        "</form>",
        _message("record"),
    ]


def _verify() -> list[str]:
    return [
        '<div class="prodready-tracking__actions">',
        _button("verify-file", "Choose a record to verify"),
        _file("prodready-verify-file", "Decision record to verify (JSON)"),
        "</div>",
        _message("verify"),
        _place("verify", live=True),
    ]


BODIES = {"portfolio": _portfolio, "compare": _compare, "record": _record, "verify": _verify}


def _panel(panel: str, title: str, intro: str) -> list[str]:
    pid = panel_id(panel)
    return [
        f'<div class="prodready-panel" id="{pid}" data-panel="{panel}" role="region" '
        f'aria-labelledby="{pid}-title" hidden>',
        f'<h3 class="prodready-panel__title" id="{pid}-title" tabindex="-1">{_t(title)}</h3>',
        f'<p class="prodready-panel__intro">{_t(intro)}</p>',
        *BODIES[panel](),
        "</div>",
    ]


def render_tracking() -> list[str]:
    """The tracking section: the buttons that open its panels, then the panels (closed)."""
    out = [
        f'<section id="{SECTION_ID}" class="prodready-tracking" '
        f'aria-labelledby="{SECTION_ID}-title" hidden>',
        f'<h2 id="{SECTION_ID}-title">Track your initiatives</h2>',
        '<div class="prodready-tracking__open" role="group" aria-label="Tracking tools">',
    ]
    for panel, title, _ in PANELS:
        out.append(
            f'<button type="button" class="md-button" data-panel-open="{panel}" '
            f'aria-expanded="false" aria-controls="{panel_id(panel)}">{_t(title)}</button>'
        )
    out += [
        "</div>",
        # Short news of what a tool did ("Saved.", "Sorted by ..."), said politely.
        f'<p class="prodready-sr-only" id="{SECTION_ID}-status" role="status"></p>',
    ]
    for panel, title, intro in PANELS:
        out += _panel(panel, title, intro)
    out.append("</section>")
    return out
