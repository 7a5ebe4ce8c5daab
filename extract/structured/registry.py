"""Registry exports: the official list of local governments' exchange ties, as .xlsx or .csv.

A registry file has a header row naming its columns (자치단체 or 광역/기초, 국가, 도시, 교류형태,
체결일, …; the same column roles the table reader knows) and one relationship per row.
`read_registry(path)` returns one `RegistryRow` per relationship and raises `RegistryError`
naming the file and the row for anything it cannot read, so a bad export is fixed at its source
instead of being half-compared.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from extract.structured.context import date_in
from extract.structured.places import country_code, korean_government, split_place
from extract.structured.tables import header_roles
from extract.structured.vocab import agreement_type
from twinwatch.pages.archives import check_archive, is_zip, read_local_file
from extract.page.reader import XLSX_LIMITS
from twinwatch.errors import ExtractionRejected, TwinwatchError

REGISTRY_SUFFIXES = (".xlsx", ".csv")
# The national registry lists a few thousand ties (well under 1 MB); these bound a wrong file.
MAX_REGISTRY_BYTES = 50 * 1024 * 1024
MAX_REGISTRY_ROWS = 200_000
# Rows read before giving up on finding the header (exports put a title above it).
HEADER_SEARCH_ROWS = 10
EMPTY_VALUES = frozenset({"", "-", "–", "—", "·"})


class RegistryError(TwinwatchError):
    """A registry file that cannot be read; the message names the file and the row."""


@dataclass(frozen=True, slots=True)
class RegistryRow:
    """One relationship of the registry: who, with whom, which stage, since when."""

    row: int  # 1-based row number in the file (spreadsheet numbering)
    korean_party: str
    korean_province: str | None
    party_id: str | None
    partner: str
    partner_country: str | None
    agreement_type: str
    date: str | None


def read_registry(path: str | Path) -> list[RegistryRow]:
    """Every relationship of a registry export; RegistryError on a malformed file or row."""
    source = Path(path)
    if source.suffix.lower() not in REGISTRY_SUFFIXES:
        raise RegistryError(f"{source}: a registry export must be .xlsx or .csv")
    if not source.is_file():
        raise RegistryError(f"{source}: no such file")
    try:
        raw = read_local_file(source, MAX_REGISTRY_BYTES)
        if source.suffix.lower() == ".xlsx" and is_zip(raw):
            check_archive(raw, XLSX_LIMITS)
    except ExtractionRejected as exc:
        raise RegistryError(f"{source}: refused ({exc.reason}): {exc}") from exc
    except OSError as exc:
        raise RegistryError(f"{source}: cannot read it ({exc.strerror or exc})") from exc
    rows = []
    for row in _xlsx_rows(source, raw) if source.suffix.lower() == ".xlsx" else _csv_rows(source, raw):
        rows.append(row)
        if len(rows) > MAX_REGISTRY_ROWS:
            raise RegistryError(f"{source}: more than {MAX_REGISTRY_ROWS} rows: not a registry export")
    header_at, roles = _find_header(source, rows)
    relationships: list[RegistryRow] = []
    for number, cells in rows[header_at + 1:]:
        if all(cell in EMPTY_VALUES for cell in cells):
            continue
        relationships.append(_relationship(source, number, cells, roles))
    return relationships


def _csv_rows(source: Path, raw: bytes) -> Iterator[tuple[int, tuple[str, ...]]]:
    for encoding in ("utf-8-sig", "cp949"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise RegistryError(f"{source}: neither UTF-8 nor CP949 text")
    for number, record in enumerate(csv.reader(io.StringIO(text)), start=1):
        yield number, tuple(cell.strip() for cell in record)


def _xlsx_rows(source: Path, raw: bytes) -> Iterator[tuple[int, tuple[str, ...]]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise RegistryError(f"{source}: not a readable .xlsx workbook ({exc})") from exc
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # a declared A1:XFD1048576 would pad every row to 16,384 cells
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, tuple(_cell_text(value) for value in values)
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _find_header(source: Path, rows: list[tuple[int, tuple[str, ...]]]) -> tuple[int, dict[str, int]]:
    for index, (_, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        roles = header_roles(cells)
        if {"partner", "type"} <= roles.keys() and ({"party", "province"} & roles.keys()):
            return index, roles
    raise RegistryError(f"{source}: no header row with the columns 자치단체 (or 광역/기초), 도시, "
                        f"교류형태 in its first {HEADER_SEARCH_ROWS} rows")


def _cell(cells: tuple[str, ...], roles: dict[str, int], role: str) -> str:
    index = roles.get(role)
    value = cells[index] if index is not None and index < len(cells) else ""
    return "" if value in EMPTY_VALUES else value


def _relationship(source: Path, number: int, cells: tuple[str, ...],
                  roles: dict[str, int]) -> RegistryRow:
    where = f"{source}: row {number}"
    party_text = " ".join(filter(None, (_cell(cells, roles, "province"), _cell(cells, roles, "party"))))
    party = korean_government(party_text, allow_ambiguous=True) if party_text else None
    if party is None:
        raise RegistryError(f"{where}: '{party_text}' is no Korean local government")
    kind_text = _cell(cells, roles, "type")
    kind = agreement_type(kind_text) if kind_text else None
    if kind is None:
        raise RegistryError(f"{where}: unknown 교류형태 '{kind_text}'")
    partner_text = _cell(cells, roles, "partner")
    place = split_place(partner_text) if partner_text else None
    if place is None:
        raise RegistryError(f"{where}: no partner city in '{partner_text}'")
    date_text = _cell(cells, roles, "date")
    found = date_in(date_text) if date_text else None
    if date_text and found is None:
        raise RegistryError(f"{where}: unreadable 체결일 '{date_text}'")
    country_text = _cell(cells, roles, "country")
    country = place.country or (country_code(country_text) if country_text else None)
    return RegistryRow(number, party.name, party.province, party.place_id, place.partner, country,
                       kind, found.value if found else None)
