"""The pipeline end to end on loopback sites: `crawl --once` stores what `extract` finds, a
re-crawl downloads nothing, robots.txt holds, duplicates merge, bad pages are kept with a reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.fetch import Fetcher
from extract.evaluate import Counts, score_document
from twinwatch.app.extraction import extract_input
from store import Store
from tests.support.pipeline_site import article, article_site, single_agreement_articles, write_config
from twinwatch.app.cli import cli
from twinwatch.config import load_config
from twinwatch.app.demo.articles import extra_articles
from twinwatch.app.demo.server import SiteServer
from twinwatch.app.demo.pdf import write_pdf
from twinwatch.app.demo.site import Resource
from twinwatch.app.pipeline import run_once

ARTICLES = 20


def invoke(config: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--config", str(config), *args],
                                                catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def stored_events(config: Path) -> list[dict]:
    return json.loads(invoke(config, "events", "--format", "json"))


def article_requests(server: SiteServer, status: int | None = None) -> list[str]:
    return [r.path for r in server.requests_for("/articles/") if status is None or r.status == status]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """One feed of ARTICLES pages plus a robots-forbidden one, crawled twice."""
    folder = tmp_path_factory.mktemp("crawled")
    with SiteServer() as server:
        stories = single_agreement_articles(ARTICLES)
        server.state.resources = article_site(server.base_url, stories, blocked=[article("p06")])
        config = write_config(folder / "config.toml", folder / "tw.db", [
            {"name": "feed", "kind": "rss", "url": f"{server.base_url}/feed.xml"}])
        first = json.loads(invoke(config, "crawl", "--once", "--format", "json"))
        after_first = len(server.state.log)
        events_first = stored_events(config)
        second = json.loads(invoke(config, "crawl", "--once", "--format", "json"))
        second_log = server.state.log[after_first:]
        events_second = stored_events(config)
        urls = [f"{server.base_url}/articles/{s.page_id}.html" for s in stories]
        extracted = {url: extract_input(url)["events"] for url in urls}
        yield {"server": server, "config": config, "first": first[0], "second": second[0],
               "events_first": events_first, "events_second": events_second,
               "second_log": second_log, "extracted": extracted}


def test_crawl_stores_the_events_extract_finds(crawled):
    total = Counts()
    for url, expected in crawled["extracted"].items():
        stored = [e for e in crawled["events_first"] if url in e["source_urls"]]
        total.add(score_document(url, stored, expected).full)
    scores = total.as_dict()
    assert total.tp >= ARTICLES * 0.8, scores  # the comparison is about real events
    print("crawl vs extract, full:", scores)
    assert scores["f1"] >= 0.98, scores


def test_first_crawl_report(crawled):
    report = crawled["first"]
    assert report["links_found"] == ARTICLES + 1
    assert report["fetched"] == ARTICLES
    assert report["new_documents"] == ARTICLES
    assert report["new_events"] == len(crawled["events_first"])
    assert [reason for _, reason in report["dropped"]] == ["robots_disallowed"]


def test_second_crawl_downloads_no_article_and_adds_no_event(crawled):
    article_200s = [r for r in crawled["second_log"] if r.path.startswith("/articles/") and r.status == 200]
    assert article_200s == []
    assert crawled["second"]["skipped_known"] == ARTICLES + 1  # the robots-forbidden one too
    assert crawled["second"]["new_events"] == 0
    assert crawled["events_second"] == crawled["events_first"]


def test_second_crawl_gets_the_unchanged_feed_as_a_304(crawled):
    # separate `crawl --once` runs share the listing cache kept beside the database
    feed = [r.status for r in crawled["second_log"] if r.path == "/feed.xml"]
    assert feed == [304]


def test_robots_disallowed_url_is_never_requested(crawled):
    server = crawled["server"]
    assert server.requests_for("/private/") == []
    assert server.requests_for("/robots.txt"), "robots.txt was never read"
    config = load_config(crawled["config"])
    with Store(config.store.path) as store:
        blocked = store.known_url(f"{server.base_url}/private/p06.html")
    assert blocked is not None and blocked.drop_reason == "robots_disallowed"


def test_same_release_on_two_sites_is_one_event_with_two_mentions(tmp_path):
    release = article("p13")
    with SiteServer() as one, SiteServer() as other:
        one.state.resources = article_site(one.base_url, [release])
        other.state.resources = article_site(other.base_url, [release])
        config = write_config(tmp_path / "config.toml", tmp_path / "tw.db", [
            {"name": "one", "kind": "rss", "url": f"{one.base_url}/feed.xml"},
            {"name": "other", "kind": "rss", "url": f"{other.base_url}/feed.xml"}])
        invoke(config, "crawl", "--once")
        events = stored_events(config)
    assert len(events) == 1, events
    assert sorted(events[0]["source_urls"]) == sorted(
        [f"{one.base_url}/articles/p13.html", f"{other.base_url}/articles/p13.html"])


def test_planned_then_signed_is_one_event(tmp_path):
    planned, signed = article("p20"), article("p21")
    with SiteServer() as server:
        config = write_config(tmp_path / "config.toml", tmp_path / "tw.db", [
            {"name": "feed", "kind": "rss", "url": f"{server.base_url}/feed.xml"}])
        server.state.resources = article_site(server.base_url, [planned])
        invoke(config, "crawl", "--once")
        assert [e["status"] for e in stored_events(config)] == ["planned"]
        server.state.resources = article_site(server.base_url, [signed, planned])
        invoke(config, "crawl", "--once")
        events = stored_events(config)
    assert len(events) == 1, events
    assert events[0]["status"] == "signed"
    assert events[0]["date"] == "2025-06-03"
    assert len(events[0]["source_urls"]) == 2


def _by_id(page_id: str):
    return next(a for a in extra_articles() if a.page_id == page_id)


def test_bad_pages_are_kept_with_their_reason_and_the_run_goes_on(tmp_path):
    good = article("p01")
    with SiteServer(down_paths=frozenset({"/articles/down.html"})) as server:
        resources = article_site(server.base_url, [good, _by_id("o01"), _by_id("e01")])
        resources["/articles/binary.html"] = Resource(bytes(range(256)) * 40, "application/octet-stream")
        base = server.base_url
        extra = "".join(f"<item><title>x</title><link>{base}/articles/{name}.html</link></item>"
                        for name in ("missing", "down", "binary"))
        feed = resources["/feed.xml"]
        resources["/feed.xml"] = Resource(feed.body.replace(b"</channel>", extra.encode() + b"</channel>"),
                                          feed.content_type)
        server.state.resources = resources
        config = load_config(write_config(tmp_path / "config.toml", tmp_path / "tw.db", [
            {"name": "feed", "kind": "rss", "url": f"{base}/feed.xml"}]))
        with Store(config.store.path) as store, Fetcher(config.crawler) as fetcher:
            report = run_once(config.sources[0], config=config, store=store, fetcher=fetcher)
            reasons = {url.rsplit("/", 1)[1]: store.known_url(url).drop_reason for url, _ in report.dropped}
            good_row = store.known_url(f"{base}/articles/p01.html")
    assert reasons["o01.html"] == "off_topic"
    assert reasons["e01.html"] == "not_korean"
    assert reasons["missing.html"] == "fetch_error: 404"
    assert reasons["down.html"] == "fetch_error: 503"
    assert reasons["binary.html"]  # whatever the reader calls it, it is kept with a reason
    assert good_row is not None and good_row.drop_reason is None
    assert report.new_events >= 1 and report.ok


def test_refetch_source_asks_again_with_a_conditional_get(tmp_path):
    stories = single_agreement_articles(3)
    with SiteServer() as server:
        server.state.resources = article_site(server.base_url, stories)
        config = write_config(tmp_path / "config.toml", tmp_path / "tw.db", [
            {"name": "feed", "kind": "rss", "url": f"{server.base_url}/feed.xml", "refetch": True}])
        invoke(config, "crawl", "--once")
        start = len(server.state.log)
        second = json.loads(invoke(config, "crawl", "--once", "--format", "json"))[0]
        statuses = [r.status for r in server.state.log[start:] if r.path.startswith("/articles/")]
    assert statuses == [304] * 3
    assert second["not_modified"] == 3 and second["fetched"] == 0


def test_failing_source_shows_in_health(tmp_path):
    with SiteServer(down_paths=frozenset({"/feed.xml"})) as server:
        config = write_config(tmp_path / "config.toml", tmp_path / "tw.db", [
            {"name": "down", "kind": "rss", "url": f"{server.base_url}/feed.xml"}])
        for _ in range(2):  # the only source failed: exit code 1
            failed = CliRunner().invoke(cli, ["--config", str(config), "crawl", "--once"])
            assert failed.exit_code == 1, failed.output
    health = json.loads(invoke(config, "sources", "--format", "json"))
    assert health[0]["name"] == "down"
    assert health[0]["consecutive_failures"] == 2
    assert health[0]["last_error"] == "fetch_error: 503"


def test_sources_check_shows_articles_and_stores_nothing(tmp_path):
    stories = single_agreement_articles(2)
    with SiteServer() as server:
        server.state.resources = article_site(server.base_url, stories, blocked=[_by_id("o02")])
        config = write_config(tmp_path / "config.toml", tmp_path / "tw.db", [
            {"name": "feed", "kind": "rss", "url": f"{server.base_url}/feed.xml", "enabled": False}])
        checked = json.loads(invoke(config, "sources", "check", "feed", "--format", "json"))
    assert checked["links_found"] == 3 and len(checked["links"]) == 3
    by_reason = {p["drop_reason"] for p in checked["pages"]}
    assert by_reason == {None, "robots_disallowed"}
    assert sum(len(p["events"]) for p in checked["pages"]) >= 2
    assert not (tmp_path / "tw.db").exists()


def test_ingest_reads_files_and_folders_once(tmp_path):
    folder = tmp_path / "archive"
    (folder / "sub").mkdir(parents=True)
    for story, name in ((article("p01"), "sub/a.html"), (article("p02"), "b.html"), (_by_id("o01"), "c.html")):
        (folder / name).write_bytes(article_site("http://x", [story])[f"/articles/{story.page_id}.html"].body)
    (folder / "notes.bin").write_bytes(b"\x00\x01")
    release = article("p03")
    (folder / "release.pdf").write_bytes(write_pdf(release.title, list(release.paragraphs)))
    config = write_config(tmp_path / "config.toml", tmp_path / "tw.db", [])
    first = json.loads(invoke(config, "ingest", str(folder), "--format", "json"))[0]
    second = json.loads(invoke(config, "ingest", str(folder), "--format", "json"))[0]
    assert first["links_found"] == 4  # notes.bin is not a format twinwatch reads
    assert [reason for _, reason in first["dropped"]] == ["off_topic"]
    assert first["new_events"] >= 3 and second["new_events"] == 0
    partners = {e["partner"] for e in stored_events(config)}
    assert "하얼빈시" in partners  # from the PDF
    with Store(tmp_path / "tw.db") as store:
        via = {row["discovered_via"] for row in store.db.query("SELECT discovered_via FROM documents")}
    assert via == {"import"}


def test_files_source_backfills_a_folder_once(tmp_path):
    folder = tmp_path / "saved"
    folder.mkdir()
    for story in (article("p01"), article("p02")):
        page = article_site("http://x", [story])[f"/articles/{story.page_id}.html"]
        (folder / f"{story.page_id}.html").write_bytes(page.body)
    config = write_config(tmp_path / "config.toml", tmp_path / "tw.db", [
        {"name": "saved", "kind": "files", "url": str(folder), "enabled": False}])
    first = json.loads(invoke(config, "crawl", "--once", "--source", "saved", "--format", "json"))[0]
    second = json.loads(invoke(config, "crawl", "--once", "--source", "saved", "--format", "json"))[0]
    assert first["new_documents"] == 2 and first["new_events"] >= 2
    assert second["skipped_known"] == 2 and second["fetched"] == 0
    with Store(tmp_path / "tw.db") as store:
        via = {row["discovered_via"] for row in store.db.query("SELECT discovered_via FROM documents")}
    assert via == {"backfill"}


def test_a_page_the_store_refuses_does_not_stop_the_run(tmp_path, monkeypatch):
    stories = single_agreement_articles(3)
    with SiteServer() as server:
        server.state.resources = article_site(server.base_url, stories)
        config = load_config(write_config(tmp_path / "config.toml", tmp_path / "tw.db", [
            {"name": "feed", "kind": "rss", "url": f"{server.base_url}/feed.xml"}]))
        refused = f"{server.base_url}/articles/{stories[1].page_id}.html"
        with Store(config.store.path) as store, Fetcher(config.crawler) as fetcher:
            real_save = store.save

            def save(*args, **kwargs):
                if kwargs.get("url") == refused:
                    raise RuntimeError("disk says no")
                return real_save(*args, **kwargs)

            monkeypatch.setattr(store, "save", save)
            report = run_once(config.sources[0], config=config, store=store, fetcher=fetcher)
            saved = store.db["documents"].count
    assert report.dropped == ((refused, "error: RuntimeError"),)
    assert saved == 2 and report.new_documents == 2


@pytest.mark.parametrize("fallback, robots", [(True, b""), (False, b""), (True, b"Disallow: /articles/")])
def test_headline_fallback_reads_the_feed_title_when_the_page_is_a_redirect(tmp_path, fallback, robots):
    headline = "충주시, 몽골 울란바토르시와 자매결연 협정 체결 - 데모일보"
    redirect = b"<html><head><script>location.replace('https://publisher.example/a')</script></head><body></body></html>"
    with SiteServer() as server:
        base = server.base_url
        feed = (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
                f"<item><title>{headline}</title><link>{base}/articles/CBMi1.html</link>"
                f"<pubDate>Thu, 06 Mar 2025 09:00:00 +0900</pubDate></item></channel></rss>")
        server.state.resources = {"/robots.txt": Resource(b"User-agent: *\n" + robots, "text/plain"),
                                  "/feed.xml": Resource(feed.encode(), "application/rss+xml"),
                                  "/articles/CBMi1.html": Resource(redirect, "text/html; charset=utf-8")}
        config = write_config(tmp_path / "config.toml", tmp_path / "tw.db", [
            {"name": "news", "kind": "rss", "url": f"{base}/feed.xml", "headline_fallback": fallback}])
        report = json.loads(invoke(config, "crawl", "--once", "--format", "json"))[0]
        events = stored_events(config)
        article_requests = server.requests_for("/articles/")
    if robots:
        assert article_requests == []  # the headline is read; the forbidden page never asked for
    if fallback:
        assert [(e["korean_party"], e["partner"], e["agreement_type"]) for e in events] == [
            ("충주시", "울란바토르시", "sister_city")]
        assert events[0]["evidence"] in headline
    else:
        assert events == [] and report["dropped"][0][1] == "off_topic"


def test_a_misconfigured_source_fails_alone(tmp_path):
    with SiteServer() as server:
        server.state.resources = article_site(server.base_url, single_agreement_articles(1))
        config = write_config(tmp_path / "config.toml", tmp_path / "tw.db", [
            {"name": "board", "kind": "html_list", "url": f"{server.base_url}/list"},
            {"name": "feed", "kind": "rss", "url": f"{server.base_url}/feed.xml"}])
        result = CliRunner().invoke(cli, ["--config", str(config), "crawl", "--once", "--format", "json"])
    assert result.exit_code == 2  # one of two sources failed
    board, feed = json.loads(result.stdout)
    assert board["errors"][0].startswith("config_error:") and "link_selector" in board["errors"][0]
    assert feed["new_documents"] == 1
    health = {row["name"]: row for row in json.loads(invoke(config, "sources", "--format", "json"))}
    assert health["board"]["consecutive_failures"] == 1
