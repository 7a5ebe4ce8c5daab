"""What the web page and `twinwatch review` share: reading a correction from text fields,
place suggestions from the gazetteer, and one event's full record for display."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Mapping

from store import Mention, ReviewEntry, Store, StoreError
from store.review import CORRECTABLE

# A candidate place's fields as they fill a correction of the partner.
PARTNER_FIELDS = ("partner_canonical", "partner_country", "partner_region")


def correction_from(values: Mapping[str, str | None], current: Mapping[str, Any]) -> dict[str, Any]:
    """The fields that change: given (not None), trimmed, and different from the event's.
    An emptied optional field becomes None (cleared)."""
    changes: dict[str, Any] = {}
    for name in CORRECTABLE:
        given = values.get(name)
        if given is None:
            continue
        value: str | None = given.strip() or None
        if name == "partner_country" and value:
            value = value.upper()
        if value != (current.get(name) or None):
            changes[name] = value
    if not changes:
        raise StoreError("the correction changes nothing")
    return changes


@functools.cache
def _gazetteer() -> Any:
    from extract.gazetteer import load_gazetteer  # ~1 s to load: only when a place is asked for
    return load_gazetteer()


@dataclass(frozen=True, slots=True)
class PlaceChoice:
    id: str
    name: str
    country: str
    region: str | None
    kind: str


def place_choices(name: str | None, country: str | None = None, limit: int = 6,
                  side: str = "partner") -> list[PlaceChoice]:
    """Gazetteer places `name` may be (best first), to offer when a place is corrected. For the
    Korean party (`side="korean"`) only Korean local governments are offered: a look-alike
    abroad (부여군 → 扶余 푸위시) can never be the Korean side."""
    if not name or not name.strip():
        return []
    if side == "korean":
        candidates = [c for c in _gazetteer().lookup(name.strip(), country="KR", limit=50)
                      if c.place.country == "KR" and c.place.level in ("광역", "기초")][:limit]
    else:
        candidates = _gazetteer().lookup(name.strip(), country=country or None, limit=limit)
    return [PlaceChoice(c.place.id, c.place.name, c.place.country, c.place.region, c.place.kind)
            for c in candidates]


@dataclass(frozen=True, slots=True)
class EventRecord:
    """One event with what a reviewer needs beside it."""

    event: dict[str, Any]
    mentions: list[Mention]
    history: list[ReviewEntry]
    document: dict[str, Any] | None  # the evidence's document (text, title, URL)
    archived: set[int]  # ids of mentioned documents whose raw bytes are kept


def event_record(store: Store, event_id: int) -> EventRecord:
    event = store.event(event_id)
    if event is None:
        raise StoreError(f"no event with id {event_id}")
    document_id = event.get("evidence_document_id")
    document = store.document(document_id) if document_id else None
    mentions = store.mentions(event_id, absorbed=True)
    archived = {row["id"] for row in store.db.query(
        "SELECT id FROM documents WHERE raw_zlib IS NOT NULL AND id IN "
        "(SELECT document_id FROM mentions WHERE event_id = ?)", [event_id])}
    return EventRecord(event, mentions, store.history(event_id), document, archived)


def changed_fields(entry: ReviewEntry) -> list[tuple[str, Any, Any]]:
    """(field, before, after) for each field a logged decision changed."""
    before, after = entry.before or {}, entry.after or {}
    names = [n for n in (*CORRECTABLE, "review_state") if before.get(n) != after.get(n)]
    return [(name, before.get(name), after.get(name)) for name in names]
