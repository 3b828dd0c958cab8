"""A small threaded static HTTP server for the built site, with hooks for sabotage tests.

    server = make_server(root)                       # bound to a free port on 127.0.0.1
    build_into(root, site_url=server.url)            # build knowing the final address...
    with server:                                     # ...then serve it (stops on exit)
        fetch(server.url + "assessor/")

Sabotage variants change what the server answers without touching the files:

    make_server(root, content_types={".wasm": "text/plain"})          # wrong MIME type
    make_server(root, overrides={"*.wasm": Response(status=404)})     # missing file
    make_server(root, headers={"Content-Security-Policy": "script-src 'none'"})
    make_server(root, overrides={"*.wasm": Response(trickle_s=20)})   # a slow connection

Like a static host, it can also let browsers cache and gzip what it serves (the benchmark does):

    make_server(root, cache_control="max-age=600", compress=True)

`overrides` maps a URL path (exact, e.g. "/versions.json") or an fnmatch pattern
(e.g. "*.wasm", "/assets/runtime/*") to a `Response`, or to a callable taking the request path and
returning a `Response` or None (None = serve normally). The first matching key wins.
"""

from __future__ import annotations

import email.utils
import fnmatch
import gzip
import http.server
import json
import re
import threading
import time
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Self

# Types the site needs served right; Python's mimetypes table varies between platforms.
CONTENT_TYPES: dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".wasm": "application/wasm",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".xml": "application/xml",
    ".gz": "application/gzip",
    ".zip": "application/zip",
    ".whl": "application/zip",
    ".tar": "application/x-tar",
    ".txt": "text/plain; charset=utf-8",
    ".toml": "text/plain; charset=utf-8",
    ".woff2": "font/woff2",
}
# What static hosts (GitHub Pages among them) gzip: text; binaries are sent as they are.
COMPRESSIBLE = ("text/", "application/json", "application/xml", "image/svg+xml")


@dataclass(frozen=True)
class Response:
    """A canned answer. `body=None` with status 200 serves the real file with these headers.

    `trickle_s`: the headers go at once, the body (canned or the real file's) is spread evenly
    over that many seconds, as a slow connection delivers it."""

    status: int = 200
    body: bytes | None = None
    content_type: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    trickle_s: float = 0.0


Override = Response | Callable[[str], Response | None]


@dataclass
class ServerLog:
    """What the server was asked for, in order: (method, path, status)."""

    entries: list[tuple[str, str, int]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, method: str, path: str, status: int) -> None:
        with self.lock:
            self.entries.append((method, path, status))

    def paths(self) -> list[str]:
        with self.lock:
            return [path for _, path, _ in self.entries]


