"""`twinwatch sources check`: what one run of a source would take — its links, and the first
pages read all the way to events — with nothing stored."""

from __future__ import annotations

from dataclasses import dataclass

from crawler.fetch import Fetcher
from crawler.records import Link
from crawler.sources import discover, fetch_link
from twinwatch.app.pipeline import OnPage, PageOutcome, examine
from twinwatch.app.prefilter import Prefilter
from twinwatch.config import Config, SourceConfig
from twinwatch.errors import FetchError


@dataclass(frozen=True, slots=True)
class Preview:
    """`sources check`: what one run of a source would take, with nothing stored."""

    source: str
    links_found: int
    error: str | None
    pages: tuple[PageOutcome, ...]  # the first links, read all the way to events
    links: tuple[Link, ...] = ()  # every link the source listed


def preview(source: SourceConfig, *, config: Config, fetcher: Fetcher, limit: int = 10,
            prefilter: Prefilter | None = None, on_page: OnPage | None = None) -> Preview:
    """Discover the source's links and read the first `limit` of them all the way to events,
    storing nothing — so a user can check a selector or a feed on the live site."""
    prefilter = prefilter or Prefilter.from_section(config.sections.get("prefilter"))
    discovery = discover(source, fetcher)
    pages = []
    for link in discovery.links[:limit]:
        try:
            fetched = fetch_link(link, fetcher, source=source.name)
        except FetchError as exc:
            outcome = PageOutcome(link.url, link.title, drop_reason=exc.reason)
        else:
            outcome = examine(fetched, prefilter=prefilter, fetcher=fetcher)
        pages.append(outcome)
        if on_page is not None:
            on_page(outcome)
    return Preview(source.name, len(discovery.links), discovery.error, tuple(pages), discovery.links)
