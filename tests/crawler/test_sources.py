"""Source kinds rss and html_list against real loopback sites: what each lists, and how each fails."""

from __future__ import annotations

from typing import Any, Callable

import pytest

from crawler.fetch import Fetcher
from crawler.listing_cache import MemoryListingCache, SqliteListingCache
from crawler.records import Link
from twinwatch.pages.records import FetchResult
from crawler.sources import check_source, discover, fetch_link
from crawler.sources.common import day_from_text
from tests.support.crawling import ROBOTS, fast_config, rss_feed, source
from tests.support.sites import Hit, LoopbackSite, Reply
from twinwatch.config import SourceConfig
from twinwatch.errors import FetchError


# -- rss --------------------------------------------------------------------------------------


def test_rss_lists_entries_with_canonical_urls_titles_and_korean_days() -> None:
    with LoopbackSite() as site:
        site.routes["/feed"] = Reply(body=rss_feed([
            ("강릉시, 일본 ○○시와 자매결연", site.url("/news/1?utm_source=rss&utm_medium=feed"), "Mon, 02 Mar 2026 16:30:00 GMT"),
            ("우호교류 협약 체결", site.url("/news/2#comments"), "Tue, 03 Mar 2026 09:00:00 +0900"),
        ]), headers={"Content-Type": "application/rss+xml"})
        with Fetcher(fast_config()) as fetcher:
            found = discover(source("rss", site.url("/feed")), fetcher)
    assert found.error is None and found.pages == 1
    assert [link.url for link in found.links] == [site.url("/news/1"), site.url("/news/2")]
    assert found.links[0].title == "강릉시, 일본 ○○시와 자매결연"
    assert found.links[0].published == "2026-03-03"  # 16:30 UTC is the next morning in Korea
    assert found.links[1].published == "2026-03-03"


def test_rss_malformed_feed_gives_clear_error() -> None:
    with LoopbackSite({"/feed": Reply(body=b"<html><body>Service temporarily moved</body></html>")}) as site:
        with Fetcher(fast_config()) as fetcher:
            found = discover(source("rss", site.url("/feed")), fetcher)
    assert found.links == () and found.error == "malformed_feed: not an RSS or Atom document"


def test_rss_truncated_feed_keeps_entries_read_and_says_so() -> None:
    with LoopbackSite() as site:
        whole = rss_feed([("하나", site.url("/n/1"), ""), ("둘", site.url("/n/2"), "")])
        second_item = whole.index(b"<item>", whole.index(b"<item>") + 1)
        site.routes["/feed"] = Reply(body=whole[: second_item + 12])
        with Fetcher(fast_config()) as fetcher:
            found = discover(source("rss", site.url("/feed")), fetcher)
    assert [link.url for link in found.links] == [site.url("/n/1")]
    assert found.error is not None and found.error.startswith("malformed_feed: ")


def test_rss_feed_503_with_retry_after_then_success() -> None:
    def busy_once(hit: Hit, seen: int) -> Reply:
        if seen == 0:
            return Reply(503, headers={"Retry-After": "1"})
        return Reply(body=rss_feed([("협약", "http://127.0.0.1/x", "")]))
    with LoopbackSite({"/feed": busy_once}) as site:
        with Fetcher(fast_config(max_retry_after_seconds=3.0)) as fetcher:
            found = discover(source("rss", site.url("/feed")), fetcher)
    hits = site.hits("/feed")
    assert found.error is None and len(found.links) == 1
    assert len(hits) == 2 and hits[1].at - hits[0].at >= 1.0


def test_rss_feed_timeout_is_reported_not_raised() -> None:
    with LoopbackSite({"/feed": Reply(body=b"late", delay=1.0)}) as site:
        with Fetcher(fast_config(timeout_seconds=0.2, retries=0)) as fetcher:
            found = discover(source("rss", site.url("/feed")), fetcher)
    assert found.error == "timeout" and found.links == ()


