"""One input of `twinwatch extract`, end to end: load → read page → find events → a JSON object.

Every failure of one input becomes its `"error"` (a short reason), so a batch always goes on.
"""

from __future__ import annotations

import logging
from typing import Any

from crawler.fetch import Fetcher
from extract.inputs import load_input
from extract.notes import find_notes
from extract.page import read_page
from extract.records import Document
from twinwatch.errors import ExtractionRejected, FetchError

log = logging.getLogger(__name__)


def empty_result(source: str) -> dict[str, Any]:
    return {"input": source, "title": None, "published": None, "text": "", "events": [],
            "error": None, "notes": []}


def document_result(source: str, document: Document) -> dict[str, Any]:
    """The contract object for a read document, its events found by the engine."""
    result = empty_result(source)
    result.update(title=document.title, published=document.published, text=document.text)
    if not document.text.strip():
        return result  # a page with no article has no events to look for
    from extract import core  # loads spaCy and Kiwi: only when a document is read

    try:
        events = core.find_events(document)
    except Exception as exc:  # one broken document must not stop a batch; the log keeps the trace
        log.warning("event extraction failed for %s: %s: %s", source, type(exc).__name__, exc)
        log.debug("traceback", exc_info=True)
        result["error"] = f"extraction_failed: {type(exc).__name__}"
        return result
    result["events"] = [event.to_dict() for event in events]
    # Relationship notes (a tie suspended, ended, resumed) are news about a tie, not events.
    try:
        result["notes"] = [note.to_dict() for note in find_notes(document)]
    except Exception as exc:  # notes are extra: their failure must not cost the events
        log.warning("relationship notes failed for %s: %s: %s", source, type(exc).__name__, exc)
    return result


def extract_input(source: str, published: str | None = None, *,
                  fetcher: Fetcher | None = None, max_bytes: int | None = None) -> dict[str, Any]:
    """`{"input", "title", "published", "text", "events", "error"}` for a path or URL.

    URLs go through `fetcher` (the crawler's polite one) when given, else one plain GET;
    a local file larger than `max_bytes` is refused unread.
    """
    try:
        document = read_page(load_input(source, fetcher=fetcher, max_bytes=max_bytes),
                             published=published)
    except (FetchError, ExtractionRejected) as exc:
        result = empty_result(source)
        result["error"] = exc.reason
        return result
    except Exception as exc:  # an unforeseen page shape: report it, never a traceback
        log.warning("reading %s failed: %s: %s", source, type(exc).__name__, exc)
        log.debug("traceback", exc_info=True)
        result = empty_result(source)
        result["error"] = f"read_failed: {type(exc).__name__}"
        return result
    return document_result(source, document)
