"""`twinwatch crawl` and `twinwatch ingest`: sources (or local files) into the store."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Callable, Iterator

import click
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from crawler.fetch import Fetcher
from crawler.listing_cache import SqliteListingCache
from store import Store
from twinwatch.app.commands.common import default_format, get_config
from twinwatch.config import Config, SourceConfig
from twinwatch.errors import ConfigError
from twinwatch.app.pipeline import OnPage, PageOutcome, RunReport, ingest_paths, run_once
from twinwatch.app.scheduler import graceful_stop, run_forever

PIPE_WIDTH = 160  # rich wraps at 80 columns when stdout is not a terminal; logs and tests read wider


def output_console() -> Console:
    """The console for tables on stdout: the terminal's width, or PIPE_WIDTH in a pipe."""
    return Console() if sys.stdout.isatty() else Console(width=PIPE_WIDTH)


REPORT_COLUMNS = ("source", "links", "fetched", "304", "known", "new docs", "dropped", "new events",
                  "error")


def chosen_sources(config: Config, name: str | None) -> list[SourceConfig]:
    """The named source (enabled or not), else every enabled one."""
    if name is None:
        return [s for s in config.sources if s.enabled]
    for source in config.sources:
        if source.name == name:
            return [source]
    known = ", ".join(s.name for s in config.sources) or "none configured"
    raise ConfigError(f"no source named {name!r} (sources: {known})")


@contextmanager
def source_progress() -> Iterator[Callable[[str], OnPage]]:
    """Yields `on_page_for(label)`: a live line per source on a terminal (stderr), nothing at
    all when stderr is not a terminal (cron, pipes, logs stay clean)."""
    if not sys.stderr.isatty():
        yield lambda label: (lambda outcome: None)
        return
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TextColumn("{task.completed} pages"),
               TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:

        def on_page_for(label: str) -> OnPage:
            task = progress.add_task(label, total=None)

            def advance(outcome: PageOutcome) -> None:
                note = outcome.drop_reason or (f"{len(outcome.events)} events" if outcome.document else "")
                shown = (outcome.title or outcome.url)[:50]
                progress.update(task, advance=1, description=f"{label}: {shown} {note}")

            return advance

        yield on_page_for


@contextmanager
def page_progress(label: str) -> Iterator[OnPage]:
    with source_progress() as on_page_for:
        yield on_page_for(label)


def report_row(report: RunReport) -> list[str]:
    return [report.source, str(report.links_found), str(report.fetched), str(report.not_modified),
            str(report.skipped_known), str(report.new_documents), str(len(report.dropped)),
            str(report.new_events), "; ".join(report.errors)]


def print_reports(reports: list[RunReport], output_format: str | None) -> None:
    if (output_format or default_format()) == "json":
        click.echo(json.dumps([asdict(r) for r in reports], ensure_ascii=False, indent=2))
        return
    table = Table(title="crawl")
    for name in REPORT_COLUMNS:
        table.add_column(name, overflow="fold")
    for report in reports:
        table.add_row(*report_row(report))
    output_console().print(table)


format_choice = click.option("--format", "output_format", type=click.Choice(["table", "json"]),
                             default=None, help="Output format (default: table on a terminal, json otherwise).")


def listing_cache_path(config: Config) -> Path:
    """Kept listings live beside the database, so separate `crawl --once` runs get 304s."""
    return Path(config.store.path).with_suffix(".listings.db")


def crawl_once(config: Config, sources: list[SourceConfig]) -> list[RunReport]:
    reports = []
    with Store(config.store.path, keep_raw=config.store.keep_raw) as store, \
            Fetcher(config.crawler, listing_cache=SqliteListingCache(listing_cache_path(config))) as fetcher, \
            graceful_stop() as stop:
        with source_progress() as on_page_for:
            for source in sources:
                reports.append(run_once(source, config=config, store=store, fetcher=fetcher,
                                        stop=stop, on_page=on_page_for(source.name)))
                if stop.is_set():
                    break
    return reports


@click.command()
@click.option("--once", is_flag=True, help="Run each source once and exit (default: keep crawling on the sources' intervals).")
@click.option("--source", "source_name", metavar="NAME", help="Only this source (even when disabled).")
@format_choice
@click.pass_context
def crawl(ctx: click.Context, once: bool, source_name: str | None, output_format: str | None) -> None:
    """Crawl the configured sources into the store."""
    config = get_config(ctx)
    sources = chosen_sources(config, source_name)
    if not sources:
        raise click.ClickException("no enabled source in the config (see `twinwatch sources`)")
    if not once:
        run_forever(config, sources=sources, with_digest=False)
        return
    reports = crawl_once(config, sources)
    print_reports(reports, output_format)
    ctx.exit(exit_code(reports))


def exit_code(reports: list[RunReport]) -> int:
    """0 when every source ran, 2 when some failed, 1 when all failed (or none ran) — so cron
    and monitoring can tell a partial outage from a dead one."""
    failed = sum(1 for report in reports if not report.ok)
    if not reports or failed == len(reports):
        return 1
    return 2 if failed else 0


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@format_choice
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[str, ...], output_format: str | None) -> None:
    """Read local files and folders (every format `extract` reads) into the store."""
    config = get_config(ctx)
    with Store(config.store.path, keep_raw=config.store.keep_raw) as store, \
            graceful_stop() as stop, page_progress("ingest") as on_page:
        report = ingest_paths(paths, config=config, store=store, stop=stop, on_page=on_page)
    print_reports([report], output_format)
    for url, reason in report.dropped:
        click.echo(f"dropped {url}: {reason}", err=True)


commands = [crawl, ingest]
