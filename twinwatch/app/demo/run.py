"""The offline demo as a library call: serve the demo site on 127.0.0.1, crawl it into a fresh
database with the real pipeline, crawl it again (nothing new may come), and hand back what
happened. `twinwatch demo` prints it; tests check it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from crawler.fetch import Fetcher
from store import Store
from twinwatch.config import Config, config_from_dict
from twinwatch.app.demo.server import RequestRecord, SiteServer
from twinwatch.app.demo.site import DOWN_PATH, build_site
from crawler.listing_cache import MemoryListingCache
from twinwatch.app.pipeline import OnPage, RunReport, run_once

DEFAULT_OUTPUT = Path("demo-output")
DATABASE_NAME = "twinwatch.db"


@dataclass(frozen=True, slots=True)
class DemoResult:
    database: Path
    config_file: Path  # the demo's config as written for later commands (sources disabled)
    config: Config  # the config the demo crawled with
    first_crawl: tuple[RunReport, ...]
    second_crawl: tuple[RunReport, ...]
    events: tuple[dict[str, Any], ...]
    requests: tuple[RequestRecord, ...]  # what the crawler asked the demo site, in order


def demo_settings(base: str, database: Path) -> dict[str, Any]:
    """The demo's config: the four demo sources, and a crawler tuned for a loopback site
    (no delay, one quick retry) — politeness values for real sites stay in config.toml."""
    return {
        "store": {"path": str(database), "keep_raw": True},
        "crawler": {"delay_seconds": 0.0, "retries": 1, "backoff_seconds": 0.2,
                    "max_retry_after_seconds": 1.0, "timeout_seconds": 10.0},
        "review": {"token_users": ["demo"]},  # `serve` with TWINWATCH_REVIEW_TOKEN=demo
        "sources": [
            {"name": "데모일보", "kind": "rss", "url": f"{base}/news/rss.xml", "interval_minutes": 60},
            {"name": "데모시 보도자료", "kind": "html_list", "url": f"{base}/board/list.do",
             "interval_minutes": 120, "link_selector": "td.subject a",
             "link_template": "/board/view.do?nttId={0}", "next_selector": "div.paging a.next",
             "max_pages": 10},
            {"name": "데모통신", "kind": "sitemap", "url": f"{base}/wire/sitemap.xml",
             "interval_minutes": 60},
            {"name": "닫힌 게시판", "kind": "rss", "url": f"{base}{DOWN_PATH}", "interval_minutes": 60},
        ],
    }


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def write_config(settings: dict[str, Any], path: Path) -> None:
    """The demo's config as a TOML file, so later commands can open the demo database."""
    lines = ["# Written by `twinwatch demo`. The demo site's address was only valid during the demo;",
             "# use this file to look at the demo database: twinwatch --config THIS_FILE events", ""]
    # [store] path is read from the config file's folder: write the database's place from there
    store = {**settings["store"],
             "path": os.path.relpath(Path(settings["store"]["path"]).resolve(), path.parent.resolve())}
    for table in ("store", "crawler", "review"):
        lines.append(f"[{table}]")
        values = store if table == "store" else settings[table]
        lines.extend(f"{key} = {toml_value(value)}" for key, value in values.items())
        lines.append("")
    for source in settings["sources"]:
        lines.append("[[sources]]")
        lines.extend(f"{key} = {toml_value(value)}" for key, value in source.items())
        lines.extend(["enabled = false", ""])
    path.write_text("\n".join(lines), encoding="utf-8")


def fresh_database(output: Path) -> Path:
    output.mkdir(parents=True, exist_ok=True)
    database = output / DATABASE_NAME
    for leftover in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        leftover.unlink(missing_ok=True)
    return database


def crawl_all(config: Config, store: Store, fetcher: Fetcher,
              on_page_for: Callable[[str], OnPage] | None = None) -> tuple[RunReport, ...]:
    reports = []
    for source in config.sources:
        on_page = on_page_for(source.name) if on_page_for else None
        reports.append(run_once(source, config=config, store=store, fetcher=fetcher, on_page=on_page))
    return tuple(reports)


def run_demo(output: Path = DEFAULT_OUTPUT,
             on_page_for: Callable[[str], OnPage] | None = None) -> DemoResult:
    """Serve, crawl twice, and report. `output` receives the database and its config file."""
    output = Path(output)
    database = fresh_database(output)
    with SiteServer(down_paths=frozenset({DOWN_PATH})) as server:
        server.state.resources = build_site(server.base_url)
        settings = demo_settings(server.base_url, database)
        config = config_from_dict(settings)
        config_file = output / "config.toml"
        write_config(settings, config_file)
        with Store(database, keep_raw=True) as store, \
                Fetcher(config.crawler, listing_cache=MemoryListingCache()) as fetcher:
            first = crawl_all(config, store, fetcher, on_page_for)
            second = crawl_all(config, store, fetcher)
            events = tuple(store.events())
        requests = tuple(server.state.log)
    return DemoResult(database, config_file, config, first, second, events, requests)
