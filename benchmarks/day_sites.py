"""The loopback sites of `benchmarks/crawl.py --day`: one news site on each of many loopback
addresses (127.0.0.2, 127.0.0.3 …), served from a process of their own so that serving does not
share the crawler's interpreter lock.

Each site has a robots.txt and a sitemap index. Yesterday the index lists only `sitemap-old.xml`
(a few off-topic pages); today it also lists `sitemap-new.xml` with the day's new pages, so a
crawl that read yesterday's finds the index changed, the old sitemap unchanged (a 304 from the
listing cache) and the new one full.
"""

from __future__ import annotations

import multiprocessing
import socket
from dataclasses import dataclass
from multiprocessing.connection import Connection

from twinwatch.app.demo.articles import Article
from twinwatch.app.demo.server import SiteServer
from twinwatch.app.demo.site import Resource, encode_page, news_page

OLD_PAGES = 2


@dataclass(frozen=True, slots=True)
class DayPlan:
    hosts: int
    new_pages: int  # per host
    agreement_share: float
    port: int


def host_address(number: int) -> str:
    """The loopback address of site `number` (0-based): 127.0.0.2 onwards, then 127.0.1.x …"""
    position = number + 2
    return f"127.0.{position // 256}.{position % 256}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((host_address(0), 0))
        return probe.getsockname()[1]


def base_url(plan: DayPlan, number: int) -> str:
    return f"http://{host_address(number)}:{plan.port}"


def new_pages(plan: DayPlan, number: int) -> list[Article]:
    from benchmarks.crawl import site_pages  # the same page mix as the single-site benchmark

    every_page = site_pages(plan.hosts * plan.new_pages, plan.agreement_share)
    return every_page[number * plan.new_pages:(number + 1) * plan.new_pages]


def _sitemap(urls: list[str], index: bool = False) -> Resource:
    tag, item = ("sitemapindex", "sitemap") if index else ("urlset", "url")
    entries = "\n".join(f"<{item}><loc>{u}</loc></{item}>" for u in urls)
    body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<{tag} xmlns="http://www.sitemaps.org/'
            f'schemas/sitemap/0.9">\n{entries}\n</{tag}>\n').encode()
    return Resource(body, "application/xml")


def site_resources(plan: DayPlan, number: int, today: bool) -> dict[str, Resource]:
    from benchmarks.crawl import OFF_TOPIC_PARAGRAPHS

    base = base_url(plan, number)
    resources = {"/robots.txt": Resource(b"User-agent: *\nAllow: /\n", "text/plain")}
    old_urls = []
    for index in range(OLD_PAGES):
        page = Article(page_id=f"old{number}-{index}", sites=("news",), encoding="utf-8",
                       published="2025-04-30", title=f"도로 보수 공사 안내 {number}-{index}",
                       paragraphs=OFF_TOPIC_PARAGRAPHS)
        resources[f"/news/{page.page_id}.html"] = encode_page(news_page(page, []), page)
        old_urls.append(f"{base}/news/{page.page_id}.html")
    resources["/sitemap-old.xml"] = _sitemap(old_urls)
    children = [f"{base}/sitemap-old.xml"]
    if today:
        new_urls = []
        for page in new_pages(plan, number):
            resources[f"/news/{page.page_id}.html"] = encode_page(news_page(page, []), page)
            new_urls.append(f"{base}/news/{page.page_id}.html")
        resources["/sitemap-new.xml"] = _sitemap(new_urls)
        children.append(f"{base}/sitemap-new.xml")
    resources["/sitemap.xml"] = _sitemap(children, index=True)
    return resources


def _serve(plan: DayPlan, commands: Connection) -> None:
    """The server process: every site, until told to stop; answers 'today' and 'log'."""
    servers = [SiteServer(site_resources(plan, n, today=False), host=host_address(n), port=plan.port).start()
               for n in range(plan.hosts)]
    commands.send("ready")
    while True:
        command = commands.recv()
        if command == "today":
            for number, server in enumerate(servers):
                server.state.resources = site_resources(plan, number, today=True)
            commands.send("ok")
        elif command == "log":
            commands.send([[(r.at, r.path, r.status) for r in server.state.log] for server in servers])
        elif command == "stop":
            for server in servers:
                server.stop()
            commands.send("stopped")
            return


class DaySites:
    """`with DaySites(plan) as sites:` the sites run in a child process."""

    def __init__(self, plan: DayPlan) -> None:
        context = multiprocessing.get_context("spawn")
        self.plan = plan
        self._commands, child_end = context.Pipe()
        self._process = context.Process(target=_serve, args=(plan, child_end), daemon=True)

    def __enter__(self) -> "DaySites":
        self._process.start()
        if self._commands.recv() != "ready":
            raise RuntimeError("the day sites did not start")
        return self

    def turn_to_today(self) -> None:
        self._commands.send("today")
        self._commands.recv()

    def logs(self) -> list[list[tuple[float, str, int]]]:
        """Per site: (monotonic arrival time, path, status) of every request, in order."""
        self._commands.send("log")
        return self._commands.recv()

    def __exit__(self, *exc: object) -> None:
        self._commands.send("stop")
        self._commands.recv()
        self._process.join(timeout=30)
