"""The assessor's page, rendered at build time from the rules document.

``render_form(rules_doc, start)`` returns one block of HTML for the ``<!-- prodready:assessor -->``
marker on ``docs/assessor.md``: the questionnaire in five steps (one form per section), the live
summary, the toolbar, the status line, the results region and the tools for tracking initiatives
(:mod:`prodready_site.tracking_form`). ``start`` is the engine's own answer
for an empty form (:func:`engine_start`): which questions do not apply yet (rendered ``hidden``)
and the fragments the page starts with (the summary, each step's progress, the verdict's place).

The form is complete without JavaScript (it can be read and filled while the engine loads);
``docs/assets/js/assessor.js`` binds to it, shows one step at a time, sends the answers to the
engine in a Web Worker and puts the fragments the engine returns into the elements named after
them (``data-fragment``). The page holds no decision logic and no report wording: the markup
carries what the script needs to read and write answers (question id, type and default, as
``data-*`` attributes) and the places of the engine's fragments.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from html import escape
from typing import Any

from prodready.protocol import handle
from prodready.wording import PARTS
from prodready.writers import PAGE_GUIDE_BASE, guide_url, question_anchor
from prodready_site.tracking_form import render_tracking

Doc = dict[str, Any]

ROOT_ID = "prodready-assessor"
RESULTS_ID = "prodready-results"

TOOLBAR: tuple[tuple[str, str], ...] = (
    ("copy-link", "Copy link"),
    ("download-answers", "Download answers (JSON)"),
    ("load-answers", "Load answers (JSON)"),
    ("download-md", "Download report (Markdown)"),
    ("download-html", "Download report (HTML)"),
    ("print", "Print"),
    ("reset", "Reset"),
)


def engine_start() -> dict[str, Any]:
    """The engine's response to an empty form: what the page shows before the first answer."""
    request = {"v": 1, "id": 0, "op": "assess", "answers": {}, "fragments": True}
    response: dict[str, Any] = json.loads(handle(json.dumps(request)))
    if "fragments" not in response:
        raise RuntimeError(f"the engine did not answer an empty form: {response}")
    return response


def guide_href(guide: str) -> str:
    """``triggers.md#scale`` -> ``../triggers/#scale``, relative to the page at ``assessor/``."""
    return guide_url(guide, PAGE_GUIDE_BASE)


def _a(value: object) -> str:
    """An attribute value, escaped (quotes included)."""
    return escape(str(value), quote=True)


def _t(value: object) -> str:
    return escape(str(value), quote=False)


qid = question_anchor  # the element id of a question's container (also the target of links)


def section_id(section: str) -> str:
    return f"prodready-section-{section}"


def section_anchor(section: str) -> str:
    """What links to a step point at: its heading (link checkers know headings' ids)."""
    return f"{section_id(section)}-title"


def _required_marker() -> str:
    return (
        '<span class="prodready-required" aria-hidden="true">*</span>'
        '<span class="prodready-sr-only"> (required)</span>'
    )


def _describedby(q: Doc) -> str:
    ids = [f"{qid(q['id'])}-help"] if q.get("help") else []
    ids.append(f"{qid(q['id'])}-error")
    return " ".join(ids)


def _help_and_why(q: Doc) -> list[str]:
    out: list[str] = []
    if q.get("help"):
        out.append(f'<p class="prodready-help" id="{qid(q["id"])}-help">{_t(q["help"])}</p>')
    if q.get("guide"):
        out.append(
            f'<p class="prodready-why"><a href="{_a(guide_href(q["guide"]))}">Why this matters'
            f'<span class="prodready-sr-only">: {_t(q["text"])}</span></a></p>'
        )
    out.append(f'<p class="prodready-error" id="{qid(q["id"])}-error" hidden></p>')
    return out


def _container_attrs(q: Doc, hidden: Collection[str]) -> str:
    default = json.dumps(q.get("default"), ensure_ascii=False)
    return (
        f'id="{qid(q["id"])}" class="prodready-q prodready-q--{_a(q["type"])}" '
        f'data-question="{_a(q["id"])}" data-type="{_a(q["type"])}" '
        f'data-default="{_a(default)}" data-required="{"true" if q.get("required") else "false"}"'
        + (" hidden" if q["id"] in hidden else "")
    )


