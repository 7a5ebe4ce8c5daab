"""Archive inputs cut into shards, and the pages of one shard as `FetchResult`s.

A shard is a run of consecutive records of one file: WARC records from a byte offset (found by
one pass over the file's record headers; gzip'd WARCs are one gzip member per record, so a
reader can start at any record), or rows of one Parquet row group. Shards are small, plain and
picklable, so a Dask worker on another machine can read its own from a shared path.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from twinwatch.pages.records import FetchResult
from crawler.urls import canonical_url
from twinwatch.errors import TwinwatchError

SHARD_PAGES = 100  # pages per shard: small enough to balance two workers on a few thousand pages
PARQUET_COLUMNS = ("url", "html")  # required; `published` (YYYY-MM-DD) is read when present
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")


class BackfillError(TwinwatchError):
    """An input that cannot be backfilled (unknown format, missing columns, unreadable file)."""


@dataclass(frozen=True, slots=True)
class Shard:
    path: str  # absolute, readable from every worker
    kind: str  # warc | parquet
    start: int  # WARC: byte offset of the first record; Parquet: row group
    count: int  # records (WARC) or rows (Parquet) from there
    skip: int = 0  # Parquet: rows of the row group before this shard's first
    name: str = ""  # unique among a run's shards: the output files' stem


@dataclass(frozen=True, slots=True)
class ArchivedPage:
    fetched: FetchResult
    published: str | None = None  # the archive's own date for the page, when it gives one


def input_kind(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(".parquet"):
        return "parquet"
    if name.endswith(WARC_SUFFIXES):
        return "warc"
    raise BackfillError(f"{path}: not a WARC (.warc, .warc.gz) or Parquet (.parquet) file")


def plan_shards(paths: list[str | Path], shard_pages: int = SHARD_PAGES) -> list[Shard]:
    """Every input file cut into shards of at most `shard_pages` pages, in input order."""
    shards: list[Shard] = []
    for given in paths:
        path = Path(given).expanduser().resolve()
        if not path.is_file():
            raise BackfillError(f"{given}: no such file")
        kind = input_kind(path)
        stem = f"{path.name.split('.')[0]}-{hashlib.sha1(str(path).encode()).hexdigest()[:8]}"
        pieces = _warc_shards(path, shard_pages) if kind == "warc" else _parquet_shards(path, shard_pages)
        shards.extend(Shard(str(path), kind, start, count, skip, f"{stem}-{n:05d}")
                      for n, (start, count, skip) in enumerate(pieces))
    return shards


def _warc_shards(path: Path, shard_pages: int) -> list[tuple[int, int, int]]:
    from warcio.archiveiterator import ArchiveIterator

    offsets: list[int] = []
    try:
        with path.open("rb") as stream:
            records = ArchiveIterator(stream)
            for record in records:
                if _is_page_record(record):
                    offsets.append(records.get_record_offset())
    except Exception as exc:  # warcio raises ArchiveLoadFailed and plain errors on a bad file
        raise BackfillError(f"{path}: not a readable WARC file ({type(exc).__name__}: {exc})") from exc
    if not offsets:
        raise BackfillError(f"{path}: no response record in it (not a WARC file, or no page archived)")
    return [(offsets[i], len(offsets[i:i + shard_pages]), 0) for i in range(0, len(offsets), shard_pages)]


def _parquet_shards(path: Path, shard_pages: int) -> list[tuple[int, int, int]]:
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow's ArrowInvalid and OSError on a bad file
        raise BackfillError(f"{path}: not a readable Parquet file ({exc})") from exc
    missing = [c for c in PARQUET_COLUMNS if c not in parquet.schema_arrow.names]
    if missing:
        raise BackfillError(f"{path}: Parquet table lacks column(s) {', '.join(missing)} "
                            "(expected url, html and optionally published)")
    pieces = []
    for group in range(parquet.num_row_groups):
        rows = parquet.metadata.row_group(group).num_rows
        pieces.extend((group, min(shard_pages, rows - skip), skip) for skip in range(0, rows, shard_pages))
    return pieces


def _is_page_record(record) -> bool:  # noqa: ANN001 - warcio's ArcWarcRecord
    """A response (or a stored resource) that succeeded: what a crawl would have read."""
    if record.rec_type == "resource":
        return True
    if record.rec_type != "response" or record.http_headers is None:
        return False
    status = record.http_headers.get_statuscode()
    return bool(status) and status.startswith("2")


def read_shard(shard: Shard) -> Iterator[ArchivedPage]:
    """The shard's pages, in archive order."""
    yield from (_warc_pages(shard) if shard.kind == "warc" else _parquet_pages(shard))


def _warc_pages(shard: Shard) -> Iterator[ArchivedPage]:
    from warcio.archiveiterator import ArchiveIterator

    taken = 0
    with open(shard.path, "rb") as stream:
        stream.seek(shard.start)
        for record in ArchiveIterator(stream):
            if taken >= shard.count:
                return
            if not _is_page_record(record):
                continue
            taken += 1
            yield ArchivedPage(_warc_fetched(record))


def _warc_fetched(record) -> FetchResult:  # noqa: ANN001 - warcio's ArcWarcRecord
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    headers: dict[str, str] = {}
    status = None
    if record.http_headers is not None:
        headers = {name.lower(): value for name, value in record.http_headers.headers}
        status = int(record.http_headers.get_statuscode() or 0) or None
    elif record.rec_headers.get_header("Content-Type"):
        headers["content-type"] = record.rec_headers.get_header("Content-Type")
    body = record.content_stream().read()  # de-chunked and decompressed as the server sent it
    return FetchResult(url=page_key(url), body=body, final_url=url, status=status, headers=headers,
                       fetched_at=record.rec_headers.get_header("WARC-Date") or "",
                       discovered_via="backfill")


def page_key(url: str) -> str:
    """The key a crawl would store the page under (an archive may hold other schemes too)."""
    try:
        return canonical_url(url)
    except ValueError:
        return url


def _parquet_pages(shard: Shard) -> Iterator[ArchivedPage]:
    import pyarrow.parquet as pq

    parquet = pq.ParquetFile(shard.path)
    columns = [c for c in (*PARQUET_COLUMNS, "published") if c in parquet.schema_arrow.names]
    rows = parquet.read_row_group(shard.start, columns=columns).slice(shard.skip, shard.count)
    for row in rows.to_pylist():
        html = row.get("html") or ""
        body = html.encode("utf-8") if isinstance(html, str) else bytes(html)
        published = row.get("published")
        published = str(published)[:10] if published else None
        yield ArchivedPage(FetchResult(url=page_key(str(row["url"])), body=body, final_url=str(row["url"]),
                                       headers={"content-type": "text/html; charset=utf-8"}
                                       if isinstance(html, str) else {},
                                       discovered_via="backfill"), published)
