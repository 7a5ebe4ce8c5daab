"""Placing evidence in a document's text: the highlighted span, and a reader's selection."""

from __future__ import annotations

from typing import NamedTuple

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
