"""Loopback sites and config files for the pipeline tests, built from the demo's articles."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, Iterable

from twinwatch.app.demo.articles import Article, fact_articles, load_facts
from twinwatch.app.demo.run import toml_value
from twinwatch.app.demo.site import Resource, encode_page, news_page, rss_feed

ROBOTS = b"User-agent: *\nDisallow: /private/\n"


def single_agreement_articles(count: int) -> list[Article]:
    """Articles that each report one agreement whose pair no other article reports, so each
    stored event has exactly one source URL."""
    facts = load_facts()
    pair_counts = Counter(frozenset((f.party, f.partner)) for f in facts)
    page_counts = Counter(f.page for f in facts)
    single = {f.page for f in facts
              if page_counts[f.page] == 1 and pair_counts[frozenset((f.party, f.partner))] == 1}
    return [a for a in fact_articles() if a.page_id in single][:count]


def article(page_id: str) -> Article:
    return next(a for a in fact_articles() if a.page_id == page_id)


def article_site(base: str, articles: Iterable[Article], *, blocked: Iterable[Article] = (),
                 feed_path: str = "/feed.xml") -> dict[str, Resource]:
    """A feed at `feed_path` listing each article at /articles/ID.html, and the `blocked` ones
    under /private/ (which robots.txt forbids)."""
    resources = {"/robots.txt": Resource(ROBOTS, "text/plain")}
    items = []
    for folder, group in (("articles", articles), ("private", blocked)):
        for story in group:
            path = f"/{folder}/{story.page_id}.html"
            resources[path] = encode_page(news_page(story, []), story)
            items.append((f"{base}{path}", story))
    resources[feed_path] = Resource(rss_feed(base, items), "application/rss+xml; charset=utf-8")
    return resources


def write_config(path: Path, database: Path, sources: list[dict[str, Any]], **crawler: Any) -> Path:
    """A config file: the store, a crawler without delay (loopback), and these sources."""
    settings = {"delay_seconds": 0.0, "retries": 1, "backoff_seconds": 0.1,
                "max_retry_after_seconds": 1.0, "timeout_seconds": 10.0, **crawler}
    lines = ["[store]", f"path = {toml_value(str(database))}", "", "[crawler]"]
    lines += [f"{key} = {toml_value(value)}" for key, value in settings.items()]
    for source in sources:
        lines += ["", "[[sources]]"] + [f"{key} = {toml_value(value)}" for key, value in source.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
