"""Source kinds sitemap, naver_news and files, against loopback servers and temp folders."""

from __future__ import annotations

import gzip
import json
from typing import Any

import pytest

from crawler.fetch import Fetcher
from crawler.sources import discover
from tests.support.crawling import INDEX, ROBOTS, URLSET, fast_config, source, url_entry
from tests.support.sites import Hit, LoopbackSite, Reply
from twinwatch.config import SourceConfig

# -- sitemap ----------------------------------------------------------------------------------


def test_sitemap_index_with_gzip_child_and_news_sitemap() -> None:
    with LoopbackSite() as site:
        plain = URLSET.format(url_entry(site.url("/press/1?utm_source=sm"), "2026-03-01")
                              + url_entry(site.url("/about"), "2020-01-01"))
        news = URLSET.format(url_entry(site.url("/press/2"), news_title="우호도시 협약", news_date="2026-03-02T18:00:00+00:00"))
        site.routes.update({
            "/sitemap.xml": Reply(body=INDEX.format(
                f"<sitemap><loc>{site.url('/sm-1.xml.gz')}</loc></sitemap><sitemap><loc>{site.url('/news.xml')}</loc></sitemap>").encode()),
            "/sm-1.xml.gz": Reply(body=gzip.compress(plain.encode()), headers={"Content-Type": "application/x-gzip"}),
            "/news.xml": Reply(body=news.encode()),
        })
        with Fetcher(fast_config()) as fetcher:
            found = discover(source("sitemap", site.url("/sitemap.xml"), url_pattern="/press/"), fetcher)
    assert found.error is None and found.pages == 3
    assert [(l.url, l.published, l.title) for l in found.links] == [
        (site.url("/press/1"), "2026-03-01", None),
        (site.url("/press/2"), "2026-03-03", "우호도시 협약"),  # 18:00 UTC is the 3rd in Korea
    ]


def test_sitemap_since_days_skips_old_pages() -> None:
    with LoopbackSite() as site:
        site.routes["/s.xml"] = Reply(body=URLSET.format(
            url_entry(site.url("/old"), "2001-01-01") + url_entry(site.url("/undated"))).encode())
        with Fetcher(fast_config()) as fetcher:
            found = discover(source("sitemap", site.url("/s.xml"), since_days=30), fetcher)
    assert [link.url for link in found.links] == [site.url("/undated")]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"<html><body>not a sitemap</body></html>", "root element is <html>"),
        (b"<urlset><url><loc>http://x/1</loc></url>", "not XML"),
        (gzip.compress(b"<urlset>")[:-6], "bad gzip"),
    ],
    ids=["html", "truncated", "broken-gzip"],
)
def test_sitemap_malformed_gives_clear_error(body: bytes, reason: str) -> None:
    with LoopbackSite({"/s.xml": Reply(body=body)}) as site:
        with Fetcher(fast_config()) as fetcher:
            found = discover(source("sitemap", site.url("/s.xml")), fetcher)
    assert found.links == () and found.error is not None
    assert found.error.startswith("malformed_sitemap: ") and reason in found.error


def test_sitemap_gzip_bomb_is_refused() -> None:
    with LoopbackSite({"/s.xml.gz": Reply(body=gzip.compress(b" " * 200_000))}) as site:
        with Fetcher(fast_config(max_bytes=10_000)) as fetcher:
            found = discover(source("sitemap", site.url("/s.xml.gz")), fetcher)
    assert found.error is not None and "unpacks past max_bytes" in found.error


def test_sitemap_broken_child_keeps_its_siblings() -> None:
    with LoopbackSite() as site:
        site.routes.update({
            "/index.xml": Reply(body=INDEX.format(
                f"<sitemap><loc>{site.url('/gone.xml')}</loc></sitemap><sitemap><loc>{site.url('/ok.xml')}</loc></sitemap>").encode()),
            "/ok.xml": Reply(body=URLSET.format(url_entry(site.url("/press/9"))).encode()),
        })
        with Fetcher(fast_config()) as fetcher:
            found = discover(source("sitemap", site.url("/index.xml")), fetcher)
    assert [link.url for link in found.links] == [site.url("/press/9")]
    assert found.error == f"sitemap {site.url('/gone.xml')}: fetch_error: 404"


