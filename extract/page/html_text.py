"""The article's own text from an HTML page: boilerplate pruned, trafilatura first, a fallback.

Order of work (each step one function):
1. `parse_html` — decoded text → lxml tree (never bytes: the charset is settled upstream).
2. `prune_boilerplate` — drop menus, sidebars ('많이 본 뉴스', 'HOT ISSUE', '이 시각 주요뉴스'),
   related headlines, 이전글/다음글, share bars and footers, by tag, by class/id token and by
   the heading a box carries; photo captions become paragraphs so they are kept.
3. `main_text` — trafilatura (precision-leaning, tables kept) over the pruned page, or our own
   densest-block reader when trafilatura returns nothing or clearly less than the page holds.
4. `clean_lines` — line-level residue (copyright, share bars, e-mail bylines).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from lxml import etree, html as lxml_html

BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul",
              "ol", "dd", "dt", "dl", "section", "article", "figcaption", "blockquote", "pre",
              "main", "header", "figure", "caption", "address"}
ALWAYS_DROP_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "form", "button",
                    "select", "nav", "footer", "aside", "object", "embed")
# Class and id tokens (split on -, _ and spaces) of boxes that never hold the article.
BOILERPLATE_TOKENS = {
    "gnb", "lnb", "snb", "nav", "navi", "navigation", "menu", "breadcrumb", "breadcrumbs",
    "location", "sidebar", "side", "aside", "footer", "copyright", "related", "relation",
    "popular", "ranking", "rank", "hot", "most", "sns", "share", "social", "banner", "ad", "ads",
    "advert", "advertisement", "comment", "comments", "reply", "prev", "next", "prevnext",
    "pagination", "paging", "tags", "keyword", "keywords", "skip", "util", "quick", "btn",
    "attach", "satisfaction", "survey", "cat", "category", "kicker", "wing", "tag", "subscribe",
    "newsletter", "recommend", "ticker", "toolbar", "sitemap", "familysite", "gotop", "topbtn",
}
# Not 'right', 'left' or 'bottom': municipal sites name their main column so (#contents_right).
BOILERPLATE_CLASSES = {"page-info", "view-info", "pageinfo", "top-banner",
                       "other-news", "news-list", "list-news", "more-news"}
CAPTION_TOKENS = {"caption", "figcaption", "photo", "phototext", "imgtxt", "imgdesc", "cap",
                  "desc", "photodesc", "photocaption", "img"}
BOILERPLATE_HEADING = re.compile(
    r"(?<![가-힣])(많이\s*본\s*(뉴스|기사)|가장\s*많이\s*본|hot\s*issue|핫\s*이슈|이\s*시각\s*주요\s*뉴스|주요\s*뉴스"
    r"|인기\s*(기사|뉴스)|최신\s*(기사|뉴스)|관련\s*(기사|뉴스)|추천\s*(기사|뉴스)|포토\s*뉴스|랭킹\s*뉴스"
    r"|실시간\s*(인기|뉴스)|헤드라인|많이\s*읽은|기자의\s*다른\s*기사|다른\s*기사|오늘의\s*(뉴스|이슈)"
    r"|주요\s*기사|섹션\s*주요|이슈\s*(포토|뉴스)|함께\s*보면|이\s*기사와\s*함께|당신이\s*좋아할"
    r"|다른\s*(보도\s*자료|소식|글|뉴스)|최근\s*(기사|보도\s*자료|소식)|(최신|인기)\s*보도\s*자료"
    r"|(포토|기사|뉴스|영상)\s*더\s*보기|지역\s*소식|블로그의\s*다른)",
    re.I)
NEIGHBOUR_LINK = re.compile(r"^\s*[\[【<(]?\s*(이전\s*글|다음\s*글|윗\s*글|아랫\s*글|이전\s*기사|다음\s*기사)")
# Residue lines: words anywhere (searched), or a line's opening (matched). Kept apart, the
# search skips ahead to the first letter of a word instead of trying every form at each place.
RESIDUE_ANYWHERE = re.compile(
    r"저작권자|저작권법의\s*보호|무단\s*전재|재배포\s*금지|all\s+rights\s+reserved|기자\s+[\w.+-]+@[\w-]+\.[\w.]+\s*$",
    re.I)
RESIDUE_START = re.compile(
    r"\s*(ⓒ|©|copyright)\b|\s*공유하기|\s*(목록|인쇄|스크랩|글자\s*크기)\s*$|[\w.+-]+@[\w-]+\.[\w.]+$"
    r"|\s*<?\s*저작권|\s*\[?\s*(이전\s*글|다음\s*글)\b",
    re.I)
# Field rows of an eGov board view: their values are metadata, not article text.
BOARD_FIELD_LABELS = {"제목", "글제목", "작성자", "작성일", "작성일자", "등록일", "등록일자", "게시일", "조회수", "조회",
                      "첨부파일", "첨부", "담당부서", "부서", "담당자", "전화번호", "연락처", "부서명", "등록자",
                      "배포일", "보도일", "분류", "출처", "파일", "공공누리", "최종수정일", "수정일", "파일형식",
                      "제공기관", "관리기관", "수정일자", "갱신주기", "키워드", "라이선스", "이용허락범위",
                      "배포일시", "보도일시", "배포일자", "작성일시", "등록일시", "게시일시", "보도시점", "엠바고"}
BOARD_CONTENT_LABELS = {"내용", "본문", "상세내용", "글내용"}
# A line that is only a byline: reporter, labelled dates and times.
BYLINE_LINE = re.compile(
    r"^(?:[가-힣]{2,4}\s*(?:기자|특파원|통신원)\s*)?(?:[|·]?\s*(?:최초\s*)?(?:등록|입력|승인|수정|작성일|기사\s*입력"
    r"|게재|발행|업데이트|송고)\s*[:：]?\s*\d{2,4}\s*[.\-/년]\s*\d{1,2}\s*[.\-/월]\s*\d{1,2}[.일]?"
    r"(?:\s*\([월화수목금토일]\))?\s*(?:오전|오후)?\s*(?:\d{1,2}:\d{2}(?::\d{2})?)?\s*)+$")
# Blanks in a line: a run holding a tab becomes one tab, any other run one space (two
# substitutions without a Python call per run, which a callback made a fifth of clean_lines).
BLANKS_WITH_TAB = re.compile(r"[ \r\f\v]*\t[ \t\r\f\v]*")
BLANKS = re.compile(r"[ \r\f\v]+")
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
# Hangul is counted by runs: a list of single syllables made a string object per syllable.
HANGUL_RUN = re.compile(r"[\uac00-\ud7a3]+")
NAME_PARTS = re.compile(r"[-_]")
NAMED_ELEMENTS = etree.XPath("descendant-or-self::*[@class or @id]")


def parse_html(text: str) -> lxml_html.HtmlElement | None:
    """An lxml tree of the page, or None when nothing parses."""
    source = XML_DECLARATION.sub("", text, count=1)
    if not source.strip():
        return None
    try:
        root = lxml_html.document_fromstring(source)
    except (etree.ParserError, ValueError):
        return None
    # comments hold no visible text; removing them keeps the text around them together
    etree.strip_tags(root, etree.Comment, etree.ProcessingInstruction)
    return root


def _tokens(element: lxml_html.HtmlElement) -> tuple[set[str], set[str]]:
    """(whole class/id names, their -/_ separated tokens), lower-cased."""
    names = set(f"{element.get('class', '')} {element.get('id', '')}".lower().split())
    if not names:  # most elements carry neither
        return names, set()
    tokens = {part for name in names for part in NAME_PARTS.split(name) if part}
    return names, tokens


def _text_length(element: lxml_html.HtmlElement) -> int:
    return hangul_count(element.text_content())


def hangul_count(text: str) -> int:
    """How many Hangul syllables `text` holds."""
    return sum(map(len, HANGUL_RUN.findall(text)))


def _is_link_list(element: lxml_html.HtmlElement) -> bool:
    """Most of the box's Hangul sits in list items or links: headlines or menus, not prose."""
    total = _text_length(element)
    if total == 0:
        return True
    listed = 0
    for item in element.iter("li", "a"):
        nested = False
        for ancestor in item.iterancestors():
            if ancestor is element:
                break
            if ancestor.tag in ("li", "a"):
                nested = True  # counted with the outer item already
                break
        if not nested:
            listed += _text_length(item)
    return listed >= 0.6 * total


