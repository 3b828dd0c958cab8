"""A decision record in Markdown and print-ready HTML: what the record attests (versions and
digests), the reader's justifications and sign-offs, then the recorded report as
:func:`prodready.render.to_markdown` writes it, one heading level down. Also the outcome of
checking a record (:func:`verification_text`), as the assessor page shows it."""

from __future__ import annotations

import re

from prodready.model import RuleSet
from prodready.pages import demote, document, fragment
from prodready.record import GENERAL, Record, justification_keys
from prodready.render import DEFAULT_GUIDE_BASE, to_markdown
from prodready.verify import Status, Verification
from prodready.writers import md_escape


def _subject(key: str, r: Record, rs: RuleSet) -> str:
    """What a justification is about, in words."""
    title = justification_keys(r.report, rs).get(key)
    if key == GENERAL and title:
        return title
    return f"{title or md_escape(key)} ({md_escape(key)})"


def _paragraphs(text: str) -> list[str]:
    """The reader's text, escaped, its line breaks kept."""
    paras = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return [" \\\n".join(md_escape(line.strip()) for line in p.splitlines()) for p in paras]


def _facts(r: Record) -> list[str]:
    rows = [
        ("Assessed on", r.assessed_on),
        ("Verdict", f"{r.report.verdict.title} (`{r.report.verdict.id}`)"),
        ("EU AI Act", r.report.eu_ai_act.tier_title),
        ("Rule set", f"{r.ruleset_version}, digest `{r.ruleset_digest}`"),
        ("Engine", r.engine_version),
        ("Record digest", f"`{r.digest}`"),
    ]
    return ["| Field | Value |", "| --- | --- |", *(f"| {k} | {v} |" for k, v in rows), ""]


def _justifications(r: Record, rs: RuleSet) -> list[str]:
    out = ["## Justifications", ""]
    if not r.justifications:
        return [*out, "None given.", ""]
    for key, text in r.justifications.items():
        out += [f"### {_subject(key, r, rs)}", ""]
        for para in _paragraphs(text):
            out += [para, ""]
    return out


def _sign_offs(r: Record) -> list[str]:
    out = ["## Sign-off", "", "| Name | Role | Date | Signature |", "| --- | --- | --- | --- |"]
    out += [f"| {md_escape(s.name)} | {md_escape(s.role)} | {s.date} | |" for s in r.sign_offs]
    if not r.sign_offs:  # room to sign the printed record by hand
        out += ["| | | | |"] * 2
    return [*out, ""]


def record_markdown(r: Record, rs: RuleSet, guide_base: str = DEFAULT_GUIDE_BASE) -> str:
    name = md_escape(r.report.initiative) if r.report.initiative else "Untitled initiative"
    out = [f"# Decision record: {name}", "", *_facts(r)]
    out += _justifications(r, rs) + _sign_offs(r)
    out += [
        "## Checking this record",
        "",
        "The record digest covers everything in the record except itself. "
        "`prodready verify` checks it, and that the same answers still give the same report "
        "under the same rule set.",
        "",
        "",
    ]
    return "\n".join(out) + demote(to_markdown(r.report, guide_base))


def record_text(r: Record, rs: RuleSet, fmt: str, guide_base: str = DEFAULT_GUIDE_BASE) -> str:
    """The record as ``json`` (the record file), ``md``, ``html`` (a page to print) or
    ``fragment`` (HTML to place)."""
    if fmt == "json":
        return r.to_json()
    md = record_markdown(r, rs, guide_base)
    if fmt == "md":
        return md
    name = r.report.initiative or "Untitled initiative"
    return document(f"Decision record: {name}", md, "record") if fmt == "html" else fragment(md)


# What each outcome of prodready.verify means, in one sentence (every Status has one: tested).
OUTCOMES: dict[Status, str] = {
    Status.VERIFIED: "**Verified.** The record is as it was made: its digest matches its "
    "contents, and its answers give the recorded report under the same rule set.",
    Status.TAMPERED: "**Not verified.** The record was changed after it was made.",
    Status.DAMAGED: "**Not verified.** The record is damaged: it cannot be checked.",
    Status.OTHER_RULESET: "**Not verified.** The record was made under a rule set this engine "
    "does not hold, so it cannot be assessed again as it was made.",
    Status.MISMATCH: "**Not verified.** Its answers no longer give the recorded report.",
    Status.INCOMPLETE: "**Not verified.** The record lacks a justification it needs.",
}


def verification_markdown(v: Verification) -> str:
    """The outcome, the engine's one-line reason, and for an intact record what it attests."""
    out = [OUTCOMES[v.status], ""]
    if v.ok and v.record is not None:
        name = v.record.report.initiative
        out += [f"Initiative: {md_escape(name) if name else 'Untitled initiative'}.", ""]
        out += _facts(v.record)
    else:
        out += [f"Reason: {md_escape(v.reason)}.", ""]
    if v.current is not None:
        out += ["What the current rules give for the same answers is compared below.", ""]
    return "\n".join(out)


def verification_text(v: Verification, fmt: str) -> str:
    """The outcome as ``md`` or ``fragment`` (HTML to place)."""
    md = verification_markdown(v)
    return md if fmt == "md" else fragment(md)
