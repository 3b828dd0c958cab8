"""FAQPage structured data (schema.org JSON-LD) built from the FAQ page's Markdown source.

Each question on the FAQ page is a collapsible block, written as

    ??? question "Does a prototype with ten users need an SLO?"
        Answer paragraphs, indented by four spaces.

(`???+` opens the block by default; the type may carry extra classes). `faq_jsonld` finds those
blocks, renders each answer with Python-Markdown and reduces it to plain text.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import markdown

_QUESTION = re.compile(r'^\?\?\?\+?\s+question(?:\s+[\w-]+)*\s+"(?P<title>(?:[^"\\]|\\.)*)"\s*$')
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_SPACE = re.compile(r"\s+")


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"p", "li", "br", "tr", "div"}:
            self.parts.append(" ")


def _plain_text(markdown_text: str) -> str:
    html = markdown.markdown(_COMMENT.sub("", markdown_text), extensions=["tables", "attr_list"])
    parser = _TextOnly()
    parser.feed(html)
    parser.close()
    return _SPACE.sub(" ", "".join(parser.parts)).strip()


def faq_questions(markdown_text: str) -> list[tuple[str, str]]:
    """Return (question, plain-text answer) pairs for every `??? question "…"` block."""
    lines = markdown_text.splitlines()
    pairs: list[tuple[str, str]] = []
    i = 0
    while i < len(lines):
        match = _QUESTION.match(lines[i])
        i += 1
        if not match:
            continue
        body: list[str] = []
        while i < len(lines) and (not lines[i].strip() or lines[i].startswith(("    ", "\t"))):
            line = lines[i]
            body.append(line[1:] if line.startswith("\t") else line[4:])
            i += 1
        question = re.sub(r"\\(.)", r"\1", match["title"]).strip()
        answer = _plain_text("\n".join(body))
        if question and answer:
            pairs.append((question, answer))
    return pairs


def faq_jsonld(markdown_text: str) -> str:
    """Return a `<script type="application/ld+json">` element for the page, or "" if no FAQ.

    The JSON is escaped so that it cannot close the script element early.
    """
    pairs = faq_questions(markdown_text)
    if not pairs:
        return ""
    data = {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": question,
                "acceptedAnswer": {"@type": "Answer", "text": answer},
            }
            for question, answer in pairs
        ],
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return f'<script type="application/ld+json">{text}</script>'
