"""The source kind × failure matrix: every networked kind meets every failure of the listing it
reads (feed, board page, sitemap, API answer) on a loopback site; each cell is one named test,
e.g. `test_matrix[sitemap-timeout]`. Kind-specific detail lives in test_sources.py and
test_kinds.py; the fetcher's own behaviour in test_fetch.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable

import pytest

from crawler.fetch import Fetcher
from crawler.sources import discover, fetch_link
from tests.support.crawling import URLSET, fast_config, rss_feed, url_entry
from tests.support.sites import Hit, LoopbackSite, Reply
from twinwatch.config import SourceConfig

TITLE = "속초시, 러시아 ○○시와 자매결연 협약"


@dataclass(frozen=True)
class Kind:
    path: str  # where the listing is served
    render: Callable[[list[str]], bytes]  # article URLs → the listing's bytes
    malformed: bytes  # a listing of the right URL but the wrong shape
    malformed_error: str  # how the error starts
    options: dict[str, Any] = field(default_factory=dict)


def board(urls: list[str]) -> bytes:
    rows = "".join(f"<tr><td class='subject'><a href='{u}'>{TITLE}</a></td></tr>" for u in urls)
    return f"<html><body><table>{rows}</table></body></html>".encode()


def naver(urls: list[str]) -> bytes:
    items = [{"title": f"<b>{TITLE}</b>", "originallink": u, "link": u, "description": "",
              "pubDate": "Mon, 02 Mar 2026 10:00:00 +0900"} for u in urls]
    return json.dumps({"lastBuildDate": "Mon, 02 Mar 2026 11:00:00 +0900", "total": len(items), "start": 1,
                       "display": len(items), "items": items}, ensure_ascii=False).encode()


KINDS = {
    "rss": Kind("/rss.xml", lambda urls: rss_feed([(TITLE, u, "Mon, 02 Mar 2026 01:00:00 GMT") for u in urls]),
                b"<html><body>moved</body></html>", "malformed_feed: "),
    "html_list": Kind("/board/list.do", board, b"<html><body><p>maintenance</p></body></html>", "no_links: ",
                      {"link_selector": "td.subject a"}),
    "sitemap": Kind("/sitemap.xml", lambda urls: URLSET.format("".join(url_entry(u, "2026-03-02") for u in urls)).encode(),
                    b"<html><body>404</body></html>", "malformed_sitemap: "),
    "naver_news": Kind("/v1/search/news.json", naver, b'{"errorMessage": "oops"}', "naver_news '자매결연': malformed answer",
                       {"query": "자매결연", "client_id_env": "TW_MATRIX_ID", "client_secret_env": "TW_MATRIX_SECRET"}),
}


def source_for(kind: str, site: LoopbackSite) -> SourceConfig:
    spec = KINDS[kind]
    if kind == "naver_news":
        return SourceConfig("matrix", kind, "", options={**spec.options, "base_url": site.url(spec.path)})
    return SourceConfig("matrix", kind, site.url(spec.path), options=spec.options)


@pytest.fixture(autouse=True)
def naver_keys(monkeypatch) -> None:
    monkeypatch.setenv("TW_MATRIX_ID", "id")
    monkeypatch.setenv("TW_MATRIX_SECRET", "secret")


def articles(site: LoopbackSite, count: int = 2) -> list[str]:
    return [site.url(f"/news/{n}") for n in range(1, count + 1)]


def busy_then_listing(status: int, kind: str, site: LoopbackSite) -> Callable[[Hit, int], Reply]:
    def route(hit: Hit, seen: int) -> Reply:
        if seen == 0:
            return Reply(status, b"busy", headers={"Retry-After": "1"})
        return Reply(body=KINDS[kind].render(articles(site)))
    return route


# Each failure: (set up the site, the fetcher's config changes, check the discovery).

def cell_robots_disallow(kind: str, site: LoopbackSite) -> None:
    site.routes["/robots.txt"] = Reply(body=f"User-agent: *\nDisallow: {KINDS[kind].path}\n".encode())
    site.routes[KINDS[kind].path] = Reply(body=KINDS[kind].render(articles(site)))
    with Fetcher(fast_config()) as fetcher:
        found = discover(source_for(kind, site), fetcher)
    if kind == "naver_news":  # an API we hold keys for is not crawled: robots.txt does not apply
        assert found.error is None and site.hits("/robots.txt") == []
        return
    assert found.error is not None and "robots_disallowed" in found.error
    assert site.hits(KINDS[kind].path) == []  # never requested


def cell_article_304(kind: str, site: LoopbackSite) -> None:
    site.routes[KINDS[kind].path] = Reply(body=KINDS[kind].render(articles(site, 1)))
    site.routes["/news/1"] = lambda hit, seen: Reply(304) if hit.headers.get("if-none-match") == '"e1"' else \
        Reply(body=f"<p>{TITLE}</p>".encode(), headers={"ETag": '"e1"'})
    with Fetcher(fast_config()) as fetcher:
        link = discover(source_for(kind, site), fetcher).links[0]
        first = fetch_link(link, fetcher, source="matrix")
        again = fetch_link(link, fetcher, source="matrix", etag=first.etag)
    assert first.status == 200 and again.status == 304 and again.not_modified and again.body == b""
    assert fetcher.counters.snapshot()["not_modified"] == 1


def retry_cell(status: int) -> Callable[[str, LoopbackSite], None]:
    def cell(kind: str, site: LoopbackSite) -> None:
        site.routes[KINDS[kind].path] = busy_then_listing(status, kind, site)
        with Fetcher(fast_config(max_retry_after_seconds=3.0)) as fetcher:
            found = discover(source_for(kind, site), fetcher)
        hits = site.hits(KINDS[kind].path)
        assert found.error is None and [l.url for l in found.links] == articles(site)
        assert len(hits) == 2 and hits[1].at - hits[0].at >= 1.0  # Retry-After: 1 honoured
    return cell


def cell_timeout(kind: str, site: LoopbackSite) -> None:
    site.routes[KINDS[kind].path] = Reply(body=KINDS[kind].render(articles(site)), delay=1.0)
    with Fetcher(fast_config(timeout_seconds=0.2, retries=0)) as fetcher:
        found = discover(source_for(kind, site), fetcher)
    assert found.links == () and found.error is not None and found.error.endswith("timeout")


def cell_redirect_loop(kind: str, site: LoopbackSite) -> None:
    site.routes[KINDS[kind].path] = Reply(302, headers={"Location": "/elsewhere"})
    site.routes["/elsewhere"] = Reply(301, headers={"Location": KINDS[kind].path})
    with Fetcher(fast_config()) as fetcher:
        found = discover(source_for(kind, site), fetcher)
    assert found.error is not None and found.error.endswith("redirect_loop")
    asked = [hit.path for hit in site.hits() if hit.path != "/robots.txt"]
    assert len(asked) == len(set(asked)) <= 3  # the loop is seen before any URL is asked twice


def cell_oversize(kind: str, site: LoopbackSite) -> None:
    site.routes[KINDS[kind].path] = Reply(body=KINDS[kind].render(articles(site, 400)))
    with Fetcher(fast_config(max_bytes=4_000)) as fetcher:
        found = discover(source_for(kind, site), fetcher)
    assert found.links == () and found.error is not None and found.error.endswith("too_large")


def cell_malformed(kind: str, site: LoopbackSite) -> None:
    site.routes[KINDS[kind].path] = Reply(body=KINDS[kind].malformed)
    with Fetcher(fast_config()) as fetcher:
        found = discover(source_for(kind, site), fetcher)
    assert found.links == () and found.error is not None and found.error.startswith(KINDS[kind].malformed_error)


def cell_tracking_parameters(kind: str, site: LoopbackSite) -> None:
    tracked = [site.url("/news/1?utm_source=feed&utm_medium=rss&fbclid=X1#top"), site.url("/news/2?id=2&gclid=Z")]
    site.routes[KINDS[kind].path] = Reply(body=KINDS[kind].render(tracked))
    with Fetcher(fast_config()) as fetcher:
        found = discover(source_for(kind, site), fetcher)
    assert [link.url for link in found.links] == [site.url("/news/1"), site.url("/news/2?id=2")]


def cell_per_host_delay(kind: str, site: LoopbackSite) -> None:
    site.routes[KINDS[kind].path] = Reply(body=KINDS[kind].render(articles(site, 3)))
    for n in (1, 2, 3):
        site.routes[f"/news/{n}"] = Reply(body=b"<p>x</p>")
    with Fetcher(fast_config(delay_seconds=0.2)) as fetcher:
        for link in discover(source_for(kind, site), fetcher).links:
            fetch_link(link, fetcher)
    arrivals = sorted(hit.at for hit in site.hits())
    assert len(arrivals) >= 4  # (robots.txt), listing, three articles
    assert min(b - a for a, b in zip(arrivals, arrivals[1:])) >= 0.2


CELLS: dict[str, Callable[[str, LoopbackSite], None]] = {
    "robots_disallow": cell_robots_disallow,
    "article_304": cell_article_304,
    "429_retry_after": retry_cell(429),
    "503_retry_after": retry_cell(503),
    "timeout": cell_timeout,
    "redirect_loop": cell_redirect_loop,
    "oversize": cell_oversize,
    "malformed": cell_malformed,
    "tracking_parameters": cell_tracking_parameters,
    "per_host_delay": cell_per_host_delay,
}


@pytest.mark.parametrize("failure", list(CELLS))
@pytest.mark.parametrize("kind", list(KINDS))
def test_matrix(kind: str, failure: str) -> None:
    with LoopbackSite() as site:
        CELLS[failure](kind, site)
