"""The `twinwatch` command: a thin layer over the library.

Each command lives in a small module under `twinwatch/app/commands/`, opens what it needs, calls one
library function and prints. Library errors (`TwinwatchError`) become one clear message.
"""

from __future__ import annotations

import importlib
import logging
import sqlite3
import sys

import click

from twinwatch import __version__
from store.connection import database_problem
from twinwatch.errors import TwinwatchError

# Modules under twinwatch.app.commands, each exposing `commands`: a list of click commands.
COMMAND_MODULES: tuple[str, ...] = (
    "store_cmds",
    "extract",
    "places",
    "demo",
    "crawl",
    "sources",
    "config_cmd",
    "run",
    "reconcile",
    "review_cmds",
    "digest",
    "research",
    "backfill",
)


class TwinwatchGroup(click.Group):
    """Turns library errors into one line on stderr and exit code 1, never a traceback."""

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except TwinwatchError as exc:
            raise click.ClickException(str(exc)) from exc
        except sqlite3.DatabaseError as exc:  # damage found mid-command, past the store's open
            config = (ctx.obj or {}).get("config")
            path = config.store.path if config else "(the configured database)"
            raise click.ClickException(database_problem(path, exc)) from exc


@click.group(cls=TwinwatchGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="twinwatch")
@click.option("--config", "config_path", envvar="TWINWATCH_CONFIG", type=click.Path(dir_okay=False),
              help="Config file (default: ./config.toml; env TWINWATCH_CONFIG).")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug).")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None, verbose: int) -> None:
    """Watch Korean local governments' exchange agreements."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    ctx.ensure_object(dict)
    ctx.obj["config_path"] = config_path


for _name in COMMAND_MODULES:
    for _command in importlib.import_module(f"twinwatch.app.commands.{_name}").commands:
        cli.add_command(_command)


def main() -> None:
    cli(prog_name="twinwatch")


if __name__ == "__main__":
    main()
