"""Builders for crawler tests: a fast polite config, a source, and feeds and sitemaps to serve."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from tests.support.sites import Reply
from twinwatch.config import CrawlerConfig, SourceConfig

ROBOTS = Reply(body=b"User-agent: *\nDisallow: /private/\n")


def fast_config(**changes: object) -> CrawlerConfig:
    base = dict(
        user_agent="twinwatch-test/0.1 (+http://127.0.0.1/contact)",
        delay_seconds=0.0, timeout_seconds=1.0, max_bytes=10_000, max_redirects=3,
        retries=2, backoff_seconds=0.05, max_retry_after_seconds=1.0,
    )
    base.update(changes)
    return CrawlerConfig(**base)  # type: ignore[arg-type]


def rss_feed(items: list[tuple[str, str, str]]) -> bytes:
    entries = "".join(
        f"<item><title>{escape(title)}</title><link>{escape(link)}</link><pubDate>{date}</pubDate></item>"
        for title, link, date in items
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>보도자료</title>'
            f"{entries}</channel></rss>").encode("utf-8")


def source(kind: str, url: str, **options: Any) -> SourceConfig:
    return SourceConfig(name=f"test-{kind}", kind=kind, url=url, options=options)


URLSET = '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{}</urlset>'
INDEX = '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{}</sitemapindex>'


def url_entry(loc: str, lastmod: str = "", news_title: str = "", news_date: str = "") -> str:
    news = ""
    if news_title:
        news = (f"<news:news><news:publication><news:name>시정뉴스</news:name><news:language>ko</news:language>"
                f"</news:publication><news:publication_date>{news_date}</news:publication_date>"
                f"<news:title>{news_title}</news:title></news:news>")
    return f"<url><loc>{escape(loc)}</loc>{f'<lastmod>{lastmod}</lastmod>' if lastmod else ''}{news}</url>"
