"""The event rules, sentence by sentence: types, signed vs planned, negatives, offsets.

Each case is a small page written for this test (not taken from the dev corpus): a title, a
page date and a body; the engine must find exactly the expected events.
"""

from __future__ import annotations

import pytest

from extract.core import find_events, split_sentences
from extract.records import Document


def page(body: str, title: str | None = None, published: str = "2024-05-20") -> Document:
    return Document(url="test.html", text=body, title=title, published=published)


def brief(document: Document) -> list[tuple[str, str, str, str | None, str]]:
    return [(e.korean_party, e.partner, e.agreement_type, e.date, e.status) for e in find_events(document)]


TYPES = [
    ("경기 김포시가 일본 오사카부 이즈미사노시와 자매결연을 맺었다. 정하영 시장은 지난 15일 이즈미사노시청에서 자매결연 협정서에 서명했다.",
     "sister_city"),
    ("강원 속초시는 지난 15일 중국 헤이룽장성 무단장시와 우호교류 협정서에 서명했다고 16일 밝혔다.", "friendship_city"),
    ("전남 여수시는 지난 15일 중국 저장성 항저우시와 우호협력 증진 MOU를 체결했다.", "friendship_city"),
    ("충북 제천시는 지난 15일 베트남 닌빈성과 자매결연 의향서에 서명했다.", "letter_of_intent"),
    ("경북 안동시는 지난 15일 중국 산시성 시안시와 우호도시 협약 체결을 위한 양해각서를 체결했다.", "mou"),
    ("전북 김제시는 지난 15일 베트남 빈롱성과 외국인 계절근로자 업무협약을 맺었다.", "mou"),
]


@pytest.mark.parametrize("body, expected_type", TYPES)
def test_agreement_type(body: str, expected_type: str) -> None:
    events = find_events(page(body))
    assert [e.agreement_type for e in events] == [expected_type]
    assert events[0].status == "signed"
    assert events[0].date == "2024-05-15"


STATUS = [
    ("경남 통영시는 오는 25일 일본 나가사키현 사세보시와 자매결연 협정을 체결할 예정이다.", "planned", "2024-05-25"),
    ("충남 아산시는 다음 달 중국 산둥성 라이저우시와 우호도시 협약을 맺을 계획이다.", "planned", "2024-06"),
    ("경기 이천시가 오는 30일 중국 장쑤성 창저우시와 우호협력 협정을 체결한다.", "planned", "2024-05-30"),
    ("경기 이천시는 지난 14일 중국 장쑤성 창저우시와 우호협력 협정을 체결했다.", "signed", "2024-05-14"),
]


@pytest.mark.parametrize("body, status, date", STATUS)
def test_signed_or_planned(body: str, status: str, date: str) -> None:
    events = find_events(page(body))
    assert [(e.status, e.date) for e in events] == [(status, date)]


NEGATIVES = [
    # background history in passing
    "전남 목포시와 중국 장쑤성 롄윈강시는 2005년 자매결연을 맺은 뒤 공무원 교류를 이어 왔다.",
    # a visit for an anniversary of an existing tie
    "경북 경주시 대표단이 자매결연 30주년을 맞아 일본 나라시를 방문해 기념식에 참석했다.",
    # renewal of an existing agreement
    "충북 청주시는 지난 15일 미국 벨링햄시와 맺은 우호협정서를 갱신했다.",
    # a council, not the government
    "부산 해운대구의회는 지난 15일 일본 후쿠오카시의회와 우호교류 협정을 체결했다.",
    # a university
    "서울 마포구는 지난 15일 홍익대학교와 지역 발전을 위한 업무협약을 체결했다.",
    # a national ministry abroad
    "전북 무주군은 지난 15일 필리핀 노동고용부와 계절근로자 업무협약을 체결했다.",
    # sub-municipal units
    "강원 홍천군 서면과 경기 수원시 권선구 세류1동 주민자치회가 지난 15일 자매결연 협약을 맺었다.",
    # a proposal only
    "일본 돗토리현 요나고시는 지난 15일 경남 거제시에 자매결연 체결 의향을 공식 제안했다.",
]


@pytest.mark.parametrize("body", NEGATIVES)
def test_not_an_event(body: str) -> None:
    assert find_events(page(body)) == []


def test_two_agreements_in_one_sentence() -> None:
    body = ("방문 기간 김 시장은 중국 산둥성 르자오시와는 '항만물류 협력' 양해각서를, "
            "칭다오(青岛)시와는 우호도시 협약서를 맺을 계획이다.")
    found = brief(page(body, title="전북 익산시장 중국 방문"))
    partners = {(partner, kind, status) for _party, partner, kind, _date, status in found}
    assert partners == {("르자오시", "mou", "planned"), ("칭다오시", "friendship_city", "planned")}


def test_title_and_body_mentions_are_one_event() -> None:
    body = ("경남 진주시가 중국 장쑤성 쑤저우시와 우호도시 협정을 맺었다.\n"
            "조규일 진주시장은 지난 15일 쑤저우시청에서 우호도시 협정서에 서명했다.\n"
            "두 도시는 이번 협정으로 문화·관광 교류를 넓히기로 했다.")
    events = find_events(page(body, title="진주시, 中 쑤저우시와 우호도시 협정"))
    assert [(e.partner, e.date) for e in events] == [("쑤저우시", "2024-05-15")]


def test_domestic_pair() -> None:
    body = "충남 서천군이 서울 강서구와 자매결연을 맺었다. 두 단체장은 지난 17일 서천군청에서 자매결연 협약서에 서명했다."
    events = find_events(page(body, title="서천군, 서울 강서구와 자매결연"))
    assert len(events) == 1
    event = events[0]
    assert {event.korean_party, event.partner} == {"서천군", "강서구"}
    assert event.partner_country == "KR" and event.partner_province == "서울특별시"
    assert event.korean_province == "충청남도"


