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
def test_served_pages_run_without_errors(dev_server: str, page: Page, page_log: PageLog) -> None:
    page.goto(dev_server, wait_until="load")
    page.wait_for_function("() => typeof window.__md_get === 'function'")
    page.goto(dev_server + "glossary/", wait_until="load")
    page.wait_for_timeout(1000)
    # mkdocs serve has no versions.json: the version selector's fetch may 404, nothing else.
    errors = [e for e in page_log.errors() if "versions.json" not in e]
    assert not errors, "\n".join(errors)
