"""Relationship notes: a page saying an existing tie was suspended, ended or resumed.

Not a fifth agreement type — an event is an agreement being made; a note is news about the
state of a tie ('교류를 전면 중단했다', '자매결연을 파기했다', '협약을 해지', '교류를 재개').
`twinwatch extract --format json` prints them beside the events (top-level "notes"), and the
store reads them from stored pages when it derives relationships (`store.relationships`).

A note needs a cue of its kind and, in the same sentence, a tie word (교류, 결연, 협약 …) and a
partner; the Korean party is the sentence's first Korean government, else the page's first one
before the sentence (press releases open with '○○시는 …' and then say '시는 …').
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from extract.records import Document
from extract.nlp.sentences import split_sentences

NOTE_KINDS = ("suspended", "ended", "resumed")

# What is being suspended or ended must be a tie, not a festival or a flight route.
_TIE = r"(?:교류|관계|결연|자매|우호|협약|협정|협력|교류사업|왕래)"
_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("resumed", re.compile(_TIE + r"[^.。\n]{0,20}?(?:재개|복원|회복)")),
    ("ended", re.compile(_TIE + r"[^.。\n]{0,20}?(?:해지|파기|해제|폐기|종료|철회|취소|끊)")),
    ("suspended", re.compile(_TIE + r"[^.。\n]{0,20}?(?:중단|중지|단절|보류|동결|잠정\s*중단)")),
)
# A cue that is denied, only feared or merely considered reports no change of state.
_NOT_A_CHANGE = re.compile(r"(?:중단|중지|해지|파기|재개|단절)\s*(?:없이|하지\s*않|되지\s*않|"
                           r"할\s*수도|을\s*검토|를\s*검토|여부|우려|위기|가능성|요구|촉구)")
# '양 도시는 교류를 재개했다': the pair of the page's previous note.
_BOTH_SIDES = re.compile(r"양\s*(?:도시|시|군|지역|자치단체|지자체)|양측|두\s*도시")
# Between a date and the cue: the tie being made then, so the date is its history.
_TIE_MADE = re.compile(r"맺|체결|결연한|협약한|협정한")


@dataclass(frozen=True, slots=True)
class RelationshipNote:
    """One page's statement that the tie between two places was suspended, ended or resumed."""

    korean_party: str
    partner: str
    note: str  # suspended | ended | resumed
    evidence: str
    evidence_span: tuple[int, int]
    date: str | None  # when it happened, else the page's date
    partner_country: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["evidence_span"] = list(self.evidence_span)
        return data


def note_kind(sentence: str) -> str | None:
    """suspended | ended | resumed when the sentence reports that change of a tie, else None."""
    if _NOT_A_CHANGE.search(sentence):
        return None
    for kind, pattern in _CUES:
        if pattern.search(sentence):
            return kind
    return None


def may_hold_notes(text: str) -> bool:
    """A cheap test before the place look-ups: any cue at all."""
    return any(pattern.search(text) for _, pattern in _CUES)


def find_notes(document: Document) -> list[RelationshipNote]:
    """Every relationship note of the page, in text order (one per pair and kind)."""
    text = document.text
    if not text or not may_hold_notes(text):
        return []
    from extract.nlp.place_index import KR, default_index  # the gazetteer loads on first use
    from extract.nlp.places import find_places
    index = default_index()
    notes: list[RelationshipNote] = []
    seen: set[tuple[str, str, str]] = set()
    page_party: str | None = None
    for found in split_sentences(text):
        start, end, sentence = found.start, found.end, found.text
        kind = note_kind(sentence)
        if kind is None and page_party is not None:
            continue  # a line without a cue only matters while it may name the page's party
        places = [p for p in find_places(sentence, index, document.published)
                  if not p.qualifier and not p.council and p.kind != "country"]
        governments = [p for p in places if p.kind == KR]
        if page_party is None and governments:
            page_party = governments[0].name
        if kind is None:
            continue
        party = governments[0].name if governments else page_party
        partner = next((p for p in places if p.name != party), None)
        if partner is not None and party is not None:
            pair = (party, partner.name, partner.country)
        elif not places and notes and _BOTH_SIDES.search(sentence):
            pair = (notes[-1].korean_party, notes[-1].partner, notes[-1].partner_country)
        else:
            continue
        if (pair[0], pair[1], kind) in seen:
            continue
        seen.add((pair[0], pair[1], kind))
        notes.append(RelationshipNote(
            korean_party=pair[0], partner=pair[1], note=kind, evidence=sentence.strip(),
            evidence_span=(start, end), date=_note_date(sentence, document.published, kind),
            partner_country=pair[2]))
    return notes


def _note_date(sentence: str, published: str | None, kind: str) -> str | None:
    """The date of the change: the last date before the cue that is not the date of the tie's
    making ('2008년 … 자매결연을 맺은 뒤 … 중단했다' is not a 2008 suspension), else the page's."""
    from twinwatch.pages.dates import find_dates
    cue = next(pattern for name, pattern in _CUES if name == kind).search(sentence)
    cue_end = cue.end() if cue else len(sentence)
    found = [mention.value for mention in find_dates(sentence, published)
             if mention.end <= cue_end and not _TIE_MADE.search(sentence, mention.end, cue_end)]
    return found[-1] if found else published
