"""The extraction cascade: document → events (structured readers and prose rules).

Owned by the extraction engine; `find_events` is the stable entry point every caller uses.

1. structured readers (tables, lists, profile pages) — `extract.structured`, when present;
2. prose: sentences are split by rule, and only those carrying an agreement keyword (a cheap
   regex) go through the NLP pipeline (Kiwi tokenizer → span ruler → places → event assembler);
3. merge: one event per agreement per document (title, lead and repeated mentions agree).
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from extract.rules.components import get_pipeline, run
from extract.nlp.pipeline import PATTERN_DIR, get_kiwi, read_jsonl
from extract.nlp.place_index import (COUNTRY, FOREIGN, KR, PlaceIndex, PlaceMention, default_index,
                                     resolved_abroad)
from extract.nlp.places import find_places, remembered_places
from extract.records import Document, Event
from extract.nlp.sentences import Sentence, split_sentences
from extract.rules.timing import NO_TENSE, SAME_DAY, TOLD_IN_PAST, TOLD_IN_PRESENT
from extract.rules.counterparts import ROLE_STRONG, at_facility
from extract.rules.drafts import Context, Draft, name_key, same_place

log = logging.getLogger(__name__)

PREFILTERS = [re.compile(rec["regex"]) for rec in read_jsonl(PATTERN_DIR / "prefilter.jsonl")]
TITLE_TYPES = (("letter_of_intent", re.compile(r"의향서|LOI")), ("sister_city", re.compile(r"자매|친선결연")),
               ("friendship_city", re.compile(r"우호")), ("mou", re.compile(r"MOU|업무협약|양해각서|협력각서|비망록")))
LEAD_SENTENCES = 2
YEAR_WRITTEN = re.compile(r"(?<!\d)(19[5-9]\d|20[0-4]\d)\s*년")
# A news sentence is rarely over 300 characters; a longer "sentence" is a flattened table or
# garbage, which the structured readers own — and Kiwi's time grows with it.
MAX_SENTENCE_CHARS = 800
DATELINE = re.compile(r"[\[(]\s*[가-힣]{1,10}\s*=\s*[^\])=]{1,20}[\])]")
SENTENCE_ENDING = re.compile(r"(다|요|음|함|됨|임|짐|니다|있음|것)\s*[.!?…]*\s*[\"'”’)\]]*\s*$")
REPORT_WORD = re.compile(r"밝혔|전했|발표했|알렸")
# Before the NLP pipeline runs, a report day is told by the verb of saying right after it
# ('…고 18일 밝혔다'); inside a parsed sentence the clause layer's report frames say it.
REPORT_AFTER = re.compile(r"^\S{0,3}\s*(밝혔|전했|말했|발표했|알렸|보도했|설명했)")
# A line that dates the signing: the ceremony, or a release's '○ 일시: 2024. 5. 10.(금)' field.
CEREMONY = re.compile(r"(서명|체결|협약|협정|조인)식|서명했|체결했|^\W*(일\s*시|일\s*자|날\s*짜)\s*[:：]")


def load_engine() -> None:
    """Load what the first page would: the gazetteer index, Kiwi and the spaCy pipeline (a
    worker process calls this once as it starts, so its first page pays no start-up)."""
    default_index()
    get_kiwi()
    get_pipeline()


def find_events(document: Document) -> list[Event]:
    """Every agreement event in a document, one per agreement, in text order."""
    structured = _structured_events(document)
    prose = prose_events(document)
    return merge_events(structured, prose)


def _structured_events(document: Document) -> list[Event]:
    try:
        from extract.structured import find_structured_events
    except ImportError:
        return []
    try:
        return list(find_structured_events(document))
    except Exception as exc:  # a table reader's failure must not cost the prose events
        log.warning("structured reader failed on %s: %s", document.url, exc)
        return []




def prose_events(document: Document) -> list[Event]:
    sentences = split_sentences(document.text or "")
    positions = [i for i, s in enumerate(sentences) if len(s.text) <= MAX_SENTENCE_CHARS
                 and may_report_agreement(s.text) and not _stray_headline(s, i, document)]
    if not positions:
        return []
    chosen = [sentences[i] for i in positions]
    context = document_context(document, sentences)
    nlp = get_pipeline()
    found: list[tuple[Sentence, Draft]] = []
    # what '이날' means in a line depends only on the lines before it: none after the last chosen
    reported = _reported_days(sentences[:positions[-1] + 1], context)
    for sentence in chosen:
        this_day, earlier_day = reported.get(sentence.start, (None, None))
        doc = run(nlp, sentence.text, replace(context, same_day=this_day, earlier_day=earlier_day))
        found.extend((sentence, draft) for draft in doc._.drafts or [])
    return _merge_drafts(_without_implied_partners(found), sentences, document, context)


def _reported_days(sentences: list[Sentence], context: Context) -> dict[int, tuple[str | None, str | None]]:
    """For each sentence start: what '이날' means there — the latest day a line so far said
    something was announced ('…맺었다고 18일 밝혔다'), else the page's date — and what '같은 날'/
    '당일' mean — the last full day an earlier sentence named ('지난 16일 …. 같은 날 오후 …')."""
    days: dict[int, tuple[str | None, str | None]] = {}
    reported: str | None = None
    earlier: str | None = None
    for sentence in sentences:
        if not context.published:
            break
        report_here, named = _days_named(sentence.text, context)
        reported = report_here or reported
        days[sentence.start] = (reported, earlier)
        earlier = named or report_here or earlier
    return days


def _days_named(text: str, context: Context) -> tuple[str | None, str | None]:
    """The report day ('18일 밝혔다') and the last other full day a sentence names, leaving out
    the same-day words themselves."""
    reported = named = None
    for mention in context.dates_in(text):
        if len(mention.value) != 10:
            continue
        following = text[mention.end:mention.end + 12]
        if REPORT_WORD.search(text) and REPORT_AFTER.match(following):
            reported = mention.value
        elif not SAME_DAY.fullmatch(text[mention.start:mention.end]) and not mention.range_end:
            named = mention.value
    return reported, named


def _without_implied_partners(found: list[tuple[Sentence, Draft]]) -> list[tuple[Sentence, Draft]]:
    """A partner taken from the title is dropped when the party's sentences name another one
    themselves; when they name the same one, the implied mention stays (it may date the tie:
    '양 도시는 다음 달 17일 … 체결할 예정')."""
    named = [(d.party, d.partner) for _s, d in found if d.partner_in_sentence]
    return [(s, d) for s, d in found
            if d.partner_in_sentence or not any(same_place(d.party, party) for party, _p in named)
            or any(same_place(d.party, party) and same_place(d.partner, partner)
                   for party, partner in named)]


def _stray_headline(sentence: Sentence, position: int, document: Document) -> bool:
    """A line with no sentence ending, below the page's own title: a related-news headline that
    slipped past the page reader ('부산시-사마르칸트 우호협력도시 협정 체결'), not this page's news."""
    if position == 0 or SENTENCE_ENDING.search(sentence.text):
        return False
    title = re.sub(r"\s+", "", document.title or "")
    return not title or re.sub(r"\s+", "", sentence.text) != title


