"""`twinwatch run`: the long-running job (sources on their intervals, the daily digest), or
`run --once`: every enabled source once, then exit."""

from __future__ import annotations

import sys

import click

from twinwatch.app.commands.common import get_config
from twinwatch.config import Config, SourceConfig
from twinwatch.app.commands.crawl import format_choice, listing_cache_path, print_reports
from twinwatch.app.scheduler import SchedulerSettings, graceful_stop, run_forever


@click.command()
@click.option("--once", is_flag=True,
              help="Every enabled source once (hosts in parallel, extraction on every worker), "
                   "then exit: 0 when all ran, 2 when some failed, 1 when all failed.")
@format_choice
@click.pass_context
def run(ctx: click.Context, once: bool, output_format: str | None) -> None:
    """Crawl every enabled source on its interval and send the daily digest; stop with Ctrl-C
    or SIGTERM (the page in hand is finished and saved first)."""
    config = get_config(ctx)
    settings = SchedulerSettings.from_section(config.sections.get("scheduler"))
    enabled = [s for s in config.sources if s.enabled]
    if once:
        sys.exit(_run_once(config, enabled, output_format))
    click.echo(f"twinwatch run: {len(enabled)} sources, digest daily at {settings.digest_time} "
               f"{settings.timezone}; store {config.store.path}", err=True)
    run_forever(config)


def _run_once(config: Config, sources: list[SourceConfig], output_format: str | None) -> int:
    from crawler.listing_cache import SqliteListingCache
    from twinwatch.app.parallel import run_all_once

    if not sources:
        raise click.ClickException("no enabled source in the config (see `twinwatch sources`)")
    with graceful_stop() as stop:
        reports = run_all_once(config, sources=sources, stop=stop,
                               listing_cache=SqliteListingCache(listing_cache_path(config)))
    print_reports([r for r in reports if r is not None], output_format)
    failed = [s.name for s, r in zip(sources, reports) if r is None or not r.ok]
    for name in failed:
        click.echo(f"source {name} failed (see `twinwatch sources`)", err=True)
    if not failed:
        return 0
    return 1 if len(failed) == len(sources) else 2


commands = [run]
