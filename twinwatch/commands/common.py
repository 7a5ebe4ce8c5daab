"""Options and helpers shared by command modules."""

from __future__ import annotations

import sys

import click

from twinwatch import validation
from twinwatch.config import Config, load_config


def get_config(ctx: click.Context) -> Config:
    """The run's config, loaded once per invocation and kept on the click context."""
    root = ctx.find_root()
    root.ensure_object(dict)
    if "config" not in root.obj:
        root.obj["config"] = load_config(root.obj.get("config_path"))
    return root.obj["config"]


def default_format() -> str:
    """`table` for a person at a terminal, `json` for a pipe or a file."""
    return "table" if sys.stdout.isatty() else "json"


format_option = click.option(
    "--format", "output_format", type=click.Choice(["table", "json"]), default=None,
    help="Output format (default: table on a terminal, json otherwise).")


def checked_day(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A click callback: a real calendar day (YYYY-MM-DD), or a usage error naming the option."""
    try:
        return validation.calendar_date(value, param.name or "date", day_only=True) if value else value
    except validation.InvalidValue as exc:
        raise click.BadParameter(str(exc)) from None


def checked_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A click callback: a real date as YYYY, YYYY-MM or YYYY-MM-DD."""
    try:
        return validation.calendar_date(value, param.name or "date") if value else value
    except validation.InvalidValue as exc:
        raise click.BadParameter(str(exc)) from None


def checked_country(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A click callback: an ISO code or a country name (English or Korean), as its ISO code."""
    try:
        return validation.country_code(value, param.name or "country") if value else value
    except validation.InvalidValue as exc:
        raise click.BadParameter(str(exc)) from None
