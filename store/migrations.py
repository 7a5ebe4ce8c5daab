"""Numbered schema steps, applied in order when a `Store` opens.

sqlite-utils' `Migrations` records each applied step in `_sqlite_migrations` (set "twinwatch"),
inside the same transaction as the step, so a step is either applied and recorded or neither.
Add a new step at the end with the next number; never edit a step that has shipped — a database
created by it already exists somewhere.
"""

from __future__ import annotations

import fcntl
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("twinwatch")

DISCOVERED_VIA = ("live", "backfill", "import")
REVIEW_STATES = ("new", "confirmed", "corrected", "rejected")

_M001_TABLES = f"""
CREATE TABLE sources (
    name TEXT PRIMARY KEY,
    kind TEXT,
    url TEXT,
    last_attempt TEXT,
    last_success TEXT,
    last_new_item TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    links_last_run INTEGER,
    items_total INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    canonical_url TEXT NOT NULL UNIQUE,
    title TEXT,
    published TEXT,
    source TEXT REFERENCES sources(name),
    discovered_via TEXT NOT NULL CHECK (discovered_via IN {DISCOVERED_VIA!r}),
    drop_reason TEXT,
    final_url TEXT,
    fetched_at TEXT,
    http_status INTEGER,
    etag TEXT,
    last_modified TEXT,
    content_type TEXT,
    charset TEXT,
    format TEXT,
    content_hash TEXT,
    events_hash TEXT,  -- content_hash of the text whose events were last saved
    text TEXT,
    raw_zlib BLOB,
    first_saved_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX documents_source ON documents(source);
CREATE INDEX documents_drop_reason ON documents(drop_reason);
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    korean_party TEXT NOT NULL,
    korean_province TEXT,
    partner TEXT NOT NULL,
    partner_canonical TEXT,
    partner_country TEXT,
    partner_region TEXT,
    partner_province TEXT,
    agreement_type TEXT NOT NULL,
    date TEXT,
    status TEXT NOT NULL,
    review_state TEXT NOT NULL DEFAULT 'new' CHECK (review_state IN {REVIEW_STATES!r}),
    confidence REAL,
    evidence TEXT,
    evidence_span TEXT,  -- JSON [start, end] into the text of evidence_document_id
    evidence_document_id INTEGER REFERENCES documents(id),
    place_ids TEXT,  -- JSON object
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX events_first_seen ON events(first_seen);
CREATE INDEX events_review_state ON events(review_state);
-- Identity keys of an event: every normalised (party, partner) spelling any mention or a
-- reviewer gave it; a new report joins an event sharing one of its keys (store/identity.py).
CREATE TABLE event_keys (
    pair_key TEXT NOT NULL,
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    PRIMARY KEY (pair_key, event_id)
) WITHOUT ROWID;
CREATE INDEX event_keys_event ON event_keys(event_id);
CREATE TABLE mentions (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events(id),
    document_id INTEGER NOT NULL REFERENCES documents(id),
    agreement_type TEXT NOT NULL,
    date TEXT,
    status TEXT NOT NULL,
    korean_party TEXT NOT NULL,
    partner TEXT NOT NULL,
    evidence TEXT,
    span_start INTEGER,
    span_end INTEGER,
    confidence REAL,
    extracted TEXT NOT NULL,  -- the whole EVENT object as the extractor gave it (JSON)
    extracted_at TEXT NOT NULL,
    UNIQUE (event_id, document_id)
);
CREATE INDEX mentions_document ON mentions(document_id);
CREATE TABLE review_log (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events(id),
    reviewer TEXT NOT NULL,
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    before TEXT,  -- JSON: the event's fields before the decision
    after TEXT,  -- JSON: the event's fields after it
    reason TEXT
);
CREATE INDEX review_log_event ON review_log(event_id);
CREATE TRIGGER review_log_no_update BEFORE UPDATE ON review_log
BEGIN
    SELECT RAISE(ABORT, 'review_log is append-only: entries cannot be changed');
END;
CREATE TRIGGER review_log_no_delete BEFORE DELETE ON review_log
BEGIN
    SELECT RAISE(ABORT, 'review_log is append-only: entries cannot be deleted');
END;
"""


@MIGRATIONS(name="m001_tables")
def m001_tables(db: Database) -> None:
    db.executescript(_M001_TABLES)


@MIGRATIONS(name="m002_documents_fts")
def m002_documents_fts(db: Database) -> None:
    # trigram: finds any substring of 3+ characters, so 훈춘 inside 훈춘시와 is found once the
    # query has 3 characters; shorter queries fall back to LIKE (Store.search).
    db.table("documents").enable_fts(["title", "text"], tokenize="trigram", create_triggers=True)


