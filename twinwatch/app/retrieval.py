"""A fetched page's transport facts, handed to the store as its own record.

The store keeps what it needs of how a document arrived (status, validators for the next
conditional GET, the raw bytes when asked) in a `store.records.Retrieval`; building one from
the crawler's `FetchResult` is the application's job, so the store never reads HTTP records.
"""

from __future__ import annotations

from store.records import Retrieval
from twinwatch.pages.records import FetchResult


def retrieval_of(fetched: FetchResult | None) -> Retrieval | None:
    """The store's record of how `fetched` arrived; None when nothing was fetched."""
    if fetched is None:
        return None
    return Retrieval(url=fetched.url, final_url=fetched.final_url, fetched_at=fetched.fetched_at,
                     http_status=fetched.status, etag=fetched.etag,
                     last_modified=fetched.last_modified, content_type=fetched.content_type,
                     source=fetched.source, discovered_via=fetched.discovered_via,
                     listed_title=fetched.listed_title, listed_published=fetched.listed_published,
                     raw=fetched.body)
