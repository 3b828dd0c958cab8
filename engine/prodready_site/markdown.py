"""Python-Markdown extension: the guide's decision tables, generated from the engine's rules.

A line ``<!-- prodready:NAME [ARG] -->`` in a page is replaced by the block NAME rendered from the
rule-set document (the same document ``prodready rules`` prints). Being a Markdown extension and
not an MkDocs hook, it runs under MkDocs and under any successor that reads ``markdown_extensions``.

Generated blocks are Markdown wherever possible, so MkDocs resolves and checks (``--strict``) every
``page.md#anchor`` link they contain. Set ``PRODREADY_RULES_FILE`` to a JSON rules document to
render an altered rule set (the tests do, to prove the page follows the rules).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from prodready.model import marked

_MARKER = re.compile(r"^<!--\s*prodready:([a-z0-9-]+)(?:\s+(\S+))?\s*-->$")

Doc = dict[str, Any]


def rules_document() -> Doc:
    path = os.environ.get("PRODREADY_RULES_FILE")
    if path:
        doc: Doc = json.loads(Path(path).read_text(encoding="utf-8"))
        return doc
    from prodready.loader import load_ruleset
    from prodready.publish import ruleset_document

    return ruleset_document(load_ruleset())


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _link(title: str, guide: str) -> str:
    """A Markdown link to a guide anchor. Guide links are relative to docs/, and blocks that
    contain links are only used on top-level pages, where that is also page-relative; MkDocs
    then resolves and checks each link like a hand-written one."""
    return f"[{_cell(title)}]({guide})"


def _anchor(rule: Doc, seen: set[str]) -> str:
    """An empty element carrying the id that a rule's guide link points at (once per block).

    Table rows cannot carry ids in Markdown, so the citation cell holds the anchor."""
    anchor = rule["guide"].partition("#")[2]
    if not anchor or anchor in seen:
        return ""
    seen.add(anchor)
    return f'<span id="{escape(anchor)}"></span>'


def _one_date(doc: Doc, key: str) -> str:
    if key == "@tier":
        return "from the high-risk dates below"
    d = next(x for x in doc["dates"] if x["id"] == key)
    text = (
        f"{d['amended']} (originally {d['original']})" if d.get("amended") else str(d["original"])
    )
    return marked(text, d.get("verified", True))


def _date(doc: Doc, rule: Doc) -> str:
    """When a rule applies: its date, and any alternative date with what the alternative is for."""
    key = rule.get("applies_from")
    if key is None:
        return "—"
    out = _one_date(doc, key)
    for alt in rule.get("applies_from_when", []):
        label = next(x["label"] for x in doc["dates"] if x["id"] == alt["date"])
        out += f"; {_one_date(doc, alt['date'])} for: {label[0].lower()}{label[1:]}"
    return _cell(out)


def _cite(rule: Doc) -> str:
    """A rule's citation, marked when the rule could not be verified."""
    return _cell(marked(rule.get("citation", ""), rule.get("verified", True)))


def _who(rule: Doc) -> str:
    """The roles a duty binds, as words ("provider and deployer")."""
    return " and ".join(str(role).replace("_", " ") for role in rule.get("who", []))


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _rules(doc: Doc, kind: str) -> list[Doc]:
    return [r for r in doc["rules"] if r["kind"] == kind]


def _question(doc: Doc, qid: str) -> Doc:
    return next(q for q in doc["questions"] if q["id"] == qid)


# --- blocks ----------------------------------------------------------------------------------


def decision_table(doc: Doc, arg: str | None) -> str:
    rows = []
    for r in _rules(doc, "condition"):
        if "question" in r:
            q = _question(doc, r["question"])
            exp = " / ".join(o["label"] for o in q["options"] if o.get("side") == "experimentation")
            prod = " / ".join(o["label"] for o in q["options"] if o.get("side") == "production")
        else:
            exp, prod = r["experimentation"], r["production"]
        name = r.get("label") or r["title"]
        rows.append([_link(name, r["guide"]), _cell(exp), _cell(prod)])
    table = _table(["Condition", "Experimentation acceptable", "Production required"], rows)
    return (
        table
        + "\n\n"
        + _cell(
            "Generated from rule set "
            + doc["ruleset_version"]
            + ": the assessor evaluates exactly these rows."
        ).join(["*", "*"])
    )


