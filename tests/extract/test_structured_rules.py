"""Rule cases of the structured readers: list lines, table headers and cells, profile cards."""

from __future__ import annotations

import lxml.html
import pytest

from extract.records import Document
from extract.structured import find_structured_events
from extract.structured.context import dates_in
from extract.structured.places import split_place
from extract.structured.tables import header_roles
from extract.structured.vocab import agreement_type, heading_type, is_non_government, is_sub_municipal

PAGE = ("<html><head><title>국제교류도시 - 청주시</title></head><body>{body}"
        "<p>ⓒ 청주시</p></body></html>")


def read(body: str) -> set[tuple]:
    html = PAGE.format(body=body)
    document = Document(url="page.html", text=lxml.html.fromstring(html).text_content(), html=html,
                        title="국제교류도시 - 청주시")
    events = find_structured_events(document)
    for event in events:
        start, end = event.evidence_span
        assert document.text[start:end] == event.evidence
    return {(e.korean_party, e.partner, e.partner_country, e.agreement_type, e.date) for e in events}


SISTER_LIST = "<h3>자매도시</h3><ul><li>일본 벳푸시 (1987. 3. 2.)</li><li>{line}</li></ul>"
BEPPU = ("청주시", "벳푸시", "JP", "sister_city", "1987-03-02")


@pytest.mark.parametrize(("line", "expected"), [
    ("미국 캘리포니아주 버뱅크시 : 1961. 4. 5.", {("청주시", "버뱅크시", "US", "sister_city", "1961-04-05")}),
    ("캐나다 오타와시 (체결일 : 1990.10.5)", {("청주시", "오타와시", "CA", "sister_city", "1990-10-05")}),
    ("오클랜드시(뉴질랜드, 1997.4.10)", {("청주시", "오클랜드시", "NZ", "sister_city", "1997-04-10")}),
    ("버뱅크시 미국 캘리포니아주 1961.04.05", {("청주시", "버뱅크시", "US", "sister_city", "1961-04-05")}),
    ("미국 : 벨링햄시(2008), 랜싱시(1988.5.2)", {("청주시", "벨링햄시", "US", "sister_city", "2008"),
                                              ("청주시", "랜싱시", "US", "sister_city", "1988-05-02")}),
    ("헝가리  미슈콜츠시 11.11.14 경제∙교육", {("청주시", "미슈콜츠시", "HU", "sister_city", "2011-11-14")}),
    ("1998.06.04 중국 산동성 웨이하이시", {("청주시", "웨이하이시", "CN", "sister_city", "1998-06-04")}),
    ("천안시 : 미국 캘리포니아주 풀러턴시 (1990.1.1)", {("천안시", "풀러턴시", "US", "sister_city", "1990-01-01")}),
    ("전라남도 여수시 (2007. 11. 9.)", {("청주시", "여수시", "KR", "sister_city", "2007-11-09")}),
    # not entries: visits, anniversaries, fields of another kind, 읍·면 ties, sentences
    ("벳푸시 대표단 방문 (2019.10.2)", set()),
    ("자매결연 30주년 기념식 (2017.3.2)", set()),
    ("일시 : 2013.7.3~7.6", set()),
    ("오창읍 – 일본 벳푸시 하마와키 (2012.5.1)", set()),
    ("청주시는 2005년 벳푸시와 자매결연을 맺은 뒤 교류하고 있다.", set()),
])
def test_list_lines(line, expected):
    assert read(SISTER_LIST.format(line=line)) == {BEPPU} | expected


@pytest.mark.parametrize(("heading", "kind"), [
    ("자매결연 도시 (2곳)", "sister_city"), ("우호협력도시", "friendship_city"),
    ("교류의향서 체결 도시", "letter_of_intent"), ("자매·우호도시 현황", None), ("주요 교류도시", None),
])
def test_heading_types(heading, kind):
    assert heading_type(heading) == kind


@pytest.mark.parametrize(("text", "kind"), [
    ("인천광역시와 중화인민공화국 우루무치시 간 관광업무 협력협약", "mou"),
    ("우호교류협력 양해각서", "friendship_city"),
    ("경제·무역·투자 및 관광협력 강화 협약 체결을 위한 의향서", "letter_of_intent"),
    ("우호도시 협약 체결을 위한 양해각서", "mou"),
    ("자매결연 의향서", "letter_of_intent"),
    ("친선결연", "sister_city"),
    ("교류 실적", None),
])
def test_agreement_types(text, kind):
    assert agreement_type(text) == kind


