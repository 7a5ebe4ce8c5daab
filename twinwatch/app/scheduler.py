"""`twinwatch run`: every enabled source on its own interval, and the daily digest.

APScheduler 3.x BlockingScheduler. Each source job calls `pipeline.run_once` with its own Store
(SQLite connections stay in their thread); the Fetcher is shared, so its per-host delay holds
across sources on one host. coalesce=True and max_instances=1: a run that overran its interval
is not stacked up behind itself, and missed runs collapse into one. SIGTERM/SIGINT set the stop
event: the page in hand is finished and committed, then the process exits.
"""

from __future__ import annotations

import logging
import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any, Callable, Iterator, Mapping, Sequence
from zoneinfo import ZoneInfo

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from alerts import Delivery, send_daily_digest
from crawler.fetch import Fetcher
from store import Store
from twinwatch.config import Config, SourceConfig, check_table
from twinwatch.errors import ConfigError
from crawler.listing_cache import MemoryListingCache
from twinwatch.app.pipeline import RunReport, run_once

log = logging.getLogger(__name__)



@dataclass(frozen=True, slots=True)
class SchedulerSettings:
    """The `[scheduler]` table."""

    digest_time: str = "08:00"  # HH:MM, local time in `timezone`
    timezone: str = "Asia/Seoul"
    misfire_grace_seconds: int = 600  # a job late by more than this is skipped, not run late
    run_on_start: bool = True  # each source runs once at start, then on its interval
    # `run --once`: sources crawled at the same time (each its own host, as a rule), and the
    # extraction processes (0: extract in the crawling process). Measured by benchmarks/crawl.py.
    parallel_sources: int = 64
    extract_workers: int = 2

    @classmethod
    def from_section(cls, section: Mapping[str, Any] | None) -> "SchedulerSettings":
        settings = cls(**check_table(cls, section or {}, "scheduler"))
        settings.digest_hour_minute()
        for name, least in (("parallel_sources", 1), ("extract_workers", 0)):
            value = getattr(settings, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < least:
                raise ConfigError(f"[scheduler] {name} must be a whole number ≥ {least}, not {value!r}")
        try:
            ZoneInfo(settings.timezone)
        except (KeyError, ValueError) as exc:
            raise ConfigError(f"[scheduler] timezone {settings.timezone!r} is not a known zone") from exc
        return settings

    def digest_hour_minute(self) -> tuple[int, int]:
        try:
            moment = time.fromisoformat(self.digest_time)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"[scheduler] digest_time must be HH:MM, not {self.digest_time!r}") from exc
        return moment.hour, moment.minute


def crawl_source(source: SourceConfig, config: Config, fetcher: Fetcher,
                 stop: threading.Event) -> RunReport | None:
    """One scheduled run of one source; errors are logged, never raised into the scheduler."""
    if stop.is_set():
        return None
    try:
        with Store(config.store.path, keep_raw=config.store.keep_raw) as store:
            report = run_once(source, config=config, store=store, fetcher=fetcher, stop=stop)
    except Exception:  # noqa: BLE001 - a failing run must not stop the other sources' jobs
        log.exception("run of source %s failed", source.name)
        return None
    log.info("%s: %d links, %d fetched, %d new documents, %d new events%s", source.name,
             report.links_found, report.fetched, report.new_documents, report.new_events,
             f", error: {report.errors[0]}" if report.errors else "")
    return report


def daily_digest(config: Config) -> list[Delivery]:
    """The digest job: the alerts stage sends each configured recipient its digest."""
    with Store(config.store.path, keep_raw=config.store.keep_raw) as store:
        return send_daily_digest(config, store)


def build_scheduler(config: Config, fetcher: Fetcher, stop: threading.Event, *,
                    sources: Sequence[SourceConfig] | None = None, with_digest: bool = True,
                    now: datetime | None = None) -> BlockingScheduler:
    """One interval job per source (default: every enabled one) and the daily digest job."""
    settings = SchedulerSettings.from_section(config.sections.get("scheduler"))
    zone = ZoneInfo(settings.timezone)
    scheduler = BlockingScheduler(timezone=zone, job_defaults={
        "coalesce": True, "max_instances": 1, "misfire_grace_time": settings.misfire_grace_seconds})
    start = now or datetime.now(zone)
    for source in sources if sources is not None else [s for s in config.sources if s.enabled]:
        scheduler.add_job(
            crawl_source, IntervalTrigger(minutes=source.interval_minutes, timezone=zone),
            args=(source, config, fetcher, stop), id=f"source:{source.name}", name=source.name,
            next_run_time=start if settings.run_on_start else None)
    if not with_digest:
        return scheduler
    hour, minute = settings.digest_hour_minute()
    scheduler.add_job(daily_digest, CronTrigger(hour=hour, minute=minute, timezone=zone),
                      args=(config,), id="digest", name="daily digest",
                      misfire_grace_time=3600)  # a digest an hour late is still worth sending
    return scheduler


@contextmanager
def graceful_stop(on_stop: Callable[[], None] | None = None) -> Iterator[threading.Event]:
    """SIGTERM/SIGINT set the yielded event (finish the page in hand, commit, exit); a second
    signal interrupts at once. Handlers are restored on exit."""
    stop = threading.Event()

    def handle(signum: int, _frame: object) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        log.warning("%s: finishing the current page, then stopping", signal.Signals(signum).name)
        stop.set()
        if on_stop is not None:
            on_stop()

    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def run_forever(config: Config, *, sources: Sequence[SourceConfig] | None = None,
                with_digest: bool = True) -> None:
    """`twinwatch run` (and `crawl` without --once): blocks until SIGTERM/SIGINT."""
    holder: dict[str, BlockingScheduler] = {}

    def shut_down() -> None:
        # Running jobs see `stop`, finish the page in hand and commit; waiting for them here
        # keeps the Fetcher and the stores open until they have (a second signal cuts it short).
        if "scheduler" in holder and holder["scheduler"].running:
            holder["scheduler"].shutdown(wait=True)

    # The listing cache lives as long as the process: unchanged feeds and list pages cost a 304.
    with Fetcher(config.crawler, listing_cache=MemoryListingCache()) as fetcher, \
            graceful_stop(shut_down) as stop:
        scheduler = build_scheduler(config, fetcher, stop, sources=sources, with_digest=with_digest)
        holder["scheduler"] = scheduler
        for job in scheduler.get_jobs():
            log.info("scheduled %s (%s)", job.name, job.trigger)
        scheduler.start()
