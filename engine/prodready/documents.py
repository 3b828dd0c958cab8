"""Saved documents read back: which kind a parsed JSON document is, and a saved report as a
:class:`prodready.report.Report` again.

Every document the engine writes names its structure in ``format``; an answers document may
leave it out. A document of an unknown or retired format is refused with a one-line reason.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
import types
import typing
from enum import StrEnum
from typing import Any

from prodready.answers import FORMAT as ANSWERS_FORMAT
from prodready.report import REPORT_FORMAT, Report


class DocumentError(ValueError):
    """A document that cannot be read as what it claims to be: the message is one line."""


class Kind(StrEnum):
    ANSWERS = ANSWERS_FORMAT
    REPORT = REPORT_FORMAT
    RECORD = "prodready.record/1"
    PORTFOLIO = "prodready.portfolio/1"


_RETIRED = {
    "prodready.report/1": (
        "is a prodready.report/1 report from an older engine, which this engine cannot read; "
        "assess its answers (its 'answers' object) again and use that"
    ),
}


def kind_of(doc: Any, what: str = "the document") -> Kind:
    """The kind of a parsed document (a missing ``format`` means answers)."""
    if not isinstance(doc, dict):
        raise DocumentError(f"{what}: expected a JSON object, got {_type_name(doc)}")
    fmt = doc.get("format", ANSWERS_FORMAT)
    if isinstance(fmt, str) and fmt in _RETIRED:
        raise DocumentError(f"{what} {_RETIRED[fmt]}")
    if isinstance(fmt, str) and fmt in tuple(Kind):
        return Kind(fmt)
    known = ", ".join(repr(k.value) for k in Kind)
    raise DocumentError(f"{what}: unknown format {_short(fmt)}; expected one of {known}")


def _type_name(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "text", bool: "true or false"}
    if value is None:
        return "null"
    return names.get(type(value), "a number" if isinstance(value, int | float) else "a value")


def _short(value: Any) -> str:
    text = repr(value)
    text = text if len(text) <= 60 else text[:57] + "..."
    return text.encode("unicode_escape", "backslashreplace").decode("ascii")


# --- a saved report as a Report ---------------------------------------------------------------


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _convert(tp: Any, value: Any, path: str) -> Any:
    """``value`` (parsed JSON) as type ``tp``, or DocumentError naming ``path``."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if tp is Any:
        return value
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        if not isinstance(value, dict):
            raise DocumentError(f"{path}: expected an object, got {_type_name(value)}")
        fields = {}
        for f in dataclasses.fields(tp):
            if f.name not in value:
                raise DocumentError(f"{path}: the key {f.name!r} is missing")
            fields[f.name] = _convert(_hints(tp)[f.name], value[f.name], f"{path}.{f.name}")
        return tp(**fields)
    if origin is types.UnionType:
        if value is None and type(None) in args:
            return None
        (inner,) = (a for a in args if a is not type(None))
        return _convert(inner, value, path)
    if origin is tuple:
        if not isinstance(value, list):
            raise DocumentError(f"{path}: expected a list, got {_type_name(value)}")
        return tuple(_convert(args[0], v, f"{path}[{i}]") for i, v in enumerate(value))
    if origin is dict:
        if not isinstance(value, dict):
            raise DocumentError(f"{path}: expected an object, got {_type_name(value)}")
        return dict(value)
    return _scalar(tp, value, path)


def _scalar(tp: Any, value: Any, path: str) -> Any:
    if tp is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)  # JSON does not tell 1 from 1.0
    if tp in (str, bool) and isinstance(value, tp):
        return value
    if tp is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    expected = {str: "text", bool: "true or false", int: "a whole number", float: "a number"}
    raise DocumentError(f"{path}: expected {expected.get(tp, tp)}, got {_type_name(value)}")


def report_from_dict(doc: Any, what: str = "report") -> Report:
    """A saved ``prodready.report/2`` document as a Report; keys it does not know are ignored,
    as the format allows. Raises DocumentError naming the first key that is wrong."""
    if kind_of(doc, what) is not Kind.REPORT:
        raise DocumentError(f"{what}: expected a {REPORT_FORMAT} report, got {doc.get('format')!r}")
    try:
        report: Report = _convert(Report, doc, what)
    except RecursionError:
        raise DocumentError(f"{what}: nested too deeply") from None
    return report


# --- text the reader typed ------------------------------------------------------------------

# Control characters, and lone surrogates (which no UTF-8 file can hold).
_CONTROL = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")
_CONTROL_BUT_NEWLINE = re.compile("[\x00-\x09\x0b-\x1f\x7f\ud800-\udfff]")


def reader_text(value: Any, path: str, *, max_length: int, lines: bool = False) -> str:
    """Text the reader typed: non-empty, at most ``max_length`` characters, no control
    characters (line breaks allowed with ``lines``), encodable as UTF-8."""
    if not isinstance(value, str):
        raise DocumentError(f"{path}: expected text, got {_type_name(value)}")
    if not value.strip():
        raise DocumentError(f"{path}: is empty")
    if len(value) > max_length:
        raise DocumentError(f"{path}: is longer than {max_length} characters")
    control = _CONTROL_BUT_NEWLINE if lines else _CONTROL
    if control.search(value):
        allowed = "line breaks but no other" if lines else "no"
        raise DocumentError(f"{path}: may hold {allowed} control characters")
    return value


def only_keys(doc: dict[str, Any], allowed: tuple[str, ...], path: str) -> None:
    """Refuse keys a format does not define (a typo must not be silently dropped)."""
    for key in doc:
        if key not in allowed:
            expected = ", ".join(repr(k) for k in allowed)
            raise DocumentError(f"{path}: unknown key {_short(key)}; expected {expected}")


def day(value: Any, path: str) -> str:
    """A calendar day written YYYY-MM-DD."""
    if isinstance(value, str) and _DAY.match(value):
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    raise DocumentError(f"{path}: {_short(value)} is not a date; expected YYYY-MM-DD")


_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
