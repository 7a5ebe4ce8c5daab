"""The pipeline's small parts: the keyword prefilter, the scheduler's jobs, `config check`."""

from __future__ import annotations

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from crawler.fetch import Fetcher
from extract.records import Document
from store import Store
from tests.support.pipeline_site import article_site, single_agreement_articles, write_config
from twinwatch.app.cli import cli
from twinwatch.config import config_from_dict, load_config
from twinwatch.app.demo.server import SiteServer
from twinwatch.errors import ConfigError
from crawler.listing_cache import MemoryListingCache
from twinwatch.app.pipeline import run_once, unwrap_lines
from twinwatch.app.prefilter import Prefilter
from twinwatch.app.scheduler import SchedulerSettings, build_scheduler, crawl_source


@pytest.mark.parametrize("title, text, reason", [
    ("안산시, 훈춘시와 우호교류 협약", "안산시는 10일 중국 훈춘시와 협약을 맺었다.", None),
    (None, "두 도시는 자매결연 30주년을 맞았다.", None),
    (None, "시는 베트남 다낭시와 관광 MOU를 체결했다.", None),
    (None, "시는 필리핀 주와 계절근로자 업무협약을 체결했다.", None),
    (None, "두 도시가 교류의향서에 서명했다.", None),
    (None, "시는 양해각서를 주고받았다.", None),
    ("도로 보수 공사 안내", "시는 다음 주부터 간선도로 포장 공사를 시작한다.", "off_topic"),
    (None, "독감 예방접종을 시작합니다. 신분증을 지참하세요.", "off_topic"),
    ("Sister city MOU signed", "Demo City signed a memorandum with a city in Japan (자매결연).", "not_korean"),
    (None, "", "not_korean"),
])
def test_prefilter(title, text, reason):
    document = Document(url="http://example.kr/a", text=text, title=title)
    assert Prefilter().drop_reason(document) == reason


def test_prefilter_words_come_from_the_config():
    only_visits = Prefilter.from_section({"keywords": ["방문"]})
    assert only_visits.drop_reason(Document(url="u", text="대표단이 시청을 방문했다.")) is None
    assert only_visits.drop_reason(Document(url="u", text="자매결연 협약을 맺었다.")) == "off_topic"


def _config(tmp_path, sources, **scheduler):
    return config_from_dict({"store": {"path": str(tmp_path / "tw.db")},
                             "crawler": {"delay_seconds": 0.0},
                             "scheduler": scheduler, "sources": sources})


def test_scheduler_has_one_job_per_enabled_source_and_the_digest(tmp_path):
    config = _config(tmp_path, [
        {"name": "a", "kind": "rss", "url": "http://127.0.0.1:9/a", "interval_minutes": 30},
        {"name": "b", "kind": "rss", "url": "http://127.0.0.1:9/b", "interval_minutes": 90},
        {"name": "off", "kind": "rss", "url": "http://127.0.0.1:9/c", "enabled": False},
    ], digest_time="07:45", misfire_grace_seconds=300)
    now = datetime(2026, 3, 2, 12, 0, tzinfo=ZoneInfo("Asia/Seoul"))
    with Fetcher(config.crawler) as fetcher:
        scheduler = build_scheduler(config, fetcher, threading.Event(), now=now)
        jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {"source:a", "source:b", "digest"}
    assert jobs["source:a"].trigger.interval.total_seconds() == 30 * 60
    assert jobs["source:b"].trigger.interval.total_seconds() == 90 * 60
    digest = jobs["digest"].trigger
    assert str(digest.timezone) == "Asia/Seoul"
    fields = {f.name: str(f) for f in digest.fields}
    assert (fields["hour"], fields["minute"]) == ("7", "45")
    for job_id in ("source:a", "source:b"):
        job = jobs[job_id]
        assert job.kwargs == {} and job.args[0].name == job_id.split(":")[1]
    assert scheduler._job_defaults == {"coalesce": True, "max_instances": 1, "misfire_grace_time": 300}


def test_source_job_runs_the_pipeline(tmp_path):
    with SiteServer() as server:
        server.state.resources = article_site(server.base_url, single_agreement_articles(2))
        config = _config(tmp_path, [{"name": "feed", "kind": "rss", "url": f"{server.base_url}/feed.xml"}])
        with Fetcher(config.crawler) as fetcher:
            report = crawl_source(config.sources[0], config, fetcher, threading.Event())
            stopped = threading.Event()
            stopped.set()
            assert crawl_source(config.sources[0], config, fetcher, stopped) is None
    assert report is not None and report.new_documents == 2
    with Store(config.store.path) as store:
        assert store.db["documents"].count == 2


@pytest.mark.parametrize("section, message", [
    ({"digest_time": "8 o'clock"}, "digest_time"),
    ({"timezone": "Mars/Olympus"}, "timezone"),
    ({"every": 5}, "unknown key 'every'"),
])
def test_scheduler_settings_errors(section, message):
    with pytest.raises(ConfigError, match=message):
        SchedulerSettings.from_section(section)


@pytest.mark.parametrize("section, message", [
    ({"keywords": []}, "keywords"),
    ({"keywords": "자매"}, "keywords"),
    ({"min_hangul_share": "high"}, "min_hangul_share"),
    ({"min_hangul_share": 2}, "min_hangul_share"),
    ({"words": ["자매"]}, "unknown key 'words'"),
])
def test_prefilter_settings_errors(section, message):
    with pytest.raises(ConfigError, match=message):
        Prefilter.from_section(section)


