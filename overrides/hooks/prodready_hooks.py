"""MkDocs hooks for the ProdReady site (wired in mkdocs.yml under `hooks:`).

* `serve_mode`: `mkdocs serve --livereload` injects an inline `<script>` into every page it serves.
  The Content-Security-Policy forbids inline scripts, so the templates add `'unsafe-inline'` to
  script-src when (and only when) the site is built by `mkdocs serve`.
* `faq_jsonld` Jinja filter: turns a page's Markdown source into FAQPage JSON-LD (see
  `prodready_site.faq`); `overrides/main.html` applies it to pages whose front matter sets
  `faq_jsonld: true` and to `faq.md`.
"""

from __future__ import annotations

from typing import Any, Literal

from markupsafe import Markup

from prodready_site.faq import faq_jsonld

_state: dict[str, str] = {"command": "build"}


def on_startup(*, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
    _state["command"] = command


def on_config(config: Any) -> Any:
    config.extra["serve_mode"] = _state["command"] == "serve"
    return config


def _faq_jsonld_filter(markdown_text: str) -> Markup:
    # faq_jsonld already escapes "<", ">" and "&" inside the JSON, so it is safe in <script>.
    return Markup(faq_jsonld(markdown_text))  # noqa: S704


def on_env(env: Any, config: Any, files: Any) -> Any:
    env.filters["faq_jsonld"] = _faq_jsonld_filter
    return env
