"""`twinwatch serve` (the review page) and `twinwatch review …` (the same decisions from a shell)."""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path
from typing import Any

import click

from review import decisions
from review.config import ReviewConfig
from review.queue import ALL_STATES, QueueFilter, queue
from store import Store, StoreError
from store.migrations import REVIEW_STATES
from extract.records import AGREEMENT_TYPES, STATUSES
from review.labels import state_label, type_label
from twinwatch.app.commands import output
from twinwatch.app.commands.common import checked_country, get_config
from twinwatch.app.commands.output import Column

reviewer_option = click.option(
    "--reviewer", required=True, envvar="TWINWATCH_REVIEWER",
    help="Your name, as the review log records it (env TWINWATCH_REVIEWER).")
reason_option = click.option("--reason", help="Why (kept in the review log).")
ROW_ID = click.IntRange(1, 2**63 - 1)  # SQLite's integers: a larger id is a usage error


def _database(ctx: click.Context, db: str | None) -> Path:
    return Path(db) if db else Path(get_config(ctx).store.path)


def _review_config(ctx: click.Context) -> ReviewConfig:
    return ReviewConfig.from_section(get_config(ctx).sections.get("review"))


def _open(ctx: click.Context, database: str | None = None) -> Store:
    """`--db` of the subcommand, else of `review`, else [store] path."""
    config = get_config(ctx)
    chosen = database or (ctx.find_root().obj or {}).get("review_db") or config.store.path
    return Store(chosen, keep_raw=config.store.keep_raw, create=False)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, help="Port to listen on.")
@click.option("--db", type=click.Path(dir_okay=False), help="Database (default: [store] path).")
@click.option("--public", is_flag=True,
              help="Listen on a non-loopback address even without [review] users and "
                   "anonymous = \"closed\" (everything stored is then readable by anyone).")
@click.option("--debug", is_flag=True, help="Flask's development server with its reloader "
                                            "(never on a shared network).")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, db: str | None, public: bool,
          debug: bool) -> None:
    """The reviewers' web page on http://HOST:PORT/ (log in with [review] users or the token),
    served by waitress."""
    from review.app import create_app
    config = _review_config(ctx)
    refusal = exposure_refusal(host, config, public)
    if refusal:
        raise click.ClickException(refusal)
    if public and not is_loopback(host):
        click.echo(f"--public: anyone who reaches {host}:{port} can read the store", err=True)
    app = create_app(_database(ctx, db), config)
    if not config.users and not (config.token() and config.token_users):
        click.echo(f"no reviewer can log in yet: add [review] users (twinwatch review "
                   f"hash-password), or token_users and ${config.token_env}", err=True)
    click.echo(f"review page: http://{host}:{port}/  (Ctrl-C stops)", err=True)
    if debug:
        from werkzeug.serving import run_simple
        run_simple(host, port, app, threaded=True, use_debugger=False)
        return
    import waitress
    waitress.serve(app, host=host, port=port, threads=8, ident="twinwatch")


def is_loopback(host: str) -> bool:
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a name: it may resolve to any interface


def exposure_refusal(host: str, config: ReviewConfig, public: bool) -> str | None:
    """Why the page must not listen on `host`, or None. Off loopback, the network sees every
    event, text and archived page unless only configured reviewers can get in."""
    if public or is_loopback(host):
        return None
    if (config.users or config.token_users) and config.anonymous == "closed":
        return None
    return (f"--host {host} would show every stored event and page to the network: set "
            f"[review] users (or token_users) and anonymous = \"closed\" first, "
            f"or pass --public to mean it")


@click.group()
@click.option("--db", "database", type=click.Path(dir_okay=False, exists=True), default=None,
              help="The database to read and write (default: [store] path).")
@click.pass_context
def review(ctx: click.Context, database: str | None) -> None:
    """Confirm, correct, reject, merge, split and undo events from the shell."""
    ctx.find_root().ensure_object(dict)
    ctx.find_root().obj["review_db"] = database


QUEUE_COLUMNS = (
    Column("id", "id", "number"), Column("confidence", "conf", "number"),
    Column("korean_party", "party"), Column("partner", "partner"),
    Column("partner_country", "ctry", "code"), Column("agreement_type", "type", "code"),
    Column("date", "date", "date"), Column("status", "status", "code", wide_only=True),
    Column("review_state", "state", "code"), Column("mentions", "n", "number"),
    Column("evidence", "evidence", wide_only=True))


