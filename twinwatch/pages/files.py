"""Local page and table files, read as a `FetchResult` like any fetched page."""

from __future__ import annotations

from pathlib import Path

from twinwatch.config import CrawlerConfig
from twinwatch.errors import ExtractionRejected, FetchError
from twinwatch.pages.archives import read_local_file
from twinwatch.pages.records import FetchResult

SUPPORTED_SUFFIXES = (".html", ".htm", ".txt", ".csv", ".tsv", ".xlsx")
# A local file's default cap: the same as a crawled page's ([crawler] max_bytes).
MAX_FILE_BYTES = CrawlerConfig().max_bytes


def read_file(source: str, *, max_bytes: int = MAX_FILE_BYTES) -> FetchResult:
    """A local page or table file, its bytes as they are on disk; a file larger than
    `max_bytes` is refused (FetchError('too_large')) before a byte of it is read."""
    path = Path(source).expanduser()
    if not path.exists():
        raise FetchError("not_found", f"no such file: {source}")
    if not path.is_file():
        raise FetchError("not_a_file", f"not a file: {source}")
    try:
        body = read_local_file(path, max_bytes)
    except ExtractionRejected as exc:
        raise FetchError(exc.reason, str(exc)) from exc
    except OSError as exc:
        raise FetchError("unreadable", f"cannot read {source}: {exc.strerror or exc}") from exc
    return FetchResult(url=source, body=body, final_url=str(path.resolve()))
