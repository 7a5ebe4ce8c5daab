"""A minimal PDF writer for the demo's press-release attachment (Korean text, one or more pages).

Text is drawn with Acrobat's standard Korean font (HYSMyeongJo-Medium, not embedded) through the
predefined `UniKS-UCS2-H` CMap, so each character is its UTF-16 code: viewers render it with their
Korean font pack and text extractors (pypdf) read it back without a ToUnicode table.
"""

from __future__ import annotations

import textwrap

LINE_CHARS = 34  # Hangul glyphs are about one em wide: 34 × 11 pt fits an A4 text column
LINES_PER_PAGE = 48


def _text_hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def _content_stream(lines: list[str]) -> bytes:
    shown = "\n".join(f"<{_text_hex(line)}> Tj T*" for line in lines)
    return f"BT /F1 11 Tf 16 TL 56 790 Td\n{shown}\nET".encode("ascii")


def _wrap(paragraphs: list[str]) -> list[str]:
    lines: list[str] = []
    for paragraph in paragraphs:
        lines.extend(textwrap.wrap(paragraph, LINE_CHARS) or [""])
        lines.append("")
    return lines


def write_pdf(title: str, paragraphs: list[str]) -> bytes:
    """A valid PDF 1.4 file showing `title` and `paragraphs` (wrapped, paged as needed)."""
    lines = [title, ""] + _wrap(paragraphs)
    pages = [lines[i:i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]
    first_page_id = 6
    page_ids = [first_page_id + 2 * n for n in range(len(pages))]
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: f"<< /Type /Pages /Kids [{' '.join(f'{p} 0 R' for p in page_ids)}] /Count {len(pages)} >>".encode(),
        3: (b"<< /Type /Font /Subtype /Type0 /BaseFont /HYSMyeongJo-Medium /Encoding /UniKS-UCS2-H "
            b"/DescendantFonts [4 0 R] >>"),
        4: (b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /HYSMyeongJo-Medium "
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Korea1) /Supplement 1 >> "
            b"/FontDescriptor 5 0 R /DW 1000 >>"),
        5: (b"<< /Type /FontDescriptor /FontName /HYSMyeongJo-Medium /Flags 6 "
            b"/FontBBox [0 -148 1001 880] /ItalicAngle 0 /Ascent 880 /Descent -120 "
            b"/CapHeight 880 /StemV 60 >>"),
    }
    for page_id, page_lines in zip(page_ids, pages):
        stream = _content_stream(page_lines)
        objects[page_id] = (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {page_id + 1} 0 R >>").encode()
        objects[page_id + 1] = f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream"
    return _assemble(objects)


def _assemble(objects: dict[int, bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += f"{number} 0 obj\n".encode() + objects[number] + b"\nendobj\n"
    xref_at = len(out)
    count = max(objects) + 1
    out += f"xref\n0 {count}\n0000000000 65535 f \n".encode()
    for number in range(1, count):
        out += f"{offsets[number]:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {count} /Root 1 0 R >>\nstartxref\n{xref_at}\n%%EOF\n".encode()
    return bytes(out)
