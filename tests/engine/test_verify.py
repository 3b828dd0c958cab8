"""Verifying decision records: a record changed in any one byte, edited and re-digested,
damaged, made under another rule set (reported with its diff) or incomplete does not verify, each
with its reason; an intact record can be amended; a record is signed and checked with ssh-keygen."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from engine_cases import BASE, example
from test_record import SIGN_OFF, derogated_example, needed, record_of, redigest

from prodready import load_ruleset
from prodready.digest import ruleset_digest
from prodready.documents import DocumentError
from prodready.record import RecordError, make_record
from prodready.verify import Status, amend, verify

RS = load_ruleset()


def test_a_record_without_the_justification_is_incomplete() -> None:
    doc = derogated_example()
    rec = record_of(doc)
    rec["justifications"] = {}
    v = verify(redigest(rec), RS)
    assert v.status is Status.INCOMPLETE
    assert "which condition applies" in v.reason


# --- a changed record does not verify -----------------------------------------------------------


def record_bytes() -> bytes:
    doc = derogated_example()
    notes = {**needed(doc), "general": "Signed off at the AI board."}
    made = make_record(doc, RS, justifications=notes, sign_offs=[SIGN_OFF])
    return made.to_json().encode("utf-8")


def positions(data: bytes) -> dict[str, int]:
    """Byte positions to change, inside each part of a record."""
    text = data.decode("utf-8")

    def inside(key: str, after: str) -> int:
        """The position of the first character after ``after``, itself after ``key``."""
        start = text.index(f'"{key}"')
        return len(text[: text.index(after, start) + len(after)].encode("utf-8"))

    return {
        "report verdict": inside("verdict", '"id": "'),
        "report score": inside("score", '"score": '),
        "answers": inside("answers", '"model_outputs": "'),
        "digest": inside("digest", '"sha256:') + 10,
        "ruleset digest": inside("ruleset_digest", '"sha256:') + 10,
        "justification": inside("justifications", '"Signed'),
        "sign-off": inside("sign_offs", '"Ana'),
        "a key": inside("engine_version", '"engine'),
    }


@pytest.mark.parametrize(
    "part",
    [
        "report verdict",
        "report score",
        "answers",
        "digest",
        "ruleset digest",
        "justification",
        "sign-off",
        "a key",
    ],
)
def test_one_changed_byte_fails_with_a_reason(part: str) -> None:
    data = bytearray(record_bytes())
    at = positions(bytes(data))[part]
    original = data[at]
    # Another byte that keeps the file JSON: a digit for a digit, a letter for a letter.
    others = b"123" if chr(original).isdigit() else b"aeq"
    for replacement in set(others) - {original}:
        data[at] = replacement
        doc = json.loads(bytes(data))
        v = verify(doc, RS)
        assert not v.ok, (part, chr(original), chr(replacement))
        assert v.status in (Status.TAMPERED, Status.DAMAGED)
        assert v.reason
        assert "\n" not in v.reason
    assert verify(json.loads(record_bytes()), RS).ok


def test_tampering_is_named() -> None:
    rec = record_of(example("credit-scoring"))
    rec["report"]["verdict"]["id"] = "experimentation_acceptable"
    v = verify(rec, RS)
    assert v.status is Status.TAMPERED
    assert v.reason.startswith("digest mismatch")


def test_an_edited_and_redigested_report_does_not_match_the_answers() -> None:
    rec = record_of(example("credit-scoring"))
    rec["report"]["actions"] = rec["report"]["actions"][1:]
    v = verify(redigest(rec), RS)
    assert v.status is Status.MISMATCH
    assert "'actions'" in v.reason
    assert v.current is not None


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda r: r.pop("sign_offs"), "'sign_offs' is missing"),
        (lambda r: r.update(extra=1), "unknown key 'extra'"),
        (lambda r: r.update(assessed_on="2020-01-01"), "assessed_on: is not the report's"),
        (lambda r: r.update(ruleset_version="1.0"), "ruleset_version: is not the report's"),
        (lambda r: r["report"].update(verdict=3), "report.verdict: expected an object"),
        (lambda r: r.update(justifications=[]), "expected an object of texts"),
    ],
)
def test_a_damaged_record_says_where(edit: Any, message: str) -> None:
    rec = record_of(example("credit-scoring"))
    edit(rec)
    v = verify(redigest(rec), RS)
    assert v.status is Status.DAMAGED
    assert message in v.reason


@pytest.mark.parametrize("digest", [None, 3, "sha256:XYZ", "md5:" + "0" * 32])
def test_a_record_without_a_valid_digest_is_damaged(digest: Any) -> None:
    rec = record_of(example("credit-scoring"))
    rec["digest"] = digest
    assert verify(rec, RS).status is Status.DAMAGED


@pytest.mark.parametrize(
    "doc",
    [
        None,
        [],
        "text",
        {},
        BASE,
        {"format": "prodready.report/2"},
        {"format": "prodready.record/2"},
    ],
)
def test_not_a_record(doc: Any) -> None:
    with pytest.raises(DocumentError):
        verify(doc, RS)


# --- another rule set -------------------------------------------------------------------------


def under_older_rules(rec: dict[str, Any]) -> dict[str, Any]:
    """The record as an older rule set would have made it: no older rule set ships, so its
    version and digest are edited and the record digested again."""
    old = copy_of(rec)
    old["ruleset_version"] = old["report"]["ruleset_version"] = "2026.9.0"
    old["ruleset_digest"] = "sha256:" + "ab" * 32
    old["report"]["fired"] = old["report"]["fired"][1:]
    return redigest(old)


def copy_of(doc: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = json.loads(json.dumps(doc))
    return out


def test_a_record_of_an_older_rule_set_is_reported_with_its_diff() -> None:
    from prodready.diff import Assessment, diff
    from prodready.documents import report_from_dict

    rec = under_older_rules(record_of(example("credit-scoring")))
    v = verify(rec, RS)
    assert v.status is Status.OTHER_RULESET
    assert "2026.9.0" in v.reason
    assert RS.version in v.reason
    assert v.current is not None
    d = diff(
        Assessment("record", report_from_dict(rec["report"])), Assessment("answers", v.current), RS
    )
    assert [s.cause for s in d.steps] == ["rules", "answers"]
    assert {i.id for i in d.steps[0].changes.rules.added} == {
        record_of(example("credit-scoring"))["report"]["fired"][0]["id"]
    }
    assert d.steps[1].changes.empty


def test_the_same_version_with_other_rules_is_another_rule_set() -> None:
    rec = record_of(example("credit-scoring"))
    rec["ruleset_digest"] = "sha256:" + "0" * 64
    v = verify(redigest(rec), RS)
    assert v.status is Status.OTHER_RULESET
    assert "sha256:" + "0" * 64 in v.reason


def test_a_changed_rule_changes_the_rule_set_digest() -> None:
    first = RS.rules[0]
    changed = dataclasses.replace(
        RS, rules=(dataclasses.replace(first, title="Edited"), *RS.rules[1:])
    )
    assert ruleset_digest(changed) != ruleset_digest(RS)
    rec = record_of(example("credit-scoring"))
    assert verify(rec, changed).status is Status.OTHER_RULESET


# --- amending ---------------------------------------------------------------------------------


def test_amending_adds_sign_offs_and_keeps_the_rest() -> None:
    doc = derogated_example()
    rec = record_of(doc)
    later = {"name": "Bo Li", "role": "Data protection officer", "date": "2026-12-09"}
    again = json.loads(amend(rec, RS, sign_offs=[later]).to_json())
    assert again["sign_offs"] == [SIGN_OFF, later]
    assert again["justifications"] == rec["justifications"]
    assert again["report"] == rec["report"]
    assert again["digest"] != rec["digest"]
    assert verify(again, RS).ok


def test_a_tampered_record_is_not_amended() -> None:
    rec = record_of(example("credit-scoring"))
    rec["answers"]["name"] = "Forged"
    with pytest.raises(RecordError, match="digest mismatch"):
        amend(rec, RS)


# --- signing with standard tools -------------------------------------------------------------


def test_a_record_is_signed_and_checked_with_ssh_keygen(tmp_path: Path) -> None:
    keygen = shutil.which("ssh-keygen")
    if keygen is None:
        pytest.skip("ssh-keygen (OpenSSH) is not installed on this machine")

    def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [keygen, *args], input=stdin, capture_output=True, check=False, timeout=60
        )

    key = tmp_path / "signer"
    assert (
        run("-q", "-t", "ed25519", "-N", "", "-C", "ana@example.com", "-f", str(key)).returncode
        == 0
    )
    record = tmp_path / "record.json"
    record.write_bytes(record_bytes())
    signed = run("-Y", "sign", "-f", str(key), "-n", "prodready-record", str(record))
    assert signed.returncode == 0, signed.stderr
    signature = tmp_path / "record.json.sig"
    assert signature.read_bytes().startswith(b"-----BEGIN SSH SIGNATURE-----")
    public = (tmp_path / "signer.pub").read_text(encoding="utf-8").strip()
    allowed = tmp_path / "allowed_signers"
    allowed.write_text(
        f'ana@example.com namespaces="prodready-record" {public}\n', encoding="utf-8"
    )

    def check(data: bytes, namespace: str = "prodready-record") -> int:
        args = ("-Y", "verify", "-f", str(allowed), "-I", "ana@example.com", "-n", namespace)
        return run(*args, "-s", str(signature), stdin=data).returncode

    assert check(record.read_bytes()) == 0
    assert verify(json.loads(record.read_bytes()), RS).ok
    tampered = bytearray(record.read_bytes())
    tampered[tampered.index(b'"Signed') + 3] ^= 0x01
    assert check(bytes(tampered)) != 0
    assert check(record.read_bytes(), namespace="file") != 0  # signed for records only
