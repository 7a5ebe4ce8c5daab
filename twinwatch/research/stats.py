"""What reviews teach: per source and per agreement type, how many extracted events reviewers
confirmed, corrected or rejected, and the precision that implies.

Definitions (the unit is a stored event, not a mention):
- extracted: events the extractor produced (events a reviewer added by hand are `added`, i.e.
  misses, and count nowhere else);
- per source: an event counts for every configured source that reported it (so the rows of
  several sources may add up to more than the events);
- per agreement type: the type the extractor gave (before any correction);
- precision = confirmed / (confirmed + corrected + rejected): the share of reviewed events the
  extractor got entirely right. `lenient precision` = (confirmed + corrected) / reviewed: the
  share that was an agreement at all. Both are None until something was reviewed.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from sqlite_utils import Database

STATES = ("new", "confirmed", "corrected", "rejected")


@dataclass(slots=True)
class Tally:
    group: str  # source | agreement_type
    name: str
    extracted: int = 0
    new: int = 0
    confirmed: int = 0
    corrected: int = 0
    rejected: int = 0
    added: int = 0  # reviewer-added events: agreements the extractor missed

    @property
    def reviewed(self) -> int:
        return self.confirmed + self.corrected + self.rejected

    @property
    def precision(self) -> float | None:
        return round(self.confirmed / self.reviewed, 4) if self.reviewed else None

    @property
    def lenient_precision(self) -> float | None:
        return round((self.confirmed + self.corrected) / self.reviewed, 4) if self.reviewed else None

    def count(self, state: str) -> None:
        self.extracted += 1
        setattr(self, state, getattr(self, state) + 1)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "reviewed": self.reviewed, "precision": self.precision,
                "lenient_precision": self.lenient_precision}


def review_stats(db: Database) -> list[Tally]:
    """Tallies per source (sorted by name), then per extracted agreement type."""
    first_entries = _first_log_entries(db)
    sources = _sources_of_events(db)
    by_source: dict[str, Tally] = {}
    by_type: dict[str, Tally] = {}
    for event in db.query("SELECT id, agreement_type, review_state FROM events "
                          "WHERE merged_into IS NULL"):
        entry = first_entries.get(event["id"])
        added = entry is not None and entry["action"] == "add"
        extracted_type = event["agreement_type"]
        if entry is not None and entry["before"]:
            extracted_type = json.loads(entry["before"]).get("agreement_type") or extracted_type
        tallies = [by_source.setdefault(s, Tally("source", s))
                   for s in sources.get(event["id"], ["(none)"])]
        tallies.append(by_type.setdefault(extracted_type, Tally("agreement_type", extracted_type)))
        for tally in tallies:
            if added:
                tally.added += 1
            else:
                tally.count(event["review_state"])
    return ([by_source[k] for k in sorted(by_source)] + [by_type[k] for k in sorted(by_type)])


def total(tallies: list[Tally]) -> Tally:
    """All events once (from the per-type rows, where each event counts exactly once)."""
    whole = Tally("all", "all")
    for tally in tallies:
        if tally.group == "agreement_type":
            for name in ("extracted", "new", "confirmed", "corrected", "rejected", "added"):
                setattr(whole, name, getattr(whole, name) + getattr(tally, name))
    return whole


def _first_log_entries(db: Database) -> dict[int, dict[str, Any]]:
    """Each event's first review-log entry (its `before` holds the fields as extracted)."""
    rows = db.query("""SELECT r.event_id, r.action, r.before FROM review_log r
                       WHERE r.id = (SELECT MIN(id) FROM review_log WHERE event_id = r.event_id)""")
    return {row["event_id"]: row for row in rows}


def _sources_of_events(db: Database) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for row in db.query("""SELECT DISTINCT m.event_id, COALESCE(d.source, '(none)') AS source
                           FROM mentions m JOIN documents d ON d.id = m.document_id
                           ORDER BY m.event_id, source"""):
        found.setdefault(row["event_id"], []).append(row["source"])
    return found