def test_unknown_partner_after_a_country_is_kept_with_lower_confidence() -> None:
    body = "전남 강진군은 지난 15일 필리핀 라운도르시와 우호교류 협약을 체결했다."
    events = find_events(page(body))
    assert [(e.partner, e.partner_country) for e in events] == [("라운도르시", "PH")]
    assert events[0].confidence < 0.7


def test_evidence_offsets_point_into_the_text() -> None:
    body = ("국제\n  경북 영천시가 베트남 하이즈엉성과 우호교류 협약을 맺었다.  최기문 시장은 "
            "지난 15일 하이즈엉성 청사에서 우호교류 협약서에 서명했다.\n관련 기사")
    document = page(body)
    events = find_events(document)
    assert events
    for event in events:
        start, end = event.evidence_span
        assert document.text[start:end] == event.evidence
        assert "서명했다" in event.evidence or "맺었다" in event.evidence


@pytest.mark.parametrize("text, count", [
    ("첫째 문장이다. 둘째 문장이다.", 2),
    ("부산광역시는 2022. 9. 14.(수) 협약을 맺었습니다. 다음 문장.", 2),
    ("한 줄\n두 줄", 2),
    # a caption's full stop with the photo's date right after it
    ("두 시장이 협약서를 들고 있다.2023.5.2.(구 제공)", 2),
    ("인구는 2.5배 늘었다. 다음 문장.", 2),
])
def test_sentence_split(text: str, count: int) -> None:
    sentences = split_sentences(text)
    assert len(sentences) == count
    assert all(text[s.start:s.end] == s.text for s in sentences)


# More wordings: verb forms ('자매결연했다', '사인했다'), enumerations with 각각, a domestic pair
# of 광역 governments, ongoing ties ('맺고 있다'), re-signing (재체결), councils, universities.
WORDINGS = [
 ("충북 음성군은 지난 12일 베트남 타이빈성과 자매결연했다.", [("음성군","타이빈성","sister_city","2024-05-12","signed")]),
 ("경북 포항시는 지난 12일 일본 후쿠야마시 측과 자매결연을 했다고 밝혔다.", [("포항시","후쿠야마시","sister_city","2024-05-12","signed")]),
 ("강원 원주시는 일본 오이타현 히타시, 중국 허난성 뤄양시와 각각 우호교류 협정을 체결했다.", [("원주시","히타시","friendship_city","2024-05","signed"),("원주시","뤄양시","friendship_city","2024-05","signed")]),
 ("현재 거창군은 일본 A시, 중국 샤먼시 등 5개 도시와 자매결연을 맺고 있다.", []),
 ("전남 순천시는 오는 28일 일본 우토시와 자매결연 협약식을 가질 예정이다.", [("순천시","우토시","sister_city","2024-05-28","planned")]),
 ("경남 김해시와 중국 우시시가 지난 14일 김해시청에서 우호협력도시 협정을 체결하고 손을 맞잡았다.", [("김해시","우시시","friendship_city","2024-05-14","signed")]),
 ("이철우 경북도지사는 14일(현지시간) 베트남 꽝남성 인민위원회에서 우호교류 협약서에 서명했다.", [("경상북도","꽝남성","friendship_city","2024-05-14","signed")]),
 ("충남 당진시가 중국 산둥성 르자오시와 항만물류 협력을 위한 업무협약을 맺었다고 16일 밝혔다.", [("당진시","르자오시","mou","2024-05","signed")]),
 ("경기도와 강원특별자치도는 지난 10일 접경지역 발전을 위한 상생협력 협약을 체결했다.", [("경기도","강원특별자치도","mou","2024-05-10","signed")]),
 ("대구 달서구는 지난 9일 몽골 울란바토르시 바양골구와 우호교류 협정을 체결했다.", [("달서구","바양골구","friendship_city","2024-05-09","signed")]),
 ("자매결연을 맺은 일본 오쓰시를 방문한 대표단은 지난 9일 시청을 찾았다.", []),
 ("경북 영주시와 자매도시인 일본 모리오카시 대표단이 지난 9일 영주를 방문했다.", []),
 ("서울 성동구는 지난 9일 미국 샌프란시스코시와 교류 30주년을 맞아 우호협력 강화 협정을 맺었다.", []),
 ("충남 공주시는 지난 9일 일본 고베시와 교육 교류 업무협약을 재체결했다.", []),
 ("전북 전주시는 다음 달 중 이탈리아 피렌체시와 우호도시 협약을 맺을 예정이다.", [("전주시","피렌체시","friendship_city","2024-06","planned")]),
 ("제주시는 지난 9일 중국 하이난성 싼야시와 관광교류 양해각서(MOU)를 교환했다.", [("제주시","싼야시","mou","2024-05-09","signed")]),
 ("경기 광명시는 지난 9일 프랑스 바르셀로네트시와 자매결연 의향서에 사인했다.", [("광명시","바르셀로네트시","letter_of_intent","2024-05-09","signed")]),
 ("부산 해운대구는 지난 9일 해운대구청에서 호주 골드코스트시 대표단과 우호도시 협정을 체결했다.", [("해운대구","골드코스트시","friendship_city","2024-05-09","signed")]),
 ("전남 여수시의회는 지난 9일 중국 항저우시 인대 상무위원회와 우호교류 협약을 맺었다.", []),
 ("경남 창원시는 지난 9일 창원대학교와 지역인재 양성 업무협약을 체결했다.", []),
 ("충북 괴산군은 지난 9일 필리핀 이사벨라주와 계절근로자 도입 업무협약(MOU)을 체결했다.", [("괴산군","이사벨라주","mou","2024-05-09","signed")]),
 ("전남 해남군은 2019년 중국 장쑤성 이싱시와 우호도시 협약을 체결한 바 있다.", []),
 ("강원 춘천시와 경기 양평군이 지난 9일 춘천시청에서 자매결연 협약을 맺었다.", [("춘천시","양평군","sister_city","2024-05-09","signed")]),
]


