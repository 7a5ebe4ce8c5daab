"""`files`: a local folder read for backfill. Every file the extractor reads becomes a link
(its absolute path) with discovered_via='backfill'; `fetch_link` reads it from disk.

The folder is `url` (a path, or a file:// URL) or option `path`. Options: `recursive`
(default true), `suffixes` (list, default: what twinwatch.app.inputs reads, plus .pdf .hwp .hwpx).
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import unquote, urlsplit

from crawler.fetch import Fetcher
from crawler.records import Discovery, Link
from crawler.sources.common import option
from twinwatch.pages.files import SUPPORTED_SUFFIXES
from twinwatch.config import SourceConfig
from twinwatch.errors import ConfigError


def folder_of(source: SourceConfig) -> Path:
    given = str(source.options.get("path") or source.url)
    if given.startswith("file://"):
        given = unquote(urlsplit(given).path)
    return Path(given).expanduser()


OPTIONS = ("path", "recursive", "suffixes")
# What extract reads, plus the attachment formats the pipeline reads as documents of their own.
DEFAULT_SUFFIXES = (*SUPPORTED_SUFFIXES, ".pdf", ".hwp", ".hwpx")


def validate(source: SourceConfig) -> None:
    option(source, "recursive", True)
    suffixes: list[str] = option(source, "suffixes", [], list)
    if not all(isinstance(s, str) and s.startswith(".") for s in suffixes):
        raise ConfigError(f"source {source.name!r}: option suffixes must be a list like [\".html\", \".pdf\"]")


def discover(source: SourceConfig, fetcher: Fetcher | None = None) -> Discovery:
    folder = folder_of(source)
    validate(source)
    suffixes = {s.lower() for s in option(source, "suffixes", list(DEFAULT_SUFFIXES))}
    if not folder.is_dir():
        return Discovery(error=f"not_a_folder: {folder}")
    walk = folder.rglob("*") if option(source, "recursive", True) else folder.glob("*")
    paths = sorted(p for p in walk if p.is_file() and p.suffix.lower() in suffixes and not p.name.startswith("."))
    links = tuple(
        Link(url=str(path.resolve()), title=path.stem, published=_modified_day(path), discovered_via="backfill")
        for path in paths
    )
    return Discovery(links, None, 1)


def _modified_day(path: Path) -> str | None:
    """The file's modification day: a weak hint the extractor only uses when the text has none."""
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc).date().isoformat()
    except OSError:
        return None
