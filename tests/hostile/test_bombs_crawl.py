"""A crawl that meets an .hwpx bomb — linked from an article as its attachment, or listed in the
feed itself — refuses it with a reason and stores everything else (real HTTP on 127.0.0.1)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from crawler.attachments import read_attachments
from crawler.fetch import Fetcher
from tests.hostile.bombs import hwpx_lying_bomb, hwpx_mimetype_bomb
from tests.pipeline_site import article_site, single_agreement_articles, write_config
from twinwatch.cli import cli
from twinwatch.config import CrawlerConfig
from twinwatch.demo.server import SiteServer
from twinwatch.demo.site import Resource, rss_feed

HWPX_TYPE = "application/haansofthwpx"


def bomb_site(base: str) -> tuple[dict[str, Resource], list[str]]:
    """Two articles (the first linking /files/bomb.hwpx) and a feed that also lists
    /files/liar.hwpx as an article of its own."""
    stories = single_agreement_articles(2)
    resources = article_site(base, stories)
    first = f"/articles/{stories[0].page_id}.html"
    page = resources[first]
    linked = page.body.replace(b"</article>",
                               '<p><a href="/files/bomb.hwpx">협약서.hwpx</a></p></article>'.encode())
    resources[first] = Resource(linked, page.content_type, page.last_modified)
    resources["/files/bomb.hwpx"] = Resource(hwpx_mimetype_bomb(), HWPX_TYPE)
    resources["/files/liar.hwpx"] = Resource(hwpx_lying_bomb(), HWPX_TYPE)
    items = [(f"{base}/articles/{s.page_id}.html", s) for s in stories]
    items.append((f"{base}/files/liar.hwpx", stories[1]))
    resources["/feed.xml"] = Resource(rss_feed(base, items), "application/rss+xml; charset=utf-8")
    return resources, [first]


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
