"""Places abroad found by sound: a Hangul name compared with the Latin names of one country.

Data: `data/phonetic.zip`, one JSON member per country (scripts/gazetteer_phonetic.py), read
the first time that country is asked for. Candidates are first narrowed on their consonant
skeleton with rapidfuzz, then ranked by the weighted key similarity of `phonetic.py`, the
kind of unit the Korean generic word asks for (카운티, 주, 시 …) and population.
"""

from __future__ import annotations

import json
import math
import threading
import zipfile
from dataclasses import dataclass
from importlib import resources
from operator import itemgetter
from pathlib import Path
from typing import Protocol

from extract.gazetteer.model import GazetteerError
from extract.gazetteer.phonetic import (hangul_key, key_similarities, skeleton, skeletons,
                                        strip_korean_generic)
from extract.loading import long_lived

# Below this key similarity a candidate is no match (tune half: the right place scores ≥ 0.80
# for 95 % of the names it holds; wrong places that pass 0.75 are rare, see the README).
MIN_SIMILARITY = 0.78
SHORTLIST = 40  # distinct consonant skeletons nearest the query's, whose keys are re-ranked
# The generic word on the page says which kind of unit is meant (마우이카운티 is the county,
# 몸바사주 the county-level state, not the city of the same name).
KIND_BONUS = {("admin1", "admin1"): 0.06, ("admin1", "city"): -0.04, ("county", "county"): 0.08,
              ("county", "city"): -0.08, ("county", "admin1"): -0.08, ("city", "admin1"): -0.03,
              ("city", "county"): -0.05, ("township", "county"): -0.05, ("district", "admin1"): -0.03}
POPULATION_WEIGHT = 0.04  # a tie between two Springfields goes to the bigger one
# The name with its generic word kept (치즈정 as a whole) is a weaker reading than without it.
UNSTRIPPED_PENALTY = 0.08
# English writes a final [z] as s, which Korean spells 즈 as often as 스: a final 즈 is also read
# as s, a shade below its own reading.
FINAL_S_PENALTY = 0.02


@dataclass(frozen=True, slots=True)
class PhoneticEntry:
    id: str
    country: str
    en: str
    kind: str
    population: int
    lat: float | None
    lon: float | None
    region: str | None


@dataclass(frozen=True, slots=True)
class PhoneticMatch:
    entry: PhoneticEntry
    similarity: float  # key similarity, 0..1
    score: float  # similarity adjusted for kind and population: the ranking
    query_key: str
    matched_key: str
    kind_hint: str | None


class Located(Protocol):
    @property
    def lat(self) -> float | None: ...
    @property
    def lon(self) -> float | None: ...


def near(a: Located, b: Located, km: float = 20.0) -> bool:
    """Both placed and within `km` of each other: GeoNames often holds one town twice (Dzuunmod
    and Zuunmod, Yasugi and Yasugichō)."""
    if None in (a.lat, a.lon, b.lat, b.lon):
        return False
    lat_a, lat_b = math.radians(a.lat), math.radians(b.lat)  # type: ignore[arg-type]
    cos_angle = math.sin(lat_a) * math.sin(lat_b) + math.cos(lat_a) * math.cos(lat_b) * \
        math.cos(math.radians(a.lon - b.lon))  # type: ignore[operator]
    return 6371.0 * math.acos(max(-1.0, min(1.0, cos_angle))) <= km


class _Country:
    def __init__(self, country: str, payload: dict) -> None:
        # rows are read by column position: a dict made per row was a third of a country's load
        column = {name: position for position, name in enumerate(payload["fields"])}
        fields_at = itemgetter(*(column[name] for name in ("id", "en", "kind", "population", "lat", "lon", "region")))
        keys_at = column["keys"]
        self.entries: list[PhoneticEntry] = []
        self.keys: list[str] = []
        self.owner: list[int] = []
        for number, row in enumerate(payload["places"]):
            place_id, en, kind, population, lat, lon, region = fields_at(row)
            self.entries.append(PhoneticEntry(place_id, country, en, kind, population or 0, lat, lon, region))
            self.keys.extend(row[keys_at])
            self.owner.extend([number] * len(row[keys_at]))
        # rapidfuzz compares each distinct skeleton once; all keys sharing it are then re-ranked
        # (a common skeleton such as 'LTN' is shared by hundreds of US names)
        by_skeleton: dict[str, list[int]] = {}
        for index, key_skeleton in enumerate(skeletons(self.keys)):
            by_skeleton.setdefault(key_skeleton, []).append(index)
        self.skeletons = list(by_skeleton)
        self.keys_of_skeleton = list(by_skeleton.values())


