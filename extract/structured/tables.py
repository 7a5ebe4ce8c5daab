"""Tables of agreements: a header row names the columns, each row below may be one agreement.

Columns are recognised by role from their header: the agreement's name (협정명, 교류건명), its
type (교류형태, 구분), a description (교류 내용), the partner (협정대상, 교류국가 (도시), 도시),
the Korean party (자치단체, 한국측_지자체), country, region and date (협정일자, 체결일). A row
is an event when its type or name states an agreement with a local government; a row without a
date counts only when its own name or type states the agreement (a description of a visit that
mentions an MOU does not).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from extract.records import Event
from extract.structured.blocks import HEADING, ROW, Block
from extract.structured.context import ReadContext, date_in, dates_in, make_event
from extract.structured.lists import LineScope, entry_events
from extract.structured.places import (KoreanGovernment, PlaceParts, country_code, korean_government,
                                       split_place)
from extract.structured.vocab import (agreement_type, heading_type, is_non_government,
                                      is_region_heading, is_renewal, is_sub_municipal, is_visit,
                                      names_relationship, squash)

PARENTHESISED = re.compile(r"\([^)]*\)|（[^）]*）")
# Header roles, tried in this order on the header text without spaces and parentheses.
ROLE_SOURCES: tuple[tuple[str, str], ...] = (
    ("province", r"^광역(?:자치단체|지자체)명?$|^시[·.]?도명?$|^광역시[·.]?도$"),
    ("party", r"^(?:한국|국내|우리|아국)측?|^korean|^(?:local)?government$|^(?:지방)?자치단체명?$|^지자체명?$|^기관명$|"
              r"^기초(?:자치단체|지자체)명?$|^시[·.]?군[·.]?구?명?$|^광역[·/]?기초$"),
    ("date", r"(?:협정|체결|결연|협약|조인|서명|교류)(?:일|일자|연월일|년월일|시기|년도|연도|날짜)$|"
             r"^(?:일자|날짜|연월일)$|date|^signed|^year$"),
    ("name", r"협정명|협약명|교류건명|^건명$|명칭|제목|협정서명|^agreement"),
    ("type", r"교류형태|결연형태|교류유형|협정유형|협약유형|교류구분|협정구분|결연구분|결연종류|"
             r"^(?:구분|유형|형태|종류|관계|교류관계|type|kind|relation(?:ship)?)$"),
    ("partner", r"측_?(?:지자체|도시|기관)명?$|^(?:외국|해외|상대|교류|자매|우호|결연)(?:자치단체|지자체|도시|기관)|"
                r"협정대상|협약대상|교류국가|교류도시|상대도시|자매도시|"
                r"우호도시|결연도시|해외도시|교류지자체|상대지자체|국가[·/,]?도시|^(?:도시|도시명|대상도시|"
                r"교류대상|대상|지자체명|city)$|partner|^foreign|^sister"),
    ("country", r"^(?:국가|국가명|나라|상대국가?|상대국가명|소재국가?|country)$"),
    ("region", r"광역$|^(?:성|주|성/주|주/성|지역|region|province|state)$"),
    ("content", r"내용$"),
    ("note", r"^비고$|^참고$|^메모$|^note"),
)
ROLE_PATTERNS = tuple((role, re.compile(pattern, re.I)) for role, pattern in ROLE_SOURCES)
# A row about a tie still being worked out states no agreement ('추진 중', '협의 중').
PENDING = re.compile(r"추진|협의|예정|검토|논의|미정|계획")
# A row of an 읍·면·동 tie says so in a note ('읍 단위') or names one in its title.
SUB_MUNICIPAL_NOTE = re.compile(r"[읍면동리]\s*단위|[읍면]\s*[·,]\s*[면동]")
EMPTY_CELL = re.compile(r"^[-–—·.\s]*$")
HEADER_MAX_CHARS = 14
MORE = "+"  # suffix of a role's second column
# A header needs a partner or name column and something that says what was agreed.
MIN_ROLES = 2


def find_table_events(context: ReadContext) -> list[Event]:
    """Every agreement row of every table in the document."""
    events: list[Event] = []
    for roles, rows in _tables(context.blocks):
        header_index, header = rows[0]
        carried_type = _table_type(context.blocks, header_index, header, roles)
        country_row: str | None = None  # a full-width '미국' row over its cities
        for _, row in rows[1:]:
            if row.kind == HEADING:
                if country_code(row.cells[0]):
                    country_row = row.cells[0]
                elif not is_region_heading(row.cells[0]):
                    carried_type = agreement_type(row.text)
                continue
            found, carried_type = _row_events(context, roles, row.cells, carried_type, row.printed,
                                              country_row)
            events.extend(found)
    return events


# A heading over a table of activities, not of ties.
ACTIVITY_HEADING = re.compile(r"실적|교류현황|교류내용|활동|방문|행사|일정")
HEADING_REACH = 3


def _table_type(blocks: list[Block], header_index: int, header: Block,
                roles: dict[str, int]) -> str | None:
    """The one kind of tie a table's partner column ('자매도시') or the heading just above it
    ('우호협력도시') names; rows inherit it when they state no type of their own."""
    partner_header = _cell(header.cells, roles, "partner")
    if partner_header and heading_type(partner_header):
        return heading_type(partner_header)
    for block in reversed(blocks[max(0, header_index - HEADING_REACH):header_index]):
        if block.kind == ROW:
            break
        if ACTIVITY_HEADING.search(squash(block.text)):
            return None
        kind = heading_type(block.text)
        if kind and names_relationship(block.text) and len(squash(block.text)) <= 30:
            return kind
    return None


def header_roles(cells: tuple[str, ...]) -> dict[str, int]:
    """Column index of each role a header row names (first column wins per role)."""
    roles: dict[str, int] = {}
    for index, cell in enumerate(cells):
        label = PARENTHESISED.sub("", cell) or cell
        label = re.sub(r"[\s()]+", "", label).replace("（", "").replace("）", "")
        if len(label) > HEADER_MAX_CHARS or re.search(r"\d", label):
            continue  # a value, not a column label
        for role, pattern in ROLE_PATTERNS:
            if pattern.search(label):
                if role in roles and roles[role] == index - 1 and cells[index - 1] == cell:
                    roles.setdefault(role + MORE, index)  # '교류도시' over 국가 and 도시 (colspan)
                roles.setdefault(role, index)
                break
    return roles


def _is_header(roles: dict[str, int], cells: tuple[str, ...] = ()) -> bool:
    """A partner or name column and something that says what was agreed: a date, type or name
    column, or a partner column that names the tie itself ('자매도시(체결일)')."""
    named = [role for role in roles if not role.endswith(MORE)]
    if len(named) < MIN_ROLES or not ("partner" in roles or "name" in roles):
        return False
    if {"date", "type", "name"} & roles.keys():
        return True
    column = roles.get("partner")
    return column is not None and column < len(cells) and heading_type(cells[column]) is not None


IndexedRows = list[tuple[int, Block]]


def _tables(blocks: list[Block]) -> Iterator[tuple[dict[str, int], IndexedRows]]:
    """(roles, indexed data rows) for each header row and the rows (and in-table headings)
    after it; the header's own index comes first in the list."""
    roles: dict[str, int] | None = None
    rows: IndexedRows = []
    for index, block in enumerate(blocks):
        if block.kind == ROW:
            found = header_roles(block.cells)
            if _is_header(found, block.cells) and not any(date_in(cell) for cell in block.cells if cell):
                if roles is not None:
                    yield roles, rows
                roles, rows = found, [(index, block)]
            elif roles is not None:
                rows.append((index, block))
        elif roles is not None and block.kind == HEADING and _grouping_row(block):
            rows.append((index, block))  # a full-width '자매결연' or '미국' row groups the rows below
        elif roles is not None:
            yield roles, rows
            roles, rows = None, []
    if roles is not None:
        yield roles, rows