@pytest.mark.parametrize(("cell", "parts"), [
    ("중화인민공화국 안휘성 방부시", ("방부시", "CN", "안휘성")),
    ("미국 (버뱅크시)", ("버뱅크시", "US", None)),
    ("버밍엄시(앨라배마주)", ("버밍엄시", None, None)),
    ("중국 흑룡강성 치치하얼시 건화구 인민정부", ("건화구", "CN", "치치하얼시")),
    ("중국 (하남성, 상해시) 대만 (타이페이시)", None),  # several partners
    ("UN, 미래창조과학부", None),
    ("중국 천진시 천진대", None),  # a university
    ("대천시여순박물관", None),
    ("미국", None),  # a country is no partner
])
def test_partner_cells(cell, parts):
    place = split_place(cell)
    assert (None if place is None else (place.partner, place.country, place.region)) == parts


@pytest.mark.parametrize(("cells", "roles"), [
    (("연번", "(우호)협정명", "협정대상", "협정일자", "협정 내용"),
     {"name": 1, "partner": 2, "date": 3, "content": 4}),
    (("일본측_광역", "일본측_지자체", "한국측_지자체", "교류형태", "체결일", "비고"),
     {"region": 0, "partner": 1, "party": 2, "type": 3, "date": 4, "note": 5}),
    (("시도명", "시군구명", "국가명", "자매도시명", "결연구분", "결연일자"),
     {"province": 0, "party": 1, "country": 2, "partner": 3, "type": 4, "date": 5}),
    (("연번", "교류건명", "교류국가 (도시)", "교류 내용", "주관 부서", "대상자"),
     {"name": 1, "partner": 2, "content": 3}),
])
def test_header_roles(cells, roles):
    assert header_roles(cells) == roles


@pytest.mark.parametrize(("text", "values"), [
    ("2015. 8.5.", ["2015-08-05"]), ("05.09.14", ["2005-09-14"]), ("1998년 8월 3일", ["1998-08-03"]),
    ("2016년 11월", ["2016-11"]), ("2013.7.3~7.6", ["2013-07"]), ("1961", ["1961"]),
    ("19610405", ["1961-04-05"]), ("2006/09/20", ["2006-09-20"]), ("추진 중", []),
])
def test_cell_dates(text, values):
    assert [d.value for d in dates_in(text)] == values


@pytest.mark.parametrize(("name", "non_government", "sub_municipal"), [
    ("아산시의회", True, False), ("상해휴정상무유한공사", True, False), ("키타큐슈시립대학 문학부", True, False),
    ("영인농협", True, False), ("웨이하이시", False, False), ("신북읍", False, True),
    ("덩펑시 쑹양진", False, True), ("톈진", False, False), ("파리", False, False),
])
def test_sides_that_are_no_local_government(name, non_government, sub_municipal):
    assert is_non_government(name) == non_government
    assert is_sub_municipal(name) == sub_municipal


def test_table_with_spanned_header_and_transposed_card():
    body = ("<table><tr><th>연번</th><th>구분</th><th colspan='2'>교류도시</th><th>체결일</th></tr>"
            "<tr><th></th><th></th><th>국가</th><th>도시</th><th></th></tr>"
            "<tr><td>1</td><td>자매도시</td><td>미국</td><td>캐롤턴시</td><td>1996.10.15</td></tr>"
            "<tr><td>2</td><td>우호도시</td><td>중국</td><td>뤄허시</td><td>2000.4.22</td></tr></table>"
            "<h3>상세정보</h3><table><tr><th>도시명</th><td>메스시</td></tr><tr><th>국가</th><td>프랑스</td></tr>"
            "<tr><th>구분</th><td>우호교류</td></tr><tr><th>체결일</th><td>2012. 5. 30.</td></tr></table>")
    assert read(body) == {("청주시", "캐롤턴시", "US", "sister_city", "1996-10-15"),
                          ("청주시", "뤄허시", "CN", "friendship_city", "2000-04-22"),
                          ("청주시", "메스시", "FR", "friendship_city", "2012-05-30")}


