"""Small helpers the source kinds share: typed option lookup, dates, safe link building."""

from __future__ import annotations

import calendar
import re
import time
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import TypeVar

from crawler.records import Link
from crawler.urls import canonical_url
from twinwatch.pages.dates import parse_publication_date
from twinwatch.config import SourceConfig
from twinwatch.errors import ConfigError

T = TypeVar("T")


def option(source: SourceConfig, key: str, default: T, kind: type | tuple[type, ...] | None = None) -> T:
    """A kind-specific key of `[[sources]]`, checked against the type of its default."""
    value = source.options.get(key, default)
    expected = kind or type(default)
    if value is not None and expected is not type(None) and not isinstance(value, expected):
        raise ConfigError(f"source {source.name!r}: option {key} has the wrong type ({value!r})")
    if isinstance(value, bool) and expected in (int, float):
        raise ConfigError(f"source {source.name!r}: option {key} must be a number, not {value!r}")
    return value  # type: ignore[return-value]


def required(source: SourceConfig, key: str) -> str:
    value = source.options.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"source {source.name!r} ({source.kind}): option {key} is required")
    return value


KOREAN_ZONE = re.compile(r"\s(?:KST|JST)$")  # not in RFC 822's zone list; both are UTC+9


def day_from_text(value: str | None) -> str | None:
    """'2026-03-02T09:00:00+09:00', '2026.03.02', 'Mon, 02 Mar 2026 10:00:00 +0900' → the
    Korean calendar day, YYYY-MM-DD; None when no full day is there. A time with a zone is
    moved to Korea; one without (or with a zone name RFC 822 lacks) is read as written, as
    Korean sites write local time."""
    if not value:
        return None
    text = KOREAN_ZONE.sub(" +0900", value.strip())
    try:
        moment = parsedate_to_datetime(text)  # RFC 822 dates of RSS and Naver's API
    except (TypeError, ValueError, IndexError):
        moment = None
    if moment is not None:
        if moment.tzinfo is None:
            return moment.date().isoformat()
        text = moment.isoformat()
    return parse_publication_date(text)


def day_from_struct(parsed: time.struct_time | None) -> str | None:
    """feedparser's UTC struct_time → the Korean day."""
    if not parsed:
        return None
    moment = datetime.fromtimestamp(calendar.timegm(parsed), tz=timezone.utc)
    return parse_publication_date(moment.isoformat())


def web_link(href: str | None, base: str, title: str | None = None, published: str | None = None) -> Link | None:
    """A canonical live Link, or None for a missing or non-http(s) href (mailto:, javascript:)."""
    if not href or not href.strip():
        return None
    try:
        url = canonical_url(href, base)
    except ValueError:
        return None
    return Link(url=url, title=" ".join(title.split()) if title else None, published=published)


def unique(links: list[Link]) -> tuple[Link, ...]:
    """First occurrence wins: a list page often links an article from its title and its image."""
    seen: set[str] = set()
    kept = []
    for link in links:
        if link.url not in seen:
            seen.add(link.url)
            kept.append(link)
    return tuple(kept)