def _holds_article(element: lxml_html.HtmlElement, page_length: int) -> bool:
    """A box holding an <article>, or most of the page's Hangul as prose, is never pruned.

    A page with no article is all furniture: there the biggest box is a list of headlines,
    and it goes like any other.
    """
    if element.tag in ("body", "html", "article", "main"):
        return True
    if element.find(".//article") is not None or element.find(".//main") is not None:
        return True
    return page_length > 0 and _text_length(element) > 0.5 * page_length \
        and not _is_link_list(element)


def _drop(element: lxml_html.HtmlElement) -> None:
    """Remove an element but keep its tail text in place (it belongs to the parent)."""
    parent = element.getparent()
    if parent is not None:
        element.drop_tree()


def _is_site_header(element: lxml_html.HtmlElement) -> bool:
    """A <header> of the site (logo, menu), not an article's header with headline and byline."""
    if element.tag != "header":
        return False
    inside_article = any(a.tag in ("article", "main") for a in element.iterancestors())
    return not inside_article or element.find(".//ul") is not None


def _mark_captions(root: lxml_html.HtmlElement) -> None:
    """Photo captions carry agreements too ('▲ … 협약서에 서명하고 있다'); keep them as paragraphs.

    Trafilatura drops <figure> and caption boxes when favouring precision, so each caption
    becomes a plain paragraph standing where its figure stood.
    """
    for element in list(root.iter("figcaption", "span", "div", "td", "em", "dd", "p")):
        names, tokens = _tokens(element)
        is_caption = element.tag == "figcaption" or (
            tokens & CAPTION_TOKENS and element.find(".//p") is None
            and element.find(".//div") is None and _text_length(element) >= 10)
        if not is_caption:
            continue
        paragraph = lxml_html.Element("p")
        paragraph.text = re.sub(r"\s+", " ", element.text_content()).strip()
        paragraph.tail = element.tail
        figure = next((a for a in element.iterancestors("figure")), None)
        holder = element if figure is None else figure
        if holder.getparent() is not None:
            if figure is not None:
                paragraph.tail = figure.tail
            holder.getparent().replace(holder, paragraph)


