"""Hostile inputs made on the spot (never committed): ZIP bombs shaped as .hwpx and .xlsx,
sparse files, and loopback servers that dribble or stall. Used by tests/hostile and by
benchmarks/hostile.py.

The ZIP writer is hand-made because the bombs need what zipfile will not write: a deflate
stream of gigabytes made from one repeated block (so building it costs milliseconds), and a
header that lies about the size its stream inflates to.
"""

from __future__ import annotations

import functools
import socket
import struct
import threading
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from tests.support.files import HWPX_MANIFEST, HWPX_SECTION
from tests.support.pipeline_site import article_site, single_agreement_articles
from twinwatch.app.demo.site import Resource, rss_feed

MIB = 1024 * 1024
GIB = 1024 * MIB


@dataclass(frozen=True)
class RawEntry:
    """One ZIP entry as stored: `data` already deflated (or stored), sizes as declared."""

    name: str
    data: bytes
    crc: int
    declared_size: int
    deflated: bool = True


@functools.lru_cache(maxsize=4)  # bytes: safe to share between tests
def deflated_zeros(size: int) -> tuple[bytes, int]:
    """A raw deflate stream of `size` zero bytes and their CRC-32, built from one 1 MiB
    block repeated: each block ends in a full flush, so copies can follow one another."""
    block_size = MIB
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(bytes(block_size)) + packer.flush(zlib.Z_FULL_FLUSH)
    count, rest = divmod(size, block_size)
    tail_packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    tail = tail_packer.compress(bytes(rest)) + tail_packer.flush()
    crc = 0
    one_block_zeros = bytes(block_size)
    for _ in range(count):
        crc = zlib.crc32(one_block_zeros, crc)
    crc = zlib.crc32(bytes(rest), crc)
    return block * count + tail, crc


def deflated(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def entry(name: str, content: bytes) -> RawEntry:
    return RawEntry(name, deflated(content), zlib.crc32(content), len(content))


def write_zip(entries: list[RawEntry]) -> bytes:
    """A ZIP file of these entries, sizes and CRCs written as given (so they may lie)."""
    local_parts: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for item in entries:
        name = item.name.encode()
        method = zipfile.ZIP_DEFLATED if item.deflated else zipfile.ZIP_STORED
        fields = (20, 0x800, method, 0, 0x21, item.crc, len(item.data), item.declared_size)
        local = struct.pack("<4sHHHHHIII", b"PK\x03\x04", *fields) + \
            struct.pack("<HH", len(name), 0) + name
        central.append(struct.pack("<4sH", b"PK\x01\x02", 20) +
                       struct.pack("<HHHHHIII", *fields) +
                       struct.pack("<HHHHHII", len(name), 0, 0, 0, 0, 0, offset) + name)
        local_parts += [local, item.data]
        offset += len(local) + len(item.data)
    directory = b"".join(central)
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(entries), len(entries),
                      len(directory), offset, 0)
    return b"".join(local_parts) + directory + end


def hwpx_section(text: str) -> bytes:
    body = f"<hp:p><hp:run><hp:t>{text}</hp:t></hp:run></hp:p>"
    return HWPX_SECTION.format(body).encode()


@functools.lru_cache(maxsize=4)  # bytes: safe to share between tests
def hwpx_mimetype_bomb(inflated: int = 2 * GIB) -> bytes:
    """An .hwpx whose `mimetype` entry inflates to `inflated` bytes (declared honestly)."""
    data, crc = deflated_zeros(inflated)
    return write_zip([RawEntry("mimetype", data, crc, inflated),
                      entry("META-INF/manifest.xml", HWPX_MANIFEST.encode()),
                      entry("Contents/section0.xml", hwpx_section("업무협약 체결"))])


@functools.lru_cache(maxsize=4)  # bytes: safe to share between tests
def docx_bomb(inflated: int = 2 * GIB) -> bytes:
    """A .docx (or any .zip) whose `word/document.xml` inflates to `inflated` bytes."""
    data, crc = deflated_zeros(inflated)
    return write_zip([entry("[Content_Types].xml", XLSX_PARTS["[Content_Types].xml"].encode()),
                      RawEntry("word/document.xml", data, crc, inflated)])


