"""Listing pages (feeds, board pages, sitemaps) are read every run; most runs they have not
changed. A ListingCache keeps the last copy of each with its validators, so the next read is a
conditional GET: a 304 costs no body, and the links are parsed again from the kept copy (not
dropped: a run killed half-way still finds every link next time).

Anything with `get`/`put` fits: `MemoryListingCache` serves one process (`twinwatch run`);
`SqliteListingCache(path)` keeps them in a small file of its own for separate `crawl --once` runs.
"""

from __future__ import annotations

import gzip
import json
import sqlite3
import threading
from pathlib import Path
from typing import Protocol

from twinwatch.pages.records import FetchResult


class ListingCache(Protocol):
    def get(self, url: str) -> FetchResult | None:
        """The last kept copy of the listing at canonical `url`, if any."""

    def put(self, result: FetchResult) -> None:
        """Keep `result` (it carries an ETag or Last-Modified) under `result.url`."""


class MemoryListingCache:
    """A process-wide ListingCache holding at most `max_entries` listings (oldest dropped)."""

    def __init__(self, max_entries: int = 1000) -> None:
        self.max_entries = max_entries
        self._kept: dict[str, FetchResult] = {}
        self._lock = threading.Lock()

    def get(self, url: str) -> FetchResult | None:
        with self._lock:
            return self._kept.get(url)

    def put(self, result: FetchResult) -> None:
        with self._lock:
            self._kept.pop(result.url, None)
            self._kept[result.url] = result
            while len(self._kept) > self.max_entries:
                self._kept.pop(next(iter(self._kept)))


class SqliteListingCache:
    """A ListingCache in its own small SQLite file, so separate `crawl --once` runs share it.
    Bodies are kept gzip'd; headers as JSON. Safe to share between threads."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS listings (url TEXT PRIMARY KEY, final_url TEXT, status INTEGER,"
            " headers TEXT NOT NULL, body BLOB NOT NULL, fetched_at TEXT NOT NULL)"
        )

    def get(self, url: str) -> FetchResult | None:
        with self._lock:
            row = self._db.execute(
                "SELECT final_url, status, headers, body, fetched_at FROM listings WHERE url = ?", (url,)
            ).fetchone()
        if row is None:
            return None
        final_url, status, headers, body, fetched_at = row
        return FetchResult(url=url, body=gzip.decompress(body), final_url=final_url, status=status,
                           headers=json.loads(headers), fetched_at=fetched_at, discovered_via="live")

    def put(self, result: FetchResult) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO listings VALUES (?, ?, ?, ?, ?, ?)",
                (result.url, result.final_url, result.status, json.dumps(result.headers),
                 gzip.compress(result.body), result.fetched_at),
            )

    def close(self) -> None:
        with self._lock:
            self._db.close()
