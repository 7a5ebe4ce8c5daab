"""Gazetteer coverage, load time and memory.

    .venv/bin/python benchmarks/gazetteer_coverage.py [SHARED_DIR] [--half report|tune|fresh|fresh2|fresh3|fresh4]

Partner list: the `report` half of benchmarks/data/partner_cities.tsv (real partners of Korean
local governments, spelled as published), each resolved with its country (Gazetteer.resolve,
the answer extraction gives): the share resolved to the listed place, to another place, or to
nothing (namesakes of like size included), with counts by method (exact, variant,
transcription, phonetic). Targets: ≥ 92 % right, ≤ 2 % wrong. Rows whose place no shipped
source holds are counted apart. The partners abroad of tests/extract/data/realworld/cases.jsonl are measured
too (right when the top candidate is the place their aliases name).

Over the distinct (name, country) pairs of Korean parties and of partners in SHARED_DIR/seeds and
SHARED_DIR/corpus/dev gold files: the share whose top candidate is right, without context and with
country/province context. The gold files are used only to measure — never as a source of names.
Also: counts of Korean governments and of foreign places with a Korean name by country, and the
load time and peak memory against the bounds (< 1 s, < 150 MB) and a floor measured in the same
run (reading and parsing the data file alone).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import re
import subprocess
import sys
import time
import tracemalloc
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from extract.gazetteer import Gazetteer, Place, normalise, strip_admin_suffix  # noqa: E402

LOAD_BOUND_SECONDS, MEMORY_BOUND_MB = 1.0, 150.0
TARGETS = {"korean": 0.95, "partner": 0.85}
PARTNER_LIST = REPO / "benchmarks" / "data" / "partner_cities.tsv"
FRESH_LISTS = {"fresh": REPO / "benchmarks" / "data" / "partner_cities_fresh.tsv",  # held out, then tuned on
               "fresh2": REPO / "benchmarks" / "data" / "partner_cities_fresh2.tsv",  # the third list
               "fresh3": REPO / "benchmarks" / "data" / "partner_cities_fresh3.tsv",  # the fourth
               "fresh4": REPO / "benchmarks" / "data" / "partner_cities_fresh4.tsv"}  # the fifth
REALWORLD_CASES = REPO / "tests" / "extract" / "data" / "realworld" / "cases.jsonl"
LIST_TARGETS = {"right": 0.92, "wrong": 0.02}
SAME_TOWN_KM = 20.0


@dataclass(frozen=True)
class GoldName:
    group: str  # "korean" (a Korean government: party or domestic partner) or "partner" (abroad)
    name: str
    country: str
    province: str | None  # korean: its 광역 (None when itself a 광역); partner: partner_region
    aliases: tuple[str, ...]


def read_gold(shared: Path) -> list[GoldName]:
    names: dict[tuple, GoldName] = {}
    files = sorted((shared / "seeds").glob("*.json")) + sorted((shared / "corpus" / "dev").glob("*.json"))
    for path in files:
        for event in json.loads(path.read_text(encoding="utf-8")).get("events", []):
            party = GoldName("korean", event["korean_party"], "KR", event.get("korean_province"), ())
            names.setdefault((party.group, party.name, party.country, party.province), party)
            country = event["partner_country"]
            if country == "KR":
                partner = GoldName("korean", event["partner"], "KR", event.get("partner_province"), ())
                names.setdefault((partner.group, partner.name, "KR", partner.province), partner)
            else:
                partner = GoldName("partner", event["partner"], country, event.get("partner_region"),
                                   tuple(event.get("partner_aliases") or ()))
                names.setdefault((partner.group, partner.name, country), partner)
    return list(names.values())


def province_of(gazetteer: Gazetteer, place: Place) -> Place | None:
    while place.level != "광역" and place.parent_id:
        place = gazetteer.get(place.parent_id)
    return place if place.level == "광역" else None


def is_right(gazetteer: Gazetteer, gold: GoldName, place: Place) -> bool:
    if place.country != gold.country:
        return False
    if gold.group == "partner":
        wanted = {normalise(n) for n in (gold.name, *gold.aliases)}
        wanted |= {s for s in map(strip_admin_suffix, wanted) if s}
        have = {normalise(n) for n in (*place.names, *place.han, place.en or "")}
        have |= {s for s in map(strip_admin_suffix, have) if s}
        return bool(wanted & have)
    if gold.name not in place.names and normalise(gold.name) != normalise(place.name):
        return False
    if gold.province is None:
        return place.level == "광역"
    province = province_of(gazetteer, place)
    gold_provinces = [c.place for c in gazetteer.lookup(gold.province, country="KR", limit=3)
                      if c.place.level == "광역"]
    return province is not None and any(
        gazetteer.successor(province).id == gazetteer.successor(p).id for p in gold_provinces)


ENGLISH_GENERIC = re.compile(r"^(city|town|county|province) of |( city| prefecture| province| town)$|^kota ")


def foreign_key(form: str) -> str:
    """A Latin or Han form without its generic word; Latin letters without marks, so that a
    label's 'Kochi' names the place GeoNames spells Kōchi."""
    if not any("\u3400" <= ch <= "\u9fff" for ch in form):
        form = _folded_marks(form)
    key = normalise(ENGLISH_GENERIC.sub("", form.lower()) if form.isascii() else form)
    return strip_admin_suffix(key) or key