def _rule(doc: Doc, rid: str | None, block: str) -> Doc:
    rule: Doc | None = next((r for r in doc["rules"] if r["id"] == rid), None)
    if rule is None:
        raise ValueError(f"prodready:{block} names unknown rule {rid!r}")
    return rule


def _requirements(doc: Doc, rule: Doc, indent: str = "") -> list[str]:
    """What a rule requires, as the report words it: each required capability (linked) with the
    one action the report gives for it, then the rule's own actions."""
    caps = {k["id"]: k for k in doc["capabilities"]}
    out = []
    for cid in rule.get("requires", []):
        k = caps[cid]
        also = ""
        if "instead" in k:
            other = caps[k["instead"]]
            also = f" (on other kinds of system: {_link(other['title'], other['guide'])})"
        out.append(f"{indent}- {_link(k['title'], k['guide'])}{also}: {k['action']}")
    out += [f"{indent}- {a}" for a in rule.get("actions", [])]
    return out or [f"{indent}- Nothing beyond what is described above."]


def trigger_actions(doc: Doc, arg: str | None) -> str:
    rule = _rule(doc, arg, "trigger-actions")
    out = ['!!! example "What the assessor requires when this trigger fires"', ""]
    out += _requirements(doc, rule, "    ")
    out += ["", f"    Rule `{rule['id']}`."]
    return "\n".join(out)


def exception(doc: Doc, arg: str | None) -> str:
    """What an exception still requires and what ends it, or a transitional state's exit
    criteria: the page states these only through this block."""
    rule = _rule(doc, arg, "exception")
    lead = "What it requires" if rule["kind"] == "transition" else "What is still expected"
    out = [f"**{lead}.** The assessor asks for:", ""]
    out += _requirements(doc, rule)
    if rule["kind"] == "transition":
        out += ["", "**What ends it.** Its exit criteria, all of them:", ""]
        out += [f"{n}. {c}" for n, c in enumerate(rule["exit_criteria"], start=1)]
    else:
        out += ["", f"**What ends it.** {rule['ends_when']}"]
    return "\n".join(out)


def exceptions_table(doc: Doc, arg: str | None) -> str:
    caps = {k["id"]: k["title"] for k in doc["capabilities"]}
    rows = [
        [
            _link(r["title"], r["guide"]),
            _cell(r["rationale"]),
            _cell(", ".join(caps[k] for k in r.get("requires", [])) or "Its label only"),
            _cell(r["ends_when"]),
        ]
        for r in _rules(doc, "exception")
    ]
    return _table(
        ["Exception", "Why lighter engineering is acceptable", "Still required", "What ends it"],
        rows,
    )


def roadmap(doc: Doc, arg: str | None) -> str:
    out = []
    for ph in doc["phases"]:
        caps = [k for k in doc["capabilities"] if k["phase"] == ph["number"]]
        names = ", ".join(k["title"] for k in caps) or "—"
        out.append(f"{ph['number']}. {_link(ph['title'], ph['guide'])}: {names}.")
    moves: dict[str, list[str]] = {}
    for k in doc["capabilities"]:
        for p in k.get("promote", []):
            moves.setdefault(p["reason"], []).append(f"{k['title']} to phase {p['phase']}")
    if moves:
        out.append("")
        out += [f"- Moved up by {reason}: {', '.join(items)}." for reason, items in moves.items()]
    return "\n".join(out)


def _short(label: str) -> str:
    """An option's label up to its first colon, lower-cased: "a trained predictive model"."""
    head = label.partition(":")[0]
    return head[:1].lower() + head[1:]


