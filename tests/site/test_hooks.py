"""The MkDocs hooks module (engine/prodready_site/hooks.py) on small, hand-written pages.

The built site is checked in test_build.py; these cases pin the edges a real build does not show.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from prodready_site import hooks

pytestmark = pytest.mark.site


CSP = '<meta http-equiv="Content-Security-Policy" content="script-src \'self\'">'


def page(head: str, body: str) -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def test_a_page_without_a_meta_policy_is_left_alone(tmp_path: Path) -> None:
    html = page("", '<script src="b/javascripts/bundle.1.js"></script><script src="x.js"></script>')
    assert hooks.preload_late_scripts(html, "index.html", tmp_path) == html


def test_only_scripts_after_the_bundle_and_their_imports_are_announced(tmp_path: Path) -> None:
    js = tmp_path / "assets" / "js"
    (js / "lib").mkdir(parents=True)
    (js / "app.mjs").write_text('import { a } from "./lib/a.mjs";\nimport "../../shared.mjs";\n')
    (js / "lib" / "a.mjs").write_text('import { b } from "./b.mjs";\nexport const a = 1;\n')
    (js / "lib" / "b.mjs").write_text("export const b = 2;\n")
    html = page(
        CSP + '<script src="../assets/js/early.js"></script>',
        '<script src="../assets/javascripts/bundle.1.js"></script>'
        '<script src="../assets/js/late.js"></script>'
        '<script type="module" src="../assets/js/app.mjs"></script>',
    )
    out = hooks.preload_late_scripts(html, "guide/index.html", tmp_path)
    head = out[: out.index(CSP)]
    assert head.count("<link") == 5, head
    assert '<link rel="preload" href="../assets/js/late.js" as="script">' in head
    assert '<link rel="modulepreload" href="../assets/js/app.mjs">' in head
    # Resolved against the importing module's URL, as a browser resolves them.
    assert '<link rel="modulepreload" href="../assets/js/lib/a.mjs">' in head
    assert '<link rel="modulepreload" href="../assets/js/lib/b.mjs">' in head
    # An import with no source under docs/ is announced but not read further.
    assert '<link rel="modulepreload" href="../shared.mjs">' in head
    assert "early.js" not in head
    assert "bundle" not in head
    assert out[out.index(CSP) :] == html[html.index(CSP) :]  # the rest is untouched


def test_a_script_already_preloaded_is_not_announced_twice(tmp_path: Path) -> None:
    html = page(
        CSP + '<link rel="modulepreload" href="/assets/js/app.mjs">',
        '<script src="/assets/javascripts/bundle.1.js"></script>'
        '<script type="module" src="/assets/js/app.mjs"></script>',
    )
    assert hooks.preload_late_scripts(html, "404.html", tmp_path) == html


@pytest.mark.parametrize(
    ("css", "kept"),
    [
        # As the theme writes it: one rule, three selectors on the mark.
        (
            "a{b:1}[data-md-color-switching] *,[data-md-color-switching] :after,"
            "[data-md-color-switching] :before{transition-duration:0s!important}c{d:2}",
            "a{b:1}c{d:2}",
        ),
        # A selector list that also names other elements: the whole rule goes, not half of it.
        (".x,[data-md-color-switching] p{e:0}.y{f:1}", ".y{f:1}"),
        # Inside an at-rule: the at-rule and its other rules stay.
        ("@media print{[data-md-color-switching] *{e:0}a{b:1}}", "@media print{a{b:1}}"),
        # Nothing to do.
        ("a{b:1}[data-md-color-scheme=slate]{c:2}", "a{b:1}[data-md-color-scheme=slate]{c:2}"),
    ],
)
def test_the_switching_rule_is_blanked_with_spaces(css: str, kept: str) -> None:
    lean = hooks.drop_switching_rule(css)
    assert len(lean) == len(css)
    assert lean.replace(" ", "") == kept.replace(" ", "")


def test_the_search_worker_is_pointed_at_the_on_demand_wrapper() -> None:
    config = (
        '<script id="__config" type="application/json">{"base": "..", "features": [], '
        '"search": "../assets/javascripts/workers/search.a7633da7.min.js"}</script>'
    )
    html = page("", config + '<a href="workers/search.a7633da7.min.js">not the config</a>')
    out = hooks.search_on_demand(html)
    assert (
        '"search": "../assets/javascripts/workers/search-on-demand.js?worker=search.a7633da7.min.js"'
        in out
    )
    assert out.count("search.a7633da7.min.js") == 2  # the parameter, and the link left alone
    # A page without the theme's configuration is left as it is.
    assert hooks.search_on_demand(page("", "<p>x</p>")) == page("", "<p>x</p>")


def _palette_config(tmp_path: Path, theme_css: str, built_css: str | None) -> Any:
    theme = tmp_path / "theme" / "assets" / "stylesheets"
    theme.mkdir(parents=True)
    (theme / "palette.ab12.min.css").write_text(theme_css, encoding="utf-8")
    site = tmp_path / "site" / "assets" / "stylesheets"
    site.mkdir(parents=True)
    if built_css is not None:
        (site / "palette.ab12.min.css").write_text(built_css, encoding="utf-8")
    return SimpleNamespace(
        theme=SimpleNamespace(dirs=[str(tmp_path / "overrides"), str(tmp_path / "theme")]),
        site_dir=str(tmp_path / "site"),
    )


RULE_CSS = "a{b:1}[data-md-color-switching] *{transition-duration:0s!important}c{d:2}"


@pytest.mark.parametrize(
    "built",
    [RULE_CSS, hooks.drop_switching_rule(RULE_CSS)],
    ids=["fresh build", "dirty build, already blanked"],
)
def test_post_build_blanks_the_built_copy_without_a_warning(
    tmp_path: Path, built: str, caplog: pytest.LogCaptureFixture
) -> None:
    config = _palette_config(tmp_path, RULE_CSS, built)
    hooks.on_post_build(config=config)
    out = (tmp_path / "site" / "assets" / "stylesheets" / "palette.ab12.min.css").read_text()
    assert out == hooks.drop_switching_rule(RULE_CSS)
    assert not caplog.records


def test_post_build_warns_when_the_theme_has_no_such_rule(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = _palette_config(tmp_path, "a{b:1}", "a{b:1}")
    hooks.on_post_build(config=config)
    assert [r.levelname for r in caplog.records] == ["WARNING"]
    assert "data-md-color-switching" in caplog.records[0].getMessage()
