"""Listing pages (feeds, board pages, sitemaps) are read every run; most runs they have not
changed. A ListingCache keeps the last copy of each with its validators, so the next read is a
conditional GET: a 304 costs no body, and the links are parsed again from the kept copy (not
dropped: a run killed half-way still finds every link next time).

Anything with `get`/`put` fits: `MemoryListingCache` serves one process (`twinwatch run`); a
store-backed one serves separate `crawl --once` runs.
"""

from __future__ import annotations

import threading
from typing import Protocol

from crawler.records import FetchResult


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
