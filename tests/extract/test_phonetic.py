"""The phonetic resolver on its own: keys of Hangul and Latin names, their similarity, and the
per-country index read from a small archive written here."""

from __future__ import annotations

import json
import zipfile

import pytest

from extract.gazetteer.phonetic import (hangul_key, key_similarity, latin_key, latin_keys, strip_korean_generic,
                                        strip_latin_generic)
from extract.gazetteer.phonetic_index import MIN_SIMILARITY, PhoneticIndex


@pytest.mark.parametrize("hangul, key", [
    ("풀러튼", "PuLvTN"),  # 튼: ㅡ is dropped, its consonants kept
    ("그랜트", "GLeNT"),  # epenthetic ㅡ dropped
    ("밀라노", "MiLaNo"),  # ㄹㄹ written once
    ("뉴욕", "NiuioK"),
    ("Tokyo 도쿄", "DoKio"),  # other scripts ignored
])
def test_hangul_key(hangul: str, key: str) -> None:
    assert hangul_key(hangul) == key


@pytest.mark.parametrize("surface, stem, kind", [
    ("마우이카운티", "마우이", "county"), ("몽고메리 타운십", "몽고메리", "township"),
    ("아르항가이아이막", "아르항가이", "admin1"), ("풀러튼시", "풀러튼", "city"),
    ("나가노현", "나가노", "admin1"), ("파리", "파리", None), ("구시", "구시", None),
    ("킹카운티", "킹", "county"),  # a word of three syllables is never the name's own
    ("광주", "광주", None), ("청도", "청도", None),  # … one of one syllable may be
])
def test_strip_korean_generic(surface: str, stem: str, kind: str | None) -> None:
    assert strip_korean_generic(surface) == (stem, kind)


@pytest.mark.parametrize("name, bare", [
    ("Loudoun County", "loudoun"), ("Tottori-shi", "tottori"), ("City of Sydney", "sydney"),
    ("Mexico City", "mexico"), ("County", "County"),
])
def test_strip_latin_generic(name: str, bare: str) -> None:
    assert strip_latin_generic(name) == bare


@pytest.mark.parametrize("hangul, latin, country", [
    ("풀러튼", "Fullerton", "US"), ("밴쿠버", "Vancouver", "CA"), ("뮌헨", "München", "DE"),
    ("크라쿠프", "Kraków", "PL"), ("과달라하라", "Guadalajara", "MX"), ("이즈미르", "İzmir", "TR"),
    ("쿠리치바", "Curitiba", "BR"), ("세게드", "Szeged", "HU"), ("사마르칸트", "Samarkand", "UZ"),
    ("하바롭스크", "Khabarovsk", "RU"), ("브루노", "Brno", "CZ"), ("피렌체", "Firenze", "IT"),
])
def test_same_place_sounds_alike(hangul: str, latin: str, country: str) -> None:
    assert key_similarity(hangul_key(hangul), latin_key(strip_latin_generic(latin), country)) >= MIN_SIMILARITY


@pytest.mark.parametrize("hangul, latin, country", [
    ("밴쿠버", "Toronto", "CA"), ("풀러튼", "Houston", "US"), ("크라쿠프", "Gdańsk", "PL"),
    ("과달라하라", "Monterrey", "MX"), ("뮌헨", "Hamburg", "DE"),
])
def test_other_places_do_not(hangul: str, latin: str, country: str) -> None:
    assert key_similarity(hangul_key(hangul), latin_key(latin, country)) < MIN_SIMILARITY


def test_similarity_is_symmetric_and_bounded() -> None:
    a, b = hangul_key("샌안토니오"), latin_key("San Antonio", "US")
    assert key_similarity(a, b) == key_similarity(b, a)
    assert key_similarity(a, a) == 1.0 and key_similarity(a, "") == 0.0


def write_archive(path, countries: dict[str, list[list]]) -> None:
    fields = ["id", "en", "kind", "population", "lat", "lon", "region", "keys"]
    with zipfile.ZipFile(path, "w") as archive:
        for country, places in countries.items():
            rows = [[*p[:7], [latin_key(strip_latin_generic(p[1]), country)]] for p in places]
            archive.writestr(f"{country}.json", json.dumps({"fields": fields, "places": rows}))


@pytest.fixture
def index(tmp_path) -> PhoneticIndex:
    archive = tmp_path / "phonetic.zip"
    write_archive(archive, {"US": [
        ["gn:1", "Fullerton", "city", 140000, 33.87, -117.92, "CA"],
        ["gn:2", "Fullerton", "city", 1200, 40.6, -75.5, "PA"],
        ["us:15009", "Maui County", "county", 0, None, None, "HI"],
        ["gn:3", "Maui", "city", 600, 20.8, -156.3, "HI"],
        ["us:53025", "Grant County", "county", 0, None, None, "WA"],
        ["us:05053", "Grant County", "county", 0, None, None, "AR"],
    ]})
    return PhoneticIndex(archive)


