"""The gazetteer: Korean local governments and places abroad, looked up by Korean surface form.

Data: `data/places.json.gz`, built by scripts/build_gazetteer.py (sources in NOTICE).
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
from collections import defaultdict
from dataclasses import replace
from collections.abc import Iterator
from importlib import resources

from extract.loading import long_lived
from extract.gazetteer.model import Candidate, GazetteerError, Place, normalise, strip_admin_suffix
from extract.gazetteer.phonetic import KOREAN_GENERIC, strip_korean_generic
from extract.gazetteer.namesakes import chosen_match, namesakes_tied, population_term
from extract.gazetteer.phonetic_index import PhoneticIndex, PhoneticMatch

# How much a match through each kind of form is worth (a source's own name beats a rule's guess).
VIA_WEIGHT = {"name": 1.0, "short": 0.98, "variant": 0.92, "transcription": 0.92, "han": 0.95,
              "en": 0.9, "reading": 0.8, "former": 0.7, "phonetic": 0.85}
# Matched only after removing an administrative suffix (훈춘 ↔ 훈춘시), or with a different
# suffix on each side (야스기시 ↔ 야스기초: likely another unit of the same name).
SUFFIX_FACTOR = {"stem": 0.9, "other_suffix": 0.8}
COUNTRY_MATCH, COUNTRY_MISMATCH = 0.5, -0.6
PROVINCE_MATCH, PROVINCE_MISMATCH = 0.4, -0.3
DATE_VALID, DATE_INVALID, CURRENT_BONUS = 0.2, -0.4, 0.05
# Korean press names a 광역 by its short form far more often than a 기초 of the same stem
# (광주 → 광주광역시; 경기 광주시 needs 경기 nearby), so rank 광역 > 기초 > 행정시 > 일반구.
KIND_BONUS = {"광역": 0.08, "기초": 0.05, "행정시": 0.04, "일반구": -0.05}
# Pages are Korean: a bare name that is both a Korean government and a place abroad names the
# Korean one far more often (안산시 vs 鞍山 Anshan, whose GeoNames Korean name is also 안산시).
HOME_BONUS = 0.1
# The generic word on the page against the kind of a place abroad: 몸바사주 is the county-level
# state, not the city of Mombasa; 하이퐁시 rather the city than the province (tune half).
GENERIC_KIND_SCORE = {("admin1", "admin1"): 0.05, ("admin1", "province"): 0.05,
                      ("admin1", "prefecture"): 0.05, ("admin1", "city"): -0.1, ("county", "city"): -0.1,
                      ("city", "admin1"): -0.03, ("city", "province"): -0.03,
                      # 구 names a district, never a county (정안구 is Shanghai's 静安区, not a 县)
                      ("district", "county"): -0.1}
# Words that begin foreign names (West, East, North, South, New, Greater, Port, Fort, Saint,
# San/Santa, Lake, Mount, Los/Las, El/La/Le, Upper/Lower): written apart, they belong to the
# name after them, although GeoNames holds a few as names of their own (West, Texas).
NAME_INITIAL_WORDS = frozenset((
    "웨스트", "이스트", "노스", "사우스", "뉴", "그레이터", "포트", "세인트", "생", "산", "산타", "상",
    "레이크", "마운트", "로스", "라스", "엘", "라", "르", "어퍼", "로어", "노스웨스트", "사우스웨스트"))
# 'Greater X' is the area named after X: where no source holds the area by that name, X is the
# nearest place the gazetteer knows (GeoNames' own Greater Sudbury is read as Sudbury too).
GREATER = "그레이터"
SOUND_SHORTLIST = 12  # candidates by sound searched for one of the kind the page names
# … and for one inside the region the page names: namesakes are many (a Washington County in 30
# states) and the one inside it may rank anywhere among them
REGION_SHORTLIST = 400
# Generic words that name a division: the kinds of unit they ask for. 현 is a Japanese
# prefecture, but a county-level unit in China, Taiwan and Vietnam (县, huyện), and asks for none.
DIVISION_KINDS = {"admin1": ("admin1",), "county": ("county", "admin1")}
PREFECTURE_COUNTRIES = frozenset({"JP"})
# A generic word written apart belongs to the name before it, not to a name of its own.
SPACED_GENERIC = frozenset(word for word, _kind in KOREAN_GENERIC) | {"특별시", "광역시", "자치구"}
# The Korean generic word a place found by sound is given in its canonical name, by kind.
GENERIC_OF_KIND = {"city": "시", "county": "카운티", "admin1": "주", "township": "타운십", "district": "구"}


class Gazetteer:
    """Places indexed by every Korean, Han and English form, and by the form without its suffix."""

    def __init__(self, data: dict) -> None:
        fields = data["fields"]
        self._places: dict[str, Place] = {}
        self._exact: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self._stem: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self._successors_of: dict[str, list[str]] = defaultdict(list)
        for row in data["places"]:
            record = dict(zip(fields, row))
            place = _place_from_record(record)
            self._places[place.id] = place
            self._index(place, record)
        self._countries: dict[str, str] = {normalise(k): v for k, v in data["countries"].items()}
        self._countries |= {normalise(k): v for k, v in data["country_short"].items()}
        self._phonetic = PhoneticIndex()
        self._by_sound: dict[str, Place] = {}  # places found by sound, for get()

    def _index(self, place: Place, record: dict) -> None:
        forms = [(form, via) for form, via in record["forms"]]
        forms += [(han, "han") for han in place.han]
        if place.en:
            forms.append((place.en, "en"))
        for form, via in forms:
            key = normalise(form)
            self._exact[key].append((place.id, via))
            stem = strip_admin_suffix(key)
            if stem is not None:
                self._stem[stem].append((place.id, via))
        if place.successor_id:
            self._successors_of[place.successor_id].append(place.id)

    # --- look-up -------------------------------------------------------------------------

    def lookup(self, surface: str, *, country: str | None = None, province: str | None = None,
               on_date: str | None = None, limit: int = 10) -> list[Candidate]:
        """Places `surface` may name, best first. `country` (ISO code or Korean name) and
        `province` (a 광역 or foreign region/city mentioned nearby) re-rank; `on_date` prefers
        units that existed then. A leading context word is used as province ('경남 고성군',
        '청도시 노산구')."""
        words = surface.split()
        if len(words) > 1 and words[-1] in SPACED_GENERIC:  # '산마테오 시', '아르항가이 아이막'
            words = words[:-2] + [words[-2] + words[-1]]
            surface = " ".join(words)
        if len(words) > 1 and normalise(surface) not in self._exact:
            surface, leading = words[-1], words[:-1]
            if self.country_code(leading[0]) and not country:  # '중국 산동성 위해시'
                country, leading = leading[0], leading[1:]
            while leading and not self._names_place(leading[-1]):  # '노스 요크셔', '산 페드로'
                surface = leading.pop() + surface
            if leading:
                province = province or leading[-1]
        if surface.startswith(GREATER) and len(surface) > len(GREATER) + 1 \
                and normalise(surface) not in self._exact:
            surface = surface[len(GREATER):].strip()  # 그레이터맨체스터: the area named after the city
        country_code = self.country_code(country) if country else None
        province_ids, province_names = self._province_context(province) if province else (set(), set())
        best: dict[str, Candidate] = {}
        generic = strip_korean_generic(normalise(surface))[1]
        for place_id, via, form in self._matches(normalise(surface)):
            place = self._places[place_id]
            score = VIA_WEIGHT[via.split("+")[0]] * SUFFIX_FACTOR.get(via.partition("+")[2], 1.0)
            score += self._context_score(place, country_code, province_ids, province_names, on_date)
            if place.country != "KR":
                score += GENERIC_KIND_SCORE.get((generic or "", place.kind), 0.0)
            if place_id not in best or score > best[place_id].score:
                best[place_id] = Candidate(place, score, form, via)
        # ties: bigger place first, then the most recent unit (인천광역시 남구 before 인천직할시 남구)
        ranked = sorted(best.values(), key=lambda c: c.place.id)
        ranked.sort(key=lambda c: c.place.valid_to or "9999", reverse=True)
        ranked.sort(key=lambda c: (-round(c.score, 6), -(c.place.population or 0)))
        if country_code and country_code != "KR":
            regions = frozenset(province_names | {i.partition("-")[2] for i in province_ids
                                                  if i.startswith(f"iso:{country_code}-")})
            found = self._abroad_by_sound(surface, country_code, generic, ranked, regions)
            if found is not None:
                found = replace(found, score=found.score + self._context_score(
                    found.place, country_code, province_ids, province_names, on_date))
                ranked.insert(0, found)
        return ranked[:limit]

    def knows(self, word: str) -> bool:
        """Some form of a place, or its suffix-less stem, is `word` or `word` without its suffix:
        without one, `lookup` of the word finds nothing but places abroad by sound. Most words
        of a page name no place, and this answers them for the price of two dictionary reads."""
        key = normalise(word)
        stem = strip_admin_suffix(key)
        return any(form in self._exact or form in self._stem for form in (key, stem) if form is not None)

    def _names_place(self, word: str) -> bool:
        """A word that names a place or a country, so that it can qualify the name after it;
        never a word that begins names (노스 요크셔: North Yorkshire, not Yorkshire in a 노스)."""
        key = normalise(word)
        if key in NAME_INITIAL_WORDS:
            return False
        stem = strip_admin_suffix(key)
        return key in self._exact or key in self._stem or (stem is not None and stem in self._exact) \
            or self.country_code(word) is not None

    def _abroad_by_sound(self, surface: str, country: str, generic: str | None,
                         ranked: list[Candidate], regions: frozenset[str]) -> Candidate | None:
        """By sound when no form names a place in the country; or, when the page's generic word
        asks for a division (시엠립주) and the forms name only a city, a division by sound, and
        when it asks for a city (살라망카시) and the forms name only a division, a city by sound."""
        in_country = [c for c in ranked if c.place.country == country]
        if not in_country:
            return self.by_sound(surface, country, regions=regions)
        wanted = {"admin1": ("admin1",), "city": ("city",)}.get(generic or "")
        if wanted and in_country[0].place.kind in ("admin1", "province", "city") and \
                (in_country[0].place.kind == "city") == (generic == "admin1"):
            other = self.by_sound(surface, country, kinds=wanted)
            if other is not None and all(c.place.id != other.place.id for c in ranked):
                return other
        return None

    def resolve(self, surface: str, *, country: str | None = None, province: str | None = None,
                on_date: str | None = None) -> Candidate | None:
        """The one place `surface` names in this context: the best candidate, or None when it
        and the next are namesakes abroad that the context does not tell apart (스프링필드시 with
        no state named: Illinois, Missouri or Massachusetts). `lookup` still lists them all."""
        ranked = self.lookup(surface, country=country, province=province, on_date=on_date, limit=3)
        if not ranked or namesakes_tied(ranked):
            return None
        return ranked[0]

    @staticmethod
    def namesakes_tied(ranked: list[Candidate]) -> bool:
        """See the module function: two namesakes abroad the context does not separate."""
        return namesakes_tied(ranked)

    @staticmethod
    def division_kinds(surface: str, country: str) -> tuple[str, ...] | None:
        """See the module function: the kinds of division a generic word asks for."""
        return division_kinds(surface, country)

    def place_abroad(self, name: str, country: str, region: str | None = None) -> Place | None:
        """The place abroad a partner's name stands for in `country` (by form, else by sound),
        or None: the place an event's partner id and canonical name come from."""
        if not country or country.upper() == "KR":
            return None
        found = self.resolve(name, country=country, province=region or None)
        return found.place if found and found.place.country == country.upper() else None

    # One process keeps one gazetteer; a page set names the same partners again and again, and
    # each look-up by sound costs a key distance against the country's shortlist.
    @functools.lru_cache(maxsize=4096)  # noqa: B019 (the gazetteer lives as long as the process)
    def by_sound(self, surface: str, country: str, kinds: tuple[str, ...] | None = None,
                 regions: frozenset[str] = frozenset()) -> Candidate | None:
        """The place abroad whose Latin name sounds like the Hangul `surface` (풀러튼 → Fullerton),
        or None when nothing is close enough or two places are equally close. `regions`: names
        and codes of the first-level division the page puts the place in (워싱턴주, WA); places
        inside it are preferred when any sounds alike (Grant County of Washington among eight)."""
        if any(char.isdigit() for char in surface):
            return None  # a numbered district (리옹 3구): without its number the name is the city's
        if any(char.isascii() and char.isalpha() for char in surface):
            return None  # Latin letters ('GMA시') have no Hangul key: only the 시 would be heard
        matches = self._phonetic.search(surface, country, limit=REGION_SHORTLIST if regions else
                                        SOUND_SHORTLIST, kinds=kinds)
        wanted = division_kinds(surface, country)
        if wanted:  # 꽝빈성: the province, not a town of like sound
            matches = [m for m in matches if m.entry.kind in wanted] or matches
        if regions and matches:
            # inside the region the page names; else the best if its region is unknown, never
            # one known to lie in another (a town in another province sounding alike)
            matches = [m for m in matches if m.entry.region in regions] or \
                [m for m in matches if not m.entry.region and not matches[0].entry.region]
        match = chosen_match(matches, divisions=bool(wanted)) if matches else None
        if match is None:
            return None
        place = self._places.get(match.entry.id) or self._place_by_sound(match, surface)
        return Candidate(place, VIA_WEIGHT["phonetic"] * match.score, match.entry.en, "phonetic",
                         match.similarity)

    def _place_by_sound(self, match: PhoneticMatch, surface: str) -> Place:
        """A place no source names in Korean: named after the page's spelling, with the generic
        word of its kind (풀러튼 → 풀러튼시)."""
        entry = match.entry
        compact = "".join(surface.split())
        stem, generic = strip_korean_generic(compact)
        page_generic = compact[len(stem):] if generic else ""
        if entry.kind == "admin1":  # 주, 성, 도, 아이막: the page's own word for the division
            name = stem + (page_generic or GENERIC_OF_KIND["admin1"])
        else:
            name = stem + GENERIC_OF_KIND.get(entry.kind, "")
        place = Place(id=entry.id, name=name, kind=entry.kind, country=entry.country, region=entry.region,
                      level=None, names=tuple(dict.fromkeys((name, compact))), han=(), en=entry.en,
                      lat=entry.lat, lon=entry.lon, population=entry.population or None, code=None,
                      valid_from=None, valid_to=None, successor_id=None, parent_id=None)
        self._by_sound[place.id] = place  # named after this page's spelling: the same on every run
        return place

    def _matches(self, key: str) -> Iterator[tuple[str, str, str]]:
        """(place id, via, matched form): exact, the query against suffix-less forms, and the
        suffix-less query against both."""
        for place_id, via in self._exact.get(key, []):
            yield place_id, via, key
        for place_id, via in self._stem.get(key, []):
            yield place_id, via + "+stem", key
        stem = strip_admin_suffix(key)
        if stem is not None:
            for place_id, via in self._exact.get(stem, []):
                yield place_id, via + "+stem", stem
            for place_id, via in self._stem.get(stem, []):  # both had a suffix, and not the same one
                yield place_id, via + "+other_suffix", stem
        for place_id in self._former_targets(key):
            yield place_id, "former", key

    def _former_targets(self, key: str) -> list[str]:
        """Current successors of former units named `key` (청원군 → 청주시)."""
        targets = []
        for place_id, via in self._exact.get(key, []):
            place = self._places[place_id]
            if place.successor_id and via == "name":
                targets.append(self.successor(place).id)
        return targets

    def _context_score(self, place: Place, country: str | None, province_ids: set[str],
                       province_names: set[str], on_date: str | None) -> float:
        score = KIND_BONUS.get(place.level or place.kind, 0.0)
        score += HOME_BONUS if place.country == "KR" else population_term(place)
        if country:
            score += COUNTRY_MATCH if place.country == country else COUNTRY_MISMATCH
        if province_ids or province_names:
            if self._in_province(place, province_ids, province_names):
                score += PROVINCE_MATCH
            elif place.id not in province_ids:
                score += PROVINCE_MISMATCH
        if on_date:
            score += DATE_VALID if place.valid_on(on_date) else DATE_INVALID
        elif place.is_current:
            score += CURRENT_BONUS
        return score

    def _in_province(self, place: Place, province_ids: set[str], province_names: set[str]) -> bool:
        parent_id, steps = place.parent_id, 0
        while parent_id and steps < 4:  # district → city → province
            if parent_id in province_ids:
                return True
            parent = self._places.get(parent_id)
            parent_id, steps = (parent.parent_id if parent else None), steps + 1
        return place.region in province_names

    def _province_context(self, province: str) -> tuple[set[str], set[str]]:
        """Ids and canonical names of the regions `province` may name, with their whole history
        (강원도 covers 강원특별자치도 and back)."""
        key = normalise(province)
        hits = self._exact.get(key, []) + self._stem.get(key, [])
        stem = strip_admin_suffix(key)
        if stem is not None:
            hits += self._exact.get(stem, [])
        ids: set[str] = set()
        for place_id, _via in hits:
            place = self._places[place_id]
            if place.kind in ("admin1", "province", "prefecture", "city") or place.level or \
                    place.kind == "행정시":
                ids |= {p.id for p in self._history(place)}
        names = {self._places[i].name for i in ids}
        return ids, names

    # --- places, history -----------------------------------------------------------------

    def get(self, place_id: str) -> Place:
        try:
            return self._places.get(place_id) or self._by_sound[place_id]
        except KeyError:
            raise KeyError(f"no place with id {place_id!r}") from None

    def __len__(self) -> int:
        return len(self._places)

    def __iter__(self) -> Iterator[Place]:
        return iter(self._places.values())

    def successor(self, place_or_id: Place | str, on_date: str | None = None) -> Place:
        """The unit that carries on a former one (청원군 → 청주시): the first in the chain that
        exists on `on_date`, else the current one. A current place is its own successor."""
        place = self.get(place_or_id) if isinstance(place_or_id, str) else place_or_id
        for _ in range(10):
            if on_date and place.valid_on(on_date):
                return place
            if place.successor_id is None or place.successor_id not in self._places:
                return place
            place = self._places[place.successor_id]
        return place

    def predecessors(self, place_or_id: Place | str) -> list[Place]:
        """Units that were merged into or renamed to this one (청주시 → [청원군, …])."""
        place_id = place_or_id if isinstance(place_or_id, str) else place_or_id.id
        return [self._places[i] for i in self._successors_of.get(place_id, [])]

    def _history(self, place: Place) -> list[Place]:
        seen: dict[str, Place] = {}
        queue = [place]
        while queue:
            current = queue.pop()
            if current.id in seen:
                continue
            seen[current.id] = current
            queue += self.predecessors(current)
            if current.successor_id in self._places:
                queue.append(self._places[current.successor_id])
        return list(seen.values())

    def province_name_on(self, place_id: str, on_date: str) -> str:
        """The 광역's name on `on_date` ('강원도' before 2023-06-11, '강원특별자치도' after) for
        a Korean government or a 광역 itself; 군위군 before 2023-07-01 gives 경상북도."""
        place = self.get(place_id)
        if not place.valid_on(on_date):
            earlier = [p for p in self._history(place) if p.valid_on(on_date)]
            if earlier:
                place = earlier[0]
        province = place
        while province.level != "광역" and province.parent_id in self._places:
            province = self._places[province.parent_id]
        if province.level != "광역":
            raise GazetteerError(f"{place_id} is not a Korean local government")
        for candidate in self._history(province):
            if candidate.level == "광역" and candidate.valid_on(on_date) and \
                    self.successor(candidate).id == self.successor(province).id:
                return candidate.name
        return province.name

    def korean_governments(self, current_only: bool = True) -> list[Place]:
        """광역 and 기초 자치단체 (not 행정시/일반구), current only unless asked otherwise."""
        return [p for p in self._places.values() if p.country == "KR" and p.level in ("광역", "기초")
                and (p.is_current or not current_only)]

    def surface_forms(self) -> Iterator[tuple[str, str, str]]:
        """(form, label, place id) for every Korean and Han form of two or more characters and
        its suffix-less stem; label is KR_PROVINCE, KR_GOV, FOREIGN_PLACE or COUNTRY (place id
        'country:CN'; country forms include one-character headline forms such as 中, 美)."""
        for place in self._places.values():
            label = ("KR_PROVINCE" if place.level == "광역" else "KR_GOV") if place.country == "KR" \
                else "FOREIGN_PLACE"
            seen: set[str] = set()
            for form in (*place.names, *place.han):
                for variant in (form, strip_admin_suffix(form)):
                    if variant and len(variant) > 1 and variant not in seen:
                        seen.add(variant)
                        yield variant, label, place.id
        for name, code in self._countries.items():
            yield name, "COUNTRY", f"country:{code}"

    def country_code(self, korean_name: str) -> str | None:
        """'중국' → 'CN', '中' → 'CN', '일본' → 'JP'; an ISO code is returned as is."""
        key = normalise(korean_name)
        if len(key) == 2 and key.isascii() and key.isalpha():
            return key.upper()
        return self._countries.get(key)


