"""`twinwatch events`, `search` and `backup` over a real store file."""

from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest
from click.testing import CliRunner

from extract.records import Event
from store import Store
from twinwatch.app.cli import cli
from tests.support.store import make_event, save_page


@pytest.fixture
def db_path(tmp_path):
    path = tmp_path / "cli.db"
    (tmp_path / "config.toml").write_text(f'[store]\npath = "{path}"\n', encoding="utf-8")
    with Store(path) as store:
        save_page(store, "https://a.kr/1", [make_event()])
        save_page(store, "https://b.kr/2", [make_event(date="2023-10")])
        save_page(store, "https://c.kr/3", [make_event(partner="연길시", date="2024-03-02")],
                  text="안산시는 연길시와 교류의향서를 체결했다.")
        store.review(2, "reject", "kim", reason="a visit")
    return path


def run(*args: str):
    return CliRunner().invoke(cli, ["--config", "config.toml", *args], catch_exceptions=False)


def test_events_json_is_a_list_of_event_objects_with_store_fields(db_path):
    result = run("events", "--format", "json")
    assert result.exit_code == 0, result.output
    events = json.loads(result.output)
    assert isinstance(events, list) and len(events) == 2
    first = events[0]
    for name in Event.__dataclass_fields__:
        assert name in first
    assert Event.from_dict(first) == make_event()  # the EVENT fields round-trip unchanged
    assert (first["id"], first["review_state"]) == (1, "new")
    assert first["source_urls"] == ["https://a.kr/1", "https://b.kr/2"]
    assert first["first_seen"][:4].isdigit()


def test_events_filters(db_path):
    rejected = json.loads(run("events", "--format", "json", "--review-state", "rejected").output)
    assert [e["partner"] for e in rejected] == ["연길시"]
    assert json.loads(run("events", "--format", "json", "--since", "2999-01-01").output) == []
    assert len(json.loads(run("events", "--format", "json", "--since", "2000-01-01").output)) == 2


def test_events_csv_and_table(db_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "160")  # rich lays the table out for a wide terminal
    text = run("events", "--format", "csv").output
    assert text.startswith("\ufeffid,")  # a byte-order mark: Excel on Korean Windows reads UTF-8
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert [(r["id"], r["partner"], r["source_urls"]) for r in rows] == [
        ("1", "훈춘시", "https://a.kr/1 https://b.kr/2"), ("2", "연길시", "https://c.kr/3")]
    assert run("events", "--format", "csv", "--no-bom").output.startswith("id,")
    table = run("events", "--format", "table").output
    assert "훈춘시" in table and "의향서" in table and "2 events" in table


def test_search_prints_matching_documents(db_path):
    result = run("search", "연길")
    assert result.exit_code == 0
    assert "https://c.kr/3" in result.output and "https://a.kr/1" not in result.output


def test_backup_writes_a_copy_and_refuses_to_overwrite(db_path, tmp_path):
    assert run("backup", str(tmp_path / "copy.db")).exit_code == 0
    with sqlite3.connect(tmp_path / "copy.db") as conn:
        assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == 2
    again = CliRunner().invoke(cli, ["--config", "config.toml", "backup", str(tmp_path / "copy.db")])
    assert again.exit_code == 1 and "already exists" in again.output


@pytest.mark.parametrize("args", [("events",), ("search", "훈춘"), ("backup", "copy.db")])
def test_commands_refuse_a_missing_database(tmp_path, args):
    (tmp_path / "config.toml").write_text('[store]\npath = "missing.db"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", "config.toml", *args])
    assert result.exit_code == 1 and "no database at" in result.output
    assert f"{tmp_path / 'missing.db'} — run `twinwatch crawl` first" in result.output
    assert not (tmp_path / "missing.db").exists()
