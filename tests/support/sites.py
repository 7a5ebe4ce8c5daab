"""Loopback web sites for crawler tests: real HTTP on 127.0.0.1, routes keyed by path, a log of
every request with its server-side arrival time, so tests can check what was (never) asked for.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Union
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Hit:
    """One request as the server saw it."""

    method: str
    path: str  # with the query string
    headers: dict[str, str]  # lower-cased names
    body: bytes
    at: float  # time.monotonic() when the request line arrived


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to sleep before answering (timeouts)
    chunks: int = 1  # send the body in this many pieces with `delay` between them when > 1
    declare_length: bool = True  # False: no Content-Length, the body ends when the connection closes


# A route is a fixed Reply or a function of (the hit, how many earlier hits this route had).
Route = Union[Reply, Callable[[Hit, int], Reply]]


class LoopbackSite:
    """`with LoopbackSite({"/feed": Reply(body=...)}) as site: site.url("/feed")`."""

    def __init__(self, routes: dict[str, Route] | None = None) -> None:
        self.routes: dict[str, Route] = dict(routes or {})
        self._hits: list[Hit] = []
        self._counts: dict[str, int] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str | None = None) -> list[Hit]:
        with self._lock:
            return [h for h in self._hits if path is None or h.path == path or urlsplit(h.path).path == path]

    def __enter__(self) -> "LoopbackSite":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def answer(self, hit: Hit) -> Reply:
        route = self.routes.get(hit.path) or self.routes.get(urlsplit(hit.path).path)
        with self._lock:
            self._hits.append(hit)
            key = hit.path if hit.path in self.routes else urlsplit(hit.path).path
            seen = self._counts.get(key, 0)
            self._counts[key] = seen + 1
        if route is None:
            return Reply(404, b"not found")
        return route(hit, seen) if callable(route) else route


def _handler_for(site: LoopbackSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out as two writes: no 40 ms ACK stall

        def log_message(self, format: str, *args: object) -> None:  # keep test output clean
            pass

        def _serve(self) -> None:
            at = time.monotonic()
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            reply = site.answer(Hit(self.command, self.path, headers, body, at))
            if reply.delay and reply.chunks <= 1:
                time.sleep(reply.delay)
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if not reply.declare_length:
                self.send_header("Connection", "close")
                self.close_connection = True
            elif "content-length" not in {k.lower() for k in reply.headers}:
                self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self._write_body(reply)

        def _write_body(self, reply: Reply) -> None:
            if self.command == "HEAD":
                return
            if reply.chunks <= 1:
                self.wfile.write(reply.body)
                return
            step = max(1, len(reply.body) // reply.chunks)
            try:
                for start in range(0, len(reply.body), step):
                    self.wfile.write(reply.body[start : start + step])
                    self.wfile.flush()
                    time.sleep(reply.delay)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up, as the test wanted

        do_GET = do_POST = do_HEAD = _serve

    return Handler
