"""`naver_news`: Naver's news search API (https://developers.naver.com/docs/serviceapi/search/news/news.md).

Options: `query` (string or list of strings, required), `display` (1–100, default 100),
`pages` (result pages per query, default 1; start = 1, 1+display, …, at most 1000),
`sort` ("date" | "sim", default "date"), `client_id_env` / `client_secret_env` (names of the
environment variables holding the keys, default NAVER_CLIENT_ID / NAVER_CLIENT_SECRET).
The endpoint is `base_url`, else the source's `url`, else the real API (tests point it at a
loopback server).

The answer is JSON: lastBuildDate, total, start, display, items[title, originallink, link,
description, pubDate], titles carrying <b> around the query words and HTML entities.
"""

from __future__ import annotations

import html
import json
import os
import re
from typing import Any
from urllib.parse import urlencode

from crawler.fetch import Fetcher
from crawler.records import Discovery, Link
from crawler.sources.common import day_from_text, option, unique, web_link
from twinwatch.config import SourceConfig
from twinwatch.errors import ConfigError, FetchError

API_URL = "https://openapi.naver.com/v1/search/news.json"
MAX_START = 1000  # the API refuses start > 1000
TAG = re.compile(r"<[^>]+>")


def clean_title(raw: str) -> str:
    return " ".join(html.unescape(TAG.sub("", raw)).split())


def _queries(source: SourceConfig) -> list[str]:
    value = source.options.get("query")
    queries = [value] if isinstance(value, str) else value
    if not queries or not all(isinstance(q, str) and q.strip() for q in queries):
        raise ConfigError(f"source {source.name!r} (naver_news): option query must be a string or a list of strings")
    return list(queries)


def _credentials(source: SourceConfig) -> dict[str, str] | str:
    """The API key headers, or the error naming the variables that are unset."""
    id_var = option(source, "client_id_env", "NAVER_CLIENT_ID")
    secret_var = option(source, "client_secret_env", "NAVER_CLIENT_SECRET")
    client_id, secret = os.environ.get(id_var, ""), os.environ.get(secret_var, "")
    if not client_id or not secret:
        return f"naver_credentials_missing: set {id_var} and {secret_var}"
    return {"X-Naver-Client-Id": client_id, "X-Naver-Client-Secret": secret}


def parse_answer(body: bytes) -> tuple[list[Link], int]:
    """(links, total) from one API answer; raises ValueError for anything not in its shape."""
    data: Any = json.loads(body.decode("utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise ValueError(f"no items list in the answer ({str(data)[:120]})")
    links = []
    for item in data["items"]:
        if not isinstance(item, dict):
            continue
        # originallink is the publisher's own page (absent for a few outlets); link is Naver's copy
        href = item.get("originallink") or item.get("link")
        link = web_link(href, href or "", clean_title(str(item.get("title", ""))), day_from_text(item.get("pubDate")))
        if link:
            links.append(link)
    return links, int(data.get("total") or 0)


OPTIONS = ("query", "display", "pages", "sort", "client_id_env", "client_secret_env", "base_url")


def validate(source: SourceConfig) -> None:
    _queries(source)
    for key, default in (("display", 100), ("pages", 1)):
        option(source, key, default)
    if option(source, "sort", "date") not in ("date", "sim"):
        raise ConfigError(f"source {source.name!r}: option sort must be \"date\" or \"sim\"")
    for key in ("client_id_env", "client_secret_env", "base_url"):
        option(source, key, "")


def discover(source: SourceConfig, fetcher: Fetcher) -> Discovery:
    validate(source)  # bad options are the user's to fix: ConfigError before any request
    display = min(100, max(1, option(source, "display", 100)))
    pages = max(1, option(source, "pages", 1))
    sort = option(source, "sort", "date")
    base_url = option(source, "base_url", "") or source.url or API_URL
    queries = _queries(source)
    headers = _credentials(source)
    if isinstance(headers, str):
        return Discovery(error=headers)
    links: list[Link] = []
    read = 0
    for query in queries:
        for page in range(pages):
            start = 1 + page * display
            if start > MAX_START:
                break
            url = f"{base_url}?{urlencode({'query': query, 'display': display, 'start': start, 'sort': sort})}"
            try:
                # An API called with our keys is not crawling: robots.txt does not govern it.
                fetched = fetcher.fetch_listing(url, headers=headers, obey_robots=False)
                found, total = parse_answer(fetched.body)
            except FetchError as exc:
                return Discovery(unique(links), f"naver_news {query!r}: {exc.reason}", read)
            except (ValueError, UnicodeDecodeError) as exc:
                return Discovery(unique(links), f"naver_news {query!r}: malformed answer: {exc}", read)
            read += 1
            links.extend(found)
            if start + display > total:
                break
    return Discovery(unique(links), None, read)