def test_rss_article_disallowed_by_robots_is_never_requested() -> None:
    with LoopbackSite({"/robots.txt": ROBOTS}) as site:
        site.routes["/feed"] = Reply(body=rss_feed([("비공개", site.url("/private/1"), ""), ("공개", site.url("/news/1"), "")]))
        site.routes["/news/1"] = Reply(body="<p>우호도시</p>".encode())
        with Fetcher(fast_config()) as fetcher:
            found = discover(source("rss", site.url("/feed")), fetcher)
            fetched = fetch_link(found.links[1], fetcher, source="test-rss")
            with pytest.raises(FetchError) as caught:
                fetch_link(found.links[0], fetcher, source="test-rss")
    assert caught.value.reason == "robots_disallowed" and site.hits("/private/1") == []
    assert fetched.source == "test-rss" and fetched.listed_title == "공개" and fetched.discovered_via == "live"


def test_rss_article_refetch_with_etag_is_a_counted_304() -> None:
    def article(hit: Hit, seen: int) -> Reply:
        if hit.headers.get("if-none-match") == '"a1"':
            return Reply(304)
        return Reply(body="<p>자매결연</p>".encode(), headers={"ETag": '"a1"'})
    with LoopbackSite({"/news/1": article}) as site:
        site.routes["/feed"] = Reply(body=rss_feed([("기사", site.url("/news/1"), "")]))
        with Fetcher(fast_config()) as fetcher:
            link = discover(source("rss", site.url("/feed")), fetcher).links[0]
            first = fetch_link(link, fetcher)
            again = fetch_link(link, fetcher, etag=first.etag)
    assert first.status == 200 and again.not_modified and again.status == 304
    assert fetcher.counters.snapshot()["not_modified"] == 1


# -- html_list --------------------------------------------------------------------------------


def board_page(rows: list[str], extra: str = "", charset_meta: str = "") -> str:
    body = "".join(f"<tr>{row}</tr>" for row in rows)
    return (f"<html><head>{charset_meta}<title>보도자료</title></head><body>"
            f"<table class='board'><tbody>{body}</tbody></table>{extra}</body></html>")


def paged_board(hit: Hit, seen: int) -> Reply:
    page = int(hit.path.rsplit("pageIndex=", 1)[1]) if "pageIndex=" in hit.path else 1
    if page > 3:
        return Reply(body=board_page([]).encode())
    rows = [f"<td class='title'><a href='/view.do?nttId={page}{i}&amp;utm_source=list'>자매결연 {page}-{i}</a></td>"
            f"<td class='date'>2026.03.0{page}</td>" for i in range(2)]
    return Reply(body=board_page(rows).encode(), headers={"Content-Type": "text/html; charset=utf-8"})


def test_html_list_page_param_pagination_rows_and_dates() -> None:
    with LoopbackSite({"/list.do": paged_board}) as site:
        config = source("html_list", site.url("/list.do?bbsId=B01"), link_selector="td.title a",
                        row_selector="tbody tr", date_selector="td.date", page_param="pageIndex", max_pages=10)
        with Fetcher(fast_config()) as fetcher:
            found = discover(config, fetcher)
    assert found.error is None and found.pages == 4  # three full pages, then an empty one ends it
    assert [link.url for link in found.links][:2] == [site.url("/view.do?nttId=10"), site.url("/view.do?nttId=11")]
    assert len(found.links) == 6 and found.links[0].title == "자매결연 1-0"
    assert [link.published for link in found.links[::2]] == ["2026-03-01", "2026-03-02", "2026-03-03"]
    assert [h.path for h in site.hits("/list.do")][:2] == ["/list.do?bbsId=B01&pageIndex=1", "/list.do?bbsId=B01&pageIndex=2"]


