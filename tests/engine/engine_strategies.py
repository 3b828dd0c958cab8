"""Hypothesis strategies for schema-valid answer documents, built from the questions themselves
(so a new question is covered without touching the tests)."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from hypothesis import strategies as st

from prodready.answers import FORMAT
from prodready.loader import load_ruleset
from prodready.model import Question

FIRST_DAY = dt.date(2025, 1, 1)
LAST_DAY = dt.date(2028, 12, 31)

# Text a reader may type: any Unicode except lone surrogates (which no UTF-8 file can hold).
# What a reader can type in a one-line text answer: no control characters, no lone surrogates.
READER_TEXT = st.characters(exclude_categories=["Cs", "Cc"])


def answer_for(q: Question) -> st.SearchStrategy[Any]:
    """Every valid answer to one question (dates are drawn together, see answer_documents)."""
    ids = [o.id for o in q.options]
    match q.type:
        case "choice":
            return st.sampled_from(ids)
        case "multi":
            # Short lists are the interesting ones; long ones make every document prohibited.
            return st.lists(st.sampled_from(ids), unique=True, max_size=min(len(ids), 4))
        case "bool":
            return st.booleans()
        case "integer":
            lo = q.minimum if q.minimum is not None else -(2**31)
            hi = q.maximum if q.maximum is not None else 2**31
            # Thresholds in the rules are small numbers: favour the low end.
            return st.one_of(st.integers(lo, min(hi, lo + 4)), st.integers(lo, hi))
        case "date":
            return st.dates(FIRST_DAY, LAST_DAY).map(dt.date.isoformat)
        case "text":
            return st.text(READER_TEXT, max_size=q.max_length or 200)
    raise AssertionError(q.type)


# The strategies answer_documents draws from, made once: Hypothesis validates (and labels) a
# strategy the first time it draws from it, so a strategy built anew for every draw spent half
# of each property test's time in that bookkeeping.
_COIN = st.booleans()
# Which optional questions a document answers, eight questions at a time: one draw of eight bits
# says which of them are answered (half, each bit one question), two more which of the others hold
# an explicit null (both bits set: a quarter of the unanswered, one in eight of all). Three draws
# for eight questions instead of one each: Hypothesis spends most of a property test's time on its
# draws, and generating a document takes a third less time. Eight bits, because Hypothesis draws a
# range that small uniformly and favours small values of a wider one (with 61 bits at once, the
# last questions were answered in one to three documents of a hundred, not half). Each shrinks to
# 0, unanswered: the simplest document.
_GROUP = 8
_BITS = st.integers(0, 2**_GROUP - 1)
_ONE_IN_FIVE = st.integers(0, 4)
_START = st.one_of(st.none(), st.dates(FIRST_DAY, LAST_DAY))
_OFFSET = st.one_of(st.integers(-30, 120), st.integers(-400, 800), st.none())
_DAY = st.dates(FIRST_DAY, LAST_DAY)


@functools.cache
def _answered() -> tuple[tuple[str, bool, st.SearchStrategy[Any]], ...]:
    """(question id, required, its answers' strategy) for every question but the two dates."""
    return tuple(
        (q.id, q.required, answer_for(q))
        for q in load_ruleset().questions
        if q.id not in ("experiment_start", "experiment_end")
    )


@st.composite
def answer_documents(draw: st.DrawFn) -> dict[str, Any]:
    """A schema-valid answers document: required questions always, others sometimes (explicit
    ``null`` counts as unanswered), with the experiment dates often close together."""
    out: dict[str, Any] = {}
    if draw(_COIN):
        out["format"] = FORMAT
    optional = 0  # optional questions seen so far
    answered = null = 0
    for qid, required, answers in _answered():
        if required:
            out[qid] = draw(answers)
            continue
        bit = 1 << (optional % _GROUP)
        if bit == 1:  # the first of a group of eight
            answered, null = draw(_BITS), draw(_BITS) & draw(_BITS)
        optional += 1
        if answered & bit:
            out[qid] = draw(answers)
        elif null & bit:
            out[qid] = None
    start = draw(_START)
    if start is not None:
        # The dates are read only for a time-boxed experiment (usually said so when given).
        out["time_boxed"] = draw(_ONE_IN_FIVE) > 0
        out["experiment_start"] = start.isoformat()
        # Around the three-month boundary, sometimes backwards, sometimes far apart.
        offset = draw(_OFFSET)
        if offset is not None:
            out["experiment_end"] = (start + dt.timedelta(days=offset)).isoformat()
    elif draw(_COIN):
        out["experiment_end"] = draw(_DAY).isoformat()
    return out


def question_answers() -> dict[str, st.SearchStrategy[Any]]:
    """One strategy per question id (for tests that vary a single answer)."""
    return {q.id: answer_for(q) for q in load_ruleset().questions}
