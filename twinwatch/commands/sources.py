"""`twinwatch sources` (health table) and `twinwatch sources check NAME` (a dry run)."""

from __future__ import annotations

import json
from dataclasses import asdict

import click
from rich.console import Console
from rich.table import Table

from alerts.health import source_warnings
from crawler.fetch import Fetcher
from store import Store
from twinwatch.commands.common import default_format, format_option, get_config
from twinwatch.commands.crawl import chosen_sources, output_console, page_progress
from twinwatch.config import Config
from twinwatch.pipeline import Preview, preview

# (key, column label): labels kept short so the table fits an 80-column terminal.
HEALTH_COLUMNS = (("name", "source"), ("kind", "kind"), ("enabled", "on"),
                  ("last_success", "last success"), ("last_new_item", "last new"),
                  ("consecutive_failures", "fails"), ("last_error", "last error"),
                  ("links_last_run", "links"), ("documents", "docs"), ("dropped", "dropped"))


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


def _health_cell(value: object) -> str:
    if isinstance(value, str) and len(value) == 25 and value[10] == "T":
        return value[:16].replace("T", " ")  # an ISO timestamp, to the minute (UTC)
    if value is None:
        return ""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


def print_health(rows: list[dict[str, object]], console: Console | None = None) -> None:
    table = Table(title="sources")
    for _, label in HEALTH_COLUMNS:
        table.add_column(label, overflow="fold")
    for row in rows:
        failing = bool(row.get("consecutive_failures"))
        table.add_row(*(_health_cell(row.get(key)) for key, _ in HEALTH_COLUMNS),
                      style="red" if failing else None)
    console = console or output_console()
    console.print(table)
    for row in rows:
        if row.get("warning"):
            console.print(f"경고 {row['warning']}", style="red", markup=False)


@click.group(invoke_without_command=True)
@format_option
@click.pass_context
def sources(ctx: click.Context, output_format: str | None) -> None:
    """Configured sources and their health (last success, failures, last error)."""
    if ctx.invoked_subcommand is not None:
        return
    config = get_config(ctx)
    with Store(config.store.path, keep_raw=config.store.keep_raw, create=False) as store:
        rows = health_rows(config, store)
    if (output_format or default_format()) == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        print_health(rows)


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