def _grouping_row(block: Block) -> bool:
    label = block.cells[0] if block.cells else block.text
    return names_relationship(label) or bool(country_code(label)) or is_region_heading(label)


def table_blocks(blocks: list[Block]) -> set[int]:
    """Indexes of the blocks that belong to a recognised table (header and rows)."""
    return {index for _, rows in _tables(blocks) for index, _ in rows}


def _cell(cells: tuple[str, ...], roles: dict[str, int], role: str) -> str:
    """A row's cell for a role; a role whose header spans two columns joins both cells."""
    parts = [cells[index] for index in (roles.get(role), roles.get(role + MORE))
             if index is not None and index < len(cells) and cells[index]]
    return " ".join(parts)


def _row_events(context: ReadContext, roles: dict[str, int], cells: tuple[str, ...],
                carried_type: str | None, printed: tuple[str, ...] | None = None,
                country_row: str | None = None) -> tuple[list[Event], str | None]:
    """The events a data row states and the type a merged 구분 cell carries on; `printed` are
    the cells the row itself shows (its evidence). A partner cell with several dated partners
    ('미국 버뱅크시(1961.4.5), 일본 벳푸시(1987.3.2)') gives one event each."""
    cells = tuple("" if EMPTY_CELL.match(cell) else cell for cell in cells)
    name, type_cell = _cell(cells, roles, "name"), _cell(cells, roles, "type")
    date_cell = _cell(cells, roles, "date")
    date_found = date_in(date_cell) if date_cell else None
    partner_dates = dates_in(_cell(cells, roles, "partner")) if not date_cell else []
    if len(partner_dates) == 1:
        date_found = partner_dates[0]  # '헝가리 미슈콜츠시(2011.11.14)' under '자매도시(체결일)'
    if _row_excluded(cells, name or _cell(cells, roles, "content"), date_cell, date_found is not None):
        return [], carried_type
    kind = _row_type(name, type_cell or _relationship_in(date_cell), _cell(cells, roles, "content"),
                     dated=date_found is not None)
    if type_cell and kind:
        carried_type = kind
    elif kind is None and not type_cell:
        kind = carried_type  # a merged 구분 cell above, or the table's heading
        if kind is not None and any(is_visit(cell) for cell in cells):
            return [], carried_type
    if kind is None or is_renewal(name) or (date_found is None and is_visit(name)):
        return [], carried_type
    party = _row_party(context, cells, roles, name)
    if party is None or is_non_government(party.name):
        return [], carried_type
    place = _row_place(cells, roles, name)
    if place is None:
        partner_cell = _cell(cells, roles, "partner")
        if date_found is None and len(dates_in(partner_cell)) >= 2:
            scope = LineScope(kind, country_row or _cell(cells, roles, "country") or None, party)
            return entry_events(context, partner_cell, scope), carried_type
        return [], carried_type
    if country_row and place.country is None:
        place = PlaceParts(place.partner, country_row, country_code(country_row), place.region)
    pieces = [cell for cell in (printed if printed is not None else cells) if cell]
    event = make_event(context, party, place, kind, date_found.value if date_found else None, pieces)
    return ([event] if event else []), carried_type


