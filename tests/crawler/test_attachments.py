"""Attachments: found on a page, fetched from a loopback site, read as PDF, HWP 5 and HWPX."""

from __future__ import annotations

import io
import zipfile

import pytest

from crawler.attachments import attachment_text, attachment_texts, find_attachment_links, read_attachments, sniff_kind
from crawler.fetch import Fetcher
from twinwatch.pages.records import FetchResult
from tests.support.files import make_hwp5, make_hwpx
from tests.support.crawling import ROBOTS, fast_config
from tests.support.sites import LoopbackSite, Reply
from twinwatch.app.demo.pdf import write_pdf
from twinwatch.errors import ExtractionRejected

RELEASE = "춘천시는 3일 중국 다롄시와 우호교류 의향서를 체결했다고 밝혔다."


def squeezed(text: str) -> str:
    return "".join(text.split())


def as_fetched(body: bytes, content_type: str = "application/octet-stream") -> FetchResult:
    return FetchResult(url="http://127.0.0.1/file", body=body, status=200, headers={"content-type": content_type})


def test_find_attachment_links_by_suffix_name_and_download_attribute() -> None:
    html = """
      <a href="/files/2026/보도자료.pdf">보도자료 원문</a>
      <a href="/cmm/fms/FileDown.do?atchFileId=F1&amp;fileSn=0">우호교류 의향서.hwp (35KB)</a>
      <a href="/down?id=9" download="협약서.HWPX">내려받기</a>
      <a href="/down?id=9" download="협약서.HWPX">again</a>
      <a href="javascript:fn_down('F2')">첨부.hwp</a>
      <a href="/news/list.do">목록</a>
      <a href="/img/photo.jpg">사진</a>
    """
    found = find_attachment_links(html, "http://gov.example/news/view.do?id=1")
    assert [(a.url, a.name, a.kind) for a in found] == [
        ("http://gov.example/files/2026/%EB%B3%B4%EB%8F%84%EC%9E%90%EB%A3%8C.pdf", "보도자료.pdf", "pdf"),
        ("http://gov.example/cmm/fms/FileDown.do?atchFileId=F1&fileSn=0", "우호교류 의향서.hwp (35KB)", "hwp"),
        ("http://gov.example/down?id=9", "협약서.HWPX", "hwpx"),
    ]


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (write_pdf("보도자료", [RELEASE]), "pdf"),
        (make_hwp5([RELEASE]), "hwp"),
        (make_hwpx([RELEASE]), "hwpx"),
    ],
    ids=["pdf", "hwp5", "hwpx"],
)
def test_attachment_text_reads_each_format(body: bytes, kind: str) -> None:
    assert sniff_kind(body) == kind
    text = attachment_text(as_fetched(body))
    assert text is not None and squeezed(RELEASE) in squeezed(text)  # the PDF wraps lines


def test_uncompressed_hwp5_is_read_too() -> None:
    assert attachment_text(as_fetched(make_hwp5(["첫 문단", "둘째 문단"], flags=0))) == "첫 문단\n둘째 문단"


def test_password_protected_hwp5_is_refused_with_reason() -> None:
    with pytest.raises(ExtractionRejected) as caught:
        attachment_text(as_fetched(make_hwp5([RELEASE], flags=1 | 2)))
    assert caught.value.reason == "attachment_encrypted: hwp"


def test_distribution_locked_hwp5_is_refused_with_reason() -> None:
    with pytest.raises(ExtractionRejected) as caught:
        attachment_text(as_fetched(make_hwp5([RELEASE], flags=1 | 4)))
    assert caught.value.reason == "attachment_protected: hwp"


def docx_like() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        (docx_like(), "application/octet-stream", "unsupported_attachment: zip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "application/msword", "unsupported_attachment: ole"),
        (b"GIF89a....", "image/gif", "unsupported_attachment: image/gif"),
        (b"%PDF-1.4\n1 0 obj garbage", "application/pdf", "attachment_unreadable: pdf"),
        (make_hwpx([RELEASE])[:120], "application/zip", "unsupported_attachment: zip"),
    ],
    ids=["docx", "doc", "gif", "broken-pdf", "cut-hwpx"],
)
def test_unreadable_attachments_give_reasons(body: bytes, content_type: str, reason: str) -> None:
    with pytest.raises(ExtractionRejected) as caught:
        attachment_text(as_fetched(body, content_type))
    assert caught.value.reason == reason


def test_read_attachments_over_loopback_keeps_each_outcome() -> None:
    page = """<html><head><meta charset="utf-8"></head><body><p>보도자료</p>
      <a href="/files/release.pdf">release.pdf</a>
      <a href="/FileDown.do?id=2">의향서.hwp</a>
      <a href="/FileDown.do?id=3">협약서.hwpx</a>
      <a href="/files/gone.pdf">gone.pdf</a>
      <a href="/private/secret.pdf">secret.pdf</a>
    </body></html>""".encode()
    routes = {
        "/robots.txt": ROBOTS,
        "/view": Reply(body=page, headers={"Content-Type": "text/html"}),
        "/files/release.pdf": Reply(body=write_pdf("보도자료", [RELEASE]), headers={"Content-Type": "application/pdf"}),
        "/FileDown.do?id=2": Reply(body=make_hwp5(["강릉시 자매결연 30주년"])),
        "/FileDown.do?id=3": Reply(body=make_hwpx(["업무협약 체결"])),
        "/private/secret.pdf": Reply(body=write_pdf("x", ["y"])),
    }
    with LoopbackSite(routes) as site:
        with Fetcher(fast_config()) as fetcher:
            article = fetcher.fetch(site.url("/view"))
            outcomes = read_attachments(article, fetcher)
            texts = attachment_texts(article, fetcher)
    by_name = {o.link.name: o for o in outcomes}
    assert squeezed(RELEASE) in squeezed(by_name["release.pdf"].text or "")
    assert by_name["의향서.hwp"].text == "강릉시 자매결연 30주년"
    assert by_name["협약서.hwpx"].text == "업무협약 체결"
    assert by_name["gone.pdf"].reason == "fetch_error: 404"
    assert by_name["secret.pdf"].reason == "robots_disallowed"
    assert site.hits("/private/secret.pdf") == []
    assert len(texts) == 3


def test_read_attachments_of_a_non_page_is_empty() -> None:
    with Fetcher(fast_config()) as fetcher:
        assert read_attachments(as_fetched(write_pdf("a", ["b"]), "application/pdf"), fetcher) == []


def test_sniff_kind_leaves_other_containers_to_the_page_reader() -> None:
    # an .xlsx is a zip and a .doc an OLE file: the pipeline must hand them to read_page, not here
    assert sniff_kind(docx_like()) is None
    assert sniff_kind(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600) is None
    assert sniff_kind("<html><p>자매결연</p></html>".encode()) is None


def test_attachments_in_header_menus_and_footer_are_not_the_articles() -> None:
    html = """<header><a href="/guide.pdf">이용안내.pdf</a></header>
      <div id="gnb"><a href="/org.hwp">조직도.hwp</a></div>
      <div class="view_file"><a href="/files/release.hwpx">보도자료.hwpx</a></div>
      <div id="footer"><a href="/privacy.pdf">개인정보처리방침.pdf</a></div>
      <footer><a href="/terms.pdf">이용약관.pdf</a></footer>"""
    found = find_attachment_links(html, "http://gov.example/view?id=1")
    assert [a.url for a in found] == ["http://gov.example/files/release.hwpx"]
