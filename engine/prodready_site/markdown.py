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


def _date(doc: Doc, key: str | None) -> str:
    if key is None:
        return "—"
    if key == "@tier":
        return "from the high-risk dates below"
    d = next(x for x in doc["dates"] if x["id"] == key)
    if d.get("amended"):
        return f"{d['amended']} (originally {d['original']})"
    return str(d["original"])


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


def trigger_actions(doc: Doc, arg: str | None) -> str:
    rule = next((r for r in doc["rules"] if r["id"] == arg), None)
    if rule is None:
        raise ValueError(f"prodready:trigger-actions names unknown rule {arg!r}")
    caps = {k["id"]: k for k in doc["capabilities"]}
    out = ['!!! example "What the assessor requires when this trigger fires"', ""]
    out += [f"    - {a}" for a in rule.get("actions", [])]
    if rule.get("requires"):
        names = ", ".join(_link(caps[k]["title"], caps[k]["guide"]) for k in rule["requires"])
        out += ["", f"    Capabilities it adds to your roadmap: {names}."]
    out += ["", f"    Rule `{rule['id']}`."]
    return "\n".join(out)


def exceptions_table(doc: Doc, arg: str | None) -> str:
    rows = []
    for r in doc["rules"]:
        if r["kind"] in ("exception", "transition"):
            ends = r.get("ends_when") or r.get("signal", "")
            rows.append([_link(r["title"], r["guide"]), _cell(r["rationale"]), _cell(ends)])
    return _table(["Exception", "Why lighter engineering is acceptable", "What ends it"], rows)


def roadmap(doc: Doc, arg: str | None) -> str:
    out = []
    for ph in doc["phases"]:
        caps = [k for k in doc["capabilities"] if k["phase"] == ph["number"]]
        names = ", ".join(k["title"] for k in caps) or "—"
        out.append(f"{ph['number']}. {_link(ph['title'], ph['guide'])}: {names}.")
    promoted = [k for k in doc["capabilities"] if k.get("promote_tag")]
    if promoted:
        out.append("")
        items = ", ".join(f"{k['title']} to phase {k['promote_phase']}" for k in promoted)
        out.append(
            f"When a rule tagged `{promoted[0]['promote_tag']}` fires (an EU AI Act high-risk system), "
            f"these move up: {items}."
        )
    return "\n".join(out)


def capabilities(doc: Doc, arg: str | None) -> str:
    areas = {a["id"]: a["title"] for a in doc["areas"]}
    required_by: dict[str, list[Doc]] = {}
    for r in doc["rules"]:
        for k in r.get("requires", []):
            required_by.setdefault(k, []).append(r)
    rows = [
        [
            _link(k["title"], k["guide"]),
            areas[k["area"]],
            str(k["phase"]),
            _cell(k.get("summary", "")),
            ", ".join(_link(r["title"], r["guide"]) for r in required_by.get(k["id"], [])) or "—",
        ]
        for k in doc["capabilities"]
    ]
    return _table(["Capability", "Area", "Phase", "What it means", "Required by"], rows)


def figures(doc: Doc, arg: str | None) -> str:
    rows = [[f"**{_cell(f['value'])}**", _cell(f["meaning"])] for f in doc["figures"]]
    return _table(["Figure", "What it measures"], rows)


def verdicts(doc: Doc, arg: str | None) -> str:
    rows = [[f"`{v['id']}`", _cell(v["title"]), _cell(v["summary"])] for v in doc["verdicts"]]
    return _table(["Verdict id", "Title", "Meaning"], rows)


def _eu_rows(doc: Doc, keep: Callable[[Doc], bool]) -> list[list[str]]:
    seen: set[str] = set()
    rows = []
    for r in doc["rules"]:
        if keep(r):
            cite = _anchor(r, seen) + _cell(r.get("citation", ""))
            rows.append(
                [cite, _cell(r["title"]), _cell(r["rationale"]), _date(doc, r.get("applies_from"))]
            )
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
    rows = _eu_rows(doc, lambda r: r["kind"] == "eu_high_risk" and "annex-i" in r.get("tags", []))
    return _table(["Provision", "Use", "Note", "High-risk duties apply from"], rows)


def eu_derogation(doc: Doc, arg: str | None) -> str:
    q = _question(doc, "eu_derogation")
    out = [f"- **{_cell(o.get('citation', ''))}**: {_cell(o['label'])}" for o in q["options"]]
    rows = _eu_rows(doc, _family(("eu_derogation", "eu_note"), "eu.derogation"))
    return "\n".join(out) + "\n\n" + _table(["Provision", "Rule", "Why", "Applies from"], rows)


def eu_transparency(doc: Doc, arg: str | None) -> str:
    seen: set[str] = set()
    rows = [
        [
            _anchor(r, seen) + _cell(r.get("citation", "")),
            _cell(r["title"]),
            _who(r),
            _date(doc, r.get("applies_from")),
        ]
        for r in _rules(doc, "eu_transparency")
    ]
    return _table(["Provision", "Duty", "Who", "Applies from"], rows)


def eu_obligations(doc: Doc, arg: str | None) -> str:
    rows = [
        [
            _cell(r.get("citation", "")),
            _cell(r["title"]),
            _who(r),
            _cell(" ".join(r.get("actions", []))),
        ]
        for r in _rules(doc, "eu_obligation")
    ]
    return _table(["Provision", "Obligation", "Who", "What to do"], rows)


def eu_sme(doc: Doc, arg: str | None) -> str:
    rows = [
        [_cell(r.get("citation", "")), _cell(r["title"]), _cell(r["rationale"])]
        for r in _rules(doc, "eu_sme")
    ]
    return _table(["Provision", "Measure", "What it gives you"], rows)


def eu_dates(doc: Doc, arg: str | None) -> str:
    rows = [
        [
            _cell(d["label"]),
            f"**{d.get('amended') or d['original']}**",
            d["original"] if d.get("amended") else "—",
            _cell(d.get("amended_source") or d["source"]),
        ]
        for d in doc["dates"]
    ]
    return _table(["Milestone", "Applies from", "Original date", "Source"], rows)


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
    "exceptions-table": exceptions_table,
    "roadmap": roadmap,
    "capabilities": capabilities,
    "figures": figures,
    "verdicts": verdicts,
    "eu-prohibited": eu_prohibited,
    "eu-annex-iii": eu_annex_iii,
    "eu-annex-i": eu_annex_i,
    "eu-derogation": eu_derogation,
    "eu-transparency": eu_transparency,
    "eu-obligations": eu_obligations,
    "eu-sme": eu_sme,
    "eu-dates": eu_dates,
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
