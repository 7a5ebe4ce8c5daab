"""Event rules over one sentence: which agreement, between whom, of what type, signed or planned.

Inputs are character spans (terms and cues from the span ruler, places, dates); the labelling
rules are those of ../shared/eval/README.md. Every function here is plain Python over offsets
so the rules can be tested sentence by sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from extract.nlp import clauses as grammar
from twinwatch.pages.dates import DateMention
from extract.gazetteer.model import normalise, strip_admin_suffix
from extract.nlp.pipeline import PATTERN_DIR, read_jsonl
from extract.nlp.places import COUNTRY, FOREIGN, KR, PlaceMention
from extract.rules.timing import after_page, clause_date, clause_status, partner_days, too_old

# Nouns of gatherings: an adnominal clause before one tells who holds it.
EVENT_NOUNS = frozenset({"대회", "박람회", "포럼", "회의", "행사", "축제", "총회", "엑스포", "심포지엄"})
TERM_TYPES = {"TERM_LOI": "letter_of_intent", "TERM_SISTER": "sister_city",
              "TERM_FRIEND": "friendship_city", "TERM_MOU": "mou"}
AHEAD_OF = re.compile(r"^[을를]\s*앞두")  # '체결을 앞두고': before the act, not the act
PURPOSE = re.compile(r"^(기\s*위|하기\s*위|을\s*위|를\s*위|기\s*위한|을\s*목표)")
PROPOSAL = re.compile(r"^(\s*의향을|\s*의사를|\s*제안|\s*희망|\s*논의|\s*협의|\s*요청|을\s*(제안|희망|논의|협의|요청|추진|검토))")


def _role_patterns() -> dict[str, re.Pattern[str]]:
    """Role cue words (data: patterns/roles.jsonl), one alternation per role."""
    by_role: dict[str, list[str]] = {}
    for record in read_jsonl(PATTERN_DIR / "roles.jsonl"):
        by_role.setdefault(record["role"], []).append(f"(?:{record['regex']})")
    return {role: re.compile("|".join(parts)) for role, parts in by_role.items()}


ROLES = _role_patterns()
ROLE_STRONG, ROLE_MEDIUM, NEXT_WORD_ROLE = ROLES["strong"], ROLES["medium"], ROLES["next_word"]
# Words that name a specific field of cooperation: such an agreement is an MOU (eval README).
SPECIFIC_COOPERATION = re.compile(r"분야|관광|경제|투자|산업|농업|근로자|인력|물류|항만|기술|의료|환경|에너지|"
                                  r"무역|통상|수출|개발|사업|프로젝트|실무")
AGREEMENT_AIM = re.compile(r"(체결|협약|협정|결연|수립|관계|의향서)\s*(을|를|의)?\s*$")
PAREN_GLOSS = re.compile(r"\([^)]*\)")
TRAVEL_VERB = re.compile(r"(출국|떠나|떠났|출발|향했|향한다|나섰|나선다|방문한다|방문했|찾는다|찾았)")


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


def _counterpart_patterns() -> list[tuple[str, re.Pattern[str]]]:
    return [(rec["kind"], re.compile(rec["regex"])) for rec in read_jsonl(PATTERN_DIR / "counterparts.jsonl")]


COUNTERPARTS = _counterpart_patterns()
# Titles of signers, longest first, and whether they act for a local government.
SIGNER_TITLES = sorted(((rec["title"], rec["government"])
                        for rec in read_jsonl(PATTERN_DIR / "signers.jsonl")),
                       key=lambda title: -len(title[0]))


def sentence_events(text: str, marks: list[Mark], places: list[PlaceMention],
                    dates: list[DateMention], context: Context,
                    parsed: list[grammar.Clause] | None = None) -> list[Draft]:
    """The events one sentence reports as news (none for history, visits, renewals …)."""
    labels = {m.label for m in marks}
    if "RENEW" in labels or not labels & set(TERM_TYPES) | {"TERM_GENERIC"}:
        return []
    drafts: list[Draft] = []
    for clause in clauses(text, marks, parsed or []):
        drafts.extend(clause_events(text, clause, marks, places, dates, context))
    return drafts


def clauses(text: str, marks: list[Mark], parsed: list[grammar.Clause]) -> list[Clause]:
    """One clause per signing predicate that is not a proposal ('체결 의향을 제안')."""
    signs = sorted((m for m in marks if m.label == "SIGN"), key=lambda m: m.start)
    groups: list[list[Mark]] = []
    for sign in signs:
        following = text[sign.end:sign.end + 12]
        if PROPOSAL.match(following) or AHEAD_OF.match(following):
            continue
        if groups and sign.start - groups[-1][-1].end <= 3:
            groups[-1].append(sign)
        else:
            groups.append([sign])
    found: list[Clause] = []
    start = 0
    frames = tuple((c.start, c.end) for c in parsed if c.report)
    for position, group in enumerate(groups):
        purpose = PURPOSE.match(text[group[-1].end:group[-1].end + 8])
        if purpose and position + 1 < len(groups):
            continue  # '관계를 맺기 위한 첫 단계로 의향서를 교환했다': the later verb is the event
        if purpose and not TRAVEL_VERB.search(text[group[-1].end:]):
            continue  # '체결을 위한 실무 협의를 가졌다': talks, not an agreement (a trip 'to sign' is planned)
        holder = grammar.clause_at(parsed, group[0].start)
        if holder is not None and not any(_acts(holder, sign) for sign in group):
            continue  # '관계 수립에 대해 의견을 나누었다', '수립 의향서를 체결했다': a noun, not the act
        if holder is not None and holder.kind == "adnominal" and holder.head in grammar.MODAL_HEADS:
            continue  # '협약을 체결할 필요가 있다': a need, not an act
        if position + 1 < len(groups) and _leads_into_next(holder, marks, parsed):
            continue  # '관계를 격상해 자매결연을 맺었다': one act, named by the verb that follows
        if found and _goes_on_from(found[-1].parsed, holder, marks, parsed):
            continue  # '우호도시를 체결하고 협의를 맺었다': the same act told twice
        begin = max(start, _chain_start(parsed, holder))
        chain = tuple(c for c in parsed if c.end > begin and c.start < group[-1].end)
        found.append(Clause(begin, group[0].start, group[-1].end, holder, frames, chain))
        start = group[-1].end
    return found


def _goes_on_from(previous: grammar.Clause | None, holder: grammar.Clause | None,
                  marks: list[Mark], parsed: list[grammar.Clause]) -> bool:
    """A signing clause joined right after another that names no agreement of its own."""
    if previous is None or holder is None or previous.kind != "connective" or previous.end != holder.start:
        return False
    return not _names_agreement(holder, marks, parsed)


def _names_agreement(holder: grammar.Clause, marks: list[Mark], parsed: list[grammar.Clause]) -> bool:
    return any(m.label.startswith("TERM_") and holder.start <= m.start < holder.end
               and not _describes_partner(m, parsed) for m in marks)


def _leads_into_next(holder: grammar.Clause | None, marks: list[Mark],
                     parsed: list[grammar.Clause]) -> bool:
    """A connective signing clause that names no agreement of its own ('관계를 격상해', '손잡고')
    is the first step of the act the next clause names."""
    if holder is None or holder.kind != "connective":
        return False
    return not _names_agreement(holder, marks, parsed)


def _acts(holder: grammar.Clause, sign: Mark) -> bool:
    """A signing word that is the clause's act, not a noun inside an adjunct ('…수립에 대해')
    or a modifier of another noun ('수립 의향서', '체결 이후')."""
    following = holder.next_morph(sign.end)
    if following is None or following.start > sign.end + 1:
        return True
    if following.form in ("일", "날", "날짜", "일정", "식"):
        return True  # '체결일을 오는 26일로 잡고': the act's day or ceremony is set
    return not (following.tag in ("JKB", "JKG") or following.tag.startswith("NN"))


def _chain_start(parsed: list[grammar.Clause], holder: grammar.Clause | None) -> int:
    """Where the clauses coordinated with the signing clause begin: back over connective and
    circumstantial clauses ('…를 방문하고 협약을 맺었다', '…이 참석한 가운데 체결했다'), stopping
    at background ('…을 맺은 뒤', '…에 이어'), a report frame ('…에 따르면') or a clause that
    ended a sentence of its own ('…했다.군은')."""
    if holder is None:
        return 0
    start = holder.start
    for clause in reversed([c for c in parsed if c.end <= holder.start]):
        if clause.embedded or clause.report or clause.kind == "final" or _follows_on(clause):
            break
        start = clause.start
    return start


def _follows_on(clause: grammar.Clause) -> bool:
    """'A시에 이어 B시와': what comes after '…에 이어' is new; before it, background."""
    return clause.predicate == "잇" and clause.kind == "connective"


def clause_events(text: str, clause: Clause, marks: list[Mark], places: list[PlaceMention],
                  dates: list[DateMention], context: Context) -> list[Draft]:
    terms = [m for m in marks if m.label.startswith("TERM_") and m.end <= clause.predicate_end
             and not _anniversary_term(text, m) and not _describes_partner(m, clause.chain)]
    in_clause = [m for m in terms if m.start >= clause.start]
    terms = in_clause or [m for m in terms if clause.predicate_start - m.end <= 30] \
        or _relative_clause_terms(text, clause, marks, dates, context.published)
    if not terms:
        return []
    if _is_background(text, clause) and not _recently_dated(text, clause, dates, context.published):
        return []  # '2005년 자매결연을 맺은 뒤 …' (but a caption's '서명한 뒤 기념촬영' is the news)
    window = text[clause.start:clause.predicate_end]
    if _anniversary(text, marks, clause) or _non_government_counterpart(window, places, clause) \
            or _non_government_signer(text, clause, places):
        return []
    if _list_of_ties(text, clause, places) and not _recently_dated(text, clause, dates,
                                                                   context.published):
        return []
    if len({d.value[:4] for d in dates if clause.start <= d.start < clause.predicate_start
            and not d.relative}) >= 2:
        return []  # '2003년 관광협정, 2009년 산업협정을 체결했으며': one act has one day; several are a history
    return _assign_partners(text, clause, terms, marks, places, dates, context)


def _describes_partner(term: Mark, parsed: Sequence[grammar.Clause]) -> bool:
    """'우호 교류 도시인 둥잉시와의 관계를 격상해 …': a type named by a copula before a noun says
    what the partner already is, not what is signed now."""
    return any(g.kind == "adnominal" and g.start <= term.start < g.end
               and any(m.tag == "VCP" and 0 <= m.start - term.end <= 1 for m in g.morphs[-2:])
               for g in parsed)


def _relative_clause_terms(text: str, clause: Clause, marks: list[Mark], dates: list[DateMention],
                           published: str | None) -> list[Mark]:
    """'지난 9일 ○○시와 맺은 우호교류 협약은 …': the agreement named right after a relative
    '맺은/체결한', when a recent day comes before the verb (undated, or dated after — '…와 맺은
    협정에 따라 지난 9일 방문했다' — it is background)."""
    parsed = clause.parsed
    if parsed is None or parsed.kind != "adnominal" or parsed.tense != "past":
        return []
    terms = [m for m in marks if m.label.startswith("TERM_")
             and 0 <= m.start - clause.predicate_end <= 6 and not _anniversary_term(text, m)]
    dated_before = [d for d in dates if clause.start <= d.start and d.end <= clause.predicate_start
                    and len(d.value) == 10 and not too_old(d.value, published)]
    return terms if terms and dated_before else []


def _list_of_ties(text: str, clause: Clause, places: list[PlaceMention]) -> bool:
    """'군은 1999년부터 송파구, 부산진구, 이천시, 보령시와 자매결연을 했다', '부산-몬트리올,
    대전-캘거리 … 간에도 체결됐다': three or more counterparts listed in one signing clause, not
    said to be signed 'each' on a recent day, are the ties a government holds."""
    window = text[clause.start:clause.predicate_end]
    if "각각" in window:
        return False
    sides = _candidates(text, places, clause)
    if len(sides) < 3:
        return False
    between = text[sides[0].start:sides[-1].start]
    return sum(between.count(mark) for mark in (",", "·", "-", "–")) >= 2


def _anniversary_term(text: str, term: Mark) -> bool:
    return bool(re.match(r"\s*\d+\s*주년", text[term.end:term.end + 8]))


def _anniversary(text: str, marks: list[Mark], clause: Clause) -> bool:
    """'자매결연 20주년 기념 … 강화 협정': an anniversary reaffirmation, not a new tie."""
    return any(m.label == "ANNIV" and m.start < clause.predicate_end for m in marks) and not any(
        m.label == "TERM_MOU" and m.start > clause.start for m in marks)


def _is_background(text: str, clause: Clause) -> bool:
    """History, not news: the signing clause is embedded ('맺은 뒤', '체결한 이후', '맺음으로'),
    tells of a standing tie ('맺고 있다', '체결하여 … 펼쳐 오고 있다'), or describes something
    by a past signing ('자매결연을 맺은 도시')."""
    parsed = clause.parsed
    if parsed is None:
        return False
    if parsed.embedded or parsed.continuing:
        return True
    return parsed.kind == "adnominal" and parsed.tense == "past" \
        and any(noun in DESCRIBED_HEADS for noun in parsed.head_run)


# Nouns a past signing describes ('자매결연을 맺은 도시', '… 맺은 두 시는'): a tie they hold.
DESCRIBED_HEADS = frozenset({"도시", "곳", "국가", "나라", "지자체", "지방정부", "자매도시", "우호도시",
                             "것", "바", "지역", "시", "군", "구", "도", "성", "주"})


def _recently_dated(text: str, clause: Clause, dates: list[DateMention], published: str | None) -> bool:
    if not published:
        return False  # with no page date nothing can be shown recent: background stays background
    value = clause_date(text, clause, dates, "signed", published)
    return bool(value) and len(value) == 10 and not too_old(value, published)


def _non_government_counterpart(window: str, places: list[PlaceMention], clause: Clause) -> bool:
    """A university, ministry, council, association … is what the clause's government signs with."""
    for kind, pattern in COUNTERPARTS:
        for match in pattern.finditer(window):
            start = clause.start + match.start()
            covering = [p for p in places if p.start <= start < p.end and p.kind != COUNTRY]
            if covering and not (kind == "council" and covering[0].council):
                continue  # '파리가', '…시청' : a place name, not an organisation
            if _in_venue_span(start, clause):
                continue  # '스트라스필드시 의회에서 체결식을 가졌다': where, not with whom
            return True
    return any((p.council or p.submunicipal) and not _in_venue_span(p.start, clause)
               for p in places if clause.start <= p.start < clause.predicate_end)


def _in_venue_span(offset: int, clause: Clause) -> bool:
    return any(part.role_of(offset, offset + 1) == "place" for part in clause.chain)


def _non_government_signer(text: str, clause: Clause, places: list[PlaceMention]) -> bool:
    """A side that signs under a title no local government's signer holds: '윤 장관은 …과 MOU를
    체결하고', '재단 이사장과 협약을 맺었다' (data: patterns/signers.jsonl). A title after a
    place ('리바카우 시장') speaks for that place, and a circumstantial clause's people
    ('의장이 참석한 가운데') do not sign."""
    for part in clause.chain:
        if part.kind == "adnominal":
            continue
        for argument in part.arguments:
            if argument.role not in ("subject", "topic", "partner"):
                continue
            words = text[argument.start:argument.end].split()
            named = any(argument.start <= p.start < argument.end and p.kind != COUNTRY for p in places)
            if words and not named and _signer_title(words[-1]) is False:
                return True
    return False


def _signer_title(word: str) -> bool | None:
    """Whether the title a word ends with signs for a local government ('인민위원장' is a
    위원장, not a 원장); None for no title."""
    return next((government for title, government in SIGNER_TITLES if word.endswith(title)), None)


def _signer_of(text: str, place: PlaceMention, clause: Clause) -> bool:
    """'로체스터시의 데니스 핸슨 시장은': a place whose official signs is a side (a genitive
    otherwise qualifies: '카비테주의 두 도시와')."""
    for part in clause.chain:
        for argument in part.arguments:
            words = text[argument.start:argument.end].split()
            if argument.start <= place.start < argument.end and argument.role in (
                    "subject", "topic", "partner") and words and _signer_title(words[-1]) is not None:
                return True
    return False


def _person_name(text: str, place: PlaceMention, clause: Clause) -> bool:
    """'로체스터시의 데니스 핸슨 시의장은': a name two words before a signer's title is the
    signer's given name, not a place ('토니 마룬 스트라스필드 시장': the word right before the
    title is the place)."""
    for part in clause.chain:
        for argument in part.arguments:
            if not argument.start <= place.start < argument.end:
                continue
            words = text[argument.start:argument.end].split()
            before = text[argument.start:place.start].split()
            return len(words) >= 3 and len(before) == len(words) - 3 \
                and _signer_title(words[-1]) is not None
    return False


def _in_venue(place: PlaceMention, clause: Clause) -> bool:
    """'서울 무역보험공사에서': a place inside the venue of the signing is not a side of it."""
    return any(part.role_of(place.start, place.end) == "place" for part in clause.chain)


def _candidates(text: str, places: list[PlaceMention], clause: Clause) -> list[PlaceMention]:
    """Places that may be a side of the clause: not qualifiers, councils, genitives
    ('카비테주의 두 도시와': the province of the partners, not a partner) or venues."""
    persons = [p for p in places if _person_name(text, p, clause)]
    named_for = {id(q) for q, p in zip(places, places[1:]) if q.qualifier and p in persons}
    places = [p for p in places if p not in persons]
    return [p for p in places if p.kind in (KR, FOREIGN)
            and (not p.qualifier or id(p) in named_for) and not p.council
            and not (p.kind == FOREIGN and p.tail == "의" and not _signer_of(text, p, clause))
            and clause.start <= p.start < clause.predicate_end
            and not (p.kind == KR and p.tail == "" and _in_venue(p, clause))
            and not _organiser(p, clause)]


def _organiser(place: PlaceMention, clause: Clause) -> bool:
    """'운남성 정부가 주최한 우호도시대회에서 A시와 B시가 …': who holds the event the signing
    takes place at is no side of it."""
    return any(part.kind == "adnominal" and set(part.head_run) & EVENT_NOUNS
               and part.role_of(place.start, place.end) == "subject" for part in clause.chain)



def _role_score(place: PlaceMention) -> float:
    if ROLE_STRONG.match(place.tail) or (place.tail == "" and NEXT_WORD_ROLE.match(place.after)):
        return 3.0
    if ROLE_MEDIUM.match(place.tail):
        return 2.0
    return 1.0


def _assign_partners(text: str, clause: Clause, terms: list[Mark], marks: list[Mark],
                     places: list[PlaceMention], dates: list[DateMention],
                     context: Context) -> list[Draft]:
    candidates = _candidates(text, places, clause)
    foreign = [p for p in candidates if p.kind == FOREIGN]
    korean = [p for p in candidates if p.kind == KR]
    party = _pick_party(korean, context, bool(foreign), clause)
    if party is None:
        return []
    status, status_note = clause_status(text, clause, marks)
    date_value = clause_date(text, clause, dates, status, context.published,
                             (context.same_day, context.earlier_day))
    if date_value and too_old(date_value, context.published or context.undated_floor):
        return []
    if date_value and status == "signed" and after_page(date_value, context.published):
        status = "planned"
    paired = _paired_sides(candidates)
    if paired:  # several ties in one clause, each Korean side with its own partner
        agreement_type, explicit = classify(text, terms, marks, clause, context)
        return [Draft(korean_side, partner, agreement_type, explicit, status, date_value,
                      _confidence(partner, True, date_value, explicit), True, [status_note])
                for korean_side, partner in paired]
    foreign_before = [p for p in places if p.kind == FOREIGN and not p.qualifier and p.end <= clause.start]
    pairs = _partner_windows(text, clause, terms, foreign, korean, party, context, foreign_before)
    drafts = []
    own_dates = partner_days(text, [p for p, _t, _i in pairs], dates, clause, context.published)
    for (partner, window_terms, in_sentence), own_date in zip(pairs, own_dates):
        agreement_type, explicit = classify(text, window_terms, marks, clause, context)
        value = own_date or date_value
        confidence = _confidence(partner, in_sentence, value, explicit)
        drafts.append(Draft(party, partner, agreement_type, explicit, status, value, confidence,
                            in_sentence, [status_note]))
    return drafts


def _paired_sides(sides: list[PlaceMention]) -> list[tuple[PlaceMention, PlaceMention]]:
    """'중국 A시와 한국 B시, C시와 D시가 … 맺었다', 'B시는 A시와, D시는 C시와 각각 …': Korean and
    foreign sides joined two by two with '와/과', two pairs or more with different Korean sides."""
    pairs = []
    position = 0
    while position + 1 < len(sides):
        first, second = sides[position], sides[position + 1]
        joined = first.tail.startswith(("와", "과")) or second.tail.startswith(("와", "과"))
        if first.kind != second.kind and joined:
            pairs.append((first, second) if first.kind == KR else (second, first))
            position += 2
        else:
            position += 1
    distinct = {name_key(korean.name) for korean, _partner in pairs}
    return pairs if len(pairs) >= 2 and len(distinct) >= 2 else []


def _pick_party(korean: list[PlaceMention], context: Context, has_foreign: bool,
                clause: Clause) -> PlaceMention | None:
    """The Korean side: the page's government when the clause names it; else the government
    named in the signing clause itself ('…, 윈저와 군산도 곧 자매결연을 맺을 예정'), in the
    strongest role."""
    usable = [p for p in korean if not p.submunicipal]

    def rank(place: PlaceMention) -> tuple[bool, float]:
        return _in_holder(place, clause), _role_score(place)

    if context.party is not None:
        for place in usable:
            if same_place(place, context.party):
                return context.party  # resolved with the title's or lead's qualifiers
        if has_foreign and usable:  # another Korean government signs with a partner abroad
            return max(usable, key=rank)
        return context.party
    return max(usable, key=rank) if usable else None


def _in_holder(place: PlaceMention, clause: Clause) -> bool:
    return clause.parsed is not None and clause.parsed.holds(place.start)


def _partner_windows(text: str, clause: Clause, terms: list[Mark], foreign: list[PlaceMention],
                     korean: list[PlaceMention], party: PlaceMention, context: Context,
                     foreign_before: list[PlaceMention]) -> list[tuple[PlaceMention, list[Mark], bool]]:
    """Partners of the clause, each with the terms that belong to it.

    '옌타이시와는 … 양해각서를, 웨이하이시와는 우호도시 협약서를 맺을 계획이다': each partner
    marked as a counterpart (와/과) takes the terms up to the next one.
    """
    foreign = _with_enumerated(text, [p for p in foreign if not _word_not_place(p, context, clause)])
    counterparts = [p for p in foreign if re.match(r"^(와|과)", p.tail)]
    if len(counterparts) >= 2:
        windows = []
        for i, partner in enumerate(counterparts):
            end = counterparts[i + 1].start if i + 1 < len(counterparts) else clause.predicate_end
            own = [t for t in terms if partner.end <= t.start < end]
            if own:
                windows.append((partner, own, True))
        if windows:
            return windows
    others = [p for p in korean if not same_place(p, party) and not p.submunicipal]
    enumerated = [p for p in (foreign or _with_enumerated(text, others)) if p.extra.get("enumerated")]
    if len(enumerated) >= 2:
        # 'A시, B시와 (각각) … 체결했다', 'A 시, B 시를 방문하고 협약을 맺었다': one tie with each
        return [(p, terms, True) for p in enumerated]
    pool = [p for p in foreign or others if _plausible_partner(p, context)]
    if pool:
        partner = max(pool, key=lambda p: (_in_context(p, context), not _in_venue(p, clause),
                                           _role_score(p), p.known,
                                           -abs(clause.predicate_start - p.end)))
        after = [t for t in terms if t.start >= partner.end]
        return [(partner, after or terms, True)]
    earlier = [p for p in foreign_before if ROLE_STRONG.match(p.tail)]
    if earlier:  # '…빈즈엉성과 의향서를 체결한 데 이어 오는 9월 자매결연을 맺을 예정': the same partner
        return [(earlier[-1], terms, True)]
    for partner in context.partners:
        if not same_place(partner, party):
            return [(partner, terms, False)]
    return []


def _with_enumerated(text: str, places: list[PlaceMention]) -> list[PlaceMention]:
    """'히타시, 중국 허난성 뤄양시와 각각': places listed before a counterpart share its role."""
    marked = list(places)
    for i in range(len(marked) - 1, 0, -1):
        later, earlier = marked[i], marked[i - 1]
        if not (re.match(r"^(와|과)$", later.tail) or later.extra.get("enumerated")):
            continue
        between = text[earlier.end:later.start]
        if earlier.tail in ("", ",") and re.fullmatch(r"\s*[,·]\s*(\S+\s+){0,2}|\s+(및|그리고)\s+(\S+\s+){0,2}", between):
            marked[i - 1] = replace(earlier, extra={**earlier.extra, "enumerated": True})
            marked[i] = replace(later, extra={**later.extra, "enumerated": True})
    return marked


def _in_context(place: PlaceMention, context: Context) -> bool:
    return any(same_place(place, other) for other in context.partners)


def _plausible_partner(place: PlaceMention, context: Context) -> bool:
    """A short bare name ('동부를') in a weak role is a word, unless the page names it as a partner."""
    short_bare = len(place.name) <= 2 and place.kind == FOREIGN
    return not short_bare or _in_context(place, context) or _role_score(place) >= 3.0


def _word_not_place(place: PlaceMention, context: Context, clause: Clause) -> bool:
    """A short bare name Kiwi reads as a common noun and that is joined to another common noun
    ('소통과 협상을 거쳐') is a word: conjuncts share their kind."""
    if len(place.name) > 2 or place.kind != FOREIGN:
        return False
    morphs = [m for g in clause.chain for m in g.morphs]
    for first, joint, second in zip(morphs, morphs[1:], morphs[2:]):
        if (first.start, first.end) == (place.start, place.end) and first.tag == "NNG":
            return joint.tag == "JC" and second.tag == "NNG"
    return False


def classify(text: str, terms: list[Mark], marks: list[Mark], clause: Clause,
             context: Context) -> tuple[str, bool]:
    """The agreement type named by the clause's terms; (type, named explicitly)."""
    labels = [t.label for t in sorted(terms, key=lambda t: t.start)]
    if "TERM_LOI" in labels:
        return "letter_of_intent", True
    if "TERM_MOU" in labels and _preparatory(text, terms, marks):
        return "mou", True
    for label in ("TERM_SISTER", "TERM_FRIEND", "TERM_MOU"):
        if label in labels:
            return TERM_TYPES[label], True
    return _generic_type(text, terms, clause, context), False


def _generic_type(text: str, terms: list[Mark], clause: Clause, context: Context) -> str:
    """A bare 협정/협약: for named cooperation ('관광 분야 협약') an MOU; a plain exchange
    agreement ('교류 협정') sets up a friendship; otherwise what the title calls it."""
    if context.agreement_type:
        return context.agreement_type
    if SPECIFIC_COOPERATION.search(text[clause.start:clause.predicate_end]):
        return "mou"
    first = min(terms, key=lambda t: t.start)
    if re.search(r"교류\s*$", text[max(0, first.start - 4):first.start]) or text[first.start:first.end].startswith("교류"):
        return "friendship_city"
    return "mou"


def _preparatory(text: str, terms: list[Mark], marks: list[Mark]) -> bool:
    """'우호도시 협약 체결을 위한 양해각서': an MOU for a later agreement is an MOU."""
    for term in terms:
        if term.label != "TERM_MOU":
            continue
        before = [m for m in marks if m.label == "PREP" and 0 <= term.start - m.end <= 3]
        # 'for' a later agreement ('협약 체결을 위한'), not 'for' a goal ('우호협력 증진을 위한')
        if any(AGREEMENT_AIM.search(text[max(0, m.start - 10):m.start]) for m in before):
            return True
    return False


def _confidence(partner: PlaceMention, in_sentence: bool, date_value: str | None, explicit: bool) -> float:
    score = 0.55
    score += 0.15 if partner.known else -0.15
    score += 0.1 if in_sentence else -0.1
    score += 0.1 if date_value else 0.0
    score += 0.05 if explicit else -0.05
    return round(min(max(score, 0.05), 0.95), 2)


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