def _checked(q: Doc, value: str) -> bool:
    default = q.get("default")
    if isinstance(default, (list, tuple)):
        return value in default
    if isinstance(default, bool):
        return json.dumps(default) == value
    return default is not None and default == value


def _option(q: Doc, kind: str, n: int, value: str, label: str, citation: str | None) -> str:
    input_id = f"{qid(q['id'])}-{n}"
    cite = f' <span class="prodready-citation">({_t(citation)})</span>' if citation else ""
    return (
        f'<div class="prodready-option"><input type="{kind}" id="{input_id}" '
        f'name="{_a(q["id"])}" value="{_a(value)}"{" checked" if _checked(q, value) else ""}'
        f"{' required' if kind == 'radio' and q.get('required') else ''}>"
        f'<label for="{input_id}">{_t(label)}{cite}</label></div>'
    )


def _option_list(q: Doc, kind: str, options: list[tuple[str, str, str | None]]) -> list[str]:
    """Radio buttons or checkboxes: (value, label, citation) each; in the question's groups (each
    a disclosure that opens to its options) when it has some."""
    rendered = {
        value: _option(q, kind, n, value, label, citation)
        for n, (value, label, citation) in enumerate(options)
    }
    out = ['<div class="prodready-options">']
    for group in q.get("groups") or ():
        members = list(group["options"])
        is_open = " open" if any(_checked(q, value) for value in members) else ""
        cite = group.get("citation")
        out += [
            f'<details class="prodready-group"{is_open}>',
            f"<summary>{_t(group['title'])}"
            + (f' <span class="prodready-citation">({_t(cite)})</span>' if cite else "")
            + "</summary>",
            *[rendered.pop(value) for value in members],
            "</details>",
        ]
    out += list(rendered.values())  # the options outside any group (all, without groups)
    out.append("</div>")
    return out


def _group(
    q: Doc, kind: str, options: list[tuple[str, str, str | None]], hidden: Collection[str]
) -> list[str]:
    role = ' role="radiogroup"' if kind == "radio" else ""
    required = ' aria-required="true"' if kind == "radio" and q.get("required") else ""
    legend = _t(q["text"]) + (_required_marker() if q.get("required") else "")
    return [
        f"<fieldset {_container_attrs(q, hidden)}{role}{required} "
        f'aria-describedby="{_describedby(q)}">',
        f'<legend class="prodready-question">{legend}</legend>',
        *_option_list(q, kind, options),
        *_help_and_why(q),
        "</fieldset>",
    ]


def _single(q: Doc, hidden: Collection[str]) -> list[str]:
    """A question answered in one input: integer, date or text."""
    input_id = f"{qid(q['id'])}-input"
    attrs = [f'id="{input_id}"', f'name="{_a(q["id"])}"', f'aria-describedby="{_describedby(q)}"']
    if q["type"] == "integer":
        attrs += ['type="number"', 'step="1"', 'inputmode="numeric"']
        if q.get("minimum") is not None:
            attrs.append(f'min="{int(q["minimum"])}"')
        if q.get("maximum") is not None:
            attrs.append(f'max="{int(q["maximum"])}"')
        if q.get("default") is not None:
            attrs.append(f'value="{int(q["default"])}"')
    elif q["type"] == "date":
        attrs.append('type="date"')
        if q.get("default"):
            attrs.append(f'value="{_a(q["default"])}"')
    else:
        attrs += ['type="text"', 'autocomplete="off"']
        if q.get("max_length"):
            attrs.append(f'maxlength="{int(q["max_length"])}"')
        if q.get("default"):
            attrs.append(f'value="{_a(q["default"])}"')
    if q.get("required"):
        attrs.append('required aria-required="true"')
    legend = _t(q["text"]) + (_required_marker() if q.get("required") else "")
    return [
        f"<div {_container_attrs(q, hidden)}>",
        f'<label class="prodready-question" for="{input_id}">{legend}</label>',
        f"<input {' '.join(attrs)}>",
        *_help_and_why(q),
        "</div>",
    ]


