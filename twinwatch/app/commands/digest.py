"""`twinwatch digest`: send (or with --dry-run, show) the digest to every configured recipient."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import click

from alerts import alerts_config, preview_digest, render_text, send_digests, send_test
from alerts.config import CHANNELS
from alerts.digest import SEOUL
from alerts.dispatch import Delivery
from store import Store
from twinwatch.app.commands.common import get_config

_SINCE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z)?)?$")


def checked_since(value: str | None) -> str | None:
    """YYYY-MM-DD (from midnight in Seoul) or an ISO time (Seoul unless it names a zone), as
    the UTC stamp the store's first_seen is compared with."""
    if value is None:
        return None
    if not _SINCE.match(value):
        raise click.BadParameter("use YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][+09:00]", param_hint="--since")
    moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace(" ", "T"))
    moment = moment if moment.tzinfo else moment.replace(tzinfo=SEOUL)
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def summary(delivery: Delivery) -> str:
    digest = delivery.digest
    counts = (f"{len(digest.event_ids)} events, {len(digest.corrections)} corrections, "
              f"{len(digest.warnings)} source warnings")
    where = f"{delivery.channel} → {delivery.recipient}"
    if delivery.outcome == "sent":
        return f"{where}: sent ({counts}) — {delivery.detail}"
    if delivery.outcome == "failed":
        return f"{where}: NOT sent, stays pending ({delivery.detail})"
    return f"{where}: nothing new, nothing sent"


@click.command()
@click.option("--dry-run", is_flag=True, help="Print each digest instead of sending it; changes nothing.")
@click.option("--since", help="Only events first seen on or after this day (YYYY-MM-DD) or time, "
                              "Asia/Seoul; others stay pending.")
@click.option("--channel", "channels", type=click.Choice(CHANNELS), multiple=True,
              help="Only this channel (repeatable; default: every channel with recipients).")
@click.option("--test", "test_recipient", metavar="RECIPIENT",
              help="Send one test message to this recipient (address or name) now; records "
                   "nothing, so the real digest still carries the same events.")
@click.option("--db", "database", type=click.Path(dir_okay=False), default=None,
              help="The database to read (default: [store] path).")
@click.pass_context
def digest(ctx: click.Context, dry_run: bool, since: str | None, channels: tuple[str, ...],
           test_recipient: str | None, database: str | None) -> None:
    """Send the digest of new agreements, corrections and source warnings to each recipient
    of [alerts.email], [alerts.webhook] and [alerts.file]; each event goes out once."""
    config = get_config(ctx)
    since = checked_since(since)
    settings = alerts_config(config)
    path = database or config.store.path
    if test_recipient:
        with Store(path, create=False) as store:
            delivery = send_test(store, config, test_recipient, channels=channels or None)
        if delivery.outcome != "sent":
            raise click.ClickException(f"test message not sent: {delivery.detail}")
        click.echo(f"test message sent: {delivery.detail} ({len(delivery.digest.event_ids)} events, "
                   f"subject {delivery.digest.subject!r})")
        return
    with Store(path, keep_raw=config.store.keep_raw, create=False) as store:
        if not channels and not settings.active_channels():
            if not dry_run:
                raise click.ClickException(
                    "no alert recipients configured ([alerts.email], [alerts.webhook] or "
                    "[alerts.file] recipients); `twinwatch digest --dry-run` shows the digest")
            click.echo("(no alert recipients configured: the digest an unfiltered recipient "
                       "would get)", err=True)
            click.echo(preview_digest(store, config))
            return
        deliveries = send_digests(store, config, channels=channels or None, dry_run=dry_run,
                                  since=since)
    for delivery in deliveries:
        if dry_run:
            click.echo(f"── {delivery.channel} → {delivery.recipient} (dry run: not sent) ──")
            click.echo(render_text(delivery.digest))
        else:
            click.echo(summary(delivery))
    if any(d.outcome == "failed" for d in deliveries):
        raise SystemExit(1)


commands = [digest]
