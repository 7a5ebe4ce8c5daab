"""Coordinates for first-level divisions abroad, which CLDR names but does not place.

A division is put at its most populous GeoNames place (cities500): found through the GeoNames
admin1 code whose Korean name (libgeonames) equals the division's Korean CLDR name, else through
the place of the same Latin name that is the largest of its own GeoNames division (Haiphong,
Dubai; not the small Hainan of Heilongjiang for Hainan province). A map needs one point per
relationship; the division's largest place is where its exchanges happen.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from gazetteer_foreign import load_cldr

from extract.gazetteer.phonetic import strip_latin_generic


def _fold(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.lower())
    return "".join(c for c in text if c.isalnum() and not unicodedata.combining(c))


def admin1_points(source: Path, cities: dict[int, dict], korean_admin1: dict[str, str]
                  ) -> dict[str, tuple[float, float]]:
    """'iso:CN-HI' → (lat, lon) of the division's most populous place."""
    code_by_korean = {(code[:2], name.replace(" ", "")): code for code, name in korean_admin1.items()}
    biggest: dict[str, dict] = {}
    by_name: dict[tuple[str, str], dict] = {}
    for city in cities.values():
        population = city.get("population") or 0
        admin = f"{city['countrycode']}.{city.get('admin1code', '')}"
        if population > (biggest.get(admin, {}).get("population") or -1):
            biggest[admin] = city
    for admin, city in biggest.items():  # a division's namesake only if it is its main place
        by_name.setdefault((city["countrycode"], _fold(city["name"])), city)
    korean, english = load_cldr(source, "ko"), load_cldr(source, "en")
    points: dict[str, tuple[float, float]] = {}
    for code in sorted(set(korean) | set(english)):
        country = code[:2].upper()
        admin = code_by_korean.get((country, korean.get(code, "").replace(" ", "")))
        city = biggest.get(admin) if admin else None
        if city is None and english.get(code):
            city = by_name.get((country, _fold(strip_latin_generic(english[code]))))
        if city is not None:
            points[f"iso:{country}-{code[2:].upper()}"] = (round(city["latitude"], 4),
                                                          round(city["longitude"], 4))
    return points
