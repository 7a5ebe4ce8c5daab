"""Fetched page → `Document` → agreement `Event`s, and relationship notes.

In: a `twinwatch.pages.records.FetchResult` (bytes as fetched or read from disk). Out: the
records of `extract.records` (`Document`, `Event`) and of `extract.notes`. The steps, one
sub-package each: `page/` reads the page, `nlp/` analyses its sentences, `rules/` finds events
in prose, `structured/` in tables, lists and profiles, `gazetteer/` knows the places;
`core.find_events(document)` runs the cascade. Nothing here fetches or stores: the
application hands pages in and takes the records out.
"""
