"""A damaged, truncated or foreign database file is one clear message in every command and on
the review page; `backup` checks its copy; ids that cannot exist are 404s, not 500s."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from review.app import create_app
from store import Store, StoreError
from tests.support.webclient import logged_in_session
from tests.support.review import live_server, review_config, seed
from twinwatch.app.cli import cli

PAGE = 4096


def _not_a_database(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 64)


def _truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def _damaged_pages(path: Path) -> None:
    """Scrambles the b-tree headers of every fifth page, as a failing disk might."""
    data = bytearray(path.read_bytes())
    for page in range(4, len(data) // PAGE, 5):
        data[page * PAGE + 3] ^= 0x03
        data[page * PAGE + 5] ^= 0x0F
    path.write_bytes(bytes(data))


DAMAGE = {"not a database": _not_a_database, "truncated": _truncated, "damaged pages": _damaged_pages}
COMMANDS = [("events",), ("stats",), ("digest", "--dry-run"), ("review", "list"),
            ("review", "confirm", "1", "--reviewer", "kim"), ("search", "훈춘"),
            ("backup", "copy.db"), ("serve", "--port", "1")]


@pytest.fixture
def database(tmp_path):
    path = seed(tmp_path / "tw.db", 40)
    (tmp_path / "config.toml").write_text(f'[store]\npath = "{path}"\n', encoding="utf-8")
    return path


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a[:2]) for a in COMMANDS])
def test_a_damaged_database_is_one_clear_message(database, damage, args):
    DAMAGE[damage](database)
    result = CliRunner().invoke(cli, ["--config", "config.toml", *args])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.output.startswith(f"Error: the database {database} ")
    assert "restore it from a backup" in result.output and len(result.output.splitlines()) == 1
    assert not (database.parent / "copy.db").exists()


def test_the_page_answers_503_when_the_database_is_damaged_under_it(database):
    with live_server(database, review_config()) as base:
        assert requests.get(f"{base}/", timeout=30).status_code == 200
        _damaged_pages(database)
        for path in ("/", "/events/1", "/events/3"):
            answer = requests.get(f"{base}{path}", timeout=30)
            assert answer.status_code == 503, (path, answer.status_code)
            assert "damaged" in answer.text and "Traceback" not in answer.text


def test_the_page_refuses_to_start_on_a_foreign_file(database):
    _not_a_database(database)
    with pytest.raises(StoreError, match="damaged or not a twinwatch database"):
        create_app(database, review_config())


def _corrupt_an_index(path: Path) -> None:
    """Changes one URL inside the documents' unique index only: every query still answers,
    but the file no longer agrees with itself (what a single flipped bit does)."""
    conn = sqlite3.connect(path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE type = 'index' "
                        "AND tbl_name = 'documents' AND sql IS NULL").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    page = data[(root - 1) * PAGE: root * PAGE]
    at = bytes(page).index(b"news.example.kr/1")
    data[(root - 1) * PAGE + at] ^= 0x01  # n → o
    path.write_bytes(bytes(data))


def test_backup_refuses_a_copy_that_fails_its_integrity_check(database, tmp_path):
    sound = CliRunner().invoke(cli, ["--config", "config.toml", "backup", "sound.db"])
    assert sound.exit_code == 0, sound.output
    with Store(tmp_path / "sound.db", create=False) as copy:
        assert len(copy.events()) == 40
    _corrupt_an_index(database)
    assert CliRunner().invoke(cli, ["--config", "config.toml", "events"]).exit_code == 0
    result = CliRunner().invoke(cli, ["--config", "config.toml", "backup", "copy.db"])
    assert result.exit_code == 1 and "integrity check" in result.output, result.output
    assert not (tmp_path / "copy.db").exists()


def test_backup_into_a_missing_folder_is_one_clear_error(database, tmp_path):
    result = CliRunner().invoke(cli, ["--config", "config.toml", "backup", "nowhere/copy.db"])
    assert result.exit_code == 1 and "no folder" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("path", ["/events/99999999999999999999999", "/events/9223372036854775808",
                                  "/documents/99999999999999999999999"])
def test_ids_that_cannot_exist_are_not_found(database, path):
    with live_server(database, review_config()) as base:
        assert requests.get(f"{base}{path}", timeout=30).status_code == 404


@pytest.mark.parametrize(("path", "form"), [
    ("/events/1/split", {"mention": "²"}),
    ("/events/1/merge", {"other": "99999999999999999999999"}),
    ("/events/1/merge", {"other": "²"}),
    ("/events/confirm", {"event": "99999999999999999999999"}),
    ("/documents/1/events", {"selected": "x", "start": "²", "korean_party": "안산시"}),
])
def test_odd_ids_in_forms_are_refused_not_500(database, path, form):
    with live_server(database, review_config()) as base:
        session, token = logged_in_session(base)
        answer = session.post(f"{base}{path}", data={"csrf_token": token, **form}, timeout=30)
        assert answer.status_code < 500, answer.text[:300]


def test_a_database_held_locked_too_long_is_one_clear_message(database, monkeypatch):
    monkeypatch.setattr("store.store.BUSY_TIMEOUT_SECONDS", 0.5)  # instead of waiting 30 s
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process writing and never finishing
    try:
        result = CliRunner().invoke(cli, ["--config", "config.toml", "review", "confirm", "1",
                                          "--reviewer", "kim"])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.output.startswith(f"Error: the database {database} is locked")