def division_kinds(surface: str, country: str) -> tuple[str, ...] | None:
    """The kinds of unit the page's generic word asks for when it names a division (주, 성, 도,
    아이막, 카운티), so that a division sounding alike is taken over a town of the same stem."""
    kind = strip_korean_generic(surface)[1]
    if kind == "admin1" and surface.endswith("현") and country not in PREFECTURE_COUNTRIES:
        return None
    return DIVISION_KINDS.get(kind or "")


def _place_from_record(record: dict) -> Place:
    return Place(
        id=record["id"], name=record["name"], kind=record["kind"], country=record["country"],
        region=record["region"], level=record["level"],
        names=tuple(dict.fromkeys([record["name"], *(form for form, _via in record["forms"])])),
        han=tuple(record["han"] or ()),
        en=record["en"], lat=record["lat"], lon=record["lon"], population=record["population"],
        code=record["code"], valid_from=record["valid_from"], valid_to=record["valid_to"],
        successor_id=record["successor_id"], parent_id=record["parent_id"])


def _packaged_data() -> bytes:
    return resources.files("extract.gazetteer").joinpath("data/places.json.gz").read_bytes()


def data_digest() -> str:
    """sha256 of the packaged gazetteer data: what anything prepared from it at build time was
    read from (a rebuilt gazetteer makes it stale)."""
    return hashlib.sha256(_packaged_data()).hexdigest()


@functools.cache
def load_gazetteer() -> Gazetteer:
    """The packaged gazetteer, loaded once per process."""
    try:
        with long_lived():
            return Gazetteer(json.loads(gzip.decompress(_packaged_data())))
    except (OSError, ValueError, KeyError) as exc:
        raise GazetteerError(f"cannot read the packaged gazetteer data: {exc}") from exc
