"""The guide's prose must be written afresh, not lifted from the source article.

Every ``docs/**/*.md`` page, and every string of the engine's rule files (which the site shows in
its generated tables and the assessor in its reports), is compared with the source text(s) in ``../shared/source/*.txt``
(relative to the repository root). Both sides are normalised the same way (lower-case, Markdown
syntax and punctuation removed, split into words) and any run of ``RUN`` or more consecutive words
that also occurs in a source text is reported as a failure, with the page and the shared words.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest

RUN = 8
ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SOURCE_DIR = ROOT.parent / "shared" / "source"

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_FENCE = re.compile(r"^(```|~~~).*?^\1\s*$", re.DOTALL | re.MULTILINE)
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_ATTR_LIST = re.compile(r"\{[:#.][^}]*\}")
_ADMONITION = re.compile(r"^\s*(?:!!!|\?\?\?\+?)\s+[\w-]+(?:\s+inline(?:\s+end)?)?", re.MULTILINE)
_ABBREVIATION = re.compile(r"^\*\[([^\]]+)\]:", re.MULTILINE)
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_WORD = re.compile(r"[a-z0-9]+")


def words(text: str, *, markdown: bool = False) -> list[str]:
    """Lower-case words of ``text``; with ``markdown`` the Markdown syntax is dropped first."""
    if markdown:
        text = _COMMENT.sub(" ", text)
        text = _FENCE.sub(" ", text)
        text = _LINK_TARGET.sub("] ", text)
        text = _ATTR_LIST.sub(" ", text)
        text = _ADMONITION.sub(" ", text)
        text = _ABBREVIATION.sub(r"\1 ", text)
        text = _TAG.sub(" ", text)
    # Apostrophes of any shape split words alike, so a curly quote cannot hide a copy.
    return _WORD.findall(text.lower())


def shingles(tokens: list[str], size: int = RUN) -> set[tuple[str, ...]]:
    """Every run of ``size`` consecutive words."""
    return {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


@functools.cache  # the same source is compared with every page and every rule text
def source_shingles(source: str, size: int) -> frozenset[tuple[str, ...]]:
    return frozenset(shingles(words(source), size))


def shared_runs(page: str, source: str, size: int = RUN) -> list[str]:
    """Maximal runs of at least ``size`` words of the Markdown ``page`` that occur in ``source``."""
    source_runs = source_shingles(source, size)
    tokens = words(page, markdown=True)
    hits: list[str] = []
    i = 0
    while i <= len(tokens) - size:
        if tuple(tokens[i : i + size]) in source_runs:
            end = i + size
            while end < len(tokens) and tuple(tokens[end - size + 1 : end + 1]) in source_runs:
                end += 1
            hits.append(" ".join(tokens[i:end]))
            i = end
        else:
            i += 1
    return hits


def _sources() -> str:
    if not SOURCE_DIR.is_dir():
        pytest.skip(f"source text folder {SOURCE_DIR} is absent; nothing to compare against")
    texts = [p.read_text(encoding="utf-8") for p in sorted(SOURCE_DIR.glob("*.txt"))]
    if not texts:
        pytest.skip(f"no *.txt source text in {SOURCE_DIR}")
    return "\n".join(texts)


def _pages() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


def test_no_page_shares_a_long_run_of_words_with_the_source() -> None:
    source = _sources()
    pages = _pages()
    assert pages, f"no Markdown pages under {DOCS}"
    failures = [
        f"{page.relative_to(ROOT)}: “{run}”"
        for page in pages
        for run in shared_runs(page.read_text(encoding="utf-8"), source)
    ]
    assert not failures, f"{len(failures)} run(s) of {RUN}+ words copied from the source:\n" + (
        "\n".join(failures)
    )


def _rule_strings() -> list[tuple[str, str]]:
    """Every string value in the engine's TOML data, with where it comes from."""
    import tomllib

    out: list[tuple[str, str]] = []

    def visit(node: object, where: str) -> None:
        if isinstance(node, str):
            out.append((where, node))
        elif isinstance(node, dict):
            for key, value in node.items():
                visit(value, f"{where}.{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                visit(value, f"{where}[{i}]")

    for path in sorted((ROOT / "engine" / "prodready" / "data").glob("*.toml")):
        visit(tomllib.loads(path.read_text(encoding="utf-8")), path.name)
    return out


def test_no_rule_text_shares_a_long_run_of_words_with_the_source() -> None:
    source = _sources()
    strings = _rule_strings()
    assert len(strings) > 100, "the rule files hold far more text than this"
    failures = [f"{where}: “{run}”" for where, text in strings for run in shared_runs(text, source)]
    assert not failures, f"{len(failures)} rule text(s) copied from the source:\n" + "\n".join(
        failures
    )


def test_detector_flags_a_planted_copy() -> None:
    source = _sources()
    # Take a real sentence from the source and dress it up in Markdown and different punctuation.
    sentence = next(
        line.strip()
        for line in source.splitlines()
        if len(words(line)) >= 2 * RUN and ":" not in line
    )
    planted = (
        "# Heading {#heading}\n\nSome fresh words first.\n\n"
        f'!!! note "Copied"\n    **{sentence.upper().replace(" ", " *", 3)}** [link](x.md#y)\n'
    )
    hits = shared_runs(planted, source)
    assert hits, f"detector missed a planted copy of: {sentence}"
    assert len(hits[0].split()) >= RUN


def test_detector_ignores_short_overlaps_and_markdown() -> None:
    source = "one two three four five six seven eight nine ten"
    # Seven shared words, then a break: below the threshold.
    assert shared_runs("one two three four five six seven and more", source) == []
    # Link targets, attr lists and marker comments are not prose.
    page = (
        "[x](one-two-three-four-five-six-seven-eight.md) {#one-two-three}\n"
        "<!-- prodready:one two three four five six seven eight -->\n"
    )
    assert shared_runs(page, source) == []
    # Punctuation and case do not hide a copy.
    assert shared_runs("One, two; THREE — four: five! six? seven... eight", source) == [
        "one two three four five six seven eight"
    ]
