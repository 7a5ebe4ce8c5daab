"""Records of the gazetteer and the normalisation of Korean place-name surface forms."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from twinwatch.errors import TwinwatchError


class GazetteerError(TwinwatchError):
    """The packaged gazetteer data is missing or unreadable."""


@dataclass(frozen=True, slots=True)
class Place:
    """One place: a Korean local government (current or former) or a place abroad.

    `id` is stable: "kr:11110" (5-digit 시군구 part of the 법정동 code; 광역 "kr:11000"),
    "gn:2038632" (GeoNames id), "iso:JP-42" (CLDR subdivision) or "cn:371082" (China's division
    code) where no GeoNames place matched. `names` holds every Korean form, canonical first.
    `valid_from`/`valid_to` are ISO dates ("" unknown); `successor_id` is the unit that took over.
    """

    id: str
    name: str
    kind: str
    country: str
    region: str | None
    level: str | None
    names: tuple[str, ...]
    han: tuple[str, ...]
    en: str | None
    lat: float | None
    lon: float | None
    population: int | None
    code: str | None
    valid_from: str | None
    valid_to: str | None
    successor_id: str | None
    parent_id: str | None

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    def valid_on(self, on_date: str) -> bool:
        """True if the unit existed on `on_date` (ISO date; unknown start counts as always)."""
        return (not self.valid_from or self.valid_from <= on_date) and (
            self.valid_to is None or on_date < self.valid_to)

    def to_dict(self) -> dict:
        return {field: (list(value) if isinstance(value, tuple) else value)
                for field in self.__slots__ for value in [getattr(self, field)]}


# How a candidate was found, for people: a source's own form, a known non-standard spelling, a
# spelling produced by the loanword rules (or a hanja reading), or the sound of the name.
METHOD_OF_VIA = {"name": "exact", "short": "exact", "han": "exact", "en": "exact", "former": "exact",
                 "variant": "variant", "transcription": "transcription", "reading": "transcription",
                 "phonetic": "phonetic"}


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place a surface form may name. `via` says how the form matched: name (a source's Korean
    name), variant (exonym or common non-standard spelling), transcription (loanword-rule
    spelling), reading (Sino-Korean reading of the Han name), short (경남, 서울시), former (a
    predecessor's name), han, en, phonetic (by sound against the Latin names; `similarity` is the
    key similarity and `matched_form` the Latin name); "+stem" when matched without the
    administrative suffix (훈춘 for 훈춘시)."""

    place: Place
    score: float
    matched_form: str
    via: str
    similarity: float | None = None

    @property
    def method(self) -> str:
        return METHOD_OF_VIA.get(self.via.split("+")[0], "exact")

    def to_dict(self) -> dict:
        return {**self.place.to_dict(), "score": round(self.score, 3),
                "matched_form": self.matched_form, "via": self.via, "method": self.method,
                "similarity": self.similarity}


# Longest first, so 광역시 is removed before 시. Generic words of Korean and foreign units
# (성 省, 현 縣, 주 州, 정/초 町, 촌 村, 구 區, 자치주 自治州 …).
ADMIN_SUFFIXES: tuple[str, ...] = (
    "특별자치시", "특별자치도", "특별행정구", "특별시", "광역시", "직할시", "자치구", "자치주", "자치현",
    "지구", "시", "군", "구", "성", "현", "주", "도", "부", "정", "촌", "초", "읍", "면",
)
SUFFIXES_BY_LAST_CHAR: dict[str, tuple[str, ...]] = {}
for _suffix in ADMIN_SUFFIXES:  # the look-up runs ~80,000 times at load: test one last char
    SUFFIXES_BY_LAST_CHAR[_suffix[-1]] = SUFFIXES_BY_LAST_CHAR.get(_suffix[-1], ()) + (_suffix,)
SPACES = re.compile(r"\s+")


def normalise(surface: str) -> str:
    """NFC, no spaces, ASCII letters lower-cased (Korean and Han forms are caseless)."""
    if surface.isalnum() and not surface.isascii() and unicodedata.is_normalized("NFC", surface):
        return surface  # a Hangul or Han word as it stands (most of the ~80,000 forms at load)
    text = SPACES.sub("", unicodedata.normalize("NFC", surface)).strip("·,.()[]「」『』\"'")
    return text.lower() if text.isascii() else text


def strip_admin_suffix(form: str) -> str | None:
    """'훈춘시' → '훈춘', '경상남도' → '경상남'; None when no suffix or the stem would be one syllable."""
    for suffix in SUFFIXES_BY_LAST_CHAR.get(form[-1:], ()):
        if form.endswith(suffix) and len(form) - len(suffix) >= 2:
            return form[: -len(suffix)]
    return None