def test_layout_table_and_definition_list_with_several_entries():
    body = ("<table><tr><td><h3>자매도시</h3><table><tr><th>국가</th><th>도시</th><th>체결일</th></tr>"
            "<tr><td>미국</td><td>버뱅크시</td><td>1961.4.5</td></tr></table></td><td>메뉴</td></tr></table>"
            "<dl><dt>우호도시</dt><dd>일본 벳푸시 (1987.3.2)</dd><dd>중국 우한시 (2005.4.12)</dd></dl>")
    assert read(body) == {("청주시", "버뱅크시", "US", "sister_city", "1961-04-05"),
                          ("청주시", "벳푸시", "JP", "friendship_city", "1987-03-02"),
                          ("청주시", "우한시", "CN", "friendship_city", "2005-04-12")}


def test_english_headers_and_types():
    text = ("Korean City\tPartner City\tCountry\tType\tDate Signed\n"
            "경기도 수원시\tFreiburg\t독일\tSister City\t2015-06-10\n"
            "충청북도 충주시\t다칭시\t중국\tFriendship City\t1999-09-01\n")
    events = find_structured_events(Document(url="export.tsv", text=text, format="tsv"))
    assert {(e.korean_party, e.partner, e.partner_country, e.agreement_type, e.date) for e in events} == {
        ("수원시", "Freiburg", "DE", "sister_city", "2015-06-10"),
        ("충주시", "다칭시", "CN", "friendship_city", "1999-09-01")}


def test_a_renewal_beside_the_first_signing_keeps_the_signing():
    body = ("<h3>자매도시</h3><ul><li>미국 버뱅크시 (자매결연 1961.4.5 / 재협약 2011.4.5)</li>"
            "<li>일본 벳푸시 1987.3.2 (2017년 재협약)</li><li>중국 우한시 재협약 (2015.4.12)</li></ul>")
    assert read(body) == {("청주시", "버뱅크시", "US", "sister_city", "1961-04-05"),
                          ("청주시", "벳푸시", "JP", "sister_city", "1987-03-02")}


def test_a_party_column_may_name_a_government_without_its_province():
    text = "자치단체\t국가\t도시\t교류형태\t체결일\n고성군\t중국\t훈춘시\t우호교류\t2011-03-02\n"
    events = find_structured_events(Document(url="registry.tsv", text=text, format="tsv"))
    assert [(e.korean_party, e.korean_province, e.partner) for e in events] == [("고성군", None, "훈춘시")]


def test_history_lines_of_a_list_page_name_their_partner():
    body = ("<h3>자매도시</h3><ul><li>일본 벳푸시 (1987. 3. 2.)</li></ul><h3>주요 교류</h3><ul>"
            "<li>2015.3.2 버뱅크시와 우호교류 협약 체결</li><li>2016.5.1 버뱅크시 대표단 방문</li>"
            "<li>2017.6.1 청주시의회-버뱅크시의회 우호교류 협약 체결</li></ul>")
    assert read(body) == {BEPPU, ("청주시", "버뱅크시", "US", "friendship_city", "2015-03-02")}


def test_fixed_width_preview_in_pre():
    body = ("<pre>일본측_지자체    한국측_지자체       교류형태    체결일\n"
            "마쓰에시         경상남도 진주시     우호도시    1999-11-10\n"
            "오다시           대전광역시          자매도시    1987-11-04\n</pre>")
    assert read(body) == {("진주시", "마쓰에시", "JP", "friendship_city", "1999-11-10"),
                          ("대전광역시", "오다시", "JP", "sister_city", "1987-11-04")}


def test_type_written_in_the_date_cell():
    text = "국가\t도시\t결연일\n미국\t버뱅크시\t자매결연 (1961.4.5)\n일본\t벳푸시\t우호교류 1987.3.2\n"
    events = find_structured_events(Document(url="t.tsv", text=text + "\n© 청주시\n", format="tsv"))
    assert {(e.partner, e.agreement_type, e.date) for e in events} == {
        ("버뱅크시", "sister_city", "1961-04-05"), ("벳푸시", "friendship_city", "1987-03-02")}


def test_an_article_page_keeps_only_its_main_text():
    """Headlines of other articles in a sidebar are not a list of agreements."""
    article = "".join(f"<p>목포시는 지역화폐 할인 행사를 {n}일 연장한다고 밝혔다.</p>" for n in range(1, 7))
    html = ("<html><head><title>지역화폐 할인 연장 - 목포시</title></head><body>"
            f"<article>{article}</article><aside><h4>관련기사</h4><ul>"
            "<li>목포시, 中 롄윈강시와 자매결연 협정 체결 2020.02.12</li>"
            "<li>신안군, 일본 나오시마정과 우호교류 의향서 2020.02.10</li></ul></aside></body></html>")
    main_text = " ".join(lxml.html.fromstring(f"<div>{article}</div>").itertext())
    document = Document(url="news.html", text=main_text, html=html, title="지역화폐 할인 연장")
    assert find_structured_events(document) == []


