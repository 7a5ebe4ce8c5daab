"""`twinwatch demo`: the offline demonstration behind `make demo`.

For now it shows gazetteer look-ups over a few example names; the crawl-and-extract demo
replaces it when that pipeline lands.
"""

from __future__ import annotations

import click

from extract.gazetteer import load_gazetteer

# (surface form as a page may write it, context a page would give) — spellings a reader meets:
# rule transcriptions, hanja readings, popular variants, short 광역 forms, ambiguous names.
EXAMPLES: tuple[tuple[str, dict[str, str]], ...] = (
    ("웨이하이", {}), ("위해시", {}), ("대련", {}), ("텐진", {}), ("구마모토시", {}),
    ("경남", {}), ("광주", {}), ("광주", {"province": "경기"}),
    ("고성군", {"province": "강원"}), ("고성군", {"province": "경남"}), ("청원군", {}),
)


@click.command("demo")
def demo_command() -> None:
    """Offline demo: resolve example place names with the gazetteer."""
    gazetteer = load_gazetteer()
    click.echo(f"gazetteer: {len(gazetteer)} places")
    for surface, context in EXAMPLES:
        candidates = gazetteer.lookup(surface, limit=1, **context)
        where = " ".join(f"{key}={value}" for key, value in context.items())
        if not candidates:
            click.echo(f"{surface:<8} {where:<14} -> (not found)")
            continue
        place = candidates[0].place
        successor = gazetteer.successor(place)
        note = f" (until {place.valid_to}; now {successor.name})" if successor.id != place.id else ""
        click.echo(f"{surface:<8} {where:<14} -> {place.name} [{place.id}] {place.country} "
                   f"{place.region or ''}{note}")


commands = [demo_command]
