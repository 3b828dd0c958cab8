"""Canonical JSON and SHA-256 digests: how a record proves it was not changed, and how it names
the rule set it was made under.

The canonical form is the JSON Canonicalization Scheme (RFC 8785): object keys sorted by their
UTF-16 code units, no whitespace, strings escaped as ``JSON.stringify`` escapes them, numbers
written as ECMAScript writes them (``1.0`` and ``1`` are the same number, ``1`` both ways), UTF-8.
So a record parsed and written again by any JSON tool, in Python or in a browser, keeps its digest.
A digest is written ``sha256:`` and 64 lower-case hexadecimal digits.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from typing import Any

from prodready.model import RuleSet

DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")
_MAX_EXACT = 2**53  # integers beyond this are not exact in a double, nor in JavaScript


class CanonicalError(ValueError):
    """The value has no canonical JSON form (NaN, a huge integer, a lone surrogate...)."""


def _number(x: int | float) -> str:
    """A number as ECMAScript's Number::toString writes it (RFC 8785, section 3.2.2.3)."""
    if isinstance(x, int) and abs(x) > _MAX_EXACT:
        raise CanonicalError(f"the integer {x} is too large to be exact in JSON")
    value = float(x)
    if not math.isfinite(value):
        raise CanonicalError(f"{x!r} is not a JSON number")
    if value == 0:
        return "0"
    if value < 0:
        return "-" + _number(-value)
    # repr gives the shortest digits that read back as the same double, as ECMAScript does.
    mantissa, _, exponent = repr(value).partition("e")
    whole, _, fraction = mantissa.partition(".")
    all_digits = whole + fraction
    digits = all_digits.lstrip("0")
    point = len(whole) + int(exponent or 0) - (len(all_digits) - len(digits))
    digits = digits.rstrip("0")
    k, n = len(digits), point  # value = 0.<digits> x 10^n
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return f"{digits[:n]}.{digits[n:]}"
    if -6 < n <= 0:
        return "0." + "0" * -n + digits
    sign = "+" if n - 1 >= 0 else "-"
    head = digits[0] + (f".{digits[1:]}" if k > 1 else "")
    return f"{head}e{sign}{abs(n - 1)}"


def _string(text: str) -> str:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise CanonicalError("a string holds a lone surrogate, which UTF-8 cannot hold") from None
    return json.dumps(text, ensure_ascii=False)


def _utf16_order(key: str) -> bytes:
    return key.encode("utf-16-be", "surrogatepass")


def canonical(value: Any) -> str:
    """The canonical JSON text of ``value`` (parsed JSON: dict, list, str, number, bool, None)."""
    try:
        return _canonical(value)
    except RecursionError:
        raise CanonicalError("nested too deeply") from None


def _canonical(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list | tuple):
        return "[" + ",".join(_canonical(v) for v in value) + "]"
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise CanonicalError("an object key is not a string")
        keys = sorted(value, key=_utf16_order)
        return "{" + ",".join(f"{_string(k)}:{_canonical(value[k])}" for k in keys) + "}"
    raise CanonicalError(f"{type(value).__name__} is not a JSON value")


def sha256(value: Any) -> str:
    """``sha256:<hex>`` of the canonical JSON of ``value``, encoded as UTF-8."""
    return "sha256:" + hashlib.sha256(canonical(value).encode("utf-8")).hexdigest()


# Keyed by id(), as evaluate.compiled: each entry holds its RuleSet, so the id is not reused.
_RULESET_DIGESTS: dict[int, tuple[RuleSet, str]] = {}


def ruleset_digest(rs: RuleSet) -> str:
    """The rule set's digest: :func:`sha256` of the rules document ``prodready rules`` prints,
    without its ``engine_version`` (a new engine that runs the same rules keeps the digest)."""
    found = _RULESET_DIGESTS.get(id(rs))
    if found is not None and found[0] is rs:
        return found[1]
    from prodready.publish import ruleset_document

    doc = ruleset_document(rs)
    del doc["engine_version"]
    # Through JSON, as `prodready rules` prints it: tuples become lists, dates strings.
    digest = sha256(json.loads(json.dumps(doc)))
    _RULESET_DIGESTS[id(rs)] = (rs, digest)
    return digest
