"""Generalisation cases: short articles written for this file in wordings and layouts the
engine was not tuned on (no dev, seed or check-set page is copied here).

Partners are compared on their name key (spaces, glosses and one administrative suffix
removed), as the scorer does; an expected type may be a tuple of acceptable types, as in
gold files where a wording sits between two types.
"""

from __future__ import annotations

import pytest

from extract.core import find_events
from extract.rules.drafts import name_key
from tests.support.engine import Expected, matches, run

# Twenty-seven short articles in varied styles (news lead, release, caption, notice, Q&A-ish),
# written before any fix of this round; 19 of 27 passed at first try
# (one case then read '이날' as the visit's day; it now says '같은 날', see eval/README.md).
ARTICLES: list[tuple[str | None, str, list[Expected]]] = [
 # partner the gazetteer may lack, met at its city hall by its mayor
 ("오산시, 캐나다 코퀴틀람시와 청소년 교류 MOU",
  "이권재 오산시장은 지난 14일(현지시간) 코퀴틀람 시청에서 코퀴틀람 시장과 만나 청소년 교육 교류를 위한 업무협약에 서명했다.",
  [("오산시", "코퀴틀람시", "mou", "2024-05-14", "signed")]),
 # a province's delegation as the comitative, party only as 군은
 ("청양군, 라오스 참파삭주와 계절근로자 협약",
  "군은 지난 10일 군청 소회의실에서 라오스 참파삭주 대표단과 외국인 계절근로자 도입 업무협약(MOU)을 체결했다고 12일 밝혔다.",
  [("청양군", "참파삭주", "mou", "2024-05-10", "signed")]),
 # a US county inside a state: the county is the partner
 (None, "전남 해남군은 지난 8일 미국 조지아주 귀넷 카운티와 농산물 수출 업무협약을 체결했다.",
  [("해남군", "귀넷카운티", "mou", "2024-05-08", "signed")]),
 # a Japanese town (町 → 정)
 (None, "강원 양양군은 지난 3일 일본 홋카이도 니세코정과 우호교류 협정을 체결했다고 7일 밝혔다.",
  [("양양군", "니세코정", "friendship_city", "2024-05-03", "signed")]),
 # an Italian town inside a region named first
 (None, "경북 청송군은 지난 9일(현지시간) 이탈리아 토스카나주 몬탈치노시와 자매결연 협정을 맺었다.",
  [("청송군", "몬탈치노시", "sister_city", "2024-05-09", "signed")]),
 # a Greek town after its region
 (None, "경남 남해군은 그리스 펠로폰네소스 지방의 칼라마타시와 지난 2일 우호도시 협약을 맺었다고 7일 밝혔다.",
  [("남해군", "칼라마타시", "friendship_city", "2024-05-02", "signed")]),
 # two domestic agreements, the second '같은 날'
 ("성동구, 평창군·단양군과 잇단 협약",
  "서울 성동구는 지난 16일 강원 평창군과 자매결연 협약을 맺었다.\n같은 날 오후 충북 단양군과도 농산물 직거래 업무협약을 체결했다.",
  [("성동구", "평창군", "sister_city", "2024-05-16", "signed"),
   ("성동구", "단양군", "mou", "2024-05-16", "signed")]),
 # '같은 날' after a dated visit ('이날' alone resolves against the page's date: eval/README.md)
 (None, "최경식 남원시장은 지난 12일 중국 장쑤성 양저우시를 방문했다. 같은 날 두 도시는 우호교류 협정서에 서명했다.",
  [("남원시", "양저우시", "friendship_city", "2024-05-12", "signed")]),
 # '당일' after a dated arrival
 (None, "경북 상주시 대표단은 지난 11일 베트남 박닌성에 도착했다. 대표단은 당일 박닌성 인민위원회에서 농업 교류 업무협약을 맺었다.",
  [("상주시", "박닌성", "mou", "2024-05-11", "signed")]),
 # month-day with (현지시간), page two days later
 ("거창군, 헝가리 에게르시와 우호협약",
  "경남 거창군은 5월 14일(현지시간) 헝가리 에게르시청에서 우호도시 협약을 체결했다고 16일 밝혔다.",
  [("거창군", "에게르시", "friendship_city", "2024-05-14", "signed")]),
 # an abbreviated year with dots
 (None, "경남 거제시는 '24. 5. 8. 필리핀 일로일로시와 계절근로자 업무협약을 체결하였다.",
  [("거제시", "일로일로시", "mou", "2024-05-08", "signed")]),
 # 맺기로 합의 and a signature
 (None, "충남 보령시와 중국 저장성 원링시는 지난 10일 우호교류 관계를 맺기로 합의하고 합의서에 서명했다.",
  [("보령시", "원링시", "friendship_city", "2024-05-10", "signed")]),
 # party only in the title, 군은 in the body
 ("전남 영암군, 베트남 빈푹성과 우호교류 협약",
  "군은 지난 13일 군청 회의실에서 베트남 빈푹성과 우호교류 협약을 체결했다고 14일 밝혔다.",
  [("영암군", "빈푹성", "friendship_city", "2024-05-13", "signed")]),
 # 시는 in the body, letter of intent exchanged
 ("경북 영천시, 중국 허난성 뤄허시와 교류의향서",
  "시는 지난 7일 중국 허난성 뤄허시와 우호교류 의향서를 교환했다고 밝혔다.",
  [("영천시", "뤄허시", "letter_of_intent", "2024-05-07", "signed")]),
 # 교류협력 합의서: friendship or mou
 (None, "충북 음성군은 지난 9일 몽골 다르항시와 교류협력 합의서를 체결했다.",
  [("음성군", "다르항시", ("friendship_city", "mou"), "2024-05-09", "signed")]),
 # 우호교류 약정
 (None, "경기 광주시는 지난 2일 중국 후베이성 샤오간시와 우호교류 약정을 체결했다.",
  [("광주시", "샤오간시", ("friendship_city", "mou"), "2024-05-02", "signed")]),
 # negatives: a football club, a university, companies, a hospital
 (None, "경남 창원시는 지난 5일 일본 프로축구팀 사간도스 구단과 유소년 축구 교류 업무협약을 체결했다.", []),
 (None, "국립순천대학교는 지난 7일 베트남 껀터시 인민위원회와 농업 인재 양성 업무협약을 체결했다.", []),
 (None, "협약식에는 여수 지역 수산가공업체 4곳도 참석해 인도네시아 현지 법인과 수출 업무협약을 따로 맺었다.", []),
 (None, "안동병원은 지난 3일 몽골 울란바토르 국립병원과 의료 교류 업무협약을 체결했다.", []),
 # background history inside a visit story
 (None, "경기 의정부시 대표단은 지난 10일 자매도시인 미국 리치몬드시를 방문했다. 두 도시는 2001년 자매결연을 맺었다.", []),
 # a joint declaration of many cities
 (None, "환동해 10개 도시 시장들은 지난 15일 경북 포항시에서 열린 도시 포럼에서 해양 환경 보전 공동선언문을 채택했다.", []),
 # plain positives in different word orders
 (None, "강원 강릉시는 지난 16일 일본 야마가타현 사카타시와 자매결연 협정을 체결했다.",
  [("강릉시", "사카타시", "sister_city", "2024-05-16", "signed")]),
 (None, "중국 지린성 옌지시와 경북 구미시가 지난 11일 우호도시 협약을 맺었다.",
  [("구미시", "옌지시", "friendship_city", "2024-05-11", "signed")]),
 ("광양시, 베트남 하이퐁시와 손잡아",
  "전남 광양시가 베트남 하이퐁시와 손을 잡았다. 시는 지난 8일 하이퐁시 인민위원회와 항만 물류 협력 업무협약을 체결했다.",
  [("광양시", "하이퐁시", "mou", "2024-05-08", "signed")]),
 (None, "경북 문경시는 다음 달 12일 일본 돗토리현 요나고시와 자매결연 협정을 체결할 계획이다.",
  [("문경시", "요나고시", "sister_city", "2024-06-12", "planned")]),
 # a related-headline line after the article
 ("청주시, 시민 자전거 축제 열어",
  "충북 청주시는 지난 12일 무심천 일대에서 시민 자전거 축제를 열었다고 13일 밝혔다.\n이전글 충주시, 중국 옌타이시와 우호협약 체결",
  []),
]


