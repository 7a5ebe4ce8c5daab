"""`twinwatch demo`: the offline demonstration behind `make demo`.

Serves the embedded demo site on 127.0.0.1, crawls it with the real pipeline into a fresh
database, prints the events found and the sources' health, crawls again to show that nothing is
downloaded twice, and ends with the commands that open the result.
"""

from __future__ import annotations

import shlex
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from alerts import preview_digest
from store import Store
from twinwatch.app.commands.crawl import output_console, print_reports, source_progress
from twinwatch.app.commands.sources import health_rows, print_health
from twinwatch.app.demo.run import DEFAULT_OUTPUT, DemoResult, run_demo
from twinwatch.app.demo.server import SiteServer
from twinwatch.app.demo.site import DOWN_PATH, build_site

EVENT_COLUMNS = ("id", "korean_party", "partner", "partner_country", "agreement_type", "date",
                 "status", "mentions")
# A place the gazetteer resolves from two spellings and one ambiguous name given context.
LOOKUPS: tuple[tuple[str, dict[str, str]], ...] = (("위해시", {}), ("고성군", {"province": "경남"}))


def print_lookups(console: Console) -> None:
    try:
        from extract.gazetteer import load_gazetteer
    except ImportError:  # the gazetteer ships with extract; without it the demo goes on
        return
    gazetteer = load_gazetteer()
    found = []
    for surface, context in LOOKUPS:
        candidates = gazetteer.lookup(surface, limit=1, **context)
        if candidates:
            place = candidates[0].place
            hint = f" ({', '.join(context.values())})" if context else ""
            found.append(f"{surface}{hint} → {place.name} [{place.country}]")
    console.print(f"gazetteer: {len(gazetteer)} places; " + "; ".join(found))


def print_events(events: tuple[dict[str, Any], ...], console: Console) -> None:
    table = Table(title=f"{len(events)} events in the demo database")
    for name in EVENT_COLUMNS:
        table.add_column(name.replace("_", " "), overflow="fold")
    for event in events:
        cells = [str(event.get(name) or "") for name in EVENT_COLUMNS[:-1]]
        table.add_row(*cells, str(len(event.get("source_urls") or ())))
    console.print(table)


def print_second_crawl(result: DemoResult, console: Console) -> None:
    articles = sum(r.fetched for r in result.second_crawl)
    known = sum(r.skipped_known for r in result.second_crawl)
    new_events = sum(r.new_events for r in result.second_crawl)
    console.print(f"second crawl: {articles} articles downloaded again, {known} known links skipped, "
                  f"{new_events} new events")


def program() -> str:
    """How a fresh shell reaches this twinwatch: its name when it is on PATH, else the path of
    the script that runs now (.venv/bin/twinwatch), else this Python with -m twinwatch."""
    running = Path(sys.argv[0])
    on_path = shutil.which("twinwatch")
    if on_path and running.name == "twinwatch" and Path(on_path).resolve() == running.resolve():
        return "twinwatch"
    if running.name == "twinwatch" and running.is_file():
        return shlex.quote(str(running.resolve()))
    return f"{shlex.quote(sys.executable)} -m twinwatch"


def datasette_line(database: Path) -> str:
    """The datasette command when it is installed, else how to install it (a comment)."""
    beside = Path(sys.executable).with_name("datasette")
    found = shutil.which("datasette") or (str(beside) if beside.is_file() else None)
    if found:
        return f"{shlex.quote(found)} {shlex.quote(str(database))}    # browse the tables"
    pip = shlex.quote(str(Path(sys.executable).with_name("pip")))
    return f"# browse the tables: {pip} install -e '.[browse]', then datasette {database}"


def closing_commands(result: DemoResult, registered: set[str]) -> list[str]:
    """What to run next on the demo database, each working as printed in a new shell."""
    prefix = f"{program()} --config {shlex.quote(str(Path(result.config_file).resolve()))}"
    lines = [f"{prefix} events --format table", f"{prefix} sources",
             f"{prefix} search 자매결연", datasette_line(Path(result.database).resolve())]
    if "serve" in registered:
        lines.append(f"TWINWATCH_REVIEW_TOKEN=demo {prefix} serve    "
                     f"# the review page on http://127.0.0.1:8080/ (log in: name demo, token demo)")
    if "digest" in registered:
        lines.append(f"{prefix} digest --dry-run    # the digest it would send")
    return lines


def serve_site(port: int) -> None:
    """The demo site on 127.0.0.1:PORT until Ctrl-C, for the README's "your own city" walk."""
    with SiteServer(down_paths=frozenset({DOWN_PATH}), port=port) as server:
        server.state.resources = build_site(server.base_url)
        click.echo(f"\ndemo site on {server.base_url}/ — a feed at {server.base_url}/news/rss.xml, "
                   f"a board without RSS at {server.base_url}/board/list.do (Ctrl-C stops)")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            click.echo("demo site stopped")


@click.command("demo")
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUTPUT,
              show_default=True, help="Folder for the demo database (replaced on each run).")
@click.option("--serve", is_flag=True,
              help="Afterwards keep the demo site up on 127.0.0.1 (until Ctrl-C), to practise "
                   "adding sources against it.")
@click.option("--port", default=8765, show_default=True, help="The demo site's port with --serve.")
@click.pass_context
def demo_command(ctx: click.Context, output: Path, serve: bool, port: int) -> None:
    """Offline demo: crawl the embedded demo site into a fresh database and show the events."""
    console = output_console()
    print_lookups(console)
    console.print("crawling the embedded demo site on 127.0.0.1 (offline) … one of its sources "
                  "always answers 503, to show how a failing source is reported")
    with source_progress() as on_page_for:
        result = run_demo(output, on_page_for=on_page_for)
    print_reports(list(result.first_crawl), "table")
    print_events(result.events, console)
    with Store(result.database) as store:
        print_health(health_rows(result.config, store), console)
    print_second_crawl(result, console)
    with Store(result.database) as store:  # what the daily digest would send now
        digest_text = preview_digest(store, result.config)
    click.echo(f"\ndigest it would send (dry run, nothing sent):\n{digest_text}")
    click.echo(f"\ndatabase: {result.database.resolve()}\nnext:")
    for line in closing_commands(result, set(ctx.find_root().command.commands)):
        click.echo(f"  {line}")
    if serve:
        serve_site(port)


commands = [demo_command]
