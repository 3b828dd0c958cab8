"""HTML from the tracking documents' Markdown: a fragment starts at h2 (the page has the h1),
a page is standalone, and neither lets text the reader typed become markup."""

from __future__ import annotations

from prodready.pages import demote, document, fragment


def test_fragment_headings_start_at_h2() -> None:
    html = fragment("# Title\n\n## Part\n\ntext\n")
    assert "<h1>" not in html
    assert "<h2>Title</h2>" in html
    assert "<h3>Part</h3>" in html


def test_demote_leaves_text_alone() -> None:
    assert demote("# A\n#hashtag\n###### six\n") == "## A\n#hashtag\n###### six\n"


def test_raw_html_and_unsafe_links_stay_text() -> None:
    md = "<script>alert(1)</script>\n\n[x](javascript:alert(1))\n"
    for html in (fragment(md), document("t", md, "diff")):
        assert "<script>" not in html
        assert 'href="javascript' not in html


def test_document_shell() -> None:
    html = document('A "quoted" <title>', "# Head\n", "record")
    assert html.startswith('<!doctype html>\n<html lang="en">')
    assert "<title>A &quot;quoted&quot; &lt;title&gt;</title>" in html
    assert '<main data-document="record">' in html
    assert "<h1>Head</h1>" in html
    assert "@media print" in html
    assert html.endswith("</html>\n")
