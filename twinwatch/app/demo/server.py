"""A small HTTP server on 127.0.0.1 for a map of resources: the demo site, tests and benchmarks.

It answers conditional GETs (ETag / Last-Modified → 304) as a well-behaved CMS does, answers 503
with Retry-After on the paths it is told are down, and logs every request (time, path, status,
bytes) so callers can check what a crawler actually asked for.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Mapping

from twinwatch.app.demo.site import Resource


@dataclass(frozen=True, slots=True)
class RequestRecord:
    at: float  # time.monotonic() when the request arrived
    method: str
    path: str
    status: int
    bytes_sent: int
    user_agent: str


@dataclass(slots=True)
class SiteState:
    resources: Mapping[str, Resource] = field(default_factory=dict)
    down_paths: frozenset[str] = frozenset()
    retry_after_seconds: int = 1
    response_delay_seconds: float = 0.0  # a slow site, for tests that interrupt a crawl
    log: list[RequestRecord] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _not_modified(resource: Resource, headers: Mapping[str, str]) -> bool:
    if_none_match = headers.get("If-None-Match")
    if if_none_match is not None:
        return resource.etag in (tag.strip() for tag in if_none_match.split(","))
    since = headers.get("If-Modified-Since")
    if since and resource.last_modified:
        try:
            return parsedate_to_datetime(resource.last_modified) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


class _Handler(BaseHTTPRequestHandler):
    server_version = "demo-site/1"
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle's algorithm on, the second waits for the
    # client's delayed ACK (~40 ms on Linux), which would cap any crawl at ~25 pages/s.
    disable_nagle_algorithm = True

    @property
    def state(self) -> SiteState:
        return self.server.state  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        """Quiet: the request log is kept in `SiteState.log` instead of stderr."""

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self._answer(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(send_body=False)

    def _answer(self, send_body: bool) -> None:
        arrived = time.monotonic()
        if self.state.response_delay_seconds:
            time.sleep(self.state.response_delay_seconds)
        path = self.path
        resource = self.state.resources.get(path)
        extra: dict[str, str] = {}
        if path in self.state.down_paths:
            status, body, content_type = 503, "일시적으로 서비스를 이용할 수 없습니다.".encode(), "text/plain; charset=utf-8"
            extra["Retry-After"] = str(self.state.retry_after_seconds)
        elif resource is None:
            status, body, content_type = 404, b"not found", "text/plain"
        elif _not_modified(resource, self.headers):
            status, body, content_type = 304, b"", resource.content_type
        else:
            status, body, content_type = 200, resource.body, resource.content_type
        if resource is not None and status in (200, 304):
            extra["ETag"] = resource.etag
            if resource.last_modified:
                extra["Last-Modified"] = resource.last_modified
        self.send_response(status)
        if status != 304:
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
        for name, value in extra.items():
            self.send_header(name, value)
        self.end_headers()
        sent = len(body) if send_body and status != 304 else 0
        if sent:
            self.wfile.write(body)
        with self.state.lock:
            self.state.log.append(RequestRecord(arrived, self.command, path, status, sent,
                                                self.headers.get("User-Agent", "")))


class SiteServer:
    """`with SiteServer() as server:` serves `server.state.resources` at `server.base_url`."""

    def __init__(self, resources: Mapping[str, Resource] | None = None,
                 down_paths: frozenset[str] = frozenset(), port: int = 0, *,
                 host: str = "127.0.0.1") -> None:
        """`host` is a loopback address (127.0.0.2 … stand for other hosts in benchmarks)."""
        self.state = SiteState(resources=dict(resources or {}), down_paths=down_paths)
        self._httpd = ThreadingHTTPServer((host, port), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.state = self.state  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="demo-site",
                                        daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "SiteServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> "SiteServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def requests_for(self, path_prefix: str) -> list[RequestRecord]:
        with self.state.lock:
            return [r for r in self.state.log if r.path.startswith(path_prefix)]