@review.command("list")
@click.option("--state", type=click.Choice([*REVIEW_STATES, ALL_STATES]), default="new",
              show_default=True)
@click.option("--party", default="", help="Part of the Korean party's name (경남 finds 경상남도).")
@click.option("--country", default="", callback=checked_country,
              help="Partner country (ISO code or name).")
@click.option("--type", "agreement_type", type=click.Choice(AGREEMENT_TYPES), default=None)
@output.date_range_options[0]
@output.date_range_options[1]
@click.option("--limit", default=50, show_default=True)
@output.format_option()
@output.wide_option
@output.bom_option
@output.db_option()
@click.pass_context
def list_command(ctx: click.Context, state: str, party: str, country: str,
                 agreement_type: str | None, date_from: str, date_to: str, limit: int,
                 output_format: str | None, wide: bool, bom: bool, database: str | None) -> None:
    """The review queue, lowest confidence first."""
    chosen = QueueFilter.from_args({"state": state, "party": party, "country": country,
                                    "agreement_type": agreement_type or "",
                                    "date_from": date_from, "date_to": date_to})
    if chosen.errors:
        raise click.UsageError(chosen.errors[0])
    with _open(ctx, database) as store:
        rows = queue(store, chosen, limit=limit)
    keep = ("id", "review_state", "confidence", "korean_party", "partner", "partner_country",
            "agreement_type", "date", "status", "mentions", "evidence")
    form = output.chosen_format(output_format)
    if form == "json":
        click.echo(json.dumps([{k: row[k] for k in keep} for row in rows], ensure_ascii=False, indent=2))
    elif form == "csv":
        click.echo(output.csv_text(rows, keep, bom=bom), nl=False)
    else:
        output.print_table(rows, QUEUE_COLUMNS, title=f"{len(rows)} events ({state_label(chosen.state)})",
                           wide=wide, show=_queue_cell)


def _queue_cell(column: Column, value: Any) -> str:
    if column.key == "review_state":
        return state_label(value)
    if column.key == "agreement_type":
        return type_label(value)
    return output.cell_text(value)


@review.command("show")
@click.argument("event_id", type=ROW_ID)
@output.db_option()
@click.pass_context
def show(ctx: click.Context, event_id: int, database: str | None) -> None:
    """One event: its fields, mentions and review history."""
    with _open(ctx, database) as store:
        record = decisions.event_record(store, event_id)
    _print_record(record)


def _print_record(record: decisions.EventRecord) -> None:
    event = record.event
    click.echo(f"event {event['id']} [{event['review_state']}]"
               + (f" merged into {event['merged_into']}" if event.get("merged_into") else ""))
    for name in ("korean_party", "korean_province", "partner", "partner_canonical",
                 "partner_country", "partner_region", "agreement_type", "date", "status",
                 "confidence", "evidence"):
        click.echo(f"  {name}: {event.get(name) if event.get(name) is not None else ''}")
    click.echo(f"mentions ({len(record.mentions)}):")
    for mention in record.mentions:
        click.echo(f"  [{mention.id}] {mention.url}  {mention.agreement_type} {mention.date or ''} "
                   f"{mention.status}")
    click.echo("history:" if record.history else "history: none")
    for entry in record.history:
        changes = "; ".join(f"{n}: {a} → {b}" for n, a, b in decisions.changed_fields(entry))
        click.echo(f"  #{entry.id} {entry.at} {entry.reviewer} {entry.action}"
                   + (f" of #{entry.undoes}" if entry.undoes else "")
                   + (f" — {changes}" if changes else "")
                   + (f" ({entry.reason})" if entry.reason else ""))


@review.command("confirm")
@click.argument("event_ids", type=ROW_ID, nargs=-1, required=True)
@reviewer_option
@click.pass_context
def confirm(ctx: click.Context, event_ids: tuple[int, ...], reviewer: str) -> None:
    """Confirm events (several IDs: one bulk decision, undone together)."""
    with _open(ctx) as store:
        if len(event_ids) == 1:
            store.review(event_ids[0], "confirm", reviewer)
        else:
            store.confirm_many(list(event_ids), reviewer)
    click.echo(f"confirmed: {' '.join(map(str, event_ids))}")


@review.command("reject")
@click.argument("event_id", type=ROW_ID)
@click.option("--reason", required=True, help="Why it is not an agreement (kept in the log).")
@reviewer_option
@click.pass_context
def reject(ctx: click.Context, event_id: int, reason: str, reviewer: str) -> None:
    """Reject an event that is not an agreement."""
    with _open(ctx) as store:
        store.review(event_id, "reject", reviewer, reason=reason)
    click.echo(f"rejected: {event_id}")


