"""The fetched page: bytes as they came, with what the transport said about them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone


def utc_now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class FetchResult:
    """One fetched (or read) page: bytes as they came, with what the transport said about them.

    A local file is a FetchResult too (status None, url = the path as given), so the extractor
    has one entry point for files, URLs and crawled pages.
    """

    url: str  # as requested or given on the command line
    body: bytes
    final_url: str | None = None  # after redirects
    status: int | None = None  # HTTP status; None for local files
    headers: dict[str, str] = field(default_factory=dict)  # lower-cased header names
    fetched_at: str = field(default_factory=utc_now_iso)
    source: str | None = None  # configured source name
    discovered_via: str = "import"  # live | backfill | import
    listed_title: str | None = None  # title given by a feed or list page, if any
    listed_published: str | None = None  # date given by a feed or list page, if any
    not_modified: bool = False  # a conditional GET answered 304: body is empty, the stored copy stands

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")