@pytest.mark.parametrize("body, expected", WORDINGS)
def test_wordings(body: str, expected: list[tuple[str, str, str, str, str]]) -> None:
    assert sorted(brief(page(body))) == sorted(expected)


# Small pages (title, body): '이날' after '18일 밝혔다', month-only ranges, talks 'for' a tie,
# two ties in one sentence, a caption, an anniversary reaffirmation, a 광역 pair.
PAGES = [
 # (title, body, expected)
 ("양구군, 베트남 닌빈성과 우호교류 협약", "강원 양구군이 베트남 북부 닌빈성과 우호교류 협약을 맺었다고 18일 밝혔다.\n서흥원 양구군수는 이날 닌빈성 인민위원회 청사에서 인민위원장과 협약서에 서명했다.",
  [("양구군","닌빈성","friendship_city","2024-05-18","signed")]),
 (None, "서울시는 지난달 30일 강원 인제군과 자매결연 협약을 체결했다.", [("서울특별시","인제군","sister_city","2024-04-30","signed")]),
 (None, "경북도는 다음 달 17~22일 중국 방문 기간에 산시성과 우호협력 협정을 체결할 예정이다.", [("경상북도","산시성","friendship_city","2024-06","planned")]),
 (None, "전남 나주시는 자매결연 체결을 위한 실무 협의를 위해 중국 장쑤성 쑤첸시 대표단과 회의를 가졌다.", []),
 (None, "경기 오산시는 미국 세리토스시와 자매결연 체결을 추진하고 있다.", []),
 (None, "충남 보령시는 지난 10일 중국 저장성 닝보시와는 자매결연을, 일본 가라쓰시와는 우호교류 협약을 각각 체결했다.",
  [("보령시","닝보시","sister_city","2024-05-10","signed"),("보령시","가라쓰시","friendship_city","2024-05-10","signed")]),
 (None, "인천 남동구는 같은 날 필리핀 마닐라시와 계절근로자 업무협약도 맺었다.", [("남동구","마닐라시","mou","2024-05","signed")]),
 ("경남도-충남도 상생협력 협약", "경상남도와 충청남도는 지난 10일 충남도청에서 상생협력 업무협약을 체결했다.", [("경상남도","충청남도","mou","2024-05-10","signed")]),
 (None, "울산 중구는 2015년 자매결연을 맺은 일본 오쓰시와 청소년 교류를 재개한다.", []),
 (None, "경북 구미시는 지난 10일 구미시청에서 베트남 하이퐁시와 자매결연 10주년 기념식을 열었다.", []),
 (None, "제주도는 지난 10일 중국 하이난성과 관광 분야 교류협력 강화를 위한 양해각서(MOU)를 체결했다.", [("제주특별자치도","하이난성","mou","2024-05-10","signed")]),
 (None, "전북 군산시는 오는 7월 중국 옌타이시와 자매결연 30주년 기념 교류협력 강화 협약을 맺을 예정이다.", []),
 ("[포토] 강동구-몽골 바양주르흐구 우호교류 협약", "이수희 강동구청장(오른쪽)과 몽골 울란바토르시 바양주르흐구청장이 16일 강동구청에서 우호교류 협약을 체결하고 기념촬영을 하고 있다.",
  [("강동구","바양주르흐구","friendship_city","2024-05-16","signed")]),
 (None, "충북 충주시는 지난 10일 카자흐스탄 알마티주 정부와 농업 교류 업무협약을 체결했다.", [("충주시","알마티주","mou","2024-05-10","signed")]),
 (None, "경기 화성시는 지난 10일 화성시청에서 중국 상하이시 쑹장구 인민정부와 우호교류 의향서를 교환했다.", [("화성시","쑹장구","letter_of_intent","2024-05-10","signed")]),
]


@pytest.mark.parametrize("title, body, expected", PAGES)
def test_pages(title: str | None, body: str, expected: list[tuple[str, str, str, str, str]]) -> None:
    text = f"{title}\n{body}" if title else body
    assert sorted(brief(page(text, title=title))) == sorted(expected)


@pytest.mark.parametrize("body, party, province", [
    ("경남 고성군은 지난 15일 일본 야마구치현 하기시와 우호교류 협약을 체결했다.", "고성군", "경상남도"),
    ("강원 고성군은 지난 15일 중국 지린성 훈춘시와 우호교류 협약을 체결했다.", "고성군", "강원특별자치도"),
    ("부산 중구는 지난 15일 일본 나가사키시와 자매결연 협정을 체결했다.", "중구", "부산광역시"),
    ("수원특례시는 지난 15일 베트남 하이즈엉성과 우호교류 협약을 체결했다.", "수원시", "경기도"),
])
def test_party_resolved_inside_its_province(body: str, party: str, province: str) -> None:
    events = find_events(page(body))
    assert [(e.korean_party, e.korean_province) for e in events] == [(party, province)]


