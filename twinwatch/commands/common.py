"""Options and helpers shared by command modules."""

from __future__ import annotations

import sys

import click

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
