"""Partner-city lists: dated lines under a heading that names the kind of tie.

    자매결연 도시                      ← the heading gives the type
    헝가리  미슈콜츠시 11.11.14 경제∙교육∙관광   ← the line gives country, partner and date
    일본 야마구치현 시모노세키시 (1976.10.11)

A line may also carry its own type ('자매도시 : 일본 …', '… 2011.11.14 자매결연') or lead with
the Korean party ('천안시 – 미국 …'). Lines that read as sentences, visits or fields with other
labels are not list lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.records import Event
from extract.structured.blocks import HEADING, LINE, ROW, strip_marker
from extract.structured.context import DateInText, ReadContext, date_in, dates_in, make_event
from extract.structured.places import (KoreanGovernment, country_code, known_place,
                                       korean_government, split_place)
from extract.structured.vocab import (agreement_type, excluded_section, has_place_suffix,
                                      heading_type, is_region_heading, is_renewal, is_sub_municipal,
                                      is_visit,
                                      names_relationship, squash)

# A heading is short: '자매결연 도시 (2곳)', '우호협력도시', 'Sister Cities'.
HEADING_MAX_CHARS = 24
# A list line names a place in a few words; more reads as a sentence.
PLACE_MAX_WORDS = 5
SENTENCE = re.compile(r"(?:했다|한다|하였|있다|됐다|되었|입니다|합니다|습니다)")
DATE_WRAPPING = " \t([（【<-–—~:,/"
NAME_WORD = re.compile(r"[가-힣]{2,}|[A-Za-z][A-Za-z .'-]+")
TYPE_LABEL_CHARS = 12
COUNT = re.compile(r"(?:총\s*)?[\d\s,]*(?:개국|개|곳|개소|도시|개\s*도시|건|[()])*[\d\s,개국곳도시()]*")
# '(체결일 :', '결연일자' right before the date: a label, not part of the place.
DATE_LABEL_TAIL = re.compile(r"[(（\[]?\s*(?:체결|결연|협정|협약|교류|조인|서명)\s*(?:일자|일|연월일|년월일|시기)?"
                             r"\s*[:：]?\s*$")
PARTY_SEPARATORS = frozenset({"-", "–", "—", ":", "→", "↔", "~"})
# '… 2005년 우호협력 체결 이후': a line that dates a tie in passing is background, not a list entry.
BACKGROUND = re.compile(r"이후|이래|부터|뒤에|후에|계기")
PARTICLE_END = re.compile(r"[가-힣](?:와|과|는|은|을|를|에|의|로|가)$")


@dataclass(frozen=True, slots=True)
class LineScope:
    """What a line inherits: the tie of its section, the country heading over it and, for a
    table cell, the row's Korean party."""

    kind: str | None = None
    country: str | None = None
    party: KoreanGovernment | None = None


def entry_events(context: ReadContext, text: str, scope: LineScope) -> list[Event]:
    """The dated entries of one line or cell ('미국 버뱅크시(1961.4.5), 일본 벳푸시(1987.3.2)')."""
    return _line_events(context, text, scope, [text])


def find_list_events(context: ReadContext, claimed: set[int]) -> list[Event]:
    """Events of list lines; `claimed` holds the block indexes the table reader already read."""
    events: list[Event] = []
    section_type: str | None = None
    country_heading: str | None = None  # '일본' over '벳푸시 (1987.3.2)'
    excluded = False  # under a heading of 읍면동 or civic ties
    for index, block in enumerate(context.blocks):
        if index in claimed:
            continue
        text = strip_marker(block.text.replace("\t", " "))
        if _is_type_heading(block.kind, text):
            section_type, excluded = heading_type(text), excluded_section(text)
            country_heading = None
            continue
        if block.kind == HEADING:
            if country_code(text) or is_region_heading(text):
                country_heading = text if country_code(text) else None  # keeps the tie above
            else:
                section_type, excluded, country_heading = None, excluded_section(text), None
            continue
        if block.kind in (LINE, ROW) and not excluded:
            cells = [cell for cell in block.cells if cell] if block.kind == ROW else [text]
            scope = LineScope(section_type, country_heading)
            events.extend(_line_events(context, text, scope, cells))
    return events


