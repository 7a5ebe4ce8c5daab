"""A document as a flat sequence of blocks: headings, lines and table rows.

The readers of tables, lists and profiles all work on this one shape, whether the document came
as plain text, TSV/CSV, an xlsx export (tab-separated rows) or HTML (headings, `<li>`, `<tr>`,
`<dl>`, `<pre>`). HTML keeps what text loses: which line is a heading and which cells form a row
(with `rowspan` carried down, as partner-city tables group rows under a merged 구분 cell).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

import lxml.html
from lxml import etree

HEADING, LINE, ROW = "heading", "line", "row"

SKIPPED_TAGS = frozenset({"script", "style", "noscript", "head", "template", "svg", "iframe",
                          "button", "select", "form", "nav"})
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "caption"})
BLOCK_TAGS = frozenset({"p", "div", "section", "article", "main", "aside", "header", "footer",
                        "ul", "ol", "li", "dl", "dt", "dd", "table", "tr", "td", "th", "thead",
                        "tbody", "tfoot", "pre", "blockquote", "body", "center", "figure",
                        "figcaption", "address", "hr", "fieldset", "details", "summary"}
                       | HEADING_TAGS)
LIST_MARKER = re.compile(r"^\s*(?:[•·∙◦▪▫■□◆◇○●◎▶▷►▸※\-–—*]|\d{1,2}[.)]\s|[①-⑳]|[가-하][.)]\s)+\s*")
ALIGNED_GAP = re.compile(r"(?<=\S)[ \u3000]{2,}(?=\S)")
SPACES = re.compile(r"[ \t\u00a0\u3000]+")


@dataclass(frozen=True, slots=True)
class Block:
    """One heading, line or table row; `cells` holds a row's cells (a line has one)."""

    kind: str
    text: str
    cells: tuple[str, ...] = ()
    printed: tuple[str, ...] | None = None  # a row's own cells, without rowspan carry-downs


def clean(text: str) -> str:
    """A cell or line with its whitespace collapsed and its list marker kept."""
    return SPACES.sub(" ", text.replace("\u200b", "")).strip()


def strip_marker(text: str) -> str:
    """A line without its leading bullet ('•', '-', '※', '①', '1.')."""
    return LIST_MARKER.sub("", text, count=1).strip()


def blocks_from_text(text: str, fmt: str = "txt") -> list[Block]:
    """Lines of plain text; a line with tabs (or any CSV line) is a row of cells."""
    if fmt == "csv":
        return _csv_blocks(text)
    blocks: list[Block] = []
    for raw in text.splitlines():
        if "\t" in raw.strip(" \u00a0"):
            cells = tuple(clean(cell) for cell in raw.split("\t"))
            if any(cells):
                blocks.append(Block(ROW, "\t".join(cells), _trim_cells(cells)))
            continue
        line = clean(raw)
        if line:
            blocks.append(Block(LINE, line, (line,)))
    return blocks


def _csv_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    for record in csv.reader(io.StringIO(text)):
        cells = tuple(clean(cell) for cell in record)
        if sum(1 for cell in cells if cell) > 1:
            blocks.append(Block(ROW, "\t".join(cells), _trim_cells(cells)))
        elif any(cells):
            line = next(cell for cell in cells if cell)
            blocks.append(Block(LINE, line, (line,)))
    return blocks


def _trim_cells(cells: tuple[str, ...]) -> tuple[str, ...]:
    """Cells without the empty ones a sheet pads a row with on the right."""
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return cells[:end]


def blocks_from_html(html: str) -> list[Block]:
    """Headings, lines and rows of an HTML page, in document order."""
    try:
        root = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return []
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    body = root.find("body")
    blocks: list[Block] = []
    _walk(body if body is not None else root, blocks)
    return blocks


def _looks_like_csv(text: str) -> bool:
    """A comma-separated preview: most lines hold as many commas as the header."""
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) < 2 or lines[0].count(",") < 2:
        return False
    columns = lines[0].count(",")
    return sum(1 for line in lines if line.count(",") >= columns) >= 0.8 * len(lines)


def _tag(element: etree._Element) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


