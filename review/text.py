"""Placing evidence in a document's text: the highlighted span with the words each field came
from, and a reader's selection."""

from __future__ import annotations

from typing import Mapping, NamedTuple, Sequence

from store import StoreError


class Highlighted(NamedTuple):
    """The text cut around the evidence; the template escapes each part."""

    before: str
    evidence: str
    after: str


def highlighted(text: str, span: tuple[int, ...] | None, evidence: str | None) -> Highlighted:
    """The span when it lies in the text (and, if the evidence is known, matches it); else the
    evidence's first occurrence; else nothing highlighted."""
    if span and len(span) == 2:
        start, end = int(span[0]), int(span[1])
        if 0 <= start < end <= len(text) and (not evidence or text[start:end] == evidence):
            return Highlighted(text[:start], text[start:end], text[end:])
    if evidence:
        start = text.find(evidence)
        if start >= 0:
            end = start + len(evidence)
            return Highlighted(text[:start], text[start:end], text[end:])
    return Highlighted(text, "", "")


class Piece(NamedTuple):
    """A stretch of text, and the field whose words it holds (None: plain text)."""

    text: str
    field: str | None = None


class Marked(NamedTuple):
    """The text cut around the evidence, each part cut again around the fields' words."""

    before: list[Piece]
    evidence: list[Piece]
    after: list[Piece]


def marked(text: str, span: tuple[int, ...] | None, evidence: str | None,
           field_spans: Mapping[str, Sequence[int]] | None) -> Marked:
    """The evidence placed as `highlighted` places it, and each field span that lies in the text
    marked wherever it falls (an overlapping later span is left out: marks do not nest)."""
    cut = highlighted(text, span, evidence)
    start = len(cut.before)
    bounds = ((0, start), (start, start + len(cut.evidence)), (start + len(cut.evidence), len(text)))
    fields = _usable_spans(text, field_spans or {})
    before, inside, after = (_pieces(text, low, high, fields) for low, high in bounds)
    return Marked(before, inside, after)


def _usable_spans(text: str, field_spans: Mapping[str, Sequence[int]]) -> list[tuple[int, int, str]]:
    chosen: list[tuple[int, int, str]] = []
    for name, span in sorted(field_spans.items(), key=lambda item: tuple(item[1])):
        if len(span) != 2:
            continue
        low, high = int(span[0]), int(span[1])
        if 0 <= low < high <= len(text) and all(high <= a or low >= b for a, b, _ in chosen):
            chosen.append((low, high, name))
    return chosen


def _pieces(text: str, low: int, high: int, fields: list[tuple[int, int, str]]) -> list[Piece]:
    """text[low:high] cut at the field spans inside it (clipped to it)."""
    pieces, at = [], low
    for start, end, name in fields:
        start, end = max(start, low), min(end, high)
        if start >= end:
            continue
        if start > at:
            pieces.append(Piece(text[at:start]))
        pieces.append(Piece(text[start:end], name))
        at = end
    if at < high:
        pieces.append(Piece(text[at:high]))
    return pieces


def locate_selection(text: str, selected: str, start_hint: str) -> tuple[int, int]:
    """The span of the text a reader selected in the browser. The browser's offset is a hint
    (its line breaks may differ from the stored text's), the selected words decide."""
    selected = selected.strip()
    if not selected:
        raise StoreError("select the sentence that states the agreement first")
    hint = int(start_hint) if start_hint.strip().isascii() and start_hint.strip().isdigit() else 0
    if text[hint:hint + len(selected)] == selected:
        return hint, hint + len(selected)
    found = _occurrences(text, selected)
    if not found:
        raise StoreError("the selected text is not in the document")
    start = min(found, key=lambda i: abs(i - hint))
    return start, start + len(selected)


def _occurrences(text: str, part: str) -> list[int]:
    found, at = [], text.find(part)
    while at >= 0:
        found.append(at)
        at = text.find(part, at + 1)
    return found
