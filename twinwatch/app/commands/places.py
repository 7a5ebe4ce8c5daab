"""`twinwatch places NAME`: look a place name up in the gazetteer."""

from __future__ import annotations

import json

import click

from extract.gazetteer import Candidate, load_gazetteer
from twinwatch.app.commands.common import default_format, format_option

TABLE_COLUMNS = ("score", "how", "id", "name", "country", "region", "en")


def candidate_rows(candidates: list[Candidate]) -> list[dict]:
    """JSON-ready rows: the place's fields plus score, matched form and how it matched
    (`how`: exact, variant, transcription, or phonetic with the key similarity)."""
    rows = []
    for candidate in candidates:
        row = candidate.to_dict()
        similarity = f" {candidate.similarity:.2f}" if candidate.similarity is not None else ""
        rows.append({**row, "how": candidate.method + similarity})
    return rows


def print_table(title: str, rows: list[dict]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for column in TABLE_COLUMNS:
        table.add_column(column, justify="right" if column == "score" else "left",
                         no_wrap=column in ("id", "how"))
    for row in rows:
        table.add_row(*(str(row[column]) if row[column] is not None else "" for column in TABLE_COLUMNS))
    Console().print(table)


@click.command("places")
@click.argument("name")
@click.option("--country", help="ISO code or Korean country name mentioned nearby (CN, 중국).")
@click.option("--province", help="광역 or foreign region/city mentioned nearby (경남, 산동성).")
@click.option("--on-date", help="Prefer units that existed on this date (YYYY-MM-DD).")
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True)
@format_option
def places_command(name: str, country: str | None, province: str | None, on_date: str | None,
                   limit: int, output_format: str | None) -> None:
    """Places NAME may refer to, best first (Korean governments and places abroad)."""
    gazetteer = load_gazetteer()
    if country and gazetteer.country_code(country) is None:
        raise click.BadParameter(f"unknown country {country!r}", param_hint="--country")
    candidates = gazetteer.lookup(name, country=country, province=province, on_date=on_date,
                                  limit=limit)
    rows = candidate_rows(candidates)
    if (output_format or default_format()) == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
    elif rows:
        print_table(f"places: {name}", rows)
    else:
        click.echo(f"no place found for {name!r}")


@click.command("refresh-places")
@click.pass_context
def refresh_places_command(ctx: click.Context) -> None:
    """Bring stored events up to the current gazetteer: partners' place ids and canonical names
    (reviewed events keep their names; identity keys are only added)."""
    from twinwatch.app.commands.store_cmds import open_store
    gazetteer = load_gazetteer()

    def resolve(row: dict) -> tuple[str | None, str | None]:
        place = gazetteer.place_abroad(row["partner"], row["partner_country"] or "", row["partner_region"])
        return (place.name, place.id) if place else (None, None)

    with open_store(ctx) as store:
        done = store.refresh_places(resolve)
    click.echo(f"{len(done.updated)} events updated, {done.keys_added} identity keys added")


commands = [places_command, refresh_places_command]
