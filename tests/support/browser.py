"""A page that records its activity (console, errors, requests) for the browser tests."""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import ConsoleMessage, Page, Request


@dataclass
class PageLog:
    """Everything a page did that tests assert on, gathered from Playwright events."""

    console_errors: list[str] = field(default_factory=list)
    console_messages: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> PageLog:
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("request", self._on_request)
        page.on("requestfailed", self._on_request_failed)
        return self

    def _on_console(self, message: ConsoleMessage) -> None:
        text = f"{message.type}: {message.text} ({_location(message)})"
        self.console_messages.append(text)
        if message.type == "error":
            self.console_errors.append(text)

    def _on_request(self, request: Request) -> None:
        self.requests.append(request.url)

    def _on_request_failed(self, request: Request) -> None:
        self.failed_requests.append(f"{request.url}: {request.failure}")

    def foreign_requests(self, base_url: str) -> list[str]:
        """Requests to any origin other than `base_url`'s (data: and blob: URLs are local)."""
        own = _origin(base_url)
        return [
            url
            for url in self.requests
            if urllib.parse.urlsplit(url).scheme not in {"data", "blob", "about"}
            and _origin(url) != own
        ]

    def errors(self) -> list[str]:
        """Console errors and uncaught exceptions together."""
        return [*self.console_errors, *(f"pageerror: {e}" for e in self.page_errors)]

    def clear(self) -> None:
        for items in (
            self.console_errors,
            self.console_messages,
            self.page_errors,
            self.requests,
            self.failed_requests,
        ):
            items.clear()


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _location(message: ConsoleMessage) -> str:
    location: dict[str, Any] = dict(message.location or {})
    return f"{location.get('url', '?')}:{location.get('lineNumber', '?')}"
