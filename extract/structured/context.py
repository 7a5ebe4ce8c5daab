"""What every structured reader shares: the document, its party, dates of cells, event building."""

from __future__ import annotations

import re
from datetime import date
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

from twinwatch.pages.dates import find_dates, parse_short_date
from extract.records import Document, Event
from extract.structured.blocks import Block
from extract.structured.evidence import TextLocator
from extract.structured.party import document_party
from extract.structured.places import KoreanGovernment, PlaceParts, gazetteer, korean_government

# '11.11.14', "'05.9.14": two-digit-year dates as partner-city lists write them.
SHORT_DATE_TOKEN = re.compile(r"(?<![\d.])['’]?\d{2}\s?\.\s?\d{1,2}\s?\.\s?\d{1,2}\.?(?![\d.]\d)")
BARE_YEAR = re.compile(r"((?:19|20)\d{2})\.?(?:년도?)?")
COMPACT_DAY = re.compile(r"((?:19|20)\d{2})(\d{2})(\d{2})")
BRACKETED_YEAR = re.compile(r"[(（]\s*((?:19|20)\d{2})\s*\.?\s*[)）,]")
# Confidence of an event read from a structure: the row itself states type, partner and date.
STRUCTURED_CONFIDENCE = 0.9


@dataclass(frozen=True, slots=True)
class DateInText:
    """A date found in a cell or line: its value and where it sits in that text."""

    value: str
    start: int
    end: int


@dataclass
class ReadContext:
    """One document being read: its text locator and the Korean party of the whole page.

    Both are worked out when a reader first asks: most pages have no row, line or field that
    needs them, and scoring every word of a page as a possible party is the readers' dearest step.
    """

    document: Document
    blocks: list[Block]

    @cached_property
    def party(self) -> KoreanGovernment | None:
        return document_party(self.document, self.blocks)

    @cached_property
    def locator(self) -> TextLocator:
        return TextLocator(self.document.text)


def dates_in(text: str) -> list[DateInText]:
    """Every absolute date of a cell or line, in order; a visit range ('2013.7.3~7.6') fixes
    only a month; a bare four-digit year cell ('1961') is a year."""
    return list(_dates_in(text))


# The readers ask for the dates of one line several times (is it a heading, a dated entry, a
# history bullet?), and list pages repeat their lines.
@lru_cache(maxsize=8192)
def _dates_in(text: str) -> tuple[DateInText, ...]:
    found: list[DateInText] = []
    for mention in find_dates(text, None):
        if mention.relative:
            continue
        value = mention.value
        if mention.range_end and mention.range_end != value and len(value) == 10:
            value = value[:7]
        found.append(DateInText(value, mention.start, mention.end))
    for short in SHORT_DATE_TOKEN.finditer(text):
        if any(d.start <= short.start() < d.end for d in found):
            continue
        value = parse_short_date(short.group(0).lstrip("'’"))
        if value:
            found.append(DateInText(value, short.start(), short.end()))
    if not found:
        found.extend(_bare_dates(text))
    else:  # '벨링햄시(2008), 랜싱시(1988.5.2)': a bracketed year beside full dates
        found.extend(m for m in _bracketed_years(text)
                     if not any(d.start <= m.start < d.end for d in found))
    return tuple(sorted(found, key=lambda d: d.start))


def _bare_dates(text: str) -> list[DateInText]:
    """A cell that is only a year ('1961') or a compact day ('19610405'); a year in brackets."""
    whole = text.strip()
    offset = text.index(whole) if whole else 0
    compact = COMPACT_DAY.fullmatch(whole)
    if compact:
        value = f"{compact[1]}-{compact[2]}-{compact[3]}"
        if _valid_day(value):
            return [DateInText(value, offset, offset + len(whole))]
    year = BARE_YEAR.fullmatch(whole)
    if year:
        return [DateInText(year.group(1), offset, offset + len(whole))]
    return _bracketed_years(text)


def _bracketed_years(text: str) -> list[DateInText]:
    return [DateInText(m.group(1), m.start(1), m.end(1)) for m in BRACKETED_YEAR.finditer(text)]


def _valid_day(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def date_in(text: str) -> DateInText | None:
    """The first absolute date of a cell or line."""
    found = _dates_in(text)
    return found[0] if found else None


def make_event(context: ReadContext, party: KoreanGovernment | None, place: PlaceParts,
               agreement_type: str, date: str | None, pieces: Sequence[str]) -> Event | None:
    """An event from what a row, line or field states; None without a Korean party."""
    if party is None or _same_name(party.name, place.partner):
        return None
    evidence, span = context.locator.evidence(pieces)
    country, canonical, partner_province, place_id = _resolve_partner(place, date)
    return Event(
        korean_party=party.name,
        korean_province=party.province,
        partner=place.partner,
        partner_canonical=canonical,
        partner_country=country,
        partner_region=place.region if place.region != place.country_name else None,
        partner_province=partner_province,
        agreement_type=agreement_type,
        status="signed",
        date=date,
        evidence=evidence,
        evidence_span=span,
        confidence=STRUCTURED_CONFIDENCE,
        place_ids={"korean_party": party.place_id, "partner": place_id},
    )


def _same_name(left: str, right: str) -> bool:
    return left.rstrip("시군구도") == right.rstrip("시군구도")


def _resolve_partner(place: PlaceParts, on_date: str | None
                     ) -> tuple[str | None, str | None, str | None, str | None]:
    """(country, canonical name, province if Korean, place id) as far as the gazetteer knows.

    A partner given without a country is tried as a Korean government first: domestic lists
    write '전라남도 여수시', foreign ones lead with the country.
    """
    if place.country is None:
        korean = korean_government(
            f"{place.region} {place.partner}" if place.region else place.partner, on_date)
        if korean is not None:
            return "KR", korean.name, korean.province, korean.place_id
    if place.country != "KR":
        foreign = _foreign_place(place)
        if foreign is not None:
            return (place.country or getattr(foreign, "country", None), getattr(foreign, "name", None),
                    None, getattr(foreign, "id", None))
        if place.country:
            return place.country, None, None, None
    korean = korean_government(f"{place.region} {place.partner}" if place.region else place.partner,
                               on_date)
    if korean is not None:
        return "KR", korean.name, korean.province, korean.place_id
    return place.country, None, None, None


def _foreign_place(place: PlaceParts) -> object | None:
    """The gazetteer's best foreign place for a partner (within its country when given)."""
    gaz = gazetteer()
    if gaz is None:
        return None
    try:
        candidates = gaz.lookup(place.partner, country=place.country)
    except Exception:  # the gazetteer's own failures are not the reader's
        return None
    foreign = [c for c in candidates if getattr(c.place, "country", None) not in (None, "KR")]
    return max(foreign, key=lambda c: c.score).place if foreign else None
