"""Hostile or careless config files: each is one clear error naming the file and the key (and
its line where it has one) — from `config check` and from any command at start, never a
traceback."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from twinwatch.app.cli import cli

RSS = '[[sources]]\nname = "feed"\nkind = "rss"\nurl = "http://127.0.0.1:9/feed.xml"\n'

CASES = [
    ("misspelt table", '[reveiw]\nanonymous = "closed"\n', ["[reveiw]", "unknown table", "line 1"]),
    ("path not a string", "[store]\npath = 42\n", ["[store] path", "line 2"]),
    ("empty path", '[store]\npath = ""\n', ["[store] path"]),
    ("interval in words", RSS + 'interval_minutes = "often"\n', ["interval_minutes", "line 5"]),
    ("source without url", '[[sources]]\nname = "feed"\nkind = "rss"\n', ["url is required"]),
    ("source name a number", '[[sources]]\nname = 5\nkind = "rss"\nurl = "http://x"\n', ["name"]),
    ("zero timeout", "[crawler]\ntimeout_seconds = 0\n", ["timeout_seconds", "line 2"]),
    ("negative timeout", "[crawler]\ntimeout_seconds = -3.5\n", ["timeout_seconds"]),
    ("zero max_bytes", "[crawler]\nmax_bytes = 0\n", ["max_bytes", "line 2"]),
    ("negative delay", "[crawler]\ndelay_seconds = -1\n", ["delay_seconds"]),
    ("negative retries", "[crawler]\nretries = -2\n", ["retries"]),
    ("fractional retries", "[crawler]\nretries = 1.5\n", ["retries", "whole number"]),
    ("zero interval", RSS + "interval_minutes = 0\n", ["interval_minutes"]),
    ("scheduler key typed wrong", '[scheduler]\nmisfire_grace_seconds = "x"\n',
     ["misfire_grace_seconds", "line 2"]),
    ("zero mail timeout", "[alerts.email]\ntimeout_seconds = 0\n", ["timeout_seconds", "line 2"]),
    ("deep nesting", "a = " + "[" * 3000 + "]" * 3000 + "\n", ["nested too deeply"]),
]


# `config check` already reported these two.
CHECK_CASES = [c for c in CASES if c[0] not in ("source without url", "zero interval")]
# A source's own options fail that source alone when it runs (see the test below).
START_CASES = [c for c in CASES if c[0] != "source without url"]


def _invoke(config, *args):
    return CliRunner().invoke(cli, ["--config", str(config), *args])


def _clean_failure(result) -> None:
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("name", "text", "expected"), CHECK_CASES, ids=[c[0] for c in CHECK_CASES])
def test_config_check_names_the_problem(tmp_path, name, text, expected):
    config = tmp_path / "config.toml"
    config.write_text(text, encoding="utf-8")
    result = _invoke(config, "config", "check")
    _clean_failure(result)
    for part in [*expected, str(config)]:
        assert part in result.output, (part, result.output)


@pytest.mark.parametrize(("name", "text", "expected"), START_CASES, ids=[c[0] for c in START_CASES])
@pytest.mark.parametrize("command", [("crawl", "--once"), ("events",)])
def test_commands_refuse_the_same_config_at_start(tmp_path, name, text, expected, command):
    config = tmp_path / "config.toml"
    config.write_text(text, encoding="utf-8")
    result = _invoke(config, *command)
    _clean_failure(result)
    assert expected[0] in result.output
    assert not list(tmp_path.glob("*.db"))  # nothing started


def test_a_source_without_url_fails_alone_without_a_traceback(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[[sources]]\nname = "feed"\nkind = "rss"\n', encoding="utf-8")
    result = _invoke(config, "crawl", "--once", "--format", "json")
    _clean_failure(result)  # its only source failed: exit code 1
    assert "url is required" in result.output


def test_a_binary_config_file_is_one_clear_error(tmp_path):
    config = tmp_path / "config.toml"
    config.write_bytes(bytes(range(256)) * 40)
    for args in (("config", "check"), ("crawl", "--once"), ("serve",)):
        result = _invoke(config, *args)
        _clean_failure(result)
        assert "not a UTF-8 text file" in result.output and str(config) in result.output
