"""The SQLite store: documents, events, mentions, sources' health and the review log.

    from store import Store
    with Store("twinwatch.db") as store:
        result = store.save(document, events, retrieval=retrieval, source="gnews")

It takes the extractor's records (`Document`, `Event`) and, for a fetched page, its own record
of how the page arrived (`Retrieval`: status, validators, raw bytes) — never an HTTP record.
"""

from store.records import (DocumentRow, Mention, Retrieval, ReviewEntry, SaveOutcome, SaveResult,
                           SearchHit, SourceHealth, StoreError, text_hash)
from store.store import Store

__all__ = ["Store", "StoreError", "DocumentRow", "Mention", "Retrieval", "ReviewEntry", "SaveOutcome",
           "SaveResult", "SearchHit", "SourceHealth", "text_hash"]
