"""A deadline on a whole HTTP exchange, headers included, and body reads bounded by it.

requests' timeout is per socket read: a server sending its status line or headers one byte a
second never trips it (http.client reads a header line of up to 64 KiB, so that is hours).
The body is checked between reads (crawler.fetch.read_until), but a read blocked on headers
cannot check anything. So each exchange runs under a `Deadline`: a timer that, when the time
is up, shuts down the socket the exchange uses, which ends the blocked read at once.

The socket is found through the connection class of the sessions' pools: after sending a
request, a connection hands its socket to the deadline of the thread that sent it.
"""

from __future__ import annotations

import heapq
import itertools
import socket
import threading
import time
from typing import Any, Iterator

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

CHUNK_BYTES = 64 * 1024
_current = threading.local()


class Deadline:
    """`with Deadline(seconds) as deadline:` — a request sent in this thread meanwhile has its
    socket shut down at the deadline; `deadline.expired` then says why it failed."""

    def __init__(self, seconds: float) -> None:
        self.seconds = max(seconds, 0.0)
        self.expired = False
        self.finished = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def __enter__(self) -> "Deadline":
        self._outer = getattr(_current, "deadline", None)
        _current.deadline = self
        _WATCHDOG.add(time.monotonic() + self.seconds, self)
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self.finished = True  # the watchdog drops it when its time comes
            self._sockets.clear()
        _current.deadline = self._outer

    def watch(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def expire(self) -> None:
        with self._lock:
            if self.finished:
                return
            self.expired = True
            for sock in self._sockets:
                _shut(sock)


class _Watchdog:
    """One thread for every Deadline of the process, woken at the earliest one (a timer
    thread per request costs more than a fast loopback exchange)."""

    def __init__(self) -> None:
        self._due: list[tuple[float, int, Deadline]] = []
        self._count = itertools.count()
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None

    def add(self, when: float, deadline: Deadline) -> None:
        with self._wake:
            heapq.heappush(self._due, (when, next(self._count), deadline))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="fetch-deadlines",
                                                daemon=True)
                self._thread.start()
            if self._due[0][2] is deadline:
                self._wake.notify()

    def _run(self) -> None:
        while True:
            with self._wake:
                while self._due and self._due[0][2].finished:
                    heapq.heappop(self._due)
                if not self._due:
                    self._wake.wait()
                    continue
                when, _, deadline = self._due[0]
                if when > time.monotonic():
                    self._wake.wait(when - time.monotonic())
                    continue
                heapq.heappop(self._due)
            deadline.expire()


_WATCHDOG = _Watchdog()


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # closed already


def _hand_over(connection: HTTPConnection) -> None:
    deadline: Deadline | None = getattr(_current, "deadline", None)
    if deadline is not None:
        deadline.watch(getattr(connection, "sock", None))


class _WatchedHTTPConnection(HTTPConnection):
    def request(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        super().request(*args, **kwargs)
        _hand_over(self)


class _WatchedHTTPSConnection(HTTPSConnection):
    def request(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        super().request(*args, **kwargs)
        _hand_over(self)


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


class DeadlineAdapter(HTTPAdapter):
    """requests' adapter whose connections report their sockets to the running Deadline."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _WatchedHTTPPool,
                                                   "https": _WatchedHTTPSPool}


def mount_deadlines(session: Any) -> None:
    """DeadlineAdapters on the session; one mounted already is kept, with its pool sizes (a
    session made for many hosts at once keeps a pool per host instead of requests' ten)."""
    for prefix in ("http://", "https://"):
        if not isinstance(session.adapters.get(prefix), DeadlineAdapter):
            session.mount(prefix, DeadlineAdapter())


class BodyTooLarge(Exception):
    """More than the limit arrived; `size` is how much was read."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


class LateBody(Exception):
    """The body was still arriving at the deadline; `size` is how much was read."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


def read_until(response: requests.Response, limit: int, ends_at: float, *,
               cut: bool = False) -> bytes:
    """The body, read as it arrives, at most `limit` bytes (`cut`: the rest ignored; else
    BodyTooLarge) and only until `ends_at` (monotonic; then LateBody). The socket's read
    timeout is per read: a server dribbling a byte a second never trips it, this check does."""
    chunks: list[bytes] = []
    size = 0
    for chunk in _body_pieces(response):
        size += len(chunk)
        if size > limit:
            if not cut:
                raise BodyTooLarge(size)
            chunks.append(chunk[: len(chunk) - (size - limit)])
            break
        chunks.append(chunk)
        if time.monotonic() > ends_at:
            raise LateBody(size)
    return b"".join(chunks)


def _body_pieces(response: requests.Response) -> Iterator[bytes]:
    """The body as it arrives. `read1` hands over whatever one socket read brought; requests'
    iter_content would block until a whole chunk is in, which lets a dribbling server stall us."""
    read1 = getattr(response.raw, "read1", None)
    if read1 is None:  # urllib3 < 2
        yield from response.iter_content(CHUNK_BYTES)
        return
    while piece := read1(CHUNK_BYTES, decode_content=True):
        yield piece
