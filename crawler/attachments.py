"""Press-release attachments: find them on an article page, fetch them, read their text.

Municipal press releases often carry the full text only in an attached PDF or 한글 file (HWP 5
binary or HWPX). PDF is read with pypdf; HWP and HWPX with extract-hwp (BSD-3, olefile-based),
which also refuses password-protected and distribution-locked files. The kind is decided by the
bytes (magic numbers), the link's suffix is only a hint for finding the link.

`attachment_text` raises ExtractionRejected with a reason for a file it cannot read; the
pipeline keeps that reason in `AttachmentOutcome` and goes on with the page's own text.
"""

from __future__ import annotations

import io
import logging
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup, Tag

from crawler.fetch import Fetcher
from twinwatch.pages.records import FetchResult
from crawler.sources.common import web_link
from twinwatch.pages.archives import check_archive, first_bytes, is_zip
from twinwatch.pages.decode import decode_bytes
from twinwatch.errors import ExtractionRejected, FetchError

log = logging.getLogger(__name__)

ATTACHMENT_NAME = re.compile(r"\.(pdf|hwpx|hwp)(?=$|[\s?&#/)\]\"'])", re.IGNORECASE)
MAX_ATTACHMENTS = 5  # a page listing more is an archive or a gallery, not a press release
MAX_PDF_PAGES = 60  # press releases run a few pages; this bounds a runaway report
# FileHeader property bits (HWP 5.0 format document): password, distribution, DRM,
# certificate encryption, certificate DRM.
HWP5_PROTECTED = (1 << 1) | (1 << 2) | (1 << 4) | (1 << 8) | (1 << 10)
FRAME_TAGS = frozenset({"header", "nav", "footer"})
FRAME_MARKS = re.compile(r"foot|gnb|lnb|snb|\bnav|menu|copyright|quick", re.IGNORECASE)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True, slots=True)
class AttachmentLink:
    url: str  # canonical
    name: str  # the file name the page shows (or the URL's last part)
    kind: str  # pdf | hwp | hwpx, as the link suggests


@dataclass(frozen=True, slots=True)
class AttachmentOutcome:
    link: AttachmentLink
    text: str | None = None
    reason: str | None = None  # why there is no text: fetch failure, unsupported, encrypted, empty


def _suggested_kind(*hints: str) -> str | None:
    for hint in hints:
        match = ATTACHMENT_NAME.search(unquote(hint or ""))
        if match:
            return match.group(1).lower()
    return None


def _in_page_frame(anchor: Tag) -> bool:
    """Whether a link sits in the site's header, menus or footer, where a privacy-policy PDF
    linked from every page would otherwise be read into every article."""
    for parent in anchor.parents:
        if parent.name in FRAME_TAGS:
            return True
        marks = " ".join([str(parent.get("id") or ""), *(parent.get("class") or [])])
        if marks.strip() and FRAME_MARKS.search(marks):
            return True
    return False


def find_attachment_links(html: str, base_url: str) -> list[AttachmentLink]:
    """Anchors that point at a PDF/HWP/HWPX file: by the URL's suffix, or by the file name in
    the anchor's text, title or download attribute (boards serve files from `FileDown.do?…`)."""
    soup = BeautifulSoup(html, "lxml")
    found: dict[str, AttachmentLink] = {}
    for anchor in soup.find_all("a", href=True):
        if _in_page_frame(anchor):
            continue
        href = str(anchor["href"])
        text = anchor.get_text(" ", strip=True)
        named = [str(anchor.get("download") or ""), str(anchor.get("title") or ""), text]
        kind = _suggested_kind(urlsplit(href).path, href, *named)
        link = web_link(href, base_url) if kind else None
        if link is None or link.url in found:
            continue
        name = next((n for n in named if _suggested_kind(n)), "") or unquote(urlsplit(link.url).path.rsplit("/", 1)[-1])
        found[link.url] = AttachmentLink(link.url, name.strip(), kind or "")
    return list(found.values())


def sniff_kind(body: bytes) -> str | None:
    """pdf | hwp | hwpx from the bytes themselves; None for anything else (an .xlsx or .doc
    container included: those are not attachments this module reads)."""
    if body[:1024].lstrip()[:5] == b"%PDF-":  # some servers send a newline or two first
        return "pdf"
    if body.startswith(OLE_MAGIC):
        # An HWP 5 file's FileHeader stream opens with this signature; .doc/.xls do not have it.
        return "hwp" if b"HWP Document File" in body else None
    if is_zip(body):
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        # Only the first bytes, streamed: the entry may inflate to gigabytes.
        mimetype = first_bytes(body, "mimetype", 64) or b""
        if b"hwp" in mimetype or any(n.startswith("Contents/section") for n in names):
            return "hwpx"
    return None


