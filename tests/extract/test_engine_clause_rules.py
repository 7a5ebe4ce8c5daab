"""Event rules that read the clause layer, restated in the team's own sentences from patterns
found in real news (tests/extract/data/realworld): report frames, background clauses, signers by title,
venues, anchored years and pages without a date."""

from __future__ import annotations

import pytest

from extract.core import find_events
from tests.extract.test_engine_general import Expected, matches, page, run

CASES: list[tuple[str, str | None, str, str | None, list[Expected]]] = [
    ("'N일 …에 따르면 이날' dates the signing on the report frame's day",
     None, "8일 한 민간단체에 따르면 이날 마포구와 중국 웨이하이시는 우호협력 협약을 체결하고 기업 교류회를 열었다.",
     "2024-05-09", [("마포구", "웨이하이시", "friendship_city", "2024-05-08", "signed")]),
    ("a minister signs for no local government, and the Korean city is only the venue",
     None, "김 장관은 서울 한 호텔에서 중국 산시성 성장과 경제협력 MOU를 체결했다.",
     "2024-05-20", []),
    ("a foundation's chair signing with a foreign city is no event",
     None, "한 장학재단 이사장은 지난 10일 몽골 다르항시와 교육 교류 협약을 체결했다.",
     "2024-05-20", []),
    ("a council's chair signs for the council",
     None, "김 의장은 지난 10일 일본 구마모토시 의회와 우호교류 협약을 맺었다.",
     "2024-05-20", []),
    ("'같은 해' takes the year named before: background, not this year's news",
     None, "시는 태국 치앙마이시와 2001년 3월 5일, 라오스 비엔티안시와 같은 해 7월 9일 자매결연을 체결한 이후 교류를 이어 왔다.",
     "2024-07-20", []),
    ("a tie held ('…를 체결하여 … 이어 오고 있다') is background",
     None, "한편 군은 현재 일본 유후시와 우호도시 협정을 체결하여 다양한 교류를 이어 오고 있다.",
     "2024-05-20", []),
    ("a past signing that describes the partners ('맺은 두 시는') is background; the new MOU counts",
     "전북 익산시·경북 상주시, 해외시장 공동 개척 협약",
     "앞서 지난 2001년 자매결연을 맺은 두 시는 지난 2일 익산시청에서 해외시장 공동 개척을 위한 협약을 체결했다.",
     "2024-05-20", [("익산시", "상주시", "mou", "2024-05-02", "signed")]),
    ("a tie made a noun ('…를 맺음으로 시작됐다') is told as history",
     None, "두 군의 인연은 1999년 5월 3일 고창군과 영월군이 자매결연을 맺음으로 시작됐다.",
     "2024-05-20", []),
    ("with no page date, a background signing keeps no year of its own",
     None, "시는 1988년 6월 6일 호주 캔버라시와 자매결연을 체결한 뒤 매년 청소년을 보내고 있다.",
     None, []),
    ("three or more counterparts listed in one signing clause are the ties a government holds",
     None, "군은 그동안 강원 횡성군, 충남 예산군, 경북 울진군과 자매결연을 했다.",
     None, []),
    ("pairs listed with hyphens are ties held elsewhere",
     None, "이 밖에 창원-후쿠오카, 진주-위니펙, 원주-에드먼튼 간에도 자매결연이 체결됐다.",
     "2024-05-20", []),
    ("sides paired two by two in one clause are one tie each",
     None, "이날 중국 산시성 윈청시와 경기도 의왕시, 헤이룽장성 다칭시와 충북 충주시가 자매결연 협약을 맺었다.",
     "2024-05-20", [("의왕시", "윈청시", "sister_city", "2024-05-20", "signed"),
                    ("충주시", "다칭시", "sister_city", "2024-05-20", "signed")]),
    ("a signer's given name is no place; the city before it is the side",
     "시흥시, 미국 로체스터시와 자매결연",
     "이날 이연수 시장과 미국 미네소타주 로체스터시의 데니스 핸슨 시장은 합의서를 교환했다.",
     "2024-05-20", [("시흥시", "로체스터시", "sister_city", "2024-05-20", "signed")]),
    ("a foreign city that is only the venue yields to the partner named as a side",
     "서산시, 몽골 아이막과 자매결연",
     "시는 지난 16일 몽골 울란바토르 정부청사에서 자브항 아이막과 자매결연 협정을 체결했다.",
     "2024-05-20", [("서산시", "자브항 아이막", "sister_city", "2024-05-16", "signed")]),
    ("a ceremony dated in the sentence before dates the signing told at it",
     None, "행사 둘째 날인 15일 오전 체결식이 열렸다. 체결식에서는 중국 칭하이성 시닝시와 경북 영주시가 우호도시 협약을 맺었다.",
     "2024-05-20", [("영주시", "시닝시", "friendship_city", "2024-05-15", "signed")]),
    ("a council that is only the venue is no counterpart",
     "가평군, 호주 스트라스필드시와 자매결연",
     "군은 지난 22일 호주 스트라스필드시 의회에서 자매결연 체결식을 가졌다.",
     "2024-05-24", [("가평군", "스트라스필드시", "sister_city", "2024-05-22", "signed")]),
    ("an army unit is no counterpart",
     None, "시는 오는 14일 관내 미군 3사단 장병과 공무원 간 자매결연을 맺기로 했다.",
     "2024-05-20", []),
    ("a place whose official signs is a side even in the genitive",
     "안성시, 미국 오스틴시와 자매결연",
     "이날 시청에서 안성시장과 미국 텍사스주 오스틴시의 한 시장은 자매결연 합의서를 교환했다.",
     "2024-05-20", [("안성시", "오스틴시", "sister_city", "2024-05-20", "signed")]),
    ("a signing that is the aim of a trip ('맺으러 떠났다') is still to come",
     None, "수원시는 시장 일행이 독일 하이델베르크시와 자매결연을 맺으러 지난 1일 출국했다고 3일 밝혔다.",
     "2024-05-03", [("수원시", "하이델베르크시", "sister_city", "2024-05", "planned")]),
    ("a tie formed before a decision ('맺고 …하기로 했다') is signed",
     None, "고성군은 지난 12일 일본 오이타시와 우호교류 협약을 맺고 관광 분야에서 협력하기로 했다.",
     "2024-05-20", [("고성군", "오이타시", "friendship_city", "2024-05-12", "signed")]),
    ("a signing told after the line that opens with its day takes that day",
     None, "12일, 전라남도 지사는 도청에서 일본 시즈오카현 지사를 맞았다.\n두 지사는 양 지역을 대표해 우호교류 협정에 서명했다.",
     "2024-05-20", [("전라남도", "시즈오카현", "friendship_city", "2024-05-12", "signed")]),
    ("'또한 …' after the ceremony's lines keeps the ceremony's day",
     None, "14일 오후 열린 협약식에서 여러 도시가 서명했다.\n협약식에서는 중국 다롄시와 전북 군산시가 우호도시 협약을 맺었다. 또한 중국 칭다오시와 경남 김해시가 각각 우호교류 협약을 체결했다.",
     "2024-05-20", [("군산시", "다롄시", "friendship_city", "2024-05-14", "signed"),
                    ("김해시", "칭다오시", "friendship_city", "2024-05-14", "signed")]),
    ("a partner's standing tie named by a copula ('우호도시인 A시와') is not what is signed now",
     None, "당진시는 지난 3일 우호도시인 미국 레드먼드시와의 관계를 한 단계 높여 자매결연을 맺었다.",
     "2024-05-20", [("당진시", "레드먼드시", "sister_city", "2024-05-03", "signed")]),
    ("an upgrade that names no agreement leads into the act the next verb names",
     None, "고령군은 지난 7일 일본 이즈모시와 교류 관계를 격상해 자매결연 협정을 체결했다.",
     "2024-05-20", [("고령군", "이즈모시", "sister_city", "2024-05-07", "signed")]),
    ("a 면 and a 동 glossed in brackets ('…면(면장 …)과 …동(동장 …)은') are the sides, below the governments",
     None, "영월군 김삿갓면(면장 이모)과 서울 노원구 상계동(동장 김모)은 지난 4일 면사무소에서 자매결연 협약을 맺었다.",
     "2024-05-20", []),
    ("a common noun that is also a bare place name ('소통과 협상을 거쳐') is no partner",
     None, "충주시와 중국 다칭시는 여러 차례 소통과 협상을 거쳐 지난 5일 우호도시 협약을 맺었다.",
     "2024-05-20", [("충주시", "다칭시", "friendship_city", "2024-05-05", "signed")]),
    ("a need to sign ('체결할 필요가 있다') is no act",
     None, "두 시장은 우호도시 협약을 체결할 필요가 있다는 데 뜻을 같이했다.",
     "2024-05-20", []),
    ("a partner written apart from its unit ('산타로사 시와') is named as one word; a visit's "
     "period ('…부터 …까지') fixes the month",
     None, "시장 일행은 지난달 3일부터 7일까지 미국을 방문해 캘리포니아주 산타로사 시와 목포시 간 자매결연을 맺었다.",
     "2024-05-20", [("목포시", "산타로사시", "sister_city", "2024-04", "signed")]),
    ("a later line narrows a visit's month to the signing day",
     None, "강원 인제군이 오는 16일부터 18일까지 일본 한 시를 찾아 우호교류 의향서를 교환한다.\n방문 이틀째인 17일, 군수는 일본 유후시장을 만나 두 도시 간 우호교류 의향서를 교환할 예정이다.",
     "2024-05-10", [("인제군", "유후시", "letter_of_intent", "2024-05-17", "planned")]),
    ("a headline's present ('맺는다') gives way to the body's past ('체결했다고 밝혔다')",
     "전남 보성군과 서울 강동구, 자매결연 맺는다",
     "전남 보성군은 지난 14일 군청에서 서울 강동구와 자매결연 협약을 체결했다고 16일 밝혔다.",
     None, [("보성군", "강동구", "sister_city", None, "signed")]),
    ("ties of several years in one clause ('2003년 A협정, 2009년 B협정을 체결했으며') are a history",
     None, "도와 시즈오카현은 2005년 관광교류협정, 2011년 경제교류협정을 체결했으며, 올해 자매결연을 추진한다.",
     "2024-05-20", []),
    ("with no page date, a tie years older than the latest year the page names is history",
     None, "서울시는 1988년 도쿄도와 자매도시를 맺었다.\n2012년에는 양 도시 청소년 교류 사업이 시작됐다.",
     None, []),
    ("a city described as one of the place abroad just named ('…의 두 번째 도시 ‘A’ 시') is the partner",
     None, "김해시가 지난 3일 베트남 남부 최대 도시권의 신흥 도시 ‘투득’ 시를 방문해 우호교류 협약을 맺었다.",
     "2024-05-20", [("김해시", "투득시", "friendship_city", "2024-05-03", "signed")]),
]


@pytest.mark.parametrize("why, title, body, published, expected", CASES,
                         ids=[case[0] for case in CASES])
def test_clause_rules(why: str, title: str | None, body: str, published: str | None,
                      expected: list[Expected]) -> None:
    found = run(title, body, published=published)  # type: ignore[arg-type]
    assert matches(found, expected), found


def test_bare_party_of_the_title_takes_the_city_a_later_line_names() -> None:
    """'중구-…' in the title, a byline, then '대구 중구가 …': the party is Daegu's 중구."""
    body = ("• 기자 아무개\n• 승인 2024.05.20\n대구 중구가 지난 17일 일본 벳푸시와 우호도시 협약을 맺었다.\n"
            "중구는 앞으로 관광 교류를 넓힌다.")
    events = find_events(page(body, title="중구-일본 벳푸시 우호도시 협약"))
    assert [(e.korean_party, e.korean_province, e.partner) for e in events] == [("중구", "대구광역시", "벳푸시")]
