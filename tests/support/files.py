"""Attachment files built from scratch for tests: HWPX (a zip of XML) and HWP 5 (an OLE2
compound file), written from the formats' published layouts so no binary fixture is checked in.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from xml.sax.saxutils import escape

# -- HWPX ---------------------------------------------------------------------------------------

HWPX_SECTION = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<hs:sec xmlns:hs="http://www.hancom.co.kr/hwpml/2011/section" '
    'xmlns:hp="http://www.hancom.co.kr/hwpml/2011/paragraph">{}</hs:sec>'
)

HWPX_MANIFEST = '<odf:manifest xmlns:odf="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>'


def make_hwpx(paragraphs: list[str]) -> bytes:
    body = "".join(f"<hp:p><hp:run><hp:t>{escape(text)}</hp:t></hp:run></hp:p>" for text in paragraphs)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/hwp+zip")  # stored first, as Hancom does
        archive.writestr("META-INF/manifest.xml", HWPX_MANIFEST)
        archive.writestr("Contents/section0.xml", HWPX_SECTION.format(body), zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


# -- HWP 5 --------------------------------------------------------------------------------------

TAG_DOCUMENT_PROPERTIES = 16
TAG_PARA_TEXT = 67
FLAG_COMPRESSED = 1


def _record(tag: int, payload: bytes, level: int = 0) -> bytes:
    return struct.pack("<I", tag | (level << 10) | (len(payload) << 20)) + payload


def _deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(wbits=-15)  # HWP streams are raw deflate
    return packer.compress(data) + packer.flush()


def make_hwp5(paragraphs: list[str], flags: int = FLAG_COMPRESSED) -> bytes:
    header = b"HWP Document File".ljust(32, b"\0") + struct.pack("<II", 0x05000300, flags)
    doc_info = _record(TAG_DOCUMENT_PROPERTIES, struct.pack("<H", 1).ljust(26, b"\0"))
    section = b"".join(_record(TAG_PARA_TEXT, (text + "\r").encode("utf-16-le")) for text in paragraphs)
    if flags & FLAG_COMPRESSED:
        doc_info, section = _deflate(doc_info), _deflate(section)
    return compound_file({"FileHeader": header.ljust(256, b"\0"), "DocInfo": doc_info},
                         {"BodyText": {"Section0": section}})


# -- OLE2 compound file (CFB v3): every stream < 4096 bytes, so all live in the mini stream --

SECTOR, MINI = 512, 64
FREE, END, FAT_SECTOR, NONE = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _entry(name: str, kind: int, child: int = NONE, left: int = NONE, right: int = NONE,
           start: int = 0, size: int = 0) -> bytes:
    encoded = (name + "\0").encode("utf-16-le")
    return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", left, right, child) + b"\0" * 36 + struct.pack("<IQ", start, size))


def _sibling_order(name: str) -> tuple[int, str]:
    return (len(name), name.upper())  # the order CFB keeps siblings in


def _mini_stream(streams: dict[str, bytes], storages: dict[str, dict[str, bytes]]
                 ) -> tuple[bytes, list[int], dict[str, tuple[int, int]]]:
    """Every stream packed in 64-byte mini sectors: (mini stream, mini FAT, path → (first, size))."""
    mini_stream, mini_fat = b"", []
    placed: dict[str, tuple[int, int]] = {}
    paths = [(name, data) for name, data in streams.items()]
    paths += [(f"{storage}/{name}", data) for storage, kids in storages.items() for name, data in kids.items()]
    for path, data in paths:
        first, count = len(mini_stream) // MINI, max(1, -(-len(data) // MINI))
        mini_fat.extend(list(range(first + 1, first + count)) + [END])
        mini_stream += data.ljust(count * MINI, b"\0")
        placed[path] = (first, len(data))
    return mini_stream, mini_fat, placed


def compound_file(streams: dict[str, bytes], storages: dict[str, dict[str, bytes]]) -> bytes:
    """A compound file with top-level `streams` and one level of `storages`."""
    mini_stream, mini_fat, placed = _mini_stream(streams, storages)

    # Directory: 0 root, then top-level entries as a chain of right siblings in CFB order,
    # then each storage's children. Every node is black; a chain is a valid (if lopsided) tree.
    top = sorted([*streams, *storages], key=_sibling_order)
    ids = {name: 1 + i for i, name in enumerate(top)}
    next_id = 1 + len(top)
    child_ids: dict[str, list[int]] = {}
    for storage, children in storages.items():
        child_ids[storage] = list(range(next_id, next_id + len(children)))
        next_id += len(children)

    mini_fat_bytes = b"".join(struct.pack("<I", v) for v in mini_fat).ljust(SECTOR, b"\xff")
    directory_sectors = -(-next_id // 4)
    mini_stream_sectors = max(1, -(-len(mini_stream) // SECTOR))
    first_dir, first_minifat = 1, 1 + directory_sectors
    first_ministream = first_minifat + 1

    entries = [_entry("Root Entry", 5, child=ids[top[0]], start=first_ministream, size=len(mini_stream))]
    for position, name in enumerate(top):
        right = ids[top[position + 1]] if position + 1 < len(top) else NONE
        if name in storages:
            entries.append(_entry(name, 1, child=child_ids[name][0], right=right))
        else:
            first, size = placed[name]
            entries.append(_entry(name, 2, right=right, start=first, size=size))
    for storage, children in storages.items():
        kids = sorted(children, key=_sibling_order)
        for position, name in enumerate(kids):
            right = child_ids[storage][position + 1] if position + 1 < len(kids) else NONE
            first, size = placed[f"{storage}/{name}"]
            entries.append(_entry(name, 2, right=right, start=first, size=size))
    directory = b"".join(entries).ljust(directory_sectors * SECTOR, b"\0")

    fat = [FAT_SECTOR]
    fat += [first_dir + i + 1 for i in range(directory_sectors - 1)] + [END]
    fat += [END]  # the mini FAT: one sector
    fat += [first_ministream + i + 1 for i in range(mini_stream_sectors - 1)] + [END]
    fat_bytes = b"".join(struct.pack("<I", v) for v in fat).ljust(SECTOR, b"\xff")

    head = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
            + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
            + struct.pack("<IIIIIIIII", 0, 1, first_dir, 0, 4096, first_minifat, 1, END, 0)
            + struct.pack("<I", 0) + b"\xff" * (109 * 4 - 4))
    return head + fat_bytes + directory + mini_fat_bytes + mini_stream.ljust(mini_stream_sectors * SECTOR, b"\0")
