"""Structured documents — tables, partner-city lists, profile pages, registry exports.

`find_structured_events(document)` reads a document as blocks (headings, lines, table rows)
and runs three readers over the blocks; the Korean party of the whole page is found when a
reader first needs it (`ReadContext.party`):

1. tables (`tables.py`): a header row names the columns; each agreement row is an event;
2. lists (`lists.py`): dated partner lines under a heading that names the tie;
3. profiles (`profiles.py`): labelled 결연일/결연명칭 fields and dated history bullets.

Their events are the same `Event` records as prose gives, with the row, line or field as
evidence; `merge_duplicate_events` keeps one event per agreement (the engine reuses it to merge
these with prose events).
"""

from __future__ import annotations

import re

from extract.records import Document, Event
from extract.structured.blocks import Block, blocks_from_html, blocks_from_text
from extract.structured.context import ReadContext
from extract.structured.lists import find_list_events
from extract.structured.merge import merge_duplicate_events, same_agreement
from extract.structured.profiles import find_profile_events
from extract.structured.tables import find_table_events, table_blocks

__all__ = ["document_blocks", "find_structured_events", "merge_duplicate_events",
           "same_agreement"]

# News is written in the plain style ('…했다.'); municipal list and profile pages in the polite
# one ('…있습니다.'). Measured: every dev news/notice page with text has ≥ 4 plain-style lines,
# no seed, dev list/table page or structured check-set page has one.
NEWS_SENTENCES = 3
WHITESPACE = re.compile(r"\s+")
PLAIN_SENTENCE_END = re.compile(r"(?<!니)다\.(?:\s|$|[\"'”’])")


def document_blocks(document: Document) -> list[Block]:
    """The document as blocks: from its HTML source when it has one, else from its text."""
    if document.html:
        blocks = blocks_from_html(document.html)
        if blocks:
            return blocks
    return blocks_from_text(document.text, document.format)


def _reads_as_news(blocks: list[Block]) -> bool:
    """A news article: a list of sister cities in it is background (eval/README.md)."""
    return sum(1 for block in blocks if PLAIN_SENTENCE_END.search(block.text)) >= NEWS_SENTENCES


def _main_text_blocks(blocks: list[Block], text: str) -> list[Block]:
    """The blocks the page reader kept as main text (it drops menus, sidebars, related
    headlines and 이전글/다음글)."""
    squashed = WHITESPACE.sub("", text)
    return [block for block in blocks if WHITESPACE.sub("", block.text) in squashed]


def find_structured_events(document: Document) -> list[Event]:
    """Every agreement the document's tables, lists and profiles state, once each."""
    blocks = document_blocks(document)
    news = _reads_as_news(blocks)
    if document.html and news:
        blocks = _main_text_blocks(blocks, document.text)  # not the sidebars' headlines
    if not blocks:
        return []
    context = ReadContext(document, blocks)
    claimed = table_blocks(blocks)
    events = find_table_events(context)
    if not news:
        events.extend(find_list_events(context, claimed))
    events.extend(find_profile_events(context, claimed, structured=bool(events) and not news))
    events.sort(key=lambda event: event.evidence_span[0])
    return merge_duplicate_events(events)
