"""The place records and the index of the gazetteer's surface forms that `places` reads words
against: `PlaceMention` (a place named in a text), `PlaceIndex` (forms for prefix look-ups, with
cached gazetteer look-ups), the process's one index (`default_index`) and the late look-up of a
partner abroad once its country is known (`resolved_abroad`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Callable

from extract.loading import long_lived
from extract.nlp.pipeline import PATTERN_DIR, read_jsonl

log = logging.getLogger(__name__)

KR, FOREIGN, COUNTRY = "kr", "foreign", "country"


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A place named in a text; text[start:end] is the name as written (particles excluded)."""

    start: int
    end: int
    name: str  # as the page writes it, without particles or a parenthesised insert
    kind: str  # kr | foreign | country
    tail: str  # what follows the name inside the same word (particle, 시장, 청사 …)
    country: str | None = None  # ISO code; KR for Korean governments
    place_id: str | None = None
    canonical: str | None = None
    region: str | None = None
    level: str | None = None  # 광역 | 기초 for Korean governments
    known: bool = True  # False: well formed but not in the gazetteer
    romanised: bool = False  # carried a Latin spelling in parentheses
    after: str = ""  # the text right after the name (tail included), for roles like '… 정부와'
    council: bool = False  # '…의회': a council, not the government
    submunicipal: bool = False  # followed by a 읍·면·동 name: the tie is below the government
    qualifier: bool = False  # names the province/country of the next place ('충남 논산시')
    extra: dict[str, Any] = field(default_factory=dict)


# what a word names, read from the word alone: the mention (placed at 0), the offsets in the
# word of the characters kept without a parenthesised insert, the name's length in them, and
# whether a Latin gloss vouches for the name
WordReading = tuple[PlaceMention, list[int], int, bool]


@dataclass(frozen=True, slots=True)
class FormHit:
    label: str  # KR_GOV | KR_PROVINCE | FOREIGN_PLACE | COUNTRY
    place_id: str | None


