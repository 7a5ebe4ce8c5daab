"""`twinwatch config check`: load the config as every command would, and say what is wrong
with it — naming the key and, in the user's file, its line."""

from __future__ import annotations

import re
from pathlib import Path

import click

from alerts.config import alerts_config
from crawler.sources import KINDS, check_source
from review.config import ReviewConfig
from twinwatch.config import Config, find_user_config, load_config
from twinwatch.errors import ConfigError
from twinwatch.app.prefilter import Prefilter
from twinwatch.app.scheduler import SchedulerSettings

TABLE_HEADER = re.compile(r"^\s*\[(\[)?\s*([A-Za-z0-9_.\-]+)\s*\]?\]\s*(#.*)?$")
KEY_LINE = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=")
# "[crawler] delay_seconds must …", "[sources[2]] (name) …", "source 'x': option link_selector …"
WHERE = re.compile(r"^\[(?P<table>[a-z_.]+)(?:\[(?P<index>\d+)\])?\]\s+(?:\(.*?\)\s+)?"
                   r"(?:unknown key |missing key )?'?(?P<key>[A-Za-z0-9_]+)'?")
# "source 'x' (rss): unknown option 'foo' …", "source 'x' (rss): url is required"
SOURCE_OPTION = re.compile(r"^source '(?P<name>[^']+)'[^:]*:\s*(?:.*?option '?)?(?P<key>[A-Za-z0-9_]+)")


def key_line(text: str, table: str, key: str | None, index: int | None = None) -> int | None:
    """The 1-based line of `key` in `[table]` (or the index-th `[[table]]`) of a TOML text;
    the table's header line when the key is not written there."""
    current, seen, header_line = None, -1, None
    for number, line in enumerate(text.splitlines(), start=1):
        header = TABLE_HEADER.match(line)
        if header:
            current = header.group(2)
            if header.group(1) and current == table:
                seen += 1
            if current == table and (index is None or seen == index):
                header_line = number
            continue
        in_table = current == table and (index is None or seen == index)
        found = KEY_LINE.match(line)
        if in_table and found and key and found.group(1) == key:
            return number
    return header_line


def source_index(text: str, name: str) -> int | None:
    names = re.findall(r'^\s*name\s*=\s*"([^"]*)"', text, flags=re.M)
    return names.index(name) if name in names else None


def locate(message: str, path: Path | None) -> str:
    """`message` with ` (PATH line N)` added when the key can be found in the user's file."""
    if path is None or "line " in message:
        return message
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):  # the loader has said what is wrong with the file
        return message
    where, option = WHERE.match(message), SOURCE_OPTION.match(message)
    line = None
    if where:
        index = where.group("index")
        table = "sources" if where.group("table") == "sources" else where.group("table")
        line = key_line(text, table, where.group("key"), int(index) if index else None)
    elif option:
        line = key_line(text, "sources", option.group("key"), source_index(text, option.group("name")))
    return f"{message} ({path} line {line})" if line else f"{message} ({path})"


def check_config(config: Config) -> list[str]:
    """Problems the loader does not see: sections read by other modules, source options."""
    return section_problems(config) + source_problems(config)


def section_problems(config: Config) -> list[str]:
    """Problems in the tables other modules read ([scheduler], [prefilter], [alerts],
    [review]): every command refuses to start with one of these."""
    problems = []
    for check in (lambda: SchedulerSettings.from_section(config.sections.get("scheduler")),
                  lambda: Prefilter.from_section(config.sections.get("prefilter")),
                  lambda: alerts_config(config),
                  lambda: ReviewConfig.from_section(config.sections.get("review"))):
        try:
            check()
        except (ConfigError, TypeError, ValueError) as exc:
            problems.append(str(exc))
    return problems


def source_problems(config: Config) -> list[str]:
    """A source's own options (url, misspelt or ill-typed kind-specific keys). Reported here;
    at crawl time such a source fails alone with `config_error`, the others still run."""
    return [problem for source in config.sources for problem in check_source(source)]


@click.group("config")
def config_group() -> None:
    """Inspect the configuration."""


@config_group.command("check")
@click.pass_context
def check(ctx: click.Context) -> None:
    """Load the config (defaults + your file) and report every problem with key and line."""
    explicit = ctx.find_root().obj.get("config_path")
    path = find_user_config(explicit)  # a missing file is itself the one error to report
    try:
        config = load_config(explicit)
    except ConfigError as exc:
        raise click.ClickException(locate(str(exc), path)) from exc
    problems = [locate(problem, path) for problem in check_config(config)]
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    if problems:
        raise SystemExit(1)
    enabled = sum(1 for s in config.sources if s.enabled)
    click.echo(f"{path or 'packaged defaults'}: OK — {len(config.sources)} sources ({enabled} enabled), "
               f"store {config.store.path}, kinds known: {', '.join(KINDS)}")


commands = [config_group]
