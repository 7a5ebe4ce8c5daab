"""A WARC recorded with warcio from pages served on loopback: the tests' archive, and the README's
worked example.

    .venv/bin/python -m twinwatch.app.backfill.record demo.warc.gz [--pages 6] [--files DIR]

serves demo articles (each reporting one agreement) on 127.0.0.1, fetches each page once with
warcio's `capture_http` recording the exchange, and optionally writes the same page bodies as
files (for comparing with `twinwatch ingest`).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Iterable
from urllib.request import urlopen


def record_warc(urls: Iterable[str], path: Path) -> Path:
    """Fetch each URL once through urllib while warcio records request and response."""
    from warcio.capture_http import capture_http

    with capture_http(str(path)):
        for url in urls:
            # urllib looks http.client up at each call, so capture_http's patch records it
            with urlopen(url, timeout=10) as answer:
                answer.read()
    return path


def record_demo(path: Path, pages: int, files: Path | None = None) -> list[str]:
    """`pages` demo articles served on loopback, recorded into `path`; their URLs."""
    from twinwatch.app.demo.articles import fact_articles, load_facts
    from twinwatch.app.demo.server import SiteServer
    from twinwatch.app.demo.site import encode_page, news_page

    stories = _one_agreement_each(fact_articles(), load_facts())[:pages]
    with SiteServer() as server:
        resources = {f"/articles/{s.page_id}.html": encode_page(news_page(s, []), s) for s in stories}
        server.state.resources = resources
        urls = [f"{server.base_url}{p}" for p in resources]
        record_warc(urls, path)
    if files is not None:
        files.mkdir(parents=True, exist_ok=True)
        for page_path, resource in resources.items():
            (files / Path(page_path).name).write_bytes(resource.body)
    return urls


def _one_agreement_each(articles, facts):  # noqa: ANN001 - demo Article and Fact lists
    """Articles reporting exactly one agreement that no other article reports."""
    from collections import Counter

    pairs = Counter(frozenset((f.party, f.partner)) for f in facts)
    per_page = Counter(f.page for f in facts)
    single = {f.page for f in facts if per_page[f.page] == 1 and pairs[frozenset((f.party, f.partner))] == 1}
    return [a for a in articles if a.page_id in single]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warc", type=Path)
    parser.add_argument("--pages", type=int, default=6)
    parser.add_argument("--files", type=Path, help="also write the page bodies into this folder")
    args = parser.parse_args()
    urls = record_demo(args.warc, args.pages, args.files)
    print(f"recorded {len(urls)} pages into {args.warc}")


if __name__ == "__main__":
    main()
