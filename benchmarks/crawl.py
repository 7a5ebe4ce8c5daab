"""Crawl throughput on a loopback site of 2,000 pages (delay 0), against a floor measured in the
same run: a plain `requests` loop fetching the same pages.

Prints pages/s of the full pipeline and of the floor, the share of the pipeline's time in each
stage (discover, fetch, decode, extract, store), and the body bytes a second, unchanged crawl
moves compared with the first (it must stay under 1 %: no article is asked for again and the
sitemap answers 304).

    .venv/bin/python benchmarks/crawl.py [--pages 2000] [--agreement-share 0.25]
    .venv/bin/python benchmarks/crawl.py --day [--hosts 250] [--new-pages 20] [--delay 1.0]

`--day`: a day of many sources (benchmarks/day_sites.py), one site on each of `--hosts` loopback
addresses, crawled by one `twinwatch run --once` (a fresh process, as cron would start it). Prints
its wall time against two floors measured or counted in the same run: politeness (the most
requests one host got, robots.txt and listings included, × the delay) and CPU (the day's pages ÷
the rate `examine` reads the same mix at in as many processes as the machine has cores); and
checks in the sites' own request log that no host got two requests closer than the delay.

The site: a sitemap listing every page; pages laid out like the demo's news pages, a quarter of
them agreement stories (the demo's articles, cycled) and the rest off-topic news that the
keyword prefilter stops before the NLP — roughly the mix a municipal board yields.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crawler.fetch import Fetcher  # noqa: E402 - after the path set-up above
from crawler.listing_cache import MemoryListingCache  # noqa: E402
from store import Store  # noqa: E402
from twinwatch.config import config_from_dict  # noqa: E402
from twinwatch.app.demo.articles import Article, extra_articles, fact_articles  # noqa: E402
from twinwatch.app.demo.server import SiteServer  # noqa: E402
from twinwatch.app.demo.site import Resource, encode_page, news_page  # noqa: E402
from twinwatch.app.pipeline import RunReport, run_once  # noqa: E402

OFF_TOPIC_PARAGRAPHS = (
    "시는 다음 달부터 시내버스 노선 12개를 조정해 출퇴근 시간 배차 간격을 줄인다고 밝혔다.",
    "조정 노선은 시 누리집과 정류장 안내문에서 확인할 수 있으며, 첫 주에는 안내 요원이 배치된다.",
    "시 관계자는 \"시민 의견을 모아 노선을 계속 다듬겠다\"고 말했다.",
)


def site_pages(count: int, agreement_share: float) -> list[Article]:
    """`count` pages: every k-th an agreement story (the demo's, cycled), the rest off-topic."""
    stories = [a for a in fact_articles() if a.encoding.startswith("utf-8")] + \
        [a for a in extra_articles() if a.page_id.startswith("n")]
    every = max(1, round(1 / agreement_share)) if agreement_share > 0 else count + 1
    pages = []
    for number in range(count):
        page_id = f"b{number:05d}"
        if number % every == 0:
            story = stories[(number // every) % len(stories)]
            pages.append(replace(story, page_id=page_id, sites=("news",)))
        else:
            pages.append(Article(page_id=page_id, sites=("news",), encoding="utf-8",
                                 published="2025-05-01", title=f"시내버스 노선 조정 안내 {number}호",
                                 paragraphs=OFF_TOPIC_PARAGRAPHS))
    return pages


def build(base: str, pages: list[Article]) -> tuple[dict[str, Resource], list[str]]:
    resources = {"/robots.txt": Resource(b"User-agent: *\nAllow: /\n", "text/plain")}
    urls = []
    for page in pages:
        path = f"/news/{page.page_id}.html"
        resources[path] = encode_page(news_page(page, []), page)
        urls.append(f"{base}{path}")
    entries = "\n".join(f"<url><loc>{u}</loc></url>" for u in urls)
    sitemap = ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/'
               f'schemas/sitemap/0.9">\n{entries}\n</urlset>\n').encode()
    resources["/sitemap.xml"] = Resource(sitemap, "application/xml")
    return resources, urls


def floor_pages_per_second(urls: list[str]) -> float:
    """A plain requests loop: one session, GET each page, read the body. Nothing else."""
    started = time.perf_counter()
    with requests.Session() as session:
        for url in urls:
            session.get(url, timeout=10).content
    return len(urls) / (time.perf_counter() - started)


def crawl(base: str, database: Path, fetcher: Fetcher) -> tuple[RunReport, float]:
    config = config_from_dict({"store": {"path": str(database)},
                               "sources": [{"name": "bench", "kind": "sitemap", "url": f"{base}/sitemap.xml"}]})
    with Store(database) as store:
        started = time.perf_counter()
        report = run_once(config.sources[0], config=config, store=store, fetcher=fetcher)
        return report, time.perf_counter() - started


def body_bytes(server: SiteServer, start: int) -> tuple[int, int]:
    records = server.state.log[start:]
    return sum(r.bytes_sent for r in records), len(records)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--agreement-share", type=float, default=0.25)
    parser.add_argument("--day", action="store_true", help="the many-sources scenario instead")
    parser.add_argument("--hosts", type=int, default=250)
    parser.add_argument("--new-pages", type=int, default=20)
    parser.add_argument("--delay", type=float, default=1.0)
    args = parser.parse_args()
    if args.day:
        from benchmarks.crawl_day import crawl_day

        crawl_day(args.hosts, args.new_pages, args.delay, args.agreement_share)
        return
    pages = site_pages(args.pages, args.agreement_share)
    with SiteServer() as server, tempfile.TemporaryDirectory() as folder:
        server.state.resources, urls = build(server.base_url, pages)
        size = sum(len(server.state.resources[u.removeprefix(server.base_url)].body) for u in urls)
        print(f"site: {len(urls)} pages, {size / len(urls) / 1024:.1f} KiB per page on average, "
              f"{sum(1 for p in pages if not p.title.startswith('시내버스'))} agreement stories")
        floor = floor_pages_per_second(urls)
        crawler_config = config_from_dict({"crawler": {"delay_seconds": 0.0}}).crawler
        with Fetcher(crawler_config, listing_cache=MemoryListingCache()) as fetcher:
            start = len(server.state.log)
            first, first_seconds = crawl(server.base_url, Path(folder) / "bench.db", fetcher)
            first_bytes, first_requests = body_bytes(server, start)
            start = len(server.state.log)
            second, second_seconds = crawl(server.base_url, Path(folder) / "bench.db", fetcher)
            second_bytes, second_requests = body_bytes(server, start)
        report(first, first_seconds, floor)
        print(f"second, unchanged crawl: {second_requests} requests, {second_bytes:,} body bytes vs "
              f"{first_bytes:,} in {first_requests} requests the first time "
              f"({100 * second_bytes / first_bytes:.3f} %), {second.fetched} articles fetched, "
              f"{second.new_events} new events, {second_seconds:.2f} s")


def report(first: RunReport, seconds: float, floor: float) -> None:
    pages_per_second = first.fetched / seconds
    stages = dict(first.stage_seconds)
    fetch_only = first.fetched / stages["fetch"] if stages["fetch"] else float("inf")
    print(f"floor (plain requests loop): {floor:,.0f} pages/s")
    print(f"pipeline, first crawl: {first.fetched} pages in {seconds:.1f} s = {pages_per_second:,.1f} pages/s "
          f"({pages_per_second / floor:.2f} × floor); its fetch stage alone {fetch_only:,.0f} pages/s "
          f"({fetch_only / floor:.2f} × floor)")
    print(f"  {first.new_documents} documents, {len(first.dropped)} dropped "
          f"({dict(first.drop_counts())}), {first.new_events} events, "
          f"{first.matched_events} further mentions")
    total = sum(stages.values())
    shares = ", ".join(f"{stage} {100 * value / total:.1f} % ({value:.1f} s)" for stage, value in stages.items())
    print(f"  time by stage: {shares}; unaccounted {seconds - total:.1f} s")


if __name__ == "__main__":
    main()
