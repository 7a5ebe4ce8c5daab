"""The kernel's page reading: what every stage may import, importing no stage itself.

In: bytes as fetched or read from disk. Out: a `FetchResult` (`records`), text decoded from
bytes (`decode`), bounded reading of local files and ZIP containers (`files`, `archives`) and
dates as Korean pages and feeds write them (`dates`). The crawler and the extractor both read
pages; what they share lives here so that neither imports the other.
"""
