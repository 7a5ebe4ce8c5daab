"""Places abroad that share a name, and the context that tells them apart: the region a page
names before them, the kind of unit its generic word asks for, and no answer when nothing
does. Names are the team's own examples, not spellings from the partner lists."""

from __future__ import annotations

import pytest

from extract.core import find_events
from extract.gazetteer import load_gazetteer
from extract.gazetteer.gazetteer import division_kinds
from extract.gazetteer.namesakes import chosen_match
from extract.gazetteer.phonetic_index import PhoneticEntry, PhoneticMatch
from extract.records import Document


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def test_namesakes_of_like_size_are_no_answer_without_context(gaz):
    listed = [c.place.region for c in gaz.lookup("스프링필드시", country="US")]
    assert {"일리노이주", "미주리주", "매사추세츠주"} <= set(listed)  # the look-up still lists them
    assert gaz.resolve("스프링필드시", country="US") is None
    assert gaz.resolve("스프링필드시", country="US", province="일리노이주").place.id == "gn:4250542"
    assert gaz.place_abroad("스프링필드시", "US", "매사추세츠주").id == "gn:4951788"


def test_a_region_decides_among_namesakes_found_by_sound(gaz):
    assert gaz.resolve("워싱턴카운티", country="US") is None  # a Washington County in 30 states
    found = gaz.resolve("워싱턴카운티", country="US", province="오리건주")
    assert found.place.id == "us:41067" and found.method == "phonetic"
    assert gaz.resolve("미국 오리건주 워싱턴카운티").place.id == "us:41067"  # leading words


def test_a_leading_word_that_begins_names_is_part_of_the_name(gaz):
    # '웨스트' is also GeoNames' town of West, Texas: still not a region qualifying the name
    found = gaz.resolve("노스 요크셔", country="GB")
    assert found.place.id == "iso:GB-NYK"
    assert gaz.resolve("그레이터 리버풀", country="GB").place.en == "Liverpool"


def test_a_numbered_district_is_not_its_city(gaz):
    found = gaz.resolve("리옹 3구", country="FR")
    assert found is None or found.place.en != "Lyon"
    assert gaz.by_sound("리옹3구", "FR") is None


@pytest.mark.parametrize("surface, country, kinds", [
    ("쾅빈성", "VN", ("admin1",)), ("나가노현", "JP", ("admin1",)),
    ("남딘현", "VN", None),  # 현 is a county-level unit in Vietnam, no first-level division
    ("워싱턴카운티", "US", ("county", "admin1")), ("풀러튼시", "US", None),
])
def test_generic_words_ask_for_divisions(surface, country, kinds):
    assert division_kinds(surface, country) == kinds


def test_a_division_is_taken_over_a_town_of_like_sound(gaz):
    found = gaz.resolve("쾅빈성", country="VN")
    assert found.place.id == "iso:VN-24" and found.place.kind == "admin1"


def events(body: str) -> list[tuple[str | None, str | None, str | None]]:
    page = Document(url="t.html", text=body, title=None, published="2024-05-20")
    return [(e.partner_country, e.place_ids["partner"], e.partner_canonical) for e in find_events(page)]


def test_extraction_uses_the_region_the_page_names():
    signed = "경기 안양시는 지난 15일 미국 {}와 자매결연 협정서에 서명했다."
    assert events(signed.format("일리노이주 스프링필드시")) == [("US", "gn:4250542", "스프링필드시")]
    assert events(signed.format("매사추세츠주 스프링필드시")) == [("US", "gn:4951788", "스프링필드시")]
    assert events(signed.format("스프링필드시")) == [("US", None, None)]  # no guess
    assert events(signed.format("오리건주 워싱턴카운티")) == [("US", "us:41067", "워싱턴카운티")]


def test_namesakes_of_unknown_size_are_no_answer_without_context(gaz):
    # 宝山区 of Shanghai (a division code, no population) and of Shuangyashan (GeoNames, 124,000):
    # the population term alone must not pick one
    listed = {c.place.id for c in gaz.lookup("바오산구", country="CN")}
    assert {"cn:310113", "gn:2038438"} <= listed
    assert gaz.resolve("바오산구", country="CN") is None
    assert gaz.resolve("바오산구", country="CN", province="상하이시").place.id == "cn:310113"