def may_report_agreement(sentence: str) -> bool:
    """The cheap gate in front of the NLP pipeline (data: patterns/prefilter.jsonl)."""
    return all(pattern.search(sentence) for pattern in PREFILTERS)


def document_context(document: Document, sentences: list[Sentence]) -> Context:
    """The page's main Korean government, its partners and type, from the title and the lead."""
    index = default_index()
    title = document.title or (sentences[0].text if sentences else "")
    party: PlaceMention | None = None
    partners: list[PlaceMention] = []
    seen: dict[tuple[str, frozenset[str]], list[PlaceMention]] = {}
    council_page = False
    for line in (title, *(s.text for s in sentences[:LEAD_SENTENCES])):
        # a dateline ('[대전=뉴스핌]') tells where the reporter files from, not who signs
        text = DATELINE.sub(lambda m: " " * len(m.group()), line)
        found = remembered_places(seen, text, index, document.published)  # the title is often line one too
        places = [p for p in found if not p.qualifier]
        party = _qualified(party, found)
        if party is None:
            party = _first_government(places, in_title=line == title)  # the title, or line one
            council_page = party is None and any(p.kind == KR and p.council for p in places)
            if council_page:
                break  # the page is about a council: no government party by default
        partners.extend(p for p in places if _context_partner(p, party) and not at_facility(text, p))
    if party is None or party.tail.startswith("청"):
        party = _party_of_prose_lead(sentences, title, seen, index, document.published) or party
    party = _qualified_later(party, sentences[LEAD_SENTENCES:], seen, index, document.published)
    if party is None and not council_page:  # an excerpt whose lead is cut ('이날 신 시장은 …'): the government it names
        party = _party_named_later(sentences[LEAD_SENTENCES:], seen, index, document.published)
    if party is not None and not partners:  # '정선군과 바왕시는 이번 협약을 통해 …'
        partners.extend(_paired_with(party, sentences, seen, index, document.published))
    agreement_type = next((name for name, pattern in TITLE_TYPES if pattern.search(title)), None)
    return Context(document.published, party, tuple(partners), agreement_type, places_seen=seen,
                   undated_floor=None if document.published else _undated_floor(document.text))


