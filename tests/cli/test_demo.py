"""`twinwatch demo`: the embedded site crawled offline into a fresh database."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from store import Store
from twinwatch.app.cli import cli
from twinwatch.app.demo.articles import load_facts
from twinwatch.app.demo.run import run_demo
from twinwatch.app.demo.site import DOWN_PATH


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return run_demo(tmp_path_factory.mktemp("demo") / "out")


def test_demo_finds_at_least_fifty_events(demo):
    assert len(demo.events) >= 50
    pairs = {frozenset((e["korean_party"], e["partner"])) for e in demo.events}
    facts = {frozenset((f.party, f.partner)) for f in load_facts()}
    assert len(pairs & facts) >= 50  # the events are the demo's agreements, not noise


def test_demo_reports_the_failing_source(demo):
    closed = next(r for r in demo.first_crawl if r.errors)
    assert closed.errors == ("fetch_error: 503",)
    with Store(demo.database) as store:
        health = {h.name: h for h in store.source_health()}
    assert health[closed.source].consecutive_failures == 2  # both crawls failed
    assert health[closed.source].last_error == "fetch_error: 503"
    assert all(h.consecutive_failures == 0 for name, h in health.items() if name != closed.source)
    assert any(r.path == DOWN_PATH and r.status == 503 for r in demo.requests)


def test_demo_crawl_is_polite_and_incremental(demo):
    assert not [r for r in demo.requests if r.path.startswith("/private/")]
    assert any(r.path.endswith(".pdf") and r.status == 200 for r in demo.requests)
    assert sum(r.fetched for r in demo.second_crawl) == 0
    listings = ("/news/rss.xml", "/wire/sitemap.xml", "/board/list.do")
    assert {r.path for r in demo.requests if r.status == 304} >= set(listings)  # unchanged: 304
    assert sum(r.new_events for r in demo.second_crawl) == 0
    drops = {reason for report in demo.first_crawl for _, reason in report.dropped}
    assert {"robots_disallowed", "off_topic", "not_korean"} <= drops


def test_demo_command_prints_events_health_and_next_steps(tmp_path):
    result = CliRunner().invoke(cli, ["demo", "--output", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "events in the demo database" in result.output
    assert "fetch_error: 503" in result.output
    assert f"datasette {tmp_path / 'out' / 'twinwatch.db'}" in result.output
    assert f"twinwatch --config {tmp_path / 'out' / 'config.toml'} events" in result.output
    events = CliRunner().invoke(cli, ["--config", str(tmp_path / "out" / "config.toml"), "events",
                                      "--format", "json"])
    assert events.exit_code == 0 and events.output.count('"korean_party"') >= 50


def test_demo_site_pages_are_encoded_as_the_facts_say():
    from twinwatch.app.demo.articles import all_articles
    from twinwatch.app.demo.site import build_site

    site = build_site("http://127.0.0.1:1")
    pages = {path.rsplit("/", 1)[-1].split(".")[0].split("-")[-1]: resource
             for path, resource in site.items() if path.startswith(("/news/article/", "/wire/2"))}
    checked = 0
    for article in all_articles():
        resource = pages.get(article.page_id)
        if resource is None:
            continue
        codec = "euc_kr" if article.encoding.startswith("euc-kr") else "utf-8"
        text = resource.body.decode(codec)  # strict: the bytes are what the table says
        if article.encoding.endswith("-bare"):
            assert "charset" not in resource.content_type and "charset" not in text.lower()
        else:
            assert f"charset={codec.replace('_', '-')}" in resource.content_type
        checked += 1
    assert checked >= 40
    bare_euc = [a for a in all_articles() if a.encoding == "euc-kr-bare"]
    assert bare_euc, "the demo must have EUC-KR pages with no charset anywhere"


def test_every_demo_relationship_is_on_the_map_under_one_name_per_place(demo):
    from extract.gazetteer import load_gazetteer
    from twinwatch.research.export import as_geojson
    with Store(demo.database) as store:
        found = store.relationships()
        events = store.events()
    lines = [f for f in as_geojson(found, load_gazetteer())["features"]
             if f["properties"]["kind"] == "relationship"]
    assert len(lines) == len(found) and all(f["geometry"] for f in lines)
    names: dict[str, set[str]] = {}
    for event in events:
        if event["partner_country"] != "KR":
            assert event["partner_canonical"], event["partner"]
            names.setdefault(event["place_ids"]["partner"], set()).add(event["partner_canonical"])
    assert all(len(forms) == 1 for forms in names.values()), names
    assert {"선양시", "호이안시", "나가사키시", "다르항시", "빈즈엉성"} <= set().union(*names.values())
