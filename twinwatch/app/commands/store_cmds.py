"""Commands over the store: `events`, `search`, `backup`."""

from __future__ import annotations

import json
from typing import Any

import click

from review.labels import state_label, type_label
from review.queue import is_partial_date
from store import Store
from store.migrations import REVIEW_STATES
from twinwatch.app.commands import output
from twinwatch.app.commands.common import get_config
from twinwatch.app.commands.output import Column

# Columns of the events CSV, in reading order (JSON carries every field).
EVENT_COLUMNS = ("id", "review_state", "korean_party", "korean_province", "partner",
                 "partner_country", "agreement_type", "date", "status", "confidence",
                 "first_seen", "evidence", "source_urls")

# A terminal is narrow: the table shows what identifies an event and how many reports it has;
# --wide adds the rest, and each source URL follows whole on a line of its own.
TABLE_COLUMNS = (
    Column("id", "id", "number"), Column("review_state", "state", "code"),
    Column("korean_party", "party"), Column("korean_province", "province", wide_only=True),
    Column("partner", "partner"), Column("partner_country", "ctry", "code"),
    Column("agreement_type", "type", "code"), Column("date", "date", "date"),
    Column("status", "status", "code", wide_only=True),
    Column("confidence", "conf", "number", wide_only=True),
    Column("first_seen", "first seen", "time", wide_only=True),
    Column("evidence", "evidence", wide_only=True), Column("reports", "n", "number"))


def open_store(ctx: click.Context, database: str | None = None) -> Store:
    """The store to read (`--db`, else the configured one); reading commands never create an
    empty database by mistake."""
    config = get_config(ctx)
    return Store(database or config.store.path, keep_raw=config.store.keep_raw, create=False)


def state_options(function: Any) -> Any:
    """`--state`, and the old spelling `--review-state` kept as a hidden alias."""
    function = click.option("--review-state", "old_state", type=click.Choice(REVIEW_STATES),
                            hidden=True)(function)
    return click.option("--state", type=click.Choice(REVIEW_STATES),
                        help="Only events in this review state.")(function)


def in_date_range(event: dict[str, Any], date_from: str, date_to: str) -> bool:
    """Partial dates compare as the review queue's do: "2023-10" is inside --to 2023-10."""
    date = event.get("date") or ""
    if (date_from or date_to) and not date:
        return False
    return (not date_from or date >= date_from) and (not date_to or date <= date_to + "\uffff")


def _checked_range(date_from: str, date_to: str) -> None:
    for flag, value in (("--from", date_from), ("--to", date_to)):
        if value and not is_partial_date(value):
            raise click.BadParameter("use YYYY, YYYY-MM or YYYY-MM-DD", param_hint=flag)


@click.command()
@output.since_option
@state_options
@output.date_range_options[0]
@output.date_range_options[1]
@output.format_option()
@output.wide_option
@output.bom_option
@output.db_option()
@click.pass_context
def events(ctx: click.Context, since: str | None, state: str | None, old_state: str | None,
           date_from: str, date_to: str, output_format: str | None, wide: bool, bom: bool,
           database: str | None) -> None:
    """Stored events: EVENT objects with id, review_state, first_seen and source_urls."""
    _checked_range(date_from, date_to)
    with open_store(ctx, database) as store:
        found = [e for e in store.events(since=since, review_state=state or old_state)
                 if in_date_range(e, date_from, date_to)]
    chosen = output.chosen_format(output_format)
    if chosen == "json":
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
    elif chosen == "csv":
        click.echo(output.csv_text(found, EVENT_COLUMNS, bom=bom), nl=False)
    else:
        _print_events_table(found, wide, output.configured_zone(get_config(ctx)))


def _print_events_table(found: list[dict[str, Any]], wide: bool, zone: Any) -> None:
    def show(column: Column, value: Any) -> str:
        if column.key == "review_state":
            return state_label(value)
        if column.key == "agreement_type":
            return type_label(value)
        if column.kind == "time":
            return output.local_time(value, zone)
        return output.cell_text(value)
    rows = [dict(event, reports=len(event["source_urls"])) for event in found]
    title = f"{len(found)} events" + (f" (times in {output.zone_label(zone)})" if wide else "")
    output.print_table(rows, TABLE_COLUMNS, title=title, wide=wide, show=show)
    if wide:
        output.echo_urls((f"#{event['id']}", url) for event in found for url in event["source_urls"])


SEARCH_COLUMNS = ("id", "published", "source", "title", "snippet", "url")


@click.command()
@click.argument("query")
@click.option("--limit", default=20, show_default=True, help="Most documents to list.")
@output.format_option()
@output.bom_option
@output.db_option()
@click.pass_context
def search(ctx: click.Context, query: str, limit: int, output_format: str | None, bom: bool,
           database: str | None) -> None:
    """Documents whose title or text contains QUERY (Korean substrings match: 훈춘 finds 훈춘시와)."""
    with open_store(ctx, database) as store:
        hits = store.search(query, limit=limit)
    rows = [{"id": h.document_id, "published": h.published, "source": h.source, "title": h.title,
             "snippet": h.snippet, "url": h.url} for h in hits]
    chosen = output.chosen_format(output_format)
    if chosen == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif chosen == "csv":
        click.echo(output.csv_text(rows, SEARCH_COLUMNS, bom=bom), nl=False)
    else:  # one block per document: the URL whole on its own line, so it can be copied
        click.echo(f"{len(hits)} documents")
        for row in rows:
            click.echo()
            click.echo(output.fit_line(f"#{row['id']}  {row['published'] or ''}  {row['source'] or ''}"))
            click.echo("  " + output.fit_line(row["title"] or "", output.Console().width - 2))
            click.echo("  " + output.fit_line(row["snippet"], output.Console().width - 2))
            click.echo(row["url"])


@click.command()
@click.argument("path", type=click.Path(dir_okay=False))
@output.db_option()
@click.pass_context
def backup(ctx: click.Context, path: str, database: str | None) -> None:
    """Copy the live database to PATH (a new file), safely while others write to it."""
    with open_store(ctx, database) as store:
        target = store.backup(path)
    click.echo(f"backed up {store.path} to {target}")


commands = [events, search, backup]
