"""scripts/serve: MkDocs' development server with live reload, on the address site_url names."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from prodready_tools.site import ROOT, site_env
from support.browser import PageLog
from support.html import parse

pytestmark = pytest.mark.site


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def dev_server() -> Iterator[str]:
    url = f"http://127.0.0.1:{_free_port()}/"
    proc = subprocess.Popen(
        [str(ROOT / "scripts" / "serve")],
        cwd=ROOT,
        env=site_env(url),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 300
        while True:
            if proc.poll() is not None:
                output = proc.stdout.read().decode() if proc.stdout else ""
                pytest.fail(f"scripts/serve exited with {proc.returncode}:\n{output}")
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            assert time.monotonic() < deadline, "scripts/serve did not come up in 300 s"
            time.sleep(0.5)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        if proc.stdout:
            proc.stdout.close()


def test_serve_relaxes_the_policy_only_for_its_live_reload_script(dev_server: str) -> None:
    with urllib.request.urlopen(dev_server + "faq/", timeout=30) as response:
        html = response.read().decode("utf-8")
    csp = [
        e.attrs["content"]
        for e in parse(html)
        if e.attrs.get("http-equiv", "").lower() == "content-security-policy"
    ]
    assert len(csp) == 1
    assert "script-src 'self' 'wasm-unsafe-eval' 'unsafe-inline';" in csp[0]
    assert "'unsafe-eval'" not in csp[0]
    assert "livereload" in html


@pytest.mark.browser
def test_served_pages_log_no_console_error(
    dev_server: str, page: Page, page_log: PageLog, site_pages: list[str]
) -> None:
    # As on the deployed site: no 404 (Material's version selector asked for a versions.json
    # that mkdocs serve does not have), no policy violation, no uncaught error; the assessor's
    # engine starts from the files mkdocs serve sends.
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    for path in site_pages:
        page.goto(dev_server + path, wait_until="load")
        if path == "assessor/":
            page.wait_for_selector("#prodready-assessor[data-engine-state=ready]", timeout=60_000)
        page.wait_for_timeout(300)  # requests made once the page has loaded
    # Instant navigation (the theme's own page loads) to a guide page and back.
    page.click(".md-tabs a[href$='faq/']")
    page.wait_for_url("**/faq/")
    page.click(".md-tabs a[href$='assessor/']")
    page.wait_for_selector("#prodready-assessor[data-bound=true][data-engine-state=ready]")
    page.wait_for_timeout(500)
    assert not page_log.errors(), "\n".join(page_log.errors())
    assert not failed, "\n".join(failed)
    assert page_log.console_messages, "no console message recorded at all"
