"""`rss`: an RSS or Atom feed, fetched by the Fetcher and parsed by feedparser from the bytes.

Options: `max_items` (int, default 0 = all).
"""

from __future__ import annotations

from typing import Any

import feedparser

from crawler.fetch import Fetcher
from crawler.records import Discovery, Link
from crawler.sources.common import day_from_struct, day_from_text, option, unique, web_link
from twinwatch.config import SourceConfig
from twinwatch.errors import FetchError


def entry_link(entry: Any, base: str) -> Link | None:
    href = entry.get("link")
    if not href:  # Atom entries may only carry <link rel="alternate" href=…>
        href = next((l.get("href") for l in entry.get("links", []) if l.get("rel", "alternate") == "alternate"), None)
    # The written date first: feedparser reads an unknown zone (KST) or none as UTC, and
    # misreads '2026.03.02'. dict.get: feedparser's own get() maps updated → published noisily.
    published = day_from_text(dict.get(entry, "published") or dict.get(entry, "updated"))
    published = published or day_from_struct(dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed"))
    return web_link(href, base, entry.get("title"), published)


# Bozo flags that say nothing about the feed's content: a wrong charset label or content type.
HARMLESS_BOZO = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)


def parse_feed(body: bytes, base: str, content_type: str | None = None) -> Discovery:
    """Links of a feed's entries. A document that is not a feed, or a broken one, gives an
    error naming why; entries read before the break are kept alongside it."""
    headers = {"content-type": content_type} if content_type else {}
    parsed = feedparser.parse(body, response_headers=headers)
    why = parsed.get("bozo_exception") if parsed.bozo else None
    problem = None if why is None or isinstance(why, HARMLESS_BOZO) else f"{type(why).__name__}: {str(why)[:160]}"
    if not parsed.get("version") and not parsed.entries:
        return Discovery(error=f"malformed_feed: not an RSS or Atom document{f' ({problem})' if problem else ''}", pages=1)
    links = [link for link in (entry_link(e, base) for e in parsed.entries) if link]
    return Discovery(links=unique(links), error=f"malformed_feed: {problem}" if problem else None, pages=1)


OPTIONS = ("max_items",)


def validate(source: SourceConfig) -> None:
    option(source, "max_items", 0)


def discover(source: SourceConfig, fetcher: Fetcher) -> Discovery:
    validate(source)  # bad options are the user's to fix: ConfigError before any request
    max_items = option(source, "max_items", 0)
    try:
        fetched = fetcher.fetch_listing(source.url)
    except FetchError as exc:
        return Discovery(error=exc.reason)
    found = parse_feed(fetched.body, fetched.final_url or source.url, fetched.content_type)
    if max_items and len(found.links) > max_items:
        return Discovery(links=found.links[:max_items], error=found.error, pages=found.pages)
    return found
