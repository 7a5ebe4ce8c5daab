"""The demo site as a map of paths to resources: an RSS news feed, a 보도자료 board, a wire
service's sitemap, a robots.txt, a PDF attachment and a source that is always down.

Pages are laid out the way such sites usually are (menus, sidebars, 이전글/다음글), in UTF-8 or
EUC-KR, some with the charset declared and some with no charset anywhere (neither HTTP header
nor meta), so the demo exercises decoding as real crawls do.
"""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from email.utils import format_datetime

from twinwatch.app.demo.articles import Article, all_articles
from twinwatch.app.demo.pdf import write_pdf

BOARD_PAGE_SIZE = 10
FIRST_BOARD_ID = 4100
ROBOTS_TXT = "User-agent: *\nDisallow: /private/\n"
DOWN_PATH = "/closed/rss.xml"  # the source that always answers 503


@dataclass(frozen=True, slots=True)
class Resource:
    body: bytes
    content_type: str
    last_modified: str | None = None  # HTTP date

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha1(self.body).hexdigest()[:16] + '"'


def _http_date(day: str) -> str:
    moment = datetime.combine(date.fromisoformat(day), time(1, 30), tzinfo=timezone.utc)
    return format_datetime(moment, usegmt=True)


def encode_page(page_html: str, article: Article) -> Resource:
    """Bytes and Content-Type as the article's encoding column says."""
    codec = "euc_kr" if article.encoding.startswith("euc-kr") else "utf-8"
    declared = not article.encoding.endswith("-bare")
    charset_label = "euc-kr" if codec == "euc_kr" else "utf-8"
    meta = f'<meta charset="{charset_label}">\n' if declared else ""
    body = page_html.replace("<!--META-->\n", meta).encode(codec)
    content_type = f"text/html; charset={charset_label}" if declared else "text/html"
    return Resource(body, content_type, _http_date(article.published))


def _paragraphs(article: Article) -> str:
    return "\n".join(f"<p>{html.escape(p)}</p>" for p in article.paragraphs)


def news_page(article: Article, sidebar: list[str]) -> str:
    headlines = "".join(f"<li><a href=\"#\">{html.escape(t)}</a></li>" for t in sidebar)
    return f"""<!DOCTYPE html>
<html lang="ko"><head>
<!--META-->
<title>{html.escape(article.title)} - 데모일보</title>
<meta property="og:title" content="{html.escape(article.title)}">
<meta property="article:published_time" content="{article.published}T09:30:00+09:00">
</head><body>
<header id="masthead"><a href="/news/">데모일보</a> <span>지역과 함께 뛰는 신문</span></header>
<nav class="gnb"><a href="#">정치</a> <a href="#">경제</a> <a href="#">사회</a> <a href="#">지역</a></nav>
<div id="wrap"><article id="article-view">
<h1 class="headline">{html.escape(article.title)}</h1>
<div class="byline">데모일보 지역팀 · 입력 {article.published} 09:30</div>
<div class="article-body">
{_paragraphs(article)}
</div>
<p class="copyright">저작권자 (c) 데모일보 무단전재 및 재배포 금지</p>
</article>
<aside class="sidebar"><h3>많이 본 뉴스</h3><ol>{headlines}</ol></aside></div>
<footer>데모일보 · 데모시 중앙로 1 · 문의 news@demo.example.kr</footer>
</body></html>
"""


def board_view(article: Article, board_id: int, neighbours: tuple[str, str],
               attachment: str | None) -> str:
    files = (f'<li><a href="{attachment}">보도자료_{board_id}.pdf</a></li>' if attachment
             else "<li>첨부파일이 없습니다.</li>")
    previous, following = (html.escape(t) for t in neighbours)
    return f"""<!DOCTYPE html>
<html lang="ko"><head>
<!--META-->
<title>보도자료 | 데모시청</title>
</head><body>
<div id="header"><h1><a href="/board/list.do">데모시청</a></h1>
<ul class="gnb"><li>시정소식</li><li>보도자료</li><li>고시공고</li></ul></div>
<div id="contents"><h2 class="tit">보도자료</h2>
<table class="bbs-view">
<tr><th>제목</th><td class="subject">{html.escape(article.title)}</td></tr>
<tr><th>작성일</th><td>{article.published}</td><th>담당부서</th><td>{article.department}</td></tr>
</table>
<div class="view-content">
{_paragraphs(article)}
</div>
<ul class="attach">{files}</ul>
<ul class="prev-next"><li>이전글 {previous}</li><li>다음글 {following}</li></ul>
</div>
<div id="footer">데모시청 대변인실 · 이 게시물은 공공누리 제1유형으로 개방합니다.</div>
</body></html>
"""