def test_related_headline_inside_the_text_is_not_this_pages_news() -> None:
    body = ("목포시가 지역화폐 할인 기간을 3월 말까지 늘렸다.\n"
            "시는 소상공인 매출 회복을 위해 할인율 10%를 유지하기로 했다.\n"
            "김해시, 中 우시시와 우호도시 협정 체결\n"
            "여수시-日 사세보시 자매결연 30주년 기념식")
    assert find_events(page(body, title="목포사랑상품권 10% 특별할인 연장")) == []


def test_the_pages_own_title_line_still_counts() -> None:
    title = "김해시, 中 우시시와 우호도시 협정 체결"
    body = f"{title}\n두 도시는 문화·관광 교류를 넓혀 가기로 했다."
    assert [(e.korean_party, e.partner) for e in find_events(page(body, title=title))] == [("김해시", "우시시")]


@pytest.mark.parametrize("text", [
    "",
    "\x00\x01\x02 \ufffd\ufffd 협약 체결 \x7f" * 50,
    "자매결연 체결 " * 20000,  # one endless 'sentence'
    "가나다라. " * 50000,
])
def test_odd_text_gives_no_events_and_no_traceback(text: str) -> None:
    assert find_events(page(text)) == []


# Bare exchange agreements, named cooperation, visit-period ranges, enumerated domestic partners,
# a Vietnamese People's Committee as the partner's government, an agreement with a company.
MORE_PAGES = [
 (None, "충남 서산시는 지난 10일 일본 덴리시와 교류협정을 체결했다.", [("서산시","덴리시","friendship_city","2024-05-10","signed")]),
 (None, "충남 서산시는 지난 10일 중국 산둥성 르자오시와 항만 물류 분야 협력 협약을 체결했다.", [("서산시","르자오시","mou","2024-05-10","signed")]),
 (None, "경북 문경시는 지난 10일 프랑스 남부 도시 아비뇽과 자매결연 협정을 체결했다.", [("문경시","아비뇽","sister_city","2024-05-10","signed")]),
 (None, "전남 영암군은 지난 10~12일 일본 간자키시를 방문해 자매결연 협정서에 서명했다.", [("영암군","간자키시","sister_city","2024-05","signed")]),
 (None, "경기 안양시는 지난 10일 안양시청에서 현지 기업과 투자 협약을 체결했다.", []),
 (None, "경기 시흥시는 지난 10일 양측 대표가 참석한 가운데 중국 저장성 사오싱시와 우호교류 의향서를 교환했다.", [("시흥시","사오싱시","letter_of_intent","2024-05-10","signed")]),
 ("청주시-일본 도야마시, 우호교류 협정 체결", "이범석 청주시장과 후지이 히로시 도야마시장은 지난 10일 도야마시청에서 우호교류 협정서에 서명했다.", [("청주시","도야마시","friendship_city","2024-05-10","signed")]),
 (None, "전북 익산시와 경북 경산시는 지난 10일 익산시청에서 자매결연 협약을 맺었다.", [("익산시","경산시","sister_city","2024-05-10","signed")]),
 (None, "서울 노원구는 지난 10일 강원 인제군, 충남 청양군과 각각 자매결연 협약을 체결했다.", [("노원구","인제군","sister_city","2024-05-10","signed"),("노원구","청양군","sister_city","2024-05-10","signed")]),
 (None, "경북 상주시는 지난 10일 베트남 람동성 인민위원회와 농업 교류 협약을 체결했다.", [("상주시","람동성","mou","2024-05-10","signed")]),
]


@pytest.mark.parametrize("title, body, expected", MORE_PAGES)
def test_more_pages(title: str | None, body: str, expected: list[tuple[str, str, str, str, str]]) -> None:
    text = f"{title}\n{body}" if title else body
    assert sorted(brief(page(text, title=title))) == sorted(expected)


# History and counts, talks and council votes, video signings, ceremonies held or to be held,
# an upgrade to sister city, visits of existing partners.
NEWS_LINES = [
 (None, "시는 앞서 2018년 일본 야마나시현 고후시와 우호도시 협약을 맺었으며, 이번 협약으로 해외 교류도시는 5곳으로 늘었다.", []),
 (None, "경남 밀양시는 일본 오노시와 자매결연을 맺기 위해 지난해부터 교류해 왔다.", []),
 (None, "경북 김천시는 중국 장쑤성 타이싱시와의 자매결연 협약 체결을 위해 시의회에 동의안을 제출했다.", []),
 (None, "충북 제천시의회는 일본 이시카와현 나나오시와의 자매결연 동의안을 원안 가결했다.", []),
 (None, "경기 의왕시장은 지난 10일 일본 가스가시장과 화상으로 우호교류 협약을 체결했다.", [("의왕시","가스가시","friendship_city","2024-05-10","signed")]),
 (None, "전남 광양시와 중국 푸젠성 샤먼시의 우호도시 체결식이 지난 10일 광양시청에서 열렸다.", [("광양시","샤먼시","friendship_city","2024-05-10","signed")]),
 (None, "경북 영천시와 베트남 빈푹성의 우호교류 협약식은 오는 27일 영천시청에서 열릴 예정이다.", [("영천시","빈푹성","friendship_city","2024-05-27","planned")]),
 (None, "강원 강릉시는 일본 지바현 지바시와의 관계를 우호도시에서 자매도시로 격상했다.", [("강릉시","지바시","sister_city","2024-05","signed")]),
 (None, "충남 논산시는 지난 10일 베트남 하남성과 외국인 계절근로자 프로그램 운영에 관한 업무협약을 체결하고 인력 수급 방안을 논의했다.", [("논산시","하남성","mou","2024-05-10","signed")]),
 (None, "대표단은 이번 방문에서 자매도시인 미국 페어팩스카운티의 카운티장을 만나 교류 확대 방안을 논의했다.", []),
 (None, "경기 여주시는 지난 10일 우호교류 관계인 중국 산시성 웨이난시 대표단을 맞아 협력 방안을 논의했다.", []),
 (None, "세종시는 지난 10일 캐나다 온타리오주 해밀턴시와 교육·문화 교류를 위한 우호교류 협약을 맺었다.", [("세종특별자치시","해밀턴시","friendship_city","2024-05-10","signed")]),
]


