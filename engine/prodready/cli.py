"""``prodready``: assess an answers file, print the schema, the rules or an example.

Exit status: 0 success; 2 invalid input (bad arguments, unreadable or invalid answers), with a
one-line reason on standard error and never a traceback; 1 an internal error (a bug: please
report it).
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any, NoReturn

from prodready import __version__
from prodready.answers import AnswersError
from prodready.evaluate import assess
from prodready.loader import load_ruleset
from prodready.publish import ruleset_document
from prodready.render import DEFAULT_GUIDE_BASE, to_html, to_markdown
from prodready.report import dumps
from prodready.schema import answers_schema

EXIT_OK, EXIT_INTERNAL, EXIT_INPUT = 0, 1, 2


class InputError(Exception):
    """Bad input from the user: reported in one line with exit status 2."""


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


def read_answers(path: str) -> Any:
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


def _parser() -> _Parser:
    p = _Parser(prog="prodready", description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument(
        "--version",
        action="version",
        version=f"prodready {__version__} (rule set {load_ruleset().version})",
    )
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    a = sub.add_parser("assess", help="assess an answers file (JSON or TOML; - for stdin)")
    a.add_argument("file")
    a.add_argument("--format", choices=("json", "md", "html"), default="json")
    a.add_argument(
        "--date",
        help="assess as on this day (YYYY-MM-DD); default: the file's assessed_on, else today",
    )
    a.add_argument("--output", "-o", help="write here instead of standard output")
    a.add_argument(
        "--guide-base", default=DEFAULT_GUIDE_BASE, help="base URL of the guide for links"
    )
    sub.add_parser("schema", help="print the JSON Schema (2020-12) of the answers document")
    sub.add_parser("rules", help="print the rule set as JSON (used by the site build)")
    e = sub.add_parser("example", help="list the example answer files, or print one")
    e.add_argument("name", nargs="?")
    return p


def run(argv: list[str]) -> tuple[int, str]:
    args = _parser().parse_args(argv)
    rs = load_ruleset()
    if args.command == "schema":
        return EXIT_OK, dumps(answers_schema(rs))
    if args.command == "rules":
        return EXIT_OK, dumps(ruleset_document(rs))
    if args.command == "example":
        return EXIT_OK, example_text(args.name) if args.name else "\n".join(example_names()) + "\n"
    report = assess(read_answers(args.file), rs, on=args.date)
    if args.format == "json":
        text = report.to_json()
    elif args.format == "md":
        text = to_markdown(report, args.guide_base)
    else:
        text = to_html(report, args.guide_base)
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot write {args.output}: {exc.strerror or exc}") from None
        return EXIT_OK, ""
    return EXIT_OK, text


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
    except Exception as exc:  # a bug: say so in one line, never a traceback
        print(f"prodready: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_INTERNAL
    sys.stdout.write(text)
    return status


if __name__ == "__main__":
    sys.exit(main())
