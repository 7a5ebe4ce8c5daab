"""Relationships in the store: derived on read, cached in the `relationships` table.

Why derive on read: a relationship is a function of its events (with reviewers' corrections),
the notes pages gave and reviewers' statements. Deriving it from them whenever it is read means
no writer — the crawler's save, a review, a merge, an undo, the review page — has to remember to
refresh it, and the crawler's transaction stays as short as before. Deriving 5,000 events
takes ~0.13 s, about 4x reading their rows (benchmarks/relationships.py). The table is a cache for other readers (datasette, SQL): rewritten when
a read finds that the inputs' fingerprint changed, so it is as current as the last read.

Notes are found in stored pages' text (`extract.notes`) the first time a read sees a page saved
or changed since the last scan; only pages containing a cue word are read closely.
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from store.records import StoreError
from store.identity import normalise_place
from store.relationship_model import Relationship, Source, derive

STATEMENT_STATES = ("active", "suspended", "ended")
# Words every note cue contains one of, for a cheap SQL pre-selection of pages to scan.
_NOTE_WORDS = ("중단", "중지", "단절", "보류", "동결", "해지", "파기", "해제", "폐기", "종료", "철회",
               "취소", "끊", "재개", "복원", "회복")


def current(db: Database, now: str) -> list[Relationship]:
    """Every relationship as the store now says, the cache refreshed when its inputs changed."""
    scan_notes(db, now)
    found = derive(_event_rows(db), _sources(db), _note_rows(db), _statement_rows(db))
    fingerprint = _fingerprint(db)
    cached = next(db.query("SELECT value FROM relationship_meta WHERE name = 'fingerprint'"), None)
    if cached is None or cached["value"] != fingerprint:
        with db.atomic():
            _write_cache(db, found, now)
            db.execute("INSERT OR REPLACE INTO relationship_meta (name, value) VALUES "
                       "('fingerprint', ?)", [fingerprint])
    return found


def _fingerprint(db: Database) -> str:
    row = next(db.query(
        """SELECT (SELECT COUNT(*) || '/' || COALESCE(MAX(updated_at), '') FROM events) AS events,
                  (SELECT COUNT(*) || '/' || COALESCE(MAX(id), 0) || '/' || COALESCE(SUM(event_id), 0)
                   FROM mentions) AS mentions,
                  (SELECT COALESCE(MAX(updated_at), '') FROM documents) AS documents,
                  (SELECT COUNT(*) || '/' || COALESCE(MAX(id), 0) FROM relationship_notes) AS notes,
                  (SELECT COALESCE(MAX(id), 0) FROM relationship_log) AS statements"""))
    return json.dumps(row, sort_keys=True)


def _event_rows(db: Database) -> list[dict[str, Any]]:
    rows = list(db.query("SELECT * FROM events WHERE merged_into IS NULL ORDER BY id"))
    for row in rows:
        row["place_ids"] = json.loads(row["place_ids"] or "{}")
    return rows


def _sources(db: Database) -> dict[int, list[Source]]:
    """Event id → the pages reporting it, oldest page first."""
    found: dict[int, list[Source]] = {}
    for row in db.query(
            """SELECT m.event_id, d.canonical_url, d.title, d.published, d.source
               FROM mentions m JOIN documents d ON d.id = m.document_id
               ORDER BY COALESCE(d.published, ''), m.id"""):
        found.setdefault(row["event_id"], []).append(
            Source(row["canonical_url"], row["title"], row["published"], row["source"]))
    return found


def _note_rows(db: Database) -> list[dict[str, Any]]:
    return list(db.query(
        """SELECT n.*, d.canonical_url AS url, d.title, d.published, d.source
           FROM relationship_notes n JOIN documents d ON d.id = n.document_id ORDER BY n.id"""))


def _statement_rows(db: Database) -> list[dict[str, Any]]:
    return list(db.query("SELECT * FROM relationship_log ORDER BY id"))


def _write_cache(db: Database, found: list[Relationship], now: str) -> None:
    db.execute("DELETE FROM relationships")
    db.table("relationships").insert_all(({
        "id": r.key, "korean_party": r.korean_party, "korean_province": r.korean_province,
        "partner": r.partner, "partner_country": r.partner_country,
        "partner_region": r.partner_region, "domestic": int(r.domestic), "stage": r.stage,
        "state": r.state, "state_date": r.state_date, "first_date": r.first_date,
        "last_date": r.last_date, "event_ids": json.dumps(r.event_ids),
        "steps": json.dumps(r.to_dict()["steps"], ensure_ascii=False), "refreshed_at": now,
    } for r in found))


# ---------------------------------------------------------------- notes from stored pages

def scan_notes(db: Database, now: str) -> int:
    """Find notes in pages saved or changed since the last scan; returns how many changed.

    Pages of the last scan's final second are read again (one saved later in that second has
    the same `updated_at`); a page's notes are rewritten only when they differ."""
    mark = next(db.query("SELECT value FROM relationship_meta WHERE name = 'notes_scanned_until'"),
                None)
    since = mark["value"] if mark else ""
    newest = next(db.query("SELECT MAX(updated_at) AS m FROM documents"))["m"]
    if not newest or newest < since:
        return 0
    cue = " OR ".join("instr(text, ?) > 0" for _ in _NOTE_WORDS)
    rows = list(db.query(
        f"""SELECT id, canonical_url, text, published, title FROM documents
            WHERE updated_at >= ? AND text IS NOT NULL AND drop_reason IS NULL AND ({cue})""",
        [since, *_NOTE_WORDS]))
    found = 0
    with db.atomic():
        for row in rows:
            found += _save_notes(db, row, now)
        db.execute("INSERT OR REPLACE INTO relationship_meta (name, value) VALUES "
                   "('notes_scanned_until', ?)", [newest])
    return found


