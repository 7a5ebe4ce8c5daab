"""Server-side state of logins: a session version per reviewer, and a log-in rate limit.

A session cookie is signed, not stored, so on its own it stays valid until it expires — a copy
taken before log-out would still work after it. Each login therefore records the reviewer's
current session version, and every request compares it with the version kept here; log-out
raises the version, which ends every session of that reviewer at once.

The versions live in a small SQLite file beside the database (`DATABASE.review-sessions`,
as the signing key lives in `DATABASE.review-secret`): they are the web page's own state, not
part of the event store, and they survive a restart of `serve`.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path


class SessionVersions:
    """`current(name)` and `revoke(name)` over `DATABASE.review-sessions`."""

    def __init__(self, database: Path) -> None:
        self.path = database.with_name(database.name + ".review-sessions")
        connection = self._connect()
        try:
            connection.execute("CREATE TABLE IF NOT EXISTS session_versions "
                               "(reviewer TEXT PRIMARY KEY, version INTEGER NOT NULL)")
        finally:
            connection.close()

    def _connect(self) -> sqlite3.Connection:
        # One short connection per call: waitress serves requests from several threads.
        return sqlite3.connect(self.path, timeout=30, isolation_level="IMMEDIATE")

    def current(self, name: str) -> int:
        connection = self._connect()
        try:
            row = connection.execute("SELECT version FROM session_versions WHERE reviewer = ?",
                                     [name]).fetchone()
        finally:
            connection.close()
        return int(row[0]) if row else 0

    def revoke(self, name: str) -> None:
        """End every session `name` holds (log-out, on any device)."""
        connection = self._connect()
        try:
            with connection:
                connection.execute(
                    "INSERT INTO session_versions (reviewer, version) VALUES (?, 1) "
                    "ON CONFLICT (reviewer) DO UPDATE SET version = version + 1", [name])
        finally:
            connection.close()


@dataclass
class _Failures:
    times: deque[float] = field(default_factory=deque)
    locked_until: float = 0.0


@dataclass
class LoginThrottle:
    """After `max_failures` wrong log-ins for one name from one address within `window`
    seconds, that pair may not try again for `lockout` seconds — not even with the right
    password. Kept in memory: a restart forgets it, which costs an attacker a restart."""

    max_failures: int = 10
    window: float = 15 * 60.0
    lockout: float = 15 * 60.0
    _pairs: dict[tuple[str, str], _Failures] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait_seconds(self, name: str, address: str) -> float:
        """How long this pair must still wait before trying (0: it may try now)."""
        with self._lock:
            failures = self._pairs.get((name, address))
            return max(0.0, failures.locked_until - time.monotonic()) if failures else 0.0

    def failed(self, name: str, address: str) -> None:
        now = time.monotonic()
        with self._lock:
            if len(self._pairs) > 10_000:  # many names tried: forget the quiet ones
                self._forget_before(now - max(self.window, self.lockout))
            failures = self._pairs.setdefault((name, address), _Failures())
            failures.times.append(now)
            while failures.times and failures.times[0] < now - self.window:
                failures.times.popleft()
            if len(failures.times) >= self.max_failures:
                failures.locked_until = now + self.lockout
                failures.times.clear()

    def succeeded(self, name: str, address: str) -> None:
        with self._lock:
            self._pairs.pop((name, address), None)

    def _forget_before(self, moment: float) -> None:
        for pair, failures in list(self._pairs.items()):
            if failures.locked_until < moment and (not failures.times or failures.times[-1] < moment):
                del self._pairs[pair]
