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
    conn.text_factory = _text
    return WritingDatabase(conn)


def _text(data: bytes) -> str:
    """TEXT values as str; bytes that are not UTF-8 can only come from damage to the file
    (everything twinwatch writes is str), so they are a database error, not a UnicodeDecodeError
    from deep inside a query."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise sqlite3.DataError(f"corrupt text in the file at a value's byte {exc.start}") from None


def database_problem(path: Path | str, exc: sqlite3.DatabaseError | UnicodeDecodeError) -> str:
    """One sentence for a database that cannot be used, instead of sqlite3's traceback."""
    reason = "corrupt schema or text" if isinstance(exc, UnicodeDecodeError) else str(exc)
    if "locked" in reason or "busy" in reason:
        return (f"the database {path} is locked: another process kept it busy for more than "
                f"{BUSY_TIMEOUT_SECONDS:.0f} s; try again when it is done")
    if "not a database" in reason or "malformed" in reason or "corrupt" in reason:
        return (f"the database {path} is damaged or not a twinwatch database ({reason}); "
                f"restore it from a backup (`twinwatch backup` makes one)")
    return f"the database {path} cannot be used: {reason}"