def test_index_ranks_by_population_and_kind(index: PhoneticIndex) -> None:
    assert index.search("풀러튼시", "US")[0].entry.id == "gn:1"  # the bigger Fullerton
    county = index.search("마우이카운티", "US")[0]
    assert county.entry.id == "us:15009" and county.kind_hint == "county"
    assert index.search("마우이", "US")[0].entry.id == "gn:3"  # no generic word: the city


def test_index_refuses_far_names_and_unknown_countries(index: PhoneticIndex) -> None:
    assert index.search("휴스턴", "US") == []
    assert index.search("풀러튼", "ZZ") == []


def test_ties_are_reported_for_the_caller(index: PhoneticIndex) -> None:
    first, second = index.search("그랜트카운티", "US")[:2]
    assert first.similarity == second.similarity and first.entry.population == second.entry.population


@pytest.mark.parametrize("hangul, latin", [
    ("꽝찌", "Quảng Trị"),  # qu + a is ㄲ + ㅘ; tr is ㅉ
    ("흥옌", "Hưng Yên"),  # ư is ㅡ, which the key drops
    ("선라", "Sơn La"),  # ơ is ㅓ
    ("껀터", "Cần Thơ"),  # â is ㅓ, whatever the tone mark on it
])
def test_vietnamese_is_read_as_pronounced(hangul: str, latin: str) -> None:
    assert latin_key(latin, "VN") == hangul_key(hangul)


@pytest.mark.parametrize("hangul, latin, country", [
    ("케임브리지", "Cambridge", "GB"), ("라그레인지", "LaGrange", "US"),  # soft g: ㅈ
    ("플로렌스", "Florence", "US"),  # c before a silent e: ㅅ
    ("졸링겐", "Solingen", "DE"), ("로젠하임", "Rosenheim", "DE"),  # German s before a vowel: ㅈ
    ("덴버", "Denver", "US"), ("맨체스터", "Manchester", "GB"),  # final -er: ㅓ
    ("하이드", "Hyde", "GB"), ("헤이워드", "Hayward", "US"),  # open-syllable y, ay
    ("데인", "Dane", "US"), ("그레이스", "Grace", "US"),  # a before a consonant and silent e: 에이
    ("녹스", "Knox", "US"), ("라이트", "Wright", "US"),  # silent k before n, w before r
])
def test_voiced_and_soft_consonants(hangul: str, latin: str, country: str) -> None:
    assert key_similarity(hangul_key(hangul), latin_key(latin, country)) >= 0.85


@pytest.mark.parametrize("name, bare", [
    ("Thị Trấn Phong Điền", "phong điền"), ("Huyện Cô Tô", "cô tô"),
    ("Quận Ba", "quận ba"),  # a numbered district keeps its word: 'ba' is three, no name
    ("Greater Sudbury", "sudbury"),
])
def test_leading_generic_words_are_stripped(name: str, bare: str) -> None:
    assert strip_latin_generic(name) == bare


def test_english_vowels_tell_namesakes_of_one_skeleton_apart() -> None:
    tyler, taylor = latin_key("Tyler", "US"), latin_key("Taylor", "US")
    assert key_similarity(hangul_key("타일러"), tyler) == 1.0
    assert key_similarity(hangul_key("타일러"), taylor) < 0.95
    assert key_similarity(hangul_key("테일러"), taylor) == 1.0


def test_final_z_written_with_s(tmp_path) -> None:
    archive = tmp_path / "phonetic.zip"
    write_archive(archive, {"US": [["gn:9", "Jones", "city", 3000, 30.0, -90.0, "LA"]]})
    assert hangul_key("존스") != hangul_key("존즈")
    found = PhoneticIndex(archive).search("존즈", "US")
    assert found and found[0].entry.id == "gn:9" and found[0].similarity > 0.9


def test_country_rules_and_generic_key_are_both_kept() -> None:
    from extract.gazetteer.phonetic import latin_keys
    assert latin_keys("Sabadell", "ES") == ["SaBaDei", "SaBaDeL"]  # Spanish ll, Catalan l
    assert latin_keys("Toronto", "CA") == ["ToLoNTo"]


# --- through the gazetteer (the packaged data) ---------------------------------------------

@pytest.mark.parametrize("surface, country, place_id", [
    ("풀러튼시", "US", "gn:5351247"),  # Fullerton, California: the bigger namesake
    ("마우이카운티", "US", "us:15009"),  # the county, as the page's generic word says
    ("고주프시", "PL", "gn:3098722"),  # Gorzów Wielkopolski, Polish rz and final w
])
def test_gazetteer_resolves_by_sound_with_the_country(surface: str, country: str, place_id: str) -> None:
    from extract.gazetteer import load_gazetteer
    top = load_gazetteer().lookup(surface, country=country, limit=1)[0]
    assert top.place.id == place_id and top.method == "phonetic" and top.similarity >= MIN_SIMILARITY


