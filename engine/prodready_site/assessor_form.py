"""The assessor's questionnaire and results region, rendered at build time from the rules document.

``render_form(rules_doc)`` returns one block of HTML for the ``<!-- prodready:assessor -->`` marker
on ``docs/assessor.md``. The form is complete without JavaScript (it can be read, indexed and
filled while the engine loads); ``docs/assets/js/assessor.js`` binds to it, sends the answers to
the engine running in a Web Worker and fills the results region with what the engine returns. The
page holds no decision logic: the markup only carries what the script needs to read and write
answers (question id, type and default, as ``data-*`` attributes).

Guide links in the rules (``page.md#anchor``, relative to docs/) become URLs relative to the
assessor page, which MkDocs serves at ``assessor/``: ``../page/#anchor``.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

Doc = dict[str, Any]

ROOT_ID = "prodready-assessor"
RESULTS_ID = "prodready-results"

# The results region: one block per part of the report, filled by the script. Each entry is
# (block id, heading). The headings are fixed page text; the contents come from the engine.
RESULT_BLOCKS: tuple[tuple[str, str], ...] = (
    ("reasons", "Why: the rules that fired"),
    ("actions", "Required actions"),
    ("roadmap", "Roadmap: what to build, in order"),
    ("gaps", "Capability gaps"),
    ("readiness", "Readiness by area"),
    ("eu", "EU AI Act"),
    ("change", "What would change this verdict"),
    ("signals", "Risk signals"),
)

TOOLBAR: tuple[tuple[str, str], ...] = (
    ("copy-link", "Copy link"),
    ("download-answers", "Download answers (JSON)"),
    ("load-answers", "Load answers (JSON)"),
    ("download-md", "Download report (Markdown)"),
    ("download-html", "Download report (HTML)"),
    ("print", "Print report"),
    ("reset", "Reset"),
)


def guide_href(guide: str) -> str:
    """``triggers.md#scale`` -> ``../triggers/#scale``, relative to the page at ``assessor/``."""
    page, _, anchor = guide.partition("#")
    path = page.removesuffix(".md")
    if path == "index":
        path = ""
    elif path.endswith("/index"):
        path = path.removesuffix("index")
    else:
        path += "/"
    return f"../{path}" + (f"#{anchor}" if anchor else "")


def _a(value: object) -> str:
    """An attribute value, escaped (quotes included)."""
    return escape(str(value), quote=True)


def _t(value: object) -> str:
    return escape(str(value), quote=False)


def qid(question_id: str) -> str:
    """The element id of a question's container (also the target of problem links)."""
    return f"q-{question_id}"


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


def _container_attrs(q: Doc) -> str:
    default = json.dumps(q.get("default"), ensure_ascii=False)
    return (
        f'id="{qid(q["id"])}" class="prodready-q prodready-q--{_a(q["type"])}" '
        f'data-question="{_a(q["id"])}" data-type="{_a(q["type"])}" '
        f'data-default="{_a(default)}" data-required="{"true" if q.get("required") else "false"}"'
    )


def _option_list(q: Doc, kind: str, options: list[tuple[str, str, str | None]]) -> list[str]:
    """Radio buttons or checkboxes: (value, label, citation) each."""
    out = ['<div class="prodready-options">']
    default = q.get("default")
    for n, (value, label, citation) in enumerate(options):
        input_id = f"{qid(q['id'])}-{n}"
        if isinstance(default, (list, tuple)):
            checked = value in default
        elif isinstance(default, bool):
            checked = json.dumps(default) == value
        else:
            checked = default is not None and default == value
        cite = f' <span class="prodready-citation">({_t(citation)})</span>' if citation else ""
        out.append(
            f'<div class="prodready-option"><input type="{kind}" id="{input_id}" '
            f'name="{_a(q["id"])}" value="{_a(value)}"{" checked" if checked else ""}'
            f"{' required' if kind == 'radio' and q.get('required') else ''}>"
            f'<label for="{input_id}">{_t(label)}{cite}</label></div>'
        )
    out.append("</div>")
    return out


def _group(q: Doc, kind: str, options: list[tuple[str, str, str | None]]) -> list[str]:
    role = ' role="radiogroup"' if kind == "radio" else ""
    required = ' aria-required="true"' if kind == "radio" and q.get("required") else ""
    legend = _t(q["text"]) + (_required_marker() if q.get("required") else "")
    return [
        f'<fieldset {_container_attrs(q)}{role}{required} aria-describedby="{_describedby(q)}">',
        f'<legend class="prodready-question">{legend}</legend>',
        *_option_list(q, kind, options),
        *_help_and_why(q),
        "</fieldset>",
    ]


def _single(q: Doc) -> list[str]:
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
        f"<div {_container_attrs(q)}>",
        f'<label class="prodready-question" for="{input_id}">{legend}</label>',
        f"<input {' '.join(attrs)}>",
        *_help_and_why(q),
        "</div>",
    ]