def test_html_list_max_pages_caps_the_walk() -> None:
    with LoopbackSite({"/list.do": paged_board}) as site:
        config = source("html_list", site.url("/list.do"), link_selector="td.title a", page_param="pageIndex", max_pages=2)
        with Fetcher(fast_config()) as fetcher:
            found = discover(config, fetcher)
    assert found.pages == 2 and len(found.links) == 4 and len(site.hits("/list.do")) == 2


def test_html_list_next_selector_pagination() -> None:
    pages = {
        "/b/1": board_page(["<td><a class='t' href='/a/1'>협약 1</a></td>"], "<a class='next' href='/b/2'>다음</a>"),
        "/b/2": board_page(["<td><a class='t' href='/a/2'>협약 2</a></td>"], "<a class='next' href='/b/1'>처음</a>"),
    }
    with LoopbackSite({path: Reply(body=html.encode()) for path, html in pages.items()}) as site:
        config = source("html_list", site.url("/b/1"), link_selector="a.t", next_selector="a.next", max_pages=5)
        with Fetcher(fast_config()) as fetcher:
            found = discover(config, fetcher)
    assert [link.url for link in found.links] == [site.url("/a/1"), site.url("/a/2")]
    assert found.pages == 2  # the "next" link back to page 1 is not followed round again


def test_html_list_onclick_links_filled_into_template() -> None:
    rows = [f"<td><a href='#none' onclick=\"fn_view('B0001', '{n}'); return false;\">의향서 {n}</a></td>" for n in (501, 502)]
    rows.append("<td><a href=\"javascript:fn_view('B0001','503')\">의향서 503</a></td>")
    with LoopbackSite({"/list": Reply(body=board_page(rows).encode())}) as site:
        config = source("html_list", site.url("/list"), link_selector="td a",
                        link_template="/board/view.do?bbsId={0}&nttId={1}")
        with Fetcher(fast_config()) as fetcher:
            found = discover(config, fetcher)
    assert [link.url for link in found.links] == [
        site.url(f"/board/view.do?bbsId=B0001&nttId={n}") for n in (501, 502, 503)]
    assert found.links[2].title == "의향서 503"


def test_html_list_post_form_links_are_posted() -> None:
    rows = [f"<td><a href='#' onclick=\"goView('{n}')\">MOU {n}</a></td>" for n in (7, 8)]
    with LoopbackSite({"/list": Reply(body=board_page(rows).encode()), "/view.do": Reply(body="<p>업무협약</p>".encode())}) as site:
        config = source("html_list", site.url("/list"), link_selector="td a", link_method="POST",
                        link_template="/view.do", post_fields={"seq": "{id}", "menu": "press"})
        with Fetcher(fast_config()) as fetcher:
            found = discover(config, fetcher)
            fetched = fetch_link(found.links[1], fetcher, source="board")
    link = found.links[1]
    assert link.method == "POST" and link.form == (("seq", "8"), ("menu", "press"))
    assert link.url == site.url("/view.do?seq=8&menu=press") and link.action_url == site.url("/view.do")
    assert site.hits("/view.do")[0].method == "POST" and site.hits("/view.do")[0].body == b"seq=8&menu=press"
    assert fetched.url == link.url and fetched.body == "<p>업무협약</p>".encode()


def test_html_list_euc_kr_page_without_any_declaration() -> None:
    rows = ["<td><a href='/v/1'>강원도, 중국 지린성과 우호교류 의향서 체결</a></td>"]
    body = board_page(rows * 3).encode("euc-kr")  # no meta charset, and the header says text/html only
    with LoopbackSite({"/list": Reply(body=body, headers={"Content-Type": "text/html"})}) as site:
        with Fetcher(fast_config()) as fetcher:
            found = discover(source("html_list", site.url("/list"), link_selector="td a"), fetcher)
    assert found.error is None and found.links[0].title == "강원도, 중국 지린성과 우호교류 의향서 체결"


