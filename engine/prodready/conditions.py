"""A tiny condition language, evaluated over answers and over the rules that already fired.

Conditions are data (parsed from the rule files), never Python code: that is what lets the guide
print them, the schema list the questions they read, and the loader check them before any reader
answers a question. For speed the engine compiles them (closures, and one generated function
for the verdict that binds every value from the rules to a name, so no rule text is ever parsed
as Python); :func:`evaluate` stays the reference the tests hold the compiled forms to. The
grammar is one key per table:

    {q = "id", eq = V}        answer equals V
    {q = "id", in = [V, ...]} answer is one of the values
    {q = "id", has = V}       a multiple-choice answer contains V
    {q = "id", has_any = [..]} a multiple-choice answer contains at least one of the values
    {q = "id", gte = N}       a number answer is at least N (also lt)
    {q = "id", set = true}    the question was answered (optional questions)
    {span = ["start", "end"], under_months = N}  both dates given and end is before start + N months
    {date = "id", before = "other"}       a date answer is before another date answer, or before
    {date = "id", on_or_after = "other"}  a legal date of the rule set ("@date-id"; the loader
                                          resolves it to its day); both must be known
    {rule = "id"}             the rule with that id fired
    {tag = "name"}            some rule carrying that tag fired
    {all = [...]}, {any = [...]}, {not = {...}}, {always = true}
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any, Literal

type Answer = str | int | bool | tuple[str, ...] | None
type Condition = Compare | Span | DateCmp | RuleFired | TagFired | AllOf | AnyOf | Not | Always


class ConditionError(ValueError):
    """A condition in the rule files is malformed."""


@dataclass(frozen=True, slots=True)
class Compare:
    question: str
    op: Literal["eq", "in", "has", "has_any", "gte", "lt", "set"]
    value: Any


@dataclass(frozen=True, slots=True)
class Span:
    start: str
    end: str
    under_months: int


@dataclass(frozen=True, slots=True)
class DateCmp:
    """``question`` (a date answer) compared with another date answer (``other``) or, once the
    loader has resolved a ``@date-id`` reference, with a fixed day (``day``, YYYY-MM-DD)."""

    question: str
    op: Literal["before", "on_or_after"]
    other: str | None = None
    day: str | None = None

    @property
    def reference(self) -> str | None:
        """The legal date id of an unresolved ``@date-id``, else None."""
        if self.other is not None and self.other.startswith("@"):
            return self.other[1:]
        return None


@dataclass(frozen=True, slots=True)
class RuleFired:
    rule: str


@dataclass(frozen=True, slots=True)
class TagFired:
    tag: str


@dataclass(frozen=True, slots=True)
class AllOf:
    items: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    items: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Not:
    item: Condition


@dataclass(frozen=True, slots=True)
class Always:
    pass


_COMPARE_OPS = ("eq", "in", "has", "has_any", "gte", "lt", "set")


def parse(raw: Any, where: str) -> Condition:
    """Turn the TOML/JSON form of a condition into its dataclass form, or fail saying where."""
    if not isinstance(raw, Mapping) or not raw:
        raise ConditionError(f"{where}: a condition must be a non-empty table, got {raw!r}")
    keys = set(raw)
    if "q" in keys:
        ops = keys - {"q"}
        if len(ops) != 1 or (op := next(iter(ops))) not in _COMPARE_OPS:
            raise ConditionError(f"{where}: 'q' needs exactly one of {', '.join(_COMPARE_OPS)}")
        value = raw[op]
        if op in ("in", "has_any"):
            if not isinstance(value, list) or not value:
                raise ConditionError(f"{where}: '{op}' needs a non-empty list")
            value = tuple(value)
        return Compare(str(raw["q"]), op, value)
    if keys == {"span", "under_months"}:
        start, end = raw["span"]
        return Span(str(start), str(end), int(raw["under_months"]))
    if "date" in keys:
        ops = keys - {"date"}
        if len(ops) != 1 or (op := next(iter(ops))) not in ("before", "on_or_after"):
            raise ConditionError(f"{where}: 'date' needs exactly one of before, on_or_after")
        other = raw[op]
        if not isinstance(other, str) or not other:
            raise ConditionError(f"{where}: '{op}' needs a date question id or '@date-id'")
        return DateCmp(str(raw["date"]), op, other)
    if keys == {"rule"}:
        return RuleFired(str(raw["rule"]))
    if keys == {"tag"}:
        return TagFired(str(raw["tag"]))
    if keys in ({"all"}, {"any"}):
        kind = next(iter(keys))
        items = raw[kind]
        if not isinstance(items, list) or not items:
            raise ConditionError(f"{where}: '{kind}' needs a non-empty list")
        parsed = tuple(parse(item, f"{where}.{kind}[{i}]") for i, item in enumerate(items))
        return AllOf(parsed) if kind == "all" else AnyOf(parsed)
    if keys == {"not"}:
        return Not(parse(raw["not"], f"{where}.not"))
    if keys == {"always"} and raw["always"] is True:
        return Always()
    raise ConditionError(f"{where}: unknown condition {dict(raw)!r}")


def dump(cond: Condition) -> dict[str, Any]:
    """The inverse of :func:`parse`: the JSON form published by ``prodready rules``."""
    match cond:
        case Compare(question, op, value):
            return {"q": question, op: list(value) if isinstance(value, tuple) else value}
        case Span(start, end, months):
            return {"span": [start, end], "under_months": months}
        case DateCmp(question, op, other, day):
            return {"date": question, op: other if other is not None else day}
        case RuleFired(rule):
            return {"rule": rule}
        case TagFired(tag):
            return {"tag": tag}
        case AllOf(items):
            return {"all": [dump(i) for i in items]}
        case AnyOf(items):
            return {"any": [dump(i) for i in items]}
        case Not(item):
            return {"not": dump(item)}
        case Always():
            return {"always": True}


def _add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    # Clamp to the month's last day (31 Jan + 1 month is 28/29 Feb).
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def evaluate(
    cond: Condition,
    answers: Mapping[str, Answer],
    fired: AbstractSet[str],
    tags: AbstractSet[str],
) -> bool:
    """Evaluate one condition. Missing optional answers are simply not equal to anything."""
    match cond:
        case Compare(question, op, value):
            got = answers.get(question)
            if op == "set":
                return (got is not None) is bool(value)
            if got is None:
                return False
            if op == "eq":
                return bool(got == value)
            if op == "in":
                return bool(got in value)
            if op == "has":
                return isinstance(got, tuple) and value in got
            if op == "has_any":
                return isinstance(got, tuple) and any(v in got for v in value)
            if op == "gte":
                return isinstance(got, int) and got >= value
            return isinstance(got, int) and got < value
        case Span():
            return _span(cond, answers)
        case DateCmp():
            return _date_cmp(cond, answers)
        case RuleFired(rule):
            return rule in fired
        case TagFired(tag):
            return tag in tags
        case AllOf(items):
            return all(evaluate(i, answers, fired, tags) for i in items)
        case AnyOf(items):
            return any(evaluate(i, answers, fired, tags) for i in items)
        case Not(item):
            return not evaluate(item, answers, fired, tags)
        case Always():
            return True


def _span(cond: Span, answers: Mapping[str, Answer]) -> bool:
    a, b = answers.get(cond.start), answers.get(cond.end)
    if not isinstance(a, str) or not isinstance(b, str):
        return False
    first, last = dt.date.fromisoformat(a), dt.date.fromisoformat(b)
    return first <= last < _add_months(first, cond.under_months)


def _date_cmp(cond: DateCmp, answers: Mapping[str, Answer]) -> bool:
    left = answers.get(cond.question)
    right = cond.day if cond.day is not None else answers.get(cond.other or "")
    if not isinstance(left, str) or not isinstance(right, str):
        return False
    # ISO dates (YYYY-MM-DD, checked on input) order as strings.
    return left < right if cond.op == "before" else left >= right


def walk(cond: Condition) -> list[Condition]:
    """Every node of a condition tree, depth first (for static checks and dependency order)."""
    match cond:
        case AllOf(items) | AnyOf(items):
            return [cond, *(n for i in items for n in walk(i))]
        case Not(item):
            return [cond, *walk(item)]
        case _:
            return [cond]


def questions_read(cond: Condition) -> set[str]:
    out: set[str] = set()
    for node in walk(cond):
        if isinstance(node, Compare):
            out.add(node.question)
        elif isinstance(node, Span):
            out.update((node.start, node.end))
        elif isinstance(node, DateCmp):
            out.add(node.question)
            if node.day is None and node.other is not None and node.reference is None:
                out.add(node.other)
    return out


type Predicate = Callable[[Mapping[str, Answer], AbstractSet[str], AbstractSet[str]], bool]


def compile_condition(cond: Condition) -> Predicate:
    """Compile a condition into a closure once, so that assessing does not re-dispatch on the
    tree each time. Semantics are exactly those of :func:`evaluate`; the tests check both agree.

    Closures, not generated source as in :func:`compile_first`: the report evaluates each rule
    once per answer, and making closures for every condition of the rule set takes about a
    quarter of the time compiling their source would (3 against 13 ms in CPython, paid at
    start-up). Generated source pays off only where the same rules run dozens of times per
    answer, in the what-if analysis."""
    match cond:
        case Compare(question, op, value):
            q = question
            if op == "set":
                want = bool(value)
                return lambda a, f, t: (a.get(q) is not None) is want
            if op == "eq":
                return lambda a, f, t: a.get(q) == value
            if op == "in":
                vals = frozenset(value)
                return lambda a, f, t: a.get(q) in vals
            if op == "has":
                return lambda a, f, t: isinstance(got := a.get(q), tuple) and value in got
            if op == "has_any":
                vals = frozenset(value)
                return lambda a, f, t: (
                    isinstance(got := a.get(q), tuple) and not vals.isdisjoint(got)
                )
            if op == "gte":
                return lambda a, f, t: isinstance(got := a.get(q), int) and got >= value
            return lambda a, f, t: isinstance(got := a.get(q), int) and got < value
        case RuleFired(rule):
            return lambda a, f, t: rule in f
        case TagFired(tag):
            return lambda a, f, t: tag in t
        # Plain loops, not all()/any() over a generator: the engine evaluates conditions some
        # hundred times per answer change (what_would_change); a generator per call made the
        # whole assessment about a third slower (CPython: 2.0 ms instead of 1.5 ms).
        case AllOf(items):
            parts = tuple(compile_condition(i) for i in items)

            def all_of(a: Mapping[str, Answer], f: AbstractSet[str], t: AbstractSet[str]) -> bool:
                for part in parts:  # noqa: SIM110 - see above
                    if not part(a, f, t):
                        return False
                return True

            return all_of
        case AnyOf(items):
            parts = tuple(compile_condition(i) for i in items)

            def any_of(a: Mapping[str, Answer], f: AbstractSet[str], t: AbstractSet[str]) -> bool:
                for part in parts:  # noqa: SIM110 - see above
                    if part(a, f, t):
                        return True
                return False

            return any_of
        case Not(item):
            inner = compile_condition(item)
            return lambda a, f, t: not inner(a, f, t)
        case Always():
            return lambda a, f, t: True
        case Span():
            span = cond
            return lambda a, f, t: _span(span, a)
        case DateCmp():
            cmp = cond
            return lambda a, f, t: _date_cmp(cmp, a)


type RuleRef = RuleFired | TagFired


def compile_first(
    rules: Sequence[tuple[str, tuple[str, ...], Condition]], choices: Sequence[Condition]
) -> Callable[[Mapping[str, Answer]], int]:
    """Compile rules and a list of choices into one function of the answers alone: it evaluates
    the rules (``(id, tags, condition)``, in an order where every rule comes after those whose id
    or tag it reads) and returns the index of the first choice that holds; it raises
    :class:`LookupError` when none does (a rule set's last verdict always holds).

    The same as evaluating each rule's condition over the ids and tags of the rules before it,
    then each choice over all of them (:func:`evaluate`), but what fired is held in local
    variables, not sets: the what-if analysis decides dozens of variants per answer this way."""
    names = _Names()
    seen_ids: dict[str, str] = {}
    seen_tags: dict[str, list[str]] = {}

    def ref(node: RuleRef) -> str:
        if isinstance(node, RuleFired):
            return seen_ids.get(node.rule, "False")
        return "(" + " or ".join(seen_tags.get(node.tag, ["False"])) + ")"

    lines = ["def first(a):"]
    for n, (rule_id, tags, cond) in enumerate(rules):
        local = f"r{n}"
        lines.append(f"    {local} = {_emit(cond, names, ref)}")
        seen_ids[rule_id] = local
        for tag in tags:
            seen_tags.setdefault(tag, []).append(local)
    for k, cond in enumerate(choices):
        lines.append(f"    if {_emit(cond, names, ref)}:\n        return {k}")
    lines.append("    raise LookupError('no choice holds')")
    exec(compile("\n".join(lines), "<rules>", "exec"), names.values)
    first: Callable[[Mapping[str, Answer]], int] = names.values["first"]
    return first


class _Names:
    """The globals of a generated function: helpers, and the values it compares with."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {"_span": _span, "_date_cmp": _date_cmp}

    def bind(self, value: object) -> str:
        name = f"_k{len(self.values)}"
        self.values[name] = value
        return name


def _emit(cond: Condition, names: _Names, ref: Callable[[RuleRef], str]) -> str:
    """Python expression text for ``cond`` over the answers ``a``; ``ref`` gives the text for
    whether a rule or a tag fired. Values are bound in ``names``."""
    match cond:
        case Compare(question, op, value):
            got = f"a.get({names.bind(question)})"
            if op == "set":
                return f"({got} is {'not ' if value else ''}None)"
            if op == "eq":
                return f"({got} == {names.bind(value)})"
            if op == "in":
                return f"({got} in {names.bind(frozenset(value))})"
            if op == "has":
                return f"(isinstance(g := {got}, tuple) and {names.bind(value)} in g)"
            if op == "has_any":
                vals = names.bind(frozenset(value))
                return f"(isinstance(g := {got}, tuple) and not {vals}.isdisjoint(g))"
            cmp = ">=" if op == "gte" else "<"
            return f"(isinstance(g := {got}, int) and g {cmp} {names.bind(value)})"
        case RuleFired() | TagFired():
            return ref(cond)
        case AllOf(items):
            return "(" + " and ".join(_emit(i, names, ref) for i in items) + ")"
        case AnyOf(items):
            return "(" + " or ".join(_emit(i, names, ref) for i in items) + ")"
        case Not(item):
            return f"(not {_emit(item, names, ref)})"
        case Always():
            return "True"
        case Span():
            return f"_span({names.bind(cond)}, a)"
        case DateCmp():
            return f"_date_cmp({names.bind(cond)}, a)"
