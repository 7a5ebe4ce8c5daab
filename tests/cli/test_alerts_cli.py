"""`[alerts]` config errors, `twinwatch digest`, the scheduler's digest job, `twinwatch sources`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from alerts import alerts_config
from store import Store
from tests.support.alerts import alerts_config_for, filled_store, sent_rows
from twinwatch.app.cli import cli
from twinwatch.app.commands.digest import checked_since
from twinwatch.config import config_from_dict, load_config
from twinwatch.errors import ConfigError
from twinwatch.app.scheduler import daily_digest


@pytest.mark.parametrize(("alerts", "message"), [
    ({"send_empty": "yes"}, "[alerts] send_empty must be true or false"),
    ({"max_events": 0}, "[alerts] max_events must be at least 1"),
    ({"colour": "red"}, "[alerts] unknown key 'colour'"),
    ({"email": {"port": "25"}}, "[alerts.email] port must be a number"),
    ({"email": {"recipients": ["a@b.kr"]}}, "[alerts.email] sender is required"),
    ({"email": {"sender": "t@b.kr", "ssl": True, "starttls": True, "recipients": ["a@b.kr"]}},
     "not both"),
    ({"email": {"sender": "t@b.kr", "recipients": ["nobody"]}},
     "[alerts.email.recipients[0]] address 'nobody' is not an e-mail address"),
    ({"email": {"sender": "t@b.kr", "recipients": [{"address": "a@b.kr", "types": ["친선"]}]}},
     "[alerts.email.recipients[0]] types: unknown type '친선'"),
    ({"email": {"sender": "t@b.kr", "recipients": [{"address": "a@b.kr", "provinces": ["창원"]}]}},
     "provinces: '창원' is not a 광역 government"),
    ({"email": {"sender": "t@b.kr", "recipients": [{"address": "a@b.kr", "countries": ["중궈"]}]}},
     "countries: unknown country '중궈'"),
    ({"email": {"sender": "t@b.kr", "recipients": [{"address": "a@b.kr", "province": ["경남"]}]}},
     "unknown key 'province'"),
    ({"webhook": {"format": "xml"}}, "[alerts.webhook] format must be one of slack, json"),
    ({"webhook": {"recipients": [{"url": "http://x"}]}}, "[alerts.webhook.recipients[0]] missing key 'name'"),
    ({"file": {"recipients": ["a", "a"]}}, "[alerts.file] recipient 'a' is listed twice"),
])
def test_config_errors_name_the_table_and_key(tmp_path, alerts, message):
    with pytest.raises(ConfigError) as caught:
        alerts_config(alerts_config_for(tmp_path / "t.db", alerts))
    assert message in str(caught.value)


def test_packaged_defaults_configure_no_channel():
    settings = alerts_config(load_config(None))
    assert settings.active_channels() == () and settings.send_empty is False


def test_filters_accept_korean_labels_and_codes(tmp_path):
    settings = alerts_config(alerts_config_for(tmp_path / "t.db", {"email": {
        "sender": "t@b.kr", "recipients": [{"address": "a@b.kr", "types": ["자매결연", "mou"],
                                            "countries": ["중국", "jp"], "provinces": ["경상남도"]}]}}))
    [recipient] = settings.email.recipients
    assert recipient.filters.types == {"sister_city", "mou"}
    assert recipient.filters.countries == {"CN", "JP"} and recipient.filters.provinces == {"경남"}


def write_config(tmp_path: Path, alerts_toml: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'[store]\npath = "{tmp_path / "t.db"}"\n\n{alerts_toml}', encoding="utf-8")
    return path


FILE_CHANNEL = '[alerts.file]\nfolder = "{folder}"\n'


def test_digest_dry_run_prints_and_changes_nothing(tmp_path):
    filled_store(tmp_path / "t.db")[0].close()
    config = write_config(tmp_path, FILE_CHANNEL.format(folder=tmp_path / "out"))
    result = CliRunner().invoke(cli, ["--config", str(config), "digest", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "── file → default (dry run: not sent) ──" in result.output
    assert "━━ 경상남도 (2건)" in result.output and "■ 창원시 — 1건" in result.output
    assert not (tmp_path / "out").exists()
    with Store(tmp_path / "t.db") as opened:
        assert set(sent_rows(opened).values()) == {0}


def test_digest_sends_then_has_nothing_new(tmp_path):
    filled_store(tmp_path / "t.db")[0].close()
    config = write_config(tmp_path, FILE_CHANNEL.format(folder=tmp_path / "out"))
    first = CliRunner().invoke(cli, ["--config", str(config), "digest"])
    assert first.exit_code == 0, first.output
    assert first.output.startswith("file → default: sent (3 events, 0 corrections, 0 source warnings)")
    [written] = list((tmp_path / "out").glob("*.md"))
    assert written.read_text(encoding="utf-8").startswith("# [twinwatch] 국제교류 협약 소식")
    second = CliRunner().invoke(cli, ["--config", str(config), "digest", "--channel", "file"])
    assert second.exit_code == 0 and "nothing new, nothing sent" in second.output


def test_digest_refusals(tmp_path):
    filled_store(tmp_path / "t.db")[0].close()
    config = str(write_config(tmp_path, ""))
    no_recipients = CliRunner().invoke(cli, ["--config", config, "digest"])
    assert no_recipients.exit_code == 1 and "no alert recipients configured" in no_recipients.output
    preview = CliRunner().invoke(cli, ["--config", config, "digest", "--dry-run"])
    assert preview.exit_code == 0 and "━━ 경기도 (1건)\n\n■ 안산시" in preview.output
    no_email = CliRunner().invoke(cli, ["--config", config, "digest", "--channel", "email"])
    assert no_email.exit_code == 1 and "[alerts.email] has no recipients" in no_email.output
    bad_since = CliRunner().invoke(cli, ["--config", config, "digest", "--since", "last week"])
    assert bad_since.exit_code == 2 and "--since" in bad_since.output


def test_failed_send_exits_1_and_says_pending(tmp_path):
    filled_store(tmp_path / "t.db")[0].close()
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    config = write_config(tmp_path, FILE_CHANNEL.format(folder=blocker))
    result = CliRunner().invoke(cli, ["--config", str(config), "digest"])
    assert result.exit_code == 1 and "NOT sent, stays pending" in result.output


def test_scheduler_digest_job_sends_through_alerts(tmp_path):
    filled_store(tmp_path / "t.db")[0].close()
    config = config_from_dict({"store": {"path": str(tmp_path / "t.db")},
                               "alerts": {"file": {"folder": str(tmp_path / "out")}}})
    (delivery,) = daily_digest(config)
    assert (delivery.channel, delivery.outcome) == ("file", "sent")
    assert len(list((tmp_path / "out").glob("*.md"))) == 1


def test_config_check_reports_alerts_errors_with_line(tmp_path):
    config = write_config(tmp_path, '[alerts.email]\nhost = "smtp.example.kr"\nport = "587"\n')
    result = CliRunner().invoke(cli, ["--config", str(config), "config", "check"])
    assert result.exit_code == 1
    assert "[alerts.email] port must be a number" in result.output and "line 6" in result.output


def test_sources_json_carries_the_warning(tmp_path):
    store, _ = filled_store(tmp_path / "t.db")
    with store:
        for _ in range(2):
            store.record_source_attempt("닫힌 게시판", ok=False, error="fetch_error: 503", links=0)
    config = write_config(tmp_path, '[[sources]]\nname = "닫힌 게시판"\nkind = "rss"\n'
                                    'url = "http://127.0.0.1:9/rss"\n')
    result = CliRunner().invoke(cli, ["--config", str(config), "sources", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {row["name"]: row for row in json.loads(result.output)}
    assert rows["닫힌 게시판"]["warning"].startswith("닫힌 게시판: 2회 연속 수집 실패")
    assert "warning" not in rows["테스트일보"]  # stored but no longer configured: no quiet_days


@pytest.mark.parametrize(("given", "stamp"), [
    ("2026-11-22", "2026-11-21T15:00:00+00:00"),  # a day starts at midnight in Seoul
    ("2026-11-22T09:30", "2026-11-22T00:30:00+00:00"),
    ("2026-11-22T09:30:00Z", "2026-11-22T09:30:00+00:00"),
    ("2026-11-22T09:30:00+01:00", "2026-11-22T08:30:00+00:00"),
])
def test_since_is_read_in_seoul_time(given, stamp):
    assert checked_since(given) == stamp
