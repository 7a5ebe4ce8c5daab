"""Partner-city profile pages: labelled fields and a dated history under a place heading.

    중국 청도시 노산구                                   ← the heading names the partner
      • 결 연 일 : 1998년 8월 3일                        ← the standing tie's date …
      • 결연명칭 : 서초구 - 노산구 … 우호도시 협정          ← … its type and the Korean party
      • 주요교류내용
        • 서초구-학벽시 간 문화 관광분야 MOU 체결(2015.06.04)  ← a dated agreement of the history

A profile gives its standing relationship and each history bullet that reports a signing (not
a visit, an anniversary or a trip made "to sign"). The page's 최종수정일 is no field here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extract.records import Event
from extract.structured.blocks import HEADING, LINE, ROW, Block, strip_marker
from extract.structured.context import DateInText, ReadContext, date_in, make_event
from extract.structured.lists import SENTENCE
from extract.structured.places import (KoreanGovernment, PlaceParts, known_place, korean_government,
                                       split_place)
from extract.structured.vocab import (agreement_type, has_place_suffix, heading_type,
                                      is_non_government, is_renewal, names_relationship, squash,
                                      states_signing)

FIELD = re.compile(r"^(?P<label>[^:：]{1,16}?)\s*[:：]\s*(?P<value>.*)$")
# '체결일 1989. 10. 24.' on a card, without a colon
UNCOLONED_DATE_FIELD = re.compile(r"^(?P<label>(?:결연|체결|협정|협약)\s*(?:일자|일|연월일))\s+(?P<value>.*\d.*)$")
DATE_LABEL = re.compile(r"^(?:결연|체결|협정|협약|조인|서명|자매결연|우호협력|교류협정|협정체결|결연체결)"
                        r"(?:일|일자|연월일|년월일|연도|년도|시기)$")
NAME_LABEL = re.compile(r"^(?:결연|협정|협약)?(?:명칭|명|내용|형태|구분)$|^(?:교류형태|관계|교류구분)$")
PARTNER_LABEL = re.compile(r"^(?:도시|도시명|자매도시|우호도시|교류도시|상대도시|결연도시|상대지자체|지자체명)$")
COUNTRY_LABEL = re.compile(r"^(?:국가|국가명|나라)$")
# The left side of 'A - B …', 'A와 B의 …', 'A-B 간 …'.
PAIR = re.compile(r"(?P<left>[가-힣]{2,})\s*(?:-|–|~|와|과)\s*(?P<right>[가-힣]{2,}?)"
                  r"(?:\s*간|간|의|\s|$|[,(])")
LOOSE_BULLET_CHARS = 80
PARTICLE = re.compile(r"(?:와의|과의|와|과|의|에서|에|을|를|은|는|이|가|측|간)$")
TYPE_LABEL_CHARS = 8
# Labels of a page's or table's own dates ('기준일', '최종수정일', '작성일').
NOT_A_DATE = re.compile(r"기준|수정|작성|등록|현재|현황|게시")
# How many lines after a history bullet may hold its '일시 :' line.
DATE_LINE_REACH = 2


@dataclass
class Profile:
    """One partner's profile as read so far."""

    heading: str | None
    date: DateInText | None = None
    label_type: str | None = None
    name: str | None = None
    partner: str | None = None  # a '도시명 : 버뱅크시' field
    country: str | None = None  # a '국가 : 미국' field
    section_type: str | None = None  # the tie named by a line or heading above
    pieces: list[str] = field(default_factory=list)


def find_profile_events(context: ReadContext, claimed: set[int], structured: bool) -> list[Event]:
    """The standing tie of each profile and the signings of its history, plus history-like
    bullets outside profiles ('아산시-웨이팡시 우호협력 체결' with an '일시' line below) when
    the page is `structured` (has tables or lists) or has profiles: on an article page such
    lines are background or the board's 이전글/다음글."""
    lines = [(text, block.kind, index) for index, block in enumerate(context.blocks)
             if index not in claimed and block.kind in (LINE, ROW, HEADING) for text in _field_lines(block)]
    if not structured and not any(_opens_profile(text) for text, _kind, _index in lines):
        return []  # no profile, and bullets outside one count only on structured pages
    scan = _ProfileScan(context)
    for text, kind, index in lines:
        scan.feed(text, kind, index)
    return scan.finish(structured)


def _opens_profile(text: str) -> bool:
    label, value = _field(text)
    return label is not None and _opens_field(label, value)