@pytest.mark.parametrize("title, body, expected", ARTICLES)
def test_articles(title: str | None, body: str, expected: list[Expected]) -> None:
    found = run(title, body)
    assert matches(found, expected), found


@pytest.mark.parametrize("text, value", [
    ("경남 거제시는 '24. 5. 8. 필리핀 일로일로시와", "2024-05-08"),
    ("○ 일시: '23.12.1.(금) 14:00", "2023-12-01"),
])
def test_date_forms(text: str, value: str) -> None:
    from twinwatch.pages.dates import find_dates
    assert [m.value for m in find_dates(text, "2024-05-20")][:1] == [value]


# A word glossed in Latin is a place the gazetteer lacks only when it is no agreement noun:
# '업무협약(MOU)', '의향서(LOI)' never stand for the partner.
GLOSSED_AGREEMENTS: list[tuple[str | None, str, list[Expected]]] = [
 (None, "경북 봉화군은 지난 7일 키르기스스탄 이식쿨주 대표단과 계절근로자 업무협약(MOU)을 체결했다.",
  [("봉화군", "이식쿨주", "mou", "2024-05-07", "signed")]),
 (None, "충남 서천군은 지난 7일 필리핀 누에바비스카야주 방문단과 교류 의향서(LOI)에 서명했다.",
  [("서천군", "누에바비스카야주", "letter_of_intent", "2024-05-07", "signed")]),
 ("횡성군, 몽골 셀렝게주와 협약", "군은 지난 7일 셀렝게주 부지사 일행과 농업 협력 양해각서(MOU)를 교환했다.",
  [("횡성군", "셀렝게주", "mou", "2024-05-07", "signed")]),
]