def _row_excluded(cells: tuple[str, ...], title: str, date_cell: str, dated: bool) -> bool:
    """Rows of ties not yet signed ('추진 중' as date or note) or of 읍·면·동 ties."""
    if (date_cell and not dated) or (not dated and any(PENDING.search(cell) for cell in cells)):
        return True
    return any(SUB_MUNICIPAL_NOTE.search(cell) for cell in cells) or _names_sub_municipal(title)


def _relationship_in(cell: str) -> str:
    """'자매결연(1961.4.5)' in a date column: the tie it names, as a type cell would."""
    return cell if cell and heading_type(cell) else ""


def _row_type(name: str, type_cell: str, content: str, dated: bool) -> str | None:
    """The type stated by the type column, else the name, else (dated rows only) the description."""
    for text in (type_cell, name):
        if text:
            kind = agreement_type(text)
            if kind:
                return kind
    if dated and content and not name and not is_visit(content) and not is_renewal(content):
        return agreement_type(content)
    return None


def _row_place(cells: tuple[str, ...], roles: dict[str, int], name: str) -> PlaceParts | None:
    partner_cell = _cell(cells, roles, "partner")
    if not partner_cell:
        partner_cell = _partner_from_name(name) or ""
    place = split_place(partner_cell) if partner_cell else None
    if place is None:
        return None
    country_cell, region_cell = _cell(cells, roles, "country"), _cell(cells, roles, "region")
    if country_cell and not place.country_name:
        place = PlaceParts(place.partner, country_cell, country_code(country_cell), place.region)
    if region_cell and not place.region and region_cell != place.partner:
        place = PlaceParts(place.partner, place.country_name, place.country, region_cell)
    return place


NAME_PAIR = re.compile(r"^(?P<left>[가-힣]+?)(?:와|과|\s*[-–~]\s*)\s*(?P<right>[가-힣 ]+?)\s*간")


def _partner_from_name(name: str) -> str | None:
    """'인천광역시와 중화인민공화국 우루무치시 간 …' → '중화인민공화국 우루무치시'."""
    match = NAME_PAIR.search(name)
    return match.group("right") if match else None


def _names_sub_municipal(text: str) -> bool:
    """'홍성읍-룽커우시 둥장가도 자매결연': one side of the tie is an 읍·면·동."""
    return any(is_sub_municipal(word) for word in re.split(r"[\s\-–~,·()]+|와|과", text) if word)


def _row_party(context: ReadContext, cells: tuple[str, ...], roles: dict[str, int],
               name: str) -> KoreanGovernment | None:
    party_cell, province_cell = _cell(cells, roles, "party"), _cell(cells, roles, "province")
    if party_cell:
        if is_sub_municipal(party_cell.split()[-1]):
            return None
        return korean_government(f"{province_cell} {party_cell}".strip(), allow_ambiguous=True)
    if province_cell:
        return korean_government(province_cell, allow_ambiguous=True)
    match = NAME_PAIR.search(name) or re.match(r"^(?P<left>[가-힣]+?)(?:와|과|\s*[-–]\s*)", name)
    if match:
        named = korean_government(match.group("left"), None)
        if named is not None:
            return named
        if is_non_government(match.group("left")):
            return None
    return context.party