def _field_lines(block: Block) -> list[str]:
    """A block as the lines it states; a row of label/value cells ('결연일 | 1998.8.3 |
    결연명칭 | …') as one 'label : value' line per pair."""
    if block.kind != ROW:
        return [strip_marker(block.text)]
    cells = [cell for cell in block.cells if cell]
    labels = cells[0::2]
    if len(cells) >= 4 and len(cells) % 2 == 0 and all(
            len(label) <= 12 and not re.search(r"\d", label) for label in labels):
        return [f"{label} : {value}" for label, value in zip(labels, cells[1::2])]
    return [strip_marker(" : ".join([cells[0], " ".join(cells[1:])]) if len(cells) > 1 else block.text)]


class _ProfileScan:
    """Reads blocks in order: opens a profile at its first field, closes it at the next
    profile's, and collects history signings in and outside profiles."""

    def __init__(self, context: ReadContext) -> None:
        self.context = context
        self.events: list[Event] = []
        self.loose: list[Event] = []
        self.profile: Profile | None = None
        self.profiles_seen = False
        self.section_type: str | None = None
        self.last_place_line: str | None = None
        self.place_fields: list[tuple[str, str, list[str]]] = []

    def feed(self, text: str, kind: str, index: int) -> None:
        label, value = _field(text)
        if label is not None and _opens_field(label, value):
            self._field(label, value, text)
            return
        if label is not None and value and (PARTNER_LABEL.match(label) or COUNTRY_LABEL.match(label)):
            if self.profile is not None and self.profile.date is None:
                _fill_place(self.profile, label, value, _field_pieces(text))
            else:
                self.place_fields.append((label, value, _field_pieces(text)))
        if label is None and _type_line(text):
            self.section_type = heading_type(text)  # '자매도시' on a card or above a set of cards
            return
        if label is None and _heading_shape(kind, text):
            self.last_place_line = text  # read as the next profile's place only if it is one
            self.place_fields = []
        bullet = _history_event(self.context, self.profile, text, self.context.blocks, index)
        if bullet is not None:
            (self.events if self.profile is not None else self.loose).append(bullet)

    def _field(self, label: str, value: str, text: str) -> None:
        if self.profile is not None and _already_has(self.profile, label, value):
            self.events.extend(_standing_event(self.context, self.profile))
            self.profile = None
        if self.profile is None:
            self.profile = Profile(heading=self.last_place_line, section_type=self.section_type)
            self.profiles_seen = True
            for pending in self.place_fields:  # '도시명 : …' above the date in a card
                _fill_place(self.profile, *pending)
        _fill(self.profile, label, value, _field_pieces(text))

    def finish(self, structured: bool) -> list[Event]:
        if self.profile is not None:
            self.events.extend(_standing_event(self.context, self.profile))
            self.profile = None
        return self.events + self.loose if structured or self.profiles_seen else self.events


def _field(text: str) -> tuple[str | None, str]:
    match = FIELD.match(text) or UNCOLONED_DATE_FIELD.match(text)
    if not match:
        return None, text
    return squash(match.group("label")), match.group("value").strip()


def _opens_field(label: str, value: str) -> bool:
    if DATE_LABEL.match(label) or NAME_LABEL.match(label):
        return True
    return _type_label(label) and date_in(value) is not None  # '우호협력 : 2005.9.14'


def _type_label(label: str) -> bool:
    """A short label naming the tie ('자매결연', '우호협력도시'), not '… 현황 (기준'."""
    return len(label) <= TYPE_LABEL_CHARS and names_relationship(label) and not NOT_A_DATE.search(label)


def _already_has(profile: Profile, label: str, value: str) -> bool:
    if DATE_LABEL.match(label) or (_type_label(label) and date_in(value)):
        return profile.date is not None
    return profile.name is not None and NAME_LABEL.match(label) is not None


def _field_pieces(text: str) -> list[str]:
    """A field as its label and value, so it is found however the page text joins them."""
    match = FIELD.match(text) or UNCOLONED_DATE_FIELD.match(text)
    return [match.group("label").strip(), match.group("value").strip()] if match else [text]


def _fill(profile: Profile, label: str, value: str, pieces: list[str]) -> None:
    if DATE_LABEL.match(label) or (_type_label(label) and date_in(value)):
        profile.date = date_in(value)
        if _type_label(label) and not DATE_LABEL.match(label):
            profile.label_type = agreement_type(label)
        elif label.startswith(("자매결연", "우호협력")):
            profile.label_type = agreement_type(label)
    elif NAME_LABEL.match(label) and agreement_type(value):
        profile.name = value
    else:
        return
    profile.pieces.extend(pieces)


def _fill_place(profile: Profile, label: str, value: str, pieces: list[str]) -> None:
    """'도시명 : 버뱅크시', '국가 : 미국' inside a profile (cards and transposed tables)."""
    if PARTNER_LABEL.match(label) and profile.partner is None:
        profile.partner = value
        profile.pieces.extend(pieces)
    elif COUNTRY_LABEL.match(label) and profile.country is None:
        profile.country = value