@pytest.mark.parametrize("title, body, expected", GLOSSED_AGREEMENTS)
def test_glossed_agreement_is_no_partner(title: str | None, body: str, expected: list[Expected]) -> None:
    found = run(title, body)
    assert matches(found, expected), found


# A term written as one word inside a sentence, though Kiwi splits it when it stands alone.
WHOLE_WORD_TERMS: list[tuple[str, list[Expected]]] = [
 ("전북 완주군은 지난 3일 베트남 타이응우옌성과 상호협력 합의서를 교환했다.",
  [("완주군", "타이응우옌성", ("friendship_city", "mou"), "2024-05-03", "signed")]),
 ("경남 하동군은 지난 3일 중국 푸젠성 안시현과 차 산업 교류협력 합의서에 서명했다.",
  [("하동군", "안시현", "mou", "2024-05-03", "signed")]),
 ("강원 평창군은 지난 3일 일본 나가노현 하쿠바촌과 교류협력 합의서를 체결했다.",
  [("평창군", "하쿠바촌", ("friendship_city", "mou"), "2024-05-03", "signed")]),
]


@pytest.mark.parametrize("body, expected", WHOLE_WORD_TERMS)
def test_term_kept_whole_by_kiwi(body: str, expected: list[Expected]) -> None:
    found = run(None, body)
    assert matches(found, expected), found


# Firms, clubs and local subsidiaries are no governments, whichever side they stand on.
NOT_GOVERNMENTS = [
 "전남 광양시 기업 5곳은 지난 3일 베트남 하이퐁시 현지 법인과 물류 협력 업무협약을 맺었다.",
 "경북 포항시는 지난 3일 일본 기타큐슈시 프로야구단과 유소년 야구 교류 업무협약을 체결했다.",
 "충남 서산시 지역 농산물가공업체들은 지난 3일 중국 산둥성 웨이하이시 수입업체와 수출 양해각서를 체결했다.",
 "강원 강릉시는 지난 3일 일본 사카타시 축구클럽과 유소년 교류 업무협약을 맺었다.",
]


@pytest.mark.parametrize("body", NOT_GOVERNMENTS)
def test_firms_and_clubs_are_no_counterparts(body: str) -> None:
    assert run(None, body) == []


# A county written apart from its name, a Japanese town: the unit inside the state or
# prefecture is the partner, the state is context.
SMALL_UNITS: list[tuple[str, list[Expected]]] = [
 ("충북 진천군은 지난 3일 미국 텍사스주 콜린 카운티와 우호교류 협약을 체결했다.",
  [("진천군", "콜린 카운티", "friendship_city", "2024-05-03", "signed")]),
 ("경기 가평군은 지난 3일 미국 워싱턴주 스노호미시 카운티 정부와 관광 교류 업무협약을 맺었다.",
  [("가평군", "스노호미시 카운티", "mou", "2024-05-03", "signed")]),
 ("전북 무주군은 지난 3일 일본 나가노현 오부세마치와 우호교류 협정을 체결했다.",
  [("무주군", "오부세마치", "friendship_city", "2024-05-03", "signed")]),
]