def _undated_floor(text: str) -> str | None:
    """The last day of the year before the latest year the page names: no page is older than
    what it tells, and the year before is still news."""
    years = [int(year) for year in YEAR_WRITTEN.findall(text)]
    return f"{max(years) - 1}-12-31" if years else None


def _party_of_prose_lead(sentences: list[Sentence], title: str,
                         seen: dict[tuple[str, frozenset[str]], list[PlaceMention]], index: PlaceIndex,
                         published: str | None) -> PlaceMention | None:
    """When the title and the lines after it name no party of their own (a subtitle '趙시장,
    21일 부여군청 찾아…', a byline), the first lines of prose do."""
    # a sentence ends on a final ending: a byline ('김희우') or a subtitle ('… 7곳으로 늘어') does not
    lead = [s for s in sentences if s.text.strip() != title.strip() and SENTENCE_ENDING.search(s.text)]
    for sentence in lead[:LEAD_SENTENCES]:
        found = remembered_places(seen, sentence.text, index, published)
        party = _first_government([p for p in found if not p.qualifier])
        if party is not None:
            return party
    return None


def _paired_with(party: PlaceMention, sentences: list[Sentence],
                 seen: dict[tuple[str, frozenset[str]], list[PlaceMention]], index: PlaceIndex,
                 published: str | None) -> list[PlaceMention]:
    """Places abroad the page pairs with its party as one subject ('정선군과 바왕시는 …'): the
    page's counterparts when its title and lead name none."""
    paired = []
    party_key = name_key(party.name)
    for sentence in sentences:
        if party_key not in name_key(sentence.text):
            continue  # only lines that name the party can pair it (a string test before the look-ups)
        places = [p for p in remembered_places(seen, sentence.text, index, published) if not p.qualifier]
        for first, second in zip(places, places[1:]):
            if first.kind == KR and same_place(first, party) and first.tail in ("와", "과") \
                    and second.kind == FOREIGN and second.tail in ("는", "은", "가", "이"):
                paired.append(second)
    return paired


def _party_named_later(sentences: list[Sentence],
                       seen: dict[tuple[str, frozenset[str]], list[PlaceMention]], index: PlaceIndex,
                       published: str | None) -> PlaceMention | None:
    """The one Korean government the rest of the page names, if it names only one."""
    named: dict[str, PlaceMention] = {}
    for sentence in sentences:
        for place in remembered_places(seen, sentence.text, index, published):
            if place.kind == KR and not place.qualifier and not place.council and not place.submunicipal:
                named.setdefault(place.place_id or place.name, place)
    return next(iter(named.values())) if len(named) == 1 else None


def _qualified_later(party: PlaceMention | None, sentences: list[Sentence],
                     seen: dict[tuple[str, frozenset[str]], list[PlaceMention]], index: PlaceIndex,
                     published: str | None) -> PlaceMention | None:
    """A party the title and lead name bare ('북구-…', a byline in between) is resolved by the
    first later line that names it with its city or province ('울산 북구가')."""
    party_key = name_key(party.name) if party is not None else None
    for sentence in sentences:
        if party_key is None or party_key not in name_key(sentence.text):
            continue
        qualified = _qualified(party, remembered_places(seen, sentence.text, index, published))
        if qualified is not party:
            return qualified
    return party


def _qualified(party: PlaceMention | None, places: list[PlaceMention]) -> PlaceMention | None:
    """A bare name of the title ('북구-…') is the government a later line names with its
    province ('울산 북구가'): the qualified mention resolves it."""
    if party is None:
        return None
    for previous, place in zip(places, places[1:]):
        if previous.qualifier and place.kind == KR and place.place_id != party.place_id \
                and name_key(place.name) == name_key(party.name):
            return place
    return party


def _context_partner(place: PlaceMention, party: PlaceMention | None) -> bool:
    if place.kind == FOREIGN:
        # a bare two-syllable name in a weak role ('미국 동부를') is more often a word
        return len(place.name) > 2 or bool(ROLE_STRONG.match(place.tail))
    return place.kind == KR and party is not None and not same_place(place, party) \
        and not place.council and not place.submunicipal


def _first_government(places: list[PlaceMention], in_title: bool = False) -> PlaceMention | None:
    """The first Korean government named, unless it is named only as the counterpart ('충남
    부여군과 자매결연 협정 체결': the page's own government is the one not named)."""
    korean = [p for p in places if p.kind == KR]
    for place in korean:
        if place.council or place.submunicipal:
            return None
        if in_title and len(korean) == 1 and place.tail in ("와", "과"):
            return None
        return place
    return None