def _folded_marks(text: str) -> str:
    import unicodedata
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@functools.cache
def places_by_foreign_form(gazetteer: Gazetteer) -> dict[str, set[str]]:
    index: dict[str, set[str]] = {}
    for place in gazetteer:
        for form in (*place.han, place.en or ""):
            if form:
                index.setdefault(foreign_key(form), set()).add(place.id)
    return index


def is_same_place(gazetteer: Gazetteer, gold: GoldName, place: Place) -> bool:
    """Stricter than the brief's rule: when the gold's Han or Latin forms name places in the
    gazetteer, the top candidate must be one of them (동관시 must be 东莞, not 潼关 whose hanja
    reading is also 동관). Gold forms that name nothing here cannot tell, and count as right."""
    if not is_right(gazetteer, gold, place):
        return False
    if gold.group != "partner":
        return True
    index = places_by_foreign_form(gazetteer)
    named: set[str] = set()
    for alias in gold.aliases:
        if not any("\uac00" <= ch <= "\ud7a3" for ch in alias):
            named |= index.get(foreign_key(alias), set())
    # a Latin alias also names namesakes abroad (San Mateo, California for a Philippine one)
    named = {i for i in named if gazetteer.get(i).country == gold.country}
    return not named or place.id in named


def miss_cause(gazetteer: Gazetteer, gold: GoldName, candidates: list) -> str:
    if not candidates:
        foreign_forms = {a.lower() for a in gold.aliases if not any("\uac00" <= ch <= "\ud7a3" for ch in a)}
        present = [p for p in gazetteer if p.country == gold.country and (
            (p.en or "").lower() in foreign_forms or foreign_forms & set(p.han))]
        if present:
            return (f"place exists ({present[0].id}, Korean forms {'/'.join(present[0].names[:4])}) "
                    f"but no source or rule gives the spelling {gold.name!r}")
        return "no Korean form in any source and no transcription rule for this country"
    for rank, candidate in enumerate(candidates, 1):
        if is_right(gazetteer, gold, candidate.place):
            top = candidates[0].place
            return f"right place ranked #{rank}, behind {top.name} [{top.id} {top.country}]"
    top = candidates[0].place
    return f"only other places match; top {top.name} [{top.id} {top.country} {top.region or ''}]"


