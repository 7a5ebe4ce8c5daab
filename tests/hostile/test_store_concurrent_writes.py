"""Reviewers' writes wait their turn: two browser sessions over real HTTP and two CLI loops
decide events while `twinwatch crawl` reads and saves a loopback site, and not one decision
is lost."""

from __future__ import annotations

import json
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import requests

from store import Store
from tests.support.paths import REPO
from tests.support.pipeline_site import article_site, write_config
from tests.support.review import PASSWORD, csrf_of, live_server, review_config, seed
from tests.support.store import make_event, save_page
from twinwatch.app.demo.articles import fact_articles
from twinwatch.app.demo.server import SiteServer
from twinwatch.app.demo.site import Resource

WRITES_PER_WRITER = 125  # four writers: 500 decisions
EVENTS = 40

# A CLI loop: `twinwatch review confirm|reject` invoked again and again in its own process,
# each call opening the store as the command does. One JSON line per write.
CLI_LOOP = """
import json, sys, time
from twinwatch.app.cli import cli
config, reviewer, count, events = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
for i in range(count):
    event_id = str(1 + (i * 7 + len(reviewer)) % events)
    args = ["review", "confirm", event_id] if i % 2 else ["review", "reject", event_id, "--reason", "load"]
    started = time.perf_counter()
    try:
        cli.main(["--config", config, *args, "--reviewer", reviewer], standalone_mode=False)
        error = None
    except BaseException as exc:
        error = repr(exc)
    print(json.dumps({"seconds": time.perf_counter() - started, "error": error}), flush=True)
"""

COPIES = 6  # each demo article under this many URLs: a crawl long enough to outlast the writers


def _crawl_site(base: str) -> dict[str, Resource]:
    """The demo articles, each published under COPIES URLs, and a feed listing them all."""
    stories = [replace(story, page_id=f"{story.page_id}-{copy}")
               for copy in range(COPIES) for story in fact_articles()]
    return article_site(base, stories)


def _wait_for_first_page(database: Path, crawl: subprocess.Popen[str]) -> int:
    """Documents stored once the crawl has read its first page (the NLP loads first)."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and crawl.poll() is None:
        count = _documents(database)
        if count > 0:
            return count
        time.sleep(0.2)
    raise AssertionError(f"the crawl saved nothing (exit {crawl.poll()})")


def _documents(database: Path) -> int:
    with Store(database, create=False) as store:
        return int(store.db.execute("SELECT count(*) FROM documents WHERE source = 'feed'").fetchone()[0])


def _browser_writer(base: str, name: str, results: list[tuple[float, str | None]]) -> None:
    """A logged-in session confirming and rejecting events through the page's forms."""
    session = requests.Session()
    token = csrf_of(session.get(f"{base}/login", timeout=60).text)
    session.post(f"{base}/login", data={"name": name, "password": PASSWORD, "csrf_token": token},
                 timeout=60)
    token = csrf_of(session.get(f"{base}/events/1", timeout=60).text)
    for i in range(WRITES_PER_WRITER):
        event_id = 1 + (i * 11 + len(name)) % EVENTS
        action, form = (("confirm", {}) if i % 2 else ("reject", {"reason": "load"}))
        started = time.perf_counter()
        response = session.post(f"{base}/events/{event_id}/{action}", timeout=120,
                                data={"csrf_token": token, **form}, allow_redirects=False)
        seconds = time.perf_counter() - started
        ok = response.status_code == 302
        results.append((seconds, None if ok else f"HTTP {response.status_code}"))


def _cli_loop(config: Path, reviewer: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", CLI_LOOP, str(config), reviewer,
                             str(WRITES_PER_WRITER), str(EVENTS)], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_browsers_and_two_cli_loops_lose_no_write_during_a_crawl(tmp_path):
    database = seed(tmp_path / "load.db", EVENTS)
    with SiteServer() as site:
        site.state.resources = _crawl_site(site.base_url)
        config = write_config(tmp_path / "config.toml", database,
                              [{"name": "feed", "kind": "rss", "url": f"{site.base_url}/feed.xml"}])
        crawl = subprocess.Popen([sys.executable, "-m", "twinwatch.app.cli", "--config", str(config),
                                  "crawl", "--once", "--format", "json"], cwd=REPO,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        pages_before = _wait_for_first_page(database, crawl)
        results, elapsed = _write_500(database, config)
        pages_during = _documents(database) - pages_before
        crawl_running = crawl.poll() is None
        crawl.send_signal(signal.SIGTERM)  # finishes the page in hand, then reports
        crawled = crawl.communicate(timeout=120)
    assert crawl.returncode == 0, crawled[1][-2000:]

    failures = [error for _, error in results if error]
    seconds = sorted(s for s, _ in results)
    p95 = seconds[int(len(seconds) * 0.95) - 1]
    print(f"\n{len(results)} writes, {len(failures)} failed, {len(results) / elapsed:.1f} writes/s, "
          f"p95 {p95 * 1000:.0f} ms, median {statistics.median(seconds) * 1000:.0f} ms; the crawl "
          f"saved {pages_during} pages meanwhile (still running at the end: {crawl_running})")
    assert len(results) == 4 * WRITES_PER_WRITER
    assert failures == []
    with Store(database, create=False) as store:
        logged = store.db.execute("SELECT count(*) FROM review_log").fetchone()[0]
    assert logged == 4 * WRITES_PER_WRITER  # every answered write is in the log
    assert pages_during > 0 and crawl_running  # the crawl really wrote all along


def _write_500(database: Path, config: Path) -> tuple[list[tuple[float, str | None]], float]:
    """Two browser sessions and two CLI loops, 125 decisions each: (seconds, error) per write."""
    users = {name: review_config().users["alice"] for name in ("alice", "bob")}
    results: list[tuple[float, str | None]] = []
    started = time.perf_counter()
    with live_server(database, review_config(users=users)) as base:
        loops = [_cli_loop(config, name) for name in ("carol", "dave")]
        browsers = [threading.Thread(target=_browser_writer, args=(base, name, results))
                    for name in ("alice", "bob")]
        for thread in browsers:
            thread.start()
        for loop in loops:
            out, err = loop.communicate(timeout=600)
            lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
            assert len(lines) == WRITES_PER_WRITER, err[-2000:]
            results.extend((line["seconds"], line["error"]) for line in lines)
        for thread in browsers:
            thread.join(timeout=600)
    return results, time.perf_counter() - started


def test_a_read_then_write_transaction_waits_for_the_writer_instead_of_failing(tmp_path):
    """The shape that failed: read inside the transaction, another connection commits, then
    write. A deferred transaction cannot upgrade (SQLITE_BUSY at once); an immediate one waits."""
    path = tmp_path / "two.db"
    decided: list[str] = []

    def write_from_another_connection() -> None:
        with Store(path) as second:
            second.review(1, "confirm", "bob")
            decided.append(second.event(1)["review_state"])

    with Store(path) as first:
        save_page(first, "https://a.example.kr/1", [make_event()])
        with first.transaction():
            first.db.execute("UPDATE events SET confidence = 0.5")
            waiter = threading.Thread(target=write_from_another_connection)
            waiter.start()
            time.sleep(0.5)
            assert decided == []  # waiting its turn behind the open transaction
        waiter.join(timeout=30)
    assert decided == ["confirmed"]
