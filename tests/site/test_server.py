"""The shared static test server (tests/support/server.py) and its sabotage hooks."""

from __future__ import annotations

import gzip
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from prodready_tools.server import Response, make_server


def _get(url: str) -> tuple[int, str, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.headers.get_content_type(), dict(r.headers), r.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get_content_type(), dict(error.headers), error.read()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text("<p>page</p>", encoding="utf-8")
    (tmp_path / "x.wasm").write_bytes(b"\0asm")
    (tmp_path / "m.mjs").write_text("export {}", encoding="utf-8")
    (tmp_path / "404.html").write_text("<p>lost</p>", encoding="utf-8")
    return tmp_path


def test_serves_files_with_the_right_types(root: Path) -> None:
    with make_server(root) as server:
        assert server.url.startswith("http://127.0.0.1:")
        assert _get(server.url + "x.wasm")[:2] == (200, "application/wasm")
        assert _get(server.url + "m.mjs")[:2] == (200, "text/javascript")
        status, kind, _, body = _get(server.url + "a/")
        assert (status, kind, body) == (200, "text/html", b"<p>page</p>")
        status, _, _, body = _get(server.url + "missing")
        assert (status, body) == (404, b"<p>lost</p>")
        assert ("GET", "/x.wasm", 200) in server.log.entries


def test_sabotage_hooks(root: Path, capfd: pytest.CaptureFixture[str]) -> None:
    overrides = {
        "*.mjs": Response(status=404),
        "/empty": Response(body=b"", trickle_s=0.5),
        "/x.wasm": Response(content_type="text/plain"),
        "/a/": lambda path: Response(body=b"swapped", headers={"X-Test": path}),
    }
    headers = {"Content-Security-Policy": "script-src 'none'"}
    with make_server(root, overrides=overrides, headers=headers) as server:
        assert _get(server.url + "m.mjs")[0] == 404
        status, _, _, body = _get(server.url + "empty")
        assert (status, body) == (200, b"")
        status, kind, head, body = _get(server.url + "x.wasm")
        assert (status, kind, body) == (200, "text/plain", b"\0asm")
        assert head["Content-Security-Policy"] == "script-src 'none'"
        status, _, head, body = _get(server.url + "a/")
        assert (status, body, head["X-Test"]) == (200, b"swapped", "/a/")
    with make_server(root, content_types={".wasm": "text/plain"}) as server:
        assert _get(server.url + "x.wasm")[:2] == (200, "text/plain")
    # An empty canned body (a 404, or a trickled empty file) is answered without an error in the
    # handler: its traceback would go to stderr after the headers, and the test would still pass.
    assert "Traceback" not in capfd.readouterr().err


def _get_with(url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as r:
        return r.status, dict(r.headers), r.read()


def test_tests_get_uncached_uncompressed_answers(root: Path) -> None:
    with make_server(root) as server:
        _, headers, body = _get_with(server.url + "a/", {"Accept-Encoding": "gzip"})
        assert headers["Cache-Control"] == "no-store"
        assert "Content-Encoding" not in headers
        assert body == b"<p>page</p>"


def test_static_host_mode_caches_and_gzips_text_only(root: Path) -> None:
    with make_server(root, cache_control="max-age=600", compress=True) as server:
        _, headers, body = _get_with(server.url + "a/", {"Accept-Encoding": "gzip, br"})
        assert headers["Cache-Control"] == "max-age=600"
        assert headers["Content-Encoding"] == "gzip"
        assert headers["Content-Type"].startswith("text/html")
        assert int(headers["Content-Length"]) == len(body)
        assert gzip.decompress(body) == b"<p>page</p>"
        # Binaries as they are; clients that do not accept gzip get the plain file.
        _, headers, body = _get_with(server.url + "x.wasm", {"Accept-Encoding": "gzip"})
        assert "Content-Encoding" not in headers
        assert body == b"\0asm"
        _, headers, body = _get_with(server.url + "m.mjs", {})
        assert "Content-Encoding" not in headers
        assert body == b"export {}"
