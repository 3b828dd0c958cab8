"""MkDocs hooks for the ProdReady site (wired in mkdocs.yml under `hooks:`).

* Serve mode: `mkdocs serve --livereload` injects an inline `<script>` into every page it serves.
  The site's Content-Security-Policy forbids inline scripts, so `overrides/main.html` adds
  `'unsafe-inline'` to script-src when, and only when, the site is built by `mkdocs serve`
  (`config.extra.serve_mode`). `mkdocs build` and `mike deploy` never relax the policy.
* JSON-LD placement: structured data emitted inside the page content (the FAQPage block from the
  Markdown extension) is moved into `<head>`. Inside the content, Material's instant navigation
  would re-create it as an untyped, executable `<script>`, which the policy then blocks (console
  error); in `<head>` it is swapped between pages as inert data.
"""

from __future__ import annotations

import re
from typing import Any, Literal

_state: dict[str, str] = {"command": "build"}

_JSON_LD = re.compile(
    r'[ \t]*<script type="application/ld\+json">.*?</script>[ \t]*\n?', re.DOTALL | re.IGNORECASE
)


def on_startup(*, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
    _state["command"] = command


def on_config(config: Any) -> Any:
    config.extra["serve_mode"] = _state["command"] == "serve"
    return config


def move_json_ld_to_head(html: str) -> str:
    """Move every `<script type="application/ld+json">` found after `</head>` into the head."""
    head_end = html.find("</head>")
    if head_end < 0:
        return html
    head, body = html[:head_end], html[head_end:]
    blocks = [match.group(0).strip() for match in _JSON_LD.finditer(body)]
    if not blocks:
        return html
    body = _JSON_LD.sub("", body)
    return head + "".join(f"  {block}\n" for block in blocks) + body


def on_post_page(output: str, *, page: Any, config: Any) -> str:
    return move_json_ld_to_head(output)
