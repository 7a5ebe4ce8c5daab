"""Fetched page → `Document`: format, decoded text, main text, title and the page's own date.

`read_page` is the one entry point (crawler pages, local files and URLs alike). A page that
cannot be read raises `ExtractionRejected(reason)`; a readable page with no article comes back
as a Document with empty text, which yields no events.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from lxml import etree, html as lxml_html

from twinwatch.pages.records import FetchResult
from twinwatch.pages.archives import ArchiveLimits, check_archive, is_zip
from twinwatch.pages.dates import parse_publication_date
from twinwatch.pages.decode import decode_bytes
from extract.page.html_text import block_text, main_text, parse_html, prune_boilerplate
from extract.records import Document
from twinwatch.errors import ExtractionRejected

# No article page comes near this; a larger body is a dump or an attack on memory.
MAX_PAGE_BYTES = 10 * 1024 * 1024
# Lists of agreements run to a few thousand rows; a sheet past this is a dump or a bomb
# (openpyxl streams about 25,000 rows a second, so the cap also bounds the time).
MAX_SHEET_ROWS = 50_000
# openpyxl scans a whole sheet at load when it declares no dimension (about 1.6 MB/s of XML):
# this bound keeps that scan to seconds; real lists inflate to a few MB.
XLSX_LIMITS = ArchiveLimits(max_entry_bytes=16 * 1024 * 1024, max_total_bytes=48 * 1024 * 1024)
FORMAT_BY_SUFFIX = {".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
                    ".txt": "txt", ".text": "txt", ".csv": "csv", ".tsv": "tsv", ".xlsx": "xlsx"}
FORMAT_BY_TYPE = (("spreadsheetml", "xlsx"), ("text/csv", "csv"), ("tab-separated", "tsv"),
                  ("text/plain", "txt"), ("html", "html"), ("xml", "html"))
PUBLISHED_META = ("article:published_time", "og:article:published_time", "og:published_time",
                  "article:published", "datepublished", "pubdate", "publishdate", "publish-date",
                  "parsely-pub-date", "sailthru.date", "dc.date.issued", "dc.date", "dcterms.created",
                  "dcterms.issued", "date", "article.published", "published_time", "regdate")
# Byline and board labels, strongest first: first-publication labels before approval or edit.
BYLINE_LABELS = (
    ("byline", r"(?:최초\s*)?(?:등록|입력|기사\s*입력|작성일자|작성일|게재일|게시일|발행일|등록일|보도일|배포일시|배포일"
               r"|송고|작성|게시|published|posted)"),
    ("byline", r"승인"),
    ("byline", r"(?:최종\s*)?(?:수정일|수정|업데이트|updated)"),
)
DATE_AFTER_LABEL = (r"\s*(?:일시|일자)?\s*[:：]?\s*"
                    r"(\d{4}\s*[-./년]\s*\d{1,2}\s*[-./월]\s*\d{1,2}|\d{2}\.\d{1,2}\.\d{1,2}(?!\d))")
DATE_TOKENS = {"date", "time", "datetime", "publishdate", "pubdate", "regdate", "writedate", "wdate",
               "published", "publish", "posted", "dateline"}
DATE_BEFORE_LABEL = re.compile(r"(\d{4}\s*[-./]\s*\d{1,2}\s*[-./]\s*\d{1,2}\.?)\s*(?:\d{1,2}:\d{2}(?::\d{2})?)?"
                               r"\s*(?:송고|입력|등록|작성|게재)(?![가-힣])")
BOARD_TITLE_LABELS = ("제목", "글제목", "게시물제목")
BOARD_DATE_LABELS = ("작성일", "등록일", "게시일", "작성일자", "등록일자", "작성일시", "등록일시", "게시일시",
                     "배포일", "배포일시", "배포일자", "보도일", "보도일시", "일자")
SITE_SUFFIX_SEPARATORS = re.compile(r"\s+(?:[-|:<>–—·]|::|ㅣ)\s+")
SITE_WORDS = re.compile(r"(신문|뉴스|일보|방송|타임즈|타임스|닷컴|미디어|저널|매일|통신|경제|시청|군청|구청|도청"
                        r"|홈페이지|포털|\.kr|\.com|news|times|daily|press|media)", re.I)


@dataclass(frozen=True, slots=True)
class PageDate:
    value: str
    source: str  # option | meta | board | byline | listed | htmldate


def page_format(fetched: FetchResult) -> str:
    """html | txt | csv | tsv | xlsx, from the path's suffix, the content type, else the bytes."""
    path = urlsplit(fetched.url).path if "://" in fetched.url else fetched.url
    suffix = ("." + path.rsplit(".", 1)[-1].lower()) if "." in path.rsplit("/", 1)[-1] else ""
    if suffix in FORMAT_BY_SUFFIX:
        return FORMAT_BY_SUFFIX[suffix]
    content_type = (fetched.content_type or "").lower()
    for marker, kind in FORMAT_BY_TYPE:
        if marker in content_type:
            return kind
    if fetched.body.startswith(b"PK\x03\x04"):
        return "xlsx"
    head = fetched.body[:4096].lower()
    return "html" if re.search(rb"<(html|body|p|div|br|meta|title|head)\b", head) else "txt"


