"""Commands over the store: `events`, `search`, `backup`."""

from __future__ import annotations

import csv
import json
import sys
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from store import Store
from store.migrations import REVIEW_STATES
from twinwatch.commands.common import checked_since, default_format, get_config

# Columns of the events table and CSV, in reading order (JSON carries every field).
EVENT_COLUMNS = ("id", "review_state", "korean_party", "korean_province", "partner",
                 "partner_country", "agreement_type", "date", "status", "confidence",
                 "first_seen", "evidence", "source_urls")

# A terminal is narrow: the table shows what identifies an event, and how many reports it has.
TABLE_COLUMNS = ("id", "review_state", "korean_party", "partner", "partner_country",
                 "agreement_type", "date", "status", "mentions")


def open_store(ctx: click.Context) -> Store:
    """The configured store; reading commands never create an empty database by mistake."""
    return Store.from_config(get_config(ctx), create=False)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return " ".join(str(v) for v in value)
    return str(value)


@click.command()
@click.option("--since", metavar="YYYY-MM-DD", callback=checked_since, help="Only events first seen on or after this day.")
@click.option("--review-state", type=click.Choice(REVIEW_STATES), help="Only events in this state.")
@click.option("--format", "output_format", type=click.Choice(["table", "json", "csv"]),
              default=None, help="Output format (default: table on a terminal, json otherwise).")
@click.pass_context
def events(ctx: click.Context, since: str | None, review_state: str | None,
           output_format: str | None) -> None:
    """Stored events: EVENT objects with id, review_state, first_seen and source_urls."""
    with open_store(ctx) as store:
        found = store.events(since=since, review_state=review_state)
    output_format = output_format or default_format()
    if output_format == "json":
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
    elif output_format == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(EVENT_COLUMNS)
        for event in found:
            writer.writerow([_cell(event.get(name)) for name in EVENT_COLUMNS])
    else:
        _print_events_table(found)


def _print_events_table(found: list[dict[str, Any]]) -> None:
    table = Table(title=f"{len(found)} events")
    for name in TABLE_COLUMNS:
        table.add_column(name, overflow="fold")
    for event in found:
        cells = [_cell(event.get(name)) for name in TABLE_COLUMNS[:-1]]
        table.add_row(*cells, str(len(event["source_urls"])))
    Console().print(table)


@click.command()
@click.argument("query")
@click.option("--limit", default=20, show_default=True, help="Most documents to list.")
@click.pass_context
def search(ctx: click.Context, query: str, limit: int) -> None:
    """Documents whose title or text contains QUERY (Korean substrings match: 훈춘 finds 훈춘시와)."""
    with open_store(ctx) as store:
        hits = store.search(query, limit=limit)
    table = Table(title=f"{len(hits)} documents")
    for name in ("id", "published", "source", "title", "snippet", "url"):
        table.add_column(name, overflow="fold")
    for hit in hits:
        table.add_row(str(hit.document_id), hit.published or "", hit.source or "", hit.title or "",
                      hit.snippet, hit.url)
    Console().print(table)


@click.command()
@click.argument("path", type=click.Path(dir_okay=False))
@click.pass_context
def backup(ctx: click.Context, path: str) -> None:
    """Copy the live database to PATH (a new file), safely while others write to it."""
    with open_store(ctx) as store:
        target = store.backup(path)
    click.echo(f"backed up {store.path} to {target}")


commands = [events, search, backup]
