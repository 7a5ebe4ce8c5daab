"""`sitemap`: an XML sitemap, a sitemap index (children read up to `max_sitemaps`), or a news
sitemap (news:title, news:publication_date); gzip'd files are unpacked within max_bytes.

Options: `max_sitemaps` (default 10; an index's children are read newest lastmod first), `url_pattern` (regex a page URL must match, e.g. a
press-release path), `since_days` (skip pages whose date is older; 0 = keep all),
`max_links` (default 0 = all).
"""

from __future__ import annotations

import logging
import re
import zlib
from datetime import date, timedelta

from lxml import etree

from crawler.fetch import Fetcher
from crawler.records import Discovery, Link
from crawler.sources.common import day_from_text, option, unique, web_link
from twinwatch.config import SourceConfig
from twinwatch.errors import ConfigError, FetchError

log = logging.getLogger(__name__)

NS_NEWS = "http://www.google.com/schemas/sitemap-news/0.9"
# Entities off and no network: a sitemap is data from a stranger.
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=False, huge_tree=False)


class MalformedSitemap(Exception):
    pass


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _child_text(element: etree._Element, name: str, namespace: str | None = None) -> str | None:
    for child in element.iter():
        if _local(child.tag) == name and (namespace is None or etree.QName(child.tag).namespace == namespace):
            return (child.text or "").strip() or None
    return None


def unpack(body: bytes, max_bytes: int) -> bytes:
    """Gunzip when the bytes are gzip (sitemap.xml.gz), never past max_bytes (zip bombs)."""
    if not body.startswith(b"\x1f\x8b"):
        return body
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(body, max_bytes + 1)
    except zlib.error as exc:
        raise MalformedSitemap(f"bad gzip: {exc}") from exc
    if len(data) > max_bytes:
        raise MalformedSitemap(f"unpacks past max_bytes {max_bytes}")
    if not inflater.eof:
        raise MalformedSitemap("bad gzip: the file is cut short")
    return data


def parse_sitemap(body: bytes, base: str) -> tuple[list[Link], list[str]]:
    """(page links, child sitemap URLs). Raises MalformedSitemap."""
    try:
        root = etree.fromstring(body, PARSER)
    except etree.XMLSyntaxError as exc:
        raise MalformedSitemap(f"not XML: {exc}") from exc
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise MalformedSitemap(f"root element is <{kind}>, not <urlset> or <sitemapindex>")
    links: list[Link] = []
    children: list[tuple[str, str]] = []  # (lastmod day or "", url)
    for entry in root:
        location = _child_text(entry, "loc")
        if _local(entry.tag) == "sitemap" and location:
            children.append((day_from_text(_child_text(entry, "lastmod")) or "", location))
        elif _local(entry.tag) == "url" and location:
            published = _child_text(entry, "publication_date", NS_NEWS) or _child_text(entry, "lastmod")
            link = web_link(location, base, _child_text(entry, "title", NS_NEWS), day_from_text(published))
            if link:
                links.append(link)
    # Newest child sitemaps first: with max_sitemaps set, the recent months are the ones read.
    return links, [url for _, url in sorted(children, key=lambda child: child[0], reverse=True)]


OPTIONS = ("max_sitemaps", "url_pattern", "since_days", "max_links")


def validate(source: SourceConfig) -> None:
    for key in ("max_sitemaps", "since_days", "max_links"):
        option(source, key, 0)
    _url_pattern(source)


def _url_pattern(source: SourceConfig) -> re.Pattern[str] | None:
    pattern = option(source, "url_pattern", "")
    try:
        return re.compile(pattern) if pattern else None
    except re.error as exc:
        raise ConfigError(f"source {source.name!r}: url_pattern is not a regex: {exc}") from exc


def _wanted(link: Link, pattern: re.Pattern[str] | None, oldest: str | None) -> bool:
    if pattern and not pattern.search(link.url):
        return False
    return not (oldest and link.published and link.published < oldest)


def discover(source: SourceConfig, fetcher: Fetcher) -> Discovery:
    validate(source)  # bad options are the user's to fix: ConfigError before any request
    max_sitemaps = max(1, option(source, "max_sitemaps", 10))
    since_days = option(source, "since_days", 0)
    pattern = _url_pattern(source)
    oldest = (date.today() - timedelta(days=since_days)).isoformat() if since_days else None
    queue, read = [source.url], 0
    links: list[Link] = []
    error: str | None = None
    while queue and read < max_sitemaps:
        url = queue.pop(0)
        read += 1
        try:
            fetched = fetcher.fetch_listing(url)
            found, children = parse_sitemap(unpack(fetched.body, fetcher.config.max_bytes), fetched.final_url or url)
        except FetchError as exc:
            error = f"sitemap {url}: {exc.reason}"
            continue  # one broken child must not hide its siblings
        except MalformedSitemap as exc:
            error = f"malformed_sitemap: {url}: {exc}"
            continue
        links.extend(link for link in found if _wanted(link, pattern, oldest))
        queue.extend(children)
    if queue:  # by design, not a failure: the newest were read first
        log.info("%s: max_sitemaps %d reached, %d older sitemap(s) not read", source.name, max_sitemaps, len(queue))
    max_links = option(source, "max_links", 0)
    kept = unique(links)
    return Discovery(kept[:max_links] if max_links else kept, error, read)
