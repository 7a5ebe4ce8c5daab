"""`twinwatch reconcile`: a registry export against the events extracted from documents."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import unicodedata
import click

from extract.reconcile import OUTCOMES, ReconcileRow, findings_from_paths, reconcile
from extract.registry import read_registry
from twinwatch.commands.common import default_format

COLUMNS = ("outcome", "korean_party", "partner", "registry_type", "registry_date", "found_type",
           "found_date", "source")


def _report_skipped(source: str, error: Exception) -> None:
    click.echo(f"{source}: skipped: {error}", err=True)


def render(rows: list[ReconcileRow], output_format: str) -> str:
    if output_format == "json":
        return json.dumps([dataclasses.asdict(row) for row in rows], ensure_ascii=False, indent=1)
    if output_format == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=[f.name for f in dataclasses.fields(ReconcileRow)])
        writer.writeheader()
        writer.writerows(dataclasses.asdict(row) for row in rows)
        return buffer.getvalue().rstrip("\n")
    return _table(rows)


def _width(text: str) -> int:
    """Columns a string takes on a terminal: Hangul and Han take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _table(rows: list[ReconcileRow]) -> str:
    cells = [COLUMNS] + [tuple(str(getattr(row, name) or "-") for name in COLUMNS) for row in rows]
    widths = [max(_width(line[i]) for line in cells) for i in range(len(COLUMNS))]
    lines = ["  ".join(value + " " * (width - _width(value)) for value, width in zip(line, widths)).rstrip()
             for line in cells]
    counts = ", ".join(f"{outcome} {sum(r.outcome == outcome for r in rows)}" for outcome in OUTCOMES)
    return "\n".join(lines + ["", counts])


@click.command("reconcile")
@click.argument("registry_file", type=click.Path(dir_okay=False))
@click.option("--from", "sources", multiple=True, metavar="PATH",
              help="A document (file, folder of files, or URL) to extract events from; repeatable.")
@click.option("--format", "output_format", type=click.Choice(["table", "json", "csv"]), default=None,
              help="Output format (default: table on a terminal, json otherwise).")
def reconcile_command(registry_file: str, sources: tuple[str, ...], output_format: str | None) -> None:
    """Compare a registry export (.xlsx/.csv) with the events found in documents."""
    if not sources:
        raise click.UsageError("give the documents to compare with --from PATH (repeatable)")
    registry = read_registry(registry_file)
    rows = reconcile(registry, findings_from_paths(sources, on_error=_report_skipped))
    click.echo(render(rows, output_format or default_format()))


commands = [reconcile_command]
