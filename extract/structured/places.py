"""Place names in cells and lines: country, region and partner; Korean governments.

The gazetteer (`extract.gazetteer`) says which word is a country, which is a Korean local
government and which partner it knows; without it (or for names it lacks) the shape of the
cell decides: a leading word without an administrative suffix is a country, the last word is the
partner and the word before it the partner's region.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from extract.structured.vocab import has_place_suffix, is_non_government, is_sub_municipal

log = logging.getLogger(__name__)

PARENS = re.compile(r"[(\[（【]([^()\[\]（）【】]*)[)\]）】]")
SEVERAL = re.compile(r"[,，、/;·]|\s및\s|\s외\s")
# Words after a partner's name that only say "its government": '건화구 인민정부'.
GOVERNMENT_WORDS = frozenset({"인민정부", "정부", "시청", "청", "시정부", "구청", "현청", "주정부", "당국"})
LEADING_NOISE = re.compile(r"^(?:[가-힣]{0,3}국\s)?")
SIDO_LONG = re.compile(r"(?:특별시|광역시|특별자치시|특별자치도|"
                       r"^(?:경기|강원|충청[남북]|전라[남북]|경상[남북]|제주)도)$")


@dataclass(frozen=True, slots=True)
class PlaceParts:
    """A partner cell read apart: '중화인민공화국 안휘성 방부시' → CN, 안휘성, 방부시."""

    partner: str
    country_name: str | None = None
    country: str | None = None  # ISO alpha-2 when known
    region: str | None = None


@dataclass(frozen=True, slots=True)
class KoreanGovernment:
    """A Korean local government as a party: its name and its 광역 (None for a 광역)."""

    name: str
    province: str | None
    place_id: str | None = None


@lru_cache(maxsize=1)
def gazetteer() -> Any | None:
    """The team gazetteer, loaded once; None while it is not installed."""
    try:
        from extract.gazetteer import load_gazetteer
    except ImportError:
        return None
    try:
        return load_gazetteer()
    except Exception as exc:  # a broken data file must not stop structured reading
        log.warning("gazetteer unavailable: %s", exc)
        return None


@lru_cache(maxsize=4096)
def country_code(name: str) -> str | None:
    """ISO code of a country name ('헝가리' → 'HU'), when the gazetteer knows it."""
    gaz = gazetteer()
    if gaz is None or not name:
        return None
    try:
        return gaz.country_code(name)
    except Exception:  # the gazetteer's own failures are not the reader's
        return None


def split_place(cell: str) -> PlaceParts | None:
    """Country, region and partner of a partner cell; None when it names no single partner."""
    text = cell.strip()
    inner = [part.strip() for part in PARENS.findall(text) if part.strip()]
    outside = PARENS.sub(" ", text).split()
    several = any(SEVERAL.search(part) for part in inner) or SEVERAL.search(" ".join(outside))
    if len(inner) > 1 or several:
        return None
    inner_country: tuple[str, str] | None = None
    if inner and _only_country(outside) and not _date_like(inner[0]):
        outside = outside + inner[0].split()  # '미국 (버뱅크시)'
    elif inner and country_code(inner[0]):
        inner_country = (inner[0], country_code(inner[0]) or "")  # '버뱅크시(미국)'
    words = [word for word in outside if word]
    while words and words[-1] in GOVERNMENT_WORDS:
        words.pop()
    if not words:
        return None
    country_name, code = _leading_country(words)
    if country_name:
        words = words[1:]
    elif inner_country:
        country_name, code = inner_country
    elif len(words) >= 2 and has_place_suffix(words[0]) and country_code(words[1]):
        # '버뱅크시 미국 캘리포니아주': the partner first, then where it is
        region = words[2] if len(words) > 2 else None
        if not _acceptable_partner(words[0], " ".join(words)):
            return None
        return PlaceParts(words[0], words[1], country_code(words[1]), region)
    if not words:
        return None
    partner = words[-1]
    region = words[-2] if len(words) > 1 else None
    if not _acceptable_partner(partner, " ".join(words)):
        return None
    return PlaceParts(partner, country_name, code, region)


def _only_country(words: list[str]) -> bool:
    return len(words) == 1 and (country_code(words[0]) is not None or not has_place_suffix(words[0]))


def _date_like(text: str) -> bool:
    return bool(re.search(r"\d", text))


def _leading_country(words: list[str]) -> tuple[str | None, str | None]:
    first = words[0]
    code = country_code(first)
    if code and (len(words) > 1 or code != "KR"):
        return (first, code) if len(words) > 1 else (first, code)
    if len(words) > 1 and not has_place_suffix(first) and not re.search(r"[A-Za-z]", first):
        return first, None
    return None, None


def _acceptable_partner(partner: str, whole: str) -> bool:
    if len(partner) < 2 and not re.search(r"[A-Za-z]{2,}", partner):
        return False
    if not re.search(r"[가-힣A-Za-z\u4e00-\u9fff]", partner) or re.search(r"\d", partner):
        return False
    if is_non_government(whole) or is_sub_municipal(partner):
        return False
    code = country_code(partner)
    return not (code and code != "KR" and not has_place_suffix(partner))  # a bare country


def korean_government(surface: str, on_date: str | None = None, *,
                      allow_ambiguous: bool = False) -> KoreanGovernment | None:
    """The Korean local government a word names ('인천광역시', '서초구', '경상남도 진주시').

    A name several governments share ('고성군', '중구') gives None, or with `allow_ambiguous`
    (a party column, where the name surely is a government) the name without 광역 or id.
    """
    words = surface.split()
    gaz = gazetteer()
    if words and gaz is not None and not SIDO_LONG.search(words[-1]) and not _known_word(gaz, words[-1]):
        return None  # most words of a page name no place: the word checks below cost more
    if not words or is_non_government(surface) or is_sub_municipal(words[-1]):
        return None  # '논산읍' is no government, though the gazetteer reads its stem as 논산
    province_word = words[0] if len(words) > 1 else None
    name = words[-1]
    if gaz is not None:
        found = _gazetteer_korean(gaz, name, province_word, on_date, allow_ambiguous)
        if found is not None or not SIDO_LONG.search(name):
            return found
    if SIDO_LONG.search(name) and len(words) == 1:
        return KoreanGovernment(name, None)
    return None


def _known_word(gaz: Any, word: str) -> bool:
    try:
        return bool(gaz.knows(word))
    except Exception:  # the gazetteer's own failures are not the reader's: look it up as before
        return True


def _gazetteer_korean(gaz: Any, name: str, province: str | None, on_date: str | None,
                      allow_ambiguous: bool) -> KoreanGovernment | None:
    try:
        candidates = gaz.lookup(name, country="KR", province=province, on_date=on_date)
    except Exception:  # the gazetteer's own failures are not the reader's
        return None
    governments = [c for c in candidates if _is_local_government(c.place)]
    if not governments:
        return None
    names = {c.place.id for c in governments}
    if len(names) > 1 and not province:
        best = max(governments, key=lambda c: c.score)
        tied = [c for c in governments if c.score >= best.score]
        if len(tied) > 1:  # '중구': one of several, unnamed by its city
            same_name = len({c.place.name for c in tied}) == 1
            return KoreanGovernment(tied[0].place.name, None) if allow_ambiguous and same_name else None
    place = max(governments, key=lambda c: c.score).place
    return KoreanGovernment(_display_name(place, name), _province_of(gaz, place, on_date), place.id)


def _is_local_government(place: Any) -> bool:
    """광역 or 기초 자치단체 (the gazetteer's levels), not a 행정구 or a place abroad."""
    return getattr(place, "country", None) == "KR" and getattr(place, "level", None) in ("광역", "기초")


def _display_name(place: Any, surface: str) -> str:
    return getattr(place, "name", None) or surface


def _province_of(gaz: Any, place: Any, on_date: str | None) -> str | None:
    """The 기초's 광역 as named on the date (강원도 before 2023-06-11), None for a 광역."""
    if getattr(place, "level", None) == "광역":
        return None
    if on_date and len(on_date) >= 4:
        try:
            return gaz.province_name_on(place.id, (on_date + "-12-31")[:10] if len(on_date) == 4
                                        else (on_date + "-28")[:10])
        except Exception:  # a place without a known 광역 keeps its region
            pass
    region = getattr(place, "region", None)
    return region if isinstance(region, str) else None


@lru_cache(maxsize=8192)
def known_place(word: str) -> bool:
    """The gazetteer knows the word as a place (any country) by name, not by a loose reading."""
    gaz = gazetteer()
    if gaz is None or len(word) < 2:
        return False
    try:
        candidates = gaz.lookup(word)
    except Exception:  # the gazetteer's own failures are not the reader's
        return False
    return any(c.via.split("+")[0] in ("name", "variant", "transcription", "short", "han", "en") for c in candidates)