def _words(doc: Doc, cond: Doc) -> str:
    """An ``applies_when`` condition in words, from the options' labels."""
    if "any" in cond:
        return " or ".join(_words(doc, c) for c in cond["any"])
    if "all" in cond:
        return " and ".join(_words(doc, c) for c in cond["all"])
    q = _question(doc, cond["q"])
    labels = {o["id"]: _short(o["label"]) for o in q["options"]}
    values = next(v for k, v in cond.items() if k != "q")
    values = values if isinstance(values, list) else [values]
    return " or ".join(labels[v] for v in values)


def _kinds(doc: Doc, k: Doc) -> str:
    return _words(doc, k["applies_when"]) if "applies_when" in k else "every system"


def capabilities(doc: Doc, arg: str | None) -> str:
    """Every capability, or with ``llm`` those that exist only for language-model systems, with
    the references that support them."""
    areas = {a["id"]: a["title"] for a in doc["areas"]}
    caps = {k["id"]: k for k in doc["capabilities"]}
    required_by: dict[str, list[Doc]] = {}
    for r in doc["rules"]:
        for k in r.get("requires", []):
            # A rule requiring a capability also requires its stand-in, on other systems.
            for cid in (k, caps[k].get("instead")):
                if cid is not None and r not in required_by.setdefault(cid, []):
                    required_by[cid].append(r)
    stands_for: dict[str, list[str]] = {}
    for k in doc["capabilities"]:
        if "instead" in k:
            stands_for.setdefault(k["instead"], []).append(k["title"])
    if arg == "llm":
        rows = [
            [
                _link(k["title"], k["guide"]),
                str(k["phase"]),
                _cell(k.get("summary", "")),
                _cell(", ".join(stands_for.get(k["id"], [])) or "—"),
                _cell("; ".join(k.get("references", []))),
            ]
            for k in doc["capabilities"]
            if k.get("references")
        ]
        return _table(
            ["Capability", "Phase", "What it means", "Takes the place of", "References"], rows
        )
    rows = [
        [
            _link(k["title"], k["guide"]),
            areas[k["area"]],
            str(k["phase"]),
            _cell(k.get("summary", "")),
            _cell(_kinds(doc, k))
            + (f" (otherwise: {_cell(caps[k['instead']]['title'])})" if "instead" in k else ""),
            ", ".join(_link(r["title"], r["guide"]) for r in required_by.get(k["id"], [])) or "—",
        ]
        for k in doc["capabilities"]
    ]
    return _table(["Capability", "Area", "Phase", "What it means", "For", "Required by"], rows)


def capability(doc: Doc, arg: str | None) -> str:
    """What the assessor asks for one capability (its action), and what supports it: a page
    describing a capability states its requirement only through this block."""
    k = next((k for k in doc["capabilities"] if k["id"] == arg), None)
    if k is None:
        raise ValueError(f"prodready:capability names unknown capability {arg!r}")
    phase = next(p for p in doc["phases"] if p["number"] == k["phase"])
    out = [
        f"**What the assessor asks for.** {k['action']}",
        "",
        f"*{_cell(k['title'])}: phase {k['phase']}, {_link(phase['title'], phase['guide'])};"
        f" for {_cell(_kinds(doc, k))}.*",
    ]
    if k.get("references"):
        out[-1] += f" *Supported by: {_cell('; '.join(k['references']))}.*"
    return "\n".join(out)


def figures(doc: Doc, arg: str | None) -> str:
    from prodready.vocab import FigureBasis

    rows = [
        [
            f"**{_cell(f['value'])}**",
            _cell(f["meaning"]),
            FigureBasis(f["basis"]).label,
            _cell(f["source"]),
        ]
        for f in doc["figures"]
    ]
    return _table(["Figure", "What it measures", "Basis", "Source"], rows)


def verdicts(doc: Doc, arg: str | None) -> str:
    rows = [[f"`{v['id']}`", _cell(v["title"]), _cell(v["summary"])] for v in doc["verdicts"]]
    return _table(["Verdict id", "Title", "Meaning"], rows)