@review.command("correct")
@click.argument("event_id", type=ROW_ID)
@click.option("--type", "agreement_type", type=click.Choice(AGREEMENT_TYPES))
@click.option("--date", metavar="YYYY[-MM[-DD]]", help='The date ("" clears it).')
@click.option("--status", type=click.Choice(STATUSES))
@click.option("--party", "korean_party", help="The Korean party.")
@click.option("--province", "korean_province", help="The Korean party's 광역.")
@click.option("--partner")
@click.option("--canonical", "partner_canonical", help="The partner's canonical name.")
@click.option("--country", "partner_country", help="The partner's country (ISO code).")
@click.option("--region", "partner_region", help="The partner's region.")
@reason_option
@reviewer_option
@click.pass_context
def correct(ctx: click.Context, event_id: int, reason: str | None, reviewer: str,
            **values: str | None) -> None:
    """Correct an event's fields (only the options given change)."""
    with _open(ctx) as store:
        current = store.event(event_id)
        if current is None:
            raise StoreError(f"no event with id {event_id}")
        changes = decisions.correction_from(values, current)
        store.review(event_id, "correct", reviewer, after=changes, reason=reason)
    click.echo(f"corrected {event_id}: " + ", ".join(f"{k}={v}" for k, v in changes.items()))


@review.command("merge")
@click.argument("kept_id", type=ROW_ID)
@click.argument("merged_id", type=ROW_ID)
@click.option("--force", is_flag=True, help="Merge even though the two events' pairs differ.")
@reason_option
@reviewer_option
@click.pass_context
def merge(ctx: click.Context, kept_id: int, merged_id: int, force: bool, reason: str | None,
          reviewer: str) -> None:
    """MERGED_ID is the same agreement as KEPT_ID: its mentions join KEPT_ID (events of
    different pairs only with --force; `review split` takes a mention back out)."""
    with _open(ctx) as store:
        store.merge(kept_id, merged_id, reviewer, reason=reason, force=force)
    click.echo(f"merged {merged_id} into {kept_id}")


@review.command("split")
@click.argument("event_id", type=ROW_ID)
@click.option("--mention", "mention_ids", type=ROW_ID, multiple=True, required=True,
              help="A mention (id from `review show`) reporting the other agreement; repeatable.")
@reason_option
@reviewer_option
@click.pass_context
def split(ctx: click.Context, event_id: int, mention_ids: tuple[int, ...], reason: str | None,
          reviewer: str) -> None:
    """The given mentions report another agreement: they become a new event."""
    with _open(ctx) as store:
        new_id = store.split(event_id, list(mention_ids), reviewer, reason=reason)
    click.echo(f"split: new event {new_id}")


@review.command("add")
@click.argument("document_id", type=ROW_ID)
@click.option("--sentence", required=True, help="The sentence of the document that states it.")
@click.option("--party", "korean_party", required=True)
@click.option("--partner", required=True)
@click.option("--country", "partner_country")
@click.option("--type", "agreement_type", type=click.Choice(AGREEMENT_TYPES), required=True)
@click.option("--date", metavar="YYYY[-MM[-DD]]")
@click.option("--status", type=click.Choice(STATUSES), default="signed", show_default=True)
@reviewer_option
@click.pass_context
def add(ctx: click.Context, document_id: int, sentence: str, reviewer: str,
        **values: str | None) -> None:
    """Add an event the extractor missed, stated by SENTENCE in the document."""
    from review.text import locate_selection
    with _open(ctx) as store:
        span = locate_selection(store.document(document_id)["text"] or "", sentence, "")
        fields = {k: v for k, v in values.items() if v}
        new_id = store.add_event(document_id, fields, span, reviewer)
    click.echo(f"added event {new_id}")


@review.command("undo")
@reviewer_option
@click.pass_context
def undo(ctx: click.Context, reviewer: str) -> None:
    """Undo your last decision (a bulk confirmation as a whole)."""
    with _open(ctx) as store:
        entries = store.undo(reviewer)
    for entry in entries:
        click.echo(f"undone #{entry.undoes} on event {entry.event_id}")


@review.command("hash-password")
@click.password_option("--password", help="The password (asked for when not given).")
def hash_password(password: str) -> None:
    """Print a password hash for [review] users in config.toml."""
    from werkzeug.security import generate_password_hash
    click.echo(generate_password_hash(password))


commands: list[Any] = [serve, review]
