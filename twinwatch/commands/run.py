"""`twinwatch run`: the long-running job (sources on their intervals, the daily digest)."""

from __future__ import annotations

import click

from twinwatch.commands.common import get_config
from twinwatch.scheduler import SchedulerSettings, run_forever


@click.command()
@click.pass_context
def run(ctx: click.Context) -> None:
    """Crawl every enabled source on its interval and send the daily digest; stop with Ctrl-C
    or SIGTERM (the page in hand is finished and saved first)."""
    config = get_config(ctx)
    settings = SchedulerSettings.from_section(config.sections.get("scheduler"))
    enabled = [s.name for s in config.sources if s.enabled]
    click.echo(f"twinwatch run: {len(enabled)} sources, digest daily at {settings.digest_time} "
               f"{settings.timezone}; store {config.store.path}", err=True)
    run_forever(config)


commands = [run]