def coverage(gazetteer: Gazetteer, gold_names: list[GoldName]) -> tuple[dict, list[str]]:
    results: dict[str, Counter] = {"korean": Counter(), "partner": Counter()}
    misses = []
    for gold in sorted(gold_names, key=lambda g: (g.group, g.country, g.name)):
        bare = gazetteer.lookup(gold.name, limit=1)
        context = {"country": gold.country, "province": gold.province}
        ranked = gazetteer.lookup(gold.name, limit=10, **context)
        results[gold.group]["total"] += 1
        bare_right = bool(bare and is_right(gazetteer, gold, bare[0].place))
        results[gold.group]["bare"] += bare_right
        right = bool(ranked and is_right(gazetteer, gold, ranked[0].place))
        results[gold.group]["context"] += right
        same = bool(ranked and is_same_place(gazetteer, gold, ranked[0].place))
        results[gold.group]["strict"] += same
        if right and not same:
            top = ranked[0].place
            misses.append(f"[strict only]  {gold.group:8} {gold.country} {gold.name}: top {top.name} "
                          f"[{top.id} {'/'.join(top.han[:2])} {top.en}] shares the Korean form but is "
                          f"another place")
        if not right:
            misses.append(f"[with context] {gold.group:8} {gold.country} {gold.name} "
                          f"({gold.province or '-'}): {miss_cause(gazetteer, gold, ranked)}")
        elif not bare_right:
            misses.append(f"[no context]   {gold.group:8} {gold.country} {gold.name} "
                          f"({gold.province or '-'}): "
                          f"{miss_cause(gazetteer, gold, gazetteer.lookup(gold.name, limit=10))}")
    return results, misses


