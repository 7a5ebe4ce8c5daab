"""Source-health warnings: failing, quiet past quiet_days, list page suddenly without links."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from alerts import build_digest, render_text, send_digests, source_warnings
from store import Store
from tests.support.alerts import alerts_config_for, filled_store

SOURCES = [{"name": "시청 보도자료", "kind": "html_list", "url": "http://127.0.0.1:9/list",
            "link_selector": "a", "quiet_days": 14},
           {"name": "지역신문", "kind": "rss", "url": "http://127.0.0.1:9/rss.xml", "quiet_days": 3},
           {"name": "꺼둔 게시판", "kind": "rss", "url": "http://127.0.0.1:9/x", "enabled": False}]


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "t.db") as opened:
        yield opened


def config(tmp_path, **alerts):
    return alerts_config_for(tmp_path / "t.db", alerts, SOURCES)


def kinds(warnings) -> dict[str, str]:
    return {w.source: w.kind for w in warnings}


def test_healthy_sources_give_no_warning(store, tmp_path):
    store.record_source_attempt("시청 보도자료", ok=True, links=20, new_items=2)
    store.record_source_attempt("지역신문", ok=True, links=10, new_items=1)
    assert source_warnings(store, config(tmp_path)) == []


def test_never_attempted_source_is_not_reported(store, tmp_path):
    assert source_warnings(store, config(tmp_path)) == []


def test_consecutive_failures_from_the_threshold(store, tmp_path):
    store.record_source_attempt("지역신문", ok=True, links=10, new_items=1)
    store.record_source_attempt("지역신문", ok=False, error="fetch_error: 503", links=0)
    assert source_warnings(store, config(tmp_path)) == []  # one failure is not yet a pattern
    assert kinds(source_warnings(store, config(tmp_path, failure_threshold=1))) == {"지역신문": "failing"}
    store.record_source_attempt("지역신문", ok=False, error="fetch_error: 503", links=0)
    [warning] = source_warnings(store, config(tmp_path))
    assert warning.kind == "failing"
    assert warning.message.startswith("지역신문: 2회 연속 수집 실패 (마지막 오류: fetch_error: 503")
    store.record_source_attempt("지역신문", ok=True, links=10)
    assert source_warnings(store, config(tmp_path)) == []


def test_quiet_source_is_reported_after_its_quiet_days(store, tmp_path):
    store.record_source_attempt("지역신문", ok=True, links=10, new_items=3)
    store.record_source_attempt("시청 보도자료", ok=True, links=20, new_items=1)
    now = datetime.now(timezone.utc)
    assert source_warnings(store, config(tmp_path), now + timedelta(days=3, hours=1)) == []
    warnings = source_warnings(store, config(tmp_path), now + timedelta(days=5))
    assert kinds(warnings) == {"지역신문": "quiet"}  # the board's quiet_days is 14
    assert "지역신문: 5일째 새 글 없음 (기준 3일" in warnings[0].message
    assert kinds(source_warnings(store, config(tmp_path), now + timedelta(days=15))) == {
        "지역신문": "quiet", "시청 보도자료": "quiet"}


def test_source_that_never_yielded_an_item_is_quiet_from_its_first_attempt(store, tmp_path):
    store.record_source_attempt("지역신문", ok=True, links=4)
    warnings = source_warnings(store, config(tmp_path), datetime.now(timezone.utc) + timedelta(days=4))
    assert kinds(warnings) == {"지역신문": "quiet"} and "마지막 새 글: 없음" in warnings[0].message


def test_list_page_suddenly_without_links(store, tmp_path):
    store.record_source_attempt("시청 보도자료", ok=True, links=12, new_items=1)
    store.record_source_attempt("시청 보도자료", ok=True, links=0)
    [warning] = source_warnings(store, config(tmp_path))
    assert warning.kind == "no_links" and "(이전 12개" in warning.message
    store.record_source_attempt("시청 보도자료", ok=True, links=0)
    assert kinds(source_warnings(store, config(tmp_path))) == {"시청 보도자료": "no_links"}
    store.record_source_attempt("시청 보도자료", ok=True, links=9)
    assert source_warnings(store, config(tmp_path)) == []


def test_disabled_sources_are_not_reported(store, tmp_path):
    for _ in range(3):
        store.record_source_attempt("꺼둔 게시판", ok=False, error="fetch_error: 404")
    assert source_warnings(store, config(tmp_path)) == []


def test_quiet_source_appears_in_the_digest(tmp_path):
    store, _ = filled_store(tmp_path / "t.db")
    with store:
        store.record_source_attempt("지역신문", ok=True, links=10, new_items=1)
        later = datetime.now(timezone.utc) + timedelta(days=6)
        warnings = source_warnings(store, config(tmp_path), later)
        text = render_text(build_digest(store, "file", "default", warnings=warnings))
    assert "■ 수집 경고\n  · 지역신문: 6일째 새 글 없음" in text


def test_a_new_warning_is_news_but_the_same_warning_again_is_not(tmp_path):
    store, _ = filled_store(tmp_path / "t.db")
    settings = config(tmp_path, file={"folder": str(tmp_path / "out")})
    with store:
        send_digests(store, settings)
        for _ in range(2):
            store.record_source_attempt("지역신문", ok=False, error="timeout")
        later = datetime.now(timezone.utc) + timedelta(seconds=5)
        first = send_digests(store, settings, now=later)[0]
        assert first.outcome == "sent" and first.digest.event_ids == ()
        assert "지역신문: 2회 연속 수집 실패" in render_text(first.digest)
        again = send_digests(store, settings, now=later + timedelta(seconds=5))[0]
        assert again.outcome == "nothing_new"