def _save_notes(db: Database, row: dict[str, Any], now: str) -> int:
    from extract.notes import find_notes
    from extract.records import Document
    document = Document(url=row["canonical_url"], text=row["text"], title=row["title"],
                        published=row["published"])
    notes = find_notes(document)
    fields = ("korean_party", "partner", "partner_country", "note", "date", "evidence")
    stored = [tuple(r[f] for f in fields) for r in db.query(
        f"SELECT {', '.join(fields)} FROM relationship_notes WHERE document_id = ? ORDER BY id",
        [row["id"]])]
    if stored == [(n.korean_party, n.partner, n.partner_country, n.note, n.date, n.evidence)
                  for n in notes]:
        return 0
    db.execute("DELETE FROM relationship_notes WHERE document_id = ?", [row["id"]])
    for note in notes:
        db.table("relationship_notes").insert({
            "document_id": row["id"], "korean_party": note.korean_party, "partner": note.partner,
            "partner_country": note.partner_country, "note": note.note, "date": note.date,
            "evidence": note.evidence, "span_start": note.evidence_span[0],
            "span_end": note.evidence_span[1], "found_at": now})
    return max(len(notes), len(stored))


# ---------------------------------------------------------------- reviewers' statements

def set_state(db: Database, korean_party: str, partner: str, state: str, reviewer: str, now: str,
              *, date: str | None = None, reason: str | None = None,
              partner_country: str | None = None) -> Relationship:
    """A reviewer says the tie is `active`, `suspended` or `ended` (since `date`); appended to
    the relationship log. Refused when no relationship of that pair is known."""
    if state not in STATEMENT_STATES:
        raise StoreError(f"state must be one of {', '.join(STATEMENT_STATES)}, not {state!r}")
    if not reviewer:
        raise StoreError("a statement needs a reviewer name")
    target = find(current(db, now), korean_party, partner, partner_country)
    country = partner_country or target.partner_country
    db.table("relationship_log").insert({
        "korean_party": korean_party, "partner": partner, "partner_country": country,
        "state": state, "date": date or None, "reviewer": reviewer, "at": now, "reason": reason})
    return find(current(db, now), korean_party, partner, country)


def find(found: list[Relationship], korean_party: str, partner: str,
         partner_country: str | None = None) -> Relationship:
    """The relationship of this pair by name (either order for a domestic one)."""
    party_key, partner_key = normalise_place(korean_party), normalise_place(partner)
    wanted = {f"{party_key}>{partner_key}", "~".join(sorted((party_key, partner_key)))}
    for relationship in found:
        if partner_country and relationship.partner_country \
                and partner_country.upper() != relationship.partner_country.upper():
            continue
        theirs = normalise_place(relationship.korean_party), normalise_place(relationship.partner)
        key = "~".join(sorted(theirs)) if relationship.domestic else f"{theirs[0]}>{theirs[1]}"
        if key in wanted:
            return relationship
    raise StoreError(f"no relationship between {korean_party} and {partner} in the store")
