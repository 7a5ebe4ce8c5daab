"""What a reviewer types is checked before it is stored — on the command line and on the
page — with one message naming the field; a country's name is stored as its ISO code."""

from __future__ import annotations

import pytest
import requests
from click.testing import CliRunner

from store import Store
from tests.support.webclient import logged_in_session
from tests.support.review import live_server, review_config, seed
from twinwatch.app.cli import cli


@pytest.fixture
def database(tmp_path):
    path = seed(tmp_path / "review.db", 4)
    (tmp_path / "config.toml").write_text(f'[store]\npath = "{path}"\n', encoding="utf-8")
    return path


def run(*args: str):
    return CliRunner().invoke(cli, ["--config", "config.toml", *args])


def _unchanged(database) -> bool:
    with Store(database) as store:
        return store.review_log() == [] and store.event(1)["review_state"] == "new"


@pytest.mark.parametrize(("option", "value", "field"), [
    ("--date", "2025-13-45", "date"),
    ("--date", "2023-02-29", "date"),
    ("--date", "3025", "date"),
    ("--country", "XX", "partner_country"),
    ("--country", "중극", "partner_country"),
    ("--province", "경기남도", "korean_province"),
])
def test_cli_correction_with_a_bad_value_is_refused_and_stores_nothing(database, option, value,
                                                                        field):
    result = run("review", "correct", "1", option, value, "--reviewer", "kim")
    assert result.exit_code == 1
    assert f"{field}" in result.output and value in result.output
    assert "Traceback" not in result.output
    assert _unchanged(database)


@pytest.mark.parametrize(("typed", "code"), [("중국", "CN"), ("Japan", "JP"),
                                             ("러시아", "RU"), ("United States", "US")])
def test_cli_country_names_are_stored_as_iso_codes(database, typed, code):
    result = run("review", "correct", "1", "--country", typed, "--reviewer", "kim")
    assert result.exit_code == 0, result.output
    with Store(database) as store:
        assert store.event(1)["partner_country"] == code


def test_cli_filters_and_relationship_dates_are_checked(database):
    for args in (("review", "list", "--from", "2024-02-30"), ("review", "list", "--country", "XX"),
                 ("events", "--since", "2024-13-01")):
        result = run(*args)
        assert result.exit_code == 2 and "Invalid value" in result.output, args
    result = run("review", "relationship", "안산시", "훈춘시", "--state", "ended",
                 "--date", "2024-02-30", "--reviewer", "kim")
    assert result.exit_code == 1 and "2024-02-30" in result.output


def test_extract_published_takes_real_dates_only(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text("안산시는 훈춘시와 교류의향서를 체결했다.", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", "--published", "2023-13-45", str(page)])
    assert result.exit_code == 2 and "--published" in result.output
    assert "not a real calendar date" in result.output


def test_page_correction_is_validated_and_names_are_mapped(database):
    with live_server(database, review_config()) as base:
        session, token = logged_in_session(base)
        refused = session.post(f"{base}/events/1/correct", timeout=30, data={
            "csrf_token": token, "date": "2025-13-45", "partner_country": "XX"})
        assert refused.status_code == 200  # back on the event page, with the reason
        assert "2025-13-45" in refused.text and "date" in refused.text
        assert _unchanged(database)
        accepted = session.post(f"{base}/events/1/correct", timeout=30, data={
            "csrf_token": token, "date": "2024-02-29", "partner_country": "중국"})
        assert accepted.status_code == 200
    with Store(database) as store:
        event = store.event(1)
    assert (event["date"], event["partner_country"], event["review_state"]) == \
        ("2024-02-29", "CN", "corrected")


def test_country_names_filter_the_page_and_unknown_codes_fail_the_config(tmp_path):
    many = seed(tmp_path / "many.db", 20)  # partners in China (훈춘, 위해) and Japan (구마모토)
    with live_server(many, review_config()) as base:
        by_name = requests.get(f"{base}/", params={"state": "all", "country": "중국"}, timeout=30)
    assert by_name.status_code == 200
    assert "훈춘시" in by_name.text and "위해시" in by_name.text and "구마모토시" not in by_name.text
    config = tmp_path / "alerts.toml"
    config.write_text('[alerts.file]\nfolder = "d"\nrecipients = [{name = "a", countries = ["XX"]}]\n',
                      encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(config), "config", "check"])
    assert result.exit_code == 1 and "unknown country 'XX'" in result.output
