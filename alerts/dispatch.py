"""Sending the digests: every recipient of every configured channel, each on its own.

A recipient's digest is recorded as sent only after its channel accepted it; a failure is
logged and leaves that recipient's events pending while the others go on.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator, Sequence

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

from alerts import state
from alerts.channels import DeliveryError, send_email, send_webhook, write_file
from alerts.config import CHANNELS, AlertsConfig, Recipient, alerts_config
from alerts.digest import SEOUL, Digest, build_digest, first_horizon
from alerts.health import SourceWarning, source_warnings
from alerts.render import render_text
from store import Store
from twinwatch.config import Config
from twinwatch.errors import ConfigError

log = logging.getLogger(__name__)
PREVIEW_RECIPIENT = "preview"


@dataclass(frozen=True, slots=True)
class Delivery:
    """What happened to one recipient's digest."""

    digest: Digest
    outcome: str  # sent | failed | nothing_new | dry_run
    detail: str = ""  # where it went, or why it failed

    @property
    def channel(self) -> str:
        return self.digest.channel

    @property
    def recipient(self) -> str:
        return self.digest.recipient


def _sender(channel: str, settings: AlertsConfig) -> Callable[[Digest, Recipient], str]:
    if channel == "email":
        return lambda digest, recipient: send_email(digest, settings.email, recipient)
    if channel == "webhook":
        return lambda digest, recipient: send_webhook(digest, settings.webhook, recipient)
    return lambda digest, recipient: write_file(digest, settings.file, recipient)


def deliver(store: Store, channel: str, recipient: Recipient, settings: AlertsConfig, *,
            warnings: Sequence[SourceWarning], now: datetime, since: str | None = None,
            dry_run: bool = False) -> Delivery:
    """Build, send and record one recipient's digest."""
    stamp = now.astimezone(timezone.utc).isoformat(timespec="seconds")
    if not dry_run:
        state.register(store, channel, recipient.key, first_horizon(now, settings), stamp)
    digest = build_digest(store, channel, recipient, since=since, now=now, warnings=warnings,
                          settings=settings)
    if dry_run:
        return Delivery(digest, "dry_run")
    if not digest.has_news and not settings.send_empty:
        return Delivery(digest, "nothing_new")
    try:
        where = _sender(channel, settings)(digest, recipient)
    except DeliveryError as exc:
        log.warning("digest for %s %s not sent (stays pending): %s", channel, recipient.key, exc)
        return Delivery(digest, "failed", str(exc))
    state.record_sent(store, digest, stamp)
    log.info("digest sent: %s (%d events, %d corrections)", where, len(digest.event_ids),
             len(digest.corrections))
    return Delivery(digest, "sent", where)


def send_digests(store: Store, config: Config, *, channels: Sequence[str] | None = None,
                 dry_run: bool = False, since: str | None = None,
                 now: datetime | None = None, scheduled: bool = False) -> list[Delivery]:
    """Every recipient of the chosen (default: every configured) channel. `dry_run` builds the
    digests and changes nothing; `scheduled` (the daily job) skips weekly recipients except on
    their day of the week in Seoul — their events wait, pending, until then."""
    settings = alerts_config(config)
    for channel in channels or ():
        if channel not in CHANNELS:
            raise ConfigError(f"unknown alert channel {channel!r} (one of {', '.join(CHANNELS)})")
        if not settings.recipients(channel):
            raise ConfigError(f"[alerts.{channel}] has no recipients")
    now = now or datetime.now(timezone.utc)
    warnings = source_warnings(store, config, now)
    deliveries = []
    with (nullcontext() if dry_run else sending_lock(store.path)):
        for channel in channels or settings.active_channels():
            for recipient in settings.recipients(channel):
                if scheduled and not recipient.due(now.astimezone(SEOUL).weekday()):
                    continue
                deliveries.append(deliver(store, channel, recipient, settings, warnings=warnings,
                                          now=now, since=since, dry_run=dry_run))
    return deliveries


@contextmanager
def sending_lock(database: Path) -> Iterator[None]:
    """One sender per database at a time: `twinwatch run`'s job and a manual `twinwatch digest`
    would otherwise both read the same events as pending and both send them. The second waits,
    then finds them sent."""
    if fcntl is None:  # not on POSIX: no lock, as before
        yield
        return
    with open(f"{database}.digest-lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def send_daily_digest(config: Config, store: Store) -> list[Delivery]:
    """The `twinwatch run` digest job (twinwatch/app/scheduler.py runs it at `digest_time`)."""
    if not alerts_config(config).active_channels():
        log.warning("digest time, but no alert recipients are configured ([alerts.*] recipients)")
        return []
    deliveries = send_digests(store, config, scheduled=True)
    for delivery in deliveries:
        log.info("digest %s %s: %s %s", delivery.channel, delivery.recipient, delivery.outcome,
                 delivery.detail)
    return deliveries


def preview_digest(store: Store, config: Config, *, now: datetime | None = None) -> str:
    """The plain-text digest an unfiltered recipient would get now (a dry run: nothing is
    recorded), with the sources' health warnings."""
    settings = alerts_config(config)
    now = now or datetime.now(timezone.utc)
    digest = build_digest(store, "preview", PREVIEW_RECIPIENT, now=now, settings=settings,
                          warnings=source_warnings(store, config, now))
    return render_text(digest)


TEST_PREFIX = "[시험 발송] "


def find_recipient(settings: AlertsConfig, key: str,
                   channels: Sequence[str] | None = None) -> tuple[str, Recipient]:
    """The configured recipient named `key` (an address or a name), with its channel. An
    address nobody configured is taken as a new e-mail recipient when e-mail is set up."""
    for channel in channels or CHANNELS:
        for recipient in settings.recipients(channel):
            if recipient.key == key:
                return channel, recipient
    if "@" in key and settings.email.sender and (not channels or "email" in channels):
        return "email", Recipient(key=key)
    known = [r.key for channel in CHANNELS for r in settings.recipients(channel)]
    raise ConfigError(f"no alert recipient {key!r} (configured: {', '.join(known) or 'none'})")


def send_test(store: Store, config: Config, key: str, *, channels: Sequence[str] | None = None,
              now: datetime | None = None) -> Delivery:
    """One message to one recipient: the digest it would get now, its subject marked as a test.
    Nothing is recorded, so the real digest still carries the same events."""
    settings = alerts_config(config)
    channel, recipient = find_recipient(settings, key, channels)
    now = now or datetime.now(timezone.utc)
    digest = build_digest(store, channel, recipient, now=now, settings=settings,
                          warnings=source_warnings(store, config, now))
    digest = replace(digest, subject=TEST_PREFIX + digest.subject)
    try:
        where = _sender(channel, settings)(digest, recipient)
    except DeliveryError as exc:
        return Delivery(digest, "failed", str(exc))
    return Delivery(digest, "sent", where)