def _merge_drafts(found: list[tuple[Sentence, Draft]], sentences: list[Sentence], document: Document,
                  context: Context) -> list[Event]:
    """One event per (party, partner): the best-evidenced mention, with gaps filled from the rest."""
    groups: dict[tuple[str, ...], list[tuple[Sentence, Draft]]] = {}
    for sentence, draft in found:
        groups.setdefault(_pair_key(draft.party, draft.partner), []).append((sentence, draft))
    events = []
    for members in (agreement for pair in groups.values() for agreement in _agreements(pair)):
        best_sentence, best = max(members, key=lambda sd: _evidence_rank(sd[1]))
        done = [(s, d) for s, d in members
                if TOLD_IN_PAST in d.notes and d.agreement_type == best.agreement_type]
        if TOLD_IN_PRESENT in best.notes and done:
            # a headline's '맺는다' beside a body's '체결했다': the body's past is what happened
            best_sentence, best = max(done, key=lambda sd: _evidence_rank(sd[1]))
        dated = [d.date for _s, d in members if d.date]
        date_value = best.date or (max(dated, key=len) if dated else None)
        # a month ('16일부터 18일까지') that another mention narrows to its day ('17일, …')
        finer = [d for d in dated if date_value and len(date_value) < len(d) and d.startswith(date_value)]
        date_value = finer[0] if finer else date_value
        if date_value is None or len(date_value) < 10 and best.status == "signed":
            # the ceremony told beside any mention of the tie, the best-evidenced first
            ranked = sorted(members, key=lambda sd: _evidence_rank(sd[1]), reverse=True)
            date_value = next((day for day in (_ceremony_date(sentences, s, context)
                                               for s, _d in ranked) if day), date_value)
        if date_value is None and document.published:
            date_value = document.published[:7]  # the month of the news when no day is given
        typed = [d for _s, d in members if d.explicit_type]
        agreement_type = best.agreement_type if best.explicit_type or not typed else typed[0].agreement_type
        events.append((best_sentence.start, _to_event(best, best_sentence, agreement_type, date_value,
                                                      document, context)))
    ordered = [event for _start, event in sorted(events, key=lambda se: se[0])]
    return [event for event in ordered if not any(_inside(other, event) for other in ordered)]


def _inside(event: Event, region: Event) -> bool:
    """'가나가와현 시장이' beside '가나가와현 가마쿠라시와', one day and one type: the tie is the
    city's, and the region named for it is no partner of its own."""
    return event is not region and event.korean_party == region.korean_party \
        and event.date is not None and event.date == region.date \
        and event.agreement_type == region.agreement_type and event.partner_region is not None \
        and name_key(event.partner_region) == name_key(region.partner_canonical or region.partner)


def _agreements(members: list[tuple[Sentence, Draft]]) -> list[list[tuple[Sentence, Draft]]]:
    """Mentions of one pair are one agreement, unless the page reports one tie concluded and
    another of a different named type still to come ('의향서를 체결한 데 이어 오는 9월
    자매결연을 맺을 예정')."""
    signed = [m for m in members if m[1].status == "signed"]
    planned = [m for m in members if m[1].status == "planned"]
    signed_types = {d.agreement_type for _s, d in signed if d.explicit_type}
    planned_types = {d.agreement_type for _s, d in planned if d.explicit_type}
    if signed_types and planned_types and not signed_types & planned_types:
        return [signed, planned]
    if len(signed_types) > 1 and not planned and _steps_apart(signed):
        # '2009년 2월 5일 우호도시를 맺었고 … 2010년 7월 22일 자매도시 조인을 했다': two steps
        by_type: dict[str, list[tuple[Sentence, Draft]]] = {}
        for member in signed:
            by_type.setdefault(member[1].agreement_type, []).append(member)
        return list(by_type.values())
    return [members]


def _steps_apart(signed: list[tuple[Sentence, Draft]]) -> bool:
    """Each named type is told with its own day, and the days differ: not one act named twice."""
    days: dict[str, set[str]] = {}
    for _s, draft in signed:
        if draft.explicit_type and draft.date and len(draft.date) == 10:
            days.setdefault(draft.agreement_type, set()).add(draft.date)
    return len(days) > 1 and not set.intersection(*days.values())


