"""Bytes → text: the first trustworthy of BOM, HTTP charset, in-page declaration, detection.

A declaration is only trusted when the bytes decode under it strictly; a page that lies about
its charset (UTF-8 declared, EUC-KR sent, or the reverse) is decoded by detection instead of
being garbled. EUC-KR and its aliases are read as cp949, the superset Korean sites really send.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

from twinwatch.errors import ExtractionRejected

BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"))
# Korean sites label cp949 text with any of these; cp949 decodes all of it.
KOREAN_ALIASES = {"euc-kr", "euckr", "euc_kr", "ks_c_5601-1987", "ks_c_5601", "ksc5601",
                  "ks_c_5601-1989", "x-windows-949", "windows-949", "cp949", "uhc", "ms949",
                  "korean", "csEUCKR".lower()}
BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b",
                b"\x7fELF", b"Rar!", b"7z\xbc\xaf", b"\xd0\xcf\x11\xe0")  # last: OLE (.xls, .hwp, .doc)
HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:\-]+)", re.I)
META_CHARSET = re.compile(
    rb"<meta[^>]+?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:\-]+)", re.I)
# A declaration sits in the head; 64 KB covers heads bloated with inline scripts.
HEAD_BYTES = 65536
HANGUL = re.compile(r"[\uac00-\ud7a3]")
CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text, the codec used and where the choice came from."""

    text: str
    charset: str  # Python codec name: utf-8, cp949, …
    source: str  # bom | http | meta | detected


def normalize_charset(name: str | None) -> str | None:
    """A codec name Python knows, with every EUC-KR label mapped to cp949; None if unknown."""
    if not name:
        return None
    label = name.strip().strip("\"'").lower()
    if label in KOREAN_ALIASES:
        return "cp949"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def header_charset(content_type: str | None) -> str | None:
    match = HEADER_CHARSET.search(content_type or "")
    return match.group(1) if match else None


def meta_charset(body: bytes) -> str | None:
    """The charset of `<meta charset>` or `<meta http-equiv=Content-Type content=…charset=>`."""
    match = META_CHARSET.search(body[:HEAD_BYTES])
    return match.group(1).decode("ascii", "replace") if match else None


def _strict(body: bytes, charset: str) -> str | None:
    try:
        return body.decode(charset)
    except (UnicodeDecodeError, LookupError):
        return None


def _is_multibyte_utf8(body: bytes) -> bool:
    """Valid UTF-8 with non-ASCII in it: legacy Korean text essentially never passes this."""
    return not body.isascii() and _strict(body, "utf-8") is not None


def _looks_korean(text: str) -> bool:
    """cp949 read of non-cp949 bytes yields rare hanja and symbols, not Hangul syllables."""
    non_ascii = sum(1 for char in text if ord(char) > 127)
    return non_ascii > 0 and len(HANGUL.findall(text)) >= 0.6 * non_ascii


def _trusted(body: bytes, declared: str | None) -> str | None:
    """Text under a declared charset, or None when the bytes contradict the declaration."""
    charset = normalize_charset(declared)
    if not charset:
        return None
    if charset != "utf-8" and _is_multibyte_utf8(body):
        return None  # the page is UTF-8 whatever it says
    if charset not in ("utf-8", "cp949"):
        korean = _strict(body, "cp949")
        if korean is not None and _looks_korean(korean):
            return None  # a single-byte label on Korean bytes would garble every syllable
    return _strict(body, charset)


def _nearly(body: bytes, charset: str) -> str | None:
    """Text under `charset` when only a stray byte or two fails (one in two thousand at most).

    Real Korean CMS pages carry the odd truncated character; one bad byte must not send a
    whole page to a guess at some other charset.
    """
    text = body.decode(charset, errors="replace")
    bad = text.count("\ufffd")
    if bad > max(4, len(text) // 2000):
        return None
    return text if charset == "utf-8" or _looks_korean(text) else None


def _detect(body: bytes) -> Decoded | None:
    """UTF-8, then cp949 (the two charsets Korean pages use), strictly, then with a stray bad
    byte tolerated, then charset-normalizer."""
    for charset in ("utf-8", "cp949"):
        text = _strict(body, charset)
        if text is not None and (charset == "utf-8" or _looks_korean(text)):
            return Decoded(text, charset, "detected")
    for charset in ("utf-8", "cp949"):
        text = _nearly(body, charset)
        if text is not None:
            return Decoded(text, charset, "detected")
    best = from_bytes(body).best()
    if best is None or best.encoding is None:
        return None
    charset = normalize_charset(best.encoding) or best.encoding
    text = _strict(body, charset)
    return Decoded(text, charset, "detected") if text is not None else None


def _reject_binary(body: bytes) -> None:
    if body.startswith(BINARY_MAGIC):
        raise ExtractionRejected("binary", "binary file, not a text page")


def _check_text(decoded: Decoded) -> Decoded:
    """Readable text has almost no control characters; decoded binary is full of them."""
    sample = decoded.text[:200000]
    if len(CONTROL.findall(sample)) > max(2, len(sample) // 200):
        raise ExtractionRejected("binary", f"binary content (read as {decoded.charset})")
    return decoded


def decode_bytes(body: bytes, content_type: str | None = None) -> Decoded:
    """Decode a page or text file; raises ExtractionRejected('empty'|'binary'|'undecodable')."""
    if not body or not body.strip():
        raise ExtractionRejected("empty", "empty input")
    for bom, charset in BOMS:
        if body.startswith(bom):
            text = _strict(body[len(bom):], charset)
            if text is not None:
                return _check_text(Decoded(text, charset, "bom"))
    _reject_binary(body)
    for declared, source in ((header_charset(content_type), "http"), (meta_charset(body), "meta")):
        text = _trusted(body, declared)
        if text is not None:
            return _check_text(Decoded(text, normalize_charset(declared) or "utf-8", source))
    detected = _detect(body)
    if detected is None:
        if b"\x00" in body[:4096]:
            raise ExtractionRejected("binary", "binary content")
        raise ExtractionRejected("undecodable", "no charset decodes these bytes")
    return _check_text(detected)
