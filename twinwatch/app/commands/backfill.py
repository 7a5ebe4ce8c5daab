"""`twinwatch backfill`: archived pages (WARC, Parquet) into the store, on Dask."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from store import Store
from twinwatch.app.commands.common import get_config
from twinwatch.app.prefilter import Prefilter


@click.command()
@click.argument("inputs", nargs=-1, type=click.Path(exists=True, dir_okay=False), metavar="WARC_OR_PARQUET...")
@click.option("--scheduler", default="local", show_default=True, metavar="local|ADDRESS",
              help="'local': worker processes on this machine; else a dask.distributed scheduler "
                   "address (tcp://host:8786) whose workers see the same paths.")
@click.option("--workers", type=click.IntRange(min=1), help="Local worker processes (default: one per core).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), metavar="DIR",
              help="Per-shard Parquet output (default: beside the database, NAME.backfill/).")
@click.option("--shard-pages", type=click.IntRange(min=1), default=100, show_default=True,
              help="Pages per shard.")
@click.option("--merge-only", "merge_dir", type=click.Path(exists=True, file_okay=False), metavar="DIR",
              help="Merge output written earlier into the store; read no archive.")
@click.pass_context
def backfill(ctx: click.Context, inputs: tuple[str, ...], scheduler: str, workers: int | None,
             out_dir: str | None, shard_pages: int, merge_dir: str | None) -> None:
    """Read archived pages — WARC files, or Parquet tables with columns url, html and
    optionally published — through the prefilter and extraction on Dask, write events and kept
    documents per shard to Parquet, then merge them into the store as a crawl would (merging
    again adds nothing)."""
    from twinwatch.app.backfill import ClusterChoice, merge_output, run_backfill

    config = get_config(ctx)
    if merge_dir is not None:
        if inputs:
            raise click.UsageError("--merge-only reads no archive: give it a folder, not inputs")
        with Store(config.store.path, keep_raw=config.store.keep_raw) as store:
            merged = merge_output(Path(merge_dir), store)
        _print_merge(merged)
        return
    if not inputs:
        raise click.UsageError("give WARC or Parquet files, or --merge-only DIR")
    folder = Path(out_dir) if out_dir else Path(config.store.path).with_suffix(".backfill")
    prefilter = Prefilter.from_section(config.sections.get("prefilter"))
    with Store(config.store.path, keep_raw=config.store.keep_raw) as store, shard_bars() as (on_progress, on_done):
        report = run_backfill(inputs, folder, store, prefilter=prefilter,
                              choice=ClusterChoice(scheduler, workers), shard_pages=shard_pages,
                              on_progress=on_progress, on_done=on_done)
    drops: dict[str, int] = {}
    for summary in report.summaries:
        for reason, count in summary.drops.items():
            drops[reason] = drops.get(reason, 0) + count
    skipped = sum(1 for s in report.summaries if s.skipped)
    click.echo(f"backfill: {len(report.summaries)} shards ({skipped} done before), {report.pages} pages read, "
               f"{sum(s.documents for s in report.summaries)} kept, dropped {drops or 'none'}; output in {folder}")
    _print_merge(report.merged)


def _print_merge(merged) -> None:  # noqa: ANN001 - twinwatch.app.backfill.MergeReport, imported lazily
    click.echo(f"merged {merged.shards} shards: {merged.documents} documents, {merged.new_documents} new or "
               f"changed, {merged.new_events} new events, {merged.matched_events} further mentions")


@contextmanager
def shard_bars() -> Iterator[tuple[Callable[[str, int], None], Callable]]:
    """A progress bar per shard on a terminal (stderr); nothing when stderr is not one."""
    if not sys.stderr.isatty():
        yield (lambda name, pages: None), (lambda summary: None)
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True)) as progress:
        tasks: dict[str, int] = {}

        def on_progress(name: str, pages: int) -> None:
            if name not in tasks:
                tasks[name] = progress.add_task(name, total=None)
            progress.update(tasks[name], completed=pages)

        def on_done(summary) -> None:  # noqa: ANN001 - ShardSummary
            task = tasks.get(summary.name)
            if task is None:
                task = tasks[summary.name] = progress.add_task(summary.name)
            progress.update(task, total=summary.pages, completed=summary.pages,
                            description=f"{summary.name} ({summary.events} events)")

        yield on_progress, on_done


commands = [backfill]