def render_question(q: Doc, hidden: Collection[str] = ()) -> list[str]:
    kind = q["type"]
    if kind in ("choice", "multi"):
        opts = [(o["id"], o["label"], o.get("citation")) for o in q["options"]]
        return _group(q, "radio" if kind == "choice" else "checkbox", opts, hidden)
    if kind == "bool":
        return _group(q, "radio", [("true", "Yes", None), ("false", "No", None)], hidden)
    if kind in ("integer", "date", "text"):
        return _single(q, hidden)
    raise ValueError(f"question {q['id']!r} has an unknown type {kind!r}")


def _steps(sections: list[Doc], fragments: Mapping[str, str]) -> list[str]:
    """The list of steps: a link to each section, with its progress (the engine's words)."""
    out = ['<nav class="prodready-steps" aria-label="Steps of the assessment">', "<ol>"]
    for s in sections:
        name = f"step:{s['id']}"
        out.append(
            f'<li class="prodready-step" data-step="{_a(s["id"])}">'
            f'<a href="#{section_anchor(s["id"])}"><span class="prodready-step__title">'
            f"{_t(s['title'])}</span> "
            f'<span class="prodready-step__progress" data-fragment="{_a(name)}">'
            f"{fragments.get(name, '')}</span></a></li>"
        )
    out += ["</ol>", "</nav>"]
    return out


def _step_links(sections: list[Doc], n: int) -> str:
    """Previous and next, at the end of section ``n``; after the last, the results."""
    links = []
    if n > 0:
        prev = sections[n - 1]
        links.append(
            f'<a class="md-button" href="#{section_anchor(prev["id"])}" data-go="previous">'
            f"Previous: {_t(prev['title'])}</a>"
        )
    if n + 1 < len(sections):
        nxt = sections[n + 1]
        links.append(
            f'<a class="md-button md-button--primary" href="#{section_anchor(nxt["id"])}" '
            f'data-go="next">Next: {_t(nxt["title"])}</a>'
        )
    else:
        links.append(
            f'<a class="md-button md-button--primary" href="#{RESULTS_ID}" data-go="results">'
            "See your assessment</a>"
        )
    return f'<p class="prodready-section__nav">{"".join(links)}</p>'


def _section(doc: Doc, sections: list[Doc], n: int, hidden: Collection[str]) -> list[str]:
    section = sections[n]
    sid = section["id"]
    heading = section_anchor(sid)
    questions = [q for q in doc["questions"] if q["section"] == sid]
    out = [
        # method="dialog": submitting (Enter in a text field) never navigates or puts answers in a
        # query string, even before the script has bound the form.
        f'<form class="prodready-section" id="{section_id(sid)}" data-section="{_a(sid)}" '
        f'method="dialog" aria-labelledby="{heading}" novalidate>',
        f'<h2 class="prodready-section__title" id="{heading}" tabindex="-1">'
        f"{_t(section['title'])}</h2>",
    ]
    if section.get("intro"):
        out.append(f'<p class="prodready-section__intro">{_t(section["intro"])}</p>')
    for q in questions:
        out += render_question(q, hidden)
    out += [_step_links(sections, n), "</form>"]
    return out


def _toolbar() -> list[str]:
    out = [
        '<div class="prodready-toolbar" role="group" aria-label="Keep and share this assessment"'
        " hidden>"
    ]
    for action, label in TOOLBAR:
        out.append(
            f'<button type="button" class="md-button" data-action="{action}">{_t(label)}</button>'
        )
    out += [
        # Opened by the "Load answers" button; `hidden` keeps it out of the tab order.
        '<input type="file" id="prodready-load-file" accept=".json,application/json" '
        'aria-label="Answers file (JSON)" hidden>',
        '<div class="prodready-share" hidden>',
        '<label for="prodready-share-url">Link to these answers (the answers are in the part '
        "after #, which is never sent to a server)</label>",
        '<input type="text" id="prodready-share-url" readonly>',
        "</div>",
        "</div>",
    ]
    return out