def _text_of(element: etree._Element) -> str:
    return clean(" ".join(element.itertext()))


def _lines_of(text: str) -> list[Block]:
    if not text or text.isspace():  # most runs between blocks are layout whitespace only
        return []
    return [Block(LINE, line, (line,)) for line in (clean(part) for part in text.split("\n")) if line]


def _walk(element: etree._Element, out: list[Block]) -> None:
    tag = _tag(element)
    if tag in SKIPPED_TAGS or not tag:
        return
    if tag in HEADING_TAGS:
        heading = _text_of(element)
        if heading:
            out.append(Block(HEADING, heading, (heading,)))
        return
    if tag == "table":
        if element.find(".//table") is not None:
            _walk_mixed(element, out)  # a layout table: its cells hold the real tables
        else:
            out.extend(_table_rows(element))
        return
    if tag == "pre":
        text = "".join(element.itertext())
        if "\t" not in text and _looks_like_csv(text):
            out.extend(blocks_from_text(text, "csv"))
            return
        if "\t" not in text:  # a fixed-width table: columns apart by two or more spaces
            text = ALIGNED_GAP.sub("\t", text)
        out.extend(blocks_from_text(text))
        return
    if tag == "dl":
        out.extend(_definition_lines(element))
        return
    _walk_mixed(element, out)


def _walk_mixed(element: etree._Element, out: list[Block]) -> None:
    """Inline runs become lines; block children are walked in place."""
    buffer: list[str] = [element.text or ""]
    for child in element:
        tag = _tag(child)
        if tag in BLOCK_TAGS or tag in SKIPPED_TAGS:
            out.extend(_lines_of("".join(buffer)))
            buffer = []
            _walk(child, out)
        elif tag:
            buffer.append("".join(child.itertext()))
        buffer.append(child.tail or "")
    out.extend(_lines_of("".join(buffer)))


def _definition_lines(element: etree._Element) -> list[Block]:
    """<dt>결연일</dt><dd>1998.8.3</dd> → the line '결연일 : 1998.8.3'."""
    lines: list[Block] = []
    label: str | None = None
    for child in element:
        if _tag(child) == "dt":
            label = _text_of(child)
        elif _tag(child) == "dd":
            value = _text_of(child)
            line = f"{label} : {value}" if label else value
            lines.append(Block(LINE, line, (line,)))  # a label holds for each <dd> after it
    return lines


def _table_rows(table: etree._Element) -> list[Block]:
    """Rows of a table with rowspan/colspan cells repeated where they reach."""
    rows: list[Block] = []
    carried: dict[int, tuple[str, int]] = {}  # column → (text, rows still covered)
    for tr in table.iter("tr"):
        if _nearest_table(tr) is not table:
            continue
        cells: list[str] = []
        printed: list[str] = []
        source = [cell for cell in tr if _tag(cell) in ("td", "th")]
        column = 0
        while source or column in carried:
            if column in carried:
                text, remaining = carried[column]
                cells.append(text)
                carried[column] = (text, remaining - 1)
                if remaining - 1 <= 0:
                    del carried[column]
                column += 1
                continue
            cell = source.pop(0)
            text = _text_of(cell)
            printed.append(text)
            span = _int_attribute(cell, "colspan")
            down = _int_attribute(cell, "rowspan")
            for offset in range(span):
                cells.append(text)
                if down > 1:
                    carried[column + offset] = (text, down - 1)
            column += span
        if any(cells):
            if len(cells) == 1:
                rows.append(Block(LINE, cells[0], (cells[0],)))
                continue
            kind = HEADING if len(set(filter(None, cells))) == 1 else ROW
            rows.append(Block(kind, "\t".join(cells), tuple(cells), tuple(printed)))
    return rows


def _nearest_table(element: etree._Element) -> etree._Element | None:
    parent = element.getparent()
    while parent is not None and _tag(parent) != "table":
        parent = parent.getparent()
    return parent


def _int_attribute(cell: etree._Element, name: str) -> int:
    try:
        return max(1, min(50, int(cell.get(name, "1"))))
    except ValueError:
        return 1
