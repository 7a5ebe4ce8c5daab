"""`[store] path` is read relative to the config file's folder, so a cron job run from
anywhere uses the same database; reading commands never create one."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from tests.support.review import seed
from twinwatch.app.cli import cli

READING = [("events",), ("sources",), ("search", "훈춘"), ("stats",), ("review", "list"),
           ("timeline", "안산시"), ("export", "--format", "json"), ("digest", "--dry-run"), ("review", "show", "1")]


@pytest.fixture
def layout(tmp_path):
    """/etc-like folder holding config.toml (path = "tw.db") and a cron-like working folder."""
    etc, work = tmp_path / "etc", tmp_path / "work"
    etc.mkdir()
    work.mkdir()
    (etc / "config.toml").write_text('[store]\npath = "tw.db"\n', encoding="utf-8")
    os.chdir(work)
    return etc, work


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_relative_store_path_is_beside_the_config_file(layout):
    etc, work = layout
    seed(etc / "tw.db", 3)
    result = run("--config", str(etc / "config.toml"), "events", "--format", "json")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == 3
    assert not (work / "tw.db").exists()
    seed(work / "twinwatch.db", 1)  # without a config file: the current folder
    alone = run("events", "--format", "json")
    assert alone.exit_code == 0 and len(json.loads(alone.stdout)) == 1


@pytest.mark.parametrize("args", READING, ids=[" ".join(a) for a in READING])
def test_reading_commands_never_create_a_database(layout, args):
    etc, work = layout
    result = run("--config", str(etc / "config.toml"), *args)
    assert result.exit_code == 1, result.output
    assert f"no database at {etc / 'tw.db'} — run `twinwatch crawl` first" in result.output
    assert not (etc / "tw.db").exists() and not (work / "tw.db").exists()


def test_a_database_in_the_current_folder_that_is_not_used_is_mentioned_once(layout):
    etc, work = layout
    seed(etc / "tw.db", 2)
    seed(work / "tw.db", 5)
    result = run("--config", str(etc / "config.toml"), "events", "--format", "json")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 2
    assert result.stderr.count("note: using the database") == 1
    assert str(etc / "tw.db") in result.stderr and str(work / "tw.db") in result.stderr


def test_the_default_database_left_in_the_current_folder_is_mentioned_too(layout):
    etc, work = layout
    seed(etc / "tw.db", 2)
    seed(work / "twinwatch.db", 1)
    result = run("--config", str(etc / "config.toml"), "events", "--format", "json")
    assert result.exit_code == 0 and len(json.loads(result.stdout)) == 2
    assert result.stderr.count("note: using the database") == 1
    assert str(work / "twinwatch.db") in result.stderr
