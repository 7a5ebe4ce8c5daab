"""Sources → fetched pages. The public surface:

- `crawler.fetch.Fetcher(config.crawler, listing_cache=None)`: `.fetch(url, method=, data=,
  etag=, last_modified=, key=, headers=, obey_robots=) -> FetchResult` (raises
  `FetchError(reason)`), `.fetch_listing(url)` (conditional through the listing cache), `.allowed(url)`,
  `.counters.snapshot()` (requests, bytes_received, not_modified, retries, errors,
  robots_disallowed), `.close()` or use it as a context manager.
- `crawler.urls.canonical_url(url, base=None)`: the key a page is stored under.
- `crawler.sources.discover(source, fetcher) -> Discovery(links, error, pages)`,
  `crawler.sources.fetch_link(link, fetcher, source=, etag=, last_modified=) -> FetchResult`,
  `crawler.sources.check_source(source) -> list[str]` (config problems, no network).
- `crawler.attachments`: `find_attachment_links(html, base_url)`, `attachment_text(fetched)`,
  `read_attachments(fetched, fetcher)` (one outcome with text or reason each),
  `attachment_texts(fetched, fetcher)`, `sniff_kind(body)`.
- `crawler.listing_cache`: `MemoryListingCache()` (one process), `SqliteListingCache(path)`
  (shared by separate runs): unchanged feeds/boards/sitemaps cost a 304, links still yielded.
- Records (`crawler.records`): `Link`, `Discovery`; the fetched page is the kernel's
  `twinwatch.pages.records.FetchResult`.
"""