@pytest.mark.parametrize("title, body, expected", NEWS_LINES)
def test_news_lines(title: str | None, body: str, expected: list[tuple[str, str, str, str, str]]) -> None:
    text = f"{title}\n{body}" if title else body
    assert sorted(brief(page(text, title=title))) == sorted(expected)


def test_a_line_wrapped_mid_sentence_is_one_sentence() -> None:
    body = "경기 안산시는 지난 10일 중국 훈춘시와\n우호교류 협약을 체결했다.\n관련기사\n부산시-사마르칸트 우호협력도시 협정 체결"
    document = page(body)
    events = find_events(document)
    assert [(e.partner, e.date) for e in events] == [("훈춘시", "2024-05-10")]
    start, end = events[0].evidence_span
    assert document.text[start:end] == events[0].evidence and events[0].evidence.startswith("경기 안산시는")


@pytest.mark.parametrize("body, partner", [
    ("경북 문경시는 지난 10일 프랑스 남부 공업도시 생플루르와 자매결연 협정을 체결했다.", "생플루르"),
    ("경북 문경시는 지난 10일 프랑스 생플루르와 자매결연 협정을 체결했다.", "생플루르"),
    ("경북 문경시는 지난 10일 프랑스 대표단과 자매결연 협정을 체결했다.", None),
])
def test_bare_unknown_name_right_after_a_country(body: str, partner: str | None) -> None:
    events = find_events(page(body))
    assert [e.partner for e in events] == ([partner] if partner else [])
    assert all(e.confidence < 0.8 for e in events)


def test_a_person_before_the_particle_is_no_partner() -> None:
    body = "경남 함양군수는 28일 미국 뉴욕주를 방문해 주디 보스워스 수퍼바이저와 우호교류 협약서에 서명했다."
    assert "수퍼바이저" not in {e.partner for e in find_events(page(body))}


def test_a_prose_mention_of_a_listed_pair_is_the_same_agreement() -> None:
    from extract.core import merge_events
    from extract.records import Event

    row = Event("부산광역시", "알마티시", "friendship_city", "signed", "카자흐스탄 알마티시 (2022.9.14)", (0, 10))
    again = Event("부산광역시", "알마티", "mou", "signed", "부산시는 알마티시와 협약을 맺었다.", (20, 40))
    other = Event("부산광역시", "사마르칸트시", "friendship_city", "signed", "…", (50, 60))
    second_row = Event("부산광역시", "알마티시", "mou", "signed", "알마티시 관광 MOU (2023.1.5)", (70, 80))
    assert merge_events([row, second_row], [again, other]) == [row, second_row, other]


# Short whole articles: '이날' after '12일 밝혔다', a district head (구장) after the district,
# a 30th-anniversary visit, a domestic MOU, a planned MOU, a council, a renewal, a state partner.
ARTICLES = [
 ("태안군, 中 웨이하이시 원덩구와 우호교류 협약", "충남 태안군이 중국 산둥성 웨이하이시 원덩구와 우호교류 협약을 체결했다고 12일 밝혔다.\n가세로 태안군수와 원덩구 구장은 이날 태안군청 중회의실에서 협약서에 서명하고 관광·수산 분야 교류를 약속했다.\n태안군은 2006년 일본 가와즈정과도 자매결연을 맺은 바 있다.",
  [("태안군","원덩구","friendship_city","2024-05-12","signed")]),
 ("광주 남구, 베트남 꽝응아이성 선띤현과 국제교류 물꼬", "광주 남구가 베트남 중부 꽝응아이성 선띤현과 우호교류 의향서를 교환했다.\n김병내 남구청장은 지난 9일 선띤현을 방문해 현 인민위원장과 의향서에 서명했다.\n양측은 내년 상반기 중 정식 자매결연을 추진하기로 했다.",
  [("남구","선띤현","letter_of_intent","2024-05-09","signed")]),
 ("[동정] 이천시장, 日 고가시 방문", "김경희 이천시장이 자매도시인 일본 이바라키현 고가시를 방문해 교류 30주년 기념식에 참석했다.\n두 도시는 1994년 자매결연을 체결한 뒤 청소년 홈스테이 등 교류를 이어 오고 있다.",
  []),
 ("영월군-경기 의왕시 상생협력 업무협약", "강원 영월군과 경기 의왕시가 상생협력 업무협약을 맺었다.\n최명서 영월군수와 김성제 의왕시장은 17일 의왕시청에서 농특산물 직거래, 체험관광 활성화 등을 골자로 한 협약서에 서명했다.",
  [("영월군","의왕시","mou","2024-05-17","signed")]),
 ("거제시, 폴란드 그단스크시와 MOU 체결 예정", "경남 거제시는 다음 달 3일 폴란드 그단스크시와 조선산업 협력을 위한 업무협약을 체결한다고 20일 밝혔다.\n협약식에는 박종우 거제시장과 그단스크 시장 등이 참석할 예정이다.",
  [("거제시","그단스크시","mou","2024-06-03","planned")]),
 ("포천시의회, 中 자매도시 의회와 교류 협약", "경기 포천시의회는 지난 14일 중국 허베이성 랑팡시 인민대표대회 상무위원회와 우호교류 협약을 체결했다.",
  []),
 ("정읍시, 일본 오다와라시와 자매결연 40주년 기념 협약 갱신", "전북 정읍시가 일본 가나가와현 오다와라시와 자매결연 40주년을 맞아 협약을 갱신했다.\n이학수 시장은 지난 11일 오다와라시청에서 갱신 협약서에 서명했다.",
  []),
 ("울주군-몽골 헨티주, 우호교류 협정 체결", "울산 울주군은 14일 몽골 헨티주 정부 청사에서 이순걸 군수와 헨티주 주지사가 참석한 가운데 우호교류 협정을 체결했다.\n양측은 앞으로 농업기술 전수와 청소년 교류 등에 힘을 모으기로 했다.",
  [("울주군","헨티주","friendship_city","2024-05-14","signed")]),
]