LOAD_PROBE = """
import gzip, json, resource, sys, time
from importlib import resources
started = time.perf_counter()
if sys.argv[1] == "floor":  # reading and parsing the data file alone
    json.loads(gzip.decompress(resources.files("extract.gazetteer").joinpath(
        "data/places.json.gz").read_bytes()))
else:
    from extract.gazetteer import load_gazetteer
    load_gazetteer()
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def measure_load() -> dict[str, float]:
    """Load time and max RSS of a fresh process that only loads the gazetteer, next to one that
    only parses the data file (the floor) and an empty interpreter (RSS baseline)."""
    def probe(mode: str) -> dict[str, float]:
        done = subprocess.run([sys.executable, "-c", LOAD_PROBE, mode], cwd=REPO, check=True,
                              capture_output=True, text=True)
        return json.loads(done.stdout)

    baseline = json.loads(subprocess.run(
        [sys.executable, "-c", "import json, resource; print(json.dumps(resource.getrusage("
         "resource.RUSAGE_SELF).ru_maxrss / 1024))"], check=True, capture_output=True, text=True).stdout)
    floor, full = probe("floor"), probe("load")
    tracemalloc.start()
    raw = resources.files("extract.gazetteer").joinpath("data/places.json.gz").read_bytes()
    gazetteer = Gazetteer(json.loads(gzip.decompress(raw)))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"places": len(gazetteer), "parse_floor_s": floor["seconds"], "load_s": full["seconds"],
            "peak_traced_mb": peak / 2**20, "rss_max_mb": full["rss_mb"], "rss_floor_mb": floor["rss_mb"],
            "rss_baseline_mb": baseline}


def print_counts(gazetteer: Gazetteer) -> None:
    korean = Counter((p.level or p.kind, "current" if p.is_current else "historical")
                     for p in gazetteer if p.country == "KR")
    print("Korean units:", ", ".join(f"{k[0]} {k[1]} {n}" for k, n in sorted(korean.items())))
    foreign = Counter(p.country for p in gazetteer if p.country != "KR")
    print(f"foreign places with a Korean name: {sum(foreign.values())} in {len(foreign)} countries;",
          ", ".join(f"{c} {n}" for c, n in foreign.most_common(15)))


@dataclass(frozen=True)
class ListedPartner:
    partner: str
    country: str
    name_en: str
    place_ids: frozenset[str]  # the listed id and, where different, its GeoNames id
    absent: bool


def read_partner_list(half: str) -> list[ListedPartner]:
    import csv
    path = FRESH_LISTS.get(half, PARTNER_LIST)
    with path.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle, delimiter="\t") if r["half"] == half]
    listed = [ListedPartner(r["partner"], r["country"], r["name_en"],
                            frozenset({r["place_id"]} | ({f"gn:{r['geonameid']}"} if r["geonameid"] else set())),
                            bool(r["absent_reason"])) for r in rows]
    return listed


@functools.cache
def phonetic_index():  # type: ignore[no-untyped-def]
    from extract.gazetteer.phonetic_index import PhoneticIndex
    return PhoneticIndex()


def same_town(gazetteer: Gazetteer, found: Place, listed: ListedPartner) -> bool:
    """GeoNames holds some towns twice (Yasugi and Yasugichō, 11 km apart; one of the two without
    population): a GeoNames place within SAME_TOWN_KM of the listed one whose Latin name starts
    alike, one of them unpopulated, is the same town."""
    from extract.gazetteer.phonetic_index import near
    index = phonetic_index()
    listed_id = next((i for i in sorted(listed.place_ids) if i.startswith("gn:")), None)
    if listed_id is None or not found.id.startswith("gn:"):
        return False
    a, b = index.entry(found.id, listed.country), index.entry(listed_id, listed.country)
    if a is None or b is None or not near(a, b, SAME_TOWN_KM) or min(a.population, b.population) > 0:
        return False  # the duplicate point of a town has no population (Paris is not its 17e)
    x, y = _folded(a.en), _folded(b.en)
    size = min(len(x), len(y), 4)
    return size >= 3 and x[:size] == y[:size]


def _folded(name: str) -> str:
    import unicodedata
    return "".join(c for c in unicodedata.normalize("NFKD", name.lower()) if c.isalpha() and c.isascii())


def list_coverage(gazetteer: Gazetteer, listed: list[ListedPartner]) -> tuple[Counter, list[str]]:
    counts: Counter = Counter()
    misses = []
    for row in listed:
        if row.absent:
            counts["absent"] += 1
            continue
        top = gazetteer.resolve(row.partner, country=row.country)
        if top is None or top.place.country != row.country:
            counts["none"] += 1
            misses.append(f"[none]  {row.country} {row.partner} ({row.name_en})")
            continue
        if top.place.id in row.place_ids or same_town(gazetteer, top.place, row):
            counts["right"] += 1
            counts[f"method:{top.method}"] += 1
        else:
            counts["wrong"] += 1
            misses.append(f"[wrong] {row.country} {row.partner} ({row.name_en}): {top.place.name} "
                          f"[{top.place.id} {top.place.en}] by {top.method}")
    return counts, misses


def realworld_partners() -> list[GoldName]:
    """Partners abroad of the real-article check set (tests/extract/data/realworld/cases.jsonl), with the
    Latin and Han aliases its labellers gave; empty when the file is absent."""
    if not REALWORLD_CASES.exists():
        return []
    names: dict[tuple[str, str], GoldName] = {}
    for line in REALWORLD_CASES.read_text(encoding="utf-8").splitlines():
        for event in (json.loads(line).get("events", []) if line.strip() else []):
            country = event.get("partner_country")
            if country and country != "KR":
                names.setdefault((event["partner"], country), GoldName(
                    "partner", event["partner"], country, event.get("partner_region"),
                    tuple(event.get("partner_aliases") or ())))
    return list(names.values())


def print_realworld_coverage(gazetteer: Gazetteer) -> None:
    """Right = the top candidate is the place the aliases name (is_same_place)."""
    counts: Counter = Counter()
    misses = []
    for gold in sorted(realworld_partners(), key=lambda g: (g.country, g.name)):
        top = gazetteer.resolve(gold.name, country=gold.country, province=gold.province)
        if top is None or top.place.country != gold.country:
            counts["none"] += 1
            misses.append(f"[none]  {gold.country} {gold.name}")
        elif is_same_place(gazetteer, gold, top.place):
            counts["right"] += 1
            counts[f"method:{top.method}"] += 1
        else:
            counts["wrong"] += 1
            misses.append(f"[wrong] {gold.country} {gold.name}: {top.place.name} [{top.place.id}]")
    total = sum(counts[k] for k in ("right", "wrong", "none"))
    if total:
        print(f"real-article partners abroad: {total} names: right {counts['right'] / total:.1%}, "
              f"wrong {counts['wrong'] / total:.1%}, none {counts['none'] / total:.1%}")
        for line in misses:
            print("  " + line)


def print_list_coverage(gazetteer: Gazetteer, half: str) -> bool:
    counts, misses = list_coverage(gazetteer, read_partner_list(half))
    total = counts["right"] + counts["wrong"] + counts["none"] or 1
    right, wrong = counts["right"] / total, counts["wrong"] / total
    methods = ", ".join(f"{m} {counts[f'method:{m}']}" for m in
                        ("exact", "variant", "transcription", "phonetic"))
    print(f"partner list ({half} half): {total} places: right {right:.1%} (target ≥ "
          f"{LIST_TARGETS['right']:.0%}), wrong {wrong:.1%} (target ≤ {LIST_TARGETS['wrong']:.0%}), "
          f"none {counts['none'] / total:.1%}; right by method: {methods}; "
          f"{counts['absent']} more that no shipped source holds")
    for line in misses:
        print("  " + line)
    return right >= LIST_TARGETS["right"] and wrong <= LIST_TARGETS["wrong"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shared", nargs="?", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--half", choices=("report", "tune", "fresh", "fresh2", "fresh3", "fresh4"), default="report",
                        help="part of the partner list to measure (tune only while tuning; fresh: "
                             "the second list; fresh2: the third; fresh3: the fourth; fresh4: the fifth)")
    args = parser.parse_args(argv)
    load = measure_load()
    gazetteer = Gazetteer(json.loads(gzip.decompress(
        resources.files("extract.gazetteer").joinpath("data/places.json.gz").read_bytes())))
    print(f"load: {load['load_s']:.3f} s (bound {LOAD_BOUND_SECONDS} s; "
          f"{load['load_s'] / load['parse_floor_s']:.2f}x the bare gunzip+JSON parse floor of "
          f"{load['parse_floor_s']:.3f} s); {load['places']} places")
    print(f"memory: max RSS of a process that loads it {load['rss_max_mb']:.1f} MB (bound "
          f"{MEMORY_BOUND_MB} MB; empty interpreter {load['rss_baseline_mb']:.1f} MB, parse-only floor "
          f"{load['rss_floor_mb']:.1f} MB); Python heap peak during load {load['peak_traced_mb']:.1f} MB")
    started = time.perf_counter()
    phonetic_index().search("풀러턴", "US")
    print(f"phonetic index: the largest country (US) read on first use and searched in "
          f"{time.perf_counter() - started:.3f} s (outside the load: read per country when needed)")
    print_counts(gazetteer)
    gold = read_gold(args.shared)
    results, misses = coverage(gazetteer, gold)
    failed = False
    for group, counts in results.items():
        total = counts["total"] or 1
        share = counts["context"] / total
        failed |= share < TARGETS[group]
        print(f"{group:8} {counts['total']:3} distinct names: top candidate right "
              f"{counts['bare'] / total:.1%} without context, {share:.1%} with context "
              f"(target {TARGETS[group]:.0%}); same place by Han/English too: "
              f"{counts['strict'] / total:.1%}")
    print(f"misses ({len(misses)}; '[no context]' = right only once country/province are given):")
    for line in misses:
        print("  " + line)
    failed |= not print_list_coverage(gazetteer, args.half)
    print_realworld_coverage(gazetteer)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
