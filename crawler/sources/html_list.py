"""`html_list`: a 보도자료 board's list page(s), article links picked with a CSS selector.

Options:
- `link_selector` (required): CSS for the article anchors (or any element with onclick).
- `row_selector`, `date_selector`: when given, each row is read on its own and the date cell
  (e.g. "td.date") gives the link's published day.
- Pagination, up to `max_pages` (default 1) pages: `page_param` (query parameter set to
  `first_page`, first_page+1, …) or `next_selector` (CSS of the "next page" anchor).
- Boards that open articles by script (`onclick="fn_view('123')"`, `href="javascript:…"`):
  `onclick_pattern` (regex; its groups are the ids; default: every quoted argument) and
  `link_template` ("view.do?nttId={0}" or "{id}" for the first group; relative to the page).
- Boards that open articles by POST: `link_method = "POST"` and `post_fields`
  ({"nttId": "{0}", "bbsId": "B0001"}), posted to `link_template`; or rows that are <form>s
  themselves (`link_selector = "td.subject form"`): their action, method and inputs are used.
List pages are decoded with twinwatch.pages.decode (HTTP header, meta tag or detection: EUC-KR boards
that declare nothing are common).
"""

from __future__ import annotations

import re
from typing import Any, Iterator
from urllib.parse import urlencode, urlsplit, urlunsplit

import soupsieve
from bs4 import BeautifulSoup, Tag

from crawler.fetch import Fetcher
from crawler.records import Discovery, Link
from crawler.sources.common import day_from_text, option, required, unique, web_link
from crawler.urls import canonical_url
from twinwatch.pages.decode import decode_bytes
from twinwatch.config import SourceConfig
from twinwatch.errors import ConfigError, ExtractionRejected, FetchError

QUOTED_ARGUMENT = r"""['"]([^'"]+)['"]"""


class _Board:
    """The source's options, checked once."""

    def __init__(self, source: SourceConfig) -> None:
        self.source = source
        self.link_selector = required(source, "link_selector")
        self.row_selector = option(source, "row_selector", "")
        self.date_selector = option(source, "date_selector", "")
        self.page_param = option(source, "page_param", "")
        self.first_page = option(source, "first_page", 1)
        self.next_selector = option(source, "next_selector", "")
        self.max_pages = max(1, option(source, "max_pages", 1))
        self.template = option(source, "link_template", "")
        self.method = option(source, "link_method", "GET").upper()
        self.post_fields: dict[str, Any] = dict(option(source, "post_fields", {}, dict))
        pattern = option(source, "onclick_pattern", "")
        try:
            self.onclick = re.compile(pattern) if pattern else None
        except re.error as exc:
            raise ConfigError(f"source {source.name!r}: onclick_pattern is not a regex: {exc}") from exc
        if self.method not in ("GET", "POST"):
            raise ConfigError(f"source {source.name!r}: link_method must be GET or POST")
        if self.method == "POST" and not (self.template and self.post_fields):
            raise ConfigError(f"source {source.name!r}: link_method POST needs link_template and post_fields")

    def page_url(self, number: int) -> str:
        """The list URL with `page_param` set to page `number` (0-based count of pages read)."""
        parts = urlsplit(self.source.url)
        kept = [p for p in parts.query.split("&") if p and p.split("=", 1)[0] != self.page_param]
        kept.append(urlencode({self.page_param: self.first_page + number}))
        return urlunsplit(parts._replace(query="&".join(kept)))


OPTIONS = ("link_selector", "row_selector", "date_selector", "page_param", "first_page", "next_selector",
           "max_pages", "link_template", "link_method", "post_fields", "onclick_pattern")


def validate(source: SourceConfig) -> None:
    board = _Board(source)
    for key in ("link_selector", "row_selector", "date_selector", "next_selector"):
        selector = getattr(board, key)
        if selector:
            try:
                soupsieve.compile(selector)
            except soupsieve.SelectorSyntaxError as exc:
                raise ConfigError(f"source {source.name!r}: {key} is not valid CSS: {exc}") from exc


def _scripted_link(element: Tag, board: _Board, base: str, title: str, published: str | None) -> Link | None:
    """An article opened by script: the ids in onclick/href filled into link_template."""
    script = " ".join(str(element.get(attr) or "") for attr in ("onclick", "href"))
    if board.onclick is None:  # default: every quoted argument, fn_view('B0001', '123') → B0001, 123
        ids = tuple(re.findall(QUOTED_ARGUMENT, script))
    else:
        match = board.onclick.search(script)
        ids = (match.groups() or (match.group(0),)) if match else ()
    if not ids or not board.template:
        return None
    try:
        target = canonical_url(board.template.format(*ids, id=ids[0]), base)
        if board.method == "POST":
            form = tuple((k, str(v).format(*ids, id=ids[0])) for k, v in board.post_fields.items())
            return Link(url=_post_key(target, form), title=title or None, published=published, method="POST", form=form, action_url=target)
    except (IndexError, KeyError, ValueError):
        return None
    return Link(url=target, title=title or None, published=published)