@pytest.mark.parametrize("title, body, expected", ARTICLES)
def test_articles(title: str | None, body: str, expected: list[tuple[str, str, str, str, str]]) -> None:
    text = f"{title}\n{body}" if title else body
    assert sorted(brief(page(text, title=title))) == sorted(expected)


# Press-release and caption forms: a '○ 일시:' field, an anniversary visit, a photo caption,
# a domestic ceremony in 습니다 style, a tie being pursued for later this year.
RELEASES = [
 ("김제시, 베트남 빈롱성과 계절근로자 업무협약 체결", "김제시는 베트남 빈롱성과 외국인 계절근로자 도입을 위한 업무협약을 체결했습니다.\n○ 일시: 2024. 5. 10.(금) 14:00\n○ 장소: 김제시청 대회의실\n○ 참석: 정성주 김제시장, 빈롱성 인민위원회 부위원장 등 20명\n이번 협약으로 빈롱성 근로자 100명이 하반기 김제시 농가에 배치됩니다.",
  [("김제시","빈롱성","mou","2024-05-10","signed")]),
 ("동해시, 러시아 나홋카시와 자매결연 30주년", "강원 동해시가 러시아 나홋카시와 자매결연 30주년을 맞아 기념행사를 열었다.\n심규언 동해시장은 지난 10일 나홋카시를 방문해 교류 확대 방안을 논의했다.",
  []),
 ("[사진] 악수하는 양 시장", "홍남표 창원시장(오른쪽)과 우후이 중국 우한시 부시장이 10일 창원시청에서 우호협력도시 협정을 체결한 뒤 악수하고 있다.",
  [("창원시","우한시","friendship_city","2024-05-10","signed")]),
 ("청양군-서울 금천구 자매결연", "충남 청양군은 서울 금천구와 10일 금천구청에서 자매결연 협약식을 가졌습니다.\n두 지자체는 농특산물 직거래와 문화 교류를 확대하기로 했습니다.",
  [("청양군","금천구","sister_city","2024-05-10","signed")]),
 ("부천시, 일본 오카야마시와 우호도시 체결 추진", "경기 부천시가 일본 오카야마시와 우호도시 체결을 추진한다.\n부천시는 오카야마시 대표단과 실무 협의를 거쳐 올해 하반기 협정을 맺을 계획이다.",
  [("부천시","오카야마시","friendship_city","2024","planned")]),
]


@pytest.mark.parametrize("title, body, expected", RELEASES)
def test_releases(title: str | None, body: str, expected: list[tuple[str, str, str, str, str]]) -> None:
    text = f"{title}\n{body}" if title else body
    assert sorted(brief(page(text, title=title))) == sorted(expected)


# Partners abroad of many kinds: Sino-Korean readings (위해시), counties, oblast governments,
# aimags, an MOU 'for' friendship (friendship_city), a city on an island the gazetteer lacks.
PARTNERS_ABROAD = [
 (None, "전북 완주군은 지난 10일 중국 산둥성 위해시와 우호도시 협정을 체결했다.", [("완주군","위해시","friendship_city","2024-05-10","signed")]),
 (None, "경남 하동군은 지난 10일 일본 시즈오카현 마키노하라시와 우호교류 협약을 맺었다.", [("하동군","마키노하라시","friendship_city","2024-05-10","signed")]),
 (None, "경기 가평군은 지난 10일 미국 버지니아주 라우던카운티와 자매결연 협정을 체결했다.", [("가평군","라우던카운티","sister_city","2024-05-10","signed")]),
 (None, "강원 속초시는 지난 10일 러시아 사할린주 정부와 관광 교류 업무협약을 체결했다.", [("속초시","사할린주","mou","2024-05-10","signed")]),
 (None, "충북 진천군은 지난 10일 몽골 셀렝게아이막과 우호교류 협약을 맺었다.", [("진천군","셀렝게아이막","friendship_city","2024-05-10","signed")]),
 (None, "대구시는 지난 10일 우즈베키스탄 타슈켄트시와 의료관광 활성화를 위한 양해각서(MOU)를 교환했다.", [("대구광역시","타슈켄트시","mou","2024-05-10","signed")]),
 (None, "제주도는 지난 10일 일본 오키나와현과 우호협력 증진을 위한 MOU를 체결했다.", [("제주특별자치도","오키나와현","friendship_city","2024-05-10","signed")]),
 (None, "경북 울진군은 지난 10일 필리핀 카마리네스수르주 나가시와 계절근로자 업무협약을 체결했다.", [("울진군","나가시","mou","2024-05-10","signed")]),
 (None, "전남 신안군은 지난 10일 이탈리아 사르데냐섬 알게로시와 자매결연 의향서에 서명했다.", [("신안군","알게로시","letter_of_intent","2024-05-10","signed")]),
 (None, "인천 강화군은 지난 10일 중국 랴오닝성 단둥시 관전만족자치현과 우호교류 협약을 체결했다.", [("강화군","관전만족자치현","friendship_city","2024-05-10","signed")]),
]