def _summary(fragments: Mapping[str, str]) -> list[str]:
    """The live summary: the engine's rows, announced politely as they change."""
    return [
        '<aside class="prodready-summary" id="prodready-summary" data-summary data-verdict="" '
        'aria-labelledby="prodready-summary-title">',
        '<h2 class="prodready-summary__title" id="prodready-summary-title">Your result so far</h2>',
        '<dl class="prodready-summary__facts" data-fragment="summary" aria-live="polite">'
        f"{fragments.get('summary', '')}</dl>",
        '<p class="prodready-summary__off" hidden>No result while the assessment engine is not '
        "running.</p>",
        f'<p class="prodready-summary__more"><a href="#{RESULTS_ID}">Read the full report</a></p>',
        "</aside>",
    ]


def _results(fragments: Mapping[str, str]) -> list[str]:
    out = [
        f'<section id="{RESULTS_ID}" class="prodready-results" tabindex="-1" '
        'aria-labelledby="prodready-results-title">',
        '<h2 id="prodready-results-title">Your assessment</h2>',
        '<div class="prodready-verdict" id="prodready-verdict" data-verdict="" '
        f'data-fragment="verdict">{fragments.get("verdict", "")}</div>',
        '<p class="prodready-engine-off" id="prodready-engine-off" hidden>The assessment engine is '
        "not running, so no verdict can be given.</p>",
        '<div class="prodready-problems" id="prodready-problems" data-fragment="problems" hidden>'
        "</div>",
        '<div class="prodready-problems" id="prodready-load-problems" hidden></div>',
    ]
    for name, _, _ in PARTS:
        if name == "verdict":
            continue
        html = fragments.get(name, "")
        out.append(
            f'<div class="prodready-block prodready-block--{name}" id="prodready-block-{name}" '
            f'data-block="{name}" data-fragment="{name}"{"" if html else " hidden"}>{html}</div>'
        )
    out.append("</section>")
    return out


def render_form(rules_doc: dict[str, Any], start: Mapping[str, Any] | None = None) -> str:
    """The assessor (steps, questionnaire, summary, toolbar, status line and results) as one
    HTML block; ``start`` is :func:`engine_start` (without it nothing is hidden or filled in)."""
    doc = rules_doc
    sections = [
        s for s in doc["sections"] if any(q["section"] == s["id"] for q in doc["questions"])
    ]
    unplaced = {q["section"] for q in doc["questions"]} - {s["id"] for s in doc["sections"]}
    if unplaced:
        raise ValueError(f"questions name unknown sections: {sorted(unplaced)}")
    fragments: Mapping[str, str] = (start or {}).get("fragments", {})
    hidden = frozenset((start or {}).get("hidden", ()))
    out = [
        f'<div id="{ROOT_ID}" class="prodready-assessor" data-engine-state="loading" '
        f'data-ruleset="{_a(doc.get("ruleset_version", ""))}" '
        f'data-engine-version="{_a(doc.get("engine_version", ""))}">',
        f'<p class="prodready-skip"><a href="#{RESULTS_ID}">Skip to the results</a></p>',
        '<p class="prodready-status" id="prodready-status" role="status" aria-live="polite">'
        "The assessment engine runs in your browser and needs JavaScript; it starts as the page "
        "loads. You can start answering now.</p>",
        '<p class="prodready-message" id="prodready-message" role="alert" hidden></p>',
        *_toolbar(),
        '<div class="prodready-layout">',
        *_summary(fragments),
        '<div class="prodready-main">',
        *_steps(sections, fragments),
        '<div class="prodready-form">',
    ]
    for n in range(len(sections)):
        out += _section(doc, sections, n, hidden)
    out += ["</div>", "</div>", "</div>"]
    out += _results(fragments)
    out += render_tracking()
    out.append("</div>")
    return "\n".join(out)