def test_html_list_page_without_matching_links_is_a_clear_error() -> None:
    with LoopbackSite({"/list": Reply(body=b"<html><body><p>maintenance</p></body></html>")}) as site:
        with Fetcher(fast_config()) as fetcher:
            found = discover(source("html_list", site.url("/list"), link_selector="td.title a"), fetcher)
    assert found.links == () and found.error is not None and found.error.startswith("no_links: 'td.title a'")


def test_html_list_binary_list_page_is_a_clear_error() -> None:
    with LoopbackSite({"/list": Reply(body=b"%PDF-1.4\x00\x01\x02 binary")}) as site:
        with Fetcher(fast_config()) as fetcher:
            found = discover(source("html_list", site.url("/list"), link_selector="a"), fetcher)
    assert found.error == "list page 1: binary"


def test_html_list_second_page_failure_keeps_first_page_links() -> None:
    def second_fails(hit: Hit, seen: int) -> Reply:
        if "pageIndex=2" in hit.path:
            return Reply(503)
        return Reply(body=board_page(["<td><a href='/v/1'>교류</a></td>"]).encode())
    with LoopbackSite({"/list": second_fails}) as site:
        config = source("html_list", site.url("/list"), link_selector="td a", page_param="pageIndex", max_pages=3)
        with Fetcher(fast_config(retries=1, backoff_seconds=0.01)) as fetcher:
            found = discover(config, fetcher)
    assert [link.url for link in found.links] == [site.url("/v/1")]
    assert found.error == "list page 2: fetch_error: 503"


@pytest.mark.parametrize(
    "options",
    [{}, {"link_selector": "a", "link_method": "POST"}, {"link_selector": "a", "onclick_pattern": "("},
     {"link_selector": "a[", "max_pages": 1}],
)
def test_html_list_bad_options_are_config_errors_before_any_request(options: dict[str, Any]) -> None:
    with LoopbackSite({"/list": Reply(body=board_page(["<td><a href='/v'>x</a></td>"]).encode())}) as site:
        with Fetcher(fast_config()) as fetcher:
            found = discover(source("html_list", site.url("/list"), **options), fetcher)
    assert found.links == () and found.error is not None and found.error.startswith("config_error: source ")
    assert site.hits() == []


def test_unknown_kind_is_a_config_error() -> None:
    with Fetcher(fast_config()) as fetcher:
        found = discover(SourceConfig(name="x", kind="gopher", url="gopher://x"), fetcher)
    assert found.error == "config_error: source 'x': unknown kind 'gopher'"


def test_fetch_link_reads_backfill_files_from_disk(tmp_path) -> None:
    page = tmp_path / "release.html"
    page.write_text("<p>자매결연</p>", encoding="utf-8")
    link = Link(url=str(page), title="release", discovered_via="backfill")
    with Fetcher(fast_config()) as fetcher:
        fetched = fetch_link(link, fetcher, source="archive")
    assert fetched.body == page.read_bytes() and fetched.discovered_via == "backfill" and fetched.status is None
    assert fetcher.counters.snapshot()["requests"] == 0


@pytest.mark.parametrize(
    ("kind", "url", "options", "problem"),
    [
        ("html_list", "http://x/list", {"link_selecter": "a"}, "unknown option 'link_selecter'"),
        ("html_list", "http://x/list", {"link_selector": "td >> a"}, "link_selector is not valid CSS"),
        ("html_list", "", {"link_selector": "a"}, "url is required"),
        ("rss", "http://x/feed", {"max_items": "ten"}, "option max_items has the wrong type"),
        ("sitemap", "http://x/s.xml", {"url_pattern": "[press"}, "url_pattern is not a regex"),
        ("naver_news", "", {"query": ["자매결연"], "sort": "newest"}, "option sort must be"),
        ("naver_news", "", {}, "option query must be"),
        ("files", "/data", {"suffixes": ["html"]}, "option suffixes must be a list"),
    ],
)
def test_check_source_finds_problems_without_network(kind: str, url: str, options: dict[str, Any], problem: str) -> None:
    problems = check_source(SourceConfig(name="s", kind=kind, url=url, options=options))
    assert any(problem in p for p in problems), problems


