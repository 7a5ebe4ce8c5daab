"""Backfill: years of archived pages (WARC files, or Parquet tables of url/html/published) read
into the store as a batch job on Dask.

    plan_shards(inputs) → map_shards on a dask.distributed cluster (prefilter + extraction of
    each shard, written to Parquet per shard) → merge_output into the store

The stages meet only through files, so a shard's output can be merged later (`--merge-only`),
elsewhere, or twice without harm; a rerun skips the shards whose output exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from store import Store
from twinwatch.app.backfill.merge import MergeReport, merge_output
from twinwatch.app.backfill.output import ShardSummary
from twinwatch.app.backfill.runner import ClusterChoice, OnDone, OnProgress, dask_client, map_shards
from twinwatch.app.backfill.shards import SHARD_PAGES, BackfillError, Shard, plan_shards
from twinwatch.app.prefilter import Prefilter

__all__ = ["BackfillError", "BackfillReport", "ClusterChoice", "MergeReport", "Shard", "ShardSummary",
           "extract_shards", "merge_output", "plan_shards", "run_backfill"]


@dataclass(frozen=True, slots=True)
class BackfillReport:
    summaries: tuple[ShardSummary, ...]
    merged: MergeReport

    @property
    def pages(self) -> int:
        return sum(s.pages for s in self.summaries)


def extract_shards(shards: Sequence[Shard], out_dir: Path, prefilter: Prefilter, choice: ClusterChoice, *,
                   on_progress: OnProgress | None = None, on_done: OnDone | None = None) -> list[ShardSummary]:
    """Prefilter and extraction of every shard on the chosen cluster, output under `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with dask_client(choice) as client:
        return map_shards(client, list(shards), out_dir.resolve(), prefilter,
                          on_progress=on_progress, on_done=on_done)


def run_backfill(inputs: Sequence[str | Path], out_dir: Path, store: Store, *, prefilter: Prefilter,
                 choice: ClusterChoice = ClusterChoice(), shard_pages: int = SHARD_PAGES,
                 on_progress: OnProgress | None = None, on_done: OnDone | None = None) -> BackfillReport:
    """The whole job: shards planned, extracted on Dask, then merged into `store`."""
    shards = plan_shards(list(inputs), shard_pages)
    if not shards:
        raise BackfillError("the inputs hold no page records")
    summaries = extract_shards(shards, out_dir, prefilter, choice, on_progress=on_progress, on_done=on_done)
    merged = merge_output(out_dir, store, names=[shard.name for shard in shards])
    return BackfillReport(tuple(summaries), merged)
