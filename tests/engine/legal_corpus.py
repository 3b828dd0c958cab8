"""The legal test corpus: cases written from the articles, each a real answers file with what the
law makes of it (``legal_cases/*.json``), and the one checker that compares a report with it.

The checker reads the report's JSON form only, so the same cases run against CPython's report
(``test_legal_corpus.py``) and against the report the engine returns inside Pyodide
(``test_pyodide_parity.py``). Expectations name provisions, never rule ids: a case says "the
duty of Art. 26(7) must not appear", as the article does.

Keys of ``expect`` (all optional but ``tier``):
    tier, verdict              the EU tier and the delivery verdict
    duties, no_duties          provisions that must / must not be among the obligations
    who                        provision -> the roles its obligation names
    dates                      provision -> {applies_from, original, status} of its obligation
    provisions, no_provisions  provisions that must / must not be cited among the EU provisions
    provision_text             words some provision's title or reason must contain
    sme, no_sme                provisions in / not in the SME section
    penalties, no_penalties    provisions in / not in the penalties
    timeline                   date entries ({applies_from, status}) the report's dates must hold
    what_if_conditions         words some "what would change" legal condition must contain
    no_plain_what_if           "question.option" never offered as a plain answer to change
    label_mentions             "question.option" -> a word its label must contain (rules only)
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CASES = Path(__file__).resolve().parent / "legal_cases"
_SPLIT = re.compile(r"[;,]\s*(?=(?:Art\.|Annex|Recital)\s)")


@dataclass(frozen=True)
class Case:
    name: str
    path: Path
    title: str
    provision: str
    why: str
    answers: dict[str, Any]
    expect: dict[str, Any]


def load_cases() -> list[Case]:
    out = []
    for path in sorted(CASES.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        out.append(
            Case(
                path.stem,
                path,
                data["case"],
                data["provision"],
                data["why"],
                data["answers"],
                data["expect"],
            )
        )
    return out


def provisions_of(citation: str | None) -> set[str]:
    """``"Art. 26(1), Art. 26(2)"`` -> ``{"Art. 26(1)", "Art. 26(2)"}``; a provision with a
    finer reference (``"Art. 50(4), second subparagraph"``) also counts as the provision itself."""
    out = set()
    for part in _SPLIT.split(citation or ""):
        part = part.strip()
        if part:
            out.update((part, part.partition(", ")[0]))
    return out


def _cited(items: Iterable[Mapping[str, Any]]) -> set[str]:
    return {p for item in items for p in provisions_of(item.get("citation"))}


def _with(items: Iterable[Mapping[str, Any]], provision: str) -> list[Mapping[str, Any]]:
    return [i for i in items if provision in provisions_of(i.get("citation"))]


def check(expect: Mapping[str, Any], report: Mapping[str, Any]) -> list[str]:
    """Every way ``report`` (a report's JSON form) departs from ``expect``."""
    eu = report["eu_ai_act"]
    problems: list[str] = []

    def need(ok: bool, message: str) -> None:
        if not ok:
            problems.append(message)

    need(eu["tier"] == expect["tier"], f"tier {eu['tier']!r}, expected {expect['tier']!r}")
    if "verdict" in expect:
        got = report["verdict"]["id"]
        need(got == expect["verdict"], f"verdict {got!r}, expected {expect['verdict']!r}")
    sections = {
        "duties": eu["obligations"],
        "provisions": eu["provisions"],
        "sme": eu["sme"],
        "penalties": eu.get("penalties", []),
    }
    for key, items in sections.items():
        cited = _cited(items)
        for p in expect.get(key, []):
            need(p in cited, f"{key}: {p} missing (cited: {sorted(cited)})")
        for p in expect.get(f"no_{key}", []):
            need(p not in cited, f"{key}: {p} must not appear")
    for p, roles in expect.get("who", {}).items():
        found = _with(eu["obligations"], p)
        need(bool(found) and all(list(o["who"]) == roles for o in found), f"who of {p}: {found}")
    for p, want in expect.get("dates", {}).items():
        found = _with(eu["obligations"], p)
        need(bool(found), f"dates: no obligation citing {p}")
        for o in found:
            got = o["applies_from"] or {}
            for key, value in want.items():
                need(got.get(key) == value, f"{p}: {key} {got.get(key)!r}, expected {value!r}")
    texts = " ".join(f"{p['title']} {p['reason']}" for p in eu["provisions"]).lower()
    for words in expect.get("provision_text", []):
        need(words.lower() in texts, f"no provision says {words!r}")
    for entry in expect.get("timeline", []):
        need(
            any(all(d.get(k) == v for k, v in entry.items()) for d in eu["dates"]),
            f"dates: no {entry}",
        )
    changes = report["what_would_change"]
    conditions = " ".join(c.get("condition") or "" for c in changes)
    for words in expect.get("what_if_conditions", []):
        need(words in conditions, f"what would change: no legal condition mentions {words!r}")
    for ref in expect.get("no_plain_what_if", []):
        qid, _, option = ref.partition(".")
        plain = [c for c in changes if c["question"] == qid and option in c["values"]]
        need(
            all(c.get("condition") for c in plain),
            f"what would change offers {ref} as an answer to change",
        )
    return problems


def check_labels(expect: Mapping[str, Any], rules: Mapping[str, Any]) -> list[str]:
    """The ``label_mentions`` expectations, against a rules document (``prodready rules``)."""
    problems = []
    questions = {q["id"]: q for q in rules["questions"]}
    for ref, word in expect.get("label_mentions", {}).items():
        qid, _, option = ref.partition(".")
        label = next(o["label"] for o in questions[qid]["options"] if o["id"] == option)
        if word not in label:
            problems.append(f"{ref}: label {label!r} does not mention {word!r}")
    return problems
