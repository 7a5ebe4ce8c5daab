"""Saving a document's extracted events: each joins a stored event or becomes a new one.

Called by `Store` inside the document's transaction; identity rules live in `store.identity`.
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from extract.records import Event
from store import identity
from store.records import SaveOutcome

# Fields a re-crawl may recompute; a reviewed event (confirmed/corrected/rejected) keeps its own.
REVIEWED_STATES = ("confirmed", "corrected", "rejected")


def event_columns(event: Event) -> dict[str, Any]:
    """An Event as event-table columns (JSON for the span and place ids)."""
    data = event.to_dict()
    data["evidence_span"] = json.dumps(data["evidence_span"])
    data["place_ids"] = json.dumps(data["place_ids"] or {}, ensure_ascii=False)
    data["field_spans"] = json.dumps(data["field_spans"]) if data["field_spans"] else None
    data["why"] = json.dumps(data["why"], ensure_ascii=False) if data["why"] else None
    return data


def event_from_row(row: dict[str, Any]) -> Event:
    data = dict(row)
    data["evidence_span"] = tuple(json.loads(row["evidence_span"] or "[0, 0]"))
    data["place_ids"] = json.loads(row["place_ids"] or "{}")
    data["field_spans"] = json.loads(row.get("field_spans") or "{}")
    data["why"] = json.loads(row.get("why") or "[]")
    return Event.from_dict(data)


def inserted_id(last_pk: object) -> int:
    """The rowid sqlite-utils reports after an insert (typed loosely there)."""
    if not isinstance(last_pk, int):
        raise TypeError(f"expected an integer rowid, got {last_pk!r}")
    return last_pk


def add_pair_keys(db: Database, event_id: int, keys: frozenset[str]) -> set[str]:
    """Adds the keys; returns those the event did not have yet (an undo removes just these)."""
    added = set()
    for key in keys:
        cursor = db.execute("INSERT OR IGNORE INTO event_keys (pair_key, event_id) VALUES (?, ?)",
                            [key, event_id])
        if cursor.rowcount:
            added.add(key)
    return added


def _candidates(db: Database, keys: frozenset[str], excluded: set[int]) -> list[tuple[int, identity.Identity]]:
    """Stored events sharing a pair key with the report, each with all its keys — once as it
    now stands and once as each of its mentions was extracted. A reviewer's correction (of the
    date, the country …) changes the event, not what the pages say: a re-crawled page must still
    find the event its report was moved to, not start a second one with the original values."""
    if not keys:
        return []
    rows = db.query(
        """SELECT e.*, (SELECT json_group_array(k.pair_key) FROM event_keys k
                        WHERE k.event_id = e.id) AS pair_keys_json,
                       (SELECT json_group_array(json(m.extracted)) FROM mentions m
                        WHERE m.event_id = e.id) AS extracted_json
           FROM events e WHERE e.merged_into IS NULL AND e.id IN (SELECT event_id FROM event_keys
                                        WHERE pair_key IN (SELECT value FROM json_each(?)))""",
        [json.dumps(sorted(keys), ensure_ascii=False)])
    found = []
    for row in rows:
        if row["id"] in excluded:
            continue
        pair_keys = frozenset(json.loads(row["pair_keys_json"]))
        found.append((row["id"], identity.identity_of(row, pair_keys)))
        for extracted in json.loads(row["extracted_json"] or "[]"):
            found.append((row["id"], identity.identity_of(extracted, pair_keys)))
    return found


def save_events(db: Database, document_id: int, events: list[Event], now: str) -> SaveOutcome:
    """Attach each event to its stored event or create one; one document never merges two."""
    new_ids: list[int] = []
    matched_ids: list[int] = []
    claimed: set[int] = set()
    earlier = _earlier_mentions(db, document_id)
    for event in events:
        report = identity.identity_of(event.to_dict())
        event_id = _earlier_event(earlier, report, claimed)
        if event_id is None:
            event_id = identity.best_match(report, _candidates(db, report.pair_keys, claimed))
        if event_id is None:
            event_id = _insert_event(db, event, document_id, now)
            new_ids.append(event_id)
        claimed.add(event_id)
        add_pair_keys(db, event_id, report.pair_keys)
        upsert_mention(db, event_id, document_id, event, now)
        if event_id not in new_ids:
            matched_ids.append(event_id)
            _merge_into(db, event_id, event, document_id, now)
    return SaveOutcome(tuple(new_ids), tuple(matched_ids))


def _earlier_mentions(db: Database, document_id: int) -> list[tuple[int, frozenset[str], str]]:
    """(event id, pair keys, type) of the reports this document gave before, on live events."""
    rows = db.query(
        """SELECT m.event_id, m.extracted FROM mentions m JOIN events e ON e.id = m.event_id
           WHERE m.document_id = ? AND e.merged_into IS NULL ORDER BY m.id""", [document_id])
    earlier = []
    for row in rows:
        extracted = json.loads(row["extracted"])
        earlier.append((row["event_id"], identity.pair_keys_of(extracted), extracted["agreement_type"]))
    return earlier


def _earlier_event(earlier: list[tuple[int, frozenset[str], str]], report: identity.Identity,
                   claimed: set[int]) -> int | None:
    """The event this document's report of the same pair joined last time. A reviewer may have
    moved it there (merge, split), so a re-crawl follows the mention, not the identity rules."""
    fits = [(0 if agreement_type == report.agreement_type else 1, event_id)
            for event_id, keys, agreement_type in earlier
            if event_id not in claimed and keys & report.pair_keys]
    return min(fits)[1] if fits else None


def _insert_event(db: Database, event: Event, document_id: int, now: str) -> int:
    row = event_columns(event)
    row.update(review_state="new", first_seen=now, last_seen=now, updated_at=now,
               evidence_document_id=document_id)
    return inserted_id(db.table("events").insert(row).last_pk)


def upsert_mention(db: Database, event_id: int, document_id: int, event: Event, now: str) -> None:
    start, end = event.evidence_span
    db.execute(
        """INSERT INTO mentions (event_id, document_id, agreement_type, date, status, korean_party,
               partner, evidence, span_start, span_end, confidence, extracted, extracted_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (event_id, document_id) DO UPDATE SET
               agreement_type = excluded.agreement_type, date = excluded.date,
               status = excluded.status, korean_party = excluded.korean_party,
               partner = excluded.partner, evidence = excluded.evidence,
               span_start = excluded.span_start, span_end = excluded.span_end,
               confidence = excluded.confidence, extracted = excluded.extracted,
               extracted_at = excluded.extracted_at""",
        [event_id, document_id, event.agreement_type, event.date, event.status, event.korean_party,
         event.partner, event.evidence, start, end, event.confidence,
         json.dumps(event.to_dict(), ensure_ascii=False), now])


def _mention_types(db: Database, event_id: int) -> list[str]:
    """The event's mentions' types, oldest report first (by the page's date, then save order)."""
    rows = db.query(
        """SELECT m.agreement_type FROM mentions m JOIN documents d ON d.id = m.document_id
           WHERE m.event_id = ?
           ORDER BY COALESCE(d.published, substr(d.fetched_at, 1, 10), ''), m.id""", [event_id])
    return [row["agreement_type"] for row in rows]


def _merge_into(db: Database, event_id: int, report: Event, document_id: int, now: str) -> None:
    current = next(db.query("SELECT * FROM events WHERE id = ?", [event_id]))
    if current["review_state"] in REVIEWED_STATES:
        db.execute("UPDATE events SET last_seen = ? WHERE id = ?", [now, event_id])
        return
    updates: dict[str, Any] = identity.filled_fields(current, report)
    updates["date"], updates["status"] = identity.merged_date_and_status(current, report)
    updates["agreement_type"] = identity.most_attested_type(_mention_types(db, event_id))
    updates["confidence"] = max(current["confidence"] or 0.0, report.confidence)
    place_ids = {**report.place_ids, **json.loads(current["place_ids"] or "{}")}
    updates["place_ids"] = json.dumps(place_ids, ensure_ascii=False)
    if _is_better_evidence(current, updates, report):
        columns = event_columns(report)  # the field spans point into the evidence's text
        updates.update(evidence=report.evidence, evidence_span=columns["evidence_span"],
                       evidence_document_id=document_id, field_spans=columns["field_spans"],
                       why=columns["why"])
    updates.update(last_seen=now, updated_at=now)
    db.table("events").update(event_id, updates)


def _is_better_evidence(current: dict[str, Any], updates: dict[str, Any], report: Event) -> bool:
    """Show the sentence that states what the event now says (its type, and the signing)."""
    if report.agreement_type != updates["agreement_type"]:
        return False
    return (current["agreement_type"] != updates["agreement_type"]
            or (current["status"] != updates["status"] and report.status == updates["status"]))