@pytest.mark.parametrize(
    ("kind", "options"),
    [
        ("rss", {"max_items": 20, "refetch": True}),
        ("html_list", {"link_selector": "td.subject a", "onclick_pattern": r"fn_view\('(\d+)'\)",
                       "link_template": "view.do?seq={0}", "page_param": "page", "max_pages": 2}),
        ("sitemap", {"url_pattern": "/press/", "since_days": 30}),
        ("naver_news", {"query": "자매결연", "display": 50}),
        ("files", {"recursive": False, "suffixes": [".html", ".pdf"]}),
    ],
)
def test_check_source_accepts_good_sources(kind: str, options: dict[str, Any]) -> None:
    assert check_source(SourceConfig(name="s", kind=kind, url="http://x/", options=options)) == []


def test_shipped_config_sources_pass_check() -> None:
    from tests.support.paths import REPO
    from twinwatch.config import load_config

    config = load_config(REPO / "config.toml")
    assert config.sources and [p for s in config.sources for p in check_source(s)] == []


def test_html_list_rows_that_are_post_forms() -> None:
    rows = [f"<td class='subject'><form action='/board/view.do' method='post'><input type='hidden' name='seq' value='{n}'>"
            f"<input type='hidden' name='bbs' value='press'><button type='submit'>자매결연 {n}</button></form></td>"
            for n in (31, 32)]
    with LoopbackSite({"/list": Reply(body=board_page(rows).encode()), "/board/view.do": Reply(body=b"<p>ok</p>")}) as site:
        with Fetcher(fast_config()) as fetcher:
            found = discover(source("html_list", site.url("/list"), link_selector="td.subject form"), fetcher)
            fetch_link(found.links[0], fetcher)
    assert [(l.url, l.title, l.method, l.form) for l in found.links] == [
        (site.url(f"/board/view.do?seq={n}&bbs=press"), f"자매결연 {n}", "POST", (("seq", str(n)), ("bbs", "press")))
        for n in (31, 32)]
    assert site.hits("/board/view.do")[0].body == b"seq=31&bbs=press"


def validated(body: bytes, etag: str) -> Callable[[Hit, int], Reply]:
    def route(hit: Hit, seen: int) -> Reply:
        if hit.headers.get("if-none-match") == etag:
            return Reply(304)
        return Reply(body=body, headers={"ETag": etag})
    return route


@pytest.mark.parametrize("kind", ["rss", "html_list"])
def test_unchanged_listing_is_a_304_and_still_yields_its_links(kind: str) -> None:
    with LoopbackSite() as site:
        urls = [site.url(f"/news/{n}") for n in range(50)]
        listing = (rss_feed([(f"교류 {n}", u, "") for n, u in enumerate(urls)]) if kind == "rss"
                   else board_page([f"<td><a href='{u}'>교류</a></td>" for u in urls]).encode())
        site.routes["/listing"] = validated(listing, '"L1"')
        config = source(kind, site.url("/listing"), **({"link_selector": "td a"} if kind == "html_list" else {}))
        with Fetcher(fast_config(), listing_cache=MemoryListingCache()) as fetcher:
            first = discover(config, fetcher)
            bytes_first = fetcher.counters.snapshot()["bytes_received"]
            second = discover(config, fetcher)
            bytes_second = fetcher.counters.snapshot()["bytes_received"] - bytes_first
    assert [l.url for l in second.links] == [l.url for l in first.links] == urls
    assert site.hits("/listing")[1].headers["if-none-match"] == '"L1"'
    assert bytes_second == 0 and fetcher.counters.snapshot()["not_modified"] == 1


def test_without_a_listing_cache_listings_are_fetched_whole() -> None:
    with LoopbackSite() as site:
        site.routes["/feed"] = validated(rss_feed([("교류", site.url("/n/1"), "")]), '"F"')
        with Fetcher(fast_config()) as fetcher:
            discover(source("rss", site.url("/feed")), fetcher)
            discover(source("rss", site.url("/feed")), fetcher)
    assert [h.headers.get("if-none-match") for h in site.hits("/feed")] == [None, None]


