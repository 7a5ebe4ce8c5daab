"""`twinwatch extract` and `twinwatch eval`: thin wrappers over twinwatch.app.extraction and extract.evaluate."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from crawler.fetch import Fetcher
from extract.evaluate import EvalResult, brief, evaluate, find_gold_documents
from twinwatch.app.inputs import is_url
from twinwatch.app.extraction import extract_input, extract_many
from twinwatch.app.commands.common import checked_day, default_format, format_option, get_config

MANY_INPUTS = 40  # from this many local files on, `extract` reads them in worker processes
MANY_WORKERS = 2


@click.command("extract")
@click.option("--published", callback=checked_day, metavar="YYYY-MM-DD",
              help="The pages' own date (wins over what the page says); relative dates use it.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help=f"Worker processes for many local inputs (default: {MANY_WORKERS} from "
                   f"{MANY_INPUTS} files on, else 1); each loads the NLP once.")
@format_option
@click.argument("inputs", nargs=-1, required=True, metavar="PATH_OR_URL...")
@click.pass_context
def extract_command(ctx: click.Context, published: str | None, workers: int | None,
                    output_format: str | None, inputs: tuple[str, ...]) -> None:
    """Extract agreement events from pages, text or table files, or URLs.

    Prints one JSON object per input, in input order; an unreadable input gets "error" and the
    rest still run. Exits non-zero only when every input failed. URLs are fetched with the
    crawler's manners ([crawler] in config.toml: robots.txt, delay, retries).
    """
    crawler_config = get_config(ctx).crawler
    if any(is_url(source) for source in inputs):
        with Fetcher(crawler_config) as fetcher:
            results = [extract_input(source, published, fetcher=fetcher) for source in inputs]
    else:
        if workers is None:  # a worker's start-up (~5 s) pays off only over many pages
            workers = min(MANY_WORKERS, os.cpu_count() or 1) if len(inputs) >= MANY_INPUTS else 1
        results = extract_many(list(inputs), published, workers=workers, max_bytes=crawler_config.max_bytes)
    if (output_format or default_format()) == "json":
        click.echo(json.dumps(results, ensure_ascii=False, indent=1))
    else:
        _print_table(results)
    if all(result["error"] for result in results):
        sys.exit(1)


def _print_table(results: list[dict[str, Any]]) -> None:
    console = Console()
    for result in results:
        heading = f"{result['input']} — {result['title'] or '(no title)'} ({result['published'] or 'no date'})"
        if result["error"]:
            console.print(f"[bold]{heading}[/bold]: [red]error {result['error']}[/red]")
            continue
        table = Table(title=heading, show_lines=False)
        for column in ("party", "partner", "country", "type", "date", "status", "conf."):
            table.add_column(column, no_wrap=True)
        table.add_column("evidence", overflow="fold", ratio=1, min_width=20)
        for event in result["events"]:
            table.add_row(event["korean_party"], event["partner"], event.get("partner_country") or "",
                          event["agreement_type"], event.get("date") or "", event["status"],
                          f"{event.get('confidence', 0):.2f}", event["evidence"])
        if not result["events"]:
            table.caption = "no agreement events"
        console.print(table)


@click.command("eval")
@click.option("--kind", "kinds", metavar="KIND[,KIND…]",
              help="Only gold files of these kinds (news, notice, list, table).")
@click.option("--verbose", is_flag=True, help="List every missed and spurious event.")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Output format.")
@click.option("--json", "as_json", is_flag=True, hidden=True)  # the old spelling of --format json
@click.argument("folders", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False),
                metavar="GOLD_DIR...")
def eval_command(kinds: str | None, verbose: bool, output_format: str, as_json: bool,
                 folders: tuple[str, ...]) -> None:
    """Score extraction against gold folders (NAME.json beside NAME.html/.txt/.csv/.tsv/.xlsx)."""
    wanted = [kind.strip() for kind in kinds.split(",") if kind.strip()] if kinds else None
    gold_documents = find_gold_documents(folders, wanted)
    if not gold_documents:
        raise click.ClickException("no gold files (NAME.json with \"events\") found")
    result = evaluate(gold_documents, extract_input)
    if as_json or output_format == "json":
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=1))
        return
    _print_eval(result, verbose)


def _print_eval(result: EvalResult, verbose: bool) -> None:
    if verbose:
        for document in result.documents:
            if document.error:
                click.echo(f"{document.name}: error    {document.error}")
            for event in document.missed:
                click.echo(f"{document.name}: missed   {brief(event)}")
            for event in document.spurious:
                click.echo(f"{document.name}: spurious {brief(event)}")
    click.echo(f"documents {len(result.documents)}")
    for level, counts in result.totals().items():
        numbers = counts.as_dict()
        click.echo(f"{level}: precision {numbers['precision']:.3f} recall {numbers['recall']:.3f} "
                   f"f1 {numbers['f1']:.3f} (tp {numbers['tp']} fp {numbers['fp']} fn {numbers['fn']})")


commands = [extract_command, eval_command]