@pytest.mark.parametrize("body, expected", SMALL_UNITS)
def test_small_units_inside_a_state(body: str, expected: list[Expected]) -> None:
    found = run(None, body)
    assert matches(found, expected), found


# '…하기로 합의했다': agreed now (signed) — unless a future day is named for the signing.
AGREED_TO: list[tuple[str, list[Expected]]] = [
 ("전남 강진군과 일본 후쿠오카현 야나가와시는 지난 8일 자매결연을 맺기로 합의했다.",
  [("강진군", "야나가와시", "sister_city", "2024-05-08", "signed")]),
 ("충북 옥천군은 지난 8일 중국 장쑤성 이싱시와 우호도시 관계를 수립하기로 합의하고 협정서에 서명했다.",
  [("옥천군", "이싱시", "friendship_city", "2024-05-08", "signed")]),
 ("경남 고성군은 오는 28일 베트남 꽝응아이성과 우호교류 협약을 체결하기로 합의했다.",
  [("고성군", "꽝응아이성", "friendship_city", "2024-05-28", "planned")]),
]


@pytest.mark.parametrize("body, expected", AGREED_TO)
def test_agreed_to_establish(body: str, expected: list[Expected]) -> None:
    found = run(None, body)
    assert matches(found, expected), found


# An old board page: the whole view (field rows, content cell) sits in one row of a layout
# table beside the menu; the field rows go, the layout row and the article stay.
BOARD_LAYOUT = """<html><head><meta charset="utf-8"><title>{title}</title></head><body>
<table id="wrap"><tr><td class="top"><a href="/">홈</a></td></tr>
<tr><td class="lnb"><ul><li>시정소식</li><li>보도자료</li></ul></td><td>
<table class="view"><tr><th>제목</th><td>{title}</td></tr>
<tr><th>작성자</th><td>홍보담당관</td><th>등록일</th><td>2024-05-16</td></tr>
<tr><td colspan="4" class="{cell}"><p>{body}</p></td></tr></table>
</td></tr></table></body></html>"""


@pytest.mark.parametrize("cell, title, body, expected", [
 ("cont", "영주시, 일본 모리오카시와 우호교류 합의",
  "영주시는 지난 14일 모리오카시청에서 일본 이와테현 모리오카시와 우호교류 합의서에 서명했다고 16일 밝혔다.",
  [("영주시", "모리오카시", "friendship_city", "2024-05-14", "signed")]),
 ("txt", "나주시, 베트남 빈롱성과 계절근로 협약",
  "전남 나주시는 지난 13일 베트남 빈롱성과 외국인 계절근로자 도입 업무협약을 체결했다.",
  [("나주시", "빈롱성", "mou", "2024-05-13", "signed")]),
])
def test_board_view_inside_a_layout_table(cell: str, title: str, body: str, expected: list[Expected]) -> None:
    from twinwatch.pages.records import FetchResult
    from extract.page.reader import read_page

    html = BOARD_LAYOUT.format(title=title, body=body, cell=cell)
    document = read_page(FetchResult(url="board.html", body=html.encode("utf-8")))
    assert body in document.text
    found = [(e.korean_party, e.partner, e.agreement_type, e.date, e.status) for e in find_events(document)]
    assert matches(found, expected), found



