"""Partner names as Korean news writes them: parts joined by a hyphen, numbered districts.

Sentences are the team's own, each showing one construction."""

from __future__ import annotations

import pytest

from extract.core import find_events
from extract.nlp.place_index import FOREIGN, default_index
from extract.nlp.places import find_places
from extract.records import Document


def foreign_names(text: str) -> list[str]:
    return [p.name for p in find_places(text, default_index()) if p.kind == FOREIGN]


@pytest.mark.parametrize("text, names", [
    # a name whose first part is no place of its own: the hyphen joins one name
    ("구는 독일 베를린 주 프리드리히스하인-크로이츠베르크구와 우호협약을 맺었다.",
     ["베를린주", "프리드리히스하인-크로이츠베르크구"]),
    # a hyphen between two places pairs them: two names
    ("이 밖에 창원-후쿠오카 간에도 자매결연이 체결됐다.", ["후쿠오카"]),
    # a city abroad and a district number
    ("구는 프랑스 파리 15구와 자매결연을 맺었다.", ["파리15구"]),
    # a count of districts is no district
    ("파리는 20개 구로 나뉜다.", ["파리"]),
    # the speaker's own government in a mayor's words is no place abroad
    ("군수는 \"우리군이 외국 도시와 처음 자매결연을 맺어 기쁘다\"고 말했다.", []),
    # a word that begins foreign names, written apart, is read with the next word
    ("시는 인도네시아 웨스트 자바주와 의향서를 교환했다.", ["웨스트자바주"]),
    ("시는 미국 노스 캐롤라이나주와 협약을 맺었다.", ["노스캐롤라이나주"]),
    # '간' after a name: between the two sides
    ("인천시와 인도네시아 웨스트 자바주간 자매결연 의향서", ["웨스트자바주"]),
    # an ordinary word of the news ('코로나19 장기화로', '코로나 사태') is no town abroad
    ("일본 나가사키현과 코로나 장기화로 온라인 협약을 맺었다.", ["나가사키현"]),
    # a ○○시 the line visits after naming a country abroad is a place there
    ("군은 필리핀 계절근로자 도입을 위한 협약 체결을 위해 리바카우시를 방문했다.", ["리바카우시"]),
    # '양도시간' is '양 도시 간', both cities
    ("필리핀 발렌수엘라시에서 양도시간 자매결연을 체결했다.", ["발렌수엘라시"]),
])
def test_names_as_written(text: str, names: list[str]) -> None:
    assert foreign_names(text) == names


@pytest.mark.parametrize("body, partner", [
    ("서울 노원구는 지난 2일 독일 베를린 주 프리드리히스하인-크로이츠베르크와 우호도시 협약을 체결했다.",
     "프리드리히스하인-크로이츠베르크"),
    ("서울 마포구는 지난 2일 프랑스 파리 15구와 자매결연 협약을 체결했다.", "파리15구"),
])
def test_such_a_name_is_the_partner(body: str, partner: str) -> None:
    events = find_events(Document(url="t.html", text=body, title=None, published="2024-05-20"))
    assert [(e.partner, e.date, e.status) for e in events] == [(partner, "2024-05-02", "signed")]


def test_a_name_before_the_copula_is_a_place() -> None:
    # '… 강서구입니다' names the place as plainly as '강서구는' does
    places = find_places("새 자매도시는 바로 대한민국 서울특별시 강서구입니다.", default_index())
    assert [(p.name, p.kind) for p in places if not p.qualifier] == [("강서구", "kr")]


@pytest.mark.parametrize("text, country", [
    # the country written before a name picks its namesake there (Cuenca, Spain, not Ecuador)
    ("시는 스페인 쿠엥카시와 우호협력 협약을 맺었다.", "ES"),
    ("시는 남아공 케이프타운시와 협약을 맺었다.", "ZA"),
])
def test_the_country_before_a_name_is_its_country(text: str, country: str) -> None:
    places = [p for p in find_places(text, default_index()) if p.kind == FOREIGN]
    assert [p.country for p in places] == [country]


def test_a_council_written_apart_from_its_place_is_the_council() -> None:
    places = find_places("베트남 빈증성 인민의회에서는 새 양해각서를 체결했다.", default_index())
    assert [(p.name, p.council) for p in places if p.kind == FOREIGN] == [("빈증성", True)]