def test_sitemap_disallowed_by_robots_is_never_requested() -> None:
    with LoopbackSite({"/robots.txt": ROBOTS, "/private/s.xml": Reply(body=URLSET.format("").encode())}) as site:
        with Fetcher(fast_config()) as fetcher:
            found = discover(source("sitemap", site.url("/private/s.xml")), fetcher)
    assert found.error == f"sitemap {site.url('/private/s.xml')}: robots_disallowed"
    assert site.hits("/private/s.xml") == []


# -- naver_news -------------------------------------------------------------------------------


def naver_item(n: int, original: bool = True) -> dict[str, Any]:
    return {
        "title": f"강릉시, &quot;<b>자매결연</b>&quot; {n}주년",
        "originallink": f"https://news.example.co.kr/article/{n}?utm_source=naver" if original else "",
        "link": f"https://n.news.naver.com/mnews/article/001/{n:010d}",
        "description": "<b>자매결연</b> 도시와 교류",
        "pubDate": "Mon, 02 Mar 2026 23:30:00 +0900",
    }


def naver_api(total: int, seen_headers: list[dict[str, str]]):
    """The API's documented shape, paged by start/display, keys checked like the real one."""
    def route(hit: Hit, seen: int) -> Reply:
        seen_headers.append(hit.headers)
        if hit.headers.get("x-naver-client-id") != "id-1" or hit.headers.get("x-naver-client-secret") != "secret-1":
            return Reply(401, json.dumps({"errorMessage": "Authentication failed", "errorCode": "024"}).encode())
        query = dict(pair.split("=", 1) for pair in hit.path.split("?", 1)[1].split("&"))
        start, display = int(query["start"]), int(query["display"])
        items = [naver_item(n, original=n % 3 != 0) for n in range(start, min(start + display, total + 1))]
        answer = {"lastBuildDate": "Tue, 03 Mar 2026 10:00:00 +0900", "total": total, "start": start,
                  "display": len(items), "items": items}
        return Reply(body=json.dumps(answer, ensure_ascii=False).encode(), headers={"Content-Type": "application/json"})
    return route


def naver_source(site: LoopbackSite, **options: Any) -> SourceConfig:
    return source("naver_news", "", base_url=site.url("/v1/search/news.json"), client_id_env="TW_NAVER_ID",
                  client_secret_env="TW_NAVER_SECRET", **options)


def test_naver_news_pages_through_the_documented_json(monkeypatch) -> None:
    monkeypatch.setenv("TW_NAVER_ID", "id-1")
    monkeypatch.setenv("TW_NAVER_SECRET", "secret-1")
    headers: list[dict[str, str]] = []
    # robots.txt disallows everything: an API called with our keys is not governed by it
    with LoopbackSite({"/v1/search/news.json": naver_api(5, headers), "/robots.txt": Reply(body=b"User-agent: *\nDisallow: /\n")}) as site:
        with Fetcher(fast_config()) as fetcher:
            found = discover(naver_source(site, query="자매결연", display=2, pages=5), fetcher)
    assert found.error is None and found.pages == 3  # 5 results, 2 a page
    assert len(found.links) == 5
    first, third = found.links[0], found.links[2]
    assert first.url == "https://news.example.co.kr/article/1"  # originallink, tracking removed
    assert third.url == "https://n.news.naver.com/mnews/article/001/0000000003"  # no originallink
    assert first.title == '강릉시, "자매결연" 1주년' and first.published == "2026-03-02"
    paths = [hit.path for hit in site.hits("/v1/search/news.json")]
    assert "query=%EC%9E%90%EB%A7%A4%EA%B2%B0%EC%97%B0" in paths[0] and "sort=date" in paths[0]
    assert ["start=1" in paths[0], "start=3" in paths[1], "start=5" in paths[2]] == [True] * 3
    assert site.hits("/robots.txt") == []


