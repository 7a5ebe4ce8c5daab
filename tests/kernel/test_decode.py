"""Decoding: BOM, HTTP charset, meta declarations, detection when a declaration lies."""

from __future__ import annotations

import codecs
import os

import pytest

from twinwatch.pages.decode import decode_bytes, normalize_charset
from twinwatch.errors import ExtractionRejected

ARTICLE = ("<p>경기 안산시는 중국 훈춘시와 국제우호도시 관계를 맺기 위한 교류의향서를 교환했다고 "
           "11일 밝혔다. 두 도시는 경제·문화·관광 분야에서 협력하기로 했다.</p>")


def page(head: str = "", body: str = ARTICLE) -> str:
    return f"<!DOCTYPE html><html><head>{head}<title>안산시 소식</title></head><body>{body}</body></html>"


def test_undeclared_euc_kr_is_detected() -> None:
    decoded = decode_bytes(page().encode("euc-kr"))
    assert decoded.charset == "cp949" and decoded.source == "detected"
    assert "교류의향서를 교환했다고" in decoded.text


def test_undeclared_utf8_is_detected() -> None:
    decoded = decode_bytes(page().encode("utf-8"))
    assert (decoded.charset, decoded.source) == ("utf-8", "detected")


@pytest.mark.parametrize("head", ['<meta charset="euc-kr">',
                                  '<meta http-equiv="Content-Type" content="text/html; charset=EUC-KR">',
                                  "<meta charset=ks_c_5601-1987>"])
def test_meta_euc_kr_labels_read_as_cp949(head: str) -> None:
    # 똠 and 햏 are outside EUC-KR proper: only cp949 decodes them
    decoded = decode_bytes(page(head, ARTICLE + "<p>똠방각하 햏</p>").encode("cp949"))
    assert (decoded.charset, decoded.source) == ("cp949", "meta")
    assert "똠방각하 햏" in decoded.text


def test_utf8_declared_but_cp949_sent() -> None:
    decoded = decode_bytes(page('<meta charset="utf-8">').encode("cp949"))
    assert decoded.charset == "cp949" and decoded.source == "detected"
    assert "훈춘시와" in decoded.text


def test_euc_kr_declared_but_utf8_sent() -> None:
    decoded = decode_bytes(page('<meta charset="euc-kr">').encode("utf-8"))
    assert decoded.charset == "utf-8" and decoded.source == "detected"
    assert "훈춘시와" in decoded.text


def test_latin1_declared_on_korean_bytes() -> None:
    decoded = decode_bytes(page('<meta charset="iso-8859-1">').encode("cp949"))
    assert decoded.charset == "cp949"
    assert "훈춘시와" in decoded.text


def test_http_header_wins_over_meta() -> None:
    body = page('<meta charset="utf-8">').encode("cp949")
    decoded = decode_bytes(body, "text/html; charset=euc-kr")
    assert (decoded.charset, decoded.source) == ("cp949", "http")
    assert "훈춘시와" in decoded.text


def test_wrong_http_header_falls_through_to_meta() -> None:
    body = page('<meta charset="euc-kr">').encode("cp949")
    decoded = decode_bytes(body, "text/html; charset=utf-8")
    assert (decoded.charset, decoded.source) == ("cp949", "meta")


@pytest.mark.parametrize("encoding, bom", [("utf-8", codecs.BOM_UTF8),
                                           ("utf-16-le", codecs.BOM_UTF16_LE),
                                           ("utf-16-be", codecs.BOM_UTF16_BE)])
def test_bom_wins(encoding: str, bom: bytes) -> None:
    body = bom + page('<meta charset="euc-kr">').encode(encoding)
    decoded = decode_bytes(body, "text/html; charset=euc-kr")
    assert decoded.source == "bom" and "훈춘시와" in decoded.text
    assert not decoded.text.startswith("\ufeff")


def test_plain_text_euc_kr() -> None:
    decoded = decode_bytes("충주시와 부안군이 자매결연 협약서에 서명했다.\n".encode("euc-kr"))
    assert decoded.text.startswith("충주시와 부안군이")


@pytest.mark.parametrize("body, reason", [
    (b"", "empty"), (b"  \n\t ", "empty"),
    (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary"),
    (b"\x89PNG\r\n\x1a\n" + bytes(200), "binary"),
    (bytes(range(256)) * 40, "binary"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "binary"),
])
def test_rejections(body: bytes, reason: str) -> None:
    with pytest.raises(ExtractionRejected) as caught:
        decode_bytes(body)
    assert caught.value.reason == reason


def test_random_bytes_never_garble_silently() -> None:
    body = os.urandom(20000)
    with pytest.raises(ExtractionRejected) as caught:
        decode_bytes(body)
    assert caught.value.reason in ("binary", "undecodable")


@pytest.mark.parametrize("label, expected", [("EUC-KR", "cp949"), ("ks_c_5601-1987", "cp949"),
                                             ("UTF8", "utf-8"), ("x-unknown", None), (None, None)])
def test_normalize_charset(label: str | None, expected: str | None) -> None:
    assert normalize_charset(label) == expected


@pytest.mark.parametrize("encoding, declared", [("cp949", "euc-kr"), ("utf-8", "utf-8"), ("cp949", None)])
def test_a_stray_bad_byte_does_not_change_the_charset(encoding: str, declared: str | None) -> None:
    head = f'<meta charset="{declared}">' if declared else ""
    body = page(head, ARTICLE * 20).encode(encoding)
    middle = len(body) // 2
    decoded = decode_bytes(body[:middle] + b"\xff" + body[middle:])
    assert decoded.charset == ("cp949" if encoding == "cp949" else "utf-8")
    assert decoded.text.count("교류의향서를 교환했다고") >= 19
