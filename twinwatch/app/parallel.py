"""`twinwatch run --once`: every enabled source once, hosts in parallel, extraction on all cores.

Three stages, each bounded, so fetching, reading and saving go on at the same time:
- threads, one source each (`[scheduler] parallel_sources` at a time). They share one Fetcher,
  whose per-host lock and delay keep the manners of a sequential crawl — a host never gets two
  requests closer than its delay — while different hosts are fetched at the same time. A
  source's thread only fetches: each page it gets goes to the finishers, and it goes on to the
  next link (at most `pipeline.PAGES_IN_FLIGHT` pages ahead of them);
- finisher threads, which hand a page to an extraction process and have it saved. Extraction
  runs in processes (`[scheduler] extract_workers`) because reading a page and the NLP are CPU
  work that threads of one interpreter cannot spread over cores. Each worker loads the engine
  (spaCy, Kiwi, gazetteer) once, when the pool starts. A page with no agreement word anywhere
  stops in the finisher, before the trip (the same cheap test `examine` starts with);
- one store writer thread, the only connection that writes (see StoreWriter).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import re
import threading
import urllib.request
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, Callable, Sequence, cast

import requests

from crawler import attachments
from crawler.deadline import DeadlineAdapter
from crawler.fetch import Fetcher
from crawler.listing_cache import ListingCache
from twinwatch.pages.records import FetchResult
from store import Store
from twinwatch.config import Config, SourceConfig
from twinwatch.app.pipeline import (PageOutcome, RunReport, _Timer, examine, examine_here,
                               plainly_off_topic, run_once)
from twinwatch.app.prefilter import Prefilter
from twinwatch.app.scheduler import SchedulerSettings

log = logging.getLogger(__name__)

OnReport = Callable[[RunReport], None]
# Every link crawler.attachments finds names .pdf/.hwp/.hwpx somewhere in the page's bytes (perhaps
# percent-encoded): a page without one needs no parse for attachment links in this thread.
MAY_LINK_FILES = re.compile(rb"(?:\.|%2e)(?:pdf|hwpx?)", re.IGNORECASE)


def _warm_engine() -> None:
    """Worker initializer: pay the engine's load in every worker before the first page."""
    from extract.core import load_engine

    load_engine()


# Extraction workers run this much nicer than the crawling process: its threads pace each host's
# requests, and a request that waits for a core stretches that host's day (a page that waits
# for a core only waits; the worker catches up when the fetchers idle between delays).
WORKER_NICENESS = 10


def _start_worker() -> None:
    """ExtractPool's worker initializer: step back for the fetchers, then load the engine."""
    try:
        os.nice(WORKER_NICENESS)
    except OSError:  # not allowed here: the worker runs at the crawler's priority
        log.debug("extraction worker runs without niceness")
    _warm_engine()


def _examine_in_worker(fetched: FetchResult, prefilter: Prefilter,
                       attachment_texts: list[str]) -> PageOutcome:
    """`examine` in a worker; the answer leaves out what the crawling process has or does not
    need (the page's bytes, its decoded source), which would only cost pickling both ways."""
    outcome = examine(fetched, prefilter=prefilter, attachment_texts=attachment_texts)
    document = replace(outcome.document, html=None) if outcome.document is not None else None
    return replace(outcome, fetched=None, document=document)


