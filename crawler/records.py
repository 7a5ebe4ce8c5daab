"""Records that leave the crawler: what was fetched, from where."""

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


@dataclass(frozen=True, slots=True)
class Link:
    """One article a source listed, before it is fetched.

    `url` is the canonical key the document is stored under. A board whose articles open by POST
    gets a synthetic key (`action_url` plus the form fields as a query) so each article has its
    own; `action_url` and `form` say what to actually send. A `files` link's url is a local path.
    """

    url: str
    title: str | None = None
    published: str | None = None  # YYYY-MM-DD (a Korean date) when the listing gave one
    discovered_via: str = "live"  # live | backfill
    method: str = "GET"  # GET | POST
    form: tuple[tuple[str, str], ...] = ()  # POST fields, in order
    action_url: str | None = None  # where a POST goes; None → url


@dataclass(frozen=True, slots=True)
class Discovery:
    """What one look at a source found. `error` is set when the look failed in part or whole;
    the links found before the failure are kept, so nothing already seen is lost."""

    links: tuple[Link, ...] = ()
    error: str | None = None
    pages: int = 0  # list pages / feeds / sitemaps / API pages read