def test_profile_table_with_two_fields_per_row():
    body = ("<h4>일본 오이타현 벳푸시</h4><table>"
            "<tr><th>결연일</th><td>1987. 3. 2.</td><th>구분</th><td>자매도시</td></tr>"
            "<tr><th>면적</th><td>125㎢</td><th>인구</th><td>11만명</td></tr></table>")
    assert read(body) == {("청주시", "벳푸시", "JP", "sister_city", "1987-03-02")}


def test_country_and_continent_headings_keep_the_tie_named_above():
    body = ("<h3>자매도시</h3><h4>아시아</h4><h5>일본</h5><ul><li>벳푸시 (1987.3.2)</li></ul>"
            "<h5>중국</h5><ul><li>우한시 (2005.4.12)</li></ul><h4>교류 실적</h4><ul><li>랜싱시 (2019.5.1)</li></ul>")
    assert read(body) == {BEPPU, ("청주시", "우한시", "CN", "sister_city", "2005-04-12")}


def test_country_rows_inside_a_table():
    body = ("<table><tr><th>도시</th><th>구분</th><th>체결일</th></tr>"
            "<tr><td colspan='3'>일본</td></tr><tr><td>벳푸시</td><td>자매결연</td><td>1987.3.2</td></tr>"
            "<tr><td colspan='3'>중국</td></tr><tr><td>우한시</td><td>우호교류</td><td>2005.4.12</td></tr></table>")
    assert read(body) == {BEPPU, ("청주시", "우한시", "CN", "friendship_city", "2005-04-12")}


def test_a_cell_with_several_dated_partners():
    text = ("충청남도 시군별 자매결연 현황\n시군\t자매도시(체결일)\n"
            "천안시\t미국 버뱅크시(1961.4.5), 일본 벳푸시(1987.3.2)\n아산시\t헝가리 미슈콜츠시(2011.11.14)\n")
    events = find_structured_events(Document(url="t.tsv", text=text, format="tsv"))
    assert {(e.korean_party, e.partner, e.partner_country, e.agreement_type, e.date) for e in events} == {
        ("천안시", "버뱅크시", "US", "sister_city", "1961-04-05"),
        ("천안시", "벳푸시", "JP", "sister_city", "1987-03-02"),
        ("아산시", "미슈콜츠시", "HU", "sister_city", "2011-11-14")}


def test_comma_separated_preview_in_pre():
    body = ("<pre>일본측_지자체,한국측_지자체,교류형태,체결일\n마쓰에시,경상남도 진주시,우호도시,1999-11-10\n"
            "오다시,대전광역시,자매도시,1987-11-04\n</pre>")
    assert read(body) == {("진주시", "마쓰에시", "JP", "friendship_city", "1999-11-10"),
                          ("대전광역시", "오다시", "JP", "sister_city", "1987-11-04")}


def test_party_from_the_raw_page_title():
    html = ("<html><head><title>자매·우호도시 현황 - 부산광역시</title></head><body><h4>자매도시</h4>"
            "<ul><li>일본 시모노세키시 (1976.10.11)</li><li>러시아 블라디보스토크시 (1992.6.30)</li></ul></body></html>")
    text = lxml.html.fromstring(html).text_content()
    events = find_structured_events(Document(url="p.html", text=text, html=html, title="자매·우호도시 현황"))
    assert {(e.korean_party, e.partner) for e in events} == {("부산광역시", "시모노세키시"),
                                                             ("부산광역시", "블라디보스토크시")}


def test_a_list_of_sister_cities_inside_a_news_article_is_background():
    text = ("아산시, 미국 타일러시와 청소년 교류 재개\n아산시는 미국 타일러시 청소년 대표단이 아산을 찾았다고 밝혔다.\n"
            "대표단은 5일간 시청과 학교를 방문했다.\n시장은 환영사에서 교류 확대를 약속했다.\n"
            "□ 아산시 자매·우호도시 현황\n  - 자매도시 : 헝가리 미슈콜츠시(2011.11.14), 중국 동관시(2012.9.24)\n"
            "  - 우호도시 : 미국 타일러시(2007.4.26)\n")
    assert find_structured_events(Document(url="n.txt", text=text, format="txt")) == []
