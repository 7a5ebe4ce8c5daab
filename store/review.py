"""Reviewers' decisions on events: confirm, correct, reject — each one logged, append-only.

A reviewed event keeps its fields when later reports of it arrive (`events_writer`); the
names a reviewer gives become identity keys too, so re-crawled reports under the old spelling
still find the corrected event.
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from extract.records import AGREEMENT_TYPES, STATUSES
from store import events_writer, identity
from store.records import ReviewEntry, StoreError
from twinwatch import validation

ACTIONS = {"confirm": "confirmed", "correct": "corrected", "reject": "rejected"}
CORRECTABLE = ("korean_party", "korean_province", "partner", "partner_canonical", "partner_country",
               "partner_region", "partner_province", "agreement_type", "date", "status")


def _snapshot(row: dict[str, Any]) -> dict[str, Any]:
    data = events_writer.event_from_row(row).to_dict()
    data["review_state"] = row["review_state"]
    return data


def check_correction(after: dict[str, Any]) -> dict[str, Any]:
    """The fields a correction changes, validated (a country name becomes its ISO code);
    raises StoreError naming the bad one."""
    unknown = sorted(set(after) - set(CORRECTABLE))
    if unknown:
        raise StoreError(f"cannot correct {unknown[0]!r} (correctable: {', '.join(CORRECTABLE)})")
    for name in ("korean_party", "partner", "agreement_type", "status"):
        if name in after and not after[name]:
            raise StoreError(f"{name} cannot be empty")
    checked = dict(after)
    try:
        if "agreement_type" in after:
            validation.one_of(after["agreement_type"], AGREEMENT_TYPES, "agreement_type")
        if "status" in after:
            validation.one_of(after["status"], STATUSES, "status")
        if after.get("date"):
            checked["date"] = validation.calendar_date(after["date"], "date")
        if after.get("partner_country"):
            checked["partner_country"] = validation.country_code(after["partner_country"])
        if after.get("korean_province"):
            checked["korean_province"] = validation.province(after["korean_province"])
    except validation.InvalidValue as exc:
        raise StoreError(str(exc)) from None
    return checked


def apply(db: Database, event_id: int, action: str, reviewer: str, after: dict[str, Any] | None,
          reason: str | None, now: str, *, batch: str | None = None) -> None:
    """Change the event as decided and append the decision to the review log (one transaction)."""
    if action not in ACTIONS:
        raise StoreError(f"unknown review action {action!r} (one of {', '.join(ACTIONS)})")
    if not reviewer:
        raise StoreError("a review needs a reviewer name")
    row = next(db.query("SELECT * FROM events WHERE id = ?", [event_id]), None)
    if row is None:
        raise StoreError(f"no event with id {event_id}")
    changes: dict[str, Any] = {}
    if action == "correct":
        if not after:
            raise StoreError("a correction needs the fields to change")
        changes = check_correction(after)
    changes.update(review_state=ACTIONS[action], updated_at=now)
    if row["merged_into"] is not None:
        raise StoreError(f"event {event_id} was merged into event {row['merged_into']}")
    db.table("events").update(event_id, changes)
    updated = next(db.query("SELECT * FROM events WHERE id = ?", [event_id]))
    keys_added = events_writer.add_pair_keys(db, event_id, identity.pair_keys_of(updated))
    append(db, event_id=event_id, reviewer=reviewer, at=now, action=action, before=row,
           after=updated, reason=reason, details={"keys_added": sorted(keys_added), **({"batch": batch} if batch else {})})


def append(db: Database, *, event_id: int, reviewer: str, at: str, action: str,
           before: dict[str, Any] | None, after: dict[str, Any] | None, reason: str | None,
           details: dict[str, Any] | None = None, undoes: int | None = None) -> int:
    """One line of the append-only log; `before`/`after` are event rows, stored as snapshots."""
    return events_writer.inserted_id(db.table("review_log").insert({
        "event_id": event_id, "reviewer": reviewer, "at": at, "action": action,
        "before": json.dumps(_snapshot(before), ensure_ascii=False) if before else None,
        "after": json.dumps(_snapshot(after), ensure_ascii=False) if after else None,
        "reason": reason,
        "details": json.dumps(details, ensure_ascii=False) if details else None,
        "undoes": undoes}).last_pk)


def entries(db: Database, event_id: int | None = None) -> list[ReviewEntry]:
    """The log, oldest first; of one event when `event_id` is given."""
    where, params = ("WHERE event_id = ?", [event_id]) if event_id is not None else ("", [])
    rows = db.query(f"SELECT * FROM review_log {where} ORDER BY id", params)
    return [ReviewEntry(
        id=r["id"], event_id=r["event_id"], reviewer=r["reviewer"], at=r["at"], action=r["action"],
        before=json.loads(r["before"]) if r["before"] else None,
        after=json.loads(r["after"]) if r["after"] else None, reason=r["reason"],
        details=json.loads(r["details"]) if r["details"] else None, undoes=r["undoes"])
        for r in rows]
