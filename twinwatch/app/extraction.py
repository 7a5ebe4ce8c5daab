"""One input of `twinwatch extract`, end to end: load → read page → find events → a JSON object.

Every failure of one input becomes its `"error"` (a short reason), so a batch always goes on.
"""

from __future__ import annotations

import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from typing import TYPE_CHECKING, Any, Sequence

from twinwatch.app.inputs import load_input
from extract.notes import find_notes
from extract.page.reader import read_page
from extract.records import Document
from twinwatch.errors import ExtractionRejected, FetchError

if TYPE_CHECKING:  # the crawler's HTTP stack loads with the first URL, not with every file
    from crawler.fetch import Fetcher

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


def _load_engine() -> None:
    from extract.core import load_engine

    load_engine()


def extract_many(sources: Sequence[str], published: str | None = None, *, workers: int = 1,
                 fetcher: Fetcher | None = None, max_bytes: int | None = None) -> list[dict[str, Any]]:
    """`extract_input` over many inputs, in input order; with `workers` > 1, local files are
    read in that many worker processes (each loads the engine once). URLs stay in this
    process, where the one polite `fetcher` keeps each host's delay."""
    if workers <= 1 or len(sources) < 2 or fetcher is not None:
        return [extract_input(source, published, fetcher=fetcher, max_bytes=max_bytes) for source in sources]
    context = multiprocessing.get_context("spawn")  # no fork of a process that may hold Kiwi's threads
    chunk = max(1, len(sources) // (workers * 8))
    one_input = partial(extract_input, published=published, max_bytes=max_bytes)
    with ProcessPoolExecutor(min(workers, len(sources)), mp_context=context, initializer=_load_engine) as pool:
        return list(pool.map(one_input, sources, chunksize=chunk))
