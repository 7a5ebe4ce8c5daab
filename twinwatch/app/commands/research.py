"""`twinwatch timeline`, `export`, `stats`, and `review export-gold` / `review relationship`.

The last two join the `review` group of `review_cmds` (one group, whoever defines it).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import click

from store import Store
from review.labels import type_label
from twinwatch.app.commands import output as outputs
from twinwatch.app.commands.common import default_format, get_config
from twinwatch.app.commands.output import Column
from twinwatch.app.commands.review_cmds import review
from twinwatch.research import export as exporting
from twinwatch.research import counts, gold, stats, timeline, timeline_html

DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
output_option = click.option("--output", "-o", type=click.Path(dir_okay=False),
                             help="Write to this file instead of standard output.")
db_option = click.option("--db", type=click.Path(dir_okay=False, exists=True),
                         help="Database (default: [store] path).")


def _open(ctx: click.Context, db: str | None) -> Store:
    config = get_config(ctx)
    return Store(db or config.store.path, keep_raw=config.store.keep_raw, create=False)


def _emit(text: str, output: str | None) -> None:
    if output:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=not text.endswith("\n"))


@click.command("timeline")
@click.argument("name", required=False)
@click.option("--format", "output_format", type=click.Choice(timeline.FORMATS), default=None,
              help="Output format (default: table on a terminal, json otherwise).")
@outputs.date_range_options[0]
@outputs.date_range_options[1]
@output_option
@db_option
@click.pass_context
def timeline_command(ctx: click.Context, name: str | None, output_format: str | None,
                     date_from: str, date_to: str, output: str | None, db: str | None) -> None:
    """The chronology of each relationship of NAME (a Korean party or a partner; all when
    omitted), with the sources of every step. `--format html` is one self-contained page,
    grouped by Korean party; --from/--to zoom its chart on a period (monthly ticks)."""
    for flag, value in (("--from", date_from), ("--to", date_to)):
        if value and not DATE.match(value):
            raise click.BadParameter("use YYYY, YYYY-MM or YYYY-MM-DD", param_hint=flag)
    with _open(ctx, db) as store:
        chosen = timeline.select(store.relationships(), name)
    if name and not chosen:
        raise click.ClickException(f"no relationship of {name} in the store")
    by_suffix = Path(output).suffix.lstrip(".").lower() if output else ""
    chosen_format = output_format or (by_suffix if by_suffix in timeline.FORMATS else None) \
        or ("json" if output else default_format())
    if chosen_format == "table":
        timeline.print_table(chosen)
    elif chosen_format == "csv":
        _emit(timeline.as_csv(chosen), output)
    elif chosen_format == "html":
        heading = f"교류 관계 연표 — {name}" if name else "교류 관계 연표"
        base_url = (get_config(ctx).sections.get("review") or {}).get("base_url", "")
        _emit(timeline_html.render(chosen, heading, base_url, date_from, date_to), output)
    else:
        _emit(timeline.as_json(chosen) + "\n", output)


@click.command("export")
@click.option("--format", "output_format", type=click.Choice(["csv", "json", "geojson"]),
              default="csv", show_default=True, help="Output format.")
@click.option("--table", type=click.Choice(["relationships", "events"]), default="relationships",
              show_default=True, help="CSV only: which table to write.")
@outputs.bom_option
@output_option
@db_option
@click.pass_context
def export_command(ctx: click.Context, output_format: str, table: str, bom: bool,
                   output: str | None, db: str | None) -> None:
    """Relationships and events as CSV, JSON ({"relationships", "events"}) or GeoJSON (a line
    from each Korean party to each partner, a point per place; RFC 7946, lon/lat)."""
    with _open(ctx, db) as store:
        found = store.relationships()
        events = exporting.events_with_relationship(store.events(), found)
    if output_format == "geojson":
        from extract.gazetteer import load_gazetteer
        collection = exporting.as_geojson(found, load_gazetteer())
        _emit(json.dumps(collection, ensure_ascii=False) + "\n", output)
    elif output_format == "json":
        _emit(exporting.as_json(found, events) + "\n", output)
    elif table == "events":
        _emit((outputs.BOM if bom else "") + exporting.as_csv(events, exporting.EVENT_COLUMNS), output)
    else:
        _emit((outputs.BOM if bom else "") + exporting.as_csv(
            [exporting.relationship_row(r) for r in found], exporting.RELATIONSHIP_COLUMNS), output)


STATS_COLUMNS = (
    Column("group", "by", "code"), Column("name", "name"), Column("extracted", "extr", "number"),
    Column("new", "new", "number"), Column("confirmed", "conf", "number"),
    Column("corrected", "corr", "number"), Column("rejected", "rej", "number"),
    Column("added", "added", "number"), Column("precision", "prec", "number"),
    Column("lenient_precision", "lenient", "number"))
COUNT_COLUMNS = (Column("name", "name"), Column("code", "code", "code"),
                 Column("events", "events", "number"), Column("confirmed", "confirmed", "number"),
                 Column("new", "new", "number"))
GROUP_SHORT = {"agreement_type": "type", "source": "source", "all": "all"}


@click.command("stats")
@click.option("--by", "dimension", type=click.Choice(["review", *counts.DIMENSIONS]),
              default="review", show_default=True,
              help="review: outcomes per source and type; or counts of agreements by year, "
                   "type, partner country or Korean province.")
@outputs.format_option((*outputs.FORMATS, "html"))
@outputs.bom_option
@output_option
@db_option
@click.pass_context
def stats_command(ctx: click.Context, dimension: str, output_format: str | None, bom: bool,
                  output: str | None, db: str | None) -> None:
    """What reviews teach (per source and agreement type: extracted, confirmed, corrected,
    rejected, precision = confirmed / reviewed), or with --by the agreements by year, type,
    partner country or province. `--format html` is a page with a bar chart."""
    with _open(ctx, db) as store:
        if dimension == "review":
            tallies = stats.review_stats(store.db)
            rows = [t.as_dict() for t in tallies] + [stats.total(tallies).as_dict()]
        else:
            found = counts.counts_by(store.db, dimension)
            rows = [c.as_dict() for c in found]
    chosen = output_format or ("html" if output and output.endswith(".html") else None) \
        or outputs.chosen_format(None)
    columns = STATS_COLUMNS if dimension == "review" else COUNT_COLUMNS
    if chosen == "json":
        _emit(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", output)
    elif chosen == "csv":
        _emit(outputs.csv_text(rows, [c.key for c in columns], bom=bom), output)
    elif chosen == "html":
        if dimension == "review":
            raise click.UsageError("--format html draws counts: give --by year|type|country|province")
        _emit(counts.as_html(dimension, found), output)
    else:
        title = ("review outcomes (precision = confirmed / reviewed)" if dimension == "review"
                 else f"agreements by {dimension} (rejected ones left out)")
        shown = [dict(row, name=type_label(row["name"])) if row.get("group") == "agreement_type"
                 else row for row in rows]  # 자매결연, not sister_city folded over two lines
        outputs.print_table(shown, columns, title=title, show=_stats_cell)


def _stats_cell(column: Column, value: Any) -> str:
    if column.key == "group":
        return GROUP_SHORT.get(value, value)
    if isinstance(value, float):
        return f"{value:.3f}"
    return outputs.cell_text(value)


@click.command("export-gold")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--partial", is_flag=True,
              help="Also documents with unreviewed events (these become optional gold events).")
@db_option
@click.pass_context
def export_gold_command(ctx: click.Context, folder: str, partial: bool, db: str | None) -> None:
    """Write reviewed documents and their confirmed/corrected events as gold files in FOLDER
    (the schema of ../shared/eval/README.md), for `twinwatch eval FOLDER`."""
    with _open(ctx, db) as store:
        result = gold.export_gold(store.db, folder, partial=partial)
    click.echo(f"wrote {len(result.documents)} gold documents to {result.folder}"
               + (f"; {result.skipped_unreviewed} documents still have unreviewed events"
                  if result.skipped_unreviewed else ""))


@click.command("relationship")
@click.argument("korean_party")
@click.argument("partner")
@click.option("--state", type=click.Choice(["active", "suspended", "ended"]), required=True)
@click.option("--date", metavar="YYYY[-MM[-DD]]", help="Since when.")
@click.option("--country", "partner_country", help="The partner's country (ISO code).")
@click.option("--reason", help="Why (kept in the relationship log).")
@click.option("--reviewer", required=True, envvar="TWINWATCH_REVIEWER",
              help="Your name (env TWINWATCH_REVIEWER).")
@db_option
@click.pass_context
def relationship_command(ctx: click.Context, korean_party: str, partner: str, state: str,
                         date: str | None, partner_country: str | None, reason: str | None,
                         reviewer: str, db: str | None) -> None:
    """Record that the tie KOREAN_PARTY–PARTNER is active, suspended or ended."""
    if date and not DATE.match(date):
        raise click.BadParameter("expected YYYY, YYYY-MM or YYYY-MM-DD", param_hint="--date")
    with _open(ctx, db) as store:
        found = store.set_relationship_state(korean_party, partner, state, reviewer, date=date,
                                             reason=reason, partner_country=partner_country)
    click.echo(f"{found.korean_party} — {found.partner}: {found.state}"
               + (f" since {found.state_date}" if found.state_date else ""))


review.add_command(export_gold_command)
review.add_command(relationship_command)
commands = [timeline_command, export_command, stats_command]
