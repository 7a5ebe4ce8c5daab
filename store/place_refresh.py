"""Stored events brought up to a newer gazetteer: the partner's place id and canonical name.

A new gazetteer can name a place differently (선양 → 선양시) or identify a partner it could not
place before (풀러튼시 by sound). Stored events are updated so that one place has one name and
later reports of the same pair, which now carry the new id, still meet their event:

- the event's old identity keys are kept and the new ones added, so no report makes a second
  event for an agreement already stored;
- a reviewer's decision stays the truth: a reviewed event keeps its names (only the ids the
  reviewer never sees are refreshed), and nothing is written to the review log.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from store import events_writer, identity

# (partner canonical name or None, partner place id or None) for a stored event row
Resolver = Callable[[dict[str, Any]], tuple[str | None, str | None]]


@dataclass(frozen=True, slots=True)
class PlaceRefresh:
    updated: tuple[int, ...]  # events whose canonical name or place ids changed
    keys_added: int  # identity keys added to them (none removed)


def refresh_places(db: Database, resolve: Resolver, now: str) -> PlaceRefresh:
    """Re-resolves the partner of every live event with `resolve` (the caller holds the
    transaction: all events or none)."""
    updated: list[int] = []
    keys_added = 0
    for row in list(db.query("SELECT * FROM events WHERE merged_into IS NULL ORDER BY id")):
        changes = _changes(row, *resolve(row))
        if not changes:
            continue
        db.table("events").update(row["id"], {**changes, "updated_at": now})
        current = next(db.query("SELECT * FROM events WHERE id = ?", [row["id"]]))
        keys_added += len(events_writer.add_pair_keys(db, row["id"], identity.pair_keys_of(current)))
        updated.append(row["id"])
    return PlaceRefresh(tuple(updated), keys_added)


def _changes(row: dict[str, Any], canonical: str | None, place_id: str | None) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    ids = json.loads(row["place_ids"] or "{}")
    if place_id and ids.get("partner") != place_id:
        changes["place_ids"] = json.dumps({**ids, "partner": place_id}, ensure_ascii=False)
    reviewed = row["review_state"] in events_writer.REVIEWED_STATES
    if canonical and canonical != row["partner_canonical"] and not reviewed:
        changes["partner_canonical"] = canonical
    return changes
