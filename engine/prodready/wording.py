"""The report in words: every phrase and the order of the parts, written once.

Each part is a function of the report and a :class:`prodready.writers.Writer`; the Markdown
report, the standalone HTML report and the assessor page's fragments are the same functions run
with a different writer (:mod:`prodready.render`, :mod:`prodready.fragments`). A part with nothing
to say returns ``""`` and is left out (the page hides its place).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from prodready.loader import load_ruleset
from prodready.model import marked
from prodready.report import Change, DateInfo, Obligation, Provision, Report, Transition
from prodready.writers import Writer

type Part = Callable[[Report, Writer], str]


def _cite(w: Writer, citation: str | None, verified: bool = True) -> str:
    """`` (Art. 5(1))``, marked when the rule set could not verify the statement."""
    return w.text(" " + marked(f"({citation})", verified)) if citation else ""


def _or(values: Sequence[str]) -> str:
    """“a”, “b” or “c”"""
    return values[0] if len(values) == 1 else f"{', '.join(values[:-1])} or {values[-1]}"


def status(d: DateInfo) -> str:
    """The day a duty applies as "applies since D" or "applies from D" (on the assessment date)."""
    return ("applies since " if d.status == "applies" else "applies from ") + d.applies_from


def date_phrase(d: DateInfo) -> str:
    """The date a duty applies, with the original date when an amendment moved it."""
    moved = f" (originally {d.original})" if d.amended and d.amended != d.original else ""
    return status(d) + moved


def _verdict_title(verdict: str) -> str:
    return next((v.title for v in load_ruleset().verdicts if v.id == verdict), verdict)


def _rule_titles(r: Report) -> dict[str, str]:
    eu = r.eu_ai_act
    titles = {f.id: f.title for f in (*r.fired, *r.signals)}
    titles.update({p.id: p.title for p in (*eu.provisions, *eu.sme)})
    titles.update({o.id: o.title for o in (*eu.obligations, *r.gdpr.duties)})
    titles.update({p.id: p.title for p in (*eu.penalties, *r.gdpr.provisions)})
    return titles


# --- the parts ------------------------------------------------------------------------------


def title(r: Report, w: Writer) -> str:
    name = w.typed(r.initiative) if r.initiative else w.text("Untitled initiative")
    return w.heading(1, f"ProdReady assessment: {name}")


def verdict(r: Report, w: Writer) -> str:
    v = r.verdict
    ends = ""
    if v.ends_when:
        until = f" on {v.until}" if v.until else ""
        ends = w.para(w.strong(f"The exception ends{until}:") + " " + w.text(v.ends_when), "ends")
    return w.blocks(
        [
            w.para(w.strong("Verdict: " + w.text(v.title)), "verdict-title"),
            w.para(w.text(v.summary), "verdict-summary"),
            ends,
            w.para("EU AI Act: " + w.strong(w.text(r.eu_ai_act.tier_title))),
            w.para(f"Assessed on {w.text(r.assessed_on)}."),
            *(_transition(t, w) for t in r.transitions),
        ]
    )


def _transition(t: Transition, w: Writer) -> str:
    """A transitional state (not an exception, not a risk) and the criteria that end it."""
    lead = w.strong("Transitional state: " + w.link(w.text(t.title), t.guide) + ".")
    return w.blocks(
        [
            w.para(f"{lead} {w.text(t.reason)} It ends when:", "transition"),
            w.items([w.text(c) for c in t.exit_criteria], ordered=True),
        ]
    )


def reasons(r: Report, w: Writer) -> str:
    items = [
        w.link(w.text(f.title), f.guide)
        + _cite(w, f.citation)
        + ": "
        + w.text(f.reason + (f" {f.signal}" if f.signal else ""))
        for f in r.fired
    ]
    return w.items(items) if items else ""


def actions(r: Report, w: Writer) -> str:
    """What to do: one action per missing capability and each rule's own, then the legal duties
    with the provision each rests on."""
    titles = _rule_titles(r)
    guide = [
        w.text(f"{a.text} ({titles.get(a.rule, a.rule)})") for a in r.actions if not a.citation
    ]
    legal = [w.text(f"{a.citation}: {a.text}") for a in r.actions if a.citation]
    return w.blocks(
        [
            w.items(guide, checks=True) if guide else "",
            w.heading(3, "Legal duties") if legal else "",
            w.items(legal, checks=True) if legal else "",
        ]
    )


def roadmap(r: Report, w: Writer) -> str:
    guides = {g.capability: g.guide for g in r.gaps}
    items = []
    for s in r.roadmap:
        if s.promoted_by:
            phase = f"{s.phase_title}, moved up to phase {s.phase} by {s.promoted_by}"
        else:
            phase = f"phase {s.phase}, {s.phase_title}"
        # A report read from a file may list a step without its gap (a record re-sealed after
        # an edit): the step is still listed, without its link.
        guide = guides.get(s.capability)
        title = w.link(w.text(s.title), guide) if guide else w.text(s.title)
        items.append(title + ": " + w.text(phase))
    return w.items(items, ordered=True) if items else ""


def readiness(r: Report, w: Writer) -> str:
    return w.chart(r.readiness)


# Up to this many options are named one by one; more are counted ("any Annex III use (25 listed)").
LISTED = 3


def _values(c: Change, w: Writer) -> str:
    if len(c.labels) <= LISTED:
        return _or([w.quoted(w.text(label)) for label in c.labels])
    short = load_ruleset().question(c.question).short
    return w.text(f"any {short or 'of these options'} ({len(c.labels)} listed)")


def _change(c: Change, w: Writer) -> str:
    """One change that would give another verdict; for an answer that claims a legal exception,
    the condition the law sets (a fact to establish, not an answer to pick)."""
    outcome = w.strong(w.text(_verdict_title(c.verdict)))
    if c.condition:
        return f"Only if the law's condition is met, it gives {outcome}: {w.text(c.condition)}"
    values = _values(c, w)
    question = w.question(c.question, w.text(c.text))
    lead = {
        "set": f"Answering {values} to {question}",
        "add": f"Ticking {values} in {question}",
        "remove": f"Unticking {values} in {question}",
    }[c.change]
    return f"{lead} gives: {outcome}"


def change(r: Report, w: Writer) -> str:
    if not r.what_would_change:
        return w.para("No single answer would change this verdict.")
    return w.items([_change(c, w) for c in r.what_would_change])


def _provisions(provisions: tuple[Provision, ...], w: Writer) -> str:
    return w.items(
        [
            w.link(w.text(p.title), p.guide)
            + _cite(w, p.citation, p.verified)
            + ": "
            + w.text(p.reason)
            for p in provisions
        ]
    )


def _duties(duties: tuple[Obligation, ...], w: Writer) -> str:
    """Duties: who each binds, from when (for the AI Act's), and what to do."""
    items = []
    for o in duties:
        who = " and ".join(role.replace("_", " ") for role in o.who)
        when = f", {date_phrase(o.applies_from)}" if o.applies_from else ""
        line = w.link(w.text(o.title), o.guide) + _cite(w, o.citation, o.verified)
        line += w.text((f", for the {who}" if who else "") + when)
        if o.actions:
            line += "\n" + w.items([w.text(a) for a in o.actions])
        items.append(line)
    return w.items(items)


def eu(r: Report, w: Writer) -> str:
    eu = r.eu_ai_act
    out = [w.para("Tier: " + w.strong(w.text(eu.tier_title), ("eu-tier", eu.tier)))]
    if eu.provisions:
        out += [w.heading(3, "Provisions that apply"), _provisions(eu.provisions, w)]
    if eu.obligations:
        out += [w.heading(3, "Obligations"), _duties(eu.obligations, w)]
    if eu.sme:
        out += [w.heading(3, "SME measures"), _provisions(eu.sme, w)]
    if eu.penalties:
        out += [w.heading(3, "Penalties"), _provisions(eu.penalties, w)]
    if eu.dates:
        rows = [
            [
                w.text(marked(d.label, d.verified)),
                w.text(status(d)),
                w.text(d.original if d.amended and d.amended != d.original else "—"),
                w.text(d.amended_source or d.source),
            ]
            for d in eu.dates
        ]
        out.append(w.heading(3, "Dates"))
        out.append(w.table(["Milestone", "Applies", "Original date", "Source"], rows))
    out.append(w.para("Legal basis: " + w.text(eu.legal_basis), "legal"))
    return w.blocks(out)


def gdpr(r: Report, w: Writer) -> str:
    """The GDPR beside the AI Act: why and in which role it applies, and its duties."""
    g = r.gdpr
    if not g.applies:
        return ""
    out = [_provisions(g.provisions, w)]
    if g.duties:
        out += [w.heading(3, "Duties"), _duties(g.duties, w)]
    out.append(w.para("Legal basis: " + w.text(g.legal_basis), "legal"))
    return w.blocks(out)


def signals(r: Report, w: Writer) -> str:
    items = [
        w.link(w.text(s.title), s.guide)
        + ": "
        + w.text(" ".join(t for t in (s.signal, s.reason) if t))
        for s in r.signals
    ]
    return w.items(items) if items else ""


def ignored(r: Report, w: Writer) -> str:
    if not r.ignored:
        return ""
    lead = "These questions do not apply to this initiative, so their answers were not assessed:"
    return w.blocks([w.para(lead), w.items([w.quoted(w.text(i.text)) for i in r.ignored])])


def footer(r: Report, w: Writer) -> str:
    return w.blocks(
        [
            w.para(w.emphasis(w.text(r.disclaimer)), "disclaimer"),
            w.para(
                w.text(
                    f"Engine {r.engine_version}, rule set {r.ruleset_version} "
                    f"(checked against the legal texts on {r.ruleset_reviewed})."
                ),
                "versions",
            ),
        ]
    )


# The report's parts in order: (name, heading or "" for none, the part). The names are the page's
# fragment names (docs/assets/js/assessor.js places each in the element of that name).
PARTS: tuple[tuple[str, str, Part], ...] = (
    ("verdict", "", verdict),
    ("reasons", "Why: the rules that fired", reasons),
    ("actions", "Required actions", actions),
    ("roadmap", "Roadmap: what to build, in order", roadmap),
    ("readiness", "Readiness by area", readiness),
    ("change", "What would change this verdict", change),
    ("eu", "EU AI Act", eu),
    ("gdpr", "GDPR", gdpr),
    ("signals", "Risk signals", signals),
    ("ignored", "Answers not assessed", ignored),
    ("footer", "", footer),
)


def part(r: Report, w: Writer, heading: str, body: Part) -> str:
    """One part with its heading (level 2), or ``""`` when it has nothing to say."""
    text = body(r, w)
    if not text or not heading:
        return text
    return w.blocks([w.heading(2, heading), text])


def document(r: Report, w: Writer) -> str:
    """The whole report: the title, then every part."""
    parts = [part(r, w, heading, body) for _, heading, body in PARTS]
    return w.blocks([title(r, w), *parts[:-1], w.rule(), parts[-1]])
