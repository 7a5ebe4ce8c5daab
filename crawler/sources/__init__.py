"""Source kinds: each turns one configured source into the links it lists today.

`discover(source, fetcher)` picks the kind's module; every kind has the same signature. It never
raises for one source's trouble (a bad option, a fetch or parse failure): the reason goes in
`Discovery.error`, with the links found before it, so one broken source never stops a run.
`fetch_link` then fetches one link; `check_source` finds option problems without the network.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Callable

from crawler.fetch import Fetcher
from crawler.records import Discovery, Link
from twinwatch.pages.records import FetchResult
from crawler.sources import files, html_list, naver_news, rss, sitemap
from twinwatch.config import SourceConfig
from twinwatch.errors import ConfigError, FetchError

log = logging.getLogger(__name__)

Discoverer = Callable[[SourceConfig, Fetcher], Discovery]
KIND_MODULES = {"rss": rss, "html_list": html_list, "sitemap": sitemap, "naver_news": naver_news, "files": files}
KINDS: dict[str, Discoverer] = {kind: module.discover for kind, module in KIND_MODULES.items()}
# Keys any source may carry that the pipeline, not the kind, reads.
COMMON_OPTIONS = ("refetch", "headline_fallback")  # read by twinwatch.app.pipeline, valid for every kind
NEEDS_URL = ("rss", "html_list", "sitemap")


def check_source(source: SourceConfig) -> list[str]:
    """Problems with a source's kind-specific keys, found without touching the network: a
    missing url, an unknown key (a typo would otherwise be ignored), a bad type, selector or
    regex. `twinwatch config check` prints them."""
    module = KIND_MODULES.get(source.kind)
    if module is None:
        return [f"source {source.name!r}: unknown kind {source.kind!r}"]
    problems = []
    if source.kind in NEEDS_URL and not source.url:
        problems.append(f"source {source.name!r} ({source.kind}): url is required")
    known = set(module.OPTIONS) | set(COMMON_OPTIONS)
    for key in sorted(set(source.options) - known):
        problems.append(f"source {source.name!r} ({source.kind}): unknown option {key!r} "
                        f"(known: {', '.join(sorted(known))})")
    try:
        module.validate(source)
    except ConfigError as exc:
        problems.append(str(exc))
    return problems


def discover(source: SourceConfig, fetcher: Fetcher) -> Discovery:
    """The links `source` lists now. Never raises for one source's trouble: a bad option gives
    `error = "config_error: …"` before any request (so the other sources of a run go on and
    the source's health says what to fix), and what the site does wrong is in the error too."""
    try:
        kind = KINDS[source.kind]
        if source.kind in NEEDS_URL and not source.url:
            raise ConfigError(f"source {source.name!r} ({source.kind}): url is required")
        found = kind(source, fetcher)
    except KeyError:
        found = Discovery(error=f"config_error: source {source.name!r}: unknown kind {source.kind!r}")
    except ConfigError as exc:
        found = Discovery(error=f"config_error: {exc}")
    if found.error:
        log.warning("source %s: %s (%d links kept)", source.name, found.error, len(found.links))
    return found


def fetch_link(
    link: Link,
    fetcher: Fetcher,
    *,
    source: str | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
) -> FetchResult:
    """Fetch (or, for a `files` link, read) one listed article, carrying the listing's title,
    date, source name and discovered_via into the FetchResult. Raises FetchError."""
    if link.discovered_via == "backfill":
        from twinwatch.pages.files import read_file  # local files skip the network entirely

        result = read_file(link.url, max_bytes=fetcher.config.max_bytes)
    elif link.method == "POST":
        result = fetcher.fetch(link.action_url or link.url, method="POST", data=list(link.form), key=link.url)
    else:
        result = fetcher.fetch(link.url, etag=etag, last_modified=last_modified)
    return replace(
        result,
        source=source,
        discovered_via=link.discovered_via,
        listed_title=link.title,
        listed_published=link.published,
    )


__all__ = ["Discovery", "FetchError", "Link", "KINDS", "check_source", "discover", "fetch_link"]
