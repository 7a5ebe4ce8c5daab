"""`[review]`: defaults, clear errors, the secret key kept per database."""

from __future__ import annotations

import stat

import pytest
from click.testing import CliRunner

from review.config import ReviewConfig
from twinwatch.app.cli import cli
from twinwatch.config import load_config
from twinwatch.errors import ConfigError


def test_packaged_defaults():
    config = ReviewConfig.from_section(load_config().sections.get("review"))
    assert (config.anonymous, config.users, config.session_minutes) == ("read", {}, 480)


@pytest.mark.parametrize("section, expected", [
    ({"anonymous": "open"}, "anonymous must be one of read, closed"),
    ({"users": ["alice"]}, "users must be a table"),
    ({"session_minutes": 0}, "session_minutes must be a positive number"),
    ({"pagesize": 5}, "unknown key 'pagesize'"),
])
def test_bad_sections_name_the_key(section, expected):
    with pytest.raises(ConfigError, match=expected):
        ReviewConfig.from_section(section)


def test_config_check_reports_the_line(tmp_path):
    (tmp_path / "config.toml").write_text('[store]\npath = "x.db"\n\n[review]\nanonymous = "open"\n',
                                          encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(tmp_path / "config.toml"), "config", "check"])
    assert result.exit_code == 1 and "line 5" in result.output


def test_secret_key_is_generated_once_per_database(tmp_path, monkeypatch):
    monkeypatch.delenv("TWINWATCH_SECRET_KEY", raising=False)
    config = ReviewConfig()
    first = config.secret_key(tmp_path / "a.db")
    assert first == config.secret_key(tmp_path / "a.db") and len(first) == 64
    assert first != config.secret_key(tmp_path / "b.db")
    key_file = tmp_path / "a.db.review-secret"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    monkeypatch.setenv("TWINWATCH_SECRET_KEY", "from-env")
    assert config.secret_key(tmp_path / "a.db") == "from-env"
