"""Crawls in a real subprocess, interrupted: SIGKILL loses nothing and duplicates nothing on the
re-run; SIGTERM finishes the page in hand, commits and exits; `twinwatch run` stops cleanly."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from store import Store
from tests.support.paths import REPO
from tests.support.pipeline_site import article_site, single_agreement_articles, write_config
from twinwatch.app.cli import cli
from twinwatch.app.demo.server import SiteServer

ARTICLES = 16
SLOW_SECONDS = 0.25  # per response: slow enough to interrupt the crawl half-way


def start_twinwatch(config: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-m", "twinwatch.app.cli", "--config", str(config), *args],
                            cwd=config.parent, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def wait_for(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def article_200s(server: SiteServer) -> int:
    return sum(1 for r in server.requests_for("/articles/") if r.status == 200)


def event_keys(database: Path) -> list[tuple]:
    with Store(database) as store:
        return sorted((e["korean_party"], e["partner"], e["agreement_type"], e["date"], e["status"],
                       tuple(sorted(e["source_urls"]))) for e in store.events())


def document_count(database: Path) -> int:
    with Store(database) as store:
        return store.db["documents"].count


def test_sigkill_mid_crawl_then_rerun_loses_and_duplicates_nothing(tmp_path):
    with SiteServer() as server:
        server.state.resources = article_site(server.base_url, single_agreement_articles(ARTICLES))
        source = [{"name": "feed", "kind": "rss", "url": f"{server.base_url}/feed.xml"}]
        reference = write_config(tmp_path / "reference.toml", tmp_path / "reference.db", source)
        assert CliRunner().invoke(cli, ["--config", str(reference), "crawl", "--once"]).exit_code == 0
        killed = write_config(tmp_path / "killed.toml", tmp_path / "killed.db", source)
        server.state.response_delay_seconds = SLOW_SECONDS
        start = len(server.state.log)
        crawl = start_twinwatch(killed, "crawl", "--once")
        wait_for(lambda: sum(1 for r in server.state.log[start:]
                             if r.path.startswith("/articles/")) >= ARTICLES // 2)
        crawl.send_signal(signal.SIGKILL)
        crawl.wait(timeout=10)
        saved_before_rerun = document_count(tmp_path / "killed.db")
        server.state.response_delay_seconds = 0.0
        result = CliRunner().invoke(cli, ["--config", str(killed), "crawl", "--once"])
    assert result.exit_code == 0, result.output
    assert 0 < saved_before_rerun < ARTICLES  # the kill did land mid-crawl
    assert document_count(tmp_path / "killed.db") == ARTICLES
    keys = event_keys(tmp_path / "killed.db")
    assert len(keys) == len(set(keys))
    assert keys == event_keys(tmp_path / "reference.db")


def test_sigterm_finishes_the_page_in_hand_and_exits(tmp_path):
    with SiteServer() as server:
        server.state.resources = article_site(server.base_url, single_agreement_articles(ARTICLES))
        server.state.response_delay_seconds = SLOW_SECONDS
        config = write_config(tmp_path / "config.toml", tmp_path / "tw.db", [
            {"name": "feed", "kind": "rss", "url": f"{server.base_url}/feed.xml"}])
        crawl = start_twinwatch(config, "crawl", "--once", "--format", "json")
        wait_for(lambda: article_200s(server) >= 3)
        crawl.send_signal(signal.SIGTERM)
        out, err = crawl.communicate(timeout=30)
        fetched = article_200s(server)
    assert crawl.returncode == 0, err.decode()
    report = json.loads(out)[0]
    assert report["interrupted"] is True
    assert 3 <= report["fetched"] < ARTICLES
    assert document_count(tmp_path / "tw.db") == report["fetched"] == fetched


def documents_seen(database: Path) -> int:
    """Documents committed so far, read without opening a Store (which would migrate a database
    the other process may be creating)."""
    if not database.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as conn:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def test_run_crawls_on_start_and_stops_on_sigterm(tmp_path):
    with SiteServer() as server:
        server.state.resources = article_site(server.base_url, single_agreement_articles(3))
        config = write_config(tmp_path / "config.toml", tmp_path / "tw.db", [
            {"name": "feed", "kind": "rss", "url": f"{server.base_url}/feed.xml", "interval_minutes": 30}])
        running = start_twinwatch(config, "run")
        try:
            wait_for(lambda: documents_seen(tmp_path / "tw.db") == 3)
        finally:
            running.send_signal(signal.SIGTERM)
            _, err = running.communicate(timeout=30)
    assert running.returncode == 0, err.decode()
    assert sum(1 for r in server.state.log if r.path == "/feed.xml") == 1


def test_run_under_sigterm_finishes_the_page_in_hand(tmp_path):
    with SiteServer() as server:
        server.state.resources = article_site(server.base_url, single_agreement_articles(ARTICLES))
        server.state.response_delay_seconds = SLOW_SECONDS
        config = write_config(tmp_path / "config.toml", tmp_path / "tw.db", [
            {"name": "feed", "kind": "rss", "url": f"{server.base_url}/feed.xml"}])
        running = start_twinwatch(config, "run")
        wait_for(lambda: article_200s(server) >= 3)
        running.send_signal(signal.SIGTERM)
        _, err = running.communicate(timeout=30)
        fetched = article_200s(server)
    assert running.returncode == 0, err.decode()
    assert 3 <= fetched < ARTICLES
    assert documents_seen(tmp_path / "tw.db") == fetched  # every page it fetched was committed