# A second batch of short articles, written after the first fixes and before the last two;
# 12 of 14 passed at first try (the two misses: a mayor met at '버나비 시청', and a city after
# '… 지방'). '현지 시장' (a market) and '시청에서 시장 …' must stay no place.
ROUND_TWO: list[tuple[str | None, str, list[Expected]]] = [
 (None, "경북 울진군은 지난 6일(현지시간) 이탈리아 베네토주 코르티나담페초와 자매결연 협정을 체결했다.", [("울진군","코르티나담페초","sister_city","2024-05-06","signed")]),
 (None, "경기 부천시장은 지난 8일(현지시간) 캐나다 버나비 시청에서 버나비 시장과 만나 영상산업 업무협약을 체결했다.", [("부천시","버나비","mou","2024-05-08","signed")]),
 (None, "충남 논산시는 지난 9일 미국 중서부 일리노이주 블루밍턴시와 자매결연 협정을 맺었다.", [("논산시","블루밍턴시","sister_city","2024-05-09","signed")]),
 (None, "전남 장성군은 지난 9일 베트남 람동성 측과 농업 교류 업무협약을 맺었다.", [("장성군","람동성","mou","2024-05-09","signed")]),
 ("화순군, 완도군·정읍시와 잇따라 협약", "전남 화순군은 지난 10일 완도군과 관광 상생 업무협약을 체결했다.\n이어 14일에는 전북 정읍시와 고향사랑기부제 상호 협력 업무협약을 맺었다.", [("화순군","완도군","mou","2024-05-10","signed"),("화순군","정읍시","mou","2024-05-14","signed")]),
 (None, "목포대는 지난 7일 베트남 끼엔장성 인민위원회와 인재 양성 업무협약을 맺었다.", []),
 (None, "구는 지난 9일 구청 기획상황실에서 몽골 울란바토르시 칭겔테이구와 우호교류 협약을 체결했다.", []),
 ("서울 중랑구, 몽골 칭겔테이구와 우호교류 협약", "구는 지난 9일 구청 기획상황실에서 몽골 울란바토르시 칭겔테이구와 우호교류 협약을 체결했다.", [("중랑구","칭겔테이구","friendship_city","2024-05-09","signed")]),
 (None, "경남 밀양시는 지난 9일 그리스 펠로폰네소스 지방 나프플리오시 대표단과 우호교류 협약을 맺었다.", [("밀양시","나프플리오시","friendship_city","2024-05-09","signed")]),
 (None, "박 군수는 지난 9일 일본 나가노현 오타리무라를 찾아 촌장과 우호교류 협정서에 서명했다. 영동군과 오타리무라는 앞으로 청소년 교류를 이어가기로 했다.", [("영동군","오타리무라","friendship_city","2024-05-09","signed")]),
 ("보성군, 日 이마리시와 자매결연", "보성군은 지난 9일 군청에서 일본 사가현 이마리시와 자매결연 협정을 체결했다.\n[관련기사] 보성군, 中 ○○시와 우호교류 협약 체결", [("보성군","이마리시","sister_city","2024-05-09","signed")]),
 (None, "환동해권 5개국 12개 도시는 지난 9일 강원 동해시에서 관광 협력 공동선언문에 서명했다.", []),
 (None, "경기 여주시는 지난 9일 시청에서 몽골 프로농구팀 관계자들과 스포츠 교류 업무협약을 체결했다.", []),
 (None, "충북 단양군은 지난 9일 중국 저장성 닝보시 소재 관광업체와 관광객 유치 업무협약을 맺었다.", []),
]


@pytest.mark.parametrize("title, body, expected", ROUND_TWO)
def test_articles_round_two(title: str | None, body: str, expected: list[Expected]) -> None:
    found = run(title, body)
    assert matches(found, expected), found


@pytest.mark.parametrize("text, names", [
    ("베트남 현지 시장에서 판로를 넓힌다", ["베트남"]),
    ("캐나다 버나비 시청에서 버나비 시장과 만나", ["캐나다", "버나비"]),
    ("러시아 연해주 우수리스크 시청에서 시장 권한대행과 만나", ["러시아", "연해주", "우수리스크"]),
])
def test_name_written_apart_from_its_office(text: str, names: list[str]) -> None:
    from extract.nlp.place_index import default_index
    from extract.nlp.places import find_places
    assert [p.name for p in find_places(text, default_index())] == names