@pytest.mark.parametrize("title, body, expected", PARTNERS_ABROAD)
def test_partners_abroad(title: str | None, body: str, expected: list[tuple[str, str, str, str, str]]) -> None:
    assert sorted(brief(page(body, title=title))) == sorted(expected)


# Two ties on two days in one sentence, an MOU at an anniversary, a first-ever remark, talks and
# quotes about a future tie, a courtesy meeting, a count of existing ties.
SEVERAL_AND_NONE = [
 ("경북도, 中 산시성·日 시마네현과 잇따라 협약", "경북도는 지난 13일 중국 산시성과 우호교류 협정을 맺은 데 이어 15일에는 일본 시마네현과 관광 분야 업무협약을 체결했다.",
  [("경상북도","산시성","friendship_city","2024-05-13","signed"),("경상북도","시마네현","mou","2024-05-15","signed")]),
 (None, "충남 아산시는 중국 웨이팡시와 자매결연 20주년을 기념해 지난 10일 경제협력 업무협약을 새로 체결했다.", [("아산시","웨이팡시","mou","2024-05-10","signed")]),
 (None, "경기 파주시는 지난 10일 독일 베를린 미테구와 우호교류 협약을 체결했다. 파주시가 유럽 도시와 협약을 맺은 것은 처음이다.", [("파주시","미테구","friendship_city","2024-05-10","signed")]),
 (None, "부산 사하구 관계자는 '몽골 울란바토르시 바양주르흐구와의 자매결연은 내년 상반기 체결을 목표로 협의 중'이라고 말했다.", []),
 (None, "울산시는 지난 10일 시청에서 미국 포틀랜드시 대표단과 간담회를 갖고 자매도시 간 교류 확대 방안을 논의했다.", []),
 ("서귀포시-中 하이커우시 우호도시 협약", "서귀포시는 지난 10일 중국 하이난성 하이커우시와 우호도시 협약을 체결했다고 12일 밝혔다.\n협약에 따라 두 도시는 관광, 문화, 체육 분야에서 교류하기로 했다.\n서귀포시는 현재 일본 가라쓰시 등 8개 도시와 자매·우호 관계를 맺고 있다.",
  [("서귀포시","하이커우시","friendship_city","2024-05-10","signed")]),
]


@pytest.mark.parametrize("title, body, expected", SEVERAL_AND_NONE)
def test_several_and_none(title: str | None, body: str, expected: list[tuple[str, str, str, str, str]]) -> None:
    text = f"{title}\n{body}" if title else body
    assert sorted(brief(page(text, title=title))) == sorted(expected)


# Party forms: 시흥시(시장 …), 전남도, 충북지사, 군청 only; 체결하기로 합의, 조인식, 주고받았다.
PARTY_FORMS = [
 (None, "시흥시(시장 임병택)는 지난 10일 일본 기후현 다지미시와 우호교류 협약을 체결했다.", [("시흥시","다지미시","friendship_city","2024-05-10","signed")]),
 (None, "전남도는 지난 10일 중국 저장성과 해양수산 분야 교류협력 양해각서를 체결했다.", [("전라남도","저장성","mou","2024-05-10","signed")]),
 (None, "김영환 충북지사와 카자흐스탄 투르키스탄주 주지사가 10일(현지시간) 우호교류 협정서에 서명했다.", [("충청북도","투르키스탄주","friendship_city","2024-05-10","signed")]),
 (None, "양평군은 지난 10일 군청 회의실에서 미국 캘리포니아주 어바인시 관계자들과 자매결연 협정 체결식을 개최했다.", [("양평군","어바인시","sister_city","2024-05-10","signed")]),
 (None, "인천 연수구는 지난 10일 중국 선전시 룽강구와 우호교류 협약을 체결하기로 합의하고 다음 달 정식 협약식을 갖기로 했다.", [("연수구","룽강구","friendship_city","2024-06","planned")]),
 (None, "경남 남해군과 일본 가고시마현 이부스키시의 자매결연 협정 조인식이 10일 남해군청에서 열렸다.", [("남해군","이부스키시","sister_city","2024-05-10","signed")]),
 (None, "경기 광명시와 프랑스 이시레물리노시는 지난 10일 광명시청에서 교류 확대를 위한 의향서를 주고받았다.", [("광명시","이시레물리노시","letter_of_intent","2024-05-10","signed")]),
]


@pytest.mark.parametrize("title, body, expected", PARTY_FORMS)
def test_party_forms(title: str | None, body: str, expected: list[tuple[str, str, str, str, str]]) -> None:
    text = f"{title}\n{body}" if title else body
    assert sorted(brief(page(text, title=title))) == sorted(expected)


# A ceremony whose pair only the title names, a tie planned for early next month, a letter signed
# now and a sister tie planned for later (two agreements of one pair), a named field (mou).
TWO_STEPS = [
 ("논산시-베트남 닌투언성 우호교류 협약", "논산시는 10일 시청 회의실에서 협약식을 갖고 농업과 관광 분야 교류를 약속했다.", [("논산시","닌투언성","friendship_city","2024-05-10","signed")]),
 (None, "경북 구미시는 내달 초 중국 허베이성 창저우시와 우호도시 협약을 체결한다.", [("구미시","창저우시","friendship_city","2024-06","planned")]),
 (None, "전남 목포시는 지난 10일 일본 아마미시와 자매결연 협정을 체결하며 해양관광 교류의 물꼬를 텄다.", [("목포시","아마미시","sister_city","2024-05-10","signed")]),
 (None, "경기 안성시는 지난 10일 베트남 빈즈엉성과 교류협력 의향서를 체결한 데 이어 오는 9월 자매결연을 맺을 예정이다.", [("안성시","빈즈엉성","letter_of_intent","2024-05-10","signed"),("안성시","빈즈엉성","sister_city","2024-09","planned")]),
 (None, "충북 영동군은 지난 10일 프랑스 부르고뉴 지역의 본로마네시와 와인 산업 교류 협약을 체결했다.", [("영동군","본로마네시","mou","2024-05-10","signed")]),
]