def test_naver_news_without_credentials_says_which_variables(monkeypatch) -> None:
    monkeypatch.delenv("TW_NAVER_ID", raising=False)
    with LoopbackSite({"/v1/search/news.json": naver_api(1, [])}) as site:
        with Fetcher(fast_config()) as fetcher:
            found = discover(naver_source(site, query="우호도시"), fetcher)
    assert found.error == "naver_credentials_missing: set TW_NAVER_ID and TW_NAVER_SECRET"
    assert site.hits() == []


def test_naver_news_wrong_keys_is_reported(monkeypatch) -> None:
    monkeypatch.setenv("TW_NAVER_ID", "id-1")
    monkeypatch.setenv("TW_NAVER_SECRET", "wrong")
    with LoopbackSite({"/v1/search/news.json": naver_api(1, [])}) as site:
        with Fetcher(fast_config()) as fetcher:
            found = discover(naver_source(site, query="우호도시"), fetcher)
    assert found.error == "naver_news '우호도시': fetch_error: 401"


def test_naver_news_malformed_answer(monkeypatch) -> None:
    monkeypatch.setenv("TW_NAVER_ID", "id-1")
    monkeypatch.setenv("TW_NAVER_SECRET", "secret-1")
    with LoopbackSite({"/v1/search/news.json": Reply(body=b'{"total": 3}')}) as site:
        with Fetcher(fast_config()) as fetcher:
            found = discover(naver_source(site, query=["의향서", "MOU"]), fetcher)
    assert found.error is not None and found.error.startswith("naver_news '의향서': malformed answer: no items list")


def test_naver_news_needs_a_query() -> None:
    with Fetcher(fast_config()) as fetcher:
        found = discover(source("naver_news", "", query=""), fetcher)
    assert found.error is not None and found.error.startswith("config_error: ") and "option query" in found.error


# -- files ------------------------------------------------------------------------------------


def test_files_lists_readable_files_for_backfill(tmp_path) -> None:
    (tmp_path / "2019").mkdir()
    for name in ("a.html", "2019/b.txt", "c.xlsx", "d.csv", "notes.docx", ".hidden.html", "e.HTM", "f.hwp"):
        (tmp_path / name).write_bytes(b"x")
    with Fetcher(fast_config()) as fetcher:
        found = discover(source("files", str(tmp_path)), fetcher)
        flat = discover(source("files", f"file://{tmp_path}", recursive=False), fetcher)
    names = [link.url.removeprefix(str(tmp_path.resolve()) + "/") for link in found.links]
    assert names == ["2019/b.txt", "a.html", "c.xlsx", "d.csv", "e.HTM", "f.hwp"]
    assert {link.discovered_via for link in found.links} == {"backfill"}
    assert [link.url.rsplit("/", 1)[1] for link in flat.links] == ["a.html", "c.xlsx", "d.csv", "e.HTM", "f.hwp"]


def test_files_missing_folder_is_a_clear_error(tmp_path) -> None:
    with Fetcher(fast_config()) as fetcher:
        found = discover(source("files", str(tmp_path / "nowhere")), fetcher)
    assert found.error == f"not_a_folder: {tmp_path / 'nowhere'}"


def test_sitemap_index_reads_newest_children_first_within_max_sitemaps() -> None:
    with LoopbackSite() as site:
        months = {"2025-11": "/sm-2025-11.xml", "2026-02": "/sm-2026-02.xml", "2026-01": "/sm-2026-01.xml"}
        site.routes["/index.xml"] = Reply(body=INDEX.format("".join(
            f"<sitemap><loc>{site.url(path)}</loc><lastmod>{month}-28</lastmod></sitemap>"
            for month, path in months.items())).encode())
        for month, path in months.items():
            site.routes[path] = Reply(body=URLSET.format(url_entry(site.url(f"/press/{month}"))).encode())
        with Fetcher(fast_config()) as fetcher:
            found = discover(source("sitemap", site.url("/index.xml"), max_sitemaps=3), fetcher)
    assert found.error is None  # stopping at max_sitemaps is by design
    assert [link.url for link in found.links] == [site.url("/press/2026-02"), site.url("/press/2026-01")]
    assert site.hits("/sm-2025-11.xml") == []
