"""Inputs of `twinwatch extract`: a local file or a URL, both as a `FetchResult`.

A URL goes through the crawler's polite `Fetcher` (robots, delay, retries) when the caller
passes one — the CLI does — and otherwise through one plain GET, capped in size so a runaway
response cannot exhaust memory.
"""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING

from twinwatch import __version__
from twinwatch.errors import FetchError
from twinwatch.pages.files import MAX_FILE_BYTES, read_file
from twinwatch.pages.records import FetchResult

if TYPE_CHECKING:  # the HTTP stack is imported by the first URL: reading files never pays for it
    import requests

    from crawler.fetch import Fetcher

URL = re.compile(r"^https?://", re.I)
USER_AGENT = f"twinwatch/{__version__} (+https://github.com/twinwatch/twinwatch)"
DEFAULT_TIMEOUT = 20.0
# Larger than any article page; the reader rejects what passes this but is still too large.
MAX_DOWNLOAD_BYTES = 32 * 1024 * 1024


def is_url(source: str) -> bool:
    return bool(URL.match(source.strip()))


def load_input(source: str, *, fetcher: Fetcher | None = None,
               timeout: float = DEFAULT_TIMEOUT, max_bytes: int | None = None) -> FetchResult:
    """Read a path or fetch a URL; raises FetchError with a short reason when that fails.
    `max_bytes` bounds a local file (default: the fetcher's, else [crawler] max_bytes')."""
    if not is_url(source):
        limit = max_bytes or (fetcher.config.max_bytes if fetcher is not None else None)
        return read_file(source, max_bytes=limit or MAX_FILE_BYTES)
    if fetcher is not None:
        return fetcher.fetch(source.strip())
    return fetch_url(source, timeout=timeout)


def fetch_url(url: str, *, timeout: float = DEFAULT_TIMEOUT) -> FetchResult:
    """One GET, all of it (headers and body) within `timeout`; HTTP errors and network
    failures become FetchError('fetch_error: …')."""
    import requests

    from crawler.deadline import Deadline, mount_deadlines

    with requests.Session() as session, Deadline(timeout) as watchdog:
        mount_deadlines(session)
        try:
            fetched = _get(session, url, time.monotonic() + timeout, timeout)
        except requests.RequestException as exc:
            kind = "timeout" if watchdog.expired or isinstance(exc, requests.Timeout) \
                else type(exc).__name__
            raise FetchError(f"fetch_error: {kind}", f"fetch_error: {kind} for {url}") from exc
    if watchdog.expired:  # a body without a length ends quietly when its socket is shut
        raise FetchError("fetch_error: timeout", f"fetch_error: timeout for {url}")
    return fetched


def _get(session: requests.Session, url: str, ends_at: float, timeout: float) -> FetchResult:
    with session.get(url, timeout=timeout, stream=True,
                     headers={"User-Agent": USER_AGENT}) as response:
        if response.status_code >= 400:
            raise FetchError(f"fetch_error: {response.status_code}",
                             f"fetch_error: {response.status_code} for {url}")
        body = _read_capped(response, ends_at)
        headers = {name.lower(): value for name, value in response.headers.items()}
        return FetchResult(url=url, body=body, final_url=response.url,
                           status=response.status_code, headers=headers, discovered_via="import")


def _read_capped(response: requests.Response, ends_at: float) -> bytes:
    """The body, within MAX_DOWNLOAD_BYTES and by `ends_at` (the read timeout is per read)."""
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(chunk_size=65536):
        size += len(chunk)
        if size > MAX_DOWNLOAD_BYTES:
            raise FetchError("too_large", f"response larger than {MAX_DOWNLOAD_BYTES} bytes")
        if time.monotonic() > ends_at:
            raise FetchError("fetch_error: timeout", "fetch_error: timeout (the whole download)")
        chunks.append(chunk)
    return b"".join(chunks)
