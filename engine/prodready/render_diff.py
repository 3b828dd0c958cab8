"""A diff between two assessments in Markdown and HTML: the two summaries side by side, the
answers that changed, then the changes step by step with their cause."""

from __future__ import annotations

from typing import Any

from prodready.diff import Delta, Diff, Listed, Step
from prodready.model import Question, RuleSet
from prodready.pages import document, fragment
from prodready.render_portfolio import readiness_text, step_text
from prodready.writers import md_escape

_SOURCES = {"answers": "answers", "report": "saved report", "record": "decision record"}


def answer_text(q: Question | None, value: Any) -> str:
    """An answer in words: option labels, yes or no, or the value (escaped: the reader's)."""
    if value is None:
        if q is None or q.default is None:
            return "not answered"
        value = q.default
    if q is not None and q.options:
        ids = value if isinstance(value, list | tuple) else [value]
        labels = [(o.label if (o := q.option(str(i))) else md_escape(str(i))) for i in ids]
        return "; ".join(f"“{label}”" for label in labels) if labels else "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    typed = q is None or q.type == "text"  # the reader's own text
    return md_escape(str(value)) if typed else str(value)


def _summary_rows(d: Diff) -> list[str]:
    a, b = d.old.summary, d.new.summary
    rows = [
        ("Assessed on", a.assessed_on, b.assessed_on),
        ("From", _SOURCES[d.old.source], _SOURCES[d.new.source]),
        ("Rule set", a.ruleset_version, b.ruleset_version),
        ("Verdict", a.verdict_title, b.verdict_title),
        ("EU AI Act", a.tier_title, b.tier_title),
        ("Readiness", readiness_text(a.readiness), readiness_text(b.readiness)),
        ("Next step", step_text(a.next_step), step_text(b.next_step)),
    ]
    out = ["| Field | Before | After |", "| --- | --- | --- |"]
    return out + [f"| {label} | {old} | {new} |" for label, old, new in rows]


def _items(title: str, entries: list[str]) -> list[str]:
    return [f"**{title}**", "", *(f"- {e}" for e in entries), ""] if entries else []


def _listed(listed: Listed[Any], added: str, removed: str, show: Any) -> list[str]:
    return _items(added, [show(x) for x in listed.added]) + _items(
        removed, [show(x) for x in listed.removed]
    )


def _delta(c: Delta) -> list[str]:
    if c.empty:
        return ["No change.", ""]
    out = []
    if c.verdict:
        v = c.verdict
        out.append(f"- Verdict: {v.old_title} (`{v.old}`) → **{v.new_title}** (`{v.new}`)")
    if c.tier:
        out.append(f"- EU AI Act: {c.tier.old_title} → **{c.tier.new_title}**")
    out += [""] if out else []
    rule = "{0.title} (`{0.id}`)".format
    out += _listed(c.rules, "Now applies", "No longer applies", rule)
    out += _listed(c.actions, "New actions", "Actions no longer required", str)
    out += _listed(c.gaps, "New capability gaps", "No longer a gap", "{0.title}".format)
    return out


def _step_heading(s: Step, d: Diff) -> list[str]:
    if s.cause == "answers":
        under = "" if d.same_ruleset else f" (under rule set {s.to_ruleset})"
        return [f"## Changes from the answers{under}", ""]
    if s.cause == "rules" and s.from_ruleset == s.to_ruleset:  # the version was not bumped
        return [
            f"## Changes from the rules: rule set {s.to_ruleset} was changed",
            "",
            f"The same answers, assessed under rule set {s.to_ruleset} as this engine has it.",
            "",
        ]
    if s.cause == "rules":
        return [
            f"## Changes from the rules: rule set {s.from_ruleset} → {s.to_ruleset}",
            "",
            f"The same answers, assessed under rule set {s.to_ruleset} "
            f"instead of {s.from_ruleset}.",
            "",
        ]
    return ["## Changes from the answers and the rules together", "", f"{s.note}.", ""]


def diff_markdown(d: Diff, rs: RuleSet) -> str:
    name = d.new.summary.initiative or d.old.summary.initiative
    out = [f"# What changed: {md_escape(name) if name else 'Untitled initiative'}", ""]
    out += [*_summary_rows(d), ""]
    if not d.changed:
        return "\n".join([*out, "Nothing changed: the same answers, the same assessment.", ""])
    questions = {q.id: q for q in rs.questions}
    if d.answers:
        out += ["## Answers that changed", ""]
        for a in d.answers:
            q = questions.get(a.question)
            text = f"“{a.text}”" if a.text else f"{md_escape(a.question)} (no longer asked)"
            out.append(f"- {text}: {answer_text(q, a.old)} → {answer_text(q, a.new)}")
        out.append("")
    for s in d.steps:
        out += _step_heading(s, d) + _delta(s.changes)
    return "\n".join(out)


def diff_text(d: Diff, rs: RuleSet, fmt: str) -> str:
    """The diff as ``json``, ``md``, ``html`` (a page) or ``fragment`` (HTML to place)."""
    if fmt == "json":
        return d.to_json()
    md = diff_markdown(d, rs)
    if fmt == "md":
        return md
    name = d.new.summary.initiative or d.old.summary.initiative or "Untitled initiative"
    return document(f"What changed: {name}", md, "diff") if fmt == "html" else fragment(md)
