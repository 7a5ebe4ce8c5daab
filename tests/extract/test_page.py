"""Page reading: main text without furniture, title, the page's own date, every input format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from twinwatch.pages.records import FetchResult
from extract.page.reader import MAX_PAGE_BYTES, page_format, read_page
from tests.support.paths import REPO
from twinwatch.errors import ExtractionRejected

PAGES = REPO / "tests" / "extract" / "data" / "pages"


def read(name: str, **options: str) -> "object":
    path = PAGES / name
    return read_page(FetchResult(url=str(path), body=path.read_bytes()), **options)


# Lines of sidebars, menus and footers in tests/extract/data/pages that must never reach the text.
FURNITURE = ["많이 본 뉴스", "HOT ISSUE", "이 시각 주요뉴스", "관련기사", "이전글", "다음글", "최신기사",
             "평창군", "속초시", "남양주시", "파주시", "양평군", "포천시", "니치난시", "영덕군", "포항시",
             "익산시", "뉴스홈", "이용약관", "Copyright", "무단", "목록", "만족하십니까", "조회수",
             "작성자", "첨부파일", "기획실", "본문 바로가기", "등록번호", "빈롱성", "청도시", "영주시", "구미시",
             "@", "광고문의", "송고"]


@pytest.mark.parametrize("name, title, published, source, must_have", [
    ("portal_news.html", "가평군, 캐나다 넬슨시와 우호도시 협약 체결", "2023-10-12", "byline",
     ["지난 10일 군청 상황실에서 우호도시 협약서에 서명했다고 12일 밝혔다.",
      "재니스 모리슨 넬슨시장이 협약서를 들어 보이고 있다."]),
    ("egov_board.html", "고흥군, 중국 해남현과 우호교류 의향서 교환", "2019-05-21", "board",
     ["고흥군은 지난 20일 중국 하이난성 해남현 인민정부 대표단과",
      "양측은 앞으로 공무원 상호 파견과 청소년 문화 교류를 추진하기로 했다."]),
    ("br_text.html", "[지역] 청송군, 베트남 타인호아성과 계절근로자 MOU", "2019-10-14", "byline",
     ["윤경희 청송군수는 지난 11일 타인호아성 인민위원회 청사에서", "군 관계자는 사과 수확철"]),
    ("mobile_news.html", "영천시, 中 장쑤성 양중시와 우호도시 협약", "2021-06-04", "meta",
     ["경북 영천시는 3일 중국 장쑤성 양중시와 화상회의를 열고 우호도시 협약을 체결했다고 4일 밝혔다.",
      "시는 앞으로 자동차 부품과 농업 분야 교류를 넓힐 계획이다.", "| 우호도시 | 양중시 | 2021.6.3 |"]),
    ("amp_news.html", "완주군-중국 쑤저우시 우칭구 교류의향서 체결", "2024-04-17", "meta",
     ["16일 완주군청에서 교류의향서에 서명한 뒤 기념촬영을 하고 있다.",
      "전북 완주군이 중국 장쑤성 쑤저우시 우칭구와 교류의향서를 체결했다."]),
])
def test_layouts(name: str, title: str, published: str, source: str, must_have: list[str]) -> None:
    document = read(name)
    assert document.title == title
    assert (document.published, document.published_source) == (published, source)
    for sentence in must_have:
        assert sentence in document.text
    for furniture in FURNITURE:
        assert furniture not in document.text, furniture
    assert document.html and "<html" in document.html.lower()


def test_br_lines_stay_lines() -> None:
    lines = read("br_text.html").text.splitlines()
    assert lines[0] == "경북 청송군이 베트남 타인호아성과 외국인 계절근로자 도입을 위한 업무협약을 맺었다."
    assert len(lines) == 4


def test_sidebar_dates_do_not_win() -> None:
    # the '많이 본 뉴스' box comes first and carries '등록 2023-09-02'; the byline says 2023.10.12
    assert read("portal_news.html").published == "2023-10-12"


def test_euc_kr_board_decoded() -> None:
    document = read("egov_board.html")
    assert (document.charset, document.format) == ("cp949", "html")


def test_published_option_wins() -> None:
    document = read("portal_news.html", published="2023-10-20")
    assert (document.published, document.published_source) == ("2023-10-20", "option")


def test_page_without_article_has_no_text() -> None:
    assert read("no_article.html").text == ""


def test_too_large_page_is_rejected() -> None:
    paragraph = "<p>" + "가평군과 넬슨시가 교류한다. " * 40 + "</p>\n"
    body = ("<html><body>" + paragraph * (20 * 1024 * 1024 // len(paragraph.encode()) + 1)
            + "</body></html>").encode()
    assert len(body) > 20 * 1024 * 1024 > MAX_PAGE_BYTES
    with pytest.raises(ExtractionRejected) as caught:
        read_page(FetchResult(url="big.html", body=body))
    assert caught.value.reason == "too_large"


def test_text_file_as_is(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_bytes("등록 2022-03-04\n충주시와 부안군은 2017년 9월 26일 자매결연 협약서에 서명했다.\n".encode("euc-kr"))
    document = read_page(FetchResult(url=str(path), body=path.read_bytes()))
    assert document.format == "txt"
    assert "충주시와 부안군은 2017년 9월 26일 자매결연 협약서에 서명했다." in document.text
    assert document.published == "2022-03-04"


@pytest.mark.parametrize("name, separator", [("list.tsv", "\t"), ("list.csv", ",")])
def test_table_files_keep_rows(tmp_path: Path, name: str, separator: str) -> None:
    rows = [["상대도시", "국가", "한국측", "유형", "체결일"], ["마쓰에시", "일본", "진주시", "우호도시", "1999-11-10"]]
    path = tmp_path / name
    path.write_text("\ufeff" + "\r\n".join(separator.join(row) for row in rows) + "\r\n", encoding="utf-8")
    document = read_page(FetchResult(url=str(path), body=path.read_bytes()))
    assert document.format == name.rsplit(".", 1)[1]
    assert document.text.splitlines() == [separator.join(row) for row in rows]


def test_xlsx_sheets_as_tab_rows(tmp_path: Path) -> None:
    from datetime import datetime

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "자매도시"
    sheet.append(["상대도시", "한국측", "체결일"])
    sheet.append(["오다시", "대전광역시", datetime(1987, 11, 4)])
    second = workbook.create_sheet("우호도시")
    second.append(["야스기시", "밀양시", "1990-10-18", None])
    path = tmp_path / "ties.xlsx"
    workbook.save(path)
    document = read_page(FetchResult(url=str(path), body=path.read_bytes()))
    assert document.format == "xlsx"
    assert document.text.splitlines() == ["자매도시", "상대도시\t한국측\t체결일",
                                          "오다시\t대전광역시\t1987-11-04",
                                          "우호도시", "야스기시\t밀양시\t1990-10-18"]


def test_broken_xlsx_is_rejected() -> None:
    with pytest.raises(ExtractionRejected) as caught:
        read_page(FetchResult(url="ties.xlsx", body=b"PK\x03\x04 not really a zip"))
    assert caught.value.reason == "unreadable_xlsx"


@pytest.mark.parametrize("url, headers, body, expected", [
    ("https://x.example.kr/view.do?id=3", {"content-type": "text/html; charset=utf-8"}, b"<p>x</p>", "html"),
    ("https://x.example.kr/data", {"content-type": "text/csv"}, b"a,b", "csv"),
    ("page", {}, b"<html><body>x</body></html>", "html"),
    ("note", {}, "그냥 글".encode(), "txt"),
    ("A.HTM", {}, b"x", "html"),
])
def test_page_format(url: str, headers: dict, body: bytes, expected: str) -> None:
    assert page_format(FetchResult(url=url, body=body, headers=headers)) == expected


def test_dev_corpus_pages(shared_dir: Path) -> None:
    """Every dev page: its gold evidence is in the text, its title and date are found."""
    problems = []
    for page_path in sorted((shared_dir / "corpus" / "dev").glob("*.html")):
        gold = json.loads(page_path.with_suffix(".json").read_text(encoding="utf-8"))
        document = read_page(FetchResult(url=str(page_path), body=page_path.read_bytes()))
        flat = " ".join(document.text.split())
        for event in gold["events"]:
            if " ".join(event["evidence"].split()) not in flat:
                problems.append((page_path.name, "evidence", event["evidence"][:30]))
        if (document.title, document.published) != (gold["title"], gold["published"]):
            problems.append((page_path.name, document.title, document.published))
    assert problems == []


BLOG = """<html><head><meta charset="utf-8"><title>우리 동네 소식</title></head><body>
<div id="category"><h4>카테고리</h4><ul><li>전체보기 (412)</li><li>동네 소식 (133)</li></ul></div>
<div class="post"><h3>이천시 자매도시 소식</h3><span class="se_publishDate">2022. 11. 2. 21:14</span>
<div class="post-body"><p>이천시가 지난달 28일 미국 산타페시와 자매결연 협정을 맺었다고 해요.</p>
<p>내년 봄 도자기축제 때는 산타페 작가들이 온다고 합니다.</p></div></div>
<div id="other_posts"><h4>이 블로그의 다른 글</h4><ul><li>설봉공원 단풍 명소 <span class="date">2022. 10. 30.</span></li></ul></div>
</body></html>"""


def test_dated_element_and_other_posts() -> None:
    document = read_page(FetchResult(url="blog.html", body=BLOG.encode()))
    assert (document.published, document.published_source) == ("2022-11-02", "byline")
    assert "산타페시와 자매결연 협정을 맺었다고 해요." in document.text
    assert "설봉공원" not in document.text and "전체보기" not in document.text


def test_listed_date_when_page_has_none() -> None:
    body = "<html><body><p>이천시가 산타페시와 자매결연 협정을 맺었다.</p></body></html>".encode()
    document = read_page(FetchResult(url="x.html", body=body, listed_published="2022-11-03T09:00:00+09:00",
                                     listed_title="이천시, 산타페시와 자매결연"))
    assert (document.published, document.published_source) == ("2022-11-03", "listed")
    assert document.title == "이천시, 산타페시와 자매결연"


@pytest.mark.parametrize("content, title", [
    ("[보도자료] 안성시, 심켄트시와 자매결연 체결\n안성시는 12일 협정을 맺었다.\n", "[보도자료] 안성시, 심켄트시와 자매결연 체결"),
    ("안성시는 12일 협정을 맺었다.\n두 도시는 교류한다.\n", None),
    ("한 줄뿐인 글\n", None),
])
def test_text_file_title(tmp_path: Path, content: str, title: str | None) -> None:
    path = tmp_path / "release.txt"
    path.write_text(content, encoding="utf-8")
    document = read_page(FetchResult(url=str(path), body=path.read_bytes()))
    assert document.title == title
    assert document.text == content.strip()


def test_short_caption_page_beats_unlinked_headline_list() -> None:
    document = read("photo_short.html")
    assert document.text == "조인묵 양구군수가 10일 스보보드니 시장과 교류의향서에 서명하고 있다."


def test_fallback_reader_when_trafilatura_finds_nothing() -> None:
    body = ("<html><head><meta charset='utf-8'></head><body><textarea>경기 안산시는 중국 훈춘시와 "
            "교류의향서를 교환했다고 11일 밝혔다.</textarea></body></html>").encode()
    document = read_page(FetchResult(url="odd.html", body=body))
    assert document.text == "경기 안산시는 중국 훈춘시와 교류의향서를 교환했다고 11일 밝혔다."


def test_definition_list_board() -> None:
    body = ("<html><head><meta charset='utf-8'></head><body><dl class='view'><dt>제목</dt><dd>협약 체결</dd>"
            "<dt>작성일</dt><dd>2021-03-02</dd><dt>내용</dt><dd><p>영천시는 양중시와 우호도시 협약을 "
            "체결했다고 2일 밝혔다.</p></dd></dl></body></html>").encode()
    document = read_page(FetchResult(url="dl.html", body=body))
    assert (document.published, document.published_source) == ("2021-03-02", "board")
    assert document.text == "영천시는 양중시와 우호도시 협약을 체결했다고 2일 밝혔다."


def test_block_text_breaks_blocks_and_keeps_comment_neighbours() -> None:
    from extract.page.html_text import block_text, parse_html

    root = parse_html("<html><body><div>안산<!-- 광고 -->시는<br>훈춘시와<p>협약</p>"
                      "<table><tr><td>가</td><td>나</td></tr></table></div></body></html>")
    lines = [line for line in block_text(root.find("body")).split("\n") if line]
    assert lines == ["안산시는", "훈춘시와", "협약", "가\t나\t"]


def test_deeply_nested_page_is_no_crash() -> None:
    body = ("<html><body>" + "<div>" * 3000 + "<p>안산시는 훈춘시와 교류의향서를 교환했다.</p>"
            + "</div>" * 3000 + "</body></html>").encode()
    document = read_page(FetchResult(url="deep.html", body=body))
    assert isinstance(document.text, str)


@pytest.mark.parametrize("head, body, title", [
    ('<meta property="og:title" content="고흥군청"><title>고흥군청</title>',
     "<h2>고흥군, 해남현과 의향서 교환</h2>", "고흥군, 해남현과 의향서 교환"),
    ("<title>부산광역시</title>", "<h1>부산시, 알마티시와 우호협력도시 체결</h1>", "부산시, 알마티시와 우호협력도시 체결"),
    ("<title>기사 제목 하나 - 경북매일신문</title>", "", "기사 제목 하나"),
    ("<title>안산시, 훈춘시와 의향서 :: 안산인터넷뉴스</title>", "", "안산시, 훈춘시와 의향서"),
    ("<title>서울-파리 우호협력 협정 체결</title>", "", "서울-파리 우호협력 협정 체결"),
    ("<title>고흥군청</title>", "", "고흥군청"),
])
def test_titles(head: str, body: str, title: str) -> None:
    page = f"<html><head><meta charset='utf-8'>{head}</head><body>{body}<p>본문입니다.</p></body></html>"
    assert read_page(FetchResult(url="t.html", body=page.encode())).title == title


@pytest.mark.parametrize("byline, expected", [
    ("<span>2021-06-04 10:20 송고</span>", "2021-06-04"),
    ("<span>기사입력 2014.11.21 오전 10:00</span>", "2014-11-21"),
    ("<div>승인 2019.10.14 19:23</div>", "2019-10-14"),
    ("<div>최종수정 2019.10.15 09:00 | 등록 2019.10.14 19:23</div>", "2019-10-14"),
    ("<p>작성일 : 2022-09-15</p>", "2022-09-15"),
])
def test_byline_forms(byline: str, expected: str) -> None:
    page = (f"<html><head><meta charset='utf-8'><title>제목</title></head><body>{byline}"
            "<p>영천시는 양중시와 우호도시 협약을 체결했다고 밝혔다.</p></body></html>")
    document = read_page(FetchResult(url="b.html", body=page.encode()))
    assert (document.published, document.published_source) == (expected, "byline")


def test_list_page_in_a_right_column_keeps_its_rows() -> None:
    document = read("list_page.html")
    for row in ("중국 장쑤성 양중시 (우호도시, 2021.6.3)", "베트남 빈롱성 빈롱시 (자매결연, 2015.10.21)",
                "일본 구마모토현 우키시 (자매결연, 2007.4.12)"):
        assert row in document.text
    assert "시정소개" not in document.text and "교류사진" not in document.text
    assert document.published == "2023-03-02"
