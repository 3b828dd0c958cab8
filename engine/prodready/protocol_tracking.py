"""The protocol's operations for tracking initiatives (see :mod:`prodready.protocol`): the page
stores and places what these return, and decides nothing itself.

Documents may be sent as parsed JSON or as the text of a file the reader chose (then a file that
is not JSON gets the same one-line reason as on the command line). ``format`` is ``json``, ``md``,
``html`` (a standalone page, to download or print) or ``fragment`` (HTML to place in the page).

``portfolio``: {"portfolio": <portfolio or null>, "add": <portfolio, answers or report>,
    "name": <the added answers' or report's initiative in the portfolio (default: the name in
    the answers, else "Untitled initiative"); a portfolio keeps its own names>,
    "label": <what to call the added document in messages, e.g. the file's name; default "add">,
    "remove": <initiative name>, "format"}
    -> {"portfolio": {...}, "export": <the portfolio file's text>, "table": {...}, "text": ...}
    (``text`` as ``fragment``: the table for the page, each row with its sort keys, see
    :func:`prodready.render_portfolio.table_fragment`)
``diff``: {"old": <answers, report or record>, "new": ..., "format"}
    -> {"diff": {...}, "changed": bool, "text": ...}
``record_form``: {"answers": {...}} -> {"required": [{"id", "title", "citation", "prompt"}],
    "keys": [{"id", "title"}]}: the justifications a record of these answers needs, and every
    key a justification may have
``record``: {"answers": <answers or record>, "justifications": {key: text},
    "sign_offs": [{"name", "role", "date"}], "format", "guide_base"}
    -> {"record": {...}, "file": <the record file's text>, "digest": ..., "text": ...}
``verify``: {"record": <record>, "format"} -> {"status", "verified", "reason", "diff": {...} or
    null, "text": <the diff> or null, "result": <the outcome in words: Markdown for "md", else
    an HTML fragment>}
Errors: ``invalid_document`` (with ``problems`` [{"field", "message"}] for a record that cannot
be made), ``not_a_record``, ``invalid_answers``, ``bad_request``.
"""

from __future__ import annotations

import json
from typing import Any

from prodready.diff import diff_documents
from prodready.documents import DocumentError
from prodready.evaluate import assess
from prodready.loader import load_ruleset
from prodready.portfolio import Portfolio, from_document, merge, read_portfolio, table
from prodready.record import (
    is_record,
    justification_keys,
    make_record,
    needs_justification,
    prompt,
)
from prodready.render import DEFAULT_GUIDE_BASE
from prodready.render_diff import diff_text
from prodready.render_portfolio import table_text
from prodready.render_record import record_text, verification_text
from prodready.verify import amend, verification_diff, verify

FORMATS = ("json", "md", "html", "fragment")
UNTITLED = "Untitled initiative"


class BadRequest(ValueError):
    """The request itself is malformed (not the documents it carries)."""


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def document(request: dict[str, Any], key: str, what: str | None = None) -> Any:
    """A document the request carries: parsed JSON, or the text of a JSON file (called ``what``
    in messages, else ``key``)."""
    value = request.get(key)
    if not isinstance(value, str):
        return value
    what = what or key
    try:
        return json.loads(value, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise DocumentError(f"{what}: not valid JSON: {exc.msg} at line {exc.lineno}") from None
    except (ValueError, RecursionError) as exc:
        raise DocumentError(f"{what}: unreadable JSON: {exc}") from None


def _format(request: dict[str, Any], default: str) -> str:
    fmt = request.get("format", default)
    if fmt not in FORMATS:
        raise BadRequest(f"format must be one of {', '.join(FORMATS)}")
    return str(fmt)


def _text(request: dict[str, Any], key: str) -> str | None:
    value = request.get(key)
    if value is not None and not isinstance(value, str):
        raise BadRequest(f"{key} must be a string")
    return value


def portfolio(request: dict[str, Any]) -> dict[str, Any]:
    rs = load_ruleset()
    stored = document(request, "portfolio")
    p = Portfolio(()) if stored is None else read_portfolio(stored, rs, "portfolio")
    label = _text(request, "label") or "add"
    added = document(request, "add", label)
    if added is not None:
        title = _text(request, "name")
        added_p = from_document(added, rs, name=UNTITLED, what=label, title=title or None)
        p = merge(p, added_p)
    gone = _text(request, "remove")
    if gone is not None:
        p = Portfolio(tuple(i for i in p.initiatives if i.name != gone))
    t = table(p, rs)
    return {
        "portfolio": p.to_dict(),
        "export": p.to_json(),
        "table": t.to_dict(),
        "text": table_text(t, _format(request, "fragment")),
    }


def diff_op(request: dict[str, Any]) -> dict[str, Any]:
    rs = load_ruleset()
    d = diff_documents(document(request, "old"), document(request, "new"), rs)
    fmt = _format(request, "fragment")
    return {"diff": d.to_dict(), "changed": d.changed, "text": diff_text(d, rs, fmt)}


def record_form(request: dict[str, Any]) -> dict[str, Any]:
    rs = load_ruleset()
    report = assess(document(request, "answers"), rs)
    required = [
        {"id": n.id, "title": n.title, "citation": n.citation, "prompt": prompt(n)}
        for n in needs_justification(report)
    ]
    keys = [{"id": k, "title": t} for k, t in justification_keys(report, rs).items()]
    return {"required": required, "keys": keys}


def record(request: dict[str, Any]) -> dict[str, Any]:
    rs = load_ruleset()
    doc = document(request, "answers")
    notes = request.get("justifications", {})
    signed = request.get("sign_offs", [])
    if not isinstance(notes, dict) or not isinstance(signed, list):
        raise BadRequest("justifications must be an object and sign_offs a list")
    base = _text(request, "guide_base") or DEFAULT_GUIDE_BASE
    maker = amend if is_record(doc) else make_record
    r = maker(doc, rs, justifications=notes, sign_offs=signed)
    text = record_text(r, rs, _format(request, "json"), base)
    return {"record": r.to_dict(), "file": r.to_json(), "digest": r.digest, "text": text}


def verify_op(request: dict[str, Any]) -> dict[str, Any]:
    rs = load_ruleset()
    v = verify(document(request, "record"), rs)
    found = verification_diff(v, rs)
    fmt = _format(request, "fragment")
    return {
        "status": v.status.value,
        "verified": v.ok,
        "reason": v.reason,
        "diff": found.to_dict() if found else None,
        "text": diff_text(found, rs, fmt) if found else None,
        "result": verification_text(v, "md" if fmt == "md" else "fragment"),
    }


OPS = {
    "portfolio": portfolio,
    "diff": diff_op,
    "record_form": record_form,
    "record": record,
    "verify": verify_op,
}