def _unwrap_layout_tables(root: lxml_html.HtmlElement) -> None:
    """Tables used for layout (cells holding paragraphs or long text) become plain blocks.

    Trafilatura would print such a cell as one '| … |' table row, merging the article's lines.
    """
    for table in list(root.iter("table")):
        cells = list(table.iter("td", "th"))
        if not any(cell.find(".//p") is not None or cell.find(".//br") is not None
                   or cell.find(".//div") is not None or cell.find(".//table") is not None
                   or _text_length(cell) > 120 for cell in cells):
            continue
        for element in [table, *table.iter("tbody", "thead", "tfoot", "tr", "td", "th", "caption")]:
            element.tag = "div"


def _prune_by_heading(root: lxml_html.HtmlElement, page_length: int) -> None:
    """A box titled '많이 본 뉴스' (or the like) goes, heading and all."""
    for heading in list(root.iter("h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "span",
                                  "div", "p", "dt", "caption", "em", "a")):
        own = (heading.text or "").strip()
        if not own and len(heading) <= 2:  # '<h3><span>많이 본 뉴스</span></h3>'; never a whole box
            own = heading.text_content().strip()
        if not own or len(own) > 30 or not BOILERPLATE_HEADING.search(own):
            continue
        box = heading.getparent()
        if box is None:
            continue
        if not _holds_article(box, page_length):
            _drop(box)
            continue
        following = heading.getnext()
        if following is not None and following.tag in ("ul", "ol", "dl", "div", "table") \
                and (_text_length(following) < 0.3 * page_length or _is_link_list(following)):
            _drop(following)
        _drop(heading)