def test_memory_listing_cache_drops_the_oldest() -> None:
    cache = MemoryListingCache(max_entries=2)
    for n in range(3):
        cache.put(FetchResult(url=f"http://x/{n}", body=b"", headers={"etag": str(n)}))
    assert cache.get("http://x/0") is None and cache.get("http://x/2") is not None


def test_html_list_stops_when_a_board_repeats_its_last_page() -> None:
    def repeating(hit: Hit, seen: int) -> Reply:
        page = min(2, int(hit.path.rsplit("page=", 1)[1]))  # pages past 2 show page 2 again
        return Reply(body=board_page([f"<td><a href='/v/{page}{i}'>교류</a></td>" for i in range(3)]).encode())
    with LoopbackSite({"/list": repeating}) as site:
        config = source("html_list", site.url("/list"), link_selector="td a", page_param="page", max_pages=10)
        with Fetcher(fast_config()) as fetcher:
            found = discover(config, fetcher)
    assert len(found.links) == 6 and found.pages == 3 and found.error is None


def test_sqlite_listing_cache_serves_a_later_process(tmp_path) -> None:
    with LoopbackSite() as site:
        urls = [site.url(f"/news/{n}") for n in range(5)]
        site.routes["/feed"] = validated(rss_feed([("교류", u, "") for u in urls]), '"S1"')
        for run in range(2):  # two Fetchers and two cache objects over one file: two CLI runs
            cache = SqliteListingCache(tmp_path / "listings.db")
            with Fetcher(fast_config(), listing_cache=cache) as fetcher:
                found = discover(source("rss", site.url("/feed")), fetcher)
            cache.close()
            assert [link.url for link in found.links] == urls
    assert [h.headers.get("if-none-match") for h in site.hits("/feed")] == [None, '"S1"']


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("Mon, 02 Mar 2026 23:30:00 KST", "2026-03-02"),  # feedparser would read KST as UTC
        ("Mon, 02 Mar 2026 23:30:00 +0900", "2026-03-02"),
        ("Mon, 02 Mar 2026 16:30:00 GMT", "2026-03-03"),
        ("2026-03-02 23:30:00", "2026-03-02"),  # no zone: Korean local time, as written
        ("2026.03.02", "2026-03-02"),  # feedparser would make this November
        ("2026-03-02T18:00:00Z", "2026-03-03"),
        ("어제", None),
    ],
)
def test_listing_dates_become_korean_days(written: str, day: str | None) -> None:
    assert day_from_text(written) == day


def test_rss_dates_with_korean_zone_or_dots() -> None:
    with LoopbackSite() as site:
        site.routes["/feed"] = Reply(body=rss_feed([("가", site.url("/1"), "Mon, 02 Mar 2026 23:30:00 KST"),
                                                    ("나", site.url("/2"), "2026.03.04")]))
        with Fetcher(fast_config()) as fetcher:
            found = discover(source("rss", site.url("/feed")), fetcher)
    assert [link.published for link in found.links] == ["2026-03-02", "2026-03-04"]


def test_html_list_euc_kr_page_that_claims_utf8() -> None:
    body = board_page(["<td><a href='/v/1'>충청북도, 일본 야마나시현과 자매결연 40주년</a></td>"] * 3,
                      charset_meta="<meta charset='utf-8'>").encode("euc-kr")
    with LoopbackSite({"/list": Reply(body=body, headers={"Content-Type": "text/html; charset=UTF-8"})}) as site:
        with Fetcher(fast_config()) as fetcher:
            found = discover(source("html_list", site.url("/list"), link_selector="td a"), fetcher)
    assert found.links[0].title == "충청북도, 일본 야마나시현과 자매결연 40주년"