@pytest.mark.parametrize("text, expected", [
    ('[crawler]\ndelay_seconds = 1\ntimeout_seconds = "soon"\n', "timeout_seconds must be a number"),
    ('[store]\npath = "x.db"\n\n[scheduler]\ndigest_time = "25:99"\n', "digest_time"),
    ('[[sources]]\nname = "a"\nkind = "rss"\nurl = "http://x/a"\n\n[[sources]]\nname = "b"\n'
     'kind = "html_list"\nurl = "http://x/b"\n', "link_selector is required"),
    ('[[sources]]\nname = "a"\nkind = "rss"\n', "url is required"),
    ('[[sources]]\nname = "a"\nkind = "rss"\nurl = "http://x/a"\nlink_selectr = "a"\n',
     "unknown option 'link_selectr'"),
    ('[crawler\n', "line 1"),
    ('[prefilter]\nmin_hangul_share = "high"\n', "min_hangul_share must be a number"),
])
def test_config_check_names_key_and_line(tmp_path, text, expected):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(path), "config", "check"])
    assert result.exit_code == 1
    assert expected in result.output
    assert "line" in result.output


def test_config_check_finds_the_line_of_the_bad_key(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[store]\npath = "x.db"\n\n[crawler]\nretries = 2\ntimeout_seconds = "soon"\n')
    result = CliRunner().invoke(cli, ["--config", str(path), "config", "check"])
    assert f"{path} line 6" in result.output


def test_config_check_accepts_the_shipped_config():
    from tests.support.paths import REPO

    result = CliRunner().invoke(cli, ["--config", str(REPO / "config.toml"), "config", "check"])
    assert result.exit_code == 0, result.output
    config = load_config(REPO / "config.toml")
    enabled = {s.kind for s in config.sources if s.enabled}
    assert enabled == {"rss"}  # only feeds whose format is certain run by default
    assert any(not s.enabled and s.kind == "html_list" for s in config.sources)


def test_write_config_round_trips(tmp_path):
    path = write_config(tmp_path / "c.toml", tmp_path / "tw.db", [
        {"name": "한글 이름", "kind": "html_list", "url": "http://x/list.do?a=1&b=2",
         "link_selector": "td.subject a", "onclick_pattern": "fn_view\\('(\\d+)'\\)"}])
    source = load_config(path).sources[0]
    assert source.name == "한글 이름" and source.options["onclick_pattern"] == "fn_view\\('(\\d+)'\\)"


def test_a_fetcher_with_a_listing_cache_gets_a_304_for_an_unchanged_feed(tmp_path):
    with SiteServer() as server:
        server.state.resources = article_site(server.base_url, single_agreement_articles(2))
        config = _config(tmp_path, [{"name": "feed", "kind": "rss", "url": f"{server.base_url}/feed.xml"}])
        with Store(config.store.path) as store, \
                Fetcher(config.crawler, listing_cache=MemoryListingCache()) as fetcher:
            first = run_once(config.sources[0], config=config, store=store, fetcher=fetcher)
            second = run_once(config.sources[0], config=config, store=store, fetcher=fetcher)
        feed_statuses = [r.status for r in server.state.log if r.path == "/feed.xml"]
    assert feed_statuses == [200, 304]
    assert first.links_found == second.links_found == 2  # the remembered feed is parsed again
    assert second.skipped_known == 2 and second.fetched == 0


@pytest.mark.parametrize("wrapped, unwrapped", [
    ("이천시는 지난 18일 중국 장시성\n징더전시와 자매결연 협정을\n체결했다.", "이천시는 지난 18일 중국 장시성 징더전시와 자매결연 협정을 체결했다."),
    ("첫 문장이다.\n둘째 문장이다.", "첫 문장이다.\n둘째 문장이다."),
    ("제목\n\n본문 첫 줄이\n이어진다.", "제목\n\n본문 첫 줄이 이어진다."),
    ("\"좋은 성과를 내겠다\"\n고 말했다.", "\"좋은 성과를 내겠다\" 고 말했다."),
    ("그는 \"가겠다.\"\n다음 날 떠났다.", "그는 \"가겠다.\"\n다음 날 떠났다."),
    ("", ""),
])
def test_attachment_lines_are_unwrapped(wrapped, unwrapped):
    assert unwrap_lines(wrapped) == unwrapped


def test_crawl_without_once_schedules_sources_but_no_digest(tmp_path):
    config = _config(tmp_path, [{"name": "a", "kind": "rss", "url": "http://127.0.0.1:9/a"}])
    with Fetcher(config.crawler) as fetcher:
        scheduler = build_scheduler(config, fetcher, threading.Event(), sources=config.sources,
                                    with_digest=False)
        assert [job.id for job in scheduler.get_jobs()] == ["source:a"]


def test_crawl_once_is_quiet_off_a_terminal(tmp_path):
    with SiteServer() as server:
        server.state.resources = article_site(server.base_url, single_agreement_articles(2))
        config = write_config(tmp_path / "config.toml", tmp_path / "tw.db", [
            {"name": "feed", "kind": "rss", "url": f"{server.base_url}/feed.xml"}])
        result = CliRunner().invoke(cli, ["--config", str(config), "crawl", "--once", "--format", "json"])
    assert result.exit_code == 0
    assert result.stderr == ""  # no progress bar, no log lines: nothing went wrong
    assert '"new_documents": 2' in result.stdout