def _eu_rows(doc: Doc, keep: Callable[[Doc], bool]) -> list[list[str]]:
    seen: set[str] = set()
    rows = []
    for r in doc["rules"]:
        if keep(r):
            cite = _anchor(r, seen) + _cite(r)
            rows.append([cite, _cell(r["title"]), _cell(r["rationale"]), _date(doc, r)])
    return rows


def _family(kinds: tuple[str, ...], prefix: str) -> Callable[[Doc], bool]:
    """Rules of these kinds whose id starts with ``prefix`` (a family ends with a dot)."""
    return lambda r: r["kind"] in kinds and str(r["id"]).startswith(prefix)


def eu_prohibited(doc: Doc, arg: str | None) -> str:
    rows = _eu_rows(doc, _family(("eu_prohibited", "eu_note"), "eu.art5."))
    return _table(["Provision", "Practice", "Why", "Applies from"], rows)


def eu_annex_iii(doc: Doc, arg: str | None) -> str:
    rows = _eu_rows(doc, _family(("eu_high_risk", "eu_note"), "eu.annex-iii."))
    return _table(["Provision", "Use", "Note", "High-risk duties apply from"], rows)


def eu_annex_i(doc: Doc, arg: str | None) -> str:
    rows = _eu_rows(
        doc,
        lambda r: (
            r["kind"] == "eu_high_risk"
            and str(r["id"]).startswith("eu.annex-i")
            and not str(r["id"]).startswith("eu.annex-iii")
        ),
    )
    return _table(["Provision", "Use", "Note", "High-risk duties apply from"], rows)


def eu_family(doc: Doc, arg: str | None) -> str:
    """Every EU rule whose id starts with the prefix given (``<!-- prodready:eu-family eu.gpai. -->``),
    duties with the roles they bind."""
    if not arg:
        raise ValueError("prodready:eu-family needs a rule-id prefix, e.g. eu.scope.")
    rows = _eu_rows(doc, lambda r: str(r["id"]).startswith(arg))
    if not rows:
        raise ValueError(f"prodready:eu-family {arg}: no rule has this prefix")
    return _table(["Provision", "Rule", "What it means", "Applies from"], rows)


def eu_derogation(doc: Doc, arg: str | None) -> str:
    q = _question(doc, "eu_derogation")
    out = [f"- **{_cell(o.get('citation', ''))}**: {_cell(o['label'])}" for o in q["options"]]
    rows = _eu_rows(doc, _family(("eu_derogation", "eu_note"), "eu.derogation"))
    return "\n".join(out) + "\n\n" + _table(["Provision", "Rule", "Why", "Applies from"], rows)


def eu_transparency(doc: Doc, arg: str | None) -> str:
    seen: set[str] = set()
    rows = [
        [_anchor(r, seen) + _cite(r), _cell(r["title"]), _who(r), _date(doc, r)]
        for r in _rules(doc, "eu_transparency")
    ]
    return _table(["Provision", "Duty", "Who", "Applies from"], rows)


def eu_obligations(doc: Doc, arg: str | None) -> str:
    rows = [
        [
            _cite(r),
            _cell(r["title"]),
            _who(r),
            _cell(", ".join(str(s) for s in r.get("systems", []))),
            _cell(" ".join(r.get("actions", []))),
            _date(doc, r),
        ]
        for r in _rules(doc, "eu_obligation")
    ]
    return _table(
        ["Provision", "Obligation", "Who", "For systems", "What to do", "Applies from"], rows
    )


def eu_sme(doc: Doc, arg: str | None) -> str:
    rows = [[_cite(r), _cell(r["title"]), _cell(r["rationale"])] for r in _rules(doc, "eu_sme")]
    return _table(["Provision", "Measure", "What it gives you"], rows)


def eu_penalties(doc: Doc, arg: str | None) -> str:
    rows = [
        [_cite(r), _cell(r["title"]), _cell(r["rationale"]), _date(doc, r)]
        for r in _rules(doc, "eu_penalty")
    ]
    return _table(["Provision", "Maximum fine", "When", "Applies from"], rows)


