"""Canonical JSON (RFC 8785) and the digests built on it: the RFC's own examples, the rule set's
digest defined as that of `prodready rules` without the engine version."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import json
import math
import struct

import pytest

from prodready import load_ruleset
from prodready.cli import main
from prodready.digest import DIGEST, CanonicalError, canonical, ruleset_digest, sha256

# RFC 8785, appendix B: IEEE 754 bit patterns and how ECMAScript (so JCS) writes them.
NUMBERS = [
    ("0000000000000000", "0"),
    ("8000000000000000", "0"),
    ("0000000000000001", "5e-324"),
    ("8000000000000001", "-5e-324"),
    ("7fefffffffffffff", "1.7976931348623157e+308"),
    ("ffefffffffffffff", "-1.7976931348623157e+308"),
    ("4340000000000000", "9007199254740992"),
    ("c340000000000000", "-9007199254740992"),
    ("4430000000000000", "295147905179352830000"),
    ("44b52d02c7e14af5", "9.999999999999997e+22"),
    ("44b52d02c7e14af6", "1e+23"),
    ("44b52d02c7e14af7", "1.0000000000000001e+23"),
    ("444b1ae4d6e2ef4e", "999999999999999700000"),
    ("444b1ae4d6e2ef4f", "999999999999999900000"),
    ("444b1ae4d6e2ef50", "1e+21"),
    ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"),
    ("3eb0c6f7a0b5ed8d", "0.000001"),
    ("41b3de4355555553", "333333333.3333332"),
    ("41b3de4355555554", "333333333.33333325"),
    ("41b3de4355555555", "333333333.3333333"),
    ("41b3de4355555556", "333333333.3333334"),
    ("41b3de4355555557", "333333333.33333343"),
    ("becbf647612f3696", "-0.0000033333333333333333"),
    ("43143ff3c1cb0959", "1424953923781206.2"),
]


@pytest.mark.parametrize(("bits", "text"), NUMBERS)
def test_numbers_as_ecmascript_writes_them(bits: str, text: str) -> None:
    (value,) = struct.unpack(">d", bytes.fromhex(bits))
    assert canonical(value) == text


def test_integers_and_integral_floats_are_the_same_number() -> None:
    assert canonical(1) == canonical(1.0) == "1"
    assert canonical({"a": [0, 0.0, -0.0]}) == '{"a":[0,0,0]}'


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, 2**53 + 1, object()])
def test_values_without_a_canonical_form(value: object) -> None:
    with pytest.raises(CanonicalError):
        canonical(value)


def test_rfc_8785_sorting_and_strings() -> None:
    # RFC 8785, section 3.2.3: keys sorted by UTF-16 code units.
    doc = {
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\U0001f600": "Emoji: Grinning Face",
        "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis",
    }
    pairs = json.loads(canonical(doc), object_pairs_hook=list)
    assert [k for k, _ in pairs] == [
        "\r",
        "1",
        "\u0080",
        "\u00f6",
        "\u20ac",
        "\U0001f600",
        "\ufb33",
    ]
    # RFC 8785, section 3.2.2.2: only what JSON.stringify escapes is escaped.
    assert canonical("\u20ac$\u000f\u000aA'\u0042\u0022\u005c\\\"/") == (
        '"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"'
    )


def test_lone_surrogates_have_no_canonical_form() -> None:
    with pytest.raises(CanonicalError, match="surrogate"):
        canonical({"a": "\ud800"})


def test_sha256_is_of_the_utf8_canonical_text() -> None:
    value = {"b": [1.0, "é"], "a": None}
    expected = hashlib.sha256('{"a":null,"b":[1,"é"]}'.encode()).hexdigest()
    assert sha256(value) == f"sha256:{expected}"
    assert DIGEST.match(sha256(value))


def test_the_ruleset_digest_is_that_of_the_rules_document() -> None:
    with contextlib.redirect_stdout(io.StringIO()) as out:
        assert main(["rules"]) == 0
    doc = json.loads(out.getvalue())
    del doc["engine_version"]
    rs = load_ruleset()
    assert ruleset_digest(rs) == sha256(doc)
    with contextlib.redirect_stdout(io.StringIO()) as out:
        assert main(["rules", "--digest"]) == 0
    assert out.getvalue() == ruleset_digest(rs) + "\n"


def test_any_change_to_the_rules_changes_the_digest() -> None:
    rs = load_ruleset()
    q = rs.questions[-1]
    edits = [
        dataclasses.replace(rs, version="9999.1.0"),
        dataclasses.replace(rs, questions=(*rs.questions[:-1], dataclasses.replace(q, text="?"))),
        dataclasses.replace(rs, verdicts=tuple(reversed(rs.verdicts))),
    ]
    digests = {ruleset_digest(rs), *(ruleset_digest(e) for e in edits)}
    assert len(digests) == 1 + len(edits)
