"""Reviewers' decisions beyond one event: merge, split, add a missed event, bulk confirm, undo.

Each decision is one log entry (a bulk confirmation: one per event, sharing a `batch`) whose
`details` say exactly what moved — mention ids and identity keys — so `undo` can put it back.
Re-crawls keep these decisions: a document's reports follow its mentions to the events they
were moved to (`events_writer._earlier_event`), and a merged event loses its identity keys.
"""

from __future__ import annotations

import json
import uuid
from typing import Any, Iterable

from sqlite_utils import Database

from extract.records import Event, place_key
from store import events_writer, identity, review
from store.records import ReviewEntry, StoreError


class PairsDiffer(StoreError):
    """A merge of events whose pairs differ, asked for without `force`."""

# Fields an undo puts back from the log's `before` snapshot.
RESTORED = review.CORRECTABLE + ("review_state",)


def live_event(db: Database, event_id: int) -> dict[str, Any]:
    """The event row, refusing unknown and merged-away events."""
    row = next(db.query("SELECT * FROM events WHERE id = ?", [event_id]), None)
    if row is None:
        raise StoreError(f"no event with id {event_id}")
    if row["merged_into"] is not None:
        raise StoreError(f"event {event_id} was merged into event {row['merged_into']}")
    return row


def _keys(db: Database, event_id: int) -> set[str]:
    return {r["pair_key"] for r in db.query(
        "SELECT pair_key FROM event_keys WHERE event_id = ?", [event_id])}


def _mention_ids(db: Database, event_id: int) -> list[int]:
    return [r["id"] for r in db.query("SELECT id FROM mentions WHERE event_id = ? ORDER BY id",
                                      [event_id])]


ABSORBED_EVENTS = """WITH RECURSIVE absorbed(id) AS (
    SELECT id FROM events WHERE merged_into = ?
    UNION SELECT e.id FROM events e JOIN absorbed a ON e.merged_into = a.id)"""


def absorbed_mention_ids(db: Database, event_id: int) -> list[int]:
    """Mentions left on events merged into this one (a page that reported both events keeps
    its mention of the kept one; the other stays behind): still the event's to split out."""
    sql = f"{ABSORBED_EVENTS} SELECT id FROM mentions WHERE event_id IN absorbed ORDER BY id"
    return [r["id"] for r in db.query(sql, [event_id])]


def _move_mentions(db: Database, mention_ids: Iterable[int], event_id: int) -> None:
    db.execute("UPDATE mentions SET event_id = ? WHERE id IN (SELECT value FROM json_each(?))",
               [event_id, json.dumps(list(mention_ids))])


def _remove_keys(db: Database, event_id: int, keys: Iterable[str]) -> None:
    db.execute("DELETE FROM event_keys WHERE event_id = ? AND pair_key IN "
               "(SELECT value FROM json_each(?))", [event_id, json.dumps(sorted(keys))])


def _side_differs(kept: dict[str, Any], merged: dict[str, Any], side: str, other: str) -> bool:
    """Whether `side` of `kept` and `other` of `merged` name different places: by gazetteer id
    when both have one, else by the scorer's name normalisation (`place_key`)."""
    kept_ids, merged_ids = (json.loads(row["place_ids"] or "{}") for row in (kept, merged))
    if kept_ids.get(side) and merged_ids.get(other):
        return bool(kept_ids[side] != merged_ids[other])
    kept_names = {place_key(kept.get(side)), place_key(kept.get(f"{side}_canonical"))} - {""}
    merged_names = {place_key(merged.get(other)), place_key(merged.get(f"{other}_canonical"))}
    return not kept_names & (merged_names - {""})


def pair_differs(kept: dict[str, Any], merged: dict[str, Any]) -> bool:
    """Whether two events' (Korean party, partner) pairs differ; a domestic pair reported from
    either side (안산시–시흥시, 시흥시–안산시) is one pair."""
    same = not (_side_differs(kept, merged, "korean_party", "korean_party")
                or _side_differs(kept, merged, "partner", "partner"))
    swapped = not (_side_differs(kept, merged, "korean_party", "partner")
                   or _side_differs(kept, merged, "partner", "korean_party"))
    return not (same or swapped)


