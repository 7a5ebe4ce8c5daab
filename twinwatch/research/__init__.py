"""What researchers and maintainers take out of the store.

- `timeline`: the chronology of relationships as table, CSV, JSON or a self-contained HTML page.
- `export`: relationships and events as CSV, JSON or GeoJSON (RFC 7946).
- `stats`: what reviewers' decisions say about the extractor, per source and agreement type.
- `gold`: reviewed documents written as gold files, so `twinwatch eval` scores the extractor
  against the reviewers.
"""