def _is_type_heading(kind: str, text: str) -> bool:
    if not names_relationship(text) or date_in(text) is not None:
        return False
    if ":" in text or "：" in text:  # '자매결연 도시 : 2개국 2개 도시' (a count, not an entry)
        label, _, value = text.replace("：", ":").partition(":")
        if not COUNT.fullmatch(value.strip()):
            return False
        text = label
    return kind == HEADING or len(squash(text)) <= HEADING_MAX_CHARS and not SENTENCE.search(text)


def _line_events(context: ReadContext, text: str, scope: LineScope,
                 pieces: list[str]) -> list[Event]:
    """One event per dated entry of a line ('미국 버뱅크시(1961.4.5), 일본 기타큐슈시(1988.12.20)')."""
    if is_visit(text) or SENTENCE.search(text):
        return []
    dates = dates_in(text)
    events: list[Event] = []
    line_type: str | None = None
    line_party: KoreanGovernment | None = None
    start = 0
    for position, found in enumerate(dates):
        next_start = dates[position + 1].start if position + 1 < len(dates) else len(text)
        before, after = text[start:found.start], text[found.end:next_start]
        if position and not before.strip(DATE_WRAPPING + ").]） "):
            before = ""  # 'X시 1961.4.5 ~ 1988.12.20': a second date of one entry
        evidence = pieces if len(dates) == 1 else [_segment(text, start, found.end)]
        entry_scope = LineScope(scope.kind or line_type, scope.country, scope.party or line_party)
        entry_type, event = _entry_event(context, before, after, found, entry_scope, evidence)
        line_type = line_type or entry_type
        document_party = context.party.name if context.party else None
        if event is not None and position == 0 and event.korean_party != document_party:
            line_party = korean_government(event.korean_party)  # '천안시 미국 …(…), 일본 …(…)'

        if event is not None:
            events.append(event)
        start = found.end
    return events


def _segment(text: str, start: int, date_end: int) -> str:
    """One entry of a several-entry line, with its own brackets: '몽골 울란바토르시(2006.10.28)'."""
    end = date_end + 1 if date_end < len(text) and text[date_end] in ")）]" else date_end
    return text[start:end].lstrip(" ,/;)）]").strip()


def _entry_event(context: ReadContext, before: str, after: str, found: DateInText,
                 scope: LineScope, evidence: list[str]) -> tuple[str | None, Event | None]:
    """(type stated by the entry, its event) for the text around one date of a line."""
    if BACKGROUND.search(after) or is_renewal(before):
        return None, None
    entry = _read_entry(before.lstrip(DATE_WRAPPING + ").]） "), found.value)
    if entry is None:
        return None, None
    kind, party, place_text = entry
    if not place_text.strip() and not before.strip():
        place_text = re.split(r"[(,/（]", after.strip(DATE_WRAPPING + ")） "))[0]  # date first
    stated = kind or _trailing_type(after)
    kind = stated or scope.kind
    if kind is None:
        return stated, None
    words = [word for word in place_text.split() if word not in PARTY_SEPARATORS]
    if scope.country and words and not country_code(words[0]):
        words = [scope.country, *words]
    if not words or len(words) > PLACE_MAX_WORDS or not _place_words(words) \
            or any(is_sub_municipal(word) for word in words):
        return stated, None
    place = split_place(" ".join(words))
    if place is None:
        return stated, None
    return stated, make_event(context, party or scope.party or context.party, place, kind,
                              found.value, evidence)