def _ceremony_date(sentences: list[Sentence], sentence: Sentence, context: Context) -> str | None:
    """'…협약을 체결했다고 17일 밝혔다. 서명식은 2016. 5.16 열렸으며': the day from the next lines."""
    position = next((i for i, s in enumerate(sentences) if s.start == sentence.start), None)
    if position is None or not context.published:
        return None
    # the ceremony told of just before ('19일 개최된 체결식에서는 …. 체결식에서는 A와 B가 …. 또한
    # C와 D가 …'), nearest first, or after; or the day that opens the line before ('21일, 성장은
    # 도지사를 접견했다. 두 사람은 … 협정을 체결했다'): a scene's day holds for what follows it
    before = sentences[max(0, position - 2):position][::-1]
    for neighbour in before + sentences[position + 1:position + 4]:
        ceremony = CEREMONY.search(neighbour.text) is not None
        if not ceremony and not (position and neighbour is sentences[position - 1]):
            continue
        for mention in context.dates_in(neighbour.text):
            following = neighbour.text[mention.end:mention.end + 12]
            if not ceremony and neighbour.text[:mention.start].strip():
                continue  # only a day the line opens with sets the scene
            if len(mention.value) == 10 and not REPORT_AFTER.match(following) and not mention.range_end:
                return mention.value
    return None


def _evidence_rank(draft: Draft) -> tuple[int, int, int, int, float]:
    # a sentence whose verb tells its tense is better evidence than a headline's bare noun
    return (int(draft.partner_in_sentence), int(bool(draft.date)), int(draft.explicit_type),
            int(NO_TENSE not in draft.notes), draft.confidence)


def _pair_key(party: PlaceMention, partner: PlaceMention) -> tuple[str, ...]:
    """Two mentions of one pair share a key even when one was resolved and the other not
    ('청도(靑島)시' and a later bare '청도시'): names as written, without suffix."""
    keys = sorted([name_key(party.canonical or party.name), name_key(partner.canonical or partner.name)
                   if partner.kind == KR else name_key(partner.name)])
    return tuple(keys)


def _to_event(draft: Draft, sentence: Sentence, agreement_type: str, date_value: str | None,
              document: Document, context: Context) -> Event:
    party, partner = draft.party, draft.partner
    on_date = document.published
    partner_country = partner.country or _country_near(document, sentence, partner)
    partner = resolved_abroad(partner, partner_country)
    return Event(
        korean_party=party.canonical or party.name,
        korean_province=_province(party, on_date),
        # a Korean partner is named as the government calls itself ('충남도청' → 충청남도)
        partner=partner.canonical if partner.kind == KR and partner.canonical else partner.name,
        partner_canonical=partner.canonical,
        partner_country=partner_country,
        partner_region=partner.region if partner.kind == FOREIGN else None,
        partner_province=_province(partner, on_date) if partner.kind == KR else None,
        agreement_type=agreement_type,
        date=date_value,
        status=draft.status,
        evidence=sentence.text,
        evidence_span=(sentence.start, sentence.end),
        confidence=draft.confidence,
        place_ids={"korean_party": party.place_id, "partner": partner.place_id},
    )


def _province(place: PlaceMention, on_date: str | None) -> str | None:
    """A 기초 government's 광역 as named on the page's date; None for a 광역 itself."""
    if place.level == "광역":
        return None
    index = default_index()
    if index.gazetteer is not None and place.place_id and on_date:
        try:
            name = index.gazetteer.province_name_on(place.place_id, on_date)
            if name:
                return name
        except Exception as exc:  # fall back to the region the gazetteer stores
            log.debug("province_name_on failed: %s", exc)
    return place.region


def _country_near(document: Document, sentence: Sentence, partner: PlaceMention) -> str | None:
    """An unknown partner's country: a country or a known place abroad named before it in the
    sentence ('미국 콜로라도주 베일'), else in the title, else in the first lines of the page."""
    index = default_index()
    lead = (document.text or "")[:400]
    for text, limit in ((sentence.text, partner.start), (document.title or "", None), (lead, None)):
        places = find_places(text, index)
        before = [p for p in places if limit is None or p.start < limit] or places
        for place in reversed(before):
            if place.kind in (COUNTRY, FOREIGN) and place.country and place.country != "KR":
                return place.country
    return None


def merge_events(structured: list[Event], prose: list[Event]) -> list[Event]:
    """Structured rows first (a list may hold two rows for one pair); a prose event for a pair
    a row already gives is the same agreement told again."""
    listed = {_event_key(e) for e in structured}
    return list(structured) + [event for event in prose if _event_key(event) not in listed]


def _event_key(event: Event) -> tuple[str, ...]:
    return tuple(sorted([name_key(event.korean_party), name_key(event.partner)]))
