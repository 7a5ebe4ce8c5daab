"""Backfill on Dask: a WARC of generated pages extracted by 2 local workers against 1.

    .venv/bin/python benchmarks/backfill.py [--pages 2000] [--shard-pages 100] [--repeat 2]

The harness writes a WARC (warcio) of `--pages` news pages — the crawl benchmark's mix, a quarter
agreement stories — and runs the shards on a LocalCluster of one worker, then of two, timing
the extraction only: each worker has loaded the engine before the clock starts, and each side
counts its best of `--repeat` runs into fresh folders (as timeit does: other people's jobs on
a shared machine only ever add time). It prints both times and the speed-up (target ≥ 1.7),
then merges the two-worker output into a store and checks that it holds the same events as
`ingest` of the same pages written as files, and that merging again adds none.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.crawl import site_pages  # noqa: E402 - after the path set-up above
from store import Store  # noqa: E402
from twinwatch.app.backfill import ClusterChoice, merge_output, plan_shards  # noqa: E402
from twinwatch.app.backfill.runner import dask_client, map_shards  # noqa: E402
from twinwatch.config import config_from_dict  # noqa: E402
from twinwatch.app.demo.site import encode_page, news_page  # noqa: E402
from twinwatch.app.parallel import _warm_engine  # noqa: E402
from twinwatch.app.pipeline import ingest_paths  # noqa: E402
from twinwatch.app.prefilter import Prefilter  # noqa: E402

BASE = "http://news.example.kr"


def write_archive(folder: Path, count: int) -> tuple[Path, Path]:
    """The pages as a gzip'd WARC of responses, and the same bodies as files for `ingest`."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    warc = folder / "pages.warc.gz"
    files = folder / "pages"
    files.mkdir()
    with warc.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for page in site_pages(count, 0.25):
            resource = encode_page(news_page(page, []), page)
            (files / f"{page.page_id}.html").write_bytes(resource.body)
            headers = StatusAndHeaders("200 OK", [("Content-Type", resource.content_type)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(f"{BASE}/news/{page.page_id}.html", "response",
                                                          payload=io.BytesIO(resource.body), http_headers=headers))
    return warc, files


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed_run(shards, out: Path, workers: int, repeat: int) -> tuple[float, int, float, float]:
    """Seconds the shards took on `workers` warm local workers (the best of `repeat` runs, each
    into a fresh folder: other people's jobs only ever add time), the events they found, the
    share of the workers' wall time they got a core for in that run, and the seconds the
    cluster took to start with every worker's engine loaded."""
    started = time.perf_counter()
    with dask_client(ClusterChoice("local", workers)) as client:
        client.wait_for_workers(workers)
        client.run(_warm_engine)  # every worker loaded before the clock starts
        start_up = time.perf_counter() - started
        best = (float("inf"), 0, 0.0)
        for attempt in range(repeat):
            cpu_before = sum(client.run(_cpu_seconds).values())
            began = time.perf_counter()
            summaries = map_shards(client, shards, out / str(attempt), Prefilter())
            seconds = time.perf_counter() - began
            cpu = sum(client.run(_cpu_seconds).values()) - cpu_before
            best = min(best, (seconds, sum(s.events for s in summaries), cpu / (seconds * workers)))
    return (*best, start_up)


def _autogroup() -> str:
    try:
        return "on" if Path("/proc/sys/kernel/sched_autogroup_enabled").read_text().strip() == "1" else "off"
    except OSError:
        return "unknown"


def stored_events(database: Path) -> list[tuple]:
    with Store(database) as store:
        return sorted((e["korean_party"], e["partner"], e["agreement_type"], e["status"], e["date"], e["evidence"])
                      for e in store.events())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--shard-pages", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=2, help="timed runs per worker count (the best counts)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        warc, files = write_archive(folder, args.pages)
        shards = plan_shards([warc], args.shard_pages)
        print(f"archive: {args.pages} pages in {warc.name} ({warc.stat().st_size / 1e6:.1f} MB), "
              f"{len(shards)} shards of ≤ {args.shard_pages}")
        one, events_one, share_one, start_one = timed_run(shards, folder / "out1", 1, args.repeat)
        two, events_two, share_two, start_two = timed_run(shards, folder / "out2", 2, args.repeat)
        print(f"1 worker:  {one:.1f} s ({args.pages / one:.1f} pages/s), {events_one} events; "
              f"the worker had a core {share_one:.0%} of the time")
        print(f"2 workers: {two:.1f} s ({args.pages / two:.1f} pages/s), {events_two} events; "
              f"the workers had a core {share_two:.0%} of the time (the machine is shared: "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
        print(f"(best of {args.repeat} runs each; the clusters took {start_one:.1f} s and {start_two:.1f} s "
              f"to start with their engines loaded)")
        print(f"speed-up 2 vs 1: {one / two:.2f} × (target ≥ 1.7)")
        # With autogroup scheduling every process of this session shares one session's CPU:
        # while other sessions keep the cores busy, a second worker gets no second core.
        cpu_one, cpu_two = one * share_one, two * share_two * 2
        print(f"CPU seconds: {cpu_one:.1f} on one worker, {cpu_two:.1f} on two; had each worker a core of its "
              f"own: {2 * cpu_one / cpu_two:.2f} × (autogroup scheduling: {_autogroup()})")
        config = config_from_dict({"store": {"path": str(folder / "ingest.db")}})
        with Store(folder / "ingest.db") as store:
            ingest_paths([files], config=config, store=store)
        with Store(folder / "backfill.db") as store:
            merge_output(folder / "out2" / "0", store)
            again = merge_output(folder / "out2" / "0", store)
        same = stored_events(folder / "ingest.db") == stored_events(folder / "backfill.db")
        print(f"store after merge vs ingest of the same pages: {len(stored_events(folder / 'backfill.db'))} "
              f"events, {'the same' if same else 'DIFFERENT'}; merging again: {again.new_events} new events, "
              f"{again.new_documents} new documents")
        return 0 if same and again.new_events == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
