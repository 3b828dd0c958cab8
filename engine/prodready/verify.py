"""Checking a decision record (:mod:`prodready.record`), and amending an intact one.

:func:`verify` checks, in order: that the document is a record at all (else DocumentError), its
digest, its structure, that this engine holds the rule set it was made under, that assessing its
answers again gives its report (the engine version aside), and that it is complete.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from prodready import __version__
from prodready.answers import AnswersError
from prodready.diff import Assessment, Diff, diff
from prodready.digest import DIGEST, CanonicalError, canonical, ruleset_digest, sha256
from prodready.documents import DocumentError
from prodready.evaluate import assess
from prodready.model import RuleSet
from prodready.record import (
    Record,
    RecordError,
    check_format,
    make_record,
    missing_justifications,
    prompt,
    read_record,
)
from prodready.report import Report


class Status(StrEnum):
    VERIFIED = "verified"
    TAMPERED = "tampered"  # the digest does not match the contents
    DAMAGED = "damaged"  # the digest matches, but the contents are not a well-formed record
    OTHER_RULESET = "other_ruleset"  # made under a rule set this engine does not hold
    MISMATCH = "mismatch"  # re-assessing the answers does not give the recorded report
    INCOMPLETE = "incomplete"  # a justification the record needs is missing


@dataclass(frozen=True, slots=True)
class Verification:
    status: Status
    reason: str  # one line
    record: Record | None = None
    # For OTHER_RULESET and MISMATCH: the recorded report against the current rules' report.
    current: Report | None = None

    @property
    def ok(self) -> bool:
        return self.status is Status.VERIFIED


def _seal_status(doc: dict[str, Any]) -> Verification | None:
    """TAMPERED or DAMAGED if the digest is missing or does not match, else None."""
    digest = doc.get("digest")
    if not isinstance(digest, str) or not DIGEST.match(digest):
        return Verification(Status.DAMAGED, "the record has no valid digest (sha256:<64 hex>)")
    try:
        actual = sha256({k: v for k, v in doc.items() if k != "digest"})
    except CanonicalError as exc:
        return Verification(Status.DAMAGED, f"the record cannot be digested: {exc}")
    if actual != digest:
        return Verification(
            Status.TAMPERED,
            f"digest mismatch: the record was changed after it was made "
            f"(it says {digest}, its contents give {actual})",
        )
    return None


def _same_report(recorded: Report, fresh: Report) -> str | None:
    """None if equal (the engine version aside), else the first key that differs."""
    a, b = recorded.to_dict(), fresh.to_dict()
    for key in sorted((set(a) | set(b)) - {"engine_version"}):
        if canonical(a.get(key)) != canonical(b.get(key)):
            return key
    return None


def _against_current_rules(record: Record, rs: RuleSet) -> Verification:
    made = f"rule set {record.ruleset_version} ({record.ruleset_digest})"
    current = f"rule set {rs.version} ({ruleset_digest(rs)})"
    other = (record.ruleset_version, record.ruleset_digest) != (rs.version, ruleset_digest(rs))
    try:
        fresh = assess(record.answers, rs)
    except AnswersError as exc:
        if other:
            reason = f"made under {made}, which this engine does not hold; its answers are not "
            reason += f"valid under the current {current}: {exc}"
            return Verification(Status.OTHER_RULESET, reason, record)
        reason = f"the recorded answers are not valid: {exc}"
        return Verification(Status.MISMATCH, reason, record)
    if other:
        return Verification(
            Status.OTHER_RULESET,
            f"made under {made}, not the current {current}: it cannot be re-assessed as it "
            "was made; the diff shows what the current rules give",
            record,
            fresh,
        )
    differs = _same_report(record.report, fresh)
    if differs is not None:
        return Verification(
            Status.MISMATCH,
            "re-assessing the recorded answers does not give the recorded report "
            f"(it differs in {differs!r})",
            record,
            fresh,
        )
    return Verification(Status.VERIFIED, "", record)


def verification_diff(v: Verification, rs: RuleSet) -> Diff | None:
    """For a record made under another rule set, or whose report the answers no longer give:
    the recorded report against what the current rules give."""
    if v.record is None or v.current is None:
        return None
    recorded = Assessment("record", v.record.report, v.record.ruleset_digest)
    return diff(recorded, Assessment("answers", v.current, ruleset_digest(rs)), rs)


def verify(doc: Any, rs: RuleSet) -> Verification:
    """Check a parsed record. DocumentError if it is not a record at all."""
    record_doc = check_format(doc)
    seal = _seal_status(record_doc)
    if seal is not None:
        return seal
    try:
        record = read_record(record_doc)
    except DocumentError as exc:
        return Verification(Status.DAMAGED, f"the digest matches, but {exc}")
    checked = _against_current_rules(record, rs)
    if not checked.ok:
        return checked
    missing = missing_justifications(record.report, record.justifications)
    if missing:
        return Verification(Status.INCOMPLETE, f"incomplete: {prompt(missing[0])}", record)
    name = record.report.initiative or "untitled initiative"
    same_engine = record.engine_version == __version__
    engine = "" if same_engine else f", made by engine {record.engine_version}"
    return Verification(
        Status.VERIFIED,
        f"verified: {name}, assessed on {record.assessed_on}, "
        f"verdict {record.report.verdict.id}, rule set {record.ruleset_version}{engine}",
        record,
    )


def amend(
    doc: Any,
    rs: RuleSet,
    *,
    on: str | None = None,
    justifications: Mapping[str, Any] | None = None,
    sign_offs: Sequence[Any] = (),
) -> Record:
    """A new record from an intact record: its answers assessed again (under ``rs``), its
    justifications (``justifications`` adding or replacing some) and its sign-offs, then
    ``sign_offs``. A record that does not match its digest is refused."""
    record = check_format(doc)
    outcome = _seal_status(record)
    if outcome is not None:
        raise RecordError(f"record: {outcome.reason}")
    old = read_record(record)
    notes = {**old.justifications, **(justifications or {})}
    signed = [dataclasses.asdict(s) for s in old.sign_offs] + list(sign_offs)
    return make_record(
        old.answers, rs, on=on or old.assessed_on, justifications=notes, sign_offs=signed
    )
