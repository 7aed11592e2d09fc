"""The HTTP server of ``symsoft serve``: the page, its static files (KaTeX vendored, no network) and
``POST /api/check``, standard library only.

Each request has its own thread (:class:`~http.server.ThreadingHTTPServer`), so one never blocks another; the
check itself runs in a small pool of worker processes under the limits of :class:`Limits` (a body over
``max_bytes`` gets 413, more checks at once than ``workers`` get 503, check's CPU budgets bound each document).
Only loopback addresses are served, and a request naming another host (DNS rebinding) gets 403.

>>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("::1"), is_loopback("0.0.0.0")
(True, True, True, False)
"""

from __future__ import annotations

import ipaddress
import json
import socket
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

#: the page and its files; nothing outside this folder is ever served
STATIC = Path(__file__).parent / "static"
_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
          ".css": "text/css; charset=utf-8", ".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf"}
#: scripts, styles, fonts and requests from this server only (KaTeX sets inline styles)
_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self'; "
           "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


@dataclass(frozen=True)
class Limits:
    """What one check may use: ``max_bytes`` of text, ``workers`` checks at once, check's ``timeout`` per step,
    ``doc_timeout`` seconds of CPU per document and ``max_steps`` steps.

    >>> Limits().max_bytes, Limits().workers
    (200000, 2)
    """

    max_bytes: int = 200_000
    workers: int = 2
    timeout: float = 5.0
    doc_timeout: float = 20.0
    max_steps: int = 1000

    @property
    def wall_seconds(self) -> float:
        """The longest a request waits for its worker: check's own wall-clock safety net, and a margin.

        >>> Limits(doc_timeout=10).wall_seconds
        100
        """
        return 8 * self.doc_timeout + 20


def is_loopback(host: str) -> bool:
    """True when ``host`` is ``localhost`` or a loopback address (127.0.0.0/8, ::1).

    >>> is_loopback("192.168.1.2"), is_loopback("example.org")
    (False, False)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _static_files() -> dict[str, Path]:
    """Every file the server may send, by its URL path (``/`` is the page)."""
    files = {"/" + p.relative_to(STATIC).as_posix(): p for p in sorted(STATIC.rglob("*"))
             if p.is_file() and p.suffix in _TYPES}
    files["/"] = STATIC / "index.html"
    return files


def _warm() -> None:
    """Import the checker in a worker before the first request needs it."""
    import symsoft.check  # noqa: F401


def _check_in_worker(text: str, limits: Limits) -> tuple[int, dict]:
    """The status and the JSON answer of one check (runs in a worker process; never raises)."""
    from symsoft.errors import SymsoftError
    from symsoft.serve.payload import check_payload

    try:
        return 200, check_payload(text, timeout=limits.timeout, doc_timeout=limits.doc_timeout,
                                  max_steps=limits.max_steps)
    except SymsoftError as error:
        return 422, {"error": str(error.args[0] if error.args else error)}
    except Exception as error:  # one line for the page, never a traceback
        return 500, {"error": f"the check failed: {type(error).__name__}"}


class _Handler(BaseHTTPRequestHandler):
    server: "SymsoftServer"
    server_version = "symsoft"
    timeout = 60  # seconds a connection may stay silent (a body announced and never sent)
    sys_version = ""

    def log_message(self, format: str, *args) -> None:  # quiet: the terminal shows the address, not each request
        return None

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Security-Policy", _POLICY)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, data: dict) -> None:
        self._send(status, json.dumps(data, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    def _host_allowed(self) -> bool:
        try:
            host = urlsplit("//" + (self.headers.get("Host") or "")).hostname or ""
        except ValueError:
            host = ""
        if not is_loopback(host):
            self._json(403, {"error": "symsoft serve answers requests to a loopback host only"})
            return False
        return True

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        if not self._host_allowed():
            return
        path = self.path.split("?", 1)[0]
        found = self.server.files.get(path)
        if found is None:
            self._json(404, {"error": f"no such page: {path[:100]}"})
            return
        self._send(200, found.read_bytes(), _TYPES[found.suffix])

    do_HEAD = do_GET

    def do_POST(self) -> None:  # noqa: N802
        if not self._host_allowed():
            return
        if self.path != "/api/check":
            self._json(404, {"error": "POST goes to /api/check"})
            return
        text = self._text()
        if text is None:
            return
        self._json(*self.server.check(text))

    def _text(self) -> str | None:
        """The document of a POST (a JSON object with ``text``), or None after answering an error."""
        limits = self.server.limits
        try:
            length = int(self.headers.get("Content-Length", ""))
            if length < 0:
                raise ValueError(length)
        except ValueError:
            self._json(411, {"error": "the request needs a Content-Length"})
            return None
        if length > limits.max_bytes:
            self.close_connection = True  # the body is not read
            self._json(413, {"error": f"the document is larger than {limits.max_bytes // 1000} kB"})
            return None
        if not (self.headers.get("Content-Type") or "").startswith("application/json"):
            self._json(415, {"error": "send the document as JSON: {\"text\": ...}"})
            return None
        try:
            data = json.loads(self.rfile.read(length).decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            data = None
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            self._json(400, {"error": "send the document as JSON: {\"text\": ...}"})
            return None
        return data["text"]


class SymsoftServer(ThreadingHTTPServer):
    """A threading HTTP server that owns the worker pool and the limit on checks at once."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], limits: Limits = Limits()):
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.limits = limits
        self.files = _static_files()
        self._slots = threading.BoundedSemaphore(limits.workers)
        import multiprocessing

        # spawn: workers never inherit the server's threads and locks
        self.pool = ProcessPoolExecutor(limits.workers, mp_context=multiprocessing.get_context("spawn"))
        super().__init__(address, _Handler)
        for _ in range(limits.workers):
            self.pool.submit(_warm)

    def check(self, text: str) -> tuple[int, dict]:
        """Check ``text`` in a worker: its status and answer, 503 when every worker is busy."""
        if not self._slots.acquire(blocking=False):
            return 503, {"error": "every checker is busy; try again in a moment"}
        try:
            return self.pool.submit(_check_in_worker, text, self.limits).result(timeout=self.limits.wall_seconds)
        except FutureTimeout:
            return 504, {"error": "the check took too long"}
        except Exception as error:  # a worker that died (out of memory): one line, the pool restarts it
            self._restart_pool()
            return 500, {"error": f"the checker stopped: {type(error).__name__}"}
        finally:
            self._slots.release()

    def _restart_pool(self) -> None:
        import multiprocessing

        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = ProcessPoolExecutor(self.limits.workers, mp_context=multiprocessing.get_context("spawn"))

    def server_close(self) -> None:
        super().server_close()
        self.pool.shutdown(wait=False, cancel_futures=True)