def test_an_unpopulated_second_point_of_a_town_is_no_namesake(gaz):
    # GeoNames' second, unpopulated point of Nishitōkyō in the same prefecture
    assert gaz.resolve("니시토쿄시", country="JP").place.id == "gn:1850692"


@pytest.mark.parametrize("surface, county", [
    ("해리스카운티", "us:48201"),  # Harris County, Texas (4.7 million) over Georgia's
    ("댈러스카운티", "us:48113"),  # Dallas County, Texas over those of Alabama, Iowa, Missouri …
])
def test_a_county_far_bigger_than_its_namesakes_is_the_answer(gaz, surface, county):
    # the county list has no population: the build estimates it from the GeoNames cities
    # nearest each county's ZIP points
    found = gaz.resolve(surface, country="US")
    assert found is not None and found.place.id == county
    assert found.place.population > 1_000_000


@pytest.mark.parametrize("surface, county", [
    ("리치먼드카운티", "us:51159"), ("로어노크카운티", "us:51161"), ("프랭클린카운티", "us:51067")])
def test_an_independent_city_is_no_county_of_its_state(gaz, surface, county):
    # the county list files Virginia's independent cities (Richmond city, FIPS 51760) as
    # counties: they are GeoNames cities, and the county of the name is the one meant
    assert gaz.resolve(surface, country="US", province="버지니아주").place.id == county
    assert gaz._phonetic.entry("us:51760", "US") is None
    assert gaz.resolve("리치먼드시", country="US", province="버지니아주").place.id.startswith("gn:")


def _match(place_id: str, score: float, population: int, lat: float) -> PhoneticMatch:
    entry = PhoneticEntry(place_id, "US", place_id, "county", population, lat, -90.0, None)
    return PhoneticMatch(entry, score, score, "", "", "county")


def test_of_two_divisions_equally_close_the_far_bigger_is_taken():
    small_nearer, big = _match("us:1", 0.97, 23_000, 35.0), _match("us:2", 0.965, 230_000, 39.0)
    third = _match("us:3", 0.90, 300_000, 42.0)  # not as close: no say
    assert chosen_match([small_nearer, big, third], divisions=True) is big
    assert chosen_match([small_nearer, big, third]) is None  # towns: the shortlist may miss a namesake
    like_size = _match("us:4", 0.96, 100_000, 44.0)
    assert chosen_match([small_nearer, big, like_size], divisions=True) is None
    assert chosen_match([big, small_nearer]) is big


def test_a_town_equally_close_to_several_is_no_answer(gaz):
    assert gaz.resolve("얼바인시", country="US") is None  # Irvine, Irving, Alpena …


def test_a_place_by_sound_in_another_region_than_the_page_names_is_no_answer(gaz):
    assert gaz.resolve("풀러튼시", country="US").place.region == "캘리포니아주"
    assert gaz.resolve("풀러튼시", country="US", province="펜실베이니아주").place.region == "펜실베이니아주"
    # nothing in Hawaii sounds alike: the Californian one is not what a page naming Hawaii means
    assert gaz.resolve("풀러튼시", country="US", province="하와이주") is None


def test_a_city_is_taken_over_a_division_of_its_name_when_the_page_says_city(gaz):
    # the forms name only Iloilo province; the page's 시 asks for the city, found by sound
    found = gaz.resolve("일로일로시", country="PH")
    assert found.place.id == "gn:1711005" and found.place.kind == "city"
    assert gaz.resolve("일로일로주", country="PH").place.id == "iso:PH-ILI"


def test_a_name_in_latin_letters_is_not_heard_by_its_generic_word_alone(gaz):
    assert gaz.by_sound("GMA시", "PH") is None  # the key would be 시's alone
    assert gaz.resolve("GMA 시", country="PH") is None