def _read_entry(before: str, on_date: str) -> tuple[str | None, KoreanGovernment | None, str] | None:
    """(type, Korean party, place text) stated before a date; None for a field of another kind.

    '자매도시 : 미국 버뱅크시', '천안시 : 미국 …', '천안시 – 미국 …', '미국 : 버뱅크시',
    '미국 버뱅크시 (체결일 :' and '버뱅크시(미국,' all read as a place with what they add.
    """
    text = DATE_LABEL_TAIL.sub("", before).rstrip(DATE_WRAPPING.replace("(", "").replace("（", ""))
    text = text.rstrip(" ([（")
    if text.count("(") > text.count(")"):
        text += ")"  # '버뱅크시(미국, 1961.4.5)' cut at the date
    party: KoreanGovernment | None = None
    if ":" in text or "：" in text:
        label, _, rest = text.replace("：", ":").partition(":")
        label, rest = label.strip(), rest.strip()
        if names_relationship(label) and len(squash(label)) <= TYPE_LABEL_CHARS:
            kind, place_text = _strip_type_words(rest)
            return agreement_type(label), None, place_text
        if rest and korean_government(label, on_date) is not None:
            party, text = korean_government(label, on_date), rest
        elif rest and country_code(label):
            text = f"{label} {rest}"
        elif not rest:
            text = label
        else:
            return None  # '일시 : …', '면적 : …': a field of another kind
    words = text.split()
    if party is None and len(words) > 2 and words[1] in PARTY_SEPARATORS:
        leading = korean_government(words[0], on_date)  # '천안시 – 미국 … 시'
        if leading is not None:
            party, text = leading, " ".join(words[2:])
    elif party is None:
        party, text = _leading_party(words, on_date, text)
    kind, place_text = _strip_type_words(text)
    return kind, party, place_text


def _place_words(words: list[str]) -> bool:
    """The place part reads as [country] [region …] partner; the country slot may hold a
    spelling the gazetteer lacks ('키르키즈스탄'), the others must look like places."""
    first, rest = words[0], words[1:]
    if rest and country_code(first) and len(rest) == 1:  # '몽골 셀렝게아이막'
        return bool(NAME_WORD.fullmatch(rest[0])) and agreement_type(rest[0]) is None \
            and not PARTICLE_END.search(rest[0])
    if rest and not PARTICLE_END.search(first) and agreement_type(first) is None \
            and re.fullmatch(r"[가-힣]{2,}|[A-Za-z .'-]+", first):
        return all(map(_place_word, rest))
    return all(map(_place_word, words))


def _place_word(word: str) -> bool:
    """A word a list line's place part may hold: a country, a place name, a Latin name."""
    word = re.sub(r"\([^)]*\)|（[^）]*）", "", word).strip("()（）[]")
    if not word or PARTICLE_END.search(word):
        return False
    if re.fullmatch(r"[A-Za-z .'-]+|[\u4e00-\u9fff]+", word) or has_place_suffix(word):
        return True
    return country_code(word) is not None or bool(known_place(word))


def _leading_party(words: list[str], on_date: str, text: str
                   ) -> tuple[KoreanGovernment | None, str]:
    """'경기도 안성시 마쓰야마시(일본)': a row that starts with its Korean party (a 광역 and
    its 기초, or a 기초) before the partner; a Korean place alone is a domestic partner."""
    if not words or korean_government(" ".join(words), on_date) is not None:
        return None, text
    for size in (2, 1):
        if len(words) > size:
            leading = korean_government(" ".join(words[:size]), on_date)
            if leading is not None and (size == 1 or leading.province):
                return leading, " ".join(words[size:])
    return None, text


def _strip_type_words(text: str) -> tuple[str | None, str]:
    """A type word on the line ('자매도시 – 미국 …') and the place text left without it."""
    kept: list[str] = []
    kind: str | None = None
    for word in text.split():
        word_type = agreement_type(word)
        if word_type and word_type != "mou":  # place names hold no 자매/우호/의향
            kind = kind or word_type
        else:
            kept.append(word)
    return kind, " ".join(kept)


def _trailing_type(after: str) -> str | None:
    """'… 2011.11.14 자매결연' — a type word right after the date."""
    words = after.strip(" )）],:;·-").split()
    if not words:
        return None
    kind = agreement_type(words[0])
    return kind if kind in ("sister_city", "friendship_city", "letter_of_intent") else None
