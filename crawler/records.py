"""Records of the crawler's discovery: the links a source listed and what one look found.

The fetched page itself (`FetchResult`) is a kernel record, `twinwatch.pages.records`: the
extractor and the store read it without importing the crawler.
"""

from __future__ import annotations

from dataclasses import dataclass


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