# A third batch (title, body, expected, page date), written after the second round's fixes;
# 9 of 12 passed at first try (misses: a club named before its city 'J리그 프로축구팀 감바
# 오사카와', a hospital on both sides, '같은 날' pointing back inside one sentence).
ROUND_THREE: list[tuple[str | None, str, list[Expected], str]] = [
 ("산청군, 日 나라현 요시노정과 우호교류", "군은 지난 9일 군청 대회의실에서 일본 나라현 요시노정 대표단과 우호교류 협약을 맺었다고 10일 밝혔다.", [("산청군","요시노정","friendship_city","2024-05-09","signed")], "2024-05-20"),
 (None, "경기 안성시는 9월 14일(현지시간) 카자흐스탄 알마티주 탈가르시와 우호도시 협약을 체결했다고 16일 밝혔다.", [("안성시","탈가르시","friendship_city","2024-09-14","signed")], "2024-09-16"),
 (None, "일본 J리그 프로축구팀 감바 오사카와 경기 수원시는 지난 9일 유소년 교류 업무협약을 체결했다.", [], "2024-05-20"),
 (None, "강원 원주의료원은 지난 9일 몽골 다르항올주 병원과 의료진 연수 업무협약을 맺었다.", [], "2024-05-20"),
 ("양평군 봄꽃축제 개막", "경기 양평군은 지난 9일 두물머리 일대에서 봄꽃축제를 열었다.\n관련기사\n양평군, 베트남 하남성과 우호교류 협약 체결\n양평군, 일본 가와구치코정과 자매결연 추진", [], "2024-05-20"),
 (None, "충남 예산군은 지난 9일 서울 강서구와 자매결연 협약을 체결하고, 같은 날 오후 경기 부천시와도 농특산물 직거래 업무협약을 맺었다.", [("예산군","강서구","sister_city","2024-05-09","signed"),("예산군","부천시","mou","2024-05-09","signed")], "2024-05-20"),
 (None, "경북 영덕군은 2013년 중국 산둥성 룽청시와 우호교류 협정을 맺은 뒤 공무원 상호 파견을 이어오고 있다.", [], "2024-05-20"),
 (None, "충남 태안군과 중국 산둥성 웨이하이시 원덩구는 지난 9일 관광 교류 확대를 위한 교류협약을 체결했다.", [("태안군","원덩구",("friendship_city","mou"),"2024-05-09","signed")], "2024-05-20"),
 ("[보도자료] 진안군-베트남 떠이닌성 계절근로자 MOU 체결", "□ 진안군은 5월 9일 군청 상황실에서 베트남 떠이닌성과 외국인 계절근로자 도입 업무협약(MOU)을 체결하였다.\n○ 협약에 따라 떠이닌성은 근로자 선발을 맡는다.", [("진안군","떠이닌성","mou","2024-05-09","signed")], "2024-05-20"),
 (None, "동북아 지방정부 15곳은 지난 9일 강원 속초시에서 관광 협력 공동선언문을 채택하고 서명했다.", [], "2024-05-20"),
 (None, "전북 고창군은 지난 9일 미국 캘리포니아주 플레이서 카운티 측과 농업 교류 의향서를 교환했다.", [("고창군","플레이서 카운티","letter_of_intent","2024-05-09","signed")], "2024-05-20"),
 (None, "경남 함양군은 지난 9일 일본 미야자키현 아야초와 자매결연 협정서에 서명했다.", [("함양군","아야초","sister_city","2024-05-09","signed")], "2024-05-20"),
]


@pytest.mark.parametrize("title, body, expected, published", ROUND_THREE)
def test_articles_round_three(title: str | None, body: str, expected: list[Expected], published: str) -> None:
    found = run(title, body, published)
    assert matches(found, expected), found



# A fourth batch (caption, Q&A, 자매도시가 됐다, planned ceremony, notice fields, a town after
# its city), written after the third round's fixes; 7 of 10 passed at first try (misses: a
# relative '…와 맺은 우호교류 협약은', a city after '부르고뉴 지방의', the notice — still open).
ROUND_FOUR: list[tuple[str | None, str, list[Expected], str]] = [
 ("[사진] 협약서 든 두 시장", "정명근 화성시장(왼쪽)과 미국 캘리포니아주 풀러턴시 시장이 9일 화성시청에서 우호협력 협약서를 들어 보이고 있다.", [("화성시","풀러턴시","friendship_city","2024-05-09","signed")], "2024-05-10"),
 (None, "문: 이번 협약의 의미는?\n답: 고흥군이 지난 9일 일본 가고시마현 기모쓰키정과 맺은 우호교류 협약은 남해안 섬 관광을 묶는 첫걸음이다.", [("고흥군","기모쓰키정","friendship_city","2024-05-09","signed")], "2024-05-20"),
 (None, "충북 영동군이 프랑스 부르고뉴 지방의 본시와 자매도시가 됐다. 군은 지난 9일 본시청에서 자매결연 협정서에 서명했다.", [("영동군","본시","sister_city","2024-05-09","signed")], "2024-05-20"),
 (None, "전남 신안군은 오는 25일 일본 오키나와현 이시가키시와 우호교류 협약 체결식을 가질 계획이다.", [("신안군","이시가키시","friendship_city","2024-05-25","planned")], "2024-05-20"),
 pytest.param("공지", "○ 협약명: 경상북도-베트남 타이빈성 우호교류 협약\n○ 일시: 2024. 5. 9.(목) 15:00\n○ 장소: 도청 회의실",
              [("경상북도", "타이빈성", "friendship_city", "2024-05-09", "signed")], "2024-05-10",
              marks=pytest.mark.xfail(strict=True, reason="a notice's '협약명:' line has no signing verb: not read yet")),
 (None, "김동일 보령시장과 중국 장쑤성 옌청시 부시장은 지난 9일 보령시청에서 우호도시 협정에 서명하고 손을 맞잡았다.", [("보령시","옌청시","friendship_city","2024-05-09","signed")], "2024-05-20"),
 (None, "전북 임실군은 지난 9일 캐나다 앨버타주 캘거리시 인근 오코톡스 타운과 치즈산업 교류 업무협약을 맺었다.", [("임실군","오코톡스 타운","mou","2024-05-09","signed")], "2024-05-20"),
 (None, "경북 청도군은 지난 9일 청도군청에서 경기 과천시와 자매결연을 맺었다. 두 지자체는 2019년부터 농산물 직거래를 해왔다.", [("청도군","과천시","sister_city","2024-05-09","signed")], "2024-05-20"),
 (None, "경기 하남시는 2016년 캐나다 리치먼드시와 자매결연을 체결했으며, 이번 방문은 이를 기념하기 위한 것이다.", [], "2024-05-20"),
 (None, "인천 서구는 오는 30일 베트남 다낭시 하이쩌우군과 우호교류 의향서를 교환할 예정이다.", [("서구","하이쩌우군","letter_of_intent","2024-05-30","planned")], "2024-05-20"),
]