def test_gazetteer_leaves_ambiguous_or_far_names_unresolved() -> None:
    from extract.gazetteer import load_gazetteer
    gazetteer = load_gazetteer()
    assert not [c for c in gazetteer.lookup("그랜트카운티", country="US") if c.place.country == "US"]
    assert gazetteer.lookup("풀러튼시") == [] or gazetteer.lookup("풀러튼시")[0].method != "phonetic"
    assert gazetteer.lookup("부여군", country="KR", limit=1)[0].place.id == "kr:44760"


@pytest.mark.parametrize("surface, place_id", [
    ("수이닝현", "cn:320324"),  # 睢宁县 (standard 쑤이닝현); Suining is also a city of Sichuan
    ("시앙수이현", "cn:320921"),  # 响水县 (standard 샹수이현)
])
def test_china_county_units_are_found_by_the_sound_of_their_pinyin(surface: str, place_id: str) -> None:
    # county-level units with no GeoNames place: keyed by the pinyin of their Chinese name
    from extract.gazetteer import load_gazetteer
    found = load_gazetteer().resolve(surface, country="CN", province="장쑤성")
    assert found is not None and found.place.id == place_id and found.method == "phonetic"


def test_a_before_a_consonant_and_silent_e_is_ei() -> None:
    assert latin_key("Lake", "US") == "LeiK"  # not Leake's 'LiK', nor Lake's old 'LaK'
    assert latin_key("Cape", "US") == "KaP"  # c and g before it keep their sound: no rule
    assert latin_key("Clare", "IE") == "KLaL"  # nor before r


@pytest.mark.parametrize("surface, place_id", [("킹카운티", "us:53033"), ("쿡카운티", "us:17031")])
def test_a_county_of_one_syllable_is_found_by_sound(surface: str, place_id: str) -> None:
    from extract.gazetteer import load_gazetteer
    found = load_gazetteer().resolve(surface, country="US")  # King County, Washington; Cook, Illinois
    assert found is not None and found.place.id == place_id and found.method == "phonetic"


def test_namesake_counties_of_one_sound_stay_unanswered() -> None:
    from extract.gazetteer import load_gazetteer
    assert load_gazetteer().resolve("레이크카운티", country="US") is None  # a Lake County in 12 states


# --- spelling rules of the languages Korean pages transcribe most ------------------------------

@pytest.mark.parametrize("hangul, latin", [
    ("선양", "Shenyang"), ("스자좡", "Shijiazhuang"),  # sh/zh, the apical i after them dropped, e is ㅓ
    ("광저우", "Guangzhou"), ("뤄양", "Luoyang"), ("중산", "Zhongshan"),  # ou 어우, uo ㅝ, ong ㅜㅇ
    ("톈진", "Tianjin"), ("쉬저우", "Xuzhou"), ("상하이", "Shanghai"),  # ian ㅖ, xu 쉬, ng before h
    ("쟈싱", "Jiaxing"), ("자싱", "Jiaxing"),  # the glide after ㅈ is no sound: 쟈 and 자 alike
    ("션양", "Shenyang"),  # ㅅ with a glide is how another rule set writes sh: the key keeps neither
])
def test_pinyin_is_read_as_the_loanword_table_writes_it(hangul: str, latin: str) -> None:
    assert hangul_key(hangul) in latin_keys(latin, "CN")


def test_most_pinyin_check_pairs_have_one_key(shared_dir) -> None:
    import csv
    rows = list(csv.DictReader((shared_dir / "gazetteer-sources" / "transcription" / "check_pairs.csv")
                               .open(encoding="utf-8")))
    same = sum(hangul_key(row["hangul"], "CN") in latin_keys(row["english"], "CN") for row in rows)
    assert same / len(rows) >= 0.85


@pytest.mark.parametrize("hangul, latin", [
    ("오쓰", "Ōtsu"), ("오쯔", "Ōtsu"), ("오츠", "Ōtsu"),  # tsu: 쓰 by the table, 츠/쯔 by ear
    ("스즈카", "Suzuka"),  # every ㅡ of a Japanese name is the vowel u, never epenthetic
    ("난바", "Namba"),  # n before b m p is ㄴ
])
def test_japanese_u_is_a_vowel(hangul: str, latin: str) -> None:
    assert hangul_key(hangul, "JP") in latin_keys(latin, "JP")
    assert hangul_key("그랜트", "US") == "GLeNT"  # elsewhere the ㅡ of a cluster stays silent


def test_spanish_g_before_e_and_i_is_h() -> None:
    assert hangul_key("앙헬레스") in latin_keys("Angeles", "PH")  # Angeles City, read the Spanish way
    assert hangul_key("앙겔레스") not in latin_keys("Angeles", "PH")


def test_the_countrys_own_spelling_is_told_from_exonyms() -> None:
    from extract.gazetteer.phonetic import own_letters
    assert own_letters("Göteborg", "SE") and own_letters("Łódź", "PL")
    assert not own_letters("Gothenburg", "SE") and not own_letters("Göteborg", "US")