def _container(body: bytes, content_type: str | None) -> str:
    """What an unsupported file looks like, for its drop reason."""
    if body.startswith(OLE_MAGIC):
        return "ole"
    if body.startswith(b"PK\x03\x04"):
        return "zip"
    return (content_type or "unknown").split(";")[0].strip() or "unknown"


def pdf_text(body: bytes) -> str | None:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(body))
        if reader.is_encrypted and not reader.decrypt(""):  # many are "encrypted" with no password
            raise ExtractionRejected("attachment_encrypted: pdf")
        pages = [page.extract_text() or "" for page in reader.pages[:MAX_PDF_PAGES]]
    except ExtractionRejected:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ExtractionRejected("attachment_unreadable: pdf", f"unreadable PDF: {exc}") from exc
    text = "\n".join(page.strip() for page in pages if page.strip())
    return text or None  # a scan without a text layer


def hwp_text(body: bytes, kind: str) -> str | None:
    """HWP 5 or HWPX through extract-hwp, which reads files by path (and picks by suffix)."""
    from extract_hwp import extract_text_from_hwp

    with tempfile.TemporaryDirectory(prefix="twinwatch-hwp-") as folder:
        path = Path(folder) / f"attachment.{kind}"
        path.write_bytes(body)
        try:
            text, error = extract_text_from_hwp(str(path))
            locked = kind == "hwp" and not text and _hwp5_protected(path)
        except Exception as exc:  # noqa: BLE001 - read limits and olefile's own errors alike
            raise ExtractionRejected(f"attachment_unreadable: {kind}", f"{kind}: {exc}") from exc
    if error and "암호" in error:  # the library's message for password-protected files
        raise ExtractionRejected(f"attachment_encrypted: {kind}")
    if locked:
        raise ExtractionRejected("attachment_protected: hwp", "distribution-locked or DRM HWP file")
    if error and not text:
        if "빈 내용" in error:  # "empty content": nothing to read, not a broken file
            return None
        raise ExtractionRejected(f"attachment_unreadable: {kind}", f"{kind}: {error}")
    return text.strip() or None


def _hwp5_protected(path: Path) -> bool:
    """Whether an HWP 5 file is distribution-locked or under DRM (its body is ciphered): the
    library then returns no text without saying why, so the header flags are read here."""
    import olefile

    with olefile.OleFileIO(str(path)) as ole:
        if not ole.exists("FileHeader"):
            return False
        header = ole.openstream("FileHeader").read(40)
    return len(header) == 40 and bool(int.from_bytes(header[36:40], "little") & HWP5_PROTECTED)


def attachment_text(fetched: FetchResult) -> str | None:
    """The text of a fetched PDF/HWP/HWPX; None when it has none (a scan). Raises
    ExtractionRejected('unsupported_attachment: …' | 'attachment_unreadable: …' |
    'attachment_encrypted: …' | 'archive_bomb: …')."""
    kind = sniff_kind(fetched.body)
    if kind == "pdf":
        return pdf_text(fetched.body)
    if kind == "hwpx":
        check_archive(fetched.body)  # ExtractionRejected('archive_bomb: …') for a bomb
    if kind in ("hwp", "hwpx"):
        return hwp_text(fetched.body, kind)
    raise ExtractionRejected(f"unsupported_attachment: {_container(fetched.body, fetched.content_type)}")


def read_attachments(fetched: FetchResult, fetcher: Fetcher, *, limit: int = MAX_ATTACHMENTS) -> list[AttachmentOutcome]:
    """Every attachment an article page links to, fetched politely and read; one outcome each."""
    try:
        html = decode_bytes(fetched.body, fetched.content_type).text
    except ExtractionRejected:
        return []  # not a page (the article itself is a PDF, say): nothing linked from it
    links = find_attachment_links(html, fetched.final_url or fetched.url)[:limit]
    return [_read_one(link, fetcher) for link in links]


def _read_one(link: AttachmentLink, fetcher: Fetcher) -> AttachmentOutcome:
    try:
        text = attachment_text(fetcher.fetch(link.url))
    except (FetchError, ExtractionRejected) as exc:
        log.info("attachment %s (%s): %s", link.name, link.url, exc.reason)
        return AttachmentOutcome(link, reason=exc.reason)
    if text is None:
        return AttachmentOutcome(link, reason=f"attachment_empty: {link.kind or 'file'}")
    return AttachmentOutcome(link, text=text)


def attachment_texts(fetched: FetchResult, fetcher: Fetcher) -> list[str]:
    """The texts the pipeline appends to an article; failures are logged and skipped."""
    return [outcome.text for outcome in read_attachments(fetched, fetcher) if outcome.text]
