"""HTML from the tracking documents' Markdown: a fragment starts at h4 (it sits in a panel of
the assessor page, under the page's h1, its section's h2 and the panel's h3), a page is standalone, and neither lets text the reader typed become markup."""

from __future__ import annotations

from prodready.pages import demote, document, fragment


def test_fragment_headings_start_at_h4() -> None:
    html = fragment("# Title\n\n## Part\n\n### Sub\n\n#### Deeper\n\ntext\n")
    assert "<h1>" not in html
    assert "<h4>Title</h4>" in html
    assert "<h5>Part</h5>" in html
    # HTML has six levels: deeper headings stay headings, at the last level.
    assert "<h6>Sub</h6>" in html
    assert "<h6>Deeper</h6>" in html


def test_demote_leaves_text_alone() -> None:
    assert demote("# A\n#hashtag\n###### six\n") == "## A\n#hashtag\n###### six\n"
    assert demote("# A\n## B\n", 3) == "#### A\n##### B\n"


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
