"""The SQLite store: documents (kept or dropped, with why), events, mentions, sources' health.

One `Store` per process or thread. Each `save` writes a document and its events in one
transaction: a crash (even SIGKILL) leaves either all of it or none of it.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from extract.records import Document, Event
from twinwatch import validation
from twinwatch.config import Config
from store import curation, events_writer, relationships, review, search
from store.connection import BUSY_TIMEOUT_SECONDS, connect, database_problem
from store.migrations import DISCOVERED_VIA, migrate
from store.place_refresh import PlaceRefresh, Resolver, refresh_places
from store.relationship_model import Relationship
from store.records import (DocumentRow, Mention, Retrieval, ReviewEntry, SaveOutcome, SaveResult,
                           SearchHit, SourceHealth, StoreError, bytes_hash, text_hash)

_CONTENT_COLUMNS = ("title", "published", "text", "charset", "format", "content_hash", "raw_zlib",
                    "content_type")  # a reviewer's write may wait for a crawl's transaction to end


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    """Opens (or creates) the database at `path`, in WAL mode, and applies pending migrations."""

    def __init__(self, path: str | Path, *, keep_raw: bool = False, create: bool = True) -> None:
        self.path = Path(path)
        if not create and not self.path.exists():
            raise StoreError(f"no database at {self.path} — run `twinwatch crawl` first")
        if not self.path.parent.is_dir():
            raise StoreError(f"cannot create the database {self.path}: no folder {self.path.parent}")
        self.keep_raw = keep_raw
        self.db = connect(self.path, BUSY_TIMEOUT_SECONDS)
        try:
            # WAL: readers (review page, digests) never block the crawler's writes, and a
            # killed writer leaves the last committed transaction intact.
            self.db.enable_wal()
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA synchronous = NORMAL")
            migrate(self.db, self.path)
        except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:  # not a database, corrupt,
            self.db.close()  # locked … (SQLite's message itself may hold the damaged bytes)
            raise StoreError(database_problem(self.path, exc)) from None

    @classmethod
    def from_config(cls, config: Config, *, create: bool = True) -> "Store":
        """The store a run's config names (`[store] path`, `keep_raw`)."""
        return cls(config.store.path, keep_raw=config.store.keep_raw, create=create)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator["Store"]:
        """Group several calls into one transaction (nested calls become savepoints)."""
        with self.db.atomic():
            yield self

    # --- documents -------------------------------------------------------------------------

    def save(self, document: Document | None, events: list[Event], *,
             retrieval: Retrieval | None = None, source: str | None = None,
             discovered_via: str | None = None, drop_reason: str | None = None,
             keep_raw: bool | None = None, url: str | None = None, force: bool = False) -> SaveResult:
        """A document and its events, in one transaction. The usual entry point of the pipeline.

        `retrieval` says how the document reached us (None: imported, nothing fetched);
        `force` re-saves the events even when the text is unchanged (a better extractor)."""
        with self.db.atomic():
            document_id = self.save_document(
                document, retrieval=retrieval, source=source, discovered_via=discovered_via,
                drop_reason=drop_reason, keep_raw=keep_raw, url=url)
            outcome = self.save_events(document_id, events, force=force)
        return SaveResult(document_id, outcome)

    def save_document(self, document: Document | None, *, retrieval: Retrieval | None = None,
                      source: str | None = None, discovered_via: str | None = None,
                      drop_reason: str | None = None, keep_raw: bool | None = None,
                      url: str | None = None) -> int:
        """Insert or update the document under its canonical URL; returns its id.

        The URL is `url`, else `retrieval.url`, else `document.url` — callers pass it canonical.
        A drop (`drop_reason`, e.g. "fetch_error: 503", "off_topic") is recorded too, but never
        replaces a readable copy stored earlier under the same URL.
        """
        row = _document_columns(retrieval, document, url=url, source=source,
                                discovered_via=discovered_via, drop_reason=drop_reason,
                                keep_raw=self.keep_raw if keep_raw is None else keep_raw)
        with self.db.atomic():
            if row["source"]:
                self._ensure_source(row["source"])
            existing = self._document(row["canonical_url"])
            now = utc_now()
            if existing is None:
                row.update(first_saved_at=now, updated_at=now)
                return events_writer.inserted_id(self.db.table("documents").insert(row).last_pk)
            readable = existing["drop_reason"] is None and existing["text"] is not None
            if drop_reason and readable:
                return int(existing["id"])
            if document is None and readable:  # e.g. a 304: the stored copy stands
                row = {k: v for k, v in row.items() if k not in _CONTENT_COLUMNS
                       and not (k in ("etag", "last_modified") and v is None)}
                if retrieval is not None and retrieval.not_modified:
                    row.pop("http_status", None)
            row["updated_at"] = now
            self.db.table("documents").update(existing["id"], row)
            return int(existing["id"])

    def save_events(self, document_id: int, events: list[Event], *, force: bool = False) -> SaveOutcome:
        """Attach the document's events (see `store.identity`); nothing if its text is unchanged
        since they were last saved, unless `force`."""
        with self.db.atomic():
            doc = self._document_by_id(document_id)
            if not force and doc["events_hash"] is not None and doc["events_hash"] == doc["content_hash"]:
                return SaveOutcome(unchanged=True)
            outcome = events_writer.save_events(self.db, document_id, events, utc_now())
            self.db.execute("UPDATE documents SET events_hash = content_hash WHERE id = ?",
                            [document_id])
            return outcome

    def known_url(self, url: str) -> DocumentRow | None:
        """The stored document under this canonical URL (its ETag, Last-Modified, drop reason)."""
        row = self._document(url)
        return DocumentRow.from_row(row) if row else None

    def raw_body(self, document_id: int) -> bytes | None:
        """The page's bytes as fetched, when they were kept (`keep_raw`)."""
        row = self._document_by_id(document_id)
        return zlib.decompress(row["raw_zlib"]) if row["raw_zlib"] is not None else None

    def document(self, document_id: int) -> dict[str, Any]:
        """Every column of a document except its raw bytes."""
        row = self._document_by_id(document_id)
        row.pop("raw_zlib", None)
        return row

    def _document(self, url: str) -> dict[str, Any] | None:
        return next(self.db.query("SELECT * FROM documents WHERE canonical_url = ?", [url]), None)

    def _document_by_id(self, document_id: int) -> dict[str, Any]:
        row = next(self.db.query("SELECT * FROM documents WHERE id = ?", [document_id]), None)
        if row is None:
            raise StoreError(f"no document with id {document_id}")
        return row

    # --- sources ---------------------------------------------------------------------------

    def _ensure_source(self, name: str, kind: str | None = None, url: str | None = None) -> None:
        self.db.execute("INSERT OR IGNORE INTO sources (name, kind, url) VALUES (?, ?, ?)",
                        [name, kind, url])

    def register_source(self, name: str, kind: str | None, url: str | None) -> None:
        """Record a configured source (kind and URL as the config now says)."""
        with self.db.atomic():
            self._ensure_source(name)
            self.db.execute("UPDATE sources SET kind = ?, url = ? WHERE name = ?", [kind, url, name])

    def record_source_attempt(self, name: str, ok: bool, error: str | None = None,
                              links: int | None = None, new_items: int = 0) -> None:
        """One run of a source: success resets the failure count, failure adds one."""
        now = utc_now()
        with self.db.atomic():
            self._ensure_source(name)
            if ok:
                self.db.execute(
                    """UPDATE sources SET last_attempt = ?, last_success = ?, last_error = NULL,
                       consecutive_failures = 0 WHERE name = ?""", [now, now, name])
            else:
                self.db.execute(
                    """UPDATE sources SET last_attempt = ?, last_error = ?,
                       consecutive_failures = consecutive_failures + 1 WHERE name = ?""",
                    [now, error, name])
            if links is not None:
                self.db.execute("UPDATE sources SET links_last_run = ? WHERE name = ?", [links, name])
            if new_items > 0:
                self.db.execute(
                    """UPDATE sources SET last_new_item = ?, items_total = items_total + ?
                       WHERE name = ?""", [now, new_items, name])

    def source_health(self) -> list[SourceHealth]:
        return [SourceHealth.from_row(row) for row in self.db.query("SELECT * FROM source_health")]

    # --- events ----------------------------------------------------------------------------

    def events(self, since: str | None = None, review_state: str | None = None) -> list[dict[str, Any]]:
        """EVENT objects as `extract` prints them, plus id, review_state, first_seen, last_seen
        and source_urls; `since` (YYYY-MM-DD) keeps events first seen on or after that day."""
        where, params = ["merged_into IS NULL"], []  # a merged event lives on in another
        if since:
            where.append("first_seen >= ?")
            params.append(since)
        if review_state:
            where.append("review_state = ?")
            params.append(review_state)
        rows = list(self.db.query(
            f"SELECT * FROM events WHERE {' AND '.join(where)} ORDER BY id", params))
        urls = self._source_urls([row["id"] for row in rows] if since or review_state else None)
        return [_event_output(row, urls.get(row["id"], [])) for row in rows]

    def event(self, event_id: int) -> dict[str, Any] | None:
        """One event (merged ones too: `merged_into` then names the event it became)."""
        row = next(self.db.query("SELECT * FROM events WHERE id = ?", [event_id]), None)
        if row is None:
            return None
        data = _event_output(row, self._source_urls([event_id]).get(event_id, []))
        data.update(merged_into=row["merged_into"], evidence_document_id=row["evidence_document_id"])
        return data

    def _source_urls(self, event_ids: list[int] | None) -> dict[int, list[str]]:
        """Event id → URLs of its mentions, oldest mention first (all events when ids is None)."""
        sql = """SELECT m.event_id, d.canonical_url FROM mentions m
                 JOIN documents d ON d.id = m.document_id"""
        params: list[Any] = []
        if event_ids is not None:
            sql += " WHERE m.event_id IN (SELECT value FROM json_each(?))"
            params.append(json.dumps(event_ids))
        urls: dict[int, list[str]] = {}
        for row in self.db.query(sql + " ORDER BY m.id", params):
            urls.setdefault(row["event_id"], []).append(row["canonical_url"])
        return urls

    def mentions(self, event_id: int, *, absorbed: bool = False) -> list[Mention]:
        """The event's mentions; with `absorbed`, also those left on events merged into it
        (each keeps its own `event_id`), which `split` may take out."""
        ids = [event_id] + ([r["id"] for r in self.db.query(
            f"{curation.ABSORBED_EVENTS} SELECT id FROM absorbed", [event_id])] if absorbed else [])
        rows = self.db.query(
            """SELECT m.*, d.canonical_url AS url, d.title, d.published, d.source
               FROM mentions m JOIN documents d ON d.id = m.document_id
               WHERE m.event_id IN (SELECT value FROM json_each(?)) ORDER BY m.id""",
            [json.dumps(ids)])
        return [Mention(
            id=r["id"], event_id=r["event_id"], document_id=r["document_id"], url=r["url"],
            title=r["title"], published=r["published"], source=r["source"],
            agreement_type=r["agreement_type"], date=r["date"], status=r["status"],
            evidence=r["evidence"],
            evidence_span=(r["span_start"], r["span_end"]) if r["span_start"] is not None else None,
            extracted_at=r["extracted_at"]) for r in rows]

    # --- review, search, backup ----------------------------------------------------------------

    def review(self, event_id: int, action: str, reviewer: str, after: dict[str, Any] | None = None,
               reason: str | None = None) -> dict[str, Any]:
        """confirm | correct (with `after`: the fields to change) | reject; logged. Returns the event."""
        with self.db.atomic():
            review.apply(self.db, event_id, action, reviewer, after, reason, utc_now())
        return self.event(event_id) or {}

    def review_log(self, event_id: int | None = None) -> list[ReviewEntry]:
        return review.entries(self.db, event_id)

    def history(self, event_id: int) -> list[ReviewEntry]:
        """The event's decisions, with merges and splits that moved mentions to or from it."""
        return curation.history(self.db, event_id)

    def merge(self, kept_id: int, merged_id: int, reviewer: str, reason: str | None = None,
              *, force: bool = False) -> int:
        """Two events are one agreement: `merged_id`'s mentions join `kept_id`. Returns its log
        id. Events of different pairs merge only with `force` (else `curation.PairsDiffer`)."""
        with self.db.atomic():
            return curation.merge(self.db, kept_id, merged_id, reviewer, reason, utc_now(),
                                  force=force)

    def split(self, event_id: int, mention_ids: list[int], reviewer: str,
              reason: str | None = None) -> int:
        """These mentions report another agreement: they become a new event, whose id is returned."""
        with self.db.atomic():
            return curation.split(self.db, event_id, mention_ids, reviewer, reason, utc_now())

    def add_event(self, document_id: int, fields: dict[str, Any], span: tuple[int, int],
                  reviewer: str, reason: str | None = None) -> int:
        """An event the extractor missed, from the document's text at `span`; returns its id."""
        with self.db.atomic():
            return curation.add_event(self.db, document_id, fields, span, reviewer, reason,
                                      utc_now())

    def confirm_many(self, event_ids: list[int], reviewer: str) -> str:
        """Confirm several events at once (all or none); one undo reverts them together."""
        with self.db.atomic():
            return curation.confirm_many(self.db, event_ids, reviewer, utc_now())

    def undo(self, reviewer: str) -> list[ReviewEntry]:
        """Revert the reviewer's last decision (see `store.curation.undo`); the undo entries."""
        with self.db.atomic():
            return curation.undo(self.db, reviewer, utc_now())

    def refresh_places(self, resolve: Resolver) -> PlaceRefresh:
        """Bring stored events' partner ids and canonical names up to a newer gazetteer
        (`resolve(row) -> (canonical, place_id)`; see `store.place_refresh`)."""
        with self.db.atomic():
            return refresh_places(self.db, resolve, utc_now())

    def relationships(self) -> list["Relationship"]:
        """One relationship per (Korean party, partner), derived from the events as they now
        are (see `store.relationships`: derived on read, cached in the `relationships` table)."""
        return relationships.current(self.db, utc_now())

    def set_relationship_state(self, korean_party: str, partner: str, state: str, reviewer: str,
                               *, date: str | None = None, reason: str | None = None,
                               partner_country: str | None = None) -> "Relationship":
        """A reviewer says a tie is active, suspended or ended (relationship_log, append-only)."""
        try:
            date = validation.calendar_date(date, "date") if date else None
            partner_country = validation.country_code(partner_country) if partner_country else None
        except validation.InvalidValue as exc:
            raise StoreError(str(exc)) from None
        with self.db.atomic():
            return relationships.set_state(self.db, korean_party, partner, state, reviewer,
                                           utc_now(), date=date, reason=reason,
                                           partner_country=partner_country)

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Documents whose title or text contains every word of `query` (substrings count)."""
        return search.search_documents(self.db, query, limit)

    def backup(self, path: str | Path) -> Path:
        """A consistent copy of the live database (SQLite backup API), written to a new file
        and checked (`PRAGMA integrity_check`); a copy that fails the check is removed."""
        target = Path(path)
        if target.exists():
            raise StoreError(f"backup target already exists: {target}")
        if not target.parent.is_dir():
            raise StoreError(f"cannot write the backup {target}: no folder {target.parent}")
        try:
            copy = sqlite3.connect(str(target))
            try:
                self.db.conn.backup(copy)
                problems = [row[0] for row in copy.execute("PRAGMA integrity_check")]
            finally:
                copy.close()
        except sqlite3.DatabaseError as exc:
            target.unlink(missing_ok=True)
            raise StoreError(database_problem(self.path, exc)) from None
        if problems != ["ok"]:
            target.unlink(missing_ok=True)
            raise StoreError(f"the copy of {self.path} fails its integrity check ({problems[0]}"
                             f"{f' and {len(problems) - 1} more' if len(problems) > 1 else ''}):"
                             f" the database is damaged — no backup written")
        return target


def _event_output(row: dict[str, Any], source_urls: list[str]) -> dict[str, Any]:
    """The EVENT object as `extract` prints it, then the store's own fields."""
    data = events_writer.event_from_row(row).to_dict()
    data.update(id=row["id"], review_state=row["review_state"], first_seen=row["first_seen"],
                last_seen=row["last_seen"], source_urls=source_urls)
    return data