_M003_VIEWS = """
CREATE VIEW events_with_sources AS
SELECT e.id, e.review_state, e.korean_party, e.korean_province, e.partner, e.partner_country,
       e.agreement_type, e.date, e.status, e.confidence, e.evidence,
       COUNT(m.id) AS mentions,
       GROUP_CONCAT(d.canonical_url, ' ') AS source_urls,
       e.first_seen, e.last_seen
FROM events e
LEFT JOIN mentions m ON m.event_id = e.id
LEFT JOIN documents d ON d.id = m.document_id
GROUP BY e.id
ORDER BY e.id;
CREATE VIEW dropped_documents AS
SELECT id, canonical_url, source, drop_reason, http_status, fetched_at, discovered_via
FROM documents WHERE drop_reason IS NOT NULL
ORDER BY fetched_at DESC;
CREATE VIEW source_health AS
SELECT s.name, s.kind, s.consecutive_failures, s.last_error, s.last_attempt, s.last_success,
       s.last_new_item, s.links_last_run, s.items_total,
       (SELECT COUNT(*) FROM documents d WHERE d.source = s.name) AS documents,
       (SELECT COUNT(*) FROM documents d WHERE d.source = s.name AND d.drop_reason IS NOT NULL)
           AS dropped,
       s.url
FROM sources s ORDER BY s.name;
"""


@MIGRATIONS(name="m003_views")
def m003_views(db: Database) -> None:
    db.executescript(_M003_VIEWS)


def migrate(db: Database, path: Path | None = None) -> None:
    """Apply every pending step; a no-op on an up-to-date database.

    Two processes opening a new database at once (a crawl and the review page) would both see
    the same steps pending and the second would fail on "table already exists"; a lock file
    beside the database lets one apply them while the other waits and then finds none pending.
    """
    if not MIGRATIONS.pending(db):
        return
    with _exclusive(path):
        MIGRATIONS.apply(db)


