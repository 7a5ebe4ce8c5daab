"""`twinwatch reconcile`: a registry export against the events extracted from documents."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import unicodedata
from typing import Any

import click

from extract.reconcile import OUTCOMES, Finding, ReconcileRow, findings_from_paths, reconcile
from extract.records import Event
from extract.structured.registry import read_registry
from store import Store
from twinwatch.app.commands.common import default_format, get_config
from twinwatch.app.inputs import load_input

COLUMNS = ("outcome", "korean_party", "partner", "registry_type", "registry_date", "found_type",
           "found_date", "source")


def findings_from_store(store: Store) -> list[Finding]:
    """The store's events as reconcile findings: rejected ones left out, reviewers' corrections
    used (the store keeps them in the event's own fields)."""
    return [Finding(Event.from_dict(row), _store_source(row)) for row in store.events()
            if row["review_state"] != "rejected"]


def _store_source(row: dict[str, Any]) -> str:
    urls = row.get("source_urls") or []
    return urls[0] if urls else f"event {row['id']}"


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
@click.pass_context
def reconcile_command(ctx: click.Context, registry_file: str, sources: tuple[str, ...],
                      output_format: str | None) -> None:
    """Compare a registry export (.xlsx/.csv) with the events found in documents, or with the
    store's events when no --from is given."""
    registry = read_registry(registry_file)
    if sources:
        findings = findings_from_paths(sources, on_error=_report_skipped, load_input=load_input)
    else:
        with Store.from_config(get_config(ctx), create=False) as store:
            findings = findings_from_store(store)
    click.echo(render(reconcile(registry, findings), output_format or default_format()))


commands = [reconcile_command]
