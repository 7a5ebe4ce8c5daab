"""`benchmarks/crawl.py --day`: one `twinwatch run --once` over many loopback sites (see
benchmarks/day_sites.py), against its politeness and CPU floors measured in the same run."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from benchmarks.day_sites import DayPlan, DaySites, base_url, free_port, new_pages, site_resources
from twinwatch.pages.records import FetchResult
from twinwatch.app.demo.run import toml_value

REPO = Path(__file__).resolve().parents[1]
FLOOR_SAMPLE_HOSTS = 20  # the CPU floor reads this many sites' pages (the same mix as all)


def write_config(path: Path, plan: DayPlan, database: Path, delay: float, workers: int) -> Path:
    lines = ["[store]", f"path = {toml_value(str(database))}", "", "[crawler]",
             f"delay_seconds = {delay}", "retries = 1", "timeout_seconds = 30.0", "",
             "[scheduler]", f"extract_workers = {workers}", f"parallel_sources = {plan.hosts}"]
    for number in range(plan.hosts):
        lines += ["", "[[sources]]", f'name = "site{number:03d}"', 'kind = "sitemap"',
                  f'url = "{base_url(plan, number)}/sitemap.xml"']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run_once_cli(config: Path) -> tuple[list[dict], float, int, float]:
    """`twinwatch run --once` in a fresh process: its reports, wall seconds, exit code and the
    CPU seconds of its process tree (the crawling process and its extraction workers)."""
    cpu_before = _children_cpu()
    started = time.perf_counter()
    done = subprocess.run([str(REPO / ".venv" / "bin" / "twinwatch"), "--config", str(config), "run", "--once",
                           "--format", "json"], capture_output=True, text=True, cwd=config.parent)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 2):
        raise SystemExit(f"run --once failed ({done.returncode}): {done.stderr[-2000:]}")
    return json.loads(done.stdout), seconds, done.returncode, _children_cpu() - cpu_before


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _warm() -> None:
    from twinwatch.app.parallel import _warm_engine

    _warm_engine()


def _examine_all(pages: list[FetchResult]) -> int:
    from twinwatch.app.pipeline import examine
    from twinwatch.app.prefilter import Prefilter

    prefilter = Prefilter()
    return sum(len(examine(page, prefilter=prefilter).events) for page in pages)


def cpu_rate(plan: DayPlan, workers: int) -> tuple[float, int]:
    """Pages a second `examine` reads in `workers` processes, over FLOOR_SAMPLE_HOSTS sites'
    new pages (the same mix the day has); engines loaded before the clock starts."""
    sample = []
    for number in range(min(FLOOR_SAMPLE_HOSTS, plan.hosts)):
        resources = site_resources(plan, number, today=True)
        for page in new_pages(plan, number):
            path = f"/news/{page.page_id}.html"
            sample.append(FetchResult(url=f"{base_url(plan, number)}{path}", body=resources[path].body,
                                      headers={"content-type": resources[path].content_type}))
    chunks = [sample[i::workers * 4] for i in range(workers * 4)]
    with ProcessPoolExecutor(workers, initializer=_warm) as pool:
        list(pool.map(_examine_all, [sample[:2]] * workers))  # every worker loaded
        started = time.perf_counter()
        events = sum(pool.map(_examine_all, chunks))
        seconds = time.perf_counter() - started
    return len(sample) / seconds, events


def host_gaps(logs: list[list[tuple[float, str, int]]]) -> tuple[float, int, int]:
    """(smallest gap between two requests to one host, requests of the busiest host, total)."""
    smallest = float("inf")
    for log in logs:
        times = sorted(at for at, _path, _status in log)
        smallest = min([smallest, *(b - a for a, b in zip(times, times[1:]))])
    return smallest, max(len(log) for log in logs), sum(len(log) for log in logs)


def crawl_day(hosts: int, per_host: int, delay: float, agreement_share: float) -> None:
    plan = DayPlan(hosts=hosts, new_pages=per_host, agreement_share=agreement_share, port=free_port())
    workers = os.cpu_count() or 1
    with DaySites(plan) as sites, tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "day.db"
        # yesterday: the old pages stored and the old sitemap kept in the listing cache (no delay)
        yesterday = write_config(Path(folder) / "yesterday.toml", plan, database, 0.0, 0)
        run_once_cli(yesterday)
        sites.turn_to_today()
        before = [len(log) for log in sites.logs()]
        rate, floor_events = cpu_rate(plan, workers)
        today = write_config(Path(folder) / "today.toml", plan, database, delay, workers)
        reports, seconds, code, cpu = run_once_cli(today)
        logs = [log[start:] for log, start in zip(sites.logs(), before)]
    print_day(plan, delay, workers, reports, seconds, code, logs, rate, floor_events)
    print(f"  run --once used {cpu:.1f} CPU s (crawling process and workers): {cpu / seconds:.2f} of "
          f"{workers} cores on average (load average {os.getloadavg()[0]:.1f}; the machine may be shared)")


def print_day(plan: DayPlan, delay: float, workers: int, reports: list[dict], seconds: float, code: int,
              logs: list[list[tuple[float, str, int]]], rate: float, floor_events: int) -> None:
    pages = plan.hosts * plan.new_pages
    smallest, busiest, total = host_gaps(logs)
    politeness = busiest * delay
    cpu = pages / rate
    floor = max(politeness, cpu)
    fetched = sum(r["fetched"] for r in reports)
    statuses = sorted({status for log in logs for _at, _path, status in log})
    not_modified = sum(1 for log in logs for _at, path, status in log if status == 304)
    print(f"day: {plan.hosts} sites on 127.0.0.2 …, {plan.new_pages} new pages each ({pages} pages, "
          f"{plan.agreement_share:.0%} agreement stories), delay {delay:.1f} s, {workers} extraction workers")
    print(f"run --once: {seconds:.1f} s wall, exit {code}; {fetched} pages fetched, "
          f"{sum(r['new_events'] for r in reports)} new events, "
          f"{sum(len(r['dropped']) for r in reports)} dropped, {sum(1 for r in reports if r['errors'])} sources failed")
    print(f"  requests: {total} ({busiest} to the busiest host, statuses {statuses}, "
          f"{not_modified} unchanged listings answered 304)")
    print(f"politeness floor: {busiest} requests × {delay:.1f} s = {politeness:.1f} s")
    print(f"CPU floor: {pages} pages ÷ {rate:.1f} pages/s (examine in {workers} processes, "
          f"{FLOOR_SAMPLE_HOSTS * plan.new_pages} pages sampled, {floor_events} events) = {cpu:.1f} s")
    print(f"ratio wall / max(floors) = {seconds / floor:.2f} (target ≤ 1.3)")
    verdict = "ok" if smallest >= delay else "VIOLATED"
    print(f"politeness check: smallest gap between two requests to one host {smallest:.3f} s "
          f"(delay {delay:.1f} s): {verdict}")
    if smallest < delay:
        sys.exit(1)