def board_list(rows: list[tuple[int, Article]], page: int, pages: int) -> str:
    body = "\n".join(
        f'<tr><td>{board_id}</td><td class="subject"><a href="#none" '
        f'onclick="fn_view(\'{board_id}\'); return false;">{html.escape(a.title)}</a></td>'
        f"<td>{a.department}</td><td>{a.published}</td></tr>"
        for board_id, a in rows)
    links = " ".join(f'<a href="/board/list.do?pageIndex={n}">{n}</a>' if n != page else f"<strong>{n}</strong>"
                     for n in range(1, pages + 1))
    following = f' <a class="next" href="/board/list.do?pageIndex={page + 1}">다음</a>' if page < pages else ""
    return f"""<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8"><title>보도자료 목록 | 데모시청</title>
<script>function fn_view(id) {{ location.href = '/board/view.do?nttId=' + id; }}</script>
</head><body>
<h2>보도자료</h2>
<table class="bbs-list"><thead><tr><th>번호</th><th>제목</th><th>부서</th><th>작성일</th></tr></thead>
<tbody>
{body}
</tbody></table>
<div class="paging">{links}{following}</div>
</body></html>
"""


def wire_page(article: Article) -> str:
    return f"""<!DOCTYPE html>
<html lang="ko"><head>
<!--META-->
<title>{html.escape(article.title)} | 데모통신</title>
</head><body>
<div class="top">데모통신 지역뉴스</div>
<main><h1>{html.escape(article.title)}</h1>
<p class="date"><time datetime="{article.published}">{article.published}</time> 송고</p>
{_paragraphs(article)}
</main>
<div class="bottom">데모통신 · 기사제보 wire@demo.example.kr</div>
</body></html>
"""


def rss_feed(base: str, items: list[tuple[str, Article]]) -> bytes:
    entries = "\n".join(
        f"<item><title>{html.escape(a.title)}</title><link>{html.escape(link)}</link>"
        f"<pubDate>{_http_date(a.published)}</pubDate>"
        f"<description>{html.escape(a.paragraphs[0])}</description></item>"
        for link, a in items)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>데모일보 지역</title><link>{base}/news/</link>
<description>데모일보 지역면 기사</description>
{entries}
</channel></rss>
""".encode("utf-8")


def _sitemap(items: list[tuple[str, Article]]) -> bytes:
    entries = "\n".join(f"<url><loc>{html.escape(link)}</loc><lastmod>{a.published}</lastmod></url>"
                        for link, a in items)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{entries}\n</urlset>\n").encode("utf-8")


def _newest_first(articles: list[Article]) -> list[Article]:
    return sorted(articles, key=lambda a: (a.published, a.page_id), reverse=True)


def _on(site: str, articles: list[Article]) -> list[Article]:
    return _newest_first([a for a in articles if site in a.sites])


def build_site(base: str) -> dict[str, Resource]:
    """Every resource of the demo site, keyed by path (with query); `base` is http://host:port."""
    articles = all_articles()
    resources: dict[str, Resource] = {"/robots.txt": Resource(ROBOTS_TXT.encode(), "text/plain")}
    resources.update(_news(base, articles))
    resources.update(_board(articles))
    resources.update(_wire(base, articles))
    return resources


def _news(base: str, articles: list[Article]) -> dict[str, Resource]:
    found: dict[str, Resource] = {}
    sidebar = [a.title for a in articles if a.page_id.startswith("o")]
    feed_items = []
    for article in _on("news", articles) + _on("private", articles):
        folder = "private" if "private" in article.sites else "news/article"
        path = f"/{folder}/{article.page_id}.html"
        found[path] = encode_page(news_page(article, sidebar), article)
        # Feed links carry tracking parameters, as many CMS feeds do; the crawler drops them.
        feed_items.append((f"{base}{path}?utm_source=rss&utm_medium=feed", article))
    found["/news/rss.xml"] = Resource(rss_feed(base, feed_items), "application/rss+xml; charset=utf-8")
    return found


def _board(articles: list[Article]) -> dict[str, Resource]:
    found: dict[str, Resource] = {}
    listed = _on("board", articles)
    numbered = [(FIRST_BOARD_ID + len(listed) - i, a) for i, a in enumerate(listed)]
    titles = [a.title for _, a in numbered]
    for index, (board_id, article) in enumerate(numbered):
        neighbours = (titles[index + 1] if index + 1 < len(titles) else "이전글이 없습니다.",
                      titles[index - 1] if index else "다음글이 없습니다.")
        attachment = None
        if article.attachment_text:
            attachment = f"/board/files/{board_id}.pdf"
            pdf = write_pdf(article.title, list(article.attachment_text))
            found[attachment] = Resource(pdf, "application/pdf", _http_date(article.published))
        page_html = board_view(article, board_id, neighbours, attachment)
        found[f"/board/view.do?nttId={board_id}"] = encode_page(page_html, article)
    pages = max(1, -(-len(numbered) // BOARD_PAGE_SIZE))
    for page in range(1, pages + 1):
        rows = numbered[(page - 1) * BOARD_PAGE_SIZE: page * BOARD_PAGE_SIZE]
        body = board_list(rows, page, pages).encode("utf-8")
        found[f"/board/list.do?pageIndex={page}"] = Resource(body, "text/html; charset=utf-8")
    found["/board/list.do"] = found["/board/list.do?pageIndex=1"]
    return found


def _wire(base: str, articles: list[Article]) -> dict[str, Resource]:
    found: dict[str, Resource] = {}
    items = []
    for article in _on("wire", articles):
        path = f"/wire/{article.published.replace('-', '')}-{article.page_id}.html"
        found[path] = encode_page(wire_page(article), article)
        items.append((f"{base}{path}", article))
    found["/wire/sitemap.xml"] = Resource(_sitemap(items), "application/xml")
    return found
