"""The records the event rules pass around: marks, clauses, drafts and the document's context,
and when two place mentions are one place.

`events`, `counterparts` and `timing` all read these; keeping them here, below the three, is
what lets each import the others' records without importing each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extract.gazetteer.model import normalise, strip_admin_suffix
from extract.nlp import clauses as grammar
from extract.nlp.places import PlaceMention
from twinwatch.pages.dates import DateMention, find_dates

PAREN_GLOSS = re.compile(r"\([^)]*\)")


@dataclass(frozen=True, slots=True)
class Mark:
    """A labelled character span of the sentence (term or cue)."""

    start: int
    end: int
    label: str


@dataclass(frozen=True, slots=True)
class Context:
    """What the whole document says, for sentences that leave a party or partner implicit."""

    published: str | None
    party: PlaceMention | None  # the Korean government the page is about
    partners: tuple[PlaceMention, ...] = ()  # partners named in the title or lead
    agreement_type: str | None = None  # the type the title or lead names
    same_day: str | None = None  # what '이날' means here: the day a previous line reported ('18일 밝혔다')
    earlier_day: str | None = None  # what '같은 날'/'당일' mean: the last day an earlier sentence named
    # place mentions already found in this document, by (text, introduced names): one page's memo
    places_seen: dict[tuple[str, frozenset[str]], list[PlaceMention]] = field(
        default_factory=dict, compare=False, hash=False, repr=False)
    # with no page date: the page is no older than the last year it names ('…2010년 방문'),
    # so a tie of 1988 it mentions is history
    undated_floor: str | None = None
    # date mentions already read in this document, by sentence: one page's memo (the days
    # reported before a sentence are read from the lines the pipeline then reads again)
    dates_seen: dict[str, list[DateMention]] = field(default_factory=dict, compare=False, hash=False,
                                                     repr=False)

    def dates_in(self, text: str) -> list[DateMention]:
        """`find_dates` of a line of this document against its date, read once per document."""
        if text not in self.dates_seen:
            self.dates_seen[text] = find_dates(text, self.published)
        return list(self.dates_seen[text])


@dataclass(slots=True)
class Draft:
    """One event found in one sentence (offsets relative to the sentence)."""

    party: PlaceMention
    partner: PlaceMention
    agreement_type: str
    explicit_type: bool
    status: str
    date: str | None
    confidence: float
    partner_in_sentence: bool
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Clause:
    """The stretch of a sentence one signing predicate governs: from `start` (where the chain of
    clauses coordinated with it begins) to the signing words, with the grammatical clause that
    holds them (tense, embedding) when the sentence was read by Kiwi."""

    start: int
    predicate_start: int
    predicate_end: int
    parsed: grammar.Clause | None = None
    frames: tuple[tuple[int, int], ...] = ()  # the sentence's report frames ('…에 따르면', '밝혔다')
    chain: tuple[grammar.Clause, ...] = ()  # the grammatical clauses from `start` to the predicate


def same_place(a: PlaceMention, b: PlaceMention) -> bool:
    """One place, or one name: a bare '고성군' later on a page is the '경남 고성군' it began with."""
    if a.place_id and a.place_id == b.place_id:
        return True
    return name_key(a.canonical or a.name) == name_key(b.canonical or b.name) or name_key(a.name) == name_key(b.name)


def name_key(name: str) -> str:
    """A name without spaces, glosses and one administrative suffix: 훈춘시 → 훈춘 (for merging).

    The gazetteer's own normalisation, plus the English-style suffixes it does not strip."""
    compact = normalise(PAREN_GLOSS.sub("", name))
    for suffix in ("타운", "카운티"):
        if compact.endswith(suffix) and len(compact) > len(suffix) + 1:
            return compact[: -len(suffix)]
    return strip_admin_suffix(compact) or compact
