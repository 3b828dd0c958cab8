"""MkDocs hooks for the ProdReady site (wired in mkdocs.yml under `hooks:`).

`mkdocs serve --livereload` injects an inline `<script>` into every page it serves. The site's
Content-Security-Policy forbids inline scripts, so `overrides/main.html` adds `'unsafe-inline'` to
script-src when, and only when, the site is built by `mkdocs serve` (`config.extra.serve_mode`).
`mkdocs build` and `mike deploy` never relax the policy.
"""

from __future__ import annotations

from typing import Any, Literal

_state: dict[str, str] = {"command": "build"}


def on_startup(*, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
    _state["command"] = command


def on_config(config: Any) -> Any:
    config.extra["serve_mode"] = _state["command"] == "serve"
    return config