def _document_columns(retrieval: Retrieval | None, document: Document | None, *, url: str | None,
                      source: str | None, discovered_via: str | None, drop_reason: str | None,
                      keep_raw: bool) -> dict[str, Any]:
    got = retrieval or Retrieval()
    canonical_url = url or got.url or (document.url if document else None)
    if not canonical_url:
        raise StoreError("a document needs a URL (from the retrieval, the document or url=)")
    via = discovered_via or got.discovered_via or "import"
    if via not in DISCOVERED_VIA:
        raise StoreError(f"discovered_via must be one of {', '.join(DISCOVERED_VIA)}, not {via!r}")
    body = got.raw
    row: dict[str, Any] = {
        "canonical_url": canonical_url,
        "source": source or got.source,
        "discovered_via": via,
        "drop_reason": drop_reason,
        "final_url": got.final_url or (document.final_url if document else None),
        "fetched_at": got.fetched_at if got.fetched_at is not None else utc_now(),
        "http_status": got.http_status,
        "etag": got.etag,
        "last_modified": got.last_modified,
        "content_type": got.content_type,
        "title": (document.title if document else None) or got.listed_title,
        "published": (document.published if document else None) or got.listed_published,
        "charset": document.charset if document else None,
        "format": document.format if document else None,
        "text": document.text if document else None,
        "content_hash": text_hash(document.text) if document else (bytes_hash(body) if body else None),
        "raw_zlib": zlib.compress(body) if keep_raw and body else None,
    }
    return row
