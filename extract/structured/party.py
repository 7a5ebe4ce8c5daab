"""The Korean party of a whole structured document: who publishes the list or table.

A municipal page names itself in its title ('자매·우호도시 현황 - 부산광역시'), its headings,
its footer ('COPYRIGHT ⓒ 부산광역시') and its own rows ('인천광역시와 …', '서초구 - 노산구').
Every word that the gazetteer reads as a Korean local government scores by where it stands; the
best-scoring one is the party. Rows that name their own party (a registry's 자치단체 column)
override it row by row.
"""

from __future__ import annotations

import re
from html import unescape
from collections import Counter
from functools import lru_cache

from extract.records import Document
from extract.structured.blocks import HEADING, Block
from extract.structured.places import KoreanGovernment, korean_government

HANGUL_WORD = re.compile(r"[가-힣]{2,}")
# Endings glued to a name in running text: particles and the words for its office and people.
TRAILERS = ("에서는", "에서", "와의", "과의", "으로", "로", "와", "과", "의", "는", "은", "이", "가", "에",
            "을", "를", "도", "청", "장", "민", "간", "측")
WEIGHTS = {"title": 5, "heading": 3, "pair": 2, "line": 1}
PAIR_LEFT = re.compile(r"([가-힣]{2,})\s*(?:와|과|[-–])\s*[가-힣]")
HEAD_CHARS = 20000
TITLE_TAG = re.compile(r"<title[^>]*>([^<]{1,300})</title>", re.I)
SITE_META = re.compile(r"<meta[^>]+property=[\"']og:(?:site_name|title)[\"'][^>]+content=[\"']([^\"']{1,300})",
                       re.I)
# Reading the first lines is enough: a publisher names itself early and often.
LINES_READ = 400


def document_party(document: Document, blocks: list[Block]) -> KoreanGovernment | None:
    """The Korean local government a structured document speaks for, or None."""
    scores: Counter[str] = Counter()
    found: dict[str, KoreanGovernment] = {}
    order: dict[str, int] = {}

    def count(text: str, weight: int) -> None:
        for government in _governments_in(text):
            found.setdefault(government.name, government)
            order.setdefault(government.name, len(order))
            scores[government.name] += weight

    for title in {document.title, *_page_names(document.html)} - {None, ""}:
        count(title, WEIGHTS["title"])  # the page reader drops '- 부산광역시' from its title
    for block in blocks[:LINES_READ]:
        count(block.text, WEIGHTS["heading"] if block.kind == HEADING else WEIGHTS["line"])
        for match in PAIR_LEFT.finditer(block.text):
            count(match.group(1), WEIGHTS["pair"])
    if not scores:
        return None
    best = max(scores, key=lambda name: (scores[name], -order[name]))
    return found[best]


def _page_names(html: str | None) -> list[str]:
    """The raw <title> and og:site_name / og:title of an HTML page, where sites name themselves."""
    if not html:
        return []
    head = html[:HEAD_CHARS]
    names = [unescape(m.group(1)) for m in TITLE_TAG.finditer(head)]
    names += [unescape(m.group(1)) for m in SITE_META.finditer(head)]
    return names


def _governments_in(text: str) -> list[KoreanGovernment]:
    """Governments a text names; '경상북도 경산시' is 경산시 (in 경상북도), not both."""
    words = HANGUL_WORD.findall(text)
    named: list[KoreanGovernment] = []
    index = 0
    while index < len(words):
        # the pair is looked up only after a 광역: nearly every pair of words is new text
        if index + 1 < len(words) and _names_province(words[index]):
            pair = _government(f"{words[index]} {words[index + 1]}")
            if pair is not None and pair.province:
                named.append(pair)
                index += 2
                continue
        named.extend(_word_governments(words[index]))
        index += 1
    return named


def _names_province(word: str) -> bool:
    government = _government(word)
    return government is not None and government.province is None


# A page set has some 20,000 distinct words; a smaller cache would be flushed by each pass.
@lru_cache(maxsize=32768)
def _word_governments(word: str) -> tuple[KoreanGovernment, ...]:
    """Governments one word names, itself or without a particle or office word."""
    return tuple(filter(None, map(_government, _candidate_words(word))))


def _candidate_words(text: str) -> list[str]:
    words: list[str] = []
    for word in HANGUL_WORD.findall(text):
        words.append(word)
        for trailer in TRAILERS:
            if word.endswith(trailer) and len(word) - len(trailer) >= 2:
                words.append(word[: -len(trailer)])
    return words


@lru_cache(maxsize=8192)
def _government(word: str) -> KoreanGovernment | None:
    return korean_government(word)