def _type_line(text: str) -> bool:
    """A short line that only names a tie: '자매도시', '우호교류도시'."""
    return len(squash(text)) <= TYPE_LABEL_CHARS + 2 and heading_type(text) is not None \
        and date_in(text) is None


def _heading_shape(kind: str, text: str) -> bool:
    """A heading or a short undated line: where profiles name their place ('중국 청도시 노산구')."""
    words = text.split()
    return kind == HEADING or (1 <= len(words) <= 6 and date_in(text) is None)


def _standing_event(context: ReadContext, profile: Profile) -> list[Event]:
    kind = (agreement_type(profile.name) if profile.name else None) or profile.label_type \
        or profile.section_type
    if kind is None or profile.date is None or (profile.name and is_renewal(profile.name)):
        return []
    party, place = _sides(context, profile.name or "", profile.heading)
    pieces = profile.pieces
    if place is not None and profile.heading and not profile.partner:
        pieces = [profile.heading, *pieces]  # the card's place heading is part of what it states
    if profile.partner:
        named = split_place(f"{profile.country} {profile.partner}" if profile.country
                            and profile.country not in profile.partner else profile.partner)
        place = named or place
    if party is None or place is None:
        return []
    event = make_event(context, party, place, kind, profile.date.value, pieces)
    return [event] if event is not None else []


def _sides(context: ReadContext, name: str, heading: str | None
           ) -> tuple[KoreanGovernment | None, PlaceParts | None]:
    """The Korean party and the partner of a profile: from 'A - B …' and the heading."""
    party = context.party
    partner_word: str | None = None
    match = PAIR.search(name)
    if match:
        left = korean_government(match.group("left"))
        if left is not None:
            party, partner_word = left, match.group("right")
        elif is_non_government(match.group("left")):
            return None, None
    place = split_place(heading) if heading else None
    if place is not None and not (place.country or has_place_suffix(place.partner)
                                  or known_place(place.partner)):
        place = None  # '상세정보', '주요 교류': a section heading, not the partner
    if place is None and partner_word:
        place = split_place(partner_word)
    return party, place


def _history_event(context: ReadContext, profile: Profile | None, text: str,
                   blocks: list[Block], index: int) -> Event | None:
    kind = agreement_type(text)
    if kind is None or not states_signing(text) or is_renewal(text) or is_non_government(text):
        return None
    if profile is None and (len(text) > LOOSE_BULLET_CHARS or SENTENCE.search(text)):
        return None  # outside a profile only short report lines, never article sentences
    found = date_in(text) or _row_date(blocks[index]) or _date_below(blocks, index)
    if found is None:
        return None
    party, place = _bullet_sides(context, profile, text)
    if party is None or place is None:
        return None
    return make_event(context, party, place, kind, found.value, [text])


def _bullet_sides(context: ReadContext, profile: Profile | None, text: str
                  ) -> tuple[KoreanGovernment | None, PlaceParts | None]:
    match = PAIR.search(text)
    if match:
        left = korean_government(match.group("left"))
        right = split_place(match.group("right"))
        if left is not None and right is not None:
            return left, right
    if profile is None:
        return context.party, _named_place(text, context.party)
    return _sides(context, profile.name or "", profile.heading)


def _named_place(text: str, party: KoreanGovernment | None) -> PlaceParts | None:
    """The one foreign place a history line names ('버뱅크시와 우호교류 협약 체결'); kept only
    on structured pages (see find_profile_events)."""
    found: list[str] = []
    for word in re.findall(r"[가-힣]{2,}", text):
        stem = PARTICLE.sub("", word)
        if has_place_suffix(stem) and known_place(stem) and korean_government(stem) is None \
                and (party is None or stem != party.name) and stem not in found:
            found.append(stem)
    return split_place(found[0]) if len(found) == 1 else None


def _row_date(block: Block) -> DateInText | None:
    """A history table's date column: '2015 | 안산시-로체스터시 경제협력 MOU 체결'."""
    if block.kind != ROW:
        return None
    return next((found for cell in block.cells if (found := date_in(cell)) is not None), None)


def _date_below(blocks: list[Block], index: int) -> DateInText | None:
    """The date of an '일시 : 2013.7.3~7.6' line just below a bullet."""
    for block in blocks[index + 1:index + 1 + DATE_LINE_REACH]:
        label, value = _field(strip_marker(block.text))
        if label in ("일시", "일자", "날짜", "기간"):
            return date_in(value)
    return None