def merge(db: Database, kept_id: int, merged_id: int, reviewer: str, reason: str | None,
          now: str, *, force: bool = False) -> int:
    """`merged_id` is the same agreement as `kept_id`: its mentions and keys move to the kept
    event, and it stays behind pointing there. A document both mention keeps its mention on
    the kept event (`split` can still take it out). Events of different pairs merge only with
    `force` (PairsDiffer otherwise). Returns the log entry's id."""
    if kept_id == merged_id:
        raise StoreError("cannot merge an event with itself")
    kept, merged = live_event(db, kept_id), live_event(db, merged_id)
    if not force and pair_differs(kept, merged):
        raise PairsDiffer(
            f"events {kept_id} ({kept['korean_party']}–{kept['partner']}) and {merged_id} "
            f"({merged['korean_party']}–{merged['partner']}) are different pairs: merge them "
            f"only if they are one agreement (--force)")
    kept_documents = {r["document_id"] for r in db.query(
        "SELECT document_id FROM mentions WHERE event_id = ?", [kept_id])}
    moved = [r["id"] for r in db.query(
        "SELECT id, document_id FROM mentions WHERE event_id = ? ORDER BY id", [merged_id])
        if r["document_id"] not in kept_documents]
    _move_mentions(db, moved, kept_id)
    merged_keys = _keys(db, merged_id)
    keys_added = events_writer.add_pair_keys(db, kept_id, frozenset(merged_keys))
    _remove_keys(db, merged_id, merged_keys)
    changes = {"first_seen": min(kept["first_seen"], merged["first_seen"]),
               "last_seen": max(kept["last_seen"], merged["last_seen"]), "updated_at": now}
    if not kept["date"] and merged["date"]:
        changes["date"] = merged["date"]
    db.table("events").update(kept_id, changes)
    db.table("events").update(merged_id, {"merged_into": kept_id, "updated_at": now})
    after = live_event(db, kept_id)
    details = {"other_event": merged_id, "mentions": moved, "keys_moved": sorted(merged_keys),
               "keys_added": sorted(keys_added), "kept_before": _times(kept)}
    return review.append(db, event_id=kept_id, reviewer=reviewer, at=now, action="merge",
                         before=kept, after=after, reason=reason, details=details)


def _times(row: dict[str, Any]) -> dict[str, Any]:
    return {name: row[name] for name in ("first_seen", "last_seen", "date")}


def split(db: Database, event_id: int, mention_ids: list[int], reviewer: str, reason: str | None,
          now: str) -> int:
    """The given mentions report another agreement: they become a new event (state `new`,
    its fields from the first of them as extracted). Returns the new event's id."""
    source = live_event(db, event_id)
    own = _mention_ids(db, event_id)
    chosen = sorted(set(mention_ids))
    if not chosen:
        raise StoreError("a split needs the mentions that report the other agreement")
    stray = [m for m in chosen if m not in own + absorbed_mention_ids(db, event_id)]
    if stray:
        raise StoreError(f"mention {stray[0]} is not a mention of event {event_id}")
    if not set(own) - set(chosen):
        raise StoreError("a split must leave at least one mention on the event")
    rows = list(db.query("SELECT * FROM mentions WHERE id IN (SELECT value FROM json_each(?)) "
                         "ORDER BY id", [json.dumps(chosen)]))
    origins = {str(row["id"]): row["event_id"] for row in rows if row["event_id"] != event_id}
    first = Event.from_dict(json.loads(rows[0]["extracted"]))
    new_row = events_writer.event_columns(first)
    new_row.update(review_state="new", first_seen=now, last_seen=now, updated_at=now,
                   evidence_document_id=rows[0]["document_id"])
    new_id = events_writer.inserted_id(db.table("events").insert(new_row).last_pk)
    _move_mentions(db, chosen, new_id)
    keys: set[str] = set()
    for row in rows:
        keys |= identity.pair_keys_of(json.loads(row["extracted"]))
    events_writer.add_pair_keys(db, new_id, frozenset(keys))
    _refresh_evidence(db, event_id, source)
    details = {"other_event": new_id, "mentions": chosen, "origins": origins,
               "evidence_before": {k: source[k] for k in
                                   ("evidence", "evidence_span", "evidence_document_id")}}
    review.append(db, event_id=event_id, reviewer=reviewer, at=now, action="split",
                  before=source, after=live_event(db, event_id), reason=reason, details=details)
    return new_id


