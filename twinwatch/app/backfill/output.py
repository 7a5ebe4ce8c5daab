"""One shard's work on a worker — prefilter and extraction of each page — and its Parquet output.

Each shard writes `NAME.documents.parquet` (the documents that passed the prefilter, with their
text) and `NAME.events.parquet` (their events, keyed by the document's URL), each first under a
temporary name and then renamed, so a file that exists is complete: a rerun skips shards done
already, and a killed run loses only the shards in hand.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from extract.records import Document, Event
from twinwatch.app.backfill.shards import Shard, read_shard
from twinwatch.app.pipeline import PageOutcome, examine
from twinwatch.app.prefilter import Prefilter

DOCUMENT_COLUMNS = ("url", "final_url", "fetched_at", "http_status", "content_type", "etag",
                    "last_modified", "title", "published", "published_source", "charset",
                    "charset_source", "format", "text")
EVENT_TEXT_COLUMNS = ("korean_party", "partner", "agreement_type", "status", "evidence",
                      "korean_province", "partner_canonical", "partner_country", "partner_region",
                      "partner_province", "date")
# Progress lines go to the client on this topic (dask.distributed's structured worker events).
PROGRESS_TOPIC = "twinwatch-backfill"
PROGRESS_EVERY = 10  # pages


@dataclass(frozen=True, slots=True)
class ShardSummary:
    name: str
    pages: int = 0
    documents: int = 0  # kept: passed the prefilter
    events: int = 0
    drops: dict[str, int] = field(default_factory=dict)  # reason → pages
    skipped: bool = False  # its output was there already


def output_paths(out_dir: Path, name: str) -> tuple[Path, Path]:
    return out_dir / f"{name}.documents.parquet", out_dir / f"{name}.events.parquet"


def process_shard(shard: Shard, out_dir: str, prefilter: Prefilter,
                  report: Callable[[str, int], None] | None = None) -> ShardSummary:
    """Read, prefilter and extract every page of the shard; write its two Parquet files."""
    folder = Path(out_dir)
    documents_path, events_path = output_paths(folder, shard.name)
    if documents_path.exists() and events_path.exists():
        return ShardSummary(shard.name, skipped=True)
    report = report or _report_to_client
    documents: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    drops: Counter[str] = Counter()
    pages = 0
    for page in read_shard(shard):
        pages += 1
        outcome = examine(page.fetched, prefilter=prefilter, published=page.published)
        if outcome.drop_reason or outcome.document is None:
            drops[(outcome.drop_reason or "unreadable").split(":")[0]] += 1
        else:
            documents.append(document_row(outcome))
            events.extend(event_row(outcome.url, position, event) for position, event in enumerate(outcome.events))
        if pages % PROGRESS_EVERY == 0:
            report(shard.name, pages)
    report(shard.name, pages)
    folder.mkdir(parents=True, exist_ok=True)
    _write(events, EVENT_SCHEMA(), events_path)
    _write(documents, DOCUMENT_SCHEMA(), documents_path)  # last: its presence marks the shard done
    return ShardSummary(shard.name, pages, len(documents), len(events), dict(drops))


def _report_to_client(name: str, pages: int) -> None:
    """Tell the client how far the shard is, when running on a dask.distributed worker."""
    try:
        from distributed import get_worker

        get_worker().log_event(PROGRESS_TOPIC, {"shard": name, "pages": pages})
    except (ImportError, ValueError):  # not on a worker (a test, or the local fallback)
        return


def document_row(outcome: PageOutcome) -> dict[str, Any]:
    fetched, document = outcome.fetched, outcome.document
    assert document is not None and fetched is not None
    headers = fetched.headers
    return {"url": outcome.url, "final_url": fetched.final_url or document.final_url,
            "fetched_at": fetched.fetched_at, "http_status": fetched.status,
            "content_type": headers.get("content-type"), "etag": headers.get("etag"),
            "last_modified": headers.get("last-modified"), "title": document.title,
            "published": document.published, "published_source": document.published_source,
            "charset": document.charset, "charset_source": document.charset_source,
            "format": document.format, "text": document.text}


def event_row(url: str, position: int, event: Event) -> dict[str, Any]:
    row = {name: getattr(event, name) for name in EVENT_TEXT_COLUMNS}
    row.update(url=url, position=position, evidence_start=event.evidence_span[0],
               evidence_end=event.evidence_span[1], confidence=event.confidence,
               place_ids=json.dumps(event.place_ids, ensure_ascii=False, sort_keys=True))
    return row


def event_from_row(row: dict[str, Any]) -> Event:
    fields = {name: row[name] for name in EVENT_TEXT_COLUMNS}
    return Event(**fields, evidence_span=(int(row["evidence_start"]), int(row["evidence_end"])),
                 confidence=float(row["confidence"]), place_ids=json.loads(row["place_ids"] or "{}"))


def document_from_row(row: dict[str, Any]) -> Document:
    return Document(url=row["url"], text=row["text"] or "", title=row["title"], published=row["published"],
                    published_source=row["published_source"], charset=row["charset"],
                    charset_source=row["charset_source"], format=row["format"] or "html",
                    final_url=row["final_url"])


def DOCUMENT_SCHEMA():  # noqa: N802 - a constant built on first use (pyarrow loads lazily)
    import pyarrow as pa

    types = {"http_status": pa.int32()}
    return pa.schema([(name, types.get(name, pa.string())) for name in DOCUMENT_COLUMNS])


def EVENT_SCHEMA():  # noqa: N802 - as above
    import pyarrow as pa

    return pa.schema([("url", pa.string()), ("position", pa.int32()),
                      *((name, pa.string()) for name in EVENT_TEXT_COLUMNS),
                      ("evidence_start", pa.int32()), ("evidence_end", pa.int32()),
                      ("confidence", pa.float64()), ("place_ids", pa.string())])


def _write(rows: list[dict[str, Any]], schema: Any, path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), temporary)
    os.replace(temporary, path)
