"""Structured readers on the team's own documents: an HTML table page, a CSV registry, a TSV
table, an xlsx sheet, a list page and a profile page (tests/extract/data/structured/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from twinwatch.app.inputs import load_input
from extract.page.reader import read_page
from extract.records import Document, Event
from extract.structured import find_structured_events, merge_duplicate_events
from tests.support.paths import REPO

FIXTURES = REPO / "tests" / "extract" / "data" / "structured"


def events_of(path: Path) -> list[Event]:
    return find_structured_events(read_page(load_input(str(path))))


def brief(events: list[Event]) -> set[tuple[str, str, str, str | None]]:
    return {(e.korean_party, e.partner, e.agreement_type, e.date) for e in events}


def assert_evidence_located(document: Document, events: list[Event]) -> None:
    for event in events:
        start, end = event.evidence_span
        if (start, end) != (0, 0):  # (0, 0): the page text lacks the line (stated, not located)
            assert document.text[start:end] == event.evidence


@pytest.mark.parametrize(("name", "expected"), [
    ("partner_table.html", {
        ("전주시", "소주시", "sister_city", "1996-04-25"),
        ("전주시", "가나자와시", "sister_city", "2002-04-21"),
        ("전주시", "버밍엄시", "sister_city", "1999-05-11"),
        ("전주시", "블루아시", "friendship_city", "2010-08-30"),
        ("전주시", "시북구", "friendship_city", "2014-11-03"),
        ("전주시", "하이퐁시", "letter_of_intent", "2019-07-02"),
    }),
    ("registry.csv", {
        ("김해시", "우시시", "sister_city", "2008-10-20"),
        ("부천시", "가와사키시", "friendship_city", "1996-05-17"),
        ("속초시", "블라디보스토크시", "sister_city", "1991-05-30"),
        ("청주시", "벨링햄시", "sister_city", "2008-03-26"),
        ("제주특별자치도", "하이난성", "friendship_city", None),
    }),
    ("agreements.tsv", {
        ("광주광역시", "광저우시", "friendship_city", "1996-10-25"),
        ("광주광역시", "센다이시", "mou", "2018-06-14"),
        ("광주광역시", "빈즈엉성", "letter_of_intent", "2016-09-08"),
    }),
    ("partner_list.html", {
        ("춘천시", "버뱅크시", "sister_city", "1961-04-05"),
        ("춘천시", "가고시마시", "sister_city", "1985-10-02"),
        ("춘천시", "웨이하이시", "sister_city", "1998-06-04"),
        ("춘천시", "훈춘시", "friendship_city", "2001-03-15"),
        ("춘천시", "울란바토르시", "friendship_city", "2006-10-28"),
        ("춘천시", "타이난시", "friendship_city", "2015-09-21"),
        ("춘천시", "여수시", "sister_city", "2007-11-09"),
    }),
    ("partner_profile.html", {
        ("마포구", "스기나미구", "friendship_city", "2003-07-10"),
        ("마포구", "스기나미구", "mou", "2009-08-17"),
        ("마포구", "조양구", "friendship_city", "2006-09-21"),
        ("마포구", "조양구", "mou", "2010-04-02"),
    }),
    ("partner_cards.html", {
        ("대전광역시", "시애틀시", "sister_city", "1989-10-24"),
        ("대전광역시", "난징시", "sister_city", "1994-11-14"),
        ("대전광역시", "삿포로시", "friendship_city", "2010-11-08"),
    }),
    ("registry_parties.tsv", {
        ("안성시", "마쓰야마시", "sister_city", "1990-10-05"),
        ("여수시", "항저우시", "friendship_city", "2012-03-21"),
        ("금산군", "노노이치시", "friendship_city", "2014-07-07"),
    }),
    ("slide_deck.txt", {
        ("경산시", "세일럼시", "sister_city", "1996-04-12"),
        ("경산시", "옌타이시", "sister_city", "2003-09-30"),
        ("경산시", "다낭시", "friendship_city", "2011-06-02"),
    }),
    ("typed_tables.html", {
        ("강릉시", "지치부시", "sister_city", "1983-10-08"),
        ("강릉시", "롄윈강시", "sister_city", "2006-04-12"),
        ("강릉시", "자싱시", "friendship_city", "2004-06-15"),
        ("강릉시", "유즈노사할린스크시", "friendship_city", "2009-09-02"),
    }),
    ("registry_short_types.csv", {
        ("강남구", "어바인시", "sister_city", "1998-03-23"),
        ("해운대구", "싼야시", "friendship_city", "2006-11-01"),
    }),
    ("profile_history_table.html", {
        ("안산시", "로체스터시", "sister_city", "1996-09-05"),
        ("안산시", "로체스터시", "mou", "2015"),
    }),
    ("country_tables.html", {
        ("천안시", "버뱅크시", "sister_city", "1961-04-05"),
        ("천안시", "랜싱시", "friendship_city", "1988-05-02"),
        ("천안시", "우한시", "friendship_city", "2005-04-12"),
    }),
])
def test_fixture_documents_give_their_agreements_and_nothing_else(name, expected):
    document = read_page(load_input(str(FIXTURES / name)))
    events = find_structured_events(document)
    assert brief(events) == expected
    assert len(events) == len(expected)  # one event per agreement
    assert_evidence_located(document, events)


def test_rows_name_country_region_and_province():
    by_partner = {e.partner: e for e in events_of(FIXTURES / "partner_list.html")}
    assert by_partner["버뱅크시"].partner_country == "US"
    assert by_partner["버뱅크시"].partner_region == "캘리포니아주"
    assert by_partner["여수시"].partner_country == "KR"  # a domestic tie
    registry = {e.partner: e for e in events_of(FIXTURES / "registry.csv")}
    assert registry["우시시"].korean_province == "경상남도"
    assert registry["하이난성"].korean_province is None  # the party is a 광역 itself


def test_xlsx_sheet_is_read_like_a_table(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "교류현황"
    sheet.append(["국제교류 자매결연 현황 (기준: 2024.1.1)"])
    sheet.append(["광역자치단체", "기초자치단체", "국가", "도시", "결연구분", "결연일자"])
    sheet.append(["경상북도", "안동시", "중국", "산시성 바오지시", "자매결연", "2003-08-15"])
    sheet.append(["전라남도", "목포시", "일본", "가고시마현 이부스키시", "우호교류", "2019년 4월 2일"])
    sheet.append(["전라남도", "목포시 삼학동", "일본", "이부스키시 이케다마을", "자매결연", "2019-05-01"])
    sheet.append(["전라남도", "목포시", "중국", "롄윈강시", "우호교류", "추진 중"])
    path = tmp_path / "exchange.xlsx"
    workbook.save(path)
    events = events_of(path)
    assert brief(events) == {("안동시", "바오지시", "sister_city", "2003-08-15"),
                             ("목포시", "이부스키시", "friendship_city", "2019-04-02")}


def test_text_list_with_two_digit_years_and_narrated_signing_is_one_event_each():
    text = ("제주시 국제교류 현황\n\n자매결연 도시 (2곳)\n미국  산타로사시 96.12.27 관광\n"
            "일본  벳푸시 08.11.02 교육\n\n우호협력 도시\n중국  쿤밍시 11.05.20 경제\n\n"
            "제주시-쿤밍시 우호협력 체결\n  - 일시 : 2011.5.18~5.21\n  - 목적 : 관광 교류\n")
    document = Document(url="deck.txt", text=text, format="txt")
    events = find_structured_events(document)
    assert brief(events) == {("제주시", "산타로사시", "sister_city", "1996-12-27"),
                             ("제주시", "벳푸시", "sister_city", "2008-11-02"),
                             ("제주시", "쿤밍시", "friendship_city", "2011-05-20")}
    assert_evidence_located(document, events)


def test_article_sentences_are_not_list_entries():
    text = ("포항시는 지난 10일 일본 후쿠야마시 대표단을 맞았다.\n포항시와 후쿠야마시는 1979년 "
            "자매결연을 맺은 뒤 교류를 이어 왔다.\n다음글 : 포항시-경주시 상생 업무협약 체결 2019-05-17\n")
    assert find_structured_events(Document(url="news.txt", text=text, format="txt")) == []


def _event(partner: str, kind: str, when: str | None, start: int) -> Event:
    return Event(korean_party="아산시", partner=partner, agreement_type=kind, status="signed",
                 evidence=f"{partner} {when}", evidence_span=(start, start + 5), date=when,
                 partner_country="CN")


@pytest.mark.parametrize(("left", "right", "merged"), [
    (("웨이팡시", "friendship_city", "2013-07-05"), ("웨이팡", "friendship_city", "2013-07"), True),
    (("웨이팡시", "friendship_city", "2013-07-05"), ("웨이팡시", "friendship_city", "2013-07-03"), True),
    (("웨이팡시", "friendship_city", "2013-07-05"), ("웨이팡시", "friendship_city", None), True),
    (("웨이팡시", "friendship_city", "2013-07-05"), ("웨이팡시", "mou", "2013-07-05"), True),
    (("웨이팡시", "friendship_city", "2013-07-05"), ("웨이팡시", "friendship_city", "2014-07-05"), False),
    (("웨이팡시", "friendship_city", "2013-07-05"), ("웨이팡시", "letter_of_intent", "2013-07-05"), False),
    (("웨이팡시", "mou", "2015-11-14"), ("동관시", "mou", "2015-11-14"), False),
])
def test_merge_duplicate_events(left, right, merged):
    events = merge_duplicate_events([_event(*left, start=0), _event(*right, start=50)])
    assert len(events) == (1 if merged else 2)
    if merged:
        assert events[0].date == max(left[2] or "", right[2] or "", key=len)  # most precise
        assert events[0].evidence_span == (0, 5)  # first mention's evidence
