"""`crawl --once` tells cron what happened: 0 when every source ran, 2 when some failed, 1 when
all failed or nothing could start."""

from __future__ import annotations

from click.testing import CliRunner

from tests.support.pipeline_site import write_config
from twinwatch.app.cli import cli
from twinwatch.app.demo.server import SiteServer
from twinwatch.app.demo.site import Resource

EMPTY_FEED = (b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
              b"<title>t</title><link>http://x/</link><description>d</description></channel></rss>")


SCENARIOS = {0: ("/a.xml", "/b.xml"), 2: ("/a.xml", "/missing.xml"), 1: ("/missing.xml", "/gone.xml")}


def test_crawl_exit_code_says_how_many_sources_ran(tmp_path):
    codes = {code: _crawl(tmp_path / str(code), feeds) for code, feeds in SCENARIOS.items()}
    assert codes == {0: 0, 2: 2, 1: 1}


def _crawl(folder, feeds) -> int:
    folder.mkdir()
    with SiteServer() as server:
        server.state.resources = {"/robots.txt": Resource(b"", "text/plain"),
                                  "/a.xml": Resource(EMPTY_FEED, "application/rss+xml"),
                                  "/b.xml": Resource(EMPTY_FEED, "application/rss+xml")}
        sources = [{"name": f"feed{i}", "kind": "rss", "url": f"{server.base_url}{path}"}
                   for i, path in enumerate(feeds)]
        config = write_config(folder / "config.toml", folder / "tw.db", sources)
        result = CliRunner().invoke(cli, ["--config", str(config), "crawl", "--once",
                                          "--format", "json"])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code


def test_crawl_that_cannot_start_exits_1(tmp_path):
    config = write_config(tmp_path / "config.toml", tmp_path / "no-folder" / "tw.db",
                          [{"name": "f", "kind": "rss", "url": "http://127.0.0.1:9/x.xml"}])
    result = CliRunner().invoke(cli, ["--config", str(config), "crawl", "--once"])
    assert result.exit_code == 1 and "no folder" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