@functools.lru_cache(maxsize=4)  # bytes: safe to share between tests
def hwpx_lying_bomb(inflated: int = 2 * GIB) -> bytes:
    """An .hwpx whose section declares 200 bytes (CRC forged to match them) over a stream
    that inflates to `inflated` bytes: a reader trusting the header sees a small file."""
    data, _ = deflated_zeros(inflated)
    return write_zip([entry("mimetype", b"application/hwp+zip"),
                      entry("META-INF/manifest.xml", HWPX_MANIFEST.encode()),
                      RawEntry("Contents/section0.xml", data, zlib.crc32(bytes(200)), 200)])


XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '</Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>'),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="협약" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '</Relationships>'),
}
SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>'
              '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
SHEET_TAIL = "</sheetData></worksheet>"


@functools.lru_cache(maxsize=4)  # bytes: safe to share between tests
def xlsx_rows(rows: int, text: str = "자매결연") -> bytes:
    """A workbook of one sheet with `rows` inline-string rows (3 million make about 2.4 MB):
    rows without numbers (openpyxl counts them), deflated as one block repeated."""
    row = f'<row><c t="inlineStr"><is><t>{text}</t></is></c></row>'.encode()
    block_rows = 10_000
    count, rest = divmod(rows, block_rows)
    head, block, tail = SHEET_HEAD.encode(), row * block_rows, row * rest + SHEET_TAIL.encode()
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    head_data = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    block_data = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    tail_data = packer.compress(tail) + packer.flush()
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + len(block) * count + len(tail)
    sheet = RawEntry("xl/worksheets/sheet1.xml", head_data + block_data * count + tail_data, crc, size)
    return write_zip([entry(name, part.encode()) for name, part in XLSX_PARTS.items()] + [sheet])


HWPX_TYPE = "application/haansofthwpx"


def bomb_site(base: str) -> tuple[dict[str, Resource], list[str]]:
    """Two articles (the first linking /files/bomb.hwpx) and a feed that also lists
    /files/liar.hwpx as an article of its own."""
    stories = single_agreement_articles(2)
    resources = article_site(base, stories)
    first = f"/articles/{stories[0].page_id}.html"
    page = resources[first]
    linked = page.body.replace(b"</article>",
                               '<p><a href="/files/bomb.hwpx">협약서.hwpx</a></p></article>'.encode())
    resources[first] = Resource(linked, page.content_type, page.last_modified)
    resources["/files/bomb.hwpx"] = Resource(hwpx_mimetype_bomb(), HWPX_TYPE)
    resources["/files/liar.hwpx"] = Resource(hwpx_lying_bomb(), HWPX_TYPE)
    items = [(f"{base}/articles/{s.page_id}.html", s) for s in stories]
    items.append((f"{base}/files/liar.hwpx", stories[1]))
    resources["/feed.xml"] = Resource(rss_feed(base, items), "application/rss+xml; charset=utf-8")
    return resources, [first]


def sparse_file(path: Path, size: int) -> Path:
    """A file of `size` bytes that takes no disk space (a hole)."""
    with path.open("wb") as handle:
        handle.truncate(size)
    return path


class DribblingServer:
    """A raw HTTP server on 127.0.0.1 answering every request with 200 and a body of
    `length` bytes sent one byte every `interval` seconds — the headers promptly, or
    (`headers_too`) they as well, a byte at a time."""

    def __init__(self, length: int = 500 * 1024, interval: float = 1.0,
                 headers_too: bool = False) -> None:
        self.length, self.interval, self.headers_too = length, interval, headers_too
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self.requests: list[str] = []

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def __enter__(self) -> "DribblingServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stopped.set()
        self._listener.close()

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._dribble, args=(connection,), daemon=True).start()

    def _dribble(self, connection: socket.socket) -> None:
        with connection:
            try:
                request = connection.recv(65536).decode("latin-1")
                self.requests.append(request.split("\r\n", 1)[0])
                head = (f"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                        f"X-Padding: {'x' * 60000}\r\n" if self.headers_too else
                        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n")
                head += f"Content-Length: {self.length}\r\n\r\n"
                if not self.headers_too:
                    connection.sendall(head.encode())
                    head = ""
                for byte in head.encode() + b"#" * self.length:
                    if self._stopped.is_set():
                        return
                    connection.sendall(bytes([byte]))
                    time.sleep(self.interval)
            except OSError:
                return  # the client hung up: what the test wanted
