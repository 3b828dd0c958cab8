"""The CLI's commands for tracking initiatives: the portfolio table and file, diff, decision
records (make, render, verify). Each takes the parsed arguments and the rule set and returns
(exit status, text to print); a failed check raises :class:`prodready.cli.CheckFailed`."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from prodready.cli import EXIT_FAILED, EXIT_OK, CheckFailed, InputError, read_document
from prodready.diff import diff_documents
from prodready.model import RuleSet
from prodready.portfolio import Portfolio, from_document, merge, table
from prodready.record import RecordError, is_record, make_record
from prodready.render_diff import diff_text
from prodready.render_portfolio import table_text
from prodready.render_record import record_text
from prodready.verify import Status, amend, verification_diff, verify

type Command = Callable[[argparse.Namespace, RuleSet], tuple[int, str]]


def _portfolio(files: list[str], rs: RuleSet, on: str | None) -> Portfolio:
    parts = [
        from_document(read_document(f), rs, name=Path(f).stem or f, what=f, on=on) for f in files
    ]
    return merge(*parts)


def portfolio_table(args: argparse.Namespace, rs: RuleSet) -> str:
    return table_text(table(_portfolio(args.file, rs, args.date), rs, on=args.date), args.format)


def portfolio(args: argparse.Namespace, rs: RuleSet) -> tuple[int, str]:
    return EXIT_OK, _portfolio(args.file, rs, args.date).to_json()


def diff_command(args: argparse.Namespace, rs: RuleSet) -> tuple[int, str]:
    d = diff_documents(read_document(args.old), read_document(args.new), rs)
    status = EXIT_FAILED if args.exit_code and d.changed else EXIT_OK
    return status, diff_text(d, rs, args.format)


def _justifications(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        if not sep or not key:
            raise InputError(f"--justification {pair!r}: expected KEY=TEXT")
        out[key.strip()] = text
    return out


def _sign_offs(entries: list[str]) -> list[dict[str, Any]]:
    out = []
    for entry in entries:
        parts = entry.split("|")
        if len(parts) != 3:
            raise InputError(f"--sign-off {entry!r}: expected NAME|ROLE|YYYY-MM-DD")
        out.append(dict(zip(("name", "role", "date"), (p.strip() for p in parts), strict=True)))
    return out


def record(args: argparse.Namespace, rs: RuleSet) -> tuple[int, str]:
    doc = read_document(args.file)
    notes, signed = _justifications(args.justification), _sign_offs(args.sign_off)
    maker = amend if is_record(doc) else make_record
    try:
        r = maker(doc, rs, on=args.date, justifications=notes, sign_offs=signed)
    except RecordError as exc:
        raise InputError(f"{exc} (--justification KEY=TEXT, --sign-off NAME|ROLE|DATE)") from None
    return EXIT_OK, record_text(r, rs, args.format, args.guide_base)


def render_record(args: argparse.Namespace, rs: RuleSet) -> tuple[int, str]:
    v = verify(read_document(args.file), rs)
    if v.status in (Status.TAMPERED, Status.DAMAGED) or v.record is None:
        raise CheckFailed(f"{args.file}: not rendered: {v.reason}")
    return EXIT_OK, record_text(v.record, rs, args.format, args.guide_base)


def verify_command(args: argparse.Namespace, rs: RuleSet) -> tuple[int, str]:
    v = verify(read_document(args.file), rs)
    if v.ok:
        return EXIT_OK, f"{args.file}: {v.reason}\n"
    d = verification_diff(v, rs)
    shown = diff_text(d, rs, args.format) if d else ""
    raise CheckFailed(f"{args.file}: {v.reason}", shown)


COMMANDS: dict[str, Command] = {
    "portfolio": portfolio,
    "diff": diff_command,
    "record": record,
    "render-record": render_record,
    "verify": verify_command,
}
