"""The CLI at a fixed console width of 80: no line is wider, and no date, code or URL is cut
across two lines; CSV carries a byte-order mark; the flags mean the same everywhere."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from rich.cells import cell_len

from store import Store
from tests.support.review import seed
from twinwatch.app.cli import cli

DATE = re.compile(r"\d{4}-\d{2}(?:-\d{2})?")
LONG_ERROR = ("fetch_error: HTTP 503 Service Unavailable from https://www.example-city.go.kr/"
              "news/board/list.do?bbsId=BBSMSTR_000000000123&pageIndex=1")


@pytest.fixture
def setup(tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("LINES", "50")
    database = seed(tmp_path / "w.db", 24)
    with Store(database) as store:
        store.register_source("seed", "html_list", "https://news.example.kr/board")
        store.record_source_attempt("seed", True, links=12, new_items=3)
        store.record_source_attempt("seed", False, error=LONG_ERROR)
        store.db.execute("UPDATE sources SET last_success = '2024-05-01T23:30:00+00:00' WHERE name = 'seed'")
        store.db.conn.commit()
        store.review(1, "confirm", "kim")
        store.review(2, "reject", "kim", reason="홍보 기사")
        events = store.events()
    config = tmp_path / "config.toml"
    config.write_text(f"""[store]
path = "{database}"
[scheduler]
timezone = "Asia/Seoul"
[[sources]]
name = "seed"
kind = "html_list"
url = "https://news.example.kr/board"
link_selector = "a"
[[sources]]
name = "제주특별자치도-보도자료-국제교류"
kind = "rss"
url = "https://www.jeju.go.kr/rss/press.xml"
""", encoding="utf-8")
    return config, database, events


def run(config, *args) -> str:
    result = CliRunner().invoke(cli, ["--config", str(config), *args])
    assert result.exit_code == 0, result.output
    return result.output


def assert_fits(text: str, whole: list[str]) -> None:
    lines = text.splitlines()
    too_wide = [line for line in lines if cell_len(line) > 80]
    assert not too_wide, "\n".join(too_wide)
    for value in whole:  # each on one line, never split
        assert any(value in line for line in lines), f"{value!r} is cut or missing:\n{text}"


COMMANDS = [
    ("events", "--format", "table"),
    ("events", "--format", "table", "--state", "new", "--from", "2016", "--to", "2022-06"),
    ("review", "list", "--format", "table", "--state", "all"),
    ("review", "list", "--format", "table", "--party", "제주"),
]


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a) for a in COMMANDS])
def test_event_tables_fit_80_columns(setup, args):
    config, _database, events = setup
    text = run(config, *args)
    dates = sorted({d for d in DATE.findall(text)})
    assert dates, text
    expected = {e["date"] for e in events}
    assert set(dates) <= expected  # every date shown is a whole stored date
    codes = [code for code in ("CN", "JP", "VN", "MN") if code in text]
    assert_fits(text, dates + codes)
    assert re.search(r"자매결연|우호도시|의향서|MOU", text)


def test_events_filters_share_one_vocabulary(setup):
    config, _database, events = setup
    found = json.loads(run(config, "events", "--format", "json", "--state", "new",
                           "--from", "2016", "--to", "2022-06"))
    expected = [e["id"] for e in events if e["review_state"] == "new" and e["date"]
                and "2016" <= e["date"] <= "2022-06\uffff"]
    assert [e["id"] for e in found] == expected and expected
    old = json.loads(run(config, "events", "--format", "json", "--review-state", "rejected"))
    assert [e["id"] for e in old] == [2]  # the old spelling still works (hidden)
    bad = CliRunner().invoke(cli, ["--config", str(config), "events", "--from", "2024-13"])
    assert bad.exit_code == 2 and "not a real calendar date" in bad.output
    assert "--review-state" not in run(config, "events", "--help")


def test_wide_events_put_each_url_whole_on_its_own_line(setup):
    config, _database, events = setup
    text = run(config, "events", "--format", "table", "--wide")
    for event in events:
        for url in event["source_urls"]:
            assert f"#{event['id']}  {url}" in text.splitlines()
    assert "Asia/Seoul" in text


def test_sources_times_in_the_configured_zone(setup):
    config, _database, _events = setup
    text = run(config, "sources", "--format", "table")
    assert "times in Asia/Seoul (KST)" in text
    assert_fits(text, ["2024-05-02 08:30", "html_list", "rss"])  # 23:30 UTC is 08:30 next day
    assert "2024-05-01 23:30" not in text


def test_stats_tables_fit(setup):
    config, _database, events = setup
    review = run(config, "stats", "--format", "table")
    assert_fits(review, ["1.000", "자매결연", "우호도시"])
    for dimension in ("year", "type", "country", "province"):
        text = run(config, "stats", "--by", dimension, "--format", "table")
        assert_fits(text, [])
    by_country = json.loads(run(config, "stats", "--by", "country", "--format", "json"))
    assert {row["code"] for row in by_country} == {e["partner_country"] for e in events}
    assert sum(row["events"] for row in by_country) == 23  # 24 events, one rejected


def test_search_urls_whole_on_their_own_line(setup):
    config, _database, events = setup
    text = run(config, "search", "보도자료", "--format", "table", "--limit", "30")
    urls = [u for e in events for u in e["source_urls"]]
    lines = text.splitlines()
    assert all(url in lines for url in urls)  # alone on its line, whole
    assert_fits(text, [])


@pytest.mark.parametrize("args", [("events",), ("review", "list", "--state", "all"),
                                  ("stats",), ("stats", "--by", "year"), ("sources",),
                                  ("search", "보도자료")])
def test_csv_has_a_byte_order_mark_unless_told(setup, args):
    config, _database, _events = setup
    assert run(config, *args, "--format", "csv").startswith("\ufeff")
    assert not run(config, *args, "--format", "csv", "--no-bom").startswith("\ufeff")


@pytest.mark.parametrize("args", [("events",), ("review", "list"), ("stats",), ("search", "시"),
                                  ("sources",), ("review", "show", "1"), ("backup", "copy.db"),
                                  ("timeline",), ("export",), ("digest", "--dry-run")])
def test_every_store_reading_command_takes_db(setup, tmp_path, args):
    config, database, _events = setup
    empty = tmp_path / "empty-config.toml"
    empty.write_text(f'[store]\npath = "{tmp_path / "absent.db"}"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(empty), *args, "--db", str(database)])
    assert result.exit_code == 0, result.output
