"""A crawl that meets an .hwpx bomb — linked from an article as its attachment, or listed in the
feed itself — refuses it with a reason and stores everything else (real HTTP on 127.0.0.1)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from crawler.attachments import read_attachments
from crawler.fetch import Fetcher
from tests.support.bombs import bomb_site
from tests.support.pipeline_site import write_config
from twinwatch.app.cli import cli
from twinwatch.config import CrawlerConfig
from twinwatch.app.demo.server import SiteServer

def test_an_attachment_bomb_gets_its_reason() -> None:
    with SiteServer() as server:
        server.state.resources, (first, *_) = bomb_site(server.base_url)
        with Fetcher(CrawlerConfig(delay_seconds=0.0, retries=0)) as fetcher:
            outcomes = read_attachments(fetcher.fetch(server.base_url + first), fetcher)
    assert [(o.link.name, o.text) for o in outcomes] == [("협약서.hwpx", None)]
    assert outcomes[0].reason and outcomes[0].reason.startswith("archive_bomb")


def test_a_crawl_through_bombs_stores_the_articles_and_drops_the_bomb(tmp_path: Path) -> None:
    with SiteServer() as server:
        server.state.resources, _ = bomb_site(server.base_url)
        config = write_config(tmp_path / "config.toml", tmp_path / "tw.db", [
            {"name": "feed", "kind": "rss", "url": f"{server.base_url}/feed.xml"}])
        result = CliRunner().invoke(cli, ["--config", str(config), "crawl", "--once",
                                          "--format", "json"])
        asked = {r.path for r in server.requests_for("/files/")}
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)[0]
    assert asked == {"/files/bomb.hwpx", "/files/liar.hwpx"}
    assert [(url.rsplit("/", 1)[-1], reason.split(":")[0]) for url, reason in report["dropped"]] \
        == [("liar.hwpx", "archive_bomb")]
    assert report["new_documents"] == 2 and report["new_events"] >= 2
