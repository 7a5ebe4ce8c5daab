"""The extraction cascade: document → events (structured readers and prose rules).

Owned by the extraction engine; `find_events` is the stable entry point every caller uses.
"""

from __future__ import annotations

from extract.records import Document, Event


def find_events(document: Document) -> list[Event]:
    """Every agreement event in a document, one per agreement, in text order."""
    raise NotImplementedError("the extraction engine is being built")