class PlaceIndex:
    """Surface forms of the gazetteer, for prefix lookups inside Hangul words."""

    def __init__(self, gazetteer: Any | None) -> None:
        self.gazetteer = gazetteer
        self._places: dict[tuple[Any, ...], Any] = {}  # lookups are pure: cache them
        # a word's reading depends on the word and the date alone; most words of a page
        # ('협약을', '시장은') recur on every page, and name nothing on any date
        self._word_readings: dict[tuple[str, str | None], WordReading] = {}
        self._nameless: set[str] = set()
        self.forms: dict[str, list[FormHit]] = {}
        self.stopwords = {rec["form"] for rec in read_jsonl(PATTERN_DIR / "place_stopwords.jsonl")}
        # nouns that sign ties in news but are no names ('양측과', '지역과', '도시와')
        self.generic_nouns = {rec["form"] for rec in read_jsonl(PATTERN_DIR / "generic_nouns.jsonl")}
        self.not_place_endings = tuple(rec["ending"] for rec in read_jsonl(PATTERN_DIR / "not_place_endings.jsonl"))
        if gazetteer is not None:
            hits: dict[tuple[str, str | None], FormHit] = {}  # one hit per place, shared by its forms
            for form, label, place_id in gazetteer.surface_forms():
                if form and form not in self.stopwords:
                    hit = hits.get((label, place_id)) or hits.setdefault((label, place_id), FormHit(label, place_id))
                    self.forms.setdefault(form, []).append(hit)
        self.country_aliases = {rec["form"]: rec["code"]
                                for rec in read_jsonl(PATTERN_DIR / "country_aliases.jsonl")}
        for form, code in self.country_aliases.items():
            self.forms[form] = [FormHit("COUNTRY", f"country:{code}")]
        self.longest = max((len(form) for form in self.forms), default=0)
        # every form is at least two characters long: a word whose first two are no form's
        # first two is skipped without trying its prefixes one by one
        self.openings = {form[:2] for form in self.forms}

    def hits(self, form: str) -> list[FormHit]:
        return self.forms.get(form, [])

    def country_code(self, form: str) -> str | None:
        if form in self.country_aliases:
            return self.country_aliases[form]
        if self.gazetteer is None or not any(h.label == "COUNTRY" for h in self.hits(form)):
            return None
        return self.gazetteer.country_code(form)

    def word_reading(self, word: str, on_date: str | None,
                     read: Callable[[str, "PlaceIndex", str | None], WordReading | None]) -> WordReading | None:
        """`read(word, self, on_date)`, remembered (bounded, as `place` is). The date only
        decides which place a name stands for, never whether the word names one (`read`
        answers None on every date or on none): a word that names nothing is remembered for
        all dates, so a page of a new date reads only its names again (not each of its words)."""
        if word in self._nameless:
            return None
        key = (word, on_date)
        if key not in self._word_readings:
            reading = read(word, self, on_date)
            if reading is None:
                if len(self._nameless) > 200_000:
                    self._nameless.clear()
                self._nameless.add(word)
                return None
            if len(self._word_readings) > 200_000:
                self._word_readings.clear()
            self._word_readings[key] = reading
        return self._word_readings[key]

    def place(self, form: str, hits: list[FormHit], on_date: str | None,
              province: str | None = None, country: str | None = None) -> Any | None:
        """The gazetteer's best Place for a form among the ids its hits allow (valid on the date,
        inside `province` when the page names one: '경남 고성군', inside `country` when the page
        puts one before it: '스페인 쿠엥카시')."""
        if self.gazetteer is None:
            return None
        key = (form, tuple(h.place_id for h in hits), on_date, province, country)
        if key not in self._places:
            if len(self._places) > 50_000:  # a long-running crawler sees many dates; stay bounded
                self._places.clear()
            self._places[key] = self._lookup(form, hits, on_date, province, country)
        return self._places[key]

    def _lookup(self, form: str, hits: list[FormHit], on_date: str | None,
                province: str | None, country: str | None) -> Any | None:
        allowed = {h.place_id for h in hits}
        try:
            candidates = self.gazetteer.lookup(form, on_date=on_date, province=province, limit=50)
        except Exception as exc:  # a lookup failure only costs the canonical name
            log.debug("lookup %r failed: %s", form, exc)
            return None
        ranked = [candidate for candidate in candidates if candidate.place.id in allowed
                  and (country is None or getattr(candidate.place, "country", None) == country)]
        if self.gazetteer.namesakes_tied(ranked):
            return None  # 스프링필드시 with no state named: no guess among the Springfields
        return ranked[0].place if ranked else None

    def hits_country(self, hits: list[FormHit]) -> str | None:
        """The one country all the places abroad a form names lie in, if they share one."""
        countries = {self.gazetteer.get(h.place_id).country for h in hits
                     if h.label == "FOREIGN_PLACE" and h.place_id} if self.gazetteer is not None else set()
        return countries.pop() if len(countries) == 1 else None


@lru_cache(maxsize=1)
def default_index() -> PlaceIndex:
    try:
        from extract.gazetteer import load_gazetteer
    except ImportError:
        log.warning("no gazetteer: places are recognised by form only")
        return PlaceIndex(None)
    with long_lived():
        return PlaceIndex(load_gazetteer())


def resolved_abroad(mention: PlaceMention, country: str | None) -> PlaceMention:
    """A partner abroad spelled in a way no gazetteer form matches (풀러튼시), looked up once its
    country is known (by sound, see extract.gazetteer.phonetic), so that its event carries the
    place's id and its one canonical name."""
    index = default_index()
    if mention.kind != FOREIGN or mention.canonical or not country or country == "KR" \
            or index.gazetteer is None:
        return mention
    try:
        place = index.gazetteer.place_abroad(mention.name, country, mention.region)
    except Exception as exc:  # a failed look-up only costs the canonical name
        log.debug("lookup %r (%s) failed: %s", mention.name, country, exc)
        return mention
    if place is None:
        return mention
    return replace(mention, place_id=place.id, canonical=place.name, region=place.region)
