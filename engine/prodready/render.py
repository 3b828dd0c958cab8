"""Markdown and HTML renderings of a report.

Markdown is the primary human format; HTML is that Markdown rendered by markdown-it-py with the
``js-default`` preset (raw HTML disabled, unsafe link schemes refused), so nothing a reader typed
can inject markup. The only HTML the engine writes itself is the document shell and the chart.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from prodready.chart import CHART_CSS, readiness_svg
from prodready.markup import escape
from prodready.model import marked
from prodready.report import Change, DateInfo, Provision, Report

DEFAULT_GUIDE_BASE = "https://prodready.github.io/prodready/latest/"
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&])")


def guide_url(guide: str, base: str = DEFAULT_GUIDE_BASE) -> str:
    """``triggers.md#scale`` -> ``<base>triggers/#scale`` (MkDocs directory URLs)."""
    page, _, anchor = guide.partition("#")
    path = page.removesuffix(".md")
    path = "" if path == "index" else path.removesuffix("/index") + "/"
    return f"{base}{path}" + (f"#{anchor}" if anchor else "")


def md_escape(text: str) -> str:
    """Escape text the reader typed, so it cannot become a link or markup."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def to_markdown(report: Report, guide_base: str = DEFAULT_GUIDE_BASE) -> str:
    r = report

    def link(title: str, guide: str) -> str:
        return f"[{title}]({guide_url(guide, guide_base)})"

    out: list[str] = []
    name = md_escape(r.initiative) if r.initiative else "Untitled initiative"
    out += [f"# ProdReady assessment: {name}", ""]
    out += [f"**Verdict: {r.verdict.title}** (`{r.verdict.id}`)", "", r.verdict.summary, ""]
    if r.verdict.ends_when:
        until = f" (until {r.verdict.until})" if r.verdict.until else ""
        out += [f"**The exception ends{until}:** {r.verdict.ends_when}", ""]
    out += [f"EU AI Act: **{r.eu_ai_act.tier_title}**", ""]
    out += [f"Assessed on {r.assessed_on}.", ""]
    for t in r.transitions:
        out += [f"**Transitional state: {link(t.title, t.guide)}.** {t.reason} It ends when:", ""]
        out += [f"1. {criterion}" for criterion in t.exit_criteria]
        out.append("")
    if r.fired:
        out += ["## Why", ""]
        out += [f"- {link(f.title, f.guide)}: {f.reason}" for f in r.fired]
        out.append("")
    if r.actions:
        out += ["## Required actions", ""]
        guide = [a for a in r.actions if a.citation is None]
        legal = [a for a in r.actions if a.citation is not None]
        out += [f"- [ ] {a.text}" for a in guide] + ([""] if guide else [])
        if legal:
            out += ["### Legal duties", ""]
            out += [f"- [ ] {a.citation}: {a.text}" for a in legal]
            out.append("")
    if r.roadmap:
        out += ["## Roadmap", "", "| Step | Capability | Phase |", "| --- | --- | --- |"]
        for s in r.roadmap:
            if s.promoted_by:
                phase = f"{s.phase_title} (moved up to phase {s.phase} by {s.promoted_by})"
            else:
                phase = f"{s.phase}. {s.phase_title}"
            out.append(f"| {s.step} | {s.title} | {phase} |")
        out.append("")
    out += [
        "## Readiness by area",
        "",
        "| Area | Required in place | In place overall |",
        "| --- | --- | --- |",
    ]
    for a in r.readiness:
        req = f"{a.required_present} of {a.required}" if a.required else "none required"
        out.append(f"| {a.title} | {req} | {a.present} of {a.total} |")
    out.append("")
    if r.what_would_change:
        out += ["## What would change this verdict", ""]
        out += [_change(c) for c in r.what_would_change]
        out.append("")
    eu = r.eu_ai_act
    out += ["## EU AI Act", "", f"Tier: **{eu.tier_title}** (`{eu.tier}`)", ""]
    for p in eu.provisions:
        cite = marked(f" ({p.citation})" if p.citation else "", p.verified)
        out.append(f"- {link(p.title, p.guide)}{cite}: {p.reason}")
    if eu.provisions:
        out.append("")
    if eu.obligations:
        out += [
            "### Obligations",
            "",
            "| Obligation | Provision | Who | Applies from |",
            "| --- | --- | --- | --- |",
        ]
        for o in eu.obligations:
            when = date_phrase(o.applies_from) if o.applies_from else "—"
            who = " and ".join(role.replace("_", " ") for role in o.who)
            cite = marked(o.citation or "", o.verified)
            out.append(f"| {link(o.title, o.guide)} | {cite} | {who} | {when} |")
        out.append("")
    for heading, items in (("SME provisions", eu.sme), ("Penalties", eu.penalties)):
        if items:
            out += [f"### {heading}", ""]
            out += [f"- **{p.title}** {_cited(p)}: {p.reason}" for p in items]
            out.append("")
    if eu.dates:
        out += [
            "### Dates",
            "",
            "| Obligation | Applies | Originally | Source |",
            "| --- | --- | --- | --- |",
        ]
        for d in eu.dates:
            source = d.amended_source or d.source
            out.append(
                f"| {marked(d.label, d.verified)} | {_status(d)} | {d.original} | {source} |"
            )
        out.append("")
    out += _gdpr(r, link)
    if r.signals:
        out += ["## Risk signals", ""]
        out += [f"- {link(s.title, s.guide)}: {s.signal or s.reason}" for s in r.signals]
        out.append("")
    if r.ignored:
        out += [
            "## Answers not assessed",
            "",
            "These questions do not apply to this initiative:",
            "",
        ]
        out += [f"- “{i.text}”" for i in r.ignored]
        out.append("")
    out += [
        "---",
        "",
        f"*{r.disclaimer}* Legal basis: {eu.legal_basis}",
        "",
        f"Engine {r.engine_version}, rule set {r.ruleset_version} "
        f"(checked against the legal texts on {r.ruleset_reviewed}).",
        "",
    ]
    return "\n".join(out)


def _cited(p: Provision) -> str:
    return marked(f"({p.citation or ''})", p.verified)


def _change(c: Change) -> str:
    """One line of "what would change": an answer to change, or for an answer that claims a
    legal exception, the condition the law sets (a fact to establish, not a choice)."""
    if c.condition:
        return f"- only if the law's condition is met: {c.condition} → `{c.verdict}`"
    return f"- {c.summary} → `{c.verdict}`"


def _gdpr(r: Report, link: Callable[[str, str], str]) -> list[str]:
    """The GDPR section: why and in which role it applies, then its duties (what each asks for
    is under the required actions' legal duties)."""
    g = r.gdpr
    if not g.applies:
        return []
    out = ["## GDPR", ""]
    out += [f"- {link(p.title, p.guide)} {_cited(p)}: {p.reason}" for p in g.provisions]
    out.append("")
    if g.duties:
        out += ["| Duty | Provision | Who |", "| --- | --- | --- |"]
        out += [
            f"| {link(d.title, d.guide)} | {marked(d.citation or '', d.verified)} "
            f"| {' and '.join(d.who)} |"
            for d in g.duties
        ]
        out.append("")
    return [*out, f"Legal basis: {g.legal_basis}", ""]


def _status(d: DateInfo) -> str:
    """ "applies since D" or "applies from D", judged on the assessment date."""
    return ("applies since " if d.status == "applies" else "applies from ") + d.applies_from


def date_phrase(d: DateInfo) -> str:
    """The date a duty applies, relative to the assessment date, with the original date when an
    amendment moved it."""
    moved = f" (originally {d.original})" if d.amended and d.amended != d.original else ""
    return _status(d) + moved


def to_html(report: Report, guide_base: str = DEFAULT_GUIDE_BASE) -> str:
    """A standalone HTML document: the Markdown report rendered safely, plus the chart."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("js-default")
    body = md.render(to_markdown(report, guide_base))
    title = escape(f"ProdReady assessment: {report.initiative or 'Untitled initiative'}")
    chart = readiness_svg(report.readiness)
    body = body.replace("<h2>Readiness by area</h2>", f"<h2>Readiness by area</h2>\n{chart}", 1)
    return (
        "<!doctype html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<style>{_PAGE_CSS}{CHART_CSS}</style></head>"
        f'<body><main data-verdict="{escape(report.verdict.id)}">\n{body}</main></body></html>\n'
    )


_PAGE_CSS = """
body { font: 16px/1.5 system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; color: #1d1d1f; }
table { border-collapse: collapse; } td, th { border: 1px solid #999; padding: .25rem .5rem; text-align: left; }
a { color: #0b57d0; text-decoration: underline; }
@media print { a { color: inherit; } }
"""