@pytest.mark.parametrize("title, body, expected", TWO_STEPS)
def test_two_steps(title: str | None, body: str, expected: list[tuple[str, str, str, str, str]]) -> None:
    text = f"{title}\n{body}" if title else body
    assert sorted(brief(page(text, title=title))) == sorted(expected)


def test_caption_holding_up_the_signed_document() -> None:
    title = "[사진] 영덕군, 日 이와키시와 자매결연"
    body = f"{title}\n▲ 김광열 영덕군수(오른쪽)와 이와키시장이 지난 10일 영덕군청에서 자매결연 협약서를 들어 보이고 있다."
    assert brief(page(body, title=title)) == [("영덕군", "이와키시", "sister_city", "2024-05-10", "signed")]


# Domestic ties: a ceremony, a first exchange after an agreement, a market with existing sister
# cities, a quoted agreement name, a 기초 of a 광역시 ('광주 북구'), a named field.
DOMESTIC = [
 ("화천군-서울 송파구 자매결연", "강원 화천군과 서울 송파구가 지난 10일 송파구청에서 자매결연 협약식을 열고 상생 발전을 다짐했다.\n화천군은 이로써 국내 자매도시가 7곳으로 늘었다.", [("화천군","송파구","sister_city","2024-05-10","signed")]),
 (None, "협약 체결 후 첫 교류로 일본 구루메시 청소년 30명이 지난 10일 경북 김천시를 찾았다.", []),
 (None, "충남 홍성군은 국내 자매도시인 서울 강동구, 경기 부천시와 함께 지난 10일 농특산물 직거래 장터를 열었다.", []),
 (None, "경북 예천군과 서울 강서구는 지난 10일 예천군청에서 '자매결연 협약'을 체결하고 우호 증진에 나섰다.", [("예천군","강서구","sister_city","2024-05-10","signed")]),
 (None, "전남 장성군은 지난 10일 광주 북구와 상생발전 협약을 체결했다.", [("장성군","북구","mou","2024-05-10","signed")]),
 (None, "대전 유성구는 지난 10일 충남 공주시와 '백제문화권 관광 활성화를 위한 업무협약'을 맺었다.", [("유성구","공주시","mou","2024-05-10","signed")]),
]


@pytest.mark.parametrize("title, body, expected", DOMESTIC)
def test_domestic(title: str | None, body: str, expected: list[tuple[str, str, str, str, str]]) -> None:
    text = f"{title}\n{body}" if title else body
    assert sorted(brief(page(text, title=title))) == sorted(expected)


@pytest.mark.parametrize("body, status", [
    ("전남 순천시는 일본 우토시와 자매결연을 체결합니다.", "planned"),
    ("전남 순천시는 일본 우토시와 자매결연 협약을 맺습니다.", "planned"),
    ("전남 순천시는 지난 10일 일본 우토시와 자매결연을 체결했습니다.", "signed"),
    ("전남 순천시는 지난 10일 일본 우토시와 자매결연을 체결하였습니다.", "signed"),
    ("전남 순천시는 지난 10일 일본 우토시와 자매결연 체결식을 가졌습니다.", "signed"),
    ("전남 순천시와 일본 우토시의 자매결연 체결식이 지난 10일 열렸습니다.", "signed"),
])
def test_formal_endings(body: str, status: str) -> None:
    assert [e.status for e in find_events(page(body))] == [status]


# Signing dates: last month, full dates, coming dates, a visit range (month only), local time
# before a report date, and a report date alone (month of the news).
DATES = [
 (None, "경북 청송군은 지난달 28일 일본 오카야마현 소자시와 자매결연 협정을 체결했다.", [("청송군","소자시","sister_city","2024-04-28","signed")]),
 (None, "충북 단양군은 2024년 5월 8일 중국 장자제시와 우호교류 협약을 체결했다.", [("단양군","장자제시","friendship_city","2024-05-08","signed")]),
 (None, "강원 철원군은 오는 6월 12일 몽골 다르항올아이막과 우호교류 협정을 맺는다.", [("철원군","다르항올아이막","friendship_city","2024-06-12","planned")]),
 (None, "경남 통영시는 15~17일 일본 나가사키현 방문 기간 중 사세보시와 우호도시 협약을 체결했다.", [("통영시","사세보시","friendship_city","2024-05","signed")]),
 (None, "경기 포천시는 18일(현지시간) 베트남 박닌성과 우호교류 협약을 체결했다고 20일 밝혔다.", [("포천시","박닌성","friendship_city","2024-05-18","signed")]),
 (None, "경기 포천시는 베트남 박닌성과 우호교류 협약을 체결했다고 20일 밝혔다.", [("포천시","박닌성","friendship_city","2024-05","signed")]),
]


@pytest.mark.parametrize("title, body, expected", DATES)
def test_signing_dates(title: str | None, body: str, expected: list[tuple[str, str, str, str, str]]) -> None:
    assert sorted(brief(page(body, title=title))) == sorted(expected)