def prune_boilerplate(root: lxml_html.HtmlElement) -> None:
    """Remove page furniture in place; the article's text stays where it was."""
    body = root.find("body")
    page_length = _text_length(body if body is not None else root)
    for element in list(root.iter(*ALWAYS_DROP_TAGS)):
        if not _holds_article(element, page_length):
            _drop(element)
    for element in list(root.iter("header")):
        if _is_site_header(element) and not _holds_article(element, page_length):
            _drop(element)
    for element in NAMED_ELEMENTS(root):  # only a class or an id can name furniture
        if element.getparent() is None or not isinstance(element.tag, str):
            continue
        names, tokens = _tokens(element)
        if (names & BOILERPLATE_CLASSES or tokens & BOILERPLATE_TOKENS) \
                and not _holds_article(element, page_length):
            _drop(element)
    _prune_by_heading(root, page_length)
    _prune_board_fields(root)
    _unwrap_layout_tables(root)
    for element in list(root.iter("li", "tr", "p", "dl", "div")):
        if element.getparent() is not None and NEIGHBOUR_LINK.match(element.text_content() or "") \
                and len(element.text_content()) < 200:
            _drop(element)
    _mark_captions(root)


def _label(element: lxml_html.HtmlElement) -> str:
    return re.sub(r"\s+", "", element.text_content())


def _prune_board_fields(root: lxml_html.HtmlElement) -> None:
    """Board view rows of 제목/작성일/조회수 … go; a 내용 row keeps only its value."""
    for row in list(root.iter("tr")):
        # the row's own header cells: a layout row around a whole board holds its th's too
        labels = [_label(cell) for cell in row if cell.tag == "th"]
        if labels and all(label in BOARD_FIELD_LABELS for label in labels):
            _drop(row)
        elif labels and labels[0] in BOARD_CONTENT_LABELS:
            for cell in [cell for cell in row if cell.tag == "th"]:
                _drop(cell)
    for term in list(root.iter("dt")):
        if _label(term) in BOARD_CONTENT_LABELS:
            _drop(term)
        elif _label(term) in BOARD_FIELD_LABELS:
            value = term.getnext()
            if value is not None and value.tag == "dd":
                _drop(value)
            _drop(term)
    for caption in list(root.iter("caption")):
        if len(caption.text_content()) < 40:
            _drop(caption)


def block_text(element: lxml_html.HtmlElement) -> str:
    """Visible text with a line break at every block boundary and <br>, cells tab-separated.

    Iterative, so a pathologically deep page cannot exhaust the recursion limit.
    """
    parts: list[str] = []
    for event, node in etree.iterwalk(element, events=("start", "end")):
        if event == "start":
            parts.append("\n" if node.tag in BLOCK_TAGS else "")
            parts.append(node.text or "")
            continue
        if node.tag in ("td", "th"):
            parts.append("\t")
        if node.tag in BLOCK_TAGS:
            parts.append("\n")
        if node is not element:
            parts.append(node.tail or "")
    return "".join(parts)


