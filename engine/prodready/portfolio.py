"""A portfolio: several named initiatives, each with its dated assessments, and its table.

The portfolio file (``prodready.portfolio/1``) is what the assessor page exports and imports, and
what ``prodready portfolio`` writes: ``{"format": ..., "initiatives": [{"name": ..., "assessments":
[answers document, ...]}]}``. An assessment may be given as an answers document (with its
``assessed_on``) or as a saved report (its answers are used); the engine keeps the answers, in
canonical form, oldest first, without duplicates. Names are unique.

The table (``prodready.portfolio-table/1``) has one row per initiative: its latest answers
assessed under the current rules, summarised (:mod:`prodready.summary`), those needing action
first. Both formats are documented on the guide's report-format page.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from prodready import __version__
from prodready.answers import AnswersError, to_document, validate
from prodready.documents import (
    DocumentError,
    Kind,
    kind_of,
    only_keys,
    reader_text,
    report_from_dict,
)
from prodready.evaluate import DATE_QUESTION, assess, dated
from prodready.model import RuleSet
from prodready.report import dumps
from prodready.summary import Summary, summarise, urgency

PORTFOLIO_FORMAT = Kind.PORTFOLIO.value
TABLE_FORMAT = "prodready.portfolio-table/1"
MAX_NAME = 120
type Answers = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Initiative:
    name: str
    assessments: tuple[Answers, ...]  # canonical answers documents, oldest first

    @property
    def latest(self) -> Answers:
        return self.assessments[-1]


@dataclass(frozen=True, slots=True)
class Portfolio:
    initiatives: tuple[Initiative, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": PORTFOLIO_FORMAT,
            "initiatives": [
                {"name": i.name, "assessments": list(i.assessments)} for i in self.initiatives
            ],
        }

    def to_json(self) -> str:
        return dumps(self.to_dict())


def _history(entries: Iterable[Answers]) -> tuple[Answers, ...]:
    """Oldest first (stable for one day), each distinct answers document once."""
    unique: list[Answers] = []
    for entry in entries:
        if entry not in unique:
            unique.append(entry)
    return tuple(sorted(unique, key=lambda a: str(a[DATE_QUESTION])))


def merge(*portfolios: Portfolio) -> Portfolio:
    """One portfolio: initiatives of the same name have their assessments joined."""
    by_name: dict[str, list[Answers]] = {}
    for p in portfolios:
        for i in p.initiatives:
            by_name.setdefault(i.name, []).extend(i.assessments)
    return Portfolio(tuple(Initiative(n, _history(a)) for n, a in by_name.items()))


# --- reading --------------------------------------------------------------------------------


def canonical_answers(doc: Any, rs: RuleSet, what: str) -> Answers:
    """An assessment of a portfolio: an answers document or a report, as the canonical answers
    document (it must carry its date)."""
    kind = kind_of(doc, what)
    if kind is Kind.REPORT:
        doc = report_from_dict(doc, what).answers
    elif kind is not Kind.ANSWERS:
        raise DocumentError(f"{what}: expected answers or a report, got a {kind.value} document")
    if doc.get(DATE_QUESTION) is None:
        raise DocumentError(f"{what}: has no {DATE_QUESTION} date")
    try:
        return to_document(validate(doc, rs), rs)
    except AnswersError as exc:
        raise DocumentError(f"{what}: invalid answers: {exc}") from None


def _initiative(doc: Any, rs: RuleSet, what: str) -> Initiative:
    if not isinstance(doc, dict):
        raise DocumentError(f"{what}: expected an object with a name and assessments")
    only_keys(doc, ("name", "assessments"), what)
    name = reader_text(doc.get("name"), f"{what}.name", max_length=MAX_NAME)
    entries = doc.get("assessments")
    if not isinstance(entries, list) or not entries:
        raise DocumentError(f"{what}.assessments: expected a non-empty list of assessments")
    answers = (canonical_answers(e, rs, f"{what}.assessments[{n}]") for n, e in enumerate(entries))
    return Initiative(name, _history(answers))


def read_portfolio(doc: Any, rs: RuleSet, what: str = "portfolio") -> Portfolio:
    """A parsed portfolio file, checked and normalised; DocumentError naming the first problem."""
    if kind_of(doc, what) is not Kind.PORTFOLIO:
        raise DocumentError(f"{what}: expected a {PORTFOLIO_FORMAT} document")
    only_keys(doc, ("format", "initiatives"), what)
    items = doc.get("initiatives")
    if not isinstance(items, list):
        raise DocumentError(f"{what}.initiatives: expected a list of initiatives")
    initiatives = tuple(_initiative(x, rs, f"{what}.initiatives[{n}]") for n, x in enumerate(items))
    names = [i.name for i in initiatives]
    for n, name in enumerate(names):
        if name in names[:n]:
            raise DocumentError(f"{what}.initiatives[{n}].name: {name!r} is listed twice")
    return Portfolio(initiatives)


def from_document(
    doc: Any,
    rs: RuleSet,
    *,
    name: str,
    what: str,
    on: str | None = None,
    title: str | None = None,
) -> Portfolio:
    """A portfolio as it is, or one answers document or report as a one-initiative portfolio
    named ``title`` if given (a name the reader chose), else by the initiative's name, else
    ``name``; ``on`` dates answers (else today)."""
    kind = kind_of(doc, what)
    if kind is Kind.PORTFOLIO:
        return read_portfolio(doc, rs, what)
    if kind is Kind.ANSWERS:
        doc = dated(doc, on)
    answers = canonical_answers(doc, rs, what)
    if title is not None:
        chosen = reader_text(title, "name", max_length=MAX_NAME)
    else:
        chosen = reader_text(answers.get("name") or name, what, max_length=MAX_NAME)
    return Portfolio((Initiative(chosen, (answers,)),))


# --- the table ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Row:
    name: str
    assessments: int
    summary: Summary

    def to_dict(self) -> dict[str, Any]:
        summary = dataclasses.asdict(self.summary)
        return {"name": self.name, "assessments": self.assessments, **summary}


@dataclass(frozen=True, slots=True)
class Table:
    engine_version: str
    ruleset_version: str
    rows: tuple[Row, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": TABLE_FORMAT,
            "engine_version": self.engine_version,
            "ruleset_version": self.ruleset_version,
            "initiatives": [r.to_dict() for r in self.rows],
        }

    def to_json(self) -> str:
        return dumps(self.to_dict())


def table(p: Portfolio, rs: RuleSet, on: str | None = None) -> Table:
    """One row per initiative (its latest answers, assessed as on ``on`` if given), those
    needing action first; ties by name, then the portfolio's order."""
    rows = [
        Row(i.name, len(i.assessments), summarise(assess(i.latest, rs, on=on)))
        for i in p.initiatives
    ]
    ordered = sorted(
        enumerate(rows), key=lambda nr: (urgency(nr[1].summary), nr[1].name.casefold(), nr[0])
    )
    return Table(__version__, rs.version, tuple(r for _, r in ordered))