def _refresh_evidence(db: Database, event_id: int, row: dict[str, Any]) -> None:
    """After a split the event's evidence must come from a document it still mentions."""
    remaining = next(db.query("SELECT * FROM mentions WHERE event_id = ? ORDER BY id", [event_id]))
    if remaining["document_id"] == row["evidence_document_id"] and row["evidence"]:
        return
    db.table("events").update(event_id, {
        "evidence": remaining["evidence"], "evidence_document_id": remaining["document_id"],
        "evidence_span": json.dumps([remaining["span_start"] or 0, remaining["span_end"] or 0])})


def add_event(db: Database, document_id: int, fields: dict[str, Any], span: tuple[int, int],
              reviewer: str, reason: str | None, now: str) -> int:
    """An agreement the extractor missed, stated by `document_id`'s text at `span`: a new
    event (state `corrected`: a person made it) with one mention. Returns its id."""
    document = next(db.query("SELECT id, text FROM documents WHERE id = ?", [document_id]), None)
    if document is None or not document["text"]:
        raise StoreError(f"no readable document with id {document_id}")
    start, end = span
    if not 0 <= start < end <= len(document["text"]):
        raise StoreError(f"span {start}–{end} is outside the document's text")
    checked = review.check_correction(fields)
    for name in ("korean_party", "partner", "agreement_type"):
        if not checked.get(name):
            raise StoreError(f"a new event needs {name}")
    event = Event.from_dict({"status": "signed", **checked, "confidence": 1.0,
                             "evidence": document["text"][start:end], "evidence_span": span})
    row = events_writer.event_columns(event)
    row.update(review_state="corrected", first_seen=now, last_seen=now, updated_at=now,
               evidence_document_id=document_id)
    new_id = events_writer.inserted_id(db.table("events").insert(row).last_pk)
    events_writer.add_pair_keys(db, new_id, identity.pair_keys_of(event.to_dict()))
    events_writer.upsert_mention(db, new_id, document_id, event, now)
    mention_id = _mention_ids(db, new_id)[0]
    review.append(db, event_id=new_id, reviewer=reviewer, at=now, action="add", before=None,
                  after=live_event(db, new_id), reason=reason,
                  details={"document_id": document_id, "mentions": [mention_id]})
    return new_id


def confirm_many(db: Database, event_ids: list[int], reviewer: str, now: str) -> str:
    """Confirm each event (one log entry each, sharing one batch: one undo reverts them all).
    Returns the batch id."""
    batch = uuid.uuid4().hex
    for event_id in dict.fromkeys(event_ids):
        review.apply(db, event_id, "confirm", reviewer, None, None, now, batch=batch)
    return batch


_NOT_UNDONE = "NOT EXISTS (SELECT 1 FROM review_log u WHERE u.undoes = r.id)"


def undo(db: Database, reviewer: str, now: str) -> list[ReviewEntry]:
    """Revert `reviewer`'s last decision not yet undone (a whole batch for a bulk confirmation),
    each reversal logged as an `undo` entry. Refused when a later decision touched its events."""
    last = next(db.query(f"SELECT id, details FROM review_log r WHERE reviewer = ? AND action != "
                         f"'undo' AND {_NOT_UNDONE} ORDER BY id DESC LIMIT 1", [reviewer]), None)
    if last is None:
        raise StoreError(f"{reviewer} has no decision left to undo")
    batch = json.loads(last["details"] or "{}").get("batch")
    if batch:
        ids = [r["id"] for r in db.query(
            f"SELECT id FROM review_log r WHERE json_extract(details, '$.batch') = ? AND "
            f"{_NOT_UNDONE} ORDER BY id DESC", [batch])]
    else:
        ids = [last["id"]]
    entries = {e.id: e for e in review.entries(db) if e.id in ids}
    for entry_id in ids:
        _refuse_if_superseded(db, entries[entry_id], set(ids))
    for entry_id in ids:
        _revert(db, entries[entry_id], reviewer, now)
    return [e for e in review.entries(db) if e.undoes in ids]


