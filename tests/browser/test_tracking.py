"""Tracking initiatives on the assessor page, in a real browser: the built site, the real worker
and self-hosted Pyodide, the real engine. What the page keeps and makes is checked against the
command-line tool run on the same files: the portfolio table, the exported portfolio file, the
diff of two assessments and a decision record (which the CLI must verify).

The panels are below the results: Portfolio, Compare with a previous assessment, Decision record
and Verify a record. Their script is loaded when the reader first opens one.

Like the assessor's tests, these share one browser profile (`returning_reader`); the test of what
a first visit loads has its own.
"""

from __future__ import annotations

import itertools
import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from prodready.protocol import handle
from prodready_tools.server import Response, SiteServer, make_server
from prodready_tools.site import venv_tool
from support.a11y import set_palette
from support.assessor import (
    EXAMPLES,
    ROOT,
    ROOT_SEL,
    act,
    axe_in_both_palettes,
    clean,
    load_file,
    open_assessor,
    show_step,
    tab_to,
)
from support.browser import PageLog

pytestmark = pytest.mark.returning_reader

EXAMPLE_DIR = ROOT / "engine" / "prodready" / "examples"
SECTION = "#prodready-tracking"
STORE = "prodready.portfolio.v1"
DEROGATED = EXAMPLE_DIR / "hr-scheduling-derogation.json"
CV = EXAMPLE_DIR / "cv-screening.json"

# ---------------------------------------------------------------------------------------------
# Helpers


def cli(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(venv_tool("prodready")), *args], capture_output=True, text=True, check=check
    )


def engine(op: str, **fields: Any) -> dict[str, Any]:
    """The engine's response in CPython, as the page would get it."""
    response: dict[str, Any] = json.loads(handle(json.dumps({"v": 1, "id": 1, "op": op, **fields})))
    return response


def done(page: Page) -> int:
    return int(page.get_attribute(SECTION, "data-tracking-done") or 0)


def track(page: Page, action: Callable[[], Any], operations: int = 1) -> None:
    """Runs `action` and waits until the tracking operations it starts have finished."""
    before = done(page)
    action()
    page.wait_for_function(
        """([selector, until]) => {
            const section = document.querySelector(selector);
            return Number(section.dataset.trackingDone || 0) >= until
                && section.dataset.trackingBusy === "false";
        }""",
        arg=[SECTION, before + operations],
        timeout=30_000,
    )


def listen(page: Page) -> None:
    """Keeps every response of a tracking operation in window.trackingResponses."""
    page.evaluate(
        """() => { window.trackingResponses = [];
          document.getElementById("prodready-assessor").addEventListener("prodready:tracking",
            (event) => window.trackingResponses.push(event.detail)); }"""
    )


