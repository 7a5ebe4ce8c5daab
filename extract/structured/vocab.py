"""What a cell or line says: agreement type, signing, non-government sides, place-like names.

The word lists live in `vocabulary.toml` beside this module; this module only applies them.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

VOCABULARY_PATH = Path(__file__).with_name("vocabulary.toml")
TYPE_ORDER = ("letter_of_intent", "sister_city", "friendship_city", "mou")
# "X 협약 체결을 위한 의향서": the document signed is what follows "위한" (eval/README.md).
PURPOSE = re.compile(r"(?:을|를)?위한")
HANGUL = re.compile(r"[가-힣]")
SQUASHED = re.compile(r"[\s·∙・ㆍ]+")


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, Any]:
    with VOCABULARY_PATH.open("rb") as handle:
        return tomllib.load(handle)


@lru_cache(maxsize=None)
def word_pattern(section: str, key: str) -> re.Pattern[str]:
    """One pattern for a word list of the vocabulary: its `search` says whether any of the words
    occurs in a text (one regex scan, where testing the words one by one cost the readers a tenth
    of their time)."""
    words = vocabulary()[section][key]
    if not words:
        return re.compile(r"(?!)")  # an empty list names nothing
    return re.compile("|".join(re.escape(word) for word in sorted(words, key=len, reverse=True)))


@lru_cache(maxsize=1)
def _latin_non_government() -> frozenset[str]:
    return frozenset(word.lower().rstrip(".") for word in vocabulary()["entities"]["non_government_latin"])


def squash(text: str) -> str:
    """Text without spaces and middle dots, lower-cased: the form the word lists match."""
    return SQUASHED.sub("", text).lower()


def agreement_type(text: str) -> str | None:
    """The agreement type a cell, line or name states, or None when it names no agreement."""
    squashed = squash(text)
    parts = PURPOSE.split(squashed)
    if len(parts) > 1 and _first_type(parts[-1]):
        squashed = parts[-1]
    return _first_type(squashed)


def _first_type(squashed: str) -> str | None:
    for kind in TYPE_ORDER:
        if word_pattern("agreement", kind).search(squashed):
            return kind
    return None


def names_relationship(text: str) -> bool:
    """A heading or type cell that names a standing tie ('자매결연 도시', '우호교류')."""
    kind = agreement_type(text)
    return kind in ("sister_city", "friendship_city", "letter_of_intent")


def states_signing(text: str) -> bool:
    """The text reports a signing, not its purpose, request or plan."""
    squashed = squash(text)
    if word_pattern("verbs", "not_signed").search(squashed):
        return False
    return bool(word_pattern("verbs", "signed").search(squashed))


def is_renewal(text: str) -> bool:
    """An anniversary or renewal of an existing tie rather than a new agreement."""
    squashed = squash(text)
    return bool(word_pattern("verbs", "renewal").search(squashed))


def is_visit(text: str) -> bool:
    """A visit, attendance or study trip: no agreement unless something else dates one."""
    squashed = squash(text)
    return bool(word_pattern("verbs", "visit").search(squashed))


def is_non_government(name: str) -> bool:
    """A council, company, school, museum, UN body … rather than a local government."""
    if word_pattern("entities", "non_government").search(squash(name)):
        return True
    latin = _latin_non_government()
    if any(word.lower().rstrip(".") in latin for word in set(re.findall(r"[A-Za-z.]+", name))):
        return True
    last = name.split()[-1] if name.split() else ""
    # '천진대', '키타큐슈시립대': a university written short
    return bool(re.search(r"[가-힣]{2,}(?:시립|국립|사범)?대$", last)) and not last.endswith("해운대")


def is_sub_municipal(name: str) -> bool:
    """An 읍·면·동·리 or village: below the level twinwatch records."""
    last = name.split()[-1] if name.split() else ""
    if len(last) < 2 or not HANGUL.search(last):
        return False
    if last.endswith(("동", "진", "향")) and len(last) < 3:  # '산동', '톈진' written without 성·시
        return False
    return any(last.endswith(suffix) and len(last) > len(suffix)
               for suffix in vocabulary()["entities"]["sub_municipal_suffixes"])


def has_place_suffix(token: str) -> bool:
    """'미슈콜츠시', '시마네현', '귀주성': a name that ends like a place."""
    suffixes = vocabulary()["entities"]["place_suffixes"]
    # a one-syllable stem ('일시', '동시') is too often an ordinary word
    return any(token.endswith(suffix) and len(token) - len(suffix) >= 2 for suffix in suffixes)


RELATIONSHIP_TYPES = ("sister_city", "friendship_city", "letter_of_intent")
# A section of ties below the level of local governments ('읍면동 자매결연', '민간단체 교류').
EXCLUDED_SECTION = re.compile(r"읍[·∙ㆍ,]?면|면[·∙ㆍ,]?동|읍면동|마을|민간|단체|기관|학교|의회")


def heading_type(text: str) -> str | None:
    """The one kind of tie a heading names ('자매결연 도시' → sister_city); None when it names
    none or several ('자매·우호도시 현황')."""
    squashed = squash(text)
    named = {kind for kind in RELATIONSHIP_TYPES if word_pattern("agreement", kind).search(squashed)}
    if "letter_of_intent" in named:
        return "letter_of_intent"
    return named.pop() if len(named) == 1 else None


def excluded_section(text: str) -> bool:
    """A heading over ties that are not between local governments."""
    return bool(EXCLUDED_SECTION.search(squash(text)))


def is_region_heading(text: str) -> bool:
    """'아시아', '유럽', '국외': a heading that groups partners by where they are."""
    return squash(text) in vocabulary()["regions"]["continents"]