def _touched(entry: ReviewEntry) -> set[int]:
    other = (entry.details or {}).get("other_event")
    return {entry.event_id} | ({other} if other else set())


def _refuse_if_superseded(db: Database, entry: ReviewEntry, undoing: set[int]) -> None:
    touched = json.dumps(sorted(_touched(entry)))
    later = next(db.query(
        f"""SELECT id, event_id FROM review_log r WHERE id > ? AND action != 'undo' AND {_NOT_UNDONE}
            AND (event_id IN (SELECT value FROM json_each(?))
                 OR json_extract(details, '$.other_event') IN (SELECT value FROM json_each(?)))
            AND id NOT IN (SELECT value FROM json_each(?))
            ORDER BY id LIMIT 1""", [entry.id, touched, touched, json.dumps(sorted(undoing))]), None)
    if later is not None:
        raise StoreError(f"cannot undo decision #{entry.id} on event {entry.event_id}: decision "
                         f"#{later['id']} changed it later (undo that one first)")


def _revert(db: Database, entry: ReviewEntry, reviewer: str, now: str) -> None:
    details = entry.details or {}
    event_id = entry.event_id
    before = db.table("events").get(event_id)
    if entry.action == "merge":
        _unmerge(db, event_id, details, now)
    elif entry.action == "split":
        _unsplit(db, event_id, details, now)
    elif entry.action == "add":
        db.execute("DELETE FROM mentions WHERE event_id = ?", [event_id])
        db.execute("DELETE FROM event_keys WHERE event_id = ?", [event_id])
        db.table("events").update(event_id, {"review_state": "rejected", "updated_at": now})
    else:
        _remove_keys(db, event_id, details.get("keys_added", ()))
    if entry.before:  # the event's own fields as they were before the decision
        restored = {name: entry.before.get(name) for name in RESTORED}
        db.table("events").update(event_id, {**restored, "updated_at": now})
    undo_details = {"other_event": details["other_event"]} if "other_event" in details else None
    review.append(db, event_id=event_id, reviewer=reviewer, at=now, action="undo", before=before,
                  after=db.table("events").get(event_id), reason=f"undo #{entry.id} ({entry.action})",
                  details=undo_details, undoes=entry.id)


def _unmerge(db: Database, kept_id: int, details: dict[str, Any], now: str) -> None:
    merged_id = details["other_event"]
    _move_mentions(db, details["mentions"], merged_id)
    _remove_keys(db, kept_id, details["keys_added"])
    events_writer.add_pair_keys(db, merged_id, frozenset(details["keys_moved"]))
    db.table("events").update(merged_id, {"merged_into": None, "updated_at": now})
    db.table("events").update(kept_id, details["kept_before"])


def _unsplit(db: Database, event_id: int, details: dict[str, Any], now: str) -> None:
    split_id = details["other_event"]
    origins = details.get("origins", {})  # mentions split out of a merged-in event go back there
    _move_mentions(db, [m for m in _mention_ids(db, split_id) if str(m) not in origins], event_id)
    for mention_id, origin in origins.items():
        _move_mentions(db, [int(mention_id)], origin)
    db.execute("DELETE FROM event_keys WHERE event_id = ?", [split_id])
    db.table("events").update(split_id, {"merged_into": event_id, "updated_at": now})
    db.table("events").update(event_id, details["evidence_before"])


def history(db: Database, event_id: int) -> list[ReviewEntry]:
    """Every decision on the event, and merges/splits that moved mentions to or from it."""
    ids = {r["id"] for r in db.query(
        "SELECT id FROM review_log WHERE event_id = ? OR json_extract(details, '$.other_event') = ?",
        [event_id, event_id])}
    return [entry for entry in review.entries(db) if entry.id in ids]