class ExtractPool:
    """Extraction processes behind the `ExaminePage` interface of `pipeline.run_once`.

    Started with 'spawn': forking a process that already runs fetch threads can copy a lock
    held by one of them into the child.
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool = ProcessPoolExecutor(max_workers=workers, initializer=_start_worker,
                                         mp_context=multiprocessing.get_context("spawn"))
        # start every worker now, so the engines load while the first listings are fetched
        for _ in range(workers):
            self._pool.submit(_noop)

    def examine_page(self, fetched: FetchResult, fetcher: Fetcher, prefilter: Prefilter,
                     timer: _Timer) -> PageOutcome:
        with timer("decode"):
            if plainly_off_topic(fetched, prefilter):
                return PageOutcome(fetched.url, fetched.listed_title, drop_reason="off_topic",
                                   fetched=fetched)
        texts: list[str] = []
        if attachments.sniff_kind(fetched.body) is None and MAY_LINK_FILES.search(fetched.body):
            with timer("fetch"):
                texts = attachments.attachment_texts(fetched, fetcher)
        with timer("extract"):
            try:
                future: Future[PageOutcome] = self._pool.submit(_examine_in_worker, fetched, prefilter, texts)
                outcome = future.result()
            except BrokenProcessPool:  # a worker died (killed, out of memory): read it here
                log.error("an extraction worker died; %s is read in the crawling process", fetched.url)
                return examine(fetched, prefilter=prefilter, timer=timer, attachment_texts=texts)
        return replace(outcome, fetched=fetched)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> "ExtractPool":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _noop() -> None:
    return None


def _session(connections: int) -> requests.Session:
    """A Session keeping a connection pool for each host crawled at once (requests keeps 10:
    with more hosts than that, every request opened a new connection and dropped a pool)."""
    session = requests.Session()
    if not urllib.request.getproxies():
        # With no proxy configured, requests would still read the environment's proxy, CA and
        # .netrc settings again for every request (a fifth of a loopback request's CPU, and
        # the crawling process is the day's busiest); the CA bundle is the one setting left.
        session.trust_env = False
        session.verify = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
    adapter = DeadlineAdapter(pool_connections=connections, pool_maxsize=2)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def run_all_once(config: Config, *, sources: Sequence[SourceConfig] | None = None,
                 listing_cache: ListingCache | None = None, stop: threading.Event | None = None,
                 on_report: OnReport | None = None) -> list[RunReport | None]:
    """Every given source (default: the enabled ones) once; one report per source, in the
    given order — None for a source whose run failed outright (the log says why)."""
    settings = SchedulerSettings.from_section(config.sections.get("scheduler"))
    chosen = list(sources) if sources is not None else [s for s in config.sources if s.enabled]
    stop = stop or threading.Event()
    if not chosen:
        return []
    pool = ExtractPool(settings.extract_workers) if settings.extract_workers > 0 else None
    parallel = min(settings.parallel_sources, len(chosen))
    try:
        with StoreWriter(config) as writer, \
                Fetcher(config.crawler, session=_session(parallel), listing_cache=listing_cache) as fetcher, \
                ThreadPoolExecutor(max_workers=FINISHERS_PER_WORKER * max(1, settings.extract_workers),
                                   thread_name_prefix="finish") as finishers, \
                ThreadPoolExecutor(max_workers=parallel, thread_name_prefix="source") as threads:
            run = _SourceRun(config, fetcher, stop, pool, writer, finishers, on_report)
            futures = [threads.submit(run, source) for source in chosen]
            return [future.result() for future in futures]
    finally:
        if pool is not None:
            pool.close()


# Finisher threads per extraction worker: each waits on one page in a worker (or on its save),
# so a few per worker keep every worker's queue full while others save.
FINISHERS_PER_WORKER = 4


@dataclass(frozen=True, slots=True)
class _SourceRun:
    """One source's run in a thread of its own (the shared parts of the whole run held)."""

    config: Config
    fetcher: Fetcher
    stop: threading.Event
    pool: ExtractPool | None
    writer: "StoreWriter"
    finishers: ThreadPoolExecutor
    on_report: OnReport | None

    def __call__(self, source: SourceConfig) -> RunReport | None:
        """The run's report; errors are logged, never raised."""
        if self.stop.is_set():
            return None
        examine_page = self.pool.examine_page if self.pool is not None else examine_here
        try:
            with Store(self.config.store.path, keep_raw=self.config.store.keep_raw) as reader:
                store = cast(Store, WritesThroughWriter(reader, self.writer))
                report = run_once(source, config=self.config, store=store, fetcher=self.fetcher,
                                  stop=self.stop, examine_page=examine_page, finishers=self.finishers)
        except Exception:  # noqa: BLE001 - one source's failure must not stop the others
            log.exception("run of source %s failed", source.name)
            return None
        if self.on_report is not None:
            self.on_report(report)
        return report


class StoreWriter:
    """The run's one writing connection, in a thread of its own; every write of every source
    goes through it, one transaction per page as before.

    SQLite lets one connection write at a time. With a connection per source thread the others
    waited in SQLite's busy handler (sleeps of up to 100 ms) or, behind a shared lock, each
    thread stopped fetching while others saved (benchmarks/crawl.py --day). One writer saves
    back to back, and a source's thread never waits for it: its pages are saved by finisher
    threads while it fetches the next.
    """

    def __init__(self, config: Config) -> None:
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="store-writer")
        # opened in the writer's thread: an SQLite connection stays in the thread it was made in
        try:
            self._store = self._thread.submit(Store, config.store.path, keep_raw=config.store.keep_raw).result()
        except BaseException:
            self._thread.shutdown()
            raise

    def call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """`Store.<method>(*args, **kwargs)` run by the writer; waits for its answer."""
        return self._thread.submit(getattr(self._store, method), *args, **kwargs).result()

    def close(self) -> None:
        self._thread.submit(self._store.close).result()
        self._thread.shutdown(wait=True)

    def __enter__(self) -> "StoreWriter":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class WritesThroughWriter:
    """A source thread's Store: reads on its own connection (WAL readers never wait for the
    writer), writes handed to the run's StoreWriter."""

    WRITES = frozenset({"save", "register_source", "record_source_attempt"})

    def __init__(self, reader: Store, writer: StoreWriter) -> None:
        self._reader = reader
        self._writer = writer

    def __getattr__(self, name: str) -> Any:
        if name in self.WRITES:
            return partial(self._writer.call, name)
        return getattr(self._reader, name)
