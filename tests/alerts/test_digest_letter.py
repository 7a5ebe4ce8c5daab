"""The digest as a news letter: summary line, province then party, article title/outlet/date,
review links, wire boilerplate stripped, weekly recipients, and `digest --test`."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from alerts import alerts_config, build_digest, render_html, render_text, send_digests
from alerts.wire import outlet_of, strip_boilerplate
from store import Store
from tests.support.alerts import add_agreement, alerts_config_for, filled_store, sent_rows
from tests.support.smtp import Inbox, free_port, start_smtp
from twinwatch.app.cli import cli
from twinwatch.config import config_from_dict


@pytest.mark.parametrize("raw, clean", [
    ("(창원=연합뉴스) 김철수 기자 = 창원시는 구마모토시와 자매결연을 맺었다.", "창원시는 구마모토시와 자매결연을 맺었다."),
    ("【서울=뉴시스】이영희 기자 = 서울시는 협약을 맺었다. lee@newsis.com", "서울시는 협약을 맺었다."),
    ("[부산=뉴스1] 박민수 기자 = 부산시는 협약을 맺었다.", "부산시는 협약을 맺었다."),
    ("수원시는 후에시와 협약을 맺었다. 2024/05/01 10:00 송고", "수원시는 후에시와 협약을 맺었다."),
    ("[사진] 전주시가 협약을 맺었다고 밝혔다. /홍길동 기자", "전주시가 협약을 맺었다고 밝혔다."),
    ("창원시는 구마모토시와 자매결연을 맺었다.", "창원시는 구마모토시와 자매결연을 맺었다."),
])
def test_wire_boilerplate_is_stripped(raw, clean):
    assert strip_boilerplate(raw) == clean


@pytest.mark.parametrize("title, source, url, outlet", [
    ("창원시, 구마모토시와 자매결연 - 연합뉴스", "google-news", "https://news.google.com/x", "연합뉴스"),
    ("창원시 보도자료", "창원시-보도자료", "https://www.changwon.go.kr/a", "창원시-보도자료"),
    ("창원시 보도자료", None, "https://www.changwon.go.kr/a", "changwon.go.kr"),
])
def test_outlet(title, source, url, outlet):
    assert outlet_of(title, source, url) == outlet


def config_with(tmp_path: Path, **sections):
    return config_from_dict({"store": {"path": str(tmp_path / "t.db")}, "sources": [], **sections})


def test_letter_layout_with_review_links(tmp_path):
    store, ids = filled_store(tmp_path / "t.db")
    with store:
        add_agreement(store, "https://news.example.kr/wire", korean_party="김해시",
                      korean_province="경상남도", partner="후에시", partner_country="VN",
                      agreement_type="sister_city", date="2026-11-20",
                      evidence="(김해=연합뉴스) 이영희 기자 = 김해시는 베트남 후에시와 자매결연을 맺었다.")
        config = config_with(tmp_path, review={"base_url": "https://review.example.go.kr/"},
                             alerts={"file": {"folder": str(tmp_path / "out")}})
        digest = build_digest(store, "file", "default", settings=alerts_config(config))
        text, html = render_text(digest), render_html(digest)
    lines = text.splitlines()
    assert lines[1] == "새 소식 4건: 자매결연 1, 우호도시 1, 의향서 1, MOU 1"
    order = [line for line in lines if line.startswith(("━━", "■"))]
    assert order == ["━━ 경기도 (1건)", "■ 안산시 — 1건", "━━ 경상남도 (3건)", "■ 경상남도 — 1건",
                     "■ 김해시 — 1건", "■ 창원시 — 1건"]
    assert "    근거: 김해시는 베트남 후에시와 자매결연을 맺었다.\n" in text  # no dateline, no byline
    for event_id in digest.event_ids:
        assert f"    검토: https://review.example.go.kr/events/{event_id}\n" in text
        assert f'<a href="https://review.example.go.kr/events/{event_id}">검토 페이지에서 보기</a>' in html
    assert text.count("    기사: ") == 4 and "(테스트일보" in text
    assert 'id="summary"' in html and "새 소식 4건" in html


def test_no_review_link_without_base_url(tmp_path):
    store, _ids = filled_store(tmp_path / "t.db")
    with store:
        text = render_text(build_digest(store, "file", "default"))
    assert "검토: " not in text and "/events/" not in text


def test_weekly_recipient_gets_the_scheduled_digest_on_its_day_only(tmp_path):
    store, _ids = filled_store(tmp_path / "t.db")
    recipients = [{"name": "daily"}, {"name": "weekly", "frequency": "weekly", "weekday": "수"}]
    config = alerts_config_for(tmp_path / "t.db", {"file": {"folder": str(tmp_path / "out"),
                                                             "recipients": recipients}})
    tuesday = datetime(2026, 11, 24, 0, 0, tzinfo=timezone.utc)  # 09:00 Tuesday in Seoul
    wednesday = datetime(2026, 11, 25, 0, 0, tzinfo=timezone.utc)
    with store:
        first = send_digests(store, config, now=tuesday, scheduled=True)
        assert [(d.recipient, d.outcome) for d in first] == [("daily", "sent")]
        second = send_digests(store, config, now=wednesday, scheduled=True)
        assert [(d.recipient, d.outcome) for d in second] == [("daily", "nothing_new"),
                                                               ("weekly", "sent")]
        assert len(second[1].digest.event_ids) == 3  # the week's events waited for it
        by_hand = send_digests(store, config, now=tuesday)  # `twinwatch digest` sends to all
        assert {d.recipient for d in by_hand} == {"daily", "weekly"}


def test_bad_frequency_is_refused(tmp_path):
    from twinwatch.errors import ConfigError
    config = alerts_config_for(tmp_path / "t.db", {"file": {"folder": "x", "recipients": [
        {"name": "a", "frequency": "monthly"}]}})
    with pytest.raises(ConfigError, match="frequency must be one of daily, weekly"):
        alerts_config(config)


def test_digest_test_sends_one_message_to_a_real_smtp_server(tmp_path):
    store, _ids = filled_store(tmp_path / "t.db")
    store.close()
    inbox, port = Inbox(), free_port()
    controller = start_smtp(port, inbox)
    config_file = tmp_path / "config.toml"
    config_file.write_text(f"""
