"""Stored documents for a reviewer hunting missed events: a paged list, newest first, and the
full-text search of `twinwatch search`. From a document's page a missed event can be added."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from store import Store
from store.search import search_documents

SEARCH_LIMIT = 200  # hits shown for one search; a narrower query finds the rest


@dataclass(frozen=True, slots=True)
class DocumentQuery:
    """What the reviewer asked for: words to search, only documents without events, a page."""

    words: str = ""
    without_events: bool = False
    page: int = 1

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> "DocumentQuery":
        page_text = (args.get("page") or "1").strip()
        return cls(words=(args.get("q") or "").strip()[:200],
                   without_events=(args.get("without_events") or "") == "1",
                   page=int(page_text) if page_text.isdigit() and int(page_text) > 0 else 1)

    def as_args(self, **changes: Any) -> dict[str, str]:
        words = changes.get("words", self.words)
        without = changes.get("without_events", self.without_events)
        page = changes.get("page", self.page)
        args = {"q": words} if words else {}
        if without:
            args["without_events"] = "1"
        if page > 1:
            args["page"] = str(page)
        return args


@dataclass(frozen=True, slots=True)
class DocumentPage:
    rows: list[dict[str, Any]]  # id, title, published, source, canonical_url, events, snippet
    total: int
    page: int
    pages: int
    first: int
    last: int


_EVENTS = """(SELECT COUNT(DISTINCT m.event_id) FROM mentions m JOIN events e ON e.id = m.event_id
              WHERE m.document_id = d.id AND e.merged_into IS NULL)"""


def document_page(store: Store, chosen: DocumentQuery, page_size: int) -> DocumentPage:
    """The documents the query names, newest first; readable ones only (text kept)."""
    if chosen.words:
        return _search_page(store, chosen)
    where = "d.text IS NOT NULL AND d.text != ''"
    if chosen.without_events:
        where += f" AND {_EVENTS} = 0"
    total = int(next(store.db.query(f"SELECT COUNT(*) AS n FROM documents d WHERE {where}"))["n"])
    pages = max(1, -(-total // page_size))
    page = min(chosen.page, pages)
    offset = (page - 1) * page_size
    rows = [dict(row, snippet="") for row in store.db.query(
        f"""SELECT d.id, d.title, d.published, d.source, d.canonical_url, {_EVENTS} AS events
            FROM documents d WHERE {where}
            ORDER BY COALESCE(d.published, '') DESC, d.id DESC LIMIT ? OFFSET ?""",
        [page_size, offset])]
    return DocumentPage(rows, total, page, pages, offset + 1 if rows else 0, offset + len(rows))


def _search_page(store: Store, chosen: DocumentQuery) -> DocumentPage:
    hits = search_documents(store.db, chosen.words, limit=SEARCH_LIMIT)
    counts = {row["id"]: row["events"] for row in store.db.query(
        f"SELECT d.id, {_EVENTS} AS events FROM documents d "
        "WHERE d.id IN (SELECT value FROM json_each(?))", [_json_ids([h.document_id for h in hits])])}
    rows = [{"id": h.document_id, "title": h.title, "published": h.published, "source": h.source,
             "canonical_url": h.url, "events": counts.get(h.document_id, 0), "snippet": h.snippet}
            for h in hits]
    if chosen.without_events:
        rows = [row for row in rows if not row["events"]]
    return DocumentPage(rows, len(rows), 1, 1, 1 if rows else 0, len(rows))


def _json_ids(ids: list[int]) -> str:
    return "[" + ",".join(str(int(i)) for i in ids) + "]"
