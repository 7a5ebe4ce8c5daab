"""Shards mapped over a dask.distributed cluster: a LocalCluster of worker processes by default,
or the scheduler at an address (`tcp://host:8786`) when the archive outgrows one machine.

Each worker loads the extraction engine once (a worker plugin, before its first shard), then
runs `process_shard` on the shards it is given; the client follows each shard's progress from
the workers' events and collects the summaries. Workers must see the input files and the
output folder under the same paths (a shared disk), as with any Dask cluster.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator
from contextlib import contextmanager

from twinwatch.app.backfill.output import PROGRESS_TOPIC, ShardSummary, process_shard
from twinwatch.app.backfill.shards import BackfillError, Shard
from twinwatch.app.prefilter import Prefilter

log = logging.getLogger(__name__)

# (shard name, pages read so far) as workers report it; (summary) when a shard is done.
OnProgress = Callable[[str, int], None]
OnDone = Callable[[ShardSummary], None]


@dataclass(frozen=True, slots=True)
class ClusterChoice:
    scheduler: str = "local"  # "local", or a dask.distributed scheduler address
    workers: int | None = None  # local worker processes (default: one per core)


class WarmEngine:
    """Worker plugin: load spaCy, Kiwi and the gazetteer as the worker starts."""

    name = "twinwatch-warm-engine"

    def setup(self, worker: Any) -> None:
        from twinwatch.app.parallel import _warm_engine

        _warm_engine()


@contextmanager
def dask_client(choice: ClusterChoice) -> Iterator[Any]:
    """A distributed Client on a fresh LocalCluster (processes, one thread each) or an address."""
    try:
        from distributed import Client, LocalCluster
        from distributed.diagnostics.plugin import WorkerPlugin
    except ImportError as exc:
        raise BackfillError("backfill needs Dask: pip install 'twinwatch[backfill]'") from exc
    if choice.scheduler == "local":
        workers = choice.workers or os.cpu_count() or 1
        # one thread per worker: extraction is CPU-bound Python; processes share the cores
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=":0", silence_logs=logging.ERROR)
        client = Client(cluster)
    else:
        cluster = None
        try:
            client = Client(choice.scheduler, timeout=30)
        except (OSError, TimeoutError) as exc:
            raise BackfillError(f"no Dask scheduler answers at {choice.scheduler}: {exc}") from exc
    try:
        plugin = type("TwinwatchWarmEngine", (WarmEngine, WorkerPlugin), {})()
        client.register_plugin(plugin, name=WarmEngine.name)
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def map_shards(client: Any, shards: list[Shard], out_dir: Path, prefilter: Prefilter, *,
               on_progress: OnProgress | None = None, on_done: OnDone | None = None) -> list[ShardSummary]:
    """Every shard processed on the cluster; summaries in shard order. A shard whose task
    failed raises BackfillError after the others finished (their output stands)."""
    from distributed import as_completed

    if on_progress is not None:
        client.subscribe_topic(PROGRESS_TOPIC, lambda event: on_progress(event[1]["shard"], event[1]["pages"]))
    futures = client.map(process_shard, shards, out_dir=str(out_dir), prefilter=prefilter,
                         key=[f"twinwatch-shard-{shard.name}" for shard in shards], pure=False)
    by_key = {future.key: index for index, future in enumerate(futures)}
    summaries: list[ShardSummary | None] = [None] * len(shards)
    failures = []
    for future in as_completed(futures):
        index = by_key[future.key]
        if future.status != "finished":
            failures.append(f"{shards[index].name}: {future.exception()!r}")
            continue
        summaries[index] = future.result()
        if on_done is not None:
            on_done(summaries[index])
    if on_progress is not None:
        client.unsubscribe_topic(PROGRESS_TOPIC)
    if failures:
        raise BackfillError(f"{len(failures)} shard(s) failed (rerun to retry them): " + "; ".join(failures[:3]))
    return [summary for summary in summaries if summary is not None]
