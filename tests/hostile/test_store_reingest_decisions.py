"""A reviewer's decision survives a re-ingest: the pages' reports still find the event a
reviewer corrected, confirmed or rejected, and no second event appears with the old values."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from store import Store
from tests.support.pipeline_site import article_site, single_agreement_articles, write_config
from tests.support.store import make_event, save_page
from twinwatch.app.cli import cli


def invoke(config: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--config", str(config), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def _events(config: Path) -> dict[int, dict]:
    return {e["id"]: e for e in json.loads(invoke(config, "events", "--format", "json"))}


def _write_pages(folder: Path) -> None:
    folder.mkdir()
    for story in single_agreement_articles(3):
        page = article_site("http://x", [story])[f"/articles/{story.page_id}.html"]
        (folder / f"{story.page_id}.html").write_bytes(page.body)


def test_reingest_after_correction_confirmation_and_rejection(tmp_path):
    pages = tmp_path / "pages"
    _write_pages(pages)
    config = write_config(tmp_path / "config.toml", tmp_path / "tw.db", [])
    invoke(config, "ingest", str(pages))
    before = _events(config)
    assert len(before) >= 3
    corrected, confirmed, rejected = sorted(before)[:3]
    country = "JP" if before[corrected]["partner_country"] != "JP" else "US"
    invoke(config, "review", "correct", str(corrected), "--date", "1999-01-02",
           "--country", country, "--reviewer", "alice")
    invoke(config, "review", "confirm", str(confirmed), "--reviewer", "alice")
    invoke(config, "review", "reject", str(rejected), "--reason", "not one", "--reviewer", "alice")
    decided = _events(config)

    shutil.copytree(pages, tmp_path / "copies")  # the same pages again, under other paths
    invoke(config, "ingest", str(tmp_path / "copies"))
    invoke(config, "ingest", str(pages))
    after = _events(config)

    assert sorted(after) == sorted(before)  # the same events, no new one
    for event_id in (corrected, confirmed, rejected):
        kept = {k: v for k, v in after[event_id].items() if k not in ("source_urls", "last_seen")}
        assert kept == {k: v for k, v in decided[event_id].items()
                        if k not in ("source_urls", "last_seen")}
    assert (after[corrected]["date"], after[corrected]["partner_country"]) == ("1999-01-02", country)
    assert [after[i]["review_state"] for i in (corrected, confirmed, rejected)] == \
        ["corrected", "confirmed", "rejected"]
    assert len(after[corrected]["source_urls"]) == 2  # the copy's report joined it


def test_a_new_page_with_the_extracted_values_joins_the_corrected_event(tmp_path):
    with Store(tmp_path / "tw.db") as store:
        save_page(store, "https://a.example.kr/1", [make_event(date="2023-10-10")])
        store.review(1, "correct", "alice", after={"date": "2019-03-04", "partner_country": "RU"})
        result = save_page(store, "https://b.example.kr/2", [make_event(date="2023-10-12")])
        assert result.events.matched_event_ids == (1,) and result.events.new_event_ids == ()
        assert store.event(1)["date"] == "2019-03-04"
        assert len(store.events()) == 1
