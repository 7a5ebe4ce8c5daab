"""Shard output merged into the store with the crawl's own identity rules.

Each kept document goes through `Store.save` exactly as a crawled page does (discovered_via
"backfill"): one transaction per document, keyed by canonical URL and text hash, its events
joined to stored events of the same agreement. A document already stored with the same text
adds nothing, so merging a shard twice — or a shard that overlaps the live crawl — is harmless.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from store import Store
from store.records import Retrieval
from twinwatch.app.backfill.output import document_from_row, event_from_row
from twinwatch.app.backfill.shards import BackfillError


@dataclass(frozen=True, slots=True)
class MergeReport:
    shards: int = 0
    documents: int = 0  # kept documents read from the output
    new_documents: int = 0  # saved as new or changed text
    new_events: int = 0
    matched_events: int = 0  # mentions joined to events stored already


def shard_names(out_dir: Path) -> list[str]:
    """The complete shards in a folder (the documents file is written last), in name order."""
    if not out_dir.is_dir():
        raise BackfillError(f"{out_dir}: no such folder of backfill output")
    return sorted(p.name.removesuffix(".documents.parquet") for p in out_dir.glob("*.documents.parquet"))


def merge_output(out_dir: Path, store: Store, *, names: list[str] | None = None,
                 on_shard: Callable[[str], None] | None = None) -> MergeReport:
    """Save every kept document of the given shards (default: all in the folder) with its events."""
    import pyarrow.parquet as pq

    totals = {"shards": 0, "documents": 0, "new_documents": 0, "new_events": 0, "matched_events": 0}
    for name in names if names is not None else shard_names(out_dir):
        documents = pq.read_table(out_dir / f"{name}.documents.parquet").to_pylist()
        events_by_url: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in pq.read_table(out_dir / f"{name}.events.parquet").to_pylist():
            events_by_url[row["url"]].append(row)
        for row in documents:
            _merge_document(row, events_by_url.get(row["url"], []), store, totals)
        totals["shards"] += 1
        if on_shard is not None:
            on_shard(name)
    return MergeReport(**totals)


def _merge_document(row: dict[str, Any], event_rows: list[dict[str, Any]], store: Store,
                    totals: dict[str, int]) -> None:
    retrieval = Retrieval(url=row["url"], final_url=row["final_url"], http_status=row["http_status"],
                          content_type=row["content_type"] or None, etag=row["etag"] or None,
                          last_modified=row["last_modified"] or None, fetched_at=row["fetched_at"] or "",
                          discovered_via="backfill")
    events = [event_from_row(e) for e in sorted(event_rows, key=lambda e: e["position"])]
    saved = store.save(document_from_row(row), events, retrieval=retrieval, discovered_via="backfill",
                       url=row["url"])
    totals["documents"] += 1
    totals["new_documents"] += 0 if saved.events.unchanged else 1
    totals["new_events"] += len(saved.events.new_event_ids)
    totals["matched_events"] += len(saved.events.matched_event_ids)