def render_question(q: Doc) -> list[str]:
    kind = q["type"]
    if kind == "choice":
        return _group(q, "radio", [(o["id"], o["label"], o.get("citation")) for o in q["options"]])
    if kind == "multi":
        opts = [(o["id"], o["label"], o.get("citation")) for o in q["options"]]
        return _group(q, "checkbox", opts)
    if kind == "bool":
        return _group(q, "radio", [("true", "Yes", None), ("false", "No", None)])
    if kind in ("integer", "date", "text"):
        return _single(q)
    raise ValueError(f"question {q['id']!r} has an unknown type {kind!r}")


def _section(doc: Doc, section: Doc) -> list[str]:
    sid = section["id"]
    heading = f"prodready-section-{sid}-title"
    questions = [q for q in doc["questions"] if q["section"] == sid]
    out = [
        # method="dialog": submitting (Enter in a text field) never navigates or puts answers in a
        # query string, even before the script has bound the form.
        f'<form class="prodready-section" id="prodready-section-{_a(sid)}" method="dialog" '
        f'aria-labelledby="{heading}" novalidate>',
        f'<h2 class="prodready-section__title" id="{heading}">{_t(section["title"])}</h2>',
    ]
    if section.get("intro"):
        out.append(f'<p class="prodready-section__intro">{_t(section["intro"])}</p>')
    for q in questions:
        out += render_question(q)
    out.append("</form>")
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


def _results(doc: Doc) -> list[str]:
    required = [q for q in doc["questions"] if q.get("required")]
    todo = "".join(
        f'<li data-todo="{_a(q["id"])}"><a href="#{qid(q["id"])}">{_t(q["text"])}</a></li>'
        for q in required
    )
    out = [
        f'<section id="{RESULTS_ID}" class="prodready-results" tabindex="-1" '
        'aria-labelledby="prodready-results-title">',
        '<h2 id="prodready-results-title">Your assessment</h2>',
        '<div class="prodready-verdict" id="prodready-verdict" data-verdict="" '
        'aria-live="polite" aria-atomic="true">',
        '<p class="prodready-verdict__title" id="prodready-verdict-title">No verdict yet</p>',
        '<p class="prodready-verdict__summary" id="prodready-verdict-summary">'
        "Answer the required questions (marked *) to see a verdict.</p>",
        '<p class="prodready-verdict__ends" id="prodready-verdict-ends" hidden></p>',
        "</div>",
        '<div class="prodready-todo" id="prodready-todo">',
        '<p id="prodready-todo-title">Still to answer:</p>',
        f'<ul aria-labelledby="prodready-todo-title">{todo}</ul>',
        "</div>",
        '<div class="prodready-problems" id="prodready-problems" hidden></div>',
        '<div class="prodready-report" id="prodready-report" hidden>',
    ]
    for block, heading in RESULT_BLOCKS:
        out += [
            f'<div class="prodready-block prodready-block--{block}" '
            f'id="prodready-block-{block}" data-block="{block}">',
            f"<h3>{_t(heading)}</h3>",
            '<div class="prodready-block__body"></div>',
            "</div>",
        ]
    out += [
        f'<p class="prodready-disclaimer" id="prodready-disclaimer">{_t(doc["disclaimer"])}</p>',
        '<p class="prodready-versions" id="prodready-versions"></p>',
        "</div>",
        "</section>",
    ]
    return out


def render_form(rules_doc: dict[str, Any]) -> str:
    """The assessor (questionnaire, toolbar, status line and results region) as one HTML block."""
    doc = rules_doc
    sections = [
        s for s in doc["sections"] if any(q["section"] == s["id"] for q in doc["questions"])
    ]
    unplaced = {q["section"] for q in doc["questions"]} - {s["id"] for s in doc["sections"]}
    if unplaced:
        raise ValueError(f"questions name unknown sections: {sorted(unplaced)}")
    # Lets the script name the verdict a changed answer would lead to ("what would change").
    verdict_titles = {v["id"]: v["title"] for v in doc.get("verdicts", [])}
    out = [
        f'<div id="{ROOT_ID}" class="prodready-assessor" data-engine-state="loading" '
        f'data-ruleset="{_a(doc.get("ruleset_version", ""))}" '
        f'data-engine-version="{_a(doc.get("engine_version", ""))}" '
        f'data-verdict-titles="{_a(json.dumps(verdict_titles, ensure_ascii=False))}">',
        f'<p class="prodready-skip"><a href="#{RESULTS_ID}">Skip to the results</a></p>',
        '<p class="prodready-status" id="prodready-status" role="status" aria-live="polite">'
        "The assessment engine runs in your browser and needs JavaScript; it starts as the page "
        "loads. You can start answering now.</p>",
        '<p class="prodready-message" id="prodready-message" role="alert" hidden></p>',
        *_toolbar(),
        '<div class="prodready-form">',
    ]
    for section in sections:
        out += _section(doc, section)
    out.append("</div>")
    out += _results(doc)
    out.append("</div>")
    return "\n".join(out)
