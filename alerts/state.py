"""Delivery state per channel and recipient (tables of migration m005_alerts).

What a recipient was sent is written only after its digest was delivered, in one transaction:
a failed send leaves everything pending, a crash between the send and this write can at worst
send the same digest again — never lose it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Protocol

from alerts.health import SourceWarning
from store import Store


class SentDigest(Protocol):
    """What the state records of a delivered digest (`alerts.digest.Digest` has it). The state
    comes before the digest in the flow — the digest reads what is pending from here — so it
    names the fields it writes instead of importing the digest."""

    @property
    def channel(self) -> str: ...
    @property
    def recipient(self) -> str: ...
    @property
    def subject(self) -> str: ...
    @property
    def event_ids(self) -> Sequence[int]: ...
    @property
    def corrections(self) -> Sequence[object]: ...
    @property
    def correction_log_ids(self) -> Sequence[int]: ...
    @property
    def warnings(self) -> Sequence[SourceWarning]: ...
    @property
    def log_watermark(self) -> int: ...


def horizon(store: Store, channel: str, recipient: str) -> str | None:
    """Events first seen before this never go to the recipient (None: not registered yet)."""
    row = next(store.db.query(
        "SELECT horizon FROM alert_recipients WHERE channel = ? AND recipient = ?",
        [channel, recipient]), None)
    return row["horizon"] if row else None


def register(store: Store, channel: str, recipient: str, first_horizon: str, now: str) -> None:
    """Fix a new recipient's horizon at its first real attempt, so that days of failed sends
    do not slide it past events still waiting."""
    with store.db.atomic():
        store.db.execute(
            """INSERT OR IGNORE INTO alert_recipients (channel, recipient, horizon, created_at)
               VALUES (?, ?, ?, ?)""", [channel, recipient, first_horizon, now])


def review_log_watermark(store: Store) -> int:
    return int(next(store.db.query("SELECT COALESCE(MAX(id), 0) AS top FROM review_log"))["top"])


def unsent_events(store: Store, channel: str, recipient: str, since: str) -> list[dict[str, Any]]:
    """Event rows first seen on or after `since`, not rejected, not merged away, never sent
    to this recipient — nor one a reviewer merged into them (the same agreement); oldest first."""
    merges = "merged_into" in store.db["events"].columns_dict
    merged = """AND e.merged_into IS NULL AND NOT EXISTS (
                    SELECT 1 FROM events m JOIN alert_sent_events s ON s.event_id = m.id
                    WHERE m.merged_into = e.id AND s.channel = :channel
                    AND s.recipient = :recipient)""" if merges else ""
    return list(store.db.query(
        f"""SELECT e.* FROM events e
            WHERE e.review_state != 'rejected' {merged} AND e.first_seen >= :since
              AND NOT EXISTS (SELECT 1 FROM alert_sent_events s WHERE s.channel = :channel
                              AND s.recipient = :recipient AND s.event_id = e.id)
            ORDER BY e.first_seen, e.id""",
        {"since": since, "channel": channel, "recipient": recipient}))


def unsent_corrections(store: Store, channel: str, recipient: str) -> list[dict[str, Any]]:
    """Corrections and rejections decided after the event was sent to this recipient and not
    reported to it yet, oldest first."""
    return list(store.db.query(
        """SELECT l.id, l.event_id, l.action, l.before, l.after, l.reason, l.at
           FROM review_log l
           JOIN alert_sent_events s ON s.event_id = l.event_id AND s.channel = ? AND s.recipient = ?
           WHERE l.action IN ('correct', 'reject') AND l.id > s.log_watermark
             AND NOT EXISTS (SELECT 1 FROM alert_sent_corrections c WHERE c.channel = ?
                             AND c.recipient = ? AND c.review_log_id = l.id)
           ORDER BY l.id""", [channel, recipient, channel, recipient]))


def last_warning_keys(store: Store, channel: str, recipient: str) -> frozenset[str]:
    """The source warnings the recipient's last delivered digest carried."""
    row = next(store.db.query(
        """SELECT warnings FROM alert_digests WHERE channel = ? AND recipient = ?
           ORDER BY id DESC LIMIT 1""", [channel, recipient]), None)
    return frozenset(json.loads(row["warnings"])) if row else frozenset()


def record_sent(store: Store, digest: SentDigest, sent_at: str) -> int:
    """The digest was delivered: its events and corrections are no longer pending."""
    channel, recipient = digest.channel, digest.recipient
    with store.db.atomic():
        cursor = store.db.execute(
            """INSERT INTO alert_digests (channel, recipient, sent_at, subject, events, corrections,
                   warnings, log_watermark) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            [channel, recipient, sent_at, digest.subject, len(digest.event_ids),
             len(digest.corrections), json.dumps(sorted(w.key for w in digest.warnings)),
             digest.log_watermark])
        digest_id = int(cursor.lastrowid or 0)
        for event_id in digest.event_ids:
            store.db.execute(
                """INSERT OR IGNORE INTO alert_sent_events
                       (channel, recipient, event_id, digest_id, log_watermark)
                   VALUES (?, ?, ?, ?, ?)""",
                [channel, recipient, event_id, digest_id, digest.log_watermark])
        for log_id in digest.correction_log_ids:
            store.db.execute(
                """INSERT OR IGNORE INTO alert_sent_corrections
                       (channel, recipient, review_log_id, digest_id) VALUES (?, ?, ?, ?)""",
                [channel, recipient, log_id, digest_id])
    return digest_id


def delivered(store: Store, channel: str | None = None) -> list[dict[str, Any]]:
    """The log of delivered digests, newest first."""
    where, params = ("WHERE channel = ?", [channel]) if channel else ("", [])
    return list(store.db.query(f"SELECT * FROM alert_digests {where} ORDER BY id DESC", params))
