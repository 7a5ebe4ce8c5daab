"""The SQLite store: documents, events, mentions, sources' health and the review log.

    from store import Store
    with Store("twinwatch.db") as store:
        result = store.save(fetched, document, events, source="gnews", discovered_via="live")
"""

from store.records import (DocumentRow, Mention, ReviewEntry, SaveOutcome, SaveResult, SearchHit,
                           SourceHealth, StoreError, text_hash)
from store.store import Store

__all__ = ["Store", "StoreError", "DocumentRow", "Mention", "ReviewEntry", "SaveOutcome",
           "SaveResult", "SearchHit", "SourceHealth", "text_hash"]
