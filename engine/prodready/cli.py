"""``prodready``: assess answers, compare assessments, keep decision records and portfolios.

Exit status: 0 success; 2 invalid input (bad arguments, unreadable or invalid answers, records,
reports or portfolios), with a one-line reason on standard error and never a traceback; 1 a check
that failed (``verify``: the record does not verify; ``diff --exit-code``: something changed), or
an internal error (a bug, reported as "internal error": please report it).
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any, NoReturn

from prodready import __version__
from prodready.answers import AnswersError
from prodready.digest import ruleset_digest
from prodready.documents import DocumentError
from prodready.evaluate import assess
from prodready.loader import load_ruleset
from prodready.model import RuleSet
from prodready.portfolio import PORTFOLIO_FORMAT
from prodready.publish import ruleset_document
from prodready.render import DEFAULT_GUIDE_BASE, to_html, to_markdown
from prodready.report import dumps
from prodready.schema import answers_schema

EXIT_OK, EXIT_INTERNAL, EXIT_INPUT = 0, 1, 2
EXIT_FAILED = 1  # verify: the record does not verify; diff --exit-code: something changed


class InputError(Exception):
    """Bad input from the user: reported in one line with exit status 2."""


class CheckFailed(Exception):
    """A check the user asked for failed: the reason in one line on standard error, exit
    status 1, and ``output`` (e.g. a diff) on standard output."""

    def __init__(self, reason: str, output: str = "") -> None:
        super().__init__(reason)
        self.output = output


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise InputError(message)


def example_names() -> list[str]:
    base = resources.files("prodready") / "examples"
    return sorted(p.name.removesuffix(".json") for p in base.iterdir() if p.name.endswith(".json"))


def example_text(name: str) -> str:
    if name not in example_names():
        raise InputError(f"no example {name!r}; available: {', '.join(example_names())}")
    return (resources.files("prodready") / "examples" / f"{name}.json").read_text(encoding="utf-8")


def read_document(path: str) -> Any:
    """A JSON or TOML file (``-``: standard input), parsed; InputError in one line."""
    try:
        raw = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    is_toml = path.endswith(".toml") or (path == "-" and not text.lstrip().startswith("{"))
    try:
        return tomllib.loads(text) if is_toml else json.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: not valid TOML: {exc}") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not valid JSON: {exc.msg} at line {exc.lineno}") from None
    except RecursionError:
        raise InputError(f"{path}: nested too deeply") from None
    except ValueError as exc:  # e.g. an integer too long to convert
        raise InputError(f"{path}: unreadable value: {exc}") from None


def _output_options(p: argparse.ArgumentParser, formats: tuple[str, ...]) -> None:
    p.add_argument("--format", choices=formats, default=formats[0])
    p.add_argument("--output", "-o", help="write here instead of standard output")


def _guide_base(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--guide-base", default=DEFAULT_GUIDE_BASE, help="base URL of the guide for links"
    )


def _date(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument(
        "--date", help=f"{what} (YYYY-MM-DD); default: the file's assessed_on, else today"
    )


@functools.cache  # made once per process: run() may be called many times (tests, tools)
def _parser() -> _Parser:
    p = _Parser(prog="prodready", description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument(
        "--version",
        action="version",
        version=f"prodready {__version__} (rule set {load_ruleset().version})",
    )
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    a = sub.add_parser(
        "assess",
        help="assess an answers file (JSON or TOML; - for stdin); several files or a portfolio "
        "give the portfolio table",
    )
    a.add_argument("file", nargs="+")
    _output_options(a, ("json", "md", "html"))
    _date(a, "assess as on this day")
    _guide_base(a)
    sub.add_parser("schema", help="print the JSON Schema (2020-12) of the answers document")
    r = sub.add_parser("rules", help="print the rule set as JSON (used by the site build)")
    r.add_argument("--digest", action="store_true", help="print only the rule set's digest")
    e = sub.add_parser("example", help="list the example answer files, or print one")
    e.add_argument("name", nargs="?")
    pf = sub.add_parser(
        "portfolio", help="write a portfolio file from answers files, reports and portfolios"
    )
    pf.add_argument("file", nargs="+")
    pf.add_argument("--output", "-o", help="write here instead of standard output")
    _date(pf, "date for answers files without one")
    d = sub.add_parser("diff", help="what changed between two assessments (answers or reports)")
    d.add_argument("old")
    d.add_argument("new")
    _output_options(d, ("json", "md", "html"))
    d.add_argument(
        "--exit-code", action="store_true", help="exit with 1 if anything changed, else 0"
    )
    rec = sub.add_parser("record", help="make a decision record from an answers file or a record")
    rec.add_argument("file")
    _date(rec, "assess as on this day")
    rec.add_argument(
        "--justification",
        "-j",
        action="append",
        default=[],
        metavar="KEY=TEXT",
        help="a justification: KEY is a rule id of the report, a question, a capability or "
        "'general' (repeatable)",
    )
    rec.add_argument(
        "--sign-off",
        "-s",
        action="append",
        default=[],
        metavar="NAME|ROLE|YYYY-MM-DD",
        help="a sign-off entry (repeatable)",
    )
    _output_options(rec, ("json", "md", "html"))
    _guide_base(rec)
    rr = sub.add_parser("render-record", help="a decision record as Markdown or HTML to print")
    rr.add_argument("file")
    _output_options(rr, ("md", "html"))
    _guide_base(rr)
    v = sub.add_parser("verify", help="check a decision record (exit 0 verified, 1 not)")
    v.add_argument("file")
    v.add_argument(
        "--format", choices=("md", "json"), default="md", help="format of the diff, if any"
    )
    return p


def run(argv: list[str]) -> tuple[int, str]:
    args = _parser().parse_args(argv)
    rs = load_ruleset()
    match args.command:
        case "schema":
            return EXIT_OK, dumps(answers_schema(rs))
        case "rules":
            return EXIT_OK, ruleset_digest(rs) + "\n" if args.digest else dumps(
                ruleset_document(rs)
            )
        case "example":
            names = "\n".join(example_names()) + "\n"
            return EXIT_OK, example_text(args.name) if args.name else names
        case "assess":
            return EXIT_OK, _emit(_assess(args, rs), args.output)
        case _:
            from prodready.cli_tracking import COMMANDS

            status, text = COMMANDS[args.command](args, rs)
            return status, _emit(text, getattr(args, "output", None))


def _assess(args: argparse.Namespace, rs: RuleSet) -> str:
    if len(args.file) == 1:
        doc = read_document(args.file[0])
        if not (isinstance(doc, dict) and doc.get("format") == PORTFOLIO_FORMAT):
            report = assess(doc, rs, on=args.date)
            if args.format == "json":
                return report.to_json()
            render = to_markdown if args.format == "md" else to_html
            return render(report, args.guide_base)
    from prodready.cli_tracking import portfolio_table

    return portfolio_table(args, rs)


def _emit(text: str, output: str | None) -> str:
    """What to print: ``text``, or nothing once it is written to ``output``."""
    if not output:
        return text
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {output}: {exc.strerror or exc}") from None
    return ""


def main(argv: list[str] | None = None) -> int:
    try:
        status, text = run(sys.argv[1:] if argv is None else argv)
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0)
    except InputError as exc:
        print(f"prodready: error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except AnswersError as exc:
        print(f"prodready: invalid answers: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except DocumentError as exc:
        print(f"prodready: error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except CheckFailed as exc:
        sys.stdout.write(exc.output)
        print(f"prodready: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except Exception as exc:  # a bug: say so in one line, never a traceback
        print(f"prodready: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_INTERNAL
    sys.stdout.write(text)
    return status


if __name__ == "__main__":
    sys.exit(main())
