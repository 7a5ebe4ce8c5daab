"""`twinwatch run --once`: every enabled source once, hosts in parallel, extraction on all cores.

Two pools, each bounded:
- threads, one source each (`[scheduler] parallel_sources` at a time). They share one Fetcher,
  whose per-host lock and delay keep the manners of a sequential crawl — a host never gets two
  requests closer than its delay — while different hosts are fetched at the same time;
- extraction processes (`[scheduler] extract_workers`), because reading a page and the NLP are
  CPU work that threads of one interpreter cannot spread over cores. Each worker loads the
  engine (spaCy, Kiwi, gazetteer) once, when the pool starts.

A thread does what needs the network or the store — fetching, attachments, saving — and hands
the page itself to a worker; a page with no agreement word anywhere stops in the thread, before
the trip (the same cheap test `examine` starts with).
"""

from __future__ import annotations

import logging
import multiprocessing
import re
import threading
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from typing import Any, Callable, Sequence, cast

import requests
import requests.adapters

from crawler import attachments
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
        self._pool = ProcessPoolExecutor(max_workers=workers, initializer=_warm_engine,
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
    """A Session keeping a connection pool for each host crawled at once (requests keeps 10)."""
    session = requests.Session()
    adapter = requests.adapters.HTTPAdapter(pool_connections=connections, pool_maxsize=2)
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
    writes = threading.Lock()
    try:
        with Fetcher(config.crawler, session=_session(parallel), listing_cache=listing_cache) as fetcher, \
                ThreadPoolExecutor(max_workers=parallel, thread_name_prefix="source") as threads:
            futures = [threads.submit(_one_source, source, config, fetcher, stop, pool, writes, on_report)
                       for source in chosen]
            return [future.result() for future in futures]
    finally:
        if pool is not None:
            pool.close()


def _one_source(source: SourceConfig, config: Config, fetcher: Fetcher, stop: threading.Event,
                pool: ExtractPool | None, writes: threading.Lock,
                on_report: OnReport | None) -> RunReport | None:
    """One source's run in its thread, with a Store of its own whose writes take turns with
    the other threads' (see OneWriterAtATime); errors are logged, never raised."""
    if stop.is_set():
        return None
    examine_page = pool.examine_page if pool is not None else examine_here
    try:
        with Store(config.store.path, keep_raw=config.store.keep_raw) as store:
            shared = cast(Store, OneWriterAtATime(store, writes))
            report = run_once(source, config=config, store=shared, fetcher=fetcher, stop=stop,
                              examine_page=examine_page)
    except Exception:  # noqa: BLE001 - one source's failure must not stop the others
        log.exception("run of source %s failed", source.name)
        return None
    if on_report is not None:
        on_report(report)
    return report


class OneWriterAtATime:
    """A thread's Store whose writes wait on one lock shared by every thread of the run.

    SQLite lets one connection write at a time; the others wait in its busy handler, which
    sleeps in steps of up to 100 ms and gives up after the store's timeout. With a few hundred
    sources crawled at once that wasted most of a thread's time and, under load, lost pages
    to 'database is locked' (benchmarks/crawl.py --day). A Python lock hands the turn over at
    once. Reads (known_url) need no turn: WAL readers never wait for the writer.
    """

    def __init__(self, store: Store, writes: threading.Lock) -> None:
        self._store = store
        self._writes = writes

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def save(self, *args: Any, **kwargs: Any) -> Any:
        with self._writes:
            return self._store.save(*args, **kwargs)

    def register_source(self, *args: Any, **kwargs: Any) -> Any:
        with self._writes:
            return self._store.register_source(*args, **kwargs)

    def record_source_attempt(self, *args: Any, **kwargs: Any) -> Any:
        with self._writes:
            return self._store.record_source_attempt(*args, **kwargs)