def responses(page: Page, op: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = page.evaluate(
        "(op) => window.trackingResponses.filter((d) => d.op === op).map((d) => d.response)", op
    )
    return found


def open_panel(page: Page, panel: str) -> None:
    """Opens a panel as a reader does (its button); waits for what it shows first."""
    button = f"{SECTION} [data-panel-open={panel}]"
    if panel in ("portfolio", "compare", "record"):
        track(page, lambda: page.click(button))
    else:
        page.click(button)
    page.wait_for_selector(f"#prodready-panel-{panel}:not([hidden])")
    assert page.get_attribute(button, "aria-expanded") == "true"


def stored(page: Page) -> str | None:
    value: str | None = page.evaluate("(key) => localStorage.getItem(key)", STORE)
    return value


def save(page: Page, name: str = "") -> None:
    page.fill("#prodready-portfolio-name", name)
    track(page, lambda: page.click("[data-tracking=save]"))


def save_example(page: Page, path: Path, name: str = "") -> None:
    load_file(page, path)
    save(page, name)


def message(page: Page, panel: str) -> str:
    box = page.locator(f"#prodready-{panel}-message")
    assert box.is_visible(), f"no message in the {panel} panel"
    return box.inner_text()


def download(page: Page, click: str, folder: Path) -> Path:
    with page.expect_download() as info:
        page.click(click)
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return path


def pick(page: Page, name: str) -> None:
    page.select_option("#prodready-portfolio-pick", label=name)


def table_names(page: Page) -> list[str]:
    names: list[str] = page.evaluate(
        """() => [...document.querySelectorAll("#prodready-portfolio-result tbody tr")]
            .map((row) => row.dataset.initiative)"""
    )
    return names


def parsed(page: Page, html: str) -> str:
    """`html` as the page's parser serialises it (to compare with what the page placed)."""
    text: str = page.evaluate(
        "(html) => { const t = document.createElement('template'); t.innerHTML = html; "
        "return t.innerHTML; }",
        html,
    )
    return text


def cli_portfolio(files: list[Path], folder: Path) -> tuple[bytes, dict[str, Any]]:
    """The CLI's portfolio file of `files`, and its table (as JSON)."""
    out = folder / "cli-portfolio.json"
    cli("portfolio", *map(str, files), "-o", str(out))
    table: dict[str, Any] = json.loads(cli("assess", str(out), "--format", "json").stdout)
    return out.read_bytes(), table


# ---------------------------------------------------------------------------------------------
# The portfolio


def test_portfolio_of_the_examples_round_trips_and_equals_the_cli(
    page: Page, page_log: PageLog, site: str, tmp_path: Path
) -> None:
    open_assessor(page, site)
    listen(page)
    open_panel(page, "portfolio")
    assert "No initiatives" in page.inner_text("#prodready-portfolio-result")
    for path in EXAMPLES:
        save_example(page, path)
    cli_bytes, cli_table = cli_portfolio(EXAMPLES, tmp_path)
    # The table the page got is the CLI's, its rows in the same order, those needing action
    # first; the file it exports is the CLI's, byte for byte.
    table = responses(page, "portfolio")[-1]["table"]
    assert table == cli_table
    assert table_names(page) == [row["name"] for row in cli_table["initiatives"]]
    exported = download(page, "[data-tracking=export]", tmp_path)
    assert exported.name == "prodready-portfolio.json"
    assert exported.read_bytes() == cli_bytes
    assert stored(page) == cli_bytes.decode("utf-8")

    # A fresh browser profile (nothing stored) imports the file: the same table, and exporting
    # it again gives the same bytes.
    page.evaluate("(key) => localStorage.removeItem(key)", STORE)
    page.reload()
    page.wait_for_selector(f"{ROOT_SEL}[data-engine-state=ready]")
    listen(page)
    open_panel(page, "portfolio")
    assert table_names(page) == []
    track(page, lambda: page.set_input_files("#prodready-portfolio-file", str(exported)))
    assert "imported" in message(page, "portfolio")
    assert responses(page, "portfolio")[-1]["table"] == cli_table
    again = download(page, "[data-tracking=export]", tmp_path / "again")
    assert again.read_bytes() == cli_bytes
    # Importing it once more merges by name: nothing new.
    track(page, lambda: page.set_input_files("#prodready-portfolio-file", str(exported)))
    assert stored(page) == cli_bytes.decode("utf-8")
    clean(page_log, site)


def test_sorting_the_table_keeps_the_engines_order_for_ties(
    page: Page, page_log: PageLog, site: str
) -> None:
    open_assessor(page, site)
    listen(page)
    open_panel(page, "portfolio")
    for name in ("time-boxed-experiment", "cv-screening", "workplace-emotion", "demand-forecast"):
        save_example(page, EXAMPLE_DIR / f"{name}.json")
    rows = responses(page, "portfolio")[-1]["table"]["initiatives"]
    engine_order = [row["name"] for row in rows]
    verdict = f"{SECTION} th[data-sort=verdict]"
    assert page.get_attribute(verdict, "aria-sort") == "ascending"
    assert table_names(page) == engine_order
    # By name, A to Z, then Z to A; the header says so.
    page.click(f"{SECTION} th[data-sort=name] button")
    assert table_names(page) == sorted(engine_order, key=str.casefold)
    assert page.get_attribute(f"{SECTION} th[data-sort=name]", "aria-sort") == "ascending"
    assert page.get_attribute(verdict, "aria-sort") is None
    assert "Sorted by Initiative, ascending" in page.inner_text("#prodready-tracking-status")
    page.click(f"{SECTION} th[data-sort=name] button")
    assert table_names(page) == sorted(engine_order, key=str.casefold, reverse=True)
    assert page.get_attribute(f"{SECTION} th[data-sort=name]", "aria-sort") == "descending"
    # By readiness: the least ready first, ties in the engine's order.
    page.click(f"{SECTION} th[data-sort=readiness] button")
    percent = {row["name"]: row["readiness"]["percent"] for row in rows}
    assert table_names(page) == sorted(engine_order, key=lambda n: percent[n])
    # A new table (another assessment saved) keeps the reader's order.
    save_example(page, EXAMPLE_DIR / "churn-exploration.json")
    rows = responses(page, "portfolio")[-1]["table"]["initiatives"]
    percent = {row["name"]: row["readiness"]["percent"] for row in rows}
    assert table_names(page) == sorted([r["name"] for r in rows], key=lambda n: percent[n])
    # And the verdict column gives the engine's order back.
    page.click(f"{SECTION} th[data-sort=verdict] button")
    assert table_names(page) == [row["name"] for row in rows]
    clean(page_log, site)


def test_a_reassessment_adds_a_dated_entry_and_the_diff_names_the_changed_answers(
    page: Page, page_log: PageLog, site: str, tmp_path: Path
) -> None:
    open_assessor(page, site)
    listen(page)
    open_panel(page, "portfolio")
    save_example(page, CV)
    old = json.loads(CV.read_text(encoding="utf-8"))
    # A quarter later: another date, a capability built, another answer changed; saved under
    # the portfolio's name although the initiative was renamed in the answers.
    show_step(page, "initiative")
    act(page, lambda: page.fill("#q-assessed_on-input", "2027-03-01"))
    act(page, lambda: page.fill("#q-name-input", "CV screening, second version"))
    show_step(page, "capabilities")
    act(page, lambda: page.check("input[name=capabilities][value=drift_detection]"))
    save(page, old["name"])
    portfolio = responses(page, "portfolio")[-1]["portfolio"]
    (initiative,) = portfolio["initiatives"]
    assert initiative["name"] == old["name"]
    assert [a["assessed_on"] for a in initiative["assessments"]] == ["2026-12-01", "2027-03-01"]
    row = responses(page, "portfolio")[-1]["table"]["initiatives"][0]
    assert (row["assessments"], row["assessed_on"]) == (2, "2027-03-01")

    pick(page, old["name"])
    assert page.input_value("#prodready-history-old") == "0"
    assert page.input_value("#prodready-history-new") == "1"
    track(page, lambda: page.click("[data-tracking=compare-dates]"))
    # The diff is the engine's, for these two assessments; it names exactly the answers that
    # changed, as `prodready diff` does.
    first, second = initiative["assessments"]
    (tmp_path / "old.json").write_text(json.dumps(first), encoding="utf-8")
    (tmp_path / "new.json").write_text(json.dumps(second), encoding="utf-8")
    diff = json.loads(cli("diff", str(tmp_path / "old.json"), str(tmp_path / "new.json")).stdout)
    changed = [a["question"] for a in diff["answers"]]
    assert changed == ["name", "assessed_on", "capabilities"]
    expected = engine("diff", old=first, new=second)["text"]
    shown = page.locator("#prodready-history-result")
    assert shown.inner_html() == parsed(page, expected)
    assert shown.get_attribute("data-changed") == "true"
    items = shown.locator("h5:has-text('Answers that changed') + ul > li")
    assert items.count() == len(changed)
    texts = {q["id"]: q["text"] for q in json.loads(cli("rules").stdout)["questions"]}
    for n, question in enumerate(changed):
        assert texts[question] in items.nth(n).inner_text()
    clean(page_log, site)


def test_compare_the_form_with_a_saved_assessment_or_a_file(
    page: Page, page_log: PageLog, site: str, tmp_path: Path
) -> None:
    open_assessor(page, site)
    listen(page)
    open_panel(page, "compare")
    assert page.is_disabled("[data-tracking=compare-saved]")
    open_panel(page, "portfolio")
    assert page.locator("#prodready-panel-compare").is_hidden()  # one panel at a time
    save_example(page, CV)
    saved = responses(page, "portfolio")[-1]["portfolio"]["initiatives"][0]["assessments"][0]
    show_step(page, "usage")
    act(page, lambda: page.check("input[name=user_exposure][value=data_science_team]"))
    open_panel(page, "compare")
    assert page.is_enabled("[data-tracking=compare-saved]")
    track(page, lambda: page.click("[data-tracking=compare-saved]"))
    now = page.evaluate("JSON.parse(localStorage.getItem('prodready.answers.v1'))")
    expected = engine("diff", old=saved, new=now)
    assert [a["question"] for a in expected["diff"]["answers"]] == ["user_exposure"]
    result = page.locator("#prodready-compare-result")
    assert result.inner_html() == parsed(page, expected["text"])
    # A file: a report, or a decision record, made from the original answers.
    report = tmp_path / "report.json"
    report.write_text(cli("assess", str(CV)).stdout, encoding="utf-8")
    record = tmp_path / "record.json"
    cli("record", str(CV), "-o", str(record))
    for path in (report, record):
        track(page, lambda p=path: page.set_input_files("#prodready-compare-file", str(p)))
        expected = engine("diff", old=path.read_text(encoding="utf-8"), new=now)
        assert result.inner_html() == parsed(page, expected["text"]), path.name
        assert [a["question"] for a in expected["diff"]["answers"]] == ["user_exposure"]
    # A file that is not an assessment: a clear message, the last comparison left as it was.
    bad = tmp_path / "notes.json"
    bad.write_text("not json", encoding="utf-8")
    track(page, lambda: page.set_input_files("#prodready-compare-file", str(bad)))
    assert "“notes.json” could not be compared: old: not valid JSON" in message(page, "compare")
    assert result.inner_html() == parsed(page, expected["text"])
    clean(page_log, site)


def test_open_puts_the_latest_assessment_in_the_form(
    page: Page, page_log: PageLog, site: str
) -> None:
    open_assessor(page, site)
    open_panel(page, "portfolio")
    save_example(page, CV)
    save_example(page, EXAMPLE_DIR / "demand-forecast.json")
    pick(page, "CV screening assistant")
    before = int(page.get_attribute(ROOT_SEL, "data-requested") or 0)
    page.click("[data-tracking=open]")
    page.wait_for_function(
        "(after) => Number(document.getElementById('prodready-assessor').dataset.shown) > after",
        arg=before,
    )
    assert page.input_value("#q-name-input") == "CV screening assistant"
    assert page.get_attribute("#prodready-verdict", "data-verdict") == "production_required"
    assert "loaded from the portfolio" in page.inner_text("#prodready-message")
    # The form's first step, with the focus on its heading; the name is kept for a re-assessment.
    assert page.evaluate("document.activeElement.id") == "prodready-section-initiative-title"
    assert page.input_value("#prodready-portfolio-name") == "CV screening assistant"
    # Loading other answers forgets it.
    load_file(page, EXAMPLE_DIR / "churn-exploration.json")
    assert page.input_value("#prodready-portfolio-name") == ""
    clean(page_log, site)


def test_deleting_asks_first(page: Page, page_log: PageLog, site: str) -> None:
    open_assessor(page, site)
    listen(page)
    open_panel(page, "portfolio")
    save_example(page, CV)
    save_example(page, EXAMPLE_DIR / "demand-forecast.json")
    before = stored(page)
    pick(page, "CV screening assistant")
    asked: list[str] = []

    def dismiss(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.click("[data-tracking=delete]")
    assert asked
    assert "Delete “CV screening assistant”" in asked[0]
    assert stored(page) == before
    assert len(table_names(page)) == 2
    page.once("dialog", lambda dialog: dialog.accept())
    track(page, lambda: page.click("[data-tracking=delete]"))
    assert table_names(page) == ["Weekly demand forecast for purchasing"]
    assert "CV screening" not in (stored(page) or "")
    assert "was deleted" in message(page, "portfolio")
    clean(page_log, site)


# ---------------------------------------------------------------------------------------------
# Malformed files and tampered storage change nothing


def _portfolio_file(tmp_path: Path, **changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(cli("portfolio", str(CV)).stdout)
    doc.update(changes)
    return doc


MALFORMED_PORTFOLIOS: list[tuple[bytes | str, str]] = [
    (b"{ this is not json", "not valid JSON"),
    (b'{"format": "prodready.portfolio/7", "initiatives": []}', "unknown format"),
    (b"[1, 2, 3]", "expected a JSON object"),
    ("invalid-answers", "invalid answers"),
    ("duplicate-names", "is listed twice"),
]


def _malformed(tmp_path: Path, content: bytes | str) -> bytes:
    if isinstance(content, bytes):
        return content
    doc = _portfolio_file(tmp_path)
    if content == "invalid-answers":
        doc["initiatives"][0]["assessments"][0]["model_outputs"] = "sideways"
    else:  # duplicate-names
        doc["initiatives"] *= 2
    return json.dumps(doc).encode()


def test_a_malformed_portfolio_file_changes_nothing(
    page: Page, page_log: PageLog, site: str, tmp_path: Path
) -> None:
    """Each malformed file in turn, on one page: refused with its reason, nothing stored changes."""
    open_assessor(page, site)
    open_panel(page, "portfolio")
    save_example(page, EXAMPLE_DIR / "demand-forecast.json")
    before = page.evaluate("() => ({...localStorage})")
    rows = table_names(page)
    bad = tmp_path / "team-portfolio.json"
    for content, reason in MALFORMED_PORTFOLIOS:
        bad.write_bytes(_malformed(tmp_path, content))
        track(page, lambda: page.set_input_files("#prodready-portfolio-file", str(bad)))
        text = message(page, "portfolio")
        assert text.startswith("“team-portfolio.json” was not imported: team-portfolio.json"), text
        assert reason in text, (reason, text)
        assert text.endswith("Nothing was changed."), text
        assert page.get_attribute("#prodready-portfolio-message", "role") == "alert"
        assert page.evaluate("() => ({...localStorage})") == before, reason
        assert table_names(page) == rows, reason
    assert not page_log.page_errors


@pytest.mark.parametrize(
    "tampered",
    [
        "{broken",
        '{"format": "prodready.portfolio/1", "initiatives": [{"name": "", "assessments": []}]}',
        "changed-answer",
    ],
)
def test_a_tampered_stored_portfolio_is_reported_and_kept(
    page: Page, page_log: PageLog, site: str, tmp_path: Path, tampered: str
) -> None:
    if tampered == "changed-answer":
        doc = _portfolio_file(tmp_path)
        doc["initiatives"][0]["assessments"][0]["failure_impact"] = 42
        tampered = json.dumps(doc)
    page.goto(site + "faq/")
    page.evaluate("([key, value]) => localStorage.setItem(key, value)", [STORE, tampered])
    open_assessor(page, site)
    open_panel(page, "portfolio")
    text = message(page, "portfolio")
    assert "The portfolio saved in this browser cannot be read: portfolio" in text
    assert "kept as it is" in text
    assert page.get_attribute(SECTION, "data-portfolio") == "broken"
    assert stored(page) == tampered
    # Saving or importing into it is refused: still nothing changes.
    load_file(page, CV)
    save(page)
    assert message(page, "portfolio").startswith("Not saved: portfolio")
    assert stored(page) == tampered
    # The reader can take it away as it is, then discard it (after a confirmation).
    saved = download(page, "[data-tracking=download-stored]", tmp_path)
    assert saved.read_text(encoding="utf-8") == tampered
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("[data-tracking=discard-stored]")
    assert stored(page) == tampered
    page.once("dialog", lambda dialog: dialog.accept())
    track(page, lambda: page.click("[data-tracking=discard-stored]"))
    assert stored(page) is None
    assert page.get_attribute(SECTION, "data-portfolio") == "ready"
    save(page)
    assert table_names(page) == ["CV screening assistant"]
    assert not page_log.page_errors


# ---------------------------------------------------------------------------------------------
# Decision records


def test_a_record_made_in_the_browser_verifies_with_the_cli(
    page: Page, page_log: PageLog, site: str, tmp_path: Path
) -> None:
    open_assessor(page, site)
    listen(page)
    load_file(page, DEROGATED)
    answers = page.evaluate("JSON.parse(localStorage.getItem('prodready.answers.v1'))")
    open_panel(page, "record")
    # The engine says which justification the derogation needs: a required field, with the
    # engine's prompt as its help.
    form = engine("record_form", answers=answers)
    (needed,) = form["required"]
    note = page.locator(f"#prodready-panel-record [data-note='{needed['id']}']")
    assert note.locator("textarea[aria-required=true]").count() == 1
    assert needed["prompt"] in note.inner_text()
    assert needed["title"] in note.locator("label").inner_text()
    # A sign-off, and a justification about the decision as a whole, added by the reader.
    page.click("[data-tracking=add-signoff]")
    assert page.evaluate("document.activeElement.name") == "name"
    page.keyboard.type("Ana Ruiz")
    page.fill("[data-signoff] input[name=role]", "CTO")
    page.fill("[data-signoff] input[name=date]", "2026-12-02")
    page.select_option("#prodready-record-key", "general")
    page.click("[data-tracking=add-note]")
    page.keyboard.type("Approved at the AI board of 2 December.")
    # Without the derogation's justification no record is made: the engine's reason next to
    # the field, which gets the focus; nothing typed is lost.
    track(page, lambda: page.click("[data-tracking=record-json]"))
    assert message(page, "record").startswith("No record was made: justifications.")
    error = note.locator(".prodready-error")
    assert error.is_visible()
    assert "which condition applies and why" in error.inner_text()
    textarea = note.locator("textarea")
    assert textarea.get_attribute("aria-invalid") == "true"
    assert page.evaluate("document.activeElement.getAttribute('aria-required')") == "true"
    assert page.input_value("[data-signoff] input[name=name]") == "Ana Ruiz"
    assert "AI board" in page.input_value("[data-note=general] textarea")
    # An invalid sign-off date: the engine's message by the sign-offs.
    textarea.fill("It only books interview rooms (a narrow procedural task, Art. 6(3)(a)).")
    page.fill("[data-signoff] input[name=date]", "")
    track(page, lambda: page.click("[data-tracking=record-json]"))
    assert "sign_offs[0].date" in page.inner_text("#prodready-record-signoffs-error")
    assert error.is_hidden()
    page.fill("[data-signoff] input[name=date]", "2026-12-02")

    record = download(page, "[data-tracking=record-json]", tmp_path)
    page.wait_for_function(
        "() => !document.querySelector('#prodready-record-message').hidden"
        " && document.querySelector('#prodready-record-message').textContent.includes('sha256:')"
    )
    assert record.name == "prodready-record-interview-room-scheduling-helper.json"
    verified = cli("verify", str(record), check=False)
    assert verified.returncode == 0, verified.stderr
    assert "verified" in verified.stdout
    doc = json.loads(record.read_text(encoding="utf-8"))
    assert doc["sign_offs"] == [{"name": "Ana Ruiz", "role": "CTO", "date": "2026-12-02"}]
    assert set(doc["justifications"]) == {"general", needed["id"]}
    assert doc["digest"] in message(page, "record")
    # The CLI's record of the same answers, justifications and sign-offs is the same file.
    notes = [f"{key}={text}" for key, text in doc["justifications"].items()]
    args = [arg for n in notes for arg in ("-j", n)]
    same = cli("record", str(DEROGATED), *args, "-s", "Ana Ruiz|CTO|2026-12-02").stdout
    assert record.read_text(encoding="utf-8") == same
    # Its print-ready renderings are the CLI's for that record, with links to this site.
    for fmt in ("html", "md"):
        printed = download(page, f"[data-tracking=record-{fmt}]", tmp_path)
        assert printed.suffix == f".{fmt}"
        cli_text = cli("render-record", str(record), "--format", fmt, "--guide-base", site).stdout
        assert printed.read_text(encoding="utf-8") == cli_text
    # Other answers in the form, without the derogation: its justification is no longer
    # required, and what was written is kept (for the reader to remove).
    load_file(page, CV)
    page.wait_for_function(
        "(id) => !document.querySelector(`[data-note='${id}'] textarea`)"
        ".hasAttribute('aria-required')",
        arg=needed["id"],
    )
    assert "Art. 6(3)(a)" in textarea.input_value()
    note.locator("[data-tracking=remove-note]").click()
    assert note.count() == 0
    assert page.evaluate("document.activeElement.id") == "prodready-record-key"
    clean(page_log, site)


def test_the_tools_say_so_when_the_engine_is_not_running(
    page: Page, page_log: PageLog, site: str, built_site: Path
) -> None:
    server = make_server(
        built_site, overrides={"*/assessor-worker.mjs": Response(status=404)}
    ).start()
    try:
        page.goto(server.url + "faq/")
        page.evaluate("([key, value]) => localStorage.setItem(key, value)", [STORE, "{}"])
        page.goto(server.url + "assessor/")
        page.wait_for_selector(f"{ROOT_SEL}[data-engine-state=failed]", timeout=15_000)
        for panel in ("portfolio", "compare", "record"):
            open_panel(page, panel)
            assert "the assessment engine is not running" in message(page, panel)
        assert stored(page) == "{}"
        assert not page_log.page_errors
    finally:
        server.stop()


def test_verify_a_record(page: Page, page_log: PageLog, site: str, tmp_path: Path) -> None:
    good = tmp_path / "record.json"
    cli("record", str(CV), "-s", "Ana Ruiz|CTO|2026-12-02", "-o", str(good))
    text = good.read_text(encoding="utf-8")
    # One changed byte: a digit of the readiness figures, or a letter of a name.
    changed = tmp_path / "changed.json"
    changed.write_text(text.replace('"name": "Ana Ruiz"', '"name": "Ana Ruiy"'), "utf-8")
    assert len(changed.read_bytes()) == len(good.read_bytes())
    assert sum(a != b for a, b in zip(changed.read_bytes(), good.read_bytes(), strict=True)) == 1
    open_assessor(page, site)
    open_panel(page, "portfolio")
    save_example(page, CV)
    before = page.evaluate("() => ({...localStorage})")
    open_panel(page, "verify")
    result = page.locator("#prodready-verify-result")
    assert result.get_attribute("aria-live") == "polite"
    track(page, lambda: page.set_input_files("#prodready-verify-file", str(good)))
    expected = engine("verify", record=text)
    assert result.inner_html() == parsed(page, expected["result"])
    assert result.get_attribute("data-verified") == "true"
    assert result.inner_text().startswith("Verified.")
    assert cli("verify", str(good), check=False).returncode == 0

    track(page, lambda: page.set_input_files("#prodready-verify-file", str(changed)))
    assert result.get_attribute("data-status") == "tampered"
    assert result.inner_text().startswith("Not verified.")
    assert "digest mismatch" in result.inner_text()
    failed = cli("verify", str(changed), check=False)
    assert failed.returncode == 1
    assert "digest mismatch" in failed.stderr

    for content, reason in (
        ("not json at all", "record: not valid JSON"),
        (cli("assess", str(CV)).stdout, "not a decision record"),
        ('{"format": "prodready.record/9"}', "unsupported record format"),
    ):
        path = tmp_path / "bad.json"
        path.write_text(content, encoding="utf-8")
        track(page, lambda p=path: page.set_input_files("#prodready-verify-file", str(p)))
        assert message(page, "verify").startswith("“bad.json” could not be checked: record")
        assert reason in message(page, "verify")
        assert result.is_hidden()
    assert page.evaluate("() => ({...localStorage})") == before
    clean(page_log, site)


# ---------------------------------------------------------------------------------------------
# Start-up, navigation, keyboard, print and accessibility


@pytest.mark.first_visit
def test_nothing_is_loaded_or_asked_before_a_panel_is_opened(
    page: Page, page_log: PageLog, site: str, site_host: SiteServer
) -> None:
    def fetched() -> int:
        return sum(1 for p in site_host.log.paths() if p.endswith("/assessor-tracking.mjs"))

    before = fetched()
    open_assessor(page, site)
    listen(page)
    load_file(page, CV)
    assert fetched() == before
    assert not [url for url in page_log.requests if "assessor-tracking" in url]
    assert page.evaluate("window.trackingResponses") == []
    # The page's hints do not announce it either.
    hints = page.evaluate(
        "[...document.querySelectorAll('link[rel=modulepreload]')].map((l) => l.href)"
    )
    assert not [h for h in hints if "tracking" in h]
    open_panel(page, "portfolio")
    assert fetched() == before + 1
    # After an instant navigation away and back, the panels work again (the module is not
    # fetched again, and the page still has its one engine).
    page.click(".md-tabs a[href$='faq/']")
    page.wait_for_url("**/faq/")
    page.click(".md-tabs a[href$='assessor/']")
    page.wait_for_url("**/assessor/")
    page.wait_for_selector(f"{ROOT_SEL}[data-bound=true][data-engine-state=ready]")
    page.wait_for_selector(f"{SECTION}:not([hidden])")
    open_panel(page, "portfolio")
    save(page)
    assert table_names(page) == ["CV screening assistant"]
    assert fetched() == before + 1
    clean(page_log, site)


def test_keyboard_only_portfolio(page: Page, page_log: PageLog, site: str) -> None:
    open_assessor(page, site)
    load_file(page, CV)
    page.focus("#prodready-results")
    tab_to(page, "e.dataset.panelOpen === 'portfolio'")
    track(page, lambda: page.keyboard.press("Enter"))
    assert page.evaluate("document.activeElement.id") == "prodready-panel-portfolio-title"
    tab_to(page, "e.id === 'prodready-portfolio-name'")
    page.keyboard.type("Hiring pilot")
    track(page, lambda: page.keyboard.press("Enter"))
    assert table_names(page) == ["Hiring pilot"]
    load_file(page, EXAMPLE_DIR / "churn-exploration.json")
    tab_to(page, "e.id === 'prodready-portfolio-name'")
    assert page.input_value("#prodready-portfolio-name") == ""  # other answers, no name
    track(page, lambda: page.keyboard.press("Enter"))
    assert table_names(page) == ["Hiring pilot", "Churn drivers exploration"]
    # Sort by name with the keyboard: the header's button.
    tab_to(page, "e.dataset.sortBy === 'name'")
    page.keyboard.press("Enter")
    assert table_names(page) == ["Churn drivers exploration", "Hiring pilot"]
    assert page.get_attribute(f"{SECTION} th[data-sort=name]", "aria-sort") == "ascending"
    # Pick the hiring pilot and open it in the form.
    tab_to(page, "e.id === 'prodready-portfolio-pick'")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("(s => s.options[s.selectedIndex].text)(document.activeElement)") == (
        "Churn drivers exploration"
    )
    page.keyboard.press("ArrowUp")
    tab_to(page, "e.dataset.tracking === 'open'")
    before = int(page.get_attribute(ROOT_SEL, "data-requested") or 0)
    page.keyboard.press("Enter")
    page.wait_for_function(
        "(after) => Number(document.getElementById('prodready-assessor').dataset.shown) > after",
        arg=before,
    )
    assert page.input_value("#q-name-input") == "CV screening assistant"
    # Closing the panel with its button (Space), the focus stays on it.
    tab_to(page, "e.dataset.panelOpen === 'portfolio'")
    page.keyboard.press("Space")
    assert page.locator("#prodready-panel-portfolio").is_hidden()
    assert page.evaluate("document.activeElement.dataset.panelOpen") == "portfolio"
    clean(page_log, site)


def test_print_leaves_the_tools_out(page: Page, page_log: PageLog, site: str) -> None:
    open_assessor(page, site)
    load_file(page, CV)
    open_panel(page, "portfolio")
    save(page)
    page.emulate_media(media="print")
    assert page.locator(SECTION).is_hidden()
    assert page.locator("#prodready-results").is_visible()
    page.emulate_media(media="screen")
    assert page.locator(SECTION).is_visible()
    clean(page_log, site)


def test_no_axe_violations_in_the_tracking_panels(
    page: Page, page_log: PageLog, site: str, tmp_path: Path
) -> None:
    """The whole page with the panels closed, then the tracking section in each state (the rest
    of the assessor is checked in its states by test_assessor), each in both palettes (the light
    one with every rule, then the dark one, switched in place, with the colour rules). In
    reduced motion, as the walk of every page: the same final colours, no fade waited for."""
    page.emulate_media(reduced_motion="reduce")
    set_palette(page, site, "light")
    open_assessor(page, site)
    problems = axe_in_both_palettes(page, "closed")
    open_panel(page, "portfolio")
    problems += axe_in_both_palettes(page, "empty portfolio", SECTION)
    load_file(page, DEROGATED)
    save(page)
    save_example(page, CV)
    show_step(page, "initiative")
    act(page, lambda: page.fill("#q-assessed_on-input", "2027-03-01"))
    save(page)
    page.click(f"{SECTION} th[data-sort=readiness] button")
    pick(page, "CV screening assistant")
    track(page, lambda: page.click("[data-tracking=compare-dates]"))
    problems += axe_in_both_palettes(page, "portfolio sorted, with a diff", SECTION)
    bad = tmp_path / "bad.json"
    bad.write_text("nope", encoding="utf-8")
    track(page, lambda: page.set_input_files("#prodready-portfolio-file", str(bad)))
    problems += axe_in_both_palettes(page, "import refused", SECTION)
    open_panel(page, "compare")
    track(page, lambda: page.click("[data-tracking=compare-saved]"))
    problems += axe_in_both_palettes(page, "compared", SECTION)
    load_file(page, DEROGATED)
    open_panel(page, "record")
    page.click("[data-tracking=add-signoff]")
    page.select_option("#prodready-record-key", "general")
    page.click("[data-tracking=add-note]")
    track(page, lambda: page.click("[data-tracking=record-json]"))
    problems += axe_in_both_palettes(page, "record refused", SECTION)
    open_panel(page, "verify")
    record = tmp_path / "record.json"
    cli("record", str(CV), "-o", str(record))
    track(page, lambda: page.set_input_files("#prodready-verify-file", str(record)))
    problems += axe_in_both_palettes(page, "record verified", SECTION)
    page.evaluate("([key]) => localStorage.setItem(key, '{broken')", [STORE])
    open_panel(page, "portfolio")
    problems += axe_in_both_palettes(page, "stored portfolio broken", SECTION)
    assert not problems, "\n".join(problems)
    clean(page_log, site)


def test_the_diff_shown_has_headings_below_the_panels(page: Page, site: str) -> None:
    """The engine's fragments start at h4, under the section's h2 and the panel's h3."""
    open_assessor(page, site)
    open_panel(page, "portfolio")
    save_example(page, CV)
    show_step(page, "initiative")
    act(page, lambda: page.fill("#q-assessed_on-input", "2027-03-01"))
    save(page)
    track(page, lambda: page.click("[data-tracking=compare-dates]"))
    levels = page.evaluate(
        """() => [...document.querySelectorAll(
            "#prodready-tracking :is(h2, h3, h4, h5, h6):not([hidden] *)")]
            .filter((h) => h.offsetParent !== null).map((h) => Number(h.tagName[1]))"""
    )
    assert levels[:2] == [2, 3]
    assert min(levels[2:]) == 4
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))
    assert re.fullmatch(r"What changed: .*", page.inner_text("#prodready-history-result h4"))