def read_page(fetched: FetchResult, *, published: str | None = None) -> Document:
    """The readable document of a fetched page or file; `published` (YYYY-MM-DD) wins if given."""
    if len(fetched.body) > MAX_PAGE_BYTES:
        raise ExtractionRejected("too_large", f"page of {len(fetched.body)} bytes exceeds "
                                              f"{MAX_PAGE_BYTES}")
    kind = page_format(fetched)
    option_date = PageDate(published, "option") if published else None
    common = {"url": fetched.url, "format": kind, "final_url": fetched.final_url}
    if kind == "xlsx":
        text = xlsx_text(fetched.body)
        return Document(text=text, published=published, published_source=option_date and "option",
                        **common)
    decoded = decode_bytes(fetched.body, fetched.content_type)
    if kind != "html":
        text = _table_text(decoded.text)
        page_date = option_date or _byline_date("\n".join(text.splitlines()[:15]))
        title = _headline_line(text) if kind == "txt" else None
        return Document(text=text, title=title, published=page_date and page_date.value,
                        published_source=page_date and page_date.source, charset=decoded.charset,
                        charset_source=decoded.source, **common)
    listed_date = parse_publication_date(fetched.listed_published or "")
    fallback_date = PageDate(listed_date, "listed") if listed_date else None
    document = _read_html(decoded.text, option_date, fallback_date,
                          common | {"charset": decoded.charset, "charset_source": decoded.source})
    if document.title is None and fetched.listed_title:
        return replace(document, title=_one_line(fetched.listed_title))  # the feed's title
    return document


def _read_html(source: str, option_date: PageDate | None, listed_date: PageDate | None,
               common: dict) -> Document:
    """HTML: metadata from the whole page, then furniture pruned, then the main text.

    The page's date: `--published`, meta tags, board fields, a labelled byline, a dated
    element, the date a feed or list gave (`listed`), and htmldate as the last hint.
    """
    root = parse_html(source)
    if root is None:
        known = option_date or listed_date
        return Document(text="", published=known and known.value,
                        published_source=known and known.source, html=source, **common)
    metas = _meta_values(root)
    board = board_fields(root)
    title = page_title(root, metas, board)
    prune_boilerplate(root)
    page_date = option_date or _page_date(metas, board, root, source) \
        or _dated_element(root) or listed_date or _htmldate(source)
    text = _drop_title_line(main_text(root), title)
    return Document(text=text, title=title, published=page_date and page_date.value,
                    published_source=page_date and page_date.source, html=source, **common)


def _headline_line(text: str) -> str | None:
    """A text file's first line when it reads as a headline: short, not a finished sentence."""
    first = text.split("\n", 1)[0].strip()
    if not first or len(first) > 90 or re.search(r"[다요]\.\s*$|\t", first) or "\n" not in text:
        return None
    return first


def _table_text(text: str) -> str:
    """Text, CSV and TSV files as they are: NFC, line ends normalised, blank lines dropped."""
    text = unicodedata.normalize("NFC", text.lstrip("\ufeff"))
    rows = [row.rstrip("\r") for row in text.split("\n")]
    return "\n".join(row for row in rows if row.strip())