@contextmanager
def _exclusive(path: Path | None) -> Iterator[None]:
    if path is None:
        yield
        return
    with open(path.with_name(path.name + ".migrate-lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


_M004_CURATION = """
-- A merged event stays (the review log may point at it) but leads to the event it became.
ALTER TABLE events ADD COLUMN merged_into INTEGER REFERENCES events(id);
CREATE INDEX events_merged_into ON events(merged_into);
-- What a merge, split, addition or correction moved (mention ids, identity keys), so that the
-- decision can be undone exactly (`undoes` names the entry an undo reverted).
ALTER TABLE review_log ADD COLUMN details TEXT;
ALTER TABLE review_log ADD COLUMN undoes INTEGER REFERENCES review_log(id);
"""


@MIGRATIONS(name="m004_curation")
def m004_curation(db: Database) -> None:
    # One statement at a time: executescript would commit before the step is recorded.
    for statement in _M004_CURATION.split(";"):
        code = "\n".join(line for line in statement.splitlines() if not line.startswith("--"))
        if code.strip():
            db.execute(code)


# Digest delivery state (alerts/): what each channel+recipient was sent, so an event goes out
# once and a later correction of it once; rows are written only after a successful send.
# Source health gains what "no new item for N days" and "the list page suddenly yields no
# links" need; triggers keep them, so the code that records a run needs no change.
_M005_ALERTS = (
    """CREATE TABLE alert_recipients (
        channel TEXT NOT NULL,
        recipient TEXT NOT NULL,
        horizon TEXT NOT NULL,  -- events first seen before this never go to this recipient
        created_at TEXT NOT NULL,
        PRIMARY KEY (channel, recipient))""",
    """CREATE TABLE alert_digests (
        id INTEGER PRIMARY KEY,
        channel TEXT NOT NULL,
        recipient TEXT NOT NULL,
        sent_at TEXT NOT NULL,
        subject TEXT NOT NULL,
        events INTEGER NOT NULL,
        corrections INTEGER NOT NULL,
        warnings TEXT NOT NULL,  -- JSON list of the source warnings' keys it carried
        log_watermark INTEGER NOT NULL)  -- the highest review_log id when it was built""",
    "CREATE INDEX alert_digests_recipient ON alert_digests(channel, recipient, id)",
    """CREATE TABLE alert_sent_events (
        channel TEXT NOT NULL,
        recipient TEXT NOT NULL,
        event_id INTEGER NOT NULL REFERENCES events(id),
        digest_id INTEGER NOT NULL REFERENCES alert_digests(id),
        log_watermark INTEGER NOT NULL,  -- review decisions above this came after it was sent
        PRIMARY KEY (channel, recipient, event_id)) WITHOUT ROWID""",
    """CREATE TABLE alert_sent_corrections (
        channel TEXT NOT NULL,
        recipient TEXT NOT NULL,
        review_log_id INTEGER NOT NULL REFERENCES review_log(id),
        digest_id INTEGER NOT NULL REFERENCES alert_digests(id),
        PRIMARY KEY (channel, recipient, review_log_id)) WITHOUT ROWID""",
    "ALTER TABLE sources ADD COLUMN first_attempt TEXT",
    "ALTER TABLE sources ADD COLUMN links_last_nonzero INTEGER",
    "ALTER TABLE sources ADD COLUMN links_last_nonzero_at TEXT",
    """UPDATE sources SET first_attempt = last_attempt,
        links_last_nonzero = NULLIF(links_last_run, 0),
        links_last_nonzero_at = CASE WHEN links_last_run > 0 THEN last_attempt END""",
    """CREATE TRIGGER sources_first_attempt AFTER UPDATE OF last_attempt ON sources
       WHEN NEW.first_attempt IS NULL AND NEW.last_attempt IS NOT NULL
       BEGIN UPDATE sources SET first_attempt = NEW.last_attempt WHERE name = NEW.name; END""",
    """CREATE TRIGGER sources_links_nonzero AFTER UPDATE OF links_last_run ON sources
       WHEN NEW.links_last_run > 0
       BEGIN UPDATE sources SET links_last_nonzero = NEW.links_last_run,
             links_last_nonzero_at = NEW.last_attempt WHERE name = NEW.name; END""",
)


@MIGRATIONS(name="m005_alerts")
def m005_alerts(db: Database) -> None:
    for statement in _M005_ALERTS:  # one at a time: executescript would commit mid-step
        db.execute(statement)


# Relationships (store/relationships.py): one per (Korean party, partner), derived from events.
# `relationships` is a cache of that derivation, rewritten whenever a reader finds the events,
# mentions, notes or reviewer states changed — so datasette shows it as of the last read.
# `relationship_notes`: notes found in stored pages (a tie suspended/ended/resumed);
# `relationship_log`: reviewers' statements about a tie's state, append-only like review_log.
_M006_RELATIONSHIPS = (
    """CREATE TABLE relationship_notes (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id),
        korean_party TEXT NOT NULL,
        partner TEXT NOT NULL,
        partner_country TEXT,
        note TEXT NOT NULL CHECK (note IN ('suspended', 'ended', 'resumed')),
        date TEXT,
        evidence TEXT,
        span_start INTEGER,
        span_end INTEGER,
        found_at TEXT NOT NULL)""",
    "CREATE INDEX relationship_notes_document ON relationship_notes(document_id)",
    """CREATE TABLE relationship_log (
        id INTEGER PRIMARY KEY,
        korean_party TEXT NOT NULL,
        partner TEXT NOT NULL,
        partner_country TEXT,
        state TEXT NOT NULL CHECK (state IN ('active', 'suspended', 'ended')),
        date TEXT,
        reviewer TEXT NOT NULL,
        at TEXT NOT NULL,
        reason TEXT)""",
    """CREATE TRIGGER relationship_log_no_update BEFORE UPDATE ON relationship_log
       BEGIN SELECT RAISE(ABORT, 'relationship_log is append-only: entries cannot be changed'); END""",
    """CREATE TRIGGER relationship_log_no_delete BEFORE DELETE ON relationship_log
       BEGIN SELECT RAISE(ABORT, 'relationship_log is append-only: entries cannot be deleted'); END""",
    """CREATE TABLE relationships (
        id TEXT PRIMARY KEY,  -- the pair's key, as store.relationships derives it
        korean_party TEXT NOT NULL,
        korean_province TEXT,
        partner TEXT NOT NULL,
        partner_country TEXT,
        partner_region TEXT,
        domestic INTEGER NOT NULL,
        stage TEXT,  -- the highest signed agreement type
        state TEXT NOT NULL,  -- active | planned | suspended | ended
        state_date TEXT,
        first_date TEXT,
        last_date TEXT,
        event_ids TEXT NOT NULL,  -- JSON list
        steps TEXT NOT NULL,  -- JSON: the dated chronology with sources
        refreshed_at TEXT NOT NULL)""",
    """CREATE TABLE relationship_meta (
        name TEXT PRIMARY KEY,  -- fingerprint | notes_scanned_until
        value TEXT)""",
)


@MIGRATIONS(name="m006_relationships")
def m006_relationships(db: Database) -> None:
    for statement in _M006_RELATIONSHIPS:  # one at a time: executescript would commit mid-step
        db.execute(statement)


# Where each field's words stand in the evidence document's text, and the reasons behind the
# confidence (both JSON, NULL for events extracted before the extractor gave them).
@MIGRATIONS(name="m007_field_spans")
def m007_field_spans(db: Database) -> None:
    db.execute("ALTER TABLE events ADD COLUMN field_spans TEXT")
    db.execute("ALTER TABLE events ADD COLUMN why TEXT")
