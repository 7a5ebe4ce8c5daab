"""Records the store hands back, and the content hash it keys re-saves on."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from twinwatch.errors import TwinwatchError

_WHITESPACE = re.compile(r"\s+")


class StoreError(TwinwatchError):
    """A store operation was refused (unknown event, bad review action, existing backup file …)."""


def text_hash(text: str) -> str:
    """sha256 of the NFC-normalised text with whitespace runs collapsed to one space.

    Re-saving a document whose hash is unchanged adds nothing. Changing this function changes
    every hash: every stored document would then count as changed once and be re-extracted.
    """
    normal = _WHITESPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()
    return "sha256:" + hashlib.sha256(normal.encode("utf-8")).hexdigest()


def bytes_hash(body: bytes) -> str:
    """sha256 of raw bytes, for documents kept without readable text (drops)."""
    return "sha256-bytes:" + hashlib.sha256(body).hexdigest()


@dataclass(frozen=True, slots=True)
class Retrieval:
    """How a document reached us, as the store keeps it: where from and when, what the server
    answered, and the validators (ETag, Last-Modified) the next conditional GET sends back.

    The application builds one from whatever read the page (`twinwatch.app.retrieval`), so the
    store takes documents and events and never an HTTP record. `raw` is kept when `keep_raw`.
    """

    url: str | None = None  # as requested; the key when the caller gives no canonical url
    final_url: str | None = None  # after redirects
    fetched_at: str | None = None  # ISO, UTC; None: the moment it is saved
    http_status: int | None = None  # None for local files and archives
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    source: str | None = None  # configured source name
    discovered_via: str | None = None  # live | backfill | import
    listed_title: str | None = None  # the title a feed or list page gave, for a page unread
    listed_published: str | None = None
    raw: bytes = b""  # the bytes as they came

    @property
    def not_modified(self) -> bool:
        """A conditional GET answered 304: the stored copy stands."""
        return self.http_status == 304


@dataclass(frozen=True, slots=True)
class DocumentRow:
    """What the crawler needs to know about a stored URL (conditional GET, skip decisions)."""

    id: int
    canonical_url: str
    final_url: str | None
    source: str | None
    fetched_at: str | None
    http_status: int | None
    etag: str | None
    last_modified: str | None
    content_hash: str | None
    drop_reason: str | None
    discovered_via: str
    title: str | None
    published: str | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "DocumentRow":
        return cls(**{name: row[name] for name in cls.__dataclass_fields__})


@dataclass(frozen=True, slots=True)
class SaveOutcome:
    """Events of one document: created, joined to a stored event, or nothing (unchanged text)."""

    new_event_ids: tuple[int, ...] = ()
    matched_event_ids: tuple[int, ...] = ()
    unchanged: bool = False  # same text as when its events were last saved: nothing was added


@dataclass(frozen=True, slots=True)
class SaveResult:
    """`Store.save`: the document's id and what its events did."""

    document_id: int
    events: SaveOutcome


@dataclass(frozen=True, slots=True)
class SourceHealth:
    name: str
    kind: str | None
    url: str | None
    last_attempt: str | None
    last_success: str | None
    last_new_item: str | None
    consecutive_failures: int
    last_error: str | None
    links_last_run: int | None
    items_total: int
    documents: int
    dropped: int

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "SourceHealth":
        return cls(**{name: row[name] for name in cls.__dataclass_fields__})


@dataclass(frozen=True, slots=True)
class Mention:
    """One report of an event: the document, what it said, and where it says it."""

    id: int
    event_id: int
    document_id: int
    url: str
    title: str | None
    published: str | None
    source: str | None
    agreement_type: str
    date: str | None
    status: str
    evidence: str | None
    evidence_span: tuple[int, int] | None
    extracted_at: str


@dataclass(frozen=True, slots=True)
class SearchHit:
    document_id: int
    url: str
    title: str | None
    published: str | None
    source: str | None
    snippet: str


@dataclass(frozen=True, slots=True)
class ReviewEntry:
    """One line of the append-only review log; `before`/`after` hold the event's fields."""

    id: int
    event_id: int
    reviewer: str
    at: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str | None
    details: dict[str, Any] | None = None  # what a merge/split/addition moved (store.curation)
    undoes: int | None = None  # the entry an undo reverted
