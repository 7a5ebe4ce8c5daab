"""The digest's content and delivery state: once per event, corrections once, dry runs inert."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from alerts import build_digest, render_html, render_text, send_digests
from alerts.config import AlertsConfig, Recipient, RecipientFilter
from alerts.digest import correction_line
from tests.support.alerts import add_agreement, alerts_config_for, filled_store, sent_rows


@pytest.fixture
def filled(tmp_path):
    store, ids = filled_store(tmp_path / "t.db")
    yield store, ids
    store.close()


def file_config(tmp_path: Path, **alerts):
    return alerts_config_for(tmp_path / "t.db", {"file": {"folder": str(tmp_path / "out")}, **alerts})


def written(tmp_path: Path) -> list[str]:
    folder = tmp_path / "out"
    files = sorted(folder.glob("*.md"), key=lambda p: p.stat().st_mtime_ns) if folder.exists() else []
    return [p.read_text(encoding="utf-8") for p in files]


def test_digest_groups_events_by_party_in_korean(filled):
    store, ids = filled
    store.review(ids["안산시"], "confirm", "kim")
    digest = build_digest(store, "file", "default")
    # by province (경기 before 경남, the administrative order), the province's own government first
    assert [g.korean_party for g in digest.groups] == ["안산시", "경상남도", "창원시"]
    text = render_text(digest)
    assert text.splitlines()[1] == "새 소식 3건: 우호도시 1, 의향서 1, MOU 1"
    assert "━━ 경상남도 (2건)\n\n■ 경상남도 — 1건" in text and "■ 창원시 — 1건" in text
    assert "MOU | 나가사키시 (일본) | 2026-11-14 | 검토 전" in text
    assert "의향서 | 훈춘시 (중국) | 2026-11-10\n" in text  # confirmed: no 검토 전 mark
    assert "우호도시 | 가고시마현 (일본) | 2026-11-02 | 검토 전" in text
    assert "근거: 창원시와 나가사키시는 지난 14일 관광교류 양해각서에 서명했다." in text
    assert "\n    https://news.example.kr/changwon\n" in text  # the article's address on its own line
    assert digest.subject.endswith("새 소식 3건")


def test_rejected_events_are_not_sent(filled):
    store, ids = filled
    store.review(ids["창원시"], "reject", "kim", reason="기업 MOU")
    digest = build_digest(store, "file", "default")
    assert ids["창원시"] not in digest.event_ids
    assert len(digest.event_ids) == 2


def test_html_is_autoescaped_and_links_clickable(tmp_path):
    with filled_store(tmp_path / "t.db")[0] as store:
        add_agreement(store, "https://news.example.kr/x", korean_party="부산광역시", partner="<b>후쿠오카</b>",
                      evidence="부산은 <script>alert(1)</script> 후쿠오카와 협약을 맺었다.")
        html = render_html(build_digest(store, "file", "default"))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&lt;b&gt;후쿠오카&lt;/b&gt;" in html
    assert '<a href="https://news.example.kr/x">' in html


def test_file_channel_sends_each_event_once(filled, tmp_path):
    store, _ = filled
    config = file_config(tmp_path)
    first = send_digests(store, config)
    assert [d.outcome for d in first] == ["sent"]
    assert len(written(tmp_path)) == 1 and "나가사키시" in written(tmp_path)[0]
    again = send_digests(store, config, now=datetime.now(timezone.utc) + timedelta(seconds=5))
    assert [d.outcome for d in again] == ["nothing_new"]
    assert len(written(tmp_path)) == 1
    new_id = add_agreement(store, "https://news.example.kr/new", korean_party="순천시",
                           partner="쿠마모토시", partner_country="JP")
    third = send_digests(store, config, now=datetime.now(timezone.utc) + timedelta(seconds=10))
    assert third[0].outcome == "sent" and third[0].digest.event_ids == (new_id,)
    assert len(written(tmp_path)) == 2


def test_send_empty_sends_a_digest_with_nothing_new(filled, tmp_path):
    store, _ = filled
    send_digests(store, file_config(tmp_path))
    later = datetime.now(timezone.utc) + timedelta(seconds=5)
    delivery = send_digests(store, file_config(tmp_path, send_empty=True), now=later)[0]
    assert delivery.outcome == "sent" and delivery.digest.event_ids == ()
    files = written(tmp_path)
    assert len(files) == 2 and "새로 찾은 협약 소식이 없습니다." in files[1]
    assert "새로 찾은 협약 소식이 없습니다." not in files[0]


def test_correction_after_sending_appears_once(filled, tmp_path):
    store, ids = filled
    config = file_config(tmp_path)
    send_digests(store, config)
    store.review(ids["창원시"], "correct", "kim", {"partner": "나가사키현", "agreement_type": "sister_city"})
    later = datetime.now(timezone.utc) + timedelta(seconds=5)
    delivery = send_digests(store, config, now=later)[0]
    assert delivery.outcome == "sent"
    assert delivery.digest.event_ids == ()  # the corrected event is not sent again as new
    lines = [c.line for c in delivery.digest.corrections]
    assert lines == ["[정정] 창원시 – 나가사키시 MOU 2026-11-14: 상대 나가사키시 → 나가사키현; "
                     "유형 MOU → 자매결연"]
    assert "■ 정정" in render_text(delivery.digest)
    following = send_digests(store, config, now=later + timedelta(seconds=5))[0]
    assert following.outcome == "nothing_new" and following.digest.corrections == ()


def test_rejection_of_a_sent_event_and_two_corrections_make_one_line_each(filled, tmp_path):
    store, ids = filled
    config = file_config(tmp_path)
    send_digests(store, config)
    store.review(ids["안산시"], "reject", "kim", reason="행사 참석일 뿐")
    store.review(ids["창원시"], "correct", "kim", {"date": "2026-11-13"})
    store.review(ids["창원시"], "correct", "lee", {"date": "2026-11-12"})
    digest = send_digests(store, config, now=datetime.now(timezone.utc) + timedelta(seconds=5))[0].digest
    assert sorted(c.action for c in digest.corrections) == ["correct", "reject"]
    by_action = {c.action: c.line for c in digest.corrections}
    assert by_action["correct"].endswith("날짜 2026-11-14 → 2026-11-12")
    assert by_action["reject"].startswith("[취소] 안산시 – 훈춘시 의향서 2026-11-10")
    assert "(사유: 행사 참석일 뿐)" in by_action["reject"]
    assert len(digest.correction_log_ids) == 3


def test_correction_before_sending_is_no_correction(filled):
    store, ids = filled
    store.review(ids["창원시"], "correct", "kim", {"partner": "나가사키현"})
    digest = build_digest(store, "file", "default")
    assert digest.corrections == ()
    assert "나가사키현" in render_text(digest) and "수정됨" in render_text(digest)


def test_correction_line_with_nothing_changed():
    entry = {"id": 1, "event_id": 7, "action": "correct", "reason": None,
             "before": '{"korean_party": "A", "partner": "B", "agreement_type": "mou"}',
             "after": '{"korean_party": "A", "partner": "B", "agreement_type": "mou"}'}
    assert correction_line([entry]).line == "[정정] A – B MOU: 내용 변경 없음"


def test_dry_run_sends_nothing_and_changes_no_state(filled, tmp_path):
    store, _ = filled
    config = file_config(tmp_path)
    before = sent_rows(store)
    deliveries = send_digests(store, config, dry_run=True)
    assert [d.outcome for d in deliveries] == ["dry_run"]
    assert len(deliveries[0].digest.event_ids) == 3
    assert sent_rows(store) == before
    assert written(tmp_path) == []
    assert send_digests(store, config)[0].outcome == "sent"  # still all pending


def test_max_events_holds_the_rest_for_the_next_digest(filled, tmp_path):
    store, _ = filled
    config = file_config(tmp_path, max_events=2)
    first = send_digests(store, config)[0].digest
    assert len(first.event_ids) == 2 and first.held_back == 1
    assert "외 1건은 다음 알림에 이어집니다." in render_text(first)
    second = send_digests(store, config, now=datetime.now(timezone.utc) + timedelta(seconds=5))[0].digest
    assert len(second.event_ids) == 1 and second.held_back == 0
    assert set(first.event_ids).isdisjoint(second.event_ids)


def test_since_narrows_and_leaves_the_rest_pending(filled, tmp_path):
    store, ids = filled
    store.db.execute("UPDATE events SET first_seen = '2026-01-05T00:00:00+00:00' WHERE id = ?",
                     [ids["안산시"]])
    store.db.conn.commit()
    digest = build_digest(store, "file", "default", since="2026-06-01")
    assert ids["안산시"] not in digest.event_ids and len(digest.event_ids) == 2
    older = build_digest(store, "file", "default", since="2026-01-01")
    assert ids["안산시"] in older.event_ids


def test_first_digest_reaches_back_lookback_days(filled):
    store, _ = filled
    later = datetime.now(timezone.utc) + timedelta(days=8)
    assert build_digest(store, "file", "default", now=later).event_ids == ()
    wider = AlertsConfig(lookback_days=10)
    assert len(build_digest(store, "file", "default", now=later, settings=wider).event_ids) == 3


@pytest.mark.parametrize(("filters", "parties"), [
    (RecipientFilter(), ["안산시", "경상남도", "창원시"]),
    (RecipientFilter(provinces=frozenset({"경남"})), ["경상남도", "창원시"]),
    (RecipientFilter(parties=frozenset({"안산시"})), ["안산시"]),
    (RecipientFilter(parties=frozenset({"안산시"}), provinces=frozenset({"경남"})),
     ["안산시", "경상남도", "창원시"]),
    (RecipientFilter(countries=frozenset({"CN"})), ["안산시"]),
    (RecipientFilter(types=frozenset({"mou", "friendship_city"})), ["경상남도", "창원시"]),
    (RecipientFilter(provinces=frozenset({"경남"}), types=frozenset({"mou"})), ["창원시"]),
    (RecipientFilter(countries=frozenset({"US"})), []),
])
def test_recipient_filters(filled, filters, parties):
    store, _ = filled
    digest = build_digest(store, "email", Recipient("a@example.kr", filters))
    assert [g.korean_party for g in digest.groups] == parties


def test_recipients_keep_separate_state(filled, tmp_path):
    store, _ = filled
    config = alerts_config_for(tmp_path / "t.db", {"file": {
        "folder": str(tmp_path / "out"),
        "recipients": [{"name": "japan", "countries": ["일본"]}, {"name": "all"}]}})
    first = {d.recipient: d.digest.event_ids for d in send_digests(store, config)}
    assert len(first["japan"]) == 2 and len(first["all"]) == 3
    later = datetime.now(timezone.utc) + timedelta(seconds=5)
    add_agreement(store, "https://news.example.kr/cn", korean_party="인천광역시", partner="톈진시",
                  partner_country="CN")
    second = {d.recipient: d.outcome for d in send_digests(store, config, now=later)}
    assert second == {"japan": "nothing_new", "all": "sent"}


def test_an_event_merged_into_an_unsent_one_is_not_sent_again(filled, tmp_path):
    store, ids = filled
    config = file_config(tmp_path)
    send_digests(store, config)
    duplicate = add_agreement(store, "https://other.example.kr/changwon", korean_party="창원",
                              partner="長崎", partner_country="JP", date="2025-01-01")
    store.merge(duplicate, ids["창원시"], "kim", reason="같은 협약", force=True)  # 長崎 = 나가사키
    later = datetime.now(timezone.utc) + timedelta(seconds=5)
    delivery = send_digests(store, config, now=later)[0]
    assert delivery.outcome == "nothing_new" and duplicate not in delivery.digest.event_ids
