"""The one message protocol between the page and the engine: JSON text in, JSON text out.

The browser's Web Worker passes strings through unchanged, so this function is the whole
boundary and the page holds no decision logic and no report wording. Errors come back as data,
never as exceptions.

Request:  {"v": 1, "id": N, "op": "assess" | "render" | "info" (or a tracking op below),
           "answers": {...}, "format": "md" | "html", "guide_base": "https://...",
           "fragments": true}
Response: {"v": 1, "id": N, "ok": true, "report": {...}, "chart_svg": "<svg ...>",
           "hidden": ["question id", ...]}  (assess: the questions that do not apply)
          {"v": 1, "id": N, "ok": true, "text": "...", "format": "md"}  (render)
          {"v": 1, "id": N, "ok": true, "engine_version": ..., "ruleset_version": ...}  (info)
          {"v": 1, "id": N, "ok": false, "error": {"code": ..., "message": ..., "problems": [...]},
           "hidden": [...]}  (invalid answers to an assess request: which questions to hide)
An assess request with ``"fragments": true`` (the assessor page's, on every answer) gets
``"fragments": {name: html}`` and ``"verdict": {"id": ..., "severity": N}`` in place of the
report and the chart, for answers that can be assessed (invalid ones get the fragments with the
error): the page's parts written by the engine (:mod:`prodready.fragments`), guide links
relative to the assessor page unless ``guide_base`` says otherwise. An answers document without
``assessed_on`` is assessed on today's date.

Tracking initiatives: the ops "portfolio", "diff", "record_form", "record" and "verify", with
their requests and responses, are described in :mod:`prodready.protocol_tracking`.
"""

from __future__ import annotations

import json
from typing import Any

from prodready import __version__
from prodready.answers import AnswersError
from prodready.chart import readiness_svg
from prodready.evaluate import assess, compiled, not_asked
from prodready.fragments import pending_fragments, report_fragments
from prodready.loader import load_ruleset
from prodready.render import DEFAULT_GUIDE_BASE, to_html, to_markdown
from prodready.writers import PAGE_GUIDE_BASE

VERSION = 1
# Tracking initiatives (portfolio, diff, decision records): prodready.protocol_tracking, imported
# on first use so the assessor's start-up does not pay for it.
TRACKING_OPS = ("portfolio", "diff", "record_form", "record", "verify")


def _error(
    rid: Any,
    code: str,
    message: str,
    problems: list[dict[str, str]] | None = None,
    **extra: Any,
) -> str:
    err: dict[str, Any] = {"code": code, "message": message}
    if problems is not None:
        err["problems"] = problems
    body = {"v": VERSION, "id": rid, "ok": False, "error": err, **extra}
    return json.dumps(body, sort_keys=True, ensure_ascii=False)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _dumps(body: dict[str, Any]) -> str:
    return json.dumps(body, sort_keys=True, ensure_ascii=False)


def handle(message: str) -> str:
    try:
        request = json.loads(message, parse_constant=_refuse_constant)
    except (TypeError, ValueError, RecursionError) as exc:
        return _error(None, "bad_request", f"the request is not JSON: {exc}")
    if not isinstance(request, dict):
        return _error(None, "bad_request", "the request must be a JSON object")
    rid = request.get("id")
    if not (
        rid is None or isinstance(rid, str) or (isinstance(rid, int) and not isinstance(rid, bool))
    ):
        return _error(None, "bad_request", "id must be a number or a string")
    if request.get("v") != VERSION:
        return _error(rid, "bad_request", f"unsupported protocol version {request.get('v')!r}")
    op = request.get("op")
    try:
        if op == "info":
            # The page's start-up check: the rules load and compile here, so a rule set that
            # cannot shows before the first answer, and the memory snapshot taken after this
            # request holds them compiled.
            rs = load_ruleset()
            compiled(rs)
            body: dict[str, Any] = {"engine_version": __version__, "ruleset_version": rs.version}
            return json.dumps({"v": VERSION, "id": rid, "ok": True, **body}, sort_keys=True)
        if op == "assess":
            return _assess(rid, request)
        if op == "render":
            return _render(rid, request)
        if op in TRACKING_OPS:
            return _tracking(rid, op, request)
        expected = ", ".join(("assess", "render", "info", *TRACKING_OPS))
        return _error(rid, "bad_request", f"unknown op {op!r}; expected {expected}")
    except AnswersError as exc:
        problems = [{"field": p.field, "message": p.message} for p in exc.problems]
        extra: dict[str, Any] = {}
        if op == "assess":
            answers = request.get("answers")
            extra["hidden"] = hidden = list(not_asked(answers))
            if request.get("fragments") is True:
                extra["fragments"] = pending_fragments(
                    answers, exc.problems, hidden, load_ruleset()
                )
        return _error(rid, "invalid_answers", str(exc), problems, **extra)
    except Exception as exc:  # the boundary: report, never crash the worker
        return _error(rid, "internal", f"{type(exc).__name__}: {exc}")


def _assess(rid: Any, request: dict[str, Any]) -> str:
    fragments = request.get("fragments", False)
    base = request.get("guide_base", PAGE_GUIDE_BASE)
    if not isinstance(fragments, bool):
        return _error(rid, "bad_request", "fragments must be true or false")
    if not isinstance(base, str):
        return _error(rid, "bad_request", "guide_base must be a string (a URL)")
    answers = request.get("answers")
    report = assess(answers)  # type: ignore[arg-type]
    hidden = list(not_asked(answers))
    body: dict[str, Any] = {"v": VERSION, "id": rid, "ok": True}
    if fragments:
        # The page's request, on every answer: what it places, and the verdict it marks the
        # page with. The whole report is not sent (the fragments say it all).
        verdict = {"id": report.verdict.id, "severity": report.verdict.severity}
        body["verdict"] = verdict
        body["fragments"] = report_fragments(report, answers, hidden, load_ruleset(), base)
    else:
        body["report"] = report.to_dict()
        # The engine draws the readiness chart so the page draws nothing itself.
        body["chart_svg"] = readiness_svg(report.readiness)
    body["hidden"] = hidden
    return _dumps(body)


def _render(rid: Any, request: dict[str, Any]) -> str:
    report = assess(request.get("answers"))  # type: ignore[arg-type]
    fmt = request.get("format", "md")
    base = request.get("guide_base", DEFAULT_GUIDE_BASE)
    if fmt not in ("md", "html"):
        return _error(rid, "bad_request", "format must be 'md' or 'html'")
    if not isinstance(base, str):
        return _error(rid, "bad_request", "guide_base must be a string (a URL)")
    text = to_markdown(report, base) if fmt == "md" else to_html(report, base)
    return _dumps({"v": VERSION, "id": rid, "ok": True, "format": fmt, "text": text})


def _tracking(rid: Any, op: str, request: dict[str, Any]) -> str:
    from prodready.documents import DocumentError
    from prodready.protocol_tracking import OPS, BadRequest
    from prodready.record import RecordError

    try:
        body = OPS[op](request)
    except BadRequest as exc:
        return _error(rid, "bad_request", str(exc))
    except RecordError as exc:
        problems = [{"field": exc.field, "message": str(exc)}]
        return _error(rid, "invalid_document", str(exc), problems)
    except DocumentError as exc:
        return _error(rid, "not_a_record" if op == "verify" else "invalid_document", str(exc))
    return _dumps({"v": VERSION, "id": rid, "ok": True, **body})
