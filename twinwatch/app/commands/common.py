"""Options and helpers shared by command modules."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click

from twinwatch import validation
from twinwatch.config import Config, StoreConfig, find_user_config, load_config
from twinwatch.errors import ConfigError


def get_config(ctx: click.Context) -> Config:
    """The run's config, loaded and checked once per invocation and kept on the click context."""
    root = ctx.find_root()
    root.ensure_object(dict)
    if "config" not in root.obj:
        root.obj["config"] = checked_config(root.obj.get("config_path"))
        note_other_database(root.obj["config"])
    return root.obj["config"]


def checked_config(explicit: str | None) -> Config:
    """The config, refused at start for any problem in its tables — each with the file and
    line it is on. (A source's own options only fail that source when it runs.)"""
    from twinwatch.app.commands.config_cmd import locate, section_problems
    path = find_user_config(explicit)
    try:
        config = load_config(explicit)
    except ConfigError as exc:
        raise ConfigError(locate(str(exc), path)) from None
    problems = [locate(problem, path) for problem in section_problems(config)]
    if len(problems) == 1:
        raise ConfigError(problems[0])
    if problems:
        raise ConfigError(f"{len(problems)} problems in the config (see `twinwatch config check`):\n"
                          + "\n".join(f"  {problem}" for problem in problems))
    return config


def note_other_database(config: Config) -> None:
    """Say once when the configured database is not the one lying in the current folder (a
    cron job run elsewhere, or a copy the user expected to be used)."""
    configured = Path(config.store.path)
    if not config.path:
        return
    for name in dict.fromkeys((configured.name, StoreConfig().path)):
        here = Path.cwd() / name
        if here.exists() and here.resolve() != configured.resolve():
            click.echo(f"note: using the database {configured} ([store] path in {config.path}), "
                       f"not {here}", err=True)
            return


def default_format() -> str:
    """`table` for a person at a terminal, `json` for a pipe or a file."""
    return "table" if sys.stdout.isatty() else "json"


format_option = click.option(
    "--format", "output_format", type=click.Choice(["table", "json"]), default=None,
    help="Output format (default: table on a terminal, json otherwise).")


def _checked(check: Callable[[str, str], str],
             ) -> Callable[[click.Context, click.Parameter, str | None], str | None]:
    """A click callback running one validator; its refusal is a usage error naming the option."""

    def callback(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
        try:
            return check(value, param.name or "value") if value else value
        except validation.InvalidValue as exc:
            raise click.BadParameter(str(exc)) from None

    return callback


# a stored day: a real YYYY-MM-DD of a plausible year
checked_day = _checked(lambda value, name: validation.calendar_date(value, name, day_only=True))
# filters, of any year: a real day; a real YYYY, YYYY-MM or YYYY-MM-DD
checked_since = _checked(lambda value, name: validation.calendar_date(
    value, name, day_only=True, plausible=False))
checked_date = _checked(lambda value, name: validation.calendar_date(value, name, plausible=False))
# an ISO code or a country name (English or Korean), as its ISO code
checked_country = _checked(validation.country_code)

