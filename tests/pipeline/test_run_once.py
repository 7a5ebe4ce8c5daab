"""`twinwatch run --once`: every enabled source once, hosts in parallel, pages extracted in worker
processes; the exit code says whether all, some or none of the sources ran."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support.pipeline_site import article_site, single_agreement_articles, write_config
from twinwatch.app.cli import cli
from twinwatch.app.demo.server import SiteServer

PER_SITE = 4


def run_cli(config: Path, *args: str):
    return CliRunner().invoke(cli, ["--config", str(config), *args], catch_exceptions=False)


def add_scheduler(config: Path, **settings: int) -> Path:
    lines = ["", "[scheduler]"] + [f"{key} = {value}" for key, value in settings.items()]
    config.write_text(config.read_text(encoding="utf-8") + "\n".join(lines) + "\n", encoding="utf-8")
    return config


def events_of(config: Path) -> list[tuple]:
    stored = json.loads(run_cli(config, "events", "--format", "json").stdout)
    return sorted((e["korean_party"], e["partner"], e["agreement_type"], e["date"], e["evidence"])
                  for e in stored)


@pytest.fixture(scope="module")
def two_sites():
    stories = single_agreement_articles(2 * PER_SITE)
    with SiteServer() as first, SiteServer() as second:
        first.state.resources = article_site(first.base_url, stories[:PER_SITE])
        second.state.resources = article_site(second.base_url, stories[PER_SITE:])
        yield first, second


def sources_of(*servers: SiteServer) -> list[dict]:
    return [{"name": f"site{i}", "kind": "rss", "url": f"{server.base_url}/feed.xml"}
            for i, server in enumerate(servers)]


def test_run_once_in_worker_processes_stores_what_a_sequential_crawl_does(tmp_path, two_sites):
    pooled = add_scheduler(write_config(tmp_path / "pooled.toml", tmp_path / "pooled.db",
                                        sources_of(*two_sites), delay_seconds=0.2),
                           parallel_sources=2, extract_workers=2)
    result = run_cli(pooled, "run", "--once", "--format", "json")
    assert result.exit_code == 0, result.output
    reports = json.loads(result.stdout)
    assert [r["source"] for r in reports] == ["site0", "site1"]
    assert [r["fetched"] for r in reports] == [PER_SITE, PER_SITE]
    sequential = write_config(tmp_path / "seq.toml", tmp_path / "seq.db", sources_of(*two_sites))
    assert run_cli(sequential, "crawl", "--once", "--format", "json").exit_code == 0
    assert events_of(pooled) == events_of(sequential)
    assert len(events_of(pooled)) >= PER_SITE


def test_hosts_are_crawled_at_once_and_each_keeps_its_delay(tmp_path):
    delay = 0.3
    stories = single_agreement_articles(2 * PER_SITE)
    with SiteServer() as first, SiteServer() as second:
        first.state.resources = article_site(first.base_url, stories[:PER_SITE])
        second.state.resources = article_site(second.base_url, stories[PER_SITE:])
        config = add_scheduler(write_config(tmp_path / "c.toml", tmp_path / "c.db", sources_of(first, second),
                                            delay_seconds=delay), parallel_sources=2, extract_workers=0)
        assert run_cli(config, "run", "--once").exit_code == 0
        logs = [[r.at for r in server.state.log] for server in (first, second)]
    for times in logs:
        assert len(times) == PER_SITE + 2  # robots.txt, the feed, the pages
        assert min(b - a for a, b in zip(times, times[1:])) >= delay
    # the two hosts' requests interleave: neither waited for the other to finish
    assert logs[1][0] < logs[0][-1] and logs[0][0] < logs[1][-1]


@pytest.mark.parametrize("broken, code", [(1, 2), (2, 1)], ids=["some failed", "all failed"])
def test_exit_code_says_how_many_sources_failed(tmp_path, two_sites, broken, code):
    sources = sources_of(*two_sites)
    for source in sources[:broken]:
        source["url"] = source["url"].replace("/feed.xml", "/missing.xml")
    config = add_scheduler(write_config(tmp_path / "c.toml", tmp_path / "c.db", sources),
                           extract_workers=0)
    result = run_cli(config, "run", "--once", "--format", "json")
    assert result.exit_code == code
    assert "failed" in result.stderr


def test_bad_scheduler_settings_are_refused(tmp_path, two_sites):
    config = add_scheduler(write_config(tmp_path / "c.toml", tmp_path / "c.db", sources_of(*two_sites)),
                           extract_workers=-1)
    result = CliRunner().invoke(cli, ["--config", str(config), "run", "--once"])
    assert result.exit_code == 1
    assert "extract_workers" in result.output


def test_a_dead_extraction_worker_costs_no_page():
    """A worker killed mid-run (out of memory, say): the page is read in the crawling process."""
    import os
    import signal
    from collections import Counter

    from twinwatch.pages.records import FetchResult
    from twinwatch.app.demo.site import encode_page, news_page
    from twinwatch.app.parallel import ExtractPool
    from twinwatch.app.pipeline import _Timer, examine
    from twinwatch.app.prefilter import Prefilter

    story = single_agreement_articles(1)[0]
    resource = encode_page(news_page(story, []), story)
    page = FetchResult(url="http://127.0.0.1/a.html", body=resource.body,
                       headers={"content-type": resource.content_type})
    with ExtractPool(1) as pool:
        pool._pool.submit(int).result()  # the worker is up
        for pid in list(pool._pool._processes):  # noqa: SLF001 - reaching the worker to kill it
            os.kill(pid, signal.SIGKILL)
        outcome = pool.examine_page(page, None, Prefilter(), _Timer(Counter()))  # type: ignore[arg-type]
    expected = examine(page, prefilter=Prefilter())
    assert outcome.events and outcome.events == expected.events


def test_a_source_fetches_its_next_page_while_finishers_read_the_last(tmp_path):
    """With finishers, reading a page no longer stretches the host's day: the next request
    goes out when the delay has passed, while the page before it is still being read; and
    every page is saved by the end of the run."""
    import time
    from concurrent.futures import ThreadPoolExecutor

    from crawler.fetch import Fetcher
    from store import Store
    from twinwatch.app.parallel import StoreWriter, WritesThroughWriter
    from twinwatch.app.pipeline import examine_here, run_once
    from twinwatch.config import config_from_dict

    delay, reading = 0.2, 0.6

    def slow_examine(fetched, fetcher, prefilter, timer):
        time.sleep(reading)
        return examine_here(fetched, fetcher, prefilter, timer)

    stories = single_agreement_articles(PER_SITE)
    with SiteServer() as server:
        server.state.resources = article_site(server.base_url, stories)
        config = config_from_dict({"store": {"path": str(tmp_path / "c.db")},
                                   "crawler": {"delay_seconds": delay},
                                   "sources": sources_of(server)})
        with StoreWriter(config) as writer, Store(tmp_path / "c.db") as reader, \
                Fetcher(config.crawler) as fetcher, ThreadPoolExecutor(PER_SITE) as finishers:
            store = WritesThroughWriter(reader, writer)  # saves come from the finishers' threads
            report = run_once(config.sources[0], config=config, store=store, fetcher=fetcher,  # type: ignore[arg-type]
                              examine_page=slow_examine, finishers=finishers)
            stored = reader.events()
        pages = [r.at for r in server.state.log if r.path.startswith("/articles/")]
    assert report.fetched == PER_SITE and report.new_documents == PER_SITE
    assert len(stored) == report.new_events >= PER_SITE
    gaps = [b - a for a, b in zip(pages, pages[1:])]
    assert min(gaps) >= delay
    assert max(gaps) < reading  # not delay + reading, as when each page was read before the next


def test_the_run_keeps_a_connection_pool_for_each_host():
    """More hosts than requests' default ten pools: each keeps its own, so a host's next
    request reuses its connection instead of opening one (and dropping another host's)."""
    from crawler.fetch import Fetcher
    from twinwatch.app.parallel import _session
    from twinwatch.config import config_from_dict

    hosts = 12
    servers = [SiteServer(article_site("", []), host=f"127.0.0.{n + 2}").start() for n in range(hosts)]
    try:
        crawler = config_from_dict({"crawler": {"delay_seconds": 0.0}}).crawler
        with Fetcher(crawler, session=_session(hosts)) as fetcher:
            for _round in range(2):
                for server in servers:
                    fetcher.fetch(f"{server.base_url}/feed.xml")
            pools = fetcher.session.get_adapter(servers[0].base_url).poolmanager.pools
            assert len(pools) == hosts
    finally:
        for server in servers:
            server.stop()