def eu_dates(doc: Doc, arg: str | None) -> str:
    rows = [
        [
            _cell(marked(d["label"], d.get("verified", True))),
            f"**{d.get('amended') or d['original']}**",
            d["original"] if d.get("amended") else "—",
            _cell(d.get("amended_source") or d["source"]),
        ]
        for d in doc["dates"]
    ]
    return _table(["Milestone", "Applies from", "Original date", "Source"], rows)


_PROVISION = re.compile(r"[;,]\s*(?=(?:Art\.|Annex|Recital)\s)")
_NUMBERS = re.compile(r"(\d+)")


def _provisions(citation: str) -> list[str]:
    """``"Art. 6(1); Annex I, Section A"`` -> ``["Art. 6(1)", "Annex I, Section A"]``."""
    return [p.strip() for p in _PROVISION.split(citation) if p.strip()]


def _order(provision: str) -> tuple[bool, list[object]]:
    """Articles first, then annexes; numbers in numeric order (Art. 9 before Art. 10)."""
    parts = [int(p) if p.isdigit() else p for p in _NUMBERS.split(provision)]
    return (not provision.startswith("Art."), parts)


def legal_sources(doc: Doc, arg: str | None) -> str:
    """Every provision the rules cite, with the text (and its version) it was checked against,
    the rules that cite it, and the day the rule set was last reviewed."""
    sources = {s["id"]: s for s in doc.get("sources", [])}
    cited: dict[tuple[str, str], list[Doc]] = {}
    for r in doc["rules"]:
        for provision in _provisions(r.get("citation", "")):
            cited.setdefault((provision, r.get("source", "")), []).append(r)
    rows = []
    for (provision, sid), rules in sorted(cited.items(), key=lambda kv: _order(kv[0][0])):
        source = sources.get(sid)
        if source is None:
            text = "version not recorded"
        else:
            text = marked(str(source["name"]), source.get("verified", True))
        users = ", ".join(marked(str(r["title"]), r.get("verified", True)) for r in rules)
        rows.append([_cell(provision), _cell(text), _cell(users)])
    table = _table(["Provision", "Text checked", "Cited by"], rows)
    texts = [
        f"- **{s['name']}**: {marked(s['title'], s.get('verified', True))}, {s['version']}"
        + (f" (<{s['url']}>)" if s.get("url") else "")
        for s in doc.get("sources", [])
    ]
    return (
        f"Rule set {doc['ruleset_version']}, last reviewed against these texts on "
        f"**{doc['ruleset_reviewed']}**.\n\n" + "\n".join(texts) + "\n\n" + table
    )


def gdpr_rules(doc: Doc, arg: str | None) -> str:
    """The GDPR rules: with ``duties`` the duties (who, what to do), else scope and notes."""
    if arg == "duties":
        rows = [
            [_cell(r["citation"]), _cell(r["title"]), _who(r), _cell(" ".join(r["actions"]))]
            for r in _rules(doc, "gdpr_duty")
        ]
        return _table(["Provision", "Duty", "Who", "What to do"], rows)
    rows = [
        [_cell(r["citation"]), _cell(r["title"]), _cell(r["rationale"])]
        for r in doc["rules"]
        if r["kind"] in ("gdpr_scope", "gdpr_note")
    ]
    return _table(["Provision", "Rule", "Why"], rows)


# --- the worked example: one example's answers and its report, made at build time -------------

# Reports link to the published guide; on the guide's own pages the links must be page.md#anchor
# so MkDocs checks them. The report is rendered against this base and the links mapped back.
_BASE = "https://guide.invalid/"
_GUIDE_URL = re.compile(re.escape(_BASE) + r"([a-z0-9/_-]*?)/?(#[a-z0-9-]+)?\)")


def _example(name: str | None) -> Doc:
    from prodready.cli import example_text

    if name is None:
        raise ValueError("prodready:example-* needs the name of an example")
    answers: Doc = json.loads(example_text(name))
    return answers