def _densest_block(root: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """The element whose text blocks hold the most Hangul (credited to parent and grandparent).

    A list item counts whole, links included: on a list page the rows are the content (the
    headline boxes of news pages are pruned before this runs).
    """
    scores: dict[lxml_html.HtmlElement, float] = {}
    for node in root.iter("p", "div", "td", "li", "pre", "section", "article", "dd", "span", "body",
                          "font", "center", "textarea", "blockquote"):
        if node.tag in ("li", "dd"):
            length = _text_length(node)
            if length < 4:
                continue
        else:
            own = (node.text or "") + "".join(child.tail or "" for child in node)
            length = hangul_count(own)
            if length < 15:
                continue
        scores[node] = scores.get(node, 0) + length
        parent = node.getparent()
        if parent is not None:
            scores[parent] = scores.get(parent, 0) + length
            grandparent = parent.getparent()
            if grandparent is not None:
                scores[grandparent] = scores.get(grandparent, 0) + length / 2
    return max(scores, key=scores.get) if scores else None


def _trafilatura_text(pruned: lxml_html.HtmlElement, *, fast: bool) -> str:
    """trafilatura over the pruned tree itself: it works on a copy, and serialising the tree
    for it only to be parsed again cost a tenth of its time (benchmarks/extract_speed.py)."""
    import trafilatura  # imported on first use: commands that read no page never load it

    try:
        extracted = trafilatura.extract(pruned, options=_trafilatura_options(fast))
    except Exception:  # trafilatura raises bare ValueError/TypeError on odd trees; fall back
        return ""
    return extracted or ""


@lru_cache(maxsize=2)
def _trafilatura_options(fast: bool) -> Any:
    """What trafilatura is asked (precision-leaning, tables kept, plain text), made once per
    pass kind: built per call from keywords, its settings were read out of the ConfigParser
    again each time, an eighth of trafilatura's time (benchmarks/extract_speed.py). trafilatura
    shares an Extractor between calls as it is (it copies one before changing it)."""
    from trafilatura.settings import Extractor

    return Extractor(output_format="txt", fast=fast, precision=True, comments=False, tables=True,
                     dedup=False, with_metadata=False)


def main_text(root: lxml_html.HtmlElement) -> str:
    """The article text of a (pruned) page; '' when the page holds no article.

    trafilatura's fast pass first; its slow pass (readability and jusText compared) only when
    the fast text looks short beside the page's densest block — the comparison was half of
    trafilatura's time, and on most pages it changes nothing (benchmarks/extract_speed.py).
    """
    block = _densest_block(root)
    fallback = clean_lines(block_text(block)) if block is not None else ""
    fallback_length = hangul_count(fallback)
    primary = clean_lines(_trafilatura_text(root, fast=True))
    if _short_beside(hangul_count(primary), fallback_length):
        primary = clean_lines(_trafilatura_text(root, fast=False))
    primary_length = hangul_count(primary)
    if primary_length < 10:
        return fallback  # trafilatura found nothing: a bare page, odd markup
    # Where trafilatura kept only part of an article, the densest block holds what it kept
    # and more; a denser block elsewhere (a list of headlines) never replaces its choice.
    if _short_beside(primary_length, fallback_length) and _covers(fallback, primary):
        return fallback
    return primary


def _short_beside(primary_length: int, fallback_length: int) -> bool:
    """Text of `primary_length` Hangul looks cut short beside a densest block of `fallback_length`."""
    return primary_length < 10 or fallback_length > 1.5 * primary_length + 40


def _covers(outer: str, inner: str) -> bool:
    """Most of `inner`'s lines occur in `outer`."""
    lines = [line for line in inner.splitlines() if len(line) >= 10]
    if not lines:
        return False
    found = sum(1 for line in lines if line in outer)
    return found >= 0.8 * len(lines)


def clean_lines(text: str) -> str:
    """NFC, single spaces, no empty lines, no copyright or share-bar residue.

    Lists of dated lines are kept on purpose: on a list page they are the relationships.
    """
    text = unicodedata.normalize("NFC", text).replace("\xa0", " ").replace("\u200b", "")
    lines = []
    for raw in text.splitlines():
        if "\t" in raw:  # a run of blanks holding a tab is one tab: cells stay apart
            raw = BLANKS_WITH_TAB.sub("\t", raw)
        line = (BLANKS.sub(" ", raw) if "  " in raw else raw).strip()  # no \r\f\v within a line
        if not line or RESIDUE_ANYWHERE.search(line) or RESIDUE_START.match(line) or BYLINE_LINE.match(line):
            continue
        lines.append(line)
    return "\n".join(lines)
