"""Wire-service boilerplate cut from evidence lines, and an article's outlet named.

Korean agency copy opens with a dateline and a byline — "(창원=연합뉴스) 김철수 기자 =",
"【서울=뉴시스】", "[부산=뉴스1] 이영희 기자 =" — and closes with "2024/05/01 10:00 송고" and an
address. A digest line that starts with them wastes its 140 characters; the sentence behind them
is the news.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_DATELINE = re.compile(r"^\s*[(\[【〔]\s*[^()\[\]【】〔〕]{1,20}=\s*[^()\[\]【】〔〕]{1,20}[)\]】〕]\s*")
_BYLINE = re.compile(r"^\s*(?:[가-힣]{2,4}\s*)+(?:기자|특파원|통신원)(?:\s*[가-힣]{0,3})?\s*=\s*")
_TAGS = re.compile(r"^\s*(?:\[(?:앵커|기자|리포트|사진|영상|포토|속보|단독)\]\s*)+")
_SENT = re.compile(r"\s*(?:\d{4}[./-]\d{2}[./-]\d{2}\.?\s*\d{1,2}:\d{2}(?::\d{2})?\s*)?송고\s*$")
_EMAIL = re.compile(r"\s*[\w.+-]+@[\w-]+(?:\.[\w-]+)+\s*")
_TRAILING_BYLINE = re.compile(r"\s*/?\s*(?:[가-힣]{2,4}\s*)+(?:기자|특파원)\s*$")
_TITLE_OUTLET = re.compile(r"\s+[-|–—]\s+([^-|–—]{2,30})\s*$")


def strip_boilerplate(text: str) -> str:
    """The evidence without datelines, bylines, "송고" stamps, tags and e-mail addresses."""
    cleaned = _EMAIL.sub(" ", text)
    for pattern in (_TAGS, _DATELINE, _BYLINE, _TAGS):
        cleaned = pattern.sub("", cleaned, count=1)
    cleaned = _SENT.sub("", cleaned)
    cleaned = _TRAILING_BYLINE.sub("", cleaned)
    return cleaned.strip() or text.strip()


def outlet_of(title: str | None, source: str | None, url: str | None) -> str:
    """Who published the article: the name news aggregators append to a headline
    ("… - 연합뉴스"), else the name of the configured source it came from, else the site's
    host name without "www."."""
    if title:
        found = _TITLE_OUTLET.search(title)
        if found:
            return found.group(1).strip()
    if source:
        return source
    host = urlsplit(url or "").hostname or ""
    return host.removeprefix("www.")


def headline_of(title: str | None) -> str:
    """The headline without the outlet an aggregator appended to it."""
    if not title:
        return ""
    return _TITLE_OUTLET.sub("", title).strip() or title.strip()