class SiteServer:
    """A ThreadingHTTPServer bound on construction and serving in a thread while entered."""

    def __init__(
        self,
        root: Path,
        *,
        overrides: Mapping[str, Override] | None = None,
        content_types: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        cache_control: str = "no-store",
        compress: bool = False,
    ) -> None:
        self.root = Path(root)
        self.overrides: dict[str, Override] = dict(overrides or {})
        self.content_types = {**CONTENT_TYPES, **dict(content_types or {})}
        self.headers = dict(headers or {})
        # Tests want every request to reach the server; the benchmark wants a static host's cache.
        self.cache_control = cache_control
        self.compress = compress
        self._gzipped: dict[Path, tuple[float, bytes]] = {}
        self.log = ServerLog()
        handler = _handler_for(self)
        self._httpd = _QuietServer((host, port), handler)
        self._thread: threading.Thread | None = None
        bound_host, bound_port = self._httpd.server_address[:2]
        self.host = str(bound_host)
        self.port = int(bound_port)
        self.url = f"http://{self.host}:{self.port}/"

    def start(self) -> Self:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever, name=f"site-server-{self.port}", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=10)
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def override_for(self, path: str) -> Response | None:
        for key, value in self.overrides.items():
            if key == path or fnmatch.fnmatchcase(path, key):
                response = value(path) if callable(value) else value
                if response is not None:
                    return response
        return None

    def gzipped(self, path: Path) -> bytes:
        """gzip of the file at `path`, made once per version of the file."""
        mtime = path.stat().st_mtime
        cached = self._gzipped.get(path)
        if cached is None or cached[0] != mtime:
            cached = (mtime, gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))
            self._gzipped[path] = cached
        return cached[1]


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that hang up mid-download (link checkers, aborted fetches) are not errors."""
        import sys

        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


# Served at the root when a build has none, so the theme's version selector (provider: mike)
# finds a versions.json as on a mike deployment, instead of logging a 404.
LOCAL_VERSIONS_JSON = json.dumps([{"version": "dev", "title": "dev", "aliases": ["latest"]}])


def local_versions(root: Path) -> dict[str, Override]:
    """An override answering /versions.json with LOCAL_VERSIONS_JSON when `root` has none."""

    def answer(path: str) -> Response | None:
        if (root / "versions.json").exists():
            return None
        return Response(body=LOCAL_VERSIONS_JSON.encode(), content_type="application/json")

    return {"/versions.json": answer}


# Binds a server for `root` (which may not exist yet) on a free port; start it with `with`.
make_server = SiteServer


def _handler_for(server: SiteServer) -> type[http.server.SimpleHTTPRequestHandler]:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # A canned or header-altered answer for the request being handled, if any.
            self._pending: Response | None = None
            super().__init__(*args, directory=str(server.root), **kwargs)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: requests are kept in `server.log` instead of printed."""

        def send_response(self, code: int, message: str | None = None) -> None:
            server.log.add(self.command, self._path(), code)
            super().send_response(code, message)

        def end_headers(self) -> None:
            extra = self._pending.headers if self._pending is not None else {}
            for name, value in {**server.headers, **extra}.items():
                self.send_header(name, value)
            self.send_header("Cache-Control", server.cache_control)
            super().end_headers()

        def guess_type(self, path: str | Any) -> str:
            suffix = Path(str(path)).suffix.lower()
            return server.content_types.get(suffix) or "application/octet-stream"

        def _path(self) -> str:
            return urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)

        def do_GET(self) -> None:
            if self._answer_override(send_body=True):
                return
            if not self._answer_range() and not self._answer_gzipped():
                super().do_GET()

        def _answer_gzipped(self) -> bool:
            """With `compress`, text files go gzipped to clients that accept it, as from a host."""
            if not server.compress or "gzip" not in self.headers.get("Accept-Encoding", ""):
                return False
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                if not self._path().endswith("/"):
                    return False  # the base class redirects to the folder's URL
                path = path / "index.html"
            if not path.is_file():
                return False
            content_type = self.guess_type(str(path))
            if not content_type.startswith(COMPRESSIBLE):
                return False
            body = server.gzipped(path)
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
            self.send_header("Content-Length", str(len(body)))
            modified = email.utils.formatdate(path.stat().st_mtime, usegmt=True)
            self.send_header("Last-Modified", modified)
            self.end_headers()
            self.wfile.write(body)
            return True

        def _answer_range(self) -> bool:
            """Serve `Range: bytes=A-B` with 206, as static hosts do (the worker reads the wasm's
            first bytes this way); anything fancier falls back to the whole file."""
            match = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
            path = Path(self.translate_path(self.path))
            if match is None or not path.is_file():
                return False
            data = path.read_bytes()
            start = int(match.group(1))
            end = min(int(match.group(2)) if match.group(2) else len(data) - 1, len(data) - 1)
            if start > end:
                return False
            body = data[start : end + 1]
            self.send_response(206)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Range", f"bytes {start}-{end}/{len(data)}")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return True

        def do_HEAD(self) -> None:
            if not self._answer_override(send_body=False):
                super().do_HEAD()

        def _answer_override(self, *, send_body: bool) -> bool:
            self._pending = None
            response = server.override_for(self._path())
            if response is None:
                return False
            if response.body is None and response.status == 200 and not response.trickle_s:
                # Real file, altered headers: let SimpleHTTPRequestHandler serve it.
                self._pending = response
                return False
            body, content_type = self._body_of(response)
            if body is None:
                return False  # no such file: the usual 404
            self.send_response(response.status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self._pending = Response(headers=response.headers)
            self.end_headers()
            if send_body:
                self._write_slowly(body, response.trickle_s)
            return True

        def _body_of(self, response: Response) -> tuple[bytes | None, str]:
            """The canned body, or the real file's (None if there is none), and its type."""
            if response.body is not None or response.status != 200:
                body = response.body if response.body is not None else b""
                return body, response.content_type or "text/plain; charset=utf-8"
            path = Path(self.translate_path(self.path))
            if not path.is_file():
                return None, ""
            return path.read_bytes(), response.content_type or self.guess_type(str(path))

        def _write_slowly(self, body: bytes, seconds: float) -> None:
            chunks = max(1, int(seconds * 10)) if seconds else 1
            size = max(1, -(-len(body) // chunks))  # an empty body: no chunk, no division by 0
            for start in range(0, len(body), size):
                if start and seconds:
                    time.sleep(seconds / chunks)
                self.wfile.write(body[start : start + size])
                self.wfile.flush()

        def send_header(self, keyword: str, value: str) -> None:
            pending = self._pending
            if pending is not None and keyword.lower() == "content-type" and pending.content_type:
                value = pending.content_type
            super().send_header(keyword, value)

        def send_error(
            self, code: int, message: str | None = None, explain: str | None = None
        ) -> None:
            not_found = server.root / "404.html"
            if code == 404 and not_found.is_file():
                # Like static hosts (GitHub Pages), answer with the site's own 404 page.
                body = not_found.read_bytes()
                self.send_response(404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)
                return
            super().send_error(code, message, explain)

    return Handler
