"""Small HTML inspection helpers built on the standard library's parser."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

# <script type> values browsers do not execute: data blocks.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "importmap-data"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open_script: Element | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.elements.append(element)
        if tag in {"script", "style"}:
            self._open_script = element

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"}:
            self._open_script = None

    def handle_data(self, data: str) -> None:
        if self._open_script is not None:
            self._open_script.text += data


def parse(html: str) -> list[Element]:
    """Every start tag in document order, with attributes and (for script/style) contents."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.elements


def is_executable_script(element: Element) -> bool:
    kind = element.attrs.get("type", "").split(";")[0].strip().lower()
    return element.tag == "script" and kind not in DATA_SCRIPT_TYPES
