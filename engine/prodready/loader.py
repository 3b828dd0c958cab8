"""Load the rule set from the package's TOML files and check it once, loudly.

A mistake in the rules (an unknown question, an option no answer can take, a cycle between rules)
must stop the build and the test run, never surface as a wrong verdict for a reader. So every
cross-reference is checked here, and the evaluation order is fixed here too.

The TOML files are the only source. A wheel may also carry ``data/compiled.json``: the same data
already parsed (written by :func:`compiled_data` when the browser runtime is built), because
importing :mod:`tomllib` and parsing the files costs about 0.1 s of the assessor's start-up in
Pyodide, against a few milliseconds for JSON. It is used only while it matches the TOML files it
was made from; otherwise, or when it is absent (a source checkout), the TOML files are parsed.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import re
import zlib
from collections.abc import Iterable, Mapping
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

from prodready import conditions as c
from prodready.model import (
    Area,
    Capability,
    DateChoice,
    Figure,
    LegalDate,
    Option,
    OptionGroup,
    Phase,
    Promotion,
    Question,
    Rule,
    RuleSet,
    Section,
    Source,
    Verdict,
)
from prodready.vocab import KINDS, FigureBasis, Role, RuleKind, SystemKind, Tier, check_tables

DATA_FILES = (
    "ruleset.toml",
    "questions.toml",
    "capabilities.toml",
    "rules.toml",
    "llm.toml",
    "eu_ai_act.toml",
    "gdpr.toml",
)
_GUIDE = re.compile(r"^[a-z0-9/_-]+\.md(#[a-z0-9-]+)?$")
_ID = re.compile(r"^[a-z0-9_][a-z0-9_.-]*$")


class RuleSetError(ValueError):
    """The rule files are inconsistent. Raised at load time, never while assessing."""


COMPILED_FILE = "compiled.json"
_COMPILED_FORMAT = "prodready.compiled-rules/1"


def _sources() -> dict[str, str]:
    base = resources.files("prodready") / "data"
    return {name: (base / name).read_text(encoding="utf-8") for name in DATA_FILES}


def _fingerprint(texts: Mapping[str, str]) -> dict[str, list[int]]:
    # Detects a compiled file that no longer matches its sources (it is not a security check:
    # the wheel itself is verified by its sha256 before it is installed).
    return {name: [len(text), zlib.crc32(text.encode("utf-8"))] for name, text in texts.items()}


def _parse(texts: Mapping[str, str]) -> dict[str, Any]:
    import tomllib  # only when there is no usable compiled.json (see the module docstring)

    merged: dict[str, Any] = {}
    for name, text in texts.items():
        doc = tomllib.loads(text)
        for key, value in doc.items():
            if isinstance(value, list) and isinstance(merged.get(key), list):
                merged[key].extend(value)
            elif key in merged:
                raise RuleSetError(f"{name}: key {key!r} is defined twice")
            else:
                merged[key] = value
    return merged


def _read_data() -> dict[str, Any]:
    compiled = resources.files("prodready") / "data" / COMPILED_FILE
    return select_data(
        _sources(), compiled.read_text(encoding="utf-8") if compiled.is_file() else None
    )


def select_data(texts: Mapping[str, str], compiled: str | None) -> dict[str, Any]:
    """The raw rule data: from ``compiled`` (a compiled.json text) if it matches ``texts`` (the
    TOML files by name), else parsed from ``texts``."""
    if compiled is not None:
        try:
            doc = json.loads(compiled)
        except ValueError:
            doc = None
        if (
            isinstance(doc, dict)
            and doc.get("format") == _COMPILED_FORMAT
            and doc.get("sources") == _fingerprint(texts)
            and isinstance(doc.get("data"), dict)
        ):
            data: dict[str, Any] = doc["data"]
            return data
    return _parse(texts)


def compiled_data() -> str:
    """The contents of ``data/compiled.json`` for the current TOML files (deterministic)."""
    texts = _sources()
    doc = {"format": _COMPILED_FORMAT, "sources": _fingerprint(texts), "data": _parse(texts)}
    return json.dumps(doc, ensure_ascii=False, sort_keys=False, separators=(",", ":")) + "\n"


@cache
def load_ruleset() -> RuleSet:
    """The packaged rule set, parsed and checked (cached: the files never change at run time)."""
    return build_ruleset(_read_data())


def build_ruleset(data: Mapping[str, Any]) -> RuleSet:
    """Build and check a rule set from its raw (TOML or JSON) form; tests feed altered copies."""
    try:
        return _build(data)
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, RuleSetError):
            raise
        raise RuleSetError(f"malformed rule data: {exc!r}") from exc


def _unique(kind: str, ids: Iterable[str]) -> None:
    seen: set[str] = set()
    for i in ids:
        if not _ID.match(i):
            raise RuleSetError(f"{kind} id {i!r} is not a valid id")
        if i in seen:
            raise RuleSetError(f"duplicate {kind} id {i!r}")
        seen.add(i)


def _build(data: Mapping[str, Any]) -> RuleSet:
    check_tables()
    areas = tuple(Area(**raw) for raw in data["areas"])
    phases = tuple(Phase(**raw) for raw in data["phases"])
    sections = tuple(Section(**raw) for raw in data["sections"])
    dates = tuple(LegalDate(**raw) for raw in data["dates"])
    _unique("date", (d.id for d in dates))
    sources = tuple(Source(**raw) for raw in data.get("sources", ()))
    _unique("source", (s.id for s in sources))
    days = {d.id: d.amended or d.original for d in dates}
    capabilities = tuple(_capability(raw, days) for raw in data["capabilities"])
    questions = tuple(_question(raw, capabilities, days) for raw in data["questions"])
    rules = tuple(_rule(raw, days) for raw in data["rules"])
    verdicts = tuple(
        Verdict(
            id=raw["id"],
            title=raw["title"],
            summary=raw["summary"],
            severity=int(raw["severity"]),
            when=c.parse(raw["when"], f"verdict {raw['id']}"),
            test=raw.get("test", ""),
            plan=_members(RuleKind, raw.get("plan", []), f"verdict {raw['id']}: plan", "rule kind"),
            reports_end=bool(raw.get("reports_end", False)),
        )
        for raw in data["verdicts"]
    )
    figures = tuple(_figure(raw) for raw in data["figures"])

    _unique("section", (s.id for s in sections))
    _unique("question", (q.id for q in questions))
    _unique("rule", (r.id for r in rules))
    _unique("capability", (k.id for k in capabilities))
    _unique("area", (a.id for a in areas))
    _unique("verdict", (v.id for v in verdicts))
    for q in questions:
        _unique(f"option of {q.id}", (o.id for o in q.options))

    by_q = {q.id: q for q in questions}
    section_ids = {s.id for s in sections}
    _check_section_order(questions, sections)
    for n, q in enumerate(questions):
        if q.section not in section_ids:
            raise RuleSetError(f"question {q.id}: unknown section {q.section!r}")
        _check_ask_when(q, {p.id: p for p in questions[:n]})
        if q.type in ("choice", "multi") and len(q.options) < (2 if q.type == "choice" else 1):
            raise RuleSetError(f"question {q.id}: a {q.type} question needs options")
        if q.guide is not None and not _GUIDE.match(q.guide):
            raise RuleSetError(f"question {q.id}: guide link {q.guide!r} is not page.md#anchor")
        _check_groups(q)

    by_source = {s.id: s for s in sources}
    produced_tags = {t for r in rules for t in r.tags}
    _check_capabilities(capabilities, areas, phases, by_q, produced_tags)
    rule_ids = {r.id for r in rules}
    cap_ids = {k.id for k in capabilities}
    date_ids = {d.id for d in dates}

    def check_condition(cond: c.Condition, where: str) -> None:
        for node in c.walk(cond):
            _check_answer_node(node, by_q, where)
            if isinstance(node, c.TagFired) and node.tag not in produced_tags:
                raise RuleSetError(f"{where}: no rule produces tag {node.tag!r}")
            if isinstance(node, c.RuleFired) and node.rule not in rule_ids:
                raise RuleSetError(f"{where}: unknown rule {node.rule!r}")

    for r in rules:
        where = f"rule {r.id}"
        check_condition(r.guard, where)
        if not _GUIDE.match(r.guide):
            raise RuleSetError(f"{where}: guide link {r.guide!r} is not page.md#anchor")
        for cap in r.requires:
            if cap not in cap_ids:
                raise RuleSetError(f"{where}: requires unknown capability {cap!r}")
        if (
            r.applies_from is not None
            and r.applies_from != "@tier"
            and r.applies_from not in date_ids
        ):
            raise RuleSetError(f"{where}: applies_from names unknown date {r.applies_from!r}")
        for alt in r.applies_from_when:
            check_condition(alt.when, f"{where}: applies_from_when")
            if alt.date not in date_ids:
                raise RuleSetError(f"{where}: applies_from_when names unknown date {alt.date!r}")
        _check_source(r, by_source)
        if r.question is not None and r.question not in by_q:
            raise RuleSetError(f"{where}: unknown question {r.question!r}")
        if r.until is not None and (r.until not in by_q or by_q[r.until].type != "date"):
            raise RuleSetError(f"{where}: until must name a date question")
        if (
            r.kind == "condition"
            and r.question is None
            and not (r.experimentation and r.production)
        ):
            raise RuleSetError(f"{where}: a condition without a question must name both sides")
        if r.kind == "exception" and not r.ends_when:
            raise RuleSetError(f"{where}: an exception must say what ends it (ends_when)")
        if (r.kind == "transition") != bool(r.exit_criteria):
            raise RuleSetError(
                f"{where}: a transitional state, and only one, lists its exit criteria"
            )
    for i, v in enumerate(verdicts):
        check_condition(v.when, f"verdict {v.id}")
        if isinstance(v.when, c.Always) and i != len(verdicts) - 1:
            raise RuleSetError(
                f"verdict {v.id} always holds: the verdicts after it are unreachable"
            )
    if not verdicts or not isinstance(verdicts[-1].when, c.Always):
        raise RuleSetError("the last verdict must be the fallback ({ always = true })")

    order = _order(rules)
    verdict_rules = closure(rules, [v.when for v in verdicts])
    verdict_questions = sorted(
        {qid for i in verdict_rules for qid in c.questions_read(rules[i].guard)}
    )
    return RuleSet(
        version=str(data["version"]),
        reviewed=_iso_day(data["reviewed"], "ruleset: reviewed"),
        legal_basis=str(data["legal_basis"]),
        disclaimer=str(data["disclaimer"]),
        gdpr_basis=str(data["gdpr_legal_basis"]),
        sections=sections,
        questions=questions,
        rules=rules,
        capabilities=capabilities,
        areas=areas,
        phases=phases,
        verdicts=verdicts,
        dates=dates,
        figures=figures,
        sources=sources,
        order=order,
        verdict_rules=tuple(i for i in order if i in verdict_rules),
        verdict_questions=tuple(verdict_questions),
    )


def _question(
    raw: Mapping[str, Any], capabilities: tuple[Capability, ...], days: Mapping[str, str]
) -> Question:
    raw = dict(raw)
    if raw["id"] == "capabilities":
        raw["options"] = [{"id": k.id, "label": k.title} for k in capabilities]
    options = tuple(Option(**o) for o in raw.pop("options", ()))
    groups = tuple(
        OptionGroup(g["title"], tuple(g["options"]), g.get("citation"))
        for g in raw.pop("groups", ())
    )
    default = raw.pop("default", None)
    if isinstance(default, list):
        default = tuple(default)
    if "ask_when" in raw:
        where = f"question {raw['id']}: ask_when"
        raw["ask_when"] = _resolve_dates(c.parse(raw["ask_when"], where), days, where)
    return Question(options=options, default=default, groups=groups, **raw)


def _check_groups(q: Question) -> None:
    """Groups, when a question has them, hold each of its options exactly once."""
    if not q.groups:
        return
    grouped = [o for g in q.groups for o in g.options]
    if sorted(grouped) != sorted(o.id for o in q.options):
        raise RuleSetError(f"question {q.id}: its groups must hold each option exactly once")


def _capability(raw: Mapping[str, Any], days: Mapping[str, str]) -> Capability:
    raw = dict(raw)
    where = f"capability {raw.get('id')}: applies_when"
    if "applies_when" in raw:
        raw["applies_when"] = _resolve_dates(c.parse(raw["applies_when"], where), days, where)
    if "references" in raw:
        raw["references"] = tuple(raw["references"])
    raw["promote"] = tuple(Promotion(**p) for p in raw.get("promote", ()))
    return Capability(**raw)


def _figure(raw: Mapping[str, Any]) -> Figure:
    raw = dict(raw)
    try:
        basis = FigureBasis(raw.pop("basis"))
    except ValueError:
        known = ", ".join(b.value for b in FigureBasis)
        raise RuleSetError(f"figure {raw.get('id')}: unknown basis; known: {known}") from None
    if not str(raw.get("source", "")).strip():
        raise RuleSetError(f"figure {raw.get('id')}: a figure names its source")
    return Figure(basis=basis, **raw)


def _check_capabilities(
    capabilities: tuple[Capability, ...],
    areas: tuple[Area, ...],
    phases: tuple[Phase, ...],
    by_q: Mapping[str, Question],
    produced_tags: set[str],
) -> None:
    area_ids, phase_ids = {a.id for a in areas}, {p.number for p in phases}
    by_id = {k.id: k for k in capabilities}
    for k in capabilities:
        where = f"capability {k.id}"
        if k.area not in area_ids:
            raise RuleSetError(f"{where}: unknown area {k.area!r}")
        if k.phase not in phase_ids or any(p.phase not in phase_ids for p in k.promote):
            raise RuleSetError(f"{where}: unknown phase")
        for p in k.promote:
            if p.tag not in produced_tags:
                raise RuleSetError(f"{where}: no rule produces tag {p.tag!r}")
            if p.phase >= k.phase:
                raise RuleSetError(f"{where}: a promotion moves it to an earlier phase")
        if not k.action.strip():
            raise RuleSetError(f"{where}: a capability names the action that builds it")
        _check_answers_only(k.applies_when, by_q, f"{where}: applies_when")
        if k.instead is not None:
            stand_in = by_id.get(k.instead)
            if stand_in is None or stand_in.id == k.id:
                raise RuleSetError(f"{where}: instead names no other capability {k.instead!r}")
            if stand_in.instead is not None:
                raise RuleSetError(f"{where}: its stand-in {k.instead!r} has a stand-in itself")


def _member[E: StrEnum](enum: type[E], raw: Any, where: str, what: str) -> E:
    """``raw`` as a member of a closed vocabulary, or a load error naming the known ones."""
    try:
        return enum(raw)
    except ValueError:
        known = ", ".join(e.value for e in enum)
        raise RuleSetError(f"{where}: unknown {what} {raw!r}; known: {known}") from None


def _members[E: StrEnum](enum: type[E], raw: Any, where: str, what: str) -> tuple[E, ...]:
    if not isinstance(raw, list):
        raise RuleSetError(f"{where}: expected a list of {what}s")
    return tuple(_member(enum, v, where, what) for v in raw)


def _rule(raw: Mapping[str, Any], days: Mapping[str, str]) -> Rule:
    raw = dict(raw)
    where = f"rule {raw.get('id')}"
    when = _resolve_dates(c.parse(raw.pop("when"), where), days, where)
    kind = _member(RuleKind, raw.pop("kind", None), where, "rule kind")
    who = _members(Role, raw.pop("who", []), f"{where}: who", "role")
    systems = _members(SystemKind, raw.pop("systems", []), f"{where}: systems", "kind of system")
    if KINDS[kind].duty and not (who and systems):
        raise RuleSetError(
            f"{where}: a duty ({kind}) must name who it binds (who) and for which kinds of "
            "system (systems)"
        )
    if not KINDS[kind].duty and (who or systems):
        raise RuleSetError(f"{where}: only duties name who and systems; {kind} is not a duty")
    for key in ("tags", "requires", "actions", "exit_criteria"):
        if key in raw:
            raw[key] = tuple(raw[key])
    if "tier" in raw:
        raw["tier"] = _member(Tier, raw["tier"], where, "AI Act tier")
    raw["applies_from_when"] = tuple(
        DateChoice(
            _resolve_dates(c.parse(alt["when"], f"{where}: applies_from_when"), days, where),
            str(alt["date"]),
        )
        for alt in raw.pop("applies_from_when", ())
    )
    guard = when
    if who:
        guard = c.AllOf(
            (
                when,
                c.AnyOf(tuple(c.TagFired(r.tag) for r in who)),
                c.AnyOf(tuple(c.TagFired(s.tag) for s in systems)),
            )
        )
    return Rule(when=when, kind=kind, who=who, systems=systems, guard=guard, **raw)


def _check_source(r: Rule, sources: Mapping[str, Source]) -> None:
    """A cited rule names a known legal text; a rule resting on an unverified text is itself
    marked unverified, so the mark is never lost between the source and what the reader sees."""
    if r.source is None:
        return
    found = sources.get(r.source)
    if found is None:
        raise RuleSetError(f"rule {r.id}: unknown source {r.source!r}")
    if r.citation is None:
        raise RuleSetError(f"rule {r.id}: names a source but cites no provision")
    if not found.verified and r.verified:
        raise RuleSetError(
            f"rule {r.id}: its source {r.source!r} is unverified; mark the rule verified = false"
        )


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_day(value: Any, where: str) -> str:
    import datetime as dt

    text = value.isoformat() if isinstance(value, dt.date) else value
    if not isinstance(text, str) or not _ISO_DAY.match(text):
        raise RuleSetError(f"{where}: {value!r} is not a date (YYYY-MM-DD)")
    return text


def _resolve_dates(cond: c.Condition, days: Mapping[str, str], where: str) -> c.Condition:
    """Fills in the day of every ``@date-id`` reference (an unknown id is a load error)."""
    match cond:
        case c.DateCmp() if cond.reference is not None:
            if cond.reference not in days:
                raise RuleSetError(f"{where}: unknown legal date {cond.other!r}")
            return dataclasses.replace(cond, day=days[cond.reference])
        case c.AllOf(items):
            return c.AllOf(tuple(_resolve_dates(i, days, where) for i in items))
        case c.AnyOf(items):
            return c.AnyOf(tuple(_resolve_dates(i, days, where) for i in items))
        case c.Not(item):
            return c.Not(_resolve_dates(item, days, where))
        case _:
            return cond


def _check_section_order(questions: tuple[Question, ...], sections: tuple[Section, ...]) -> None:
    """Questions come section by section, in the sections' order: the order the reader sees
    them is the order ``ask_when`` reads them in."""
    rank = {s.id: n for n, s in enumerate(sections)}
    for prev, q in itertools.pairwise(questions):
        if rank.get(q.section, -1) < rank.get(prev.section, -1):
            raise RuleSetError(
                f"question {q.id}: section {q.section!r} comes before the previous question's; "
                "list the questions section by section, in the order of [[sections]]"
            )


def _check_ask_when(q: Question, earlier: Mapping[str, Question]) -> None:
    """A question's applicability reads only answers to questions asked before it (so it is
    decided in one pass, in question order), never rules; a required question always applies."""
    where = f"question {q.id}: ask_when"
    if isinstance(q.ask_when, c.Always):
        return
    if q.required:
        raise RuleSetError(f"{where}: a required question always applies")
    _check_answers_only(q.ask_when, earlier, where)


def _check_answers_only(cond: c.Condition, by_q: Mapping[str, Question], where: str) -> None:
    """A condition over answers alone (the questions in ``by_q``), never over rules or tags."""
    for node in c.walk(cond):
        if isinstance(node, (c.TagFired, c.RuleFired)):
            raise RuleSetError(f"{where}: reads answers only, not rules or tags")
        _check_answer_node(node, by_q, where)


def _check_answer_node(node: c.Condition, by_q: Mapping[str, Question], where: str) -> None:
    """A condition node that reads answers reads known questions of the right type."""
    if isinstance(node, c.Compare):
        _check_compare(node, by_q, where)
    elif isinstance(node, c.DateCmp):
        _check_date_cmp(node, by_q, where)
    elif isinstance(node, c.Span):
        for qid in (node.start, node.end):
            if qid not in by_q or by_q[qid].type != "date":
                raise RuleSetError(f"{where}: span needs date questions, got {qid!r}")


def _check_date_cmp(node: c.DateCmp, by_q: Mapping[str, Question], where: str) -> None:
    names = [node.question]
    if node.day is None:
        names.append(node.other or "")
    for qid in names:
        if qid not in by_q or by_q[qid].type != "date":
            raise RuleSetError(f"{where}: 'date' compares date questions, got {qid!r}")


def _check_compare(node: c.Compare, by_q: Mapping[str, Question], where: str) -> None:
    q = by_q.get(node.question)
    if q is None:
        raise RuleSetError(f"{where}: unknown question {node.question!r}")
    values = node.value if isinstance(node.value, tuple) else (node.value,)
    if node.op == "set":
        if not isinstance(node.value, bool):
            raise RuleSetError(f"{where}: 'set' takes true or false")
        return
    if q.type in ("choice", "multi"):
        if node.op in ("has", "has_any") and q.type != "multi":
            raise RuleSetError(f"{where}: '{node.op}' needs a multiple-choice question")
        if node.op in ("eq", "in") and q.type != "choice":
            raise RuleSetError(f"{where}: '{node.op}' needs a single-choice question")
        known = {o.id for o in q.options}
        for v in values:
            if v not in known:
                raise RuleSetError(
                    f"{where}: {node.question} has no option {v!r} (the condition can never hold)"
                )
    elif q.type == "bool":
        if node.op != "eq" or not isinstance(node.value, bool):
            raise RuleSetError(f"{where}: {node.question} is yes/no: use eq = true|false")
    elif q.type == "integer":
        if node.op not in ("eq", "gte", "lt") or not isinstance(node.value, int):
            raise RuleSetError(
                f"{where}: {node.question} is a number: use eq/gte/lt with an integer"
            )
    else:
        raise RuleSetError(f"{where}: {node.question} ({q.type}) cannot be compared")


def _deps(rules: tuple[Rule, ...], cond: c.Condition) -> set[int]:
    out: set[int] = set()
    for node in c.walk(cond):
        if isinstance(node, c.TagFired):
            out.update(i for i, r in enumerate(rules) if node.tag in r.tags)
        elif isinstance(node, c.RuleFired):
            out.update(i for i, r in enumerate(rules) if r.id == node.rule)
    return out


def _order(rules: tuple[Rule, ...]) -> tuple[int, ...]:
    """Topological order: a rule runs after every rule whose tag or id its condition reads."""
    deps = {i: _deps(rules, r.guard) for i, r in enumerate(rules)}
    done: list[int] = []
    state: dict[int, int] = {}

    def visit(i: int, path: list[str]) -> None:
        if state.get(i) == 2:
            return
        if state.get(i) == 1:
            raise RuleSetError("rules depend on each other in a cycle: " + " -> ".join(path))
        state[i] = 1
        for d in sorted(deps[i]):
            visit(d, [*path, rules[d].id])
        state[i] = 2
        done.append(i)

    for i in range(len(rules)):
        visit(i, [rules[i].id])
    return tuple(done)


def closure(rules: tuple[Rule, ...], roots: list[c.Condition]) -> set[int]:
    """The rules the conditions ``roots`` read (their tags or ids), and the rules those read."""
    todo = [d for cond in roots for d in _deps(rules, cond)]
    seen: set[int] = set()
    while todo:
        i = todo.pop()
        if i not in seen:
            seen.add(i)
            todo.extend(_deps(rules, rules[i].guard))
    return seen
