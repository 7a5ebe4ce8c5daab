"""Builders for store tests: a page and the events an extractor would find on it."""

from __future__ import annotations

from typing import Any

from extract.records import Document, Event
from store import Retrieval, SaveResult, Store


def make_event(**fields: Any) -> Event:
    values: dict[str, Any] = {
        "korean_party": "안산시", "partner": "훈춘시", "agreement_type": "letter_of_intent",
        "status": "signed", "evidence": "안산시는 훈춘시와 교류의향서를 체결했다.",
        "evidence_span": (0, 21), "partner_country": "CN", "date": "2023-10-10"}
    values.update(fields)
    return Event(**values)


def save_page(store: Store, url: str, events: list[Event], *, text: str | None = None,
              published: str | None = None, source: str = "test") -> SaveResult:
    """Saves a page at `url` whose text defaults to the evidence of its events."""
    body_text = text if text is not None else " ".join(e.evidence for e in events) or "빈 문서"
    fetched = Retrieval(url=url, raw=body_text.encode("utf-8"), http_status=200, etag='"v1"',
                        content_type="text/html; charset=utf-8")
    document = Document(url=url, text=body_text, title=body_text[:20], published=published)
    return store.save(document, events, retrieval=fetched, source=source, discovered_via="live")


def report(url: str, published: str | None = None, **fields: Any) -> tuple[str, str | None, Event]:
    return url, published, make_event(**fields)