def _post_key(target: str, form: tuple[tuple[str, str], ...]) -> str:
    """The stored key of a POSTed article: its action URL with the form fields as a query."""
    return f"{target}{'&' if '?' in target else '?'}{urlencode(form)}"


def _form_link(form_element: Tag, base: str, published: str | None) -> Link | None:
    """A board row that is itself a <form> (hidden inputs, a submit button with the title)."""
    fields = tuple((str(i["name"]), str(i.get("value") or "")) for i in form_element.select("input[name]")
                   if str(i.get("type") or "").lower() not in ("submit", "button", "image", "reset"))
    button = form_element.select_one("button, input[type=submit]")
    title = form_element.get_text(" ", strip=True) or (str(button.get("value") or "") if button else "")
    try:
        target = canonical_url(str(form_element.get("action") or base), base)
    except ValueError:
        return None
    if str(form_element.get("method") or "get").lower() != "post":
        return Link(url=canonical_url(f"{target.split('?')[0]}?{urlencode(fields)}") if fields else target,
                    title=title or None, published=published)
    return Link(url=_post_key(target, fields), title=title or None, published=published,
                method="POST", form=fields, action_url=target)


def _element_link(element: Tag, board: _Board, base: str, published: str | None) -> Link | None:
    if element.name == "form":
        return _form_link(element, base, published)
    title = element.get_text(" ", strip=True) or str(element.get("title") or "")
    href = str(element.get("href") or "")
    if element.get("onclick") or href.lower().startswith("javascript:") or board.method == "POST":
        scripted = _scripted_link(element, board, base, title, published)
        if scripted or board.method == "POST":
            return scripted
    if href.startswith("#"):
        return None
    return web_link(href, base, title, published)


def _rows(soup: BeautifulSoup, board: _Board) -> Iterator[tuple[Tag, str | None]]:
    """(link element, published day) pairs, row by row when a row_selector is set."""
    if not board.row_selector:
        for element in soup.select(board.link_selector):
            yield element, None
        return
    for row in soup.select(board.row_selector):
        cell = row.select_one(board.date_selector) if board.date_selector else None
        published = day_from_text(cell.get_text(" ", strip=True)) if cell else None
        for element in row.select(board.link_selector):
            yield element, published


def parse_list_page(body: bytes, content_type: str | None, base: str, board: _Board) -> tuple[list[Link], BeautifulSoup]:
    """The article links on one list page; raises ExtractionRejected for bytes that are not a page."""
    text = decode_bytes(body, content_type).text
    soup = BeautifulSoup(text, "lxml")
    found = [_element_link(element, board, base, published) for element, published in _rows(soup, board)]
    return [link for link in found if link], soup


def _next_url(soup: BeautifulSoup, board: _Board, base: str, number: int) -> str | None:
    if board.page_param:
        return board.page_url(number)
    if board.next_selector:
        anchor = soup.select_one(board.next_selector)
        link = web_link(str(anchor.get("href") or ""), base) if anchor else None
        return link.url if link else None
    return None


def discover(source: SourceConfig, fetcher: Fetcher) -> Discovery:
    validate(source)  # a bad selector is the user's to fix: ConfigError before any request
    board = _Board(source)
    url: str | None = board.page_url(0) if board.page_param else source.url
    links: list[Link] = []
    seen_pages: set[str] = set()
    pages = 0
    while url and pages < board.max_pages and url not in seen_pages:
        seen_pages.add(url)
        try:
            fetched = fetcher.fetch_listing(url)
            page_links, soup = parse_list_page(fetched.body, fetched.content_type, fetched.final_url or url, board)
        except (FetchError, ExtractionRejected) as exc:
            return Discovery(unique(links), f"list page {pages + 1}: {exc.reason}", pages)
        pages += 1
        if not page_links and pages == 1:  # not a single article: the selector no longer fits
            return Discovery((), f"no_links: {board.link_selector!r} matched no article on {url}", pages)
        known = {link.url for link in links}
        if not any(link.url not in known for link in page_links):
            break  # past the last page: empty, or a board that repeats its last page
        links.extend(page_links)
        url = _next_url(soup, board, fetched.final_url or url, pages)
    return Discovery(unique(links), None, pages)
