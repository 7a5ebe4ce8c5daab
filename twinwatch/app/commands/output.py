"""One vocabulary of output for every command: the shared options, tables that fit an
80-column terminal, CSV that Excel on Korean Windows opens, and times in the configured zone.

The options mean the same wherever they appear: `--format table|json|csv`, `--db PATH` (the
database to read), `--state` (review state), `--since` (first seen), `--from/--to` (the
agreement's date), `--wide` (every column), `--no-bom` (CSV without a byte-order mark).
"""

from __future__ import annotations

import csv
import io
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Sequence
from zoneinfo import ZoneInfo

import click
from rich import box

from twinwatch.app.commands.common import checked_date, checked_since
from rich.console import Console
from rich.cells import cell_len
from rich.table import Table

FORMATS = ("table", "json", "csv")
BOM = "\ufeff"
# Cells that must never wrap: dates, codes and numbers keep their whole width.
WHOLE_KINDS = ("date", "code", "number", "time")


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str  # short: the header is one of the widths the table has to fit
    kind: str = "text"  # text | date | code | number | time
    wide_only: bool = False  # shown with --wide only


def format_option(choices: Sequence[str] = FORMATS, default: str | None = None) -> Callable[..., Any]:
    """`--format`; without a default, table at a terminal and json in a pipe or file."""
    told = f"default: {default}" if default else "default: table at a terminal, json otherwise"
    return click.option("--format", "output_format", type=click.Choice(list(choices)),
                        default=default, help=f"Output format ({told}).")


def db_option(exists: bool = True) -> Callable[..., Any]:
    return click.option("--db", "database", type=click.Path(dir_okay=False, exists=exists),
                        default=None, help="The database to read (default: [store] path).")


wide_option = click.option("--wide", is_flag=True, help="Every column (wider than 80 columns).")
bom_option = click.option("--bom/--no-bom", default=True, show_default=True,
                          help="CSV: begin with a byte-order mark (Excel reads it as UTF-8).")
since_option = click.option("--since", metavar="YYYY-MM-DD", callback=checked_since,
                            help="Only events first seen on or after this day.")
date_range_options = (
    click.option("--from", "date_from", default="", metavar="YYYY[-MM[-DD]]", callback=checked_date,
                 help="Only agreements dated on or after this."),
    click.option("--to", "date_to", default="", metavar="YYYY[-MM[-DD]]", callback=checked_date,
                 help="Only agreements dated on or before this (2023-10 keeps all of October)."))


def chosen_format(output_format: str | None) -> str:
    return output_format or ("table" if sys.stdout.isatty() else "json")


def csv_text(rows: Iterable[dict[str, Any]], columns: Sequence[str], *, bom: bool = True) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell_text(row.get(name)) for name in columns])
    return (BOM if bom else "") + buffer.getvalue()


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, (list, tuple)):
        return " ".join(str(v) for v in value)
    return str(value)


def local_time(stamp: Any, zone: ZoneInfo) -> str:
    """A stored UTC ISO time in the configured zone, to the minute; other values as text."""
    if not isinstance(stamp, str) or len(stamp) < 16 or stamp[10] != "T":
        return cell_text(stamp)
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def configured_zone(config: Any) -> ZoneInfo:
    """`[scheduler] timezone` (checked when the config is read)."""
    from twinwatch.app.scheduler import SchedulerSettings
    return ZoneInfo(SchedulerSettings.from_section(config.sections.get("scheduler")).timezone)


def zone_label(zone: ZoneInfo) -> str:
    """"Asia/Seoul (KST)": the zone's name and its abbreviation now."""
    abbreviation = datetime.now(zone).tzname()
    return f"{zone.key} ({abbreviation})" if abbreviation and abbreviation != zone.key else zone.key


def print_table(rows: Sequence[dict[str, Any]], columns: Sequence[Column], *, title: str,
                wide: bool = False, console: Console | None = None,
                show: Callable[[Column, Any], str] | None = None) -> None:
    """A table that fits the terminal: dates, codes and numbers whole (never wrapped), text
    columns share what is left and wrap between words."""
    shown = [c for c in columns if wide or not c.wide_only]
    table = Table(title=title, box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False,
                  title_justify="left")
    render = show or (lambda column, value: cell_text(value))
    cells = [[render(c, row.get(c.key)) for c in shown] for row in rows]
    for index, column in enumerate(shown):
        if column.kind in WHOLE_KINDS:
            widest = max([cell_len(column.label), *(cell_len(line[index]) for line in cells)])
            table.add_column(column.label, no_wrap=True, min_width=widest,
                             justify="right" if column.kind == "number" else "left")
        else:
            table.add_column(column.label, overflow="fold")
    for line in cells:
        table.add_row(*line)
    (console or Console(soft_wrap=False)).print(table)


def fit_line(text: str, width: int | None = None) -> str:
    """`text` on one line of at most `width` cells (the console's), cut with "…"."""
    width = width or Console().width
    line = " ".join(text.splitlines())
    if cell_len(line) <= width:
        return line
    while cell_len(line) > width - 1:
        line = line[:-1]
    return line + "…"


def echo_urls(pairs: Iterable[tuple[str, str]]) -> None:
    """Each URL whole on a line of its own (copyable), after what it belongs to."""
    for label, url in pairs:
        click.echo(f"{label}  {url}" if label else url)