@pytest.mark.parametrize("title, body, expected, published", ROUND_FOUR)
def test_articles_round_four(title: str | None, body: str, expected: list[Expected], published: str) -> None:
    found = run(title, body, published)
    assert matches(found, expected), found


@pytest.mark.parametrize("body", [
    "경북 영천시는 2015년 중국 허난성 뤄허시와 맺은 우호교류 협정에 따라 공무원을 파견했다.",
    "충남 아산시 대표단은 일본 가라쓰시와 맺은 자매결연 협정에 따라 지난 9일 가라쓰시를 방문했다.",
    "전남 무안군이 일본 후쿠오카현 오카와시와 체결한 우호교류 협약은 올해로 10년째다.",
])
def test_relative_clause_history_is_no_event(body: str) -> None:
    assert run(None, body) == []



# A fifth batch, written after the fourth round's fixes; 7 of 10 passed at first try (misses:
# two partners each with its own day in one sentence, '행정협의회' read as a council; and the
# quote case, first written expecting '2024-05', now expects the page's day for '이날' as
# eval/README.md rules).
ROUND_FIVE: list[tuple[str | None, str, list[Expected], str]] = [
 ("통영시, 日 사세보시·中 닝보시와 잇달아 협약", "경남 통영시는 지난 7일 일본 나가사키현 사세보시와 관광교류 업무협약을, 이튿날인 8일에는 중국 저장성 닝보시와 우호도시 협약을 각각 체결했다.", [("통영시","사세보시","mou","2024-05-07","signed"),("통영시","닝보시","friendship_city","2024-05-08","signed")], "2024-05-20"),
 (None, "\"두 도시가 더 가까워질 것\" 이재준 수원시장은 지난 9일 수원시청에서 열린 협약식에서 이렇게 말했다. 수원시는 이날 베트남 빈즈엉성과 우호교류 협약을 맺었다.", [("수원시","빈즈엉성","friendship_city","2024-05-20","signed")], "2024-05-20"),
 (None, "강원 삼척시는 지난 9일 러시아 연해주 나홋카시와 자매결연 30주년 기념식을 열고 교류 확대를 다짐했다.", [], "2024-05-20"),
 (None, "경북 의성군은 지난 9일 베트남 하띤성과 외국인 계절근로자 업무협약을 재체결했다.", [], "2024-05-20"),
 (None, "전남 영광군의회는 지난 9일 중국 저장성 취저우시 인대 상무위원회와 우호교류 협약을 체결했다.", [], "2024-05-20"),
 (None, "충북 제천시 청풍면 주민자치위원회는 지난 9일 일본 시마네현 오다시 주민 단체와 교류 협약을 맺었다.", [], "2024-05-20"),
 ("광주 남구, 필리핀 일로일로주와 계절근로 MOU", "광주 남구가 필리핀 일로일로주와 손을 잡았다.\n김병내 남구청장은 지난 9일 일로일로주청에서 주지사와 계절근로자 도입 업무협약을 체결했다.", [("남구","일로일로주","mou","2024-05-09","signed")], "2024-05-20"),
 (None, "세종시와 대전 유성구는 지난 9일 세종시청에서 행정협의회 운영 업무협약을 체결했다.", [("세종특별자치시","유성구","mou","2024-05-09","signed")], "2024-05-20"),
 (None, "경기 김포시는 다음 달 초 중국 장쑤성 쿤산시를 방문해 우호도시 협정을 체결할 예정이다.", [("김포시","쿤산시","friendship_city","2024-06","planned")], "2024-05-20"),
 (None, "전남 해남군은 2019년 4월 중 미국 캘리포니아주 샌버너디노카운티와 자매결연 협정을 체결할 계획이다.", [("해남군","샌버너디노카운티","sister_city","2019-04","planned")], "2019-03-20"),
]