def example_answers(doc: Doc, arg: str | None) -> str:
    """The example's answers, question by question, in the order the assessor asks them."""
    answers = _example(arg)
    rows = []
    for q in doc["questions"]:
        if q["id"] not in answers:
            continue
        value = answers[q["id"]]
        labels: dict[str, str] = {o["id"]: o["label"] for o in q.get("options", [])}
        if isinstance(value, list):
            shown = "; ".join(labels.get(v, str(v)) for v in value) or "none"
        elif isinstance(value, bool):
            shown = "Yes" if value else "No"
        else:
            shown = labels.get(value, str(value))
        rows.append([_cell(q["text"]), _cell(shown)])
    return _table(["Question", "Answer"], rows)


def _page_link(m: re.Match[str]) -> str:
    path, anchor = m.group(1), m.group(2) or ""
    return f"{path or 'index'}.md{anchor})"


def example_report(doc: Doc, arg: str | None) -> str:
    """The report the engine gives for the example, as the CLI's Markdown, its headings moved two
    levels down and its links turned into links between the guide's pages."""
    from prodready import assess
    from prodready.render import to_markdown

    text = _GUIDE_URL.sub(_page_link, to_markdown(assess(_example(arg)), _BASE))
    lines = [f"##{line}" if line.startswith("#") else line for line in text.splitlines()]
    return "\n".join(lines)


def decision_flow(doc: Doc, arg: str | None) -> str:
    from prodready_site.flow import decision_flow_svg

    return decision_flow_svg(doc)


def assessor(doc: Doc, arg: str | None) -> str:
    """The assessor's page, starting from the engine's own answer for an empty form."""
    from prodready_site.assessor_form import engine_start, render_form

    return render_form(doc, engine_start())


BLOCKS: dict[str, Callable[[Doc, str | None], str]] = {
    "decision-table": decision_table,
    "decision-flow": decision_flow,
    "trigger-actions": trigger_actions,
    "exception": exception,
    "exceptions-table": exceptions_table,
    "roadmap": roadmap,
    "capabilities": capabilities,
    "capability": capability,
    "figures": figures,
    "verdicts": verdicts,
    "eu-prohibited": eu_prohibited,
    "eu-annex-iii": eu_annex_iii,
    "eu-annex-i": eu_annex_i,
    "eu-derogation": eu_derogation,
    "eu-transparency": eu_transparency,
    "eu-obligations": eu_obligations,
    "eu-sme": eu_sme,
    "eu-penalties": eu_penalties,
    "eu-dates": eu_dates,
    "eu-family": eu_family,
    "legal-sources": legal_sources,
    "gdpr-rules": gdpr_rules,
    "example-answers": example_answers,
    "example-report": example_report,
    "assessor": assessor,
}


class _Generate(Preprocessor):  # type: ignore[misc]  # Markdown ships no type hints
    def __init__(self, md: Markdown, ext: ProdReadyExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        faq = False
        for line in lines:
            m = _MARKER.match(line.strip())
            if m is None:
                faq = faq or line.startswith('??? question "')
                out.append(line)
                continue
            name, arg = m.group(1), m.group(2)
            if name not in BLOCKS:
                raise ValueError(f"unknown prodready block {name!r}; known: {', '.join(BLOCKS)}")
            block = BLOCKS[name](self.ext.document(), arg)
            out += ["", *block.splitlines(), ""]
        if faq:
            from prodready_site.faq import faq_jsonld

            out += ["", faq_jsonld("\n".join(lines)), ""]
        return out


class ProdReadyExtension(Extension):  # type: ignore[misc]
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._doc: Doc | None = None

    def document(self) -> Doc:
        if self._doc is None:
            self._doc = rules_document()
        return self._doc

    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(_Generate(md, self), "prodready", 27)


def makeExtension(**kwargs: Any) -> ProdReadyExtension:
    return ProdReadyExtension(**kwargs)