[store]
path = "{tmp_path / 't.db'}"
[review]
base_url = "http://127.0.0.1:8080"
[alerts.email]
host = "127.0.0.1"
port = {port}
sender = "twinwatch@example.go.kr"
recipients = ["intl@example.go.kr", {{address = "gn@example.go.kr", provinces = ["경남"]}}]
""", encoding="utf-8")
    try:
        result = CliRunner().invoke(cli, ["--config", str(config_file), "digest", "--test",
                                          "gn@example.go.kr"])
    finally:
        controller.stop()
    assert result.exit_code == 0, result.output
    assert "test message sent: mail to gn@example.go.kr (2 events" in result.output
    [(to, message)] = inbox.parsed()
    assert to == ("gn@example.go.kr",)
    assert message["Subject"].startswith("[시험 발송] [twinwatch] 국제교류 협약 소식")
    body = message.get_body(("plain",)).get_content()
    assert "새 소식 2건: 우호도시 1, MOU 1" in body and "검토: http://127.0.0.1:8080/events/" in body
    with Store(tmp_path / "t.db") as store:
        assert set(sent_rows(store).values()) == {0}  # a test records nothing


def test_digest_test_names_the_configured_recipients_when_unknown(tmp_path):
    filled_store(tmp_path / "t.db")[0].close()
    config_file = tmp_path / "config.toml"
    config_file.write_text(f'[store]\npath = "{tmp_path / "t.db"}"\n'
                           f'[alerts.file]\nfolder = "{tmp_path / "out"}"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(config_file), "digest", "--test", "nobody"])
    assert result.exit_code != 0
    assert "no alert recipient 'nobody' (configured: default)" in result.output