@pytest.mark.parametrize("title, body, expected, published", ROUND_FIVE)
def test_articles_round_five(title: str | None, body: str, expected: list[Expected], published: str) -> None:
    found = run(title, body, published)
    assert matches(found, expected), found



# A sixth batch (bilingual lead, 우호도시가 됐다, MOC, 친선결연, 주고받았다, a renewal, a list
# of existing ties, a plan with 내달), written after the fifth round; 9 of 10 passed at first
# try. The miss, a three-party 경제동맹 협약 (울산·경남·부산), is left out: which pairs a gold
# file owes for a three-party agreement is not settled by eval/README.md.
ROUND_SIX: list[tuple[str | None, str, list[Expected], str]] = [
 (None, "Gangneung signed a sister-city agreement with Sakata.\n강원 강릉시는 지난 9일 일본 야마가타현 사카타시와 자매결연 협정을 체결했다.", [("강릉시","사카타시","sister_city","2024-05-09","signed")], "2024-05-20"),
 (None, "경남 사천시와 중국 광시좡족자치구 베이하이시가 지난 9일 우호도시가 됐다.", [("사천시","베이하이시","friendship_city","2024-05-09","signed")], "2024-05-20"),
 (None, "전북 부안군은 지난 9일 부안군청에서 필리핀 바탄주 오라니시와 계절근로자 업무협약(MOC)을 맺었다.", [("부안군","오라니시","mou","2024-05-09","signed")], "2024-05-20"),
 (None, "경북 봉화군은 지난 9일 베트남 호아빈성과 국제 친선결연을 맺었다.", [("봉화군","호아빈성","sister_city","2024-05-09","signed")], "2024-05-20"),
 (None, "서울 강남구는 지난 9일 미국 뉴욕주 뉴욕시와 관광 교류 협력각서(MOC)에 서명했다.", [("강남구","뉴욕시","mou","2024-05-09","signed")], "2024-05-20"),
 (None, "충남 홍성군은 지난 9일 중국 후난성 창더시 정부 대표단과 우호교류 의향서를 주고받았다.", [("홍성군","창더시","letter_of_intent","2024-05-09","signed")], "2024-05-20"),
 (None, "대구시는 지난 9일 중국 칭다오시와 자매결연 20주년을 맞아 교류 확대 협약을 갱신했다.", [], "2024-05-20"),
 (None, "전남 구례군은 현재 일본 3개 도시, 중국 2개 도시와 자매결연을 맺고 교류하고 있다.", [], "2024-05-20"),
 (None, "경기 시흥시는 몽골 울란바토르시 항올구와 내달 10일 우호교류 협약을 맺는다.", [("시흥시","항올구","friendship_city","2024-06-10","planned")], "2024-05-20"),
]


@pytest.mark.parametrize("title, body, expected, published", ROUND_SIX)
def test_articles_round_six(title: str | None, body: str, expected: list[Expected], published: str) -> None:
    found = run(title, body, published)
    assert matches(found, expected), found


# Firms present at a government signing do not make it a firms' agreement.
@pytest.mark.parametrize("body, partner", [
    ("경남 김해시는 지난 9일 양 도시 기업들이 참석한 가운데 중국 우시시와 경제협력 업무협약을 체결했다.", "우시시"),
    ("충북 청주시는 지난 9일 지역 기업 대표들과 함께 베트남 빈증성과 투자 협력 업무협약을 체결했다.", "빈증성"),
    ("전남 여수시는 지난 9일 중국 항저우시와 관광 업무협약을 맺고 여행업체들과 상품 개발을 논의했다.", "항저우시"),
])
def test_firms_attending_a_government_signing(body: str, partner: str) -> None:
    assert [name_key(p) for _party, p, *_rest in run(None, body)] == [name_key(partner)]
