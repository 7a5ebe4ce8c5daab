"""The database itself: migrations, WAL, append-only review log, full-text search, backup."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from sqlite_utils import Database

from store import Store, StoreError
from store.migrations import MIGRATIONS
from tests.support.store import make_event, save_page

MIGRATION_NAMES = ["m001_tables", "m002_documents_fts", "m003_views", "m004_curation",
                   "m005_alerts", "m006_relationships", "m007_field_spans"]


def applied(path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [row[0] for row in conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = 'twinwatch' ORDER BY id")]


def test_migrations_apply_once_and_are_recorded(tmp_path):
    path = tmp_path / "t.db"
    Store(path).close()
    assert applied(path) == MIGRATION_NAMES
    with Store(path) as reopened:  # reopening applies nothing and keeps the data
        save_page(reopened, "https://a.kr/1", [make_event()])
    with Store(path) as third:
        assert len(third.events()) == 1
    assert applied(path) == MIGRATION_NAMES


def test_newer_migration_applies_on_an_older_database(tmp_path):
    path = tmp_path / "old.db"
    old = Database(path)
    MIGRATIONS.apply(old, stop_before="m003_views")  # a database from before the views existed
    old.execute("INSERT INTO sources (name) VALUES ('kept')")
    old.close()
    assert applied(path) == MIGRATION_NAMES[:2]
    with Store(path) as store:
        assert "events_with_sources" in store.db.view_names()
        assert [s.name for s in store.source_health()] == ["kept"]
    assert applied(path) == MIGRATION_NAMES


def test_wal_and_foreign_keys_are_on(tmp_path):
    with Store(tmp_path / "t.db") as store:
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        with pytest.raises(sqlite3.IntegrityError):
            store.db.execute("INSERT INTO mentions (event_id, document_id, agreement_type, status,"
                             " korean_party, partner, extracted, extracted_at)"
                             " VALUES (99, 99, 'mou', 'signed', 'a', 'b', '{}', 'now')")


@pytest.mark.parametrize("statement", [
    "UPDATE review_log SET reason = 'rewritten'",
    "DELETE FROM review_log",
])
def test_review_log_is_append_only(tmp_path, statement):
    with Store(tmp_path / "t.db") as store:
        save_page(store, "https://a.kr/1", [make_event()])
        store.review(1, "reject", "kim", reason="a visit, not an agreement")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            store.db.execute(statement)
        (entry,) = store.review_log(1)
        assert (entry.action, entry.reason, entry.after["review_state"]) == (
            "reject", "a visit, not an agreement", "rejected")


@pytest.mark.parametrize("action, after, message", [
    ("approve", None, "unknown review action"),
    ("correct", None, "needs the fields"),
    ("correct", {"agreement_type": "treaty"}, "agreement_type must be"),
    ("correct", {"date": "10/10/2023"}, "date must be"),
    ("correct", {"evidence": "x"}, "cannot correct 'evidence'"),
])
def test_bad_review_is_refused_and_not_logged(tmp_path, action, after, message):
    with Store(tmp_path / "t.db") as store:
        save_page(store, "https://a.kr/1", [make_event()])
        with pytest.raises(StoreError, match=message):
            store.review(1, action, "kim", after=after)
        assert store.review_log() == [] and store.event(1)["review_state"] == "new"


@pytest.mark.parametrize("query, found", [
    ("훈춘", True),  # 2 characters: LIKE fallback
    ("훈춘시", True),  # trigram inside 훈춘시와
    ("춘시와 교류", True),  # every word must occur
    ("훈", True),
    ("연길", False),
    ("훈춘 연길시", False),
    ("100%", False),  # LIKE wildcards are literal
])
def test_search_finds_korean_substrings(tmp_path, query, found):
    with Store(tmp_path / "t.db") as store:
        save_page(store, "https://a.kr/1", [], text="안산시는 훈춘시와 교류의향서를 체결했다.")
        save_page(store, "https://b.kr/2", [], text="날씨가 맑다.")
        hits = store.search(query)
        assert [h.url for h in hits] == (["https://a.kr/1"] if found else [])


def test_search_index_follows_updates_and_deletes(tmp_path):
    with Store(tmp_path / "t.db") as store:
        save_page(store, "https://a.kr/1", [], text="안산시는 훈춘시와 교류의향서를 체결했다.")
        save_page(store, "https://a.kr/1", [], text="안산시는 연길시와 교류의향서를 체결했다.")
        assert store.search("훈춘시") == [] and len(store.search("연길시")) == 1
        store.db.execute("DELETE FROM documents")
        assert store.search("연길시") == []


def _wait_until(condition, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "writer thread made no progress"
        time.sleep(0.01)


def test_backup_while_another_connection_writes(tmp_path):
    path = tmp_path / "live.db"
    with Store(path) as store:
        save_page(store, "https://a.kr/0", [make_event()])
    stop = threading.Event()
    written: list[int] = []

    def keep_writing() -> None:  # another connection, as a running crawl would be
        with Store(path) as writer:
            while not stop.is_set():
                written.append(save_page(writer, f"https://w.kr/{len(written)}", []).document_id)

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        _wait_until(lambda: len(written) >= 5)
        with Store(path) as reader:
            copies = [reader.backup(tmp_path / f"copy{i}.db") for i in range(3)]
    finally:
        stop.set()
        thread.join()
    for copy in copies:
        with sqlite3.connect(copy) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == 1
            assert 1 <= conn.execute("SELECT count(*) FROM documents").fetchone()[0] <= len(written) + 1
        with Store(copy) as restored:
            assert restored.search("훈춘시")


def test_backup_leaves_out_an_uncommitted_write(tmp_path):
    path = tmp_path / "live.db"
    with Store(path) as store:
        save_page(store, "https://a.kr/0", [make_event()])
        with Store(path) as writer:
            writer.db.execute("BEGIN IMMEDIATE")
            save_page(writer, "https://a.kr/uncommitted", [])
            store.backup(tmp_path / "copy.db")
            writer.db.rollback()
        with pytest.raises(StoreError, match="already exists"):
            store.backup(tmp_path / "copy.db")
    with Store(tmp_path / "copy.db") as copy:
        assert copy.known_url("https://a.kr/0") and copy.known_url("https://a.kr/uncommitted") is None


def test_views_for_browsing_in_datasette(tmp_path):
    with Store(tmp_path / "t.db") as store:
        save_page(store, "https://a.kr/1", [make_event()])
        save_page(store, "https://b.kr/2", [make_event()])
        store.save_document(None, url="https://c.kr/3", source="test",
                            drop_reason="robots_disallowed")
        (row,) = store.db.query("SELECT * FROM events_with_sources")
        assert (row["partner"], row["mentions"], row["source_urls"]) == (
            "훈춘시", 2, "https://a.kr/1 https://b.kr/2")
        (health,) = store.db.query("SELECT * FROM source_health")
        assert (health["name"], health["documents"], health["dropped"]) == ("test", 3, 1)
        assert store.db["documents"].detect_fts() == "documents_fts"
