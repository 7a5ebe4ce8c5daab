"""Deadlines: a host dribbling robots.txt or a page a byte at a time is cut at the timeout, and
one URL — its retries and the Retry-After waits between them — never costs more than
`max_seconds_per_url`. Real HTTP servers on 127.0.0.1.

Each fetch runs in a thread joined with a time limit, so a missing deadline fails the test
instead of hanging it.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import replace
from typing import Callable

from click.testing import CliRunner

from crawler.fetch import Fetcher
from tests.support.sites import LoopbackSite, Reply
from tests.support.bombs import DribblingServer
from twinwatch.app.cli import cli
from twinwatch.config import CrawlerConfig
from twinwatch.errors import FetchError

QUICK = CrawlerConfig(delay_seconds=0.0, timeout_seconds=1.0, retries=3, backoff_seconds=0.05)


def finishes_within(seconds: float, call: Callable[[], object]) -> tuple[object, float]:
    """What `call` returned or raised and how long it took; fails when it runs past `seconds`."""
    outcome: list[object] = []
    started = time.monotonic()
    worker = threading.Thread(target=lambda: outcome.append(_run(call)), daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"still running after {seconds} s"
    return outcome[0], time.monotonic() - started


def _run(call: Callable[[], object]) -> object:
    try:
        return call()
    except FetchError as exc:
        return exc


def test_a_dribbling_robots_txt_is_cut_at_the_timeout() -> None:
    with DribblingServer(interval=0.1) as host, Fetcher(QUICK) as fetcher:
        outcome, took = finishes_within(6.0, lambda: fetcher.fetch(host.base + "/news/1.html"))
    assert isinstance(outcome, FetchError) and outcome.reason == "robots_unavailable: timeout"
    assert took < QUICK.timeout_seconds + 1.0
    assert host.requests == ["GET /robots.txt HTTP/1.1"]  # the page itself is never asked for


def test_robots_txt_headers_sent_a_byte_at_a_time_are_cut_at_the_timeout() -> None:
    with DribblingServer(interval=0.1, headers_too=True) as host, Fetcher(QUICK) as fetcher:
        outcome, took = finishes_within(6.0, lambda: fetcher.fetch(host.base + "/news/1.html"))
    assert isinstance(outcome, FetchError) and outcome.reason == "robots_unavailable: timeout"
    assert took < QUICK.timeout_seconds + 1.0


def test_page_headers_sent_a_byte_at_a_time_are_cut_at_the_url_deadline() -> None:
    patient = replace(QUICK, timeout_seconds=30.0, max_seconds_per_url=1.0, obey_robots=False)
    with DribblingServer(interval=0.1, headers_too=True) as host, Fetcher(patient) as fetcher:
        outcome, took = finishes_within(6.0, lambda: fetcher.fetch(host.base + "/a.html"))
    assert isinstance(outcome, FetchError) and outcome.reason == "timeout"
    assert took < 2.5


def test_extract_of_a_url_on_a_dribbling_host_ends_at_the_timeout(tmp_path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[crawler]\ndelay_seconds = 0.0\ntimeout_seconds = 1.0\n", encoding="utf-8")
    with DribblingServer(interval=0.1) as host:
        result, took = finishes_within(8.0, lambda: CliRunner().invoke(
            cli, ["--config", str(config), "extract", "--format", "json", host.base + "/a.html"]))
    assert [answer["error"] for answer in json.loads(result.stdout)] == ["robots_unavailable: timeout"]
    assert took < 4.0


def test_a_dribbling_page_is_cut_at_the_url_deadline() -> None:
    patient = replace(QUICK, timeout_seconds=30.0, max_seconds_per_url=1.0, obey_robots=False)
    with DribblingServer(interval=0.1) as host, Fetcher(patient) as fetcher:
        outcome, took = finishes_within(6.0, lambda: fetcher.fetch(host.base + "/a.html"))
    assert isinstance(outcome, FetchError) and outcome.reason == "timeout"
    assert took < 2.5


def test_a_long_retry_after_is_not_waited_for_past_the_url_deadline() -> None:
    busy = {"/p": Reply(503, b"busy", headers={"Retry-After": "3600"})}
    with LoopbackSite(busy) as site, Fetcher(replace(QUICK, obey_robots=False)) as fetcher:
        # Defaults: Retry-After capped at 120 s, each URL at most 60 s: no retry is worth it.
        assert fetcher.config.max_retry_after_seconds >= fetcher.config.max_seconds_per_url
        outcome, took = finishes_within(10.0, lambda: fetcher.fetch(site.url("/p")))
        asked = len(site.hits("/p"))
    assert isinstance(outcome, FetchError) and outcome.reason == "fetch_error: 503"
    assert took < 2.0 and asked == 1


def test_retries_stop_where_the_next_wait_would_pass_the_deadline() -> None:
    busy = {"/p": Reply(503, b"busy", headers={"Retry-After": "1"})}
    bounded = replace(QUICK, retries=10, max_seconds_per_url=2.5, obey_robots=False)
    with LoopbackSite(busy) as site, Fetcher(bounded) as fetcher:
        outcome, took = finishes_within(10.0, lambda: fetcher.fetch(site.url("/p")))
        asked = len(site.hits("/p"))
    assert isinstance(outcome, FetchError) and outcome.reason == "fetch_error: 503"
    assert asked == 3  # waits of 1 s after the first and second; a third would end past 2.5 s
    assert 2.0 <= took < 2.5


def test_retries_within_the_deadline_still_succeed() -> None:
    def busy_once(hit, seen: int) -> Reply:
        return Reply(503, headers={"Retry-After": "1"}) if seen == 0 else Reply(body=b"done")
    with LoopbackSite({"/p": busy_once}) as site, \
            Fetcher(replace(QUICK, obey_robots=False)) as fetcher:
        assert fetcher.fetch(site.url("/p")).body == b"done"


def test_a_plain_get_without_the_crawler_is_cut_at_its_timeout_too() -> None:
    from twinwatch.app.inputs import fetch_url
    with DribblingServer(interval=0.1, headers_too=True) as host:
        outcome, took = finishes_within(6.0, lambda: fetch_url(host.base + "/a", timeout=1.0))
    assert isinstance(outcome, FetchError) and outcome.reason == "fetch_error: timeout"
    assert took < 2.0