class PhoneticIndex:
    """Latin names of places abroad by country, loaded per country on first use."""

    def __init__(self, archive: Path | None = None) -> None:
        """`archive`: a phonetic.zip to read instead of the packaged one."""
        self._archive = archive
        self._countries: dict[str, _Country | None] = {}
        self._lock = threading.Lock()

    def _country(self, country: str) -> _Country | None:
        with self._lock:
            if country not in self._countries:
                # a country's ~100,000 small objects, kept to the end: made with the collector
                # paused and then frozen, as the gazetteer is (else the collector scanned the
                # growing heap, 0.3 s over a first pass of the speed set)
                with long_lived():
                    self._countries[country] = self._load(country)
            return self._countries[country]

    def _load(self, country: str) -> _Country | None:
        path = self._archive or resources.files("extract.gazetteer").joinpath("data/phonetic.zip")
        try:
            with path.open("rb") as raw, zipfile.ZipFile(raw) as archive:
                payload = json.loads(archive.read(f"{country}.json"))
        except KeyError:
            return None  # no names for this country
        except (OSError, zipfile.BadZipFile, ValueError) as exc:
            raise GazetteerError(f"cannot read the phonetic index: {exc}") from exc
        return _Country(country, payload)

    def search(self, surface: str, country: str, limit: int = 5,
               min_similarity: float = MIN_SIMILARITY,
               kinds: tuple[str, ...] | None = None) -> list[PhoneticMatch]:
        """Places of `country` (of `kinds` only, when given) whose Latin name sounds like the
        Hangul `surface`, best first; none below `min_similarity`."""
        names = self._country(country.upper())
        stem, kind_hint = strip_korean_generic(surface)
        stem_key = hangul_key(stem, country)
        queries = {stem_key: 0.0}
        if stem.endswith("즈"):  # a final voiced s written 즈 (존즈: Jones), or z itself
            queries.setdefault(stem_key[:-1] + "S", FINAL_S_PENALTY)
        if kind_hint:
            queries.setdefault(hangul_key(surface, country), UNSTRIPPED_PENALTY)
        queries = {q: p for q, p in queries.items() if skeleton(q) and len(q) >= 2}
        if names is None or not queries:
            return []
        best: dict[int, PhoneticMatch] = {}
        for query, penalty in queries.items():
            shortlist = [index for index in self._shortlist(names, query)
                         if kinds is None or names.entries[names.owner[index]].kind in kinds]
            similarities = key_similarities(query, [names.keys[index] for index in shortlist])
            for index, similarity in zip(shortlist, similarities):
                if similarity < min_similarity:
                    continue
                entry = names.entries[names.owner[index]]
                score = similarity + KIND_BONUS.get((kind_hint or "city", entry.kind), 0.0) \
                    + POPULATION_WEIGHT * min(1.0, math.log10(entry.population + 1) / 7) - penalty
                owner = names.owner[index]
                if owner not in best or score > best[owner].score:
                    best[owner] = PhoneticMatch(entry, round(similarity, 3), round(score, 4), query,
                                                names.keys[index], kind_hint)
        return sorted(best.values(), key=lambda m: (-m.score, m.entry.id))[:limit]

    def entry(self, place_id: str, country: str) -> PhoneticEntry | None:
        """The stored entry of a place (for measurement: where a listed place lies)."""
        names = self._country(country.upper())
        return next((e for e in names.entries if e.id == place_id), None) if names else None

    @staticmethod
    def _shortlist(names: _Country, query: str) -> list[int]:
        from rapidfuzz import process  # imported on first use: the gazetteer loads without it
        from rapidfuzz.distance import Levenshtein
        found = process.extract(skeleton(query), names.skeletons, scorer=Levenshtein.normalized_similarity,
                                limit=SHORTLIST, score_cutoff=0.5)
        return [key for _choice, _score, index in found for key in names.keys_of_skeleton[index]]
