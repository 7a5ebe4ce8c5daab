"""Sentences with character offsets, for the engine and the relationship-note reader.

Kept apart from `extract.core` so that readers which need only sentences (notes, read by the
store when it derives relationships) do not import spaCy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A period after a digit ends a date ('2015. 8.5. 본시청에서'), not a sentence.
# A Korean final ending's full stop ends a sentence even with no space after it ('밝혔다.군에',
# a caption's '…하고 있다.2024.2.23.(시 제공)': a Hangul syllable before it is never a decimal).
SENTENCE_END = re.compile(r"(?<=[다요음함임됨죠])[.!?]+[\"'”’)]*(?:\s+|(?=[가-힣0-9A-Za-z(\[]))|(?<=[^\d\s.][.!?])\s+(?=[가-힣A-Z\"“‘'(\[])|\n+")
WRAPPED_END = re.compile(r"(은|는|이|가|을|를|와|과|의|에|에서|으로|로|고|며|해|서|및|,)$")


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with their offsets; newline and Korean sentence endings ('…했다. ') split."""
    sentences = []
    start = 0
    for match in SENTENCE_END.finditer(text):
        if match.group().strip() == "" and _wrapped_line(text, match):
            continue  # a line broken mid-sentence ('…훈춘시와<br>우호교류 협약을 …') goes on
        _add_sentence(text, start, match.start() + len(match.group().rstrip()), sentences)
        start = match.end()
    _add_sentence(text, start, len(text), sentences)
    return sentences


def _wrapped_line(text: str, newline: re.Match[str]) -> bool:
    """A line ending in a particle or a connective ending, followed by more Hangul, is one
    sentence wrapped; headlines end in nouns ('… 협정 체결') and are not joined."""
    if newline.group().count("\n") > 1:
        return False  # a blank line ends a paragraph
    before = text[max(0, newline.start() - 3):newline.start()]
    after = text[newline.end():newline.end() + 1]
    return bool(WRAPPED_END.search(before)) and bool(re.match(r"[가-힣0-9‘“'\"(]", after))


def _add_sentence(text: str, start: int, end: int, out: list[Sentence]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(start, end, text[start:end]))
