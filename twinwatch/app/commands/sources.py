"""`twinwatch sources` (health table) and `twinwatch sources check NAME` (a dry run)."""

from __future__ import annotations

import json
from dataclasses import asdict
from zoneinfo import ZoneInfo

import click
from rich.console import Console
from rich.table import Table

from alerts.health import source_warnings
from crawler.fetch import Fetcher
from store import Store
from twinwatch.app.commands import output
from twinwatch.app.commands.common import default_format, format_option, get_config
from twinwatch.app.commands.output import Column
from twinwatch.app.commands.crawl import chosen_sources, output_console, page_progress
from twinwatch.config import Config
from twinwatch.app.preview import Preview, preview

# Labels kept short so the table fits an 80-column terminal; --wide adds the rest.
HEALTH_COLUMNS = (
    Column("name", "source"), Column("kind", "kind", "code"), Column("enabled", "on", "code"),
    Column("last_success", "last ok", "time"), Column("last_new_item", "last new", "time", wide_only=True),
    Column("consecutive_failures", "fails", "number"), Column("last_error", "last error"),
    Column("links_last_run", "links", "number", wide_only=True),
    Column("documents", "docs", "number"), Column("dropped", "dropped", "number", wide_only=True))


def health_rows(config: Config, store: Store) -> list[dict[str, object]]:
    """Every configured source with its stored health, plus stored sources no longer configured."""
    stored = {h.name: h for h in store.source_health()}
    warnings = {w.source: w.message for w in source_warnings(store, config, sources=config.sources)}
    rows = []
    for source in config.sources:
        health = stored.pop(source.name, None)
        row = asdict(health) if health else {"name": source.name, "kind": source.kind}
        row["enabled"] = source.enabled
        row["warning"] = warnings.get(source.name)  # failing, quiet, or no links (alerts.health)
        rows.append(row)
    rows.extend({**asdict(h), "enabled": None} for h in stored.values())
    return rows


def print_health(rows: list[dict[str, object]], console: Console | None = None, *,
                 zone: ZoneInfo | None = None, wide: bool = False) -> None:
    zone = zone or ZoneInfo("Asia/Seoul")

    def show(column: Column, value: object) -> str:
        return output.local_time(value, zone) if column.kind == "time" else output.cell_text(value)
    console = console or Console()  # the terminal's width (80 in a pipe unless COLUMNS says)
    output.print_table(rows, HEALTH_COLUMNS, title=f"sources (times in {output.zone_label(zone)})",
                       wide=wide, console=console, show=show)
    for row in rows:
        if row.get("warning"):
            console.print(f"경고 {row['warning']}", style="red", markup=False)


@click.group(invoke_without_command=True)
@output.format_option()
@output.wide_option
@output.bom_option
@output.db_option(exists=False)
@click.pass_context
def sources(ctx: click.Context, output_format: str | None, wide: bool, bom: bool,
            database: str | None) -> None:
    """Configured sources and their health (last success, failures, last error); times in
    [scheduler] timezone."""
    if ctx.invoked_subcommand is not None:
        return
    config = get_config(ctx)
    with Store(database or config.store.path, keep_raw=config.store.keep_raw, create=False) as store:
        rows = health_rows(config, store)
    chosen = output.chosen_format(output_format)
    if chosen == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif chosen == "csv":
        columns = [c.key for c in HEALTH_COLUMNS] + ["warning"]
        click.echo(output.csv_text(rows, columns, bom=bom), nl=False)
    else:
        print_health(rows, zone=output.configured_zone(config), wide=wide)


def print_preview(found: Preview) -> None:
    console = output_console()
    console.print(f"[bold]{found.source}[/bold]: {found.links_found} links"
                  + (f" — [red]{found.error}[/red]" if found.error else ""))
    table = Table()
    for name in ("url", "title", "events", "would drop"):
        table.add_column(name, overflow="fold")
    for page in found.pages:
        pairs = "; ".join(f"{e.korean_party}–{e.partner} {e.agreement_type}" for e in page.events)
        events = "" if page.drop_reason else f"{len(page.events)} {pairs}".strip()
        table.add_row(page.url, page.title or "", events, page.drop_reason or "")
    for link in found.links[len(found.pages):]:
        table.add_row(link.url, link.title or "", "(not read)", "")
    console.print(table)


@sources.command("check")
@click.argument("name")
@click.option("--limit", default=10, show_default=True, help="Most links to read.")
@format_option
@click.pass_context
def check(ctx: click.Context, name: str, limit: int, output_format: str | None) -> None:
    """Fetch a source once and show the links and articles it would take; stores nothing."""
    config = get_config(ctx)
    source = chosen_sources(config, name)[0]
    with Fetcher(config.crawler) as fetcher, page_progress(name) as on_page:
        found = preview(source, config=config, fetcher=fetcher, limit=limit, on_page=on_page)
    if (output_format or default_format()) == "json":
        pages = [{"url": p.url, "title": p.title, "drop_reason": p.drop_reason,
                  "events": [e.to_dict() for e in p.events]} for p in found.pages]
        links = [{"url": link.url, "title": link.title, "published": link.published}
                 for link in found.links]
        click.echo(json.dumps({"source": found.source, "links_found": found.links_found,
                               "error": found.error, "pages": pages, "links": links},
                              ensure_ascii=False, indent=2))
    else:
        print_preview(found)
    if found.error and not found.pages:
        raise SystemExit(1)


commands = [sources]
