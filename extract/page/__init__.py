"""Fetched page → `Document`.

In: a `FetchResult` (bytes and headers). Out: an `extract.records.Document` with the page's
format, decoded text, main text (boilerplate pruned), title and the page's own date
(`reader.read_page`). `html_text` finds the article's text in an HTML tree.
"""
