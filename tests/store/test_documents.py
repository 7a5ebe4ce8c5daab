"""Documents kept and dropped, conditional-GET data, sources' health, and crash safety."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from extract.records import Document
from store import Retrieval, Store, StoreError
from tests.support.paths import REPO
from tests.support.store import make_event, save_page


def test_known_url_gives_what_a_conditional_get_needs(store):
    assert store.known_url("https://a.kr/1") is None
    save_page(store, "https://a.kr/1", [make_event()])
    row = store.known_url("https://a.kr/1")
    assert (row.etag, row.http_status, row.source, row.drop_reason) == ('"v1"', 200, "test", None)
    assert row.content_hash.startswith("sha256:")


@pytest.mark.parametrize("reason", ["fetch_error: 503", "robots_disallowed", "not_korean", "off_topic"])
def test_a_drop_is_kept_with_its_reason(store, reason):
    retrieval = Retrieval(url="https://a.kr/x", http_status=503 if "503" in reason else 200)
    document_id = store.save_document(None, retrieval=retrieval, source="s", discovered_via="live",
                                      drop_reason=reason)
    row = store.known_url("https://a.kr/x")
    assert (row.id, row.drop_reason, row.source) == (document_id, reason, "s")
    dropped = store.db.execute("SELECT canonical_url, drop_reason FROM dropped_documents").fetchall()
    assert dropped == [("https://a.kr/x", reason)]


def test_a_drop_without_fetch_needs_a_url(store):
    with pytest.raises(StoreError, match="needs a URL"):
        store.save_document(None, drop_reason="robots_disallowed")
    store.save_document(None, url="https://a.kr/robots", drop_reason="robots_disallowed")
    assert store.known_url("https://a.kr/robots").drop_reason == "robots_disallowed"


def test_a_later_failure_never_wipes_a_stored_document(store):
    save_page(store, "https://a.kr/1", [make_event()])
    failed = Retrieval(url="https://a.kr/1", http_status=503)
    store.save_document(None, retrieval=failed, drop_reason="fetch_error: 503")
    not_modified = Retrieval(url="https://a.kr/1", http_status=304)
    store.save_document(None, retrieval=not_modified)
    row = store.known_url("https://a.kr/1")
    assert (row.drop_reason, row.etag, row.http_status) == (None, '"v1"', 200)
    assert store.search("훈춘시")


def test_a_drop_then_a_success_keeps_the_document(store):
    store.save_document(None, retrieval=Retrieval(url="https://a.kr/1", http_status=503),
                        drop_reason="fetch_error: 503")
    save_page(store, "https://a.kr/1", [make_event()])
    assert store.known_url("https://a.kr/1").drop_reason is None
    assert len(store.events()) == 1


def test_raw_bytes_are_kept_compressed_when_asked(tmp_path):
    body = "<html><meta charset=euc-kr>".encode() + "안산시 훈춘시".encode("euc-kr") * 200
    fetched = Retrieval(url="https://a.kr/1", raw=body, http_status=200)
    document = Document(url="https://a.kr/1", text="안산시 훈춘시")
    with Store(tmp_path / "raw.db", keep_raw=True) as store:
        document_id = store.save_document(document, retrieval=fetched)
        assert store.raw_body(document_id) == body
        stored = store.db.execute("SELECT length(raw_zlib) FROM documents").fetchone()[0]
        assert stored < len(body) / 4
    with Store(tmp_path / "plain.db") as store:
        assert store.raw_body(store.save_document(document, retrieval=fetched)) is None


def test_discovered_via_is_checked(store):
    with pytest.raises(StoreError, match="discovered_via"):
        store.save_document(Document(url="a.txt", text="x"), discovered_via="crawl")


def test_source_health_counts_failures_and_new_items(store):
    store.register_source("gnews", "rss", "https://news.example/rss")
    store.record_source_attempt("gnews", ok=True, links=12, new_items=3)
    store.record_source_attempt("gnews", ok=False, error="fetch_error: 503")
    store.record_source_attempt("gnews", ok=False, error="fetch_error: timeout", links=0)
    (health,) = store.source_health()
    assert (health.kind, health.consecutive_failures, health.last_error, health.links_last_run,
            health.items_total) == ("rss", 2, "fetch_error: timeout", 0, 3)
    assert health.last_new_item and health.last_success and health.last_attempt >= health.last_success
    store.record_source_attempt("gnews", ok=True, links=5)
    (health,) = store.source_health()
    assert (health.consecutive_failures, health.last_error, health.items_total) == (0, None, 3)


def test_a_failing_save_leaves_no_half_saved_document(store):
    broken = make_event(agreement_type=None)  # violates NOT NULL inside the transaction
    with pytest.raises(sqlite3.IntegrityError):
        save_page(store, "https://a.kr/1", [make_event(partner="연길시"), broken])
    assert store.known_url("https://a.kr/1") is None
    assert store.events() == []


CRASHING_WRITER = textwrap.dedent("""
    import sys, time
    from store import Store
    from tests.support.store import make_event, save_page
    store = Store(sys.argv[1])
    save_page(store, "https://a.kr/committed", [make_event()])
    with store.transaction():
        save_page(store, "https://a.kr/in-flight", [make_event(partner="연길시")])
        print("inside", flush=True)
        time.sleep(60)
""")


def test_sigkill_mid_save_loses_nothing_committed(tmp_path):
    path = tmp_path / "crash.db"
    writer = subprocess.Popen([sys.executable, "-c", CRASHING_WRITER, str(path)], cwd=REPO,
                              stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        assert writer.stdout.readline().strip() == "inside"
    finally:
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait()
    with Store(path) as store:
        assert store.known_url("https://a.kr/committed") is not None
        assert store.known_url("https://a.kr/in-flight") is None
        assert [e["partner"] for e in store.events()] == ["훈춘시"]
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # and the run that follows saves the page as if nothing had happened
        save_page(store, "https://a.kr/in-flight", [make_event(partner="연길시")])
        assert len(store.events()) == 2
