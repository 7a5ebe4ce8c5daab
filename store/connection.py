"""The store's connection: every write transaction starts as a write.

SQLite's default `BEGIN` is deferred: a transaction that reads first holds only a read lock, and
in WAL mode it cannot be upgraded once another connection has committed — SQLite then answers
"database is locked" at once, without waiting for the busy timeout. A reviewer's decision reads
the event and then updates it, so under a crawl it failed in a fraction of a second.
`BEGIN IMMEDIATE` takes the write lock first, waiting its turn under the busy timeout, so
nothing has to be retried by hand.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlite_utils import Database

BUSY_TIMEOUT_SECONDS = 30.0


class WritingDatabase(Database):
    """sqlite-utils' `Database` whose outermost `atomic()` block is `BEGIN IMMEDIATE`
    (nested blocks stay savepoints). sqlite-utils' own inserts and updates go through
    `atomic()` too, and a bare write statement outside a block begins IMMEDIATE as well
    (the connection's `isolation_level`)."""

    @contextmanager
    def atomic(self) -> Iterator["WritingDatabase"]:
        if self.conn.in_transaction:
            with super().atomic():
                yield self
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        try:
            self.conn.execute("COMMIT")
        except BaseException:
            self.rollback()
            raise


def connect(path: Path, timeout: float = BUSY_TIMEOUT_SECONDS) -> WritingDatabase:
    """The database at `path`, waiting up to `timeout` seconds for another writer."""
    conn = sqlite3.connect(str(path), timeout=timeout, isolation_level="IMMEDIATE")
    return WritingDatabase(conn)
