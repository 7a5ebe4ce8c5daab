"""Config: packaged defaults, partial overlay, clear errors naming the key and line."""

from __future__ import annotations

import pytest

from twinwatch.config import load_config
from twinwatch.errors import ConfigError


def test_defaults_load_without_user_file():
    config = load_config()
    assert config.path is None
    assert config.crawler.delay_seconds > 0
    assert config.crawler.user_agent.startswith("twinwatch/")


def test_partial_user_file_overrides_one_key(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text("[crawler]\ndelay_seconds = 0.5\n", encoding="utf-8")
    config = load_config(path)
    assert config.crawler.delay_seconds == 0.5
    assert config.crawler.timeout_seconds == load_config().crawler.timeout_seconds


def test_env_var_points_elsewhere(tmp_path, monkeypatch):
    path = tmp_path / "env.toml"
    path.write_text('[store]\npath = "elsewhere.db"\n', encoding="utf-8")
    monkeypatch.setenv("TWINWATCH_CONFIG", str(path))
    assert load_config().store.path == str(tmp_path / "elsewhere.db")  # beside its config file


@pytest.mark.parametrize("text, expected", [
    ("[crawler]\ndelay_secs = 1\n", "unknown key 'delay_secs'"),
    ("[crawler]\ndelay_seconds = 'soon'\n", "delay_seconds must be a number"),
    ("[store]\nkeep_raw = 1\n", "keep_raw must be true or false"),
    ("[store\npath = 'x'\n", "line 1"),
    ('[[sources]]\nname = "a"\nkind = "gopher"\n', "kind must be one of"),
    ('[[sources]]\nkind = "rss"\n', "missing key 'name'"),
    ('[[sources]]\nname = "a"\nkind = "rss"\n[[sources]]\nname = "a"\nkind = "rss"\n', "used twice"),
])
def test_bad_config_gives_clear_error(tmp_path, text, expected):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=expected):
        load_config(path)


def test_missing_explicit_file_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml")