def xlsx_text(body: bytes) -> str:
    """Each sheet as a line with its name, then its rows as tab-separated cells.

    The container is checked for bombs first; rows are then streamed (openpyxl read-only)
    and the reading stops with `too_large` past MAX_SHEET_ROWS rows or MAX_PAGE_BYTES of
    text, long before three million rows could fill memory."""
    from openpyxl import load_workbook  # imported here: only spreadsheets pay for it

    if is_zip(body):
        check_archive(body, XLSX_LIMITS, unreadable="unreadable_xlsx")
    try:
        workbook = load_workbook(io.BytesIO(body), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ExtractionRejected("unreadable_xlsx", f"not a readable .xlsx file: {exc}") from exc
    lines: list[str] = []
    try:
        rows_read, text_size = 0, 0
        for sheet in workbook.worksheets:
            lines.append(sheet.title)
            # A sheet's declared dimension (A1:XFD1048576) would pad every row to 16,384 cells.
            sheet.reset_dimensions()
            for row in sheet.iter_rows(values_only=True):
                rows_read += 1
                line = _row_line(row)
                text_size += len(line) + 1
                if rows_read > MAX_SHEET_ROWS or text_size > MAX_PAGE_BYTES:
                    raise ExtractionRejected("too_large", f"spreadsheet past {MAX_SHEET_ROWS} rows "
                                                          f"or {MAX_PAGE_BYTES} characters")
                if line:
                    lines.append(line)
    finally:
        workbook.close()
    return "\n".join(lines)


def _row_line(row: tuple[object, ...]) -> str:
    cells = [_cell_text(value) for value in row]
    while cells and not cells[-1]:
        cells.pop()
    return "\t".join(cells) if any(cells) else ""


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        stamp = value.isoformat()  # a date cell: the day is what lists mean
        return stamp[:10] if "T00:00:00" in stamp or len(stamp) == 10 else stamp
    return re.sub(r"\s+", " ", str(value)).strip()


# ---------------------------------------------------------------- metadata

def _meta_values(root: lxml_html.HtmlElement) -> dict[str, str]:
    """<meta> property/name/itemprop → content (first wins), plus JSON-LD datePublished."""
    values: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        content = (meta.get("content") or "").strip()
        if key and content and key not in values:
            values[key] = content
    for element in root.xpath("//*[@itemprop='datePublished']"):
        value = element.get("datetime") or element.get("content") or element.text_content()
        values.setdefault("datepublished", value.strip())
    for script in root.xpath("//script[@type='application/ld+json']"):
        found = re.search(r'"datePublished"\s*:\s*"([^"]+)"', script.text or "")
        if found:
            values.setdefault("datepublished", found.group(1))
    return values


def board_fields(root: lxml_html.HtmlElement) -> dict[str, str]:
    """Label → value of an eGov board view's field table (th 제목 / td …), or of a dl list."""
    fields: dict[str, str] = {}
    for label in root.xpath("//th|//dt"):
        name = re.sub(r"\s+", "", label.text_content())
        value = label.getnext()
        if name and value is not None and value.tag in ("td", "dd") and name not in fields:
            fields[name] = value.text_content().strip()
    return fields


def _visible_text(root: lxml_html.HtmlElement) -> str:
    body = root.find("body")
    return block_text(body if body is not None else root)


def _page_date(metas: dict[str, str], board: dict[str, str], pruned: lxml_html.HtmlElement,
               source: str) -> PageDate | None:
    """Meta tags, then board fields, then a labelled byline.

    The byline is looked for in the pruned page first (sidebars gone), then in the whole page.
    """
    for key in PUBLISHED_META:
        value = parse_publication_date(metas.get(key, ""))
        if value:
            return PageDate(value, "meta")
    for label in BOARD_DATE_LABELS:
        value = parse_publication_date(board.get(label, ""))
        if value:
            return PageDate(value, "board")
    found = _byline_date(_visible_text(pruned))
    if found is None:  # rare: the byline sat in a box the pruning took; read the whole page again
        whole_page = parse_html(source)
        found = _byline_date(_visible_text(whole_page)) if whole_page is not None else None
    return found


def _dated_element(root: lxml_html.HtmlElement) -> PageDate | None:
    """An unlabelled date in an element named for it (<time>, class 'date', 'se_publishDate').

    Called on the pruned page, so the dates of sidebar headlines are gone already.
    """
    for element in root.iter(etree.Element):
        if not isinstance(element.tag, str):
            continue
        names = f"{element.get('class', '')} {element.get('id', '')}".lower()
        tokens = set(re.split(r"[\s_\-]+", names))
        if element.tag == "time" or tokens & DATE_TOKENS:
            value = parse_publication_date(element.get("datetime") or element.text_content())
            if value:
                return PageDate(value, "byline")
    return None


def _byline_date(text: str) -> PageDate | None:
    """The first date after a byline label; labels of first publication beat 승인 and 수정.

    Only labelled dates count, so a sidebar list of other headlines with bare dates never wins.
    """
    for source, label in BYLINE_LABELS:
        for match in re.finditer(r"(?<![가-힣])" + label + DATE_AFTER_LABEL, text, re.I):
            value = parse_publication_date(match.group(1))
            if value:
                return PageDate(value, source)
    for match in DATE_BEFORE_LABEL.finditer(text):  # wire services: '2021-06-04 10:20 송고'
        value = parse_publication_date(match.group(1))
        if value:
            return PageDate(value, "byline")
    return None


def _htmldate(source: str) -> PageDate | None:
    try:
        from htmldate import find_date
        found = find_date(source, original_date=True, extensive_search=False)
    except Exception:  # htmldate is only a hint; any failure means no hint
        return None
    return PageDate(found, "htmldate") if found else None


def page_title(root: lxml_html.HtmlElement, metas: dict[str, str], board: dict[str, str]) -> str | None:
    """og:title, the board's 제목, <title> without the site's name, else the first <h1>/<h2>.

    A candidate that is only the site's name ('고흥군청') is passed over for the next one.
    """
    title_element = root.find(".//title")
    heading = next((h for h in root.iter("h1", "h2") if h.text_content().strip()), None)
    candidates = [metas.get("og:title"), metas.get("twitter:title"),
                  *(board.get(label) for label in BOARD_TITLE_LABELS),
                  title_element.text_content() if title_element is not None else None,
                  heading.text_content() if heading is not None else None]
    cleaned = [_strip_site_suffix(_one_line(c)) for c in candidates if c and c.strip()]
    site_names = {_one_line(metas.get("og:site_name", "")), _one_line(metas.get("application-name", ""))}
    for title in cleaned:
        if title not in site_names and not _is_site_name(title):
            return title
    return cleaned[0] if cleaned else None


def _is_site_name(title: str) -> bool:
    """'고흥군청', '부산광역시', '뉴스원': short and naming an institution, not a headline."""
    return len(title) <= 12 and " " not in title and bool(
        SITE_WORDS.search(title) or re.search(r"(시|군|구|도)$", title))


def _one_line(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()


def _strip_site_suffix(title: str) -> str:
    """'기사 제목 - 논산계룡신문' → '기사 제목': a short last part naming a site goes."""
    while True:
        separators = list(SITE_SUFFIX_SEPARATORS.finditer(title))
        if not separators:
            return title
        last = separators[-1]
        tail = title[last.end():]
        if len(tail) > 25 or not SITE_WORDS.search(tail) or last.start() == 0:
            return title
        title = title[:last.start()].strip()


def _drop_title_line(text: str, title: str | None) -> str:
    """Trafilatura sometimes repeats the headline as the first line; the title is kept apart."""
    if not title or not text:
        return text
    first, _, rest = text.partition("\n")
    line, headline = re.sub(r"\W+", "", first), re.sub(r"\W+", "", title)
    # '[지역] 제목' titles and headline lines differ by such prefixes; a long overlap is the same
    same = bool(line) and (line in headline or headline in line) \
        and min(len(line), len(headline)) >= 0.7 * max(len(line), len(headline))
    return rest if same else text


