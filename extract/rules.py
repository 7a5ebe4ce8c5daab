"""Event rules over one sentence: which agreement, between whom, of what type, signed or planned.

Inputs are character spans (terms and cues from the span ruler, places, dates); the labelling
rules are those of ../shared/eval/README.md. Every function here is plain Python over offsets
so the rules can be tested sentence by sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from extract.dates import DateMention
from extract.gazetteer.model import normalise, strip_admin_suffix
from extract.nlp import PATTERN_DIR, read_jsonl
from extract.places import COUNTRY, FOREIGN, KR, PlaceMention

TERM_TYPES = {"TERM_LOI": "letter_of_intent", "TERM_SISTER": "sister_city",
              "TERM_FRIEND": "friendship_city", "TERM_MOU": "mou"}
# What follows a signing word: done, to come, or a clause joined to a later verb.
PAST = re.compile(r"^(했|하였|였|었|았|됐|되었|돼|은\s|한\s|한$|함|해\s|해$|하는\s데\s성공|식을\s*(가졌|열었|개최했|진행했))")
FUTURE = re.compile(r"^(할|한다|하기|하러|키로|하겠|하려|을|는다|ᆫ다|ㄴ다|는\s|으러|기로|기\s위|려고|할\s예정|된다|될|"
                    r"합니다|습니다|니다|할\s계획)")
CONNECTIVE = re.compile(r"^(하고|고|하며|며|해서|하면서)")
FUTURE_END = re.compile(r"(한다|는다|린다|된다|진다|갖는다|예정|계획|방침|전망|할\s것|을\s것)[^가-힣]{0,6}$")
PAST_END = re.compile(r"(했|었|았|였|됐|졌)다[^가-힣]{0,6}$")
AFTERWARDS = re.compile(r"^(고|어|하고|해|해\s*오고)\s*있|^(은|한)\s*(뒤|후|이후|지|다음|이래)|^(어|해)\s*(왔|오고|온)|^(은|한)\s*(지방정부|도시|곳|국가|나라|지자체|자매도시|우호도시|것은|것이|바\s)")
REPORT_AFTER = re.compile(r"^\S{0,3}\s*(밝혔|전했|말했|발표했|알렸|보도했|설명했)")
TRAVEL_AFTER = re.compile(r"^\S{0,4}\s*(\S+\s){0,2}?(출국|출발|떠나|떠났|도착|귀국|입국)")
# '관계를 맺기로 합의했다/합의하고': the tie is agreed now, unless a future day is named for it
AGREED_TO = re.compile(r"^(하)?기로\s*(합의|뜻을\s*모|약속)(했|하였|하고|한\s*뒤|하며)")
FUTURE_WORD = re.compile(r"오는\s*\d|다음\s*달|내달|내년|향후|추후|연내|하반기|상반기")
RELATIVE_ENDING = re.compile(r"^(은|한)\s")
PERIOD_AFTER = re.compile(r"^(부터|간|동안|까지)")
NOT_PREDICATE = re.compile(r"^(에서|에는|에\s*(이어|앞서|참석|대해|관한|따라|따른)|을\s*앞두|를\s*앞두|\s*이후|\s*후\s|\s*당시|\s*과정|\s*절차|\s*\d+주년|\s*방안|\s*문제)")
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
SAME_DAY = re.compile(r"이날|당일|같은\s*날|이 날")
EARLIER_DAY = re.compile(r"당일|같은\s*날")  # anaphoric: the day the previous lines told of
TRAVEL_VERB = re.compile(r"(출국|떠나|떠났|출발|향했|향한다|나섰|나선다|방문한다|방문했|찾는다|찾았)")
BACKGROUND_DAYS = 200  # an agreement dated this long before the page is history, not its news


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
    start: int
    predicate_start: int
    predicate_end: int


def _counterpart_patterns() -> list[tuple[str, re.Pattern[str]]]:
    return [(rec["kind"], re.compile(rec["regex"])) for rec in read_jsonl(PATTERN_DIR / "counterparts.jsonl")]


COUNTERPARTS = _counterpart_patterns()


def sentence_events(text: str, marks: list[Mark], places: list[PlaceMention],
                    dates: list[DateMention], context: Context) -> list[Draft]:
    """The events one sentence reports as news (none for history, visits, renewals …)."""
    labels = {m.label for m in marks}
    if "RENEW" in labels or not labels & set(TERM_TYPES) | {"TERM_GENERIC"}:
        return []
    drafts: list[Draft] = []
    for clause in clauses(text, marks):
        drafts.extend(clause_events(text, clause, marks, places, dates, context))
    return drafts


def clauses(text: str, marks: list[Mark]) -> list[Clause]:
    """One clause per signing predicate that is not a proposal ('체결 의향을 제안')."""
    signs = sorted((m for m in marks if m.label == "SIGN"), key=lambda m: m.start)
    groups: list[list[Mark]] = []
    for sign in signs:
        following = text[sign.end:sign.end + 12]
        if PROPOSAL.match(following) or NOT_PREDICATE.match(following):
            continue
        if groups and sign.start - groups[-1][-1].end <= 3:
            groups[-1].append(sign)
        else:
            groups.append([sign])
    found: list[Clause] = []
    start = 0
    for position, group in enumerate(groups):
        purpose = PURPOSE.match(text[group[-1].end:group[-1].end + 8])
        if purpose and position + 1 < len(groups):
            continue  # '관계를 맺기 위한 첫 단계로 의향서를 교환했다': the later verb is the event
        if purpose and not TRAVEL_VERB.search(text[group[-1].end:]):
            continue  # '체결을 위한 실무 협의를 가졌다': talks, not an agreement (a trip 'to sign' is planned)
        found.append(Clause(start, group[0].start, group[-1].end))
        start = group[-1].end
    return found


def clause_events(text: str, clause: Clause, marks: list[Mark], places: list[PlaceMention],
                  dates: list[DateMention], context: Context) -> list[Draft]:
    terms = [m for m in marks if m.label.startswith("TERM_") and m.end <= clause.predicate_end
             and not _anniversary_term(text, m)]
    in_clause = [m for m in terms if m.start >= clause.start]
    terms = in_clause or [m for m in terms if clause.predicate_start - m.end <= 30] \
        or _relative_clause_terms(text, clause, marks, dates, context.published)
    if not terms:
        return []
    if _is_background(text, clause) and not _recently_dated(text, clause, dates, context.published):
        return []  # '2005년 자매결연을 맺은 뒤 …' (but a caption's '서명한 뒤 기념촬영' is the news)
    window = text[clause.start:clause.predicate_end]
    if _anniversary(text, marks, clause) or _non_government_counterpart(window, places, clause):
        return []
    return _assign_partners(text, clause, terms, marks, places, dates, context)


def _relative_clause_terms(text: str, clause: Clause, marks: list[Mark], dates: list[DateMention],
                           published: str | None) -> list[Mark]:
    """'지난 9일 ○○시와 맺은 우호교류 협약은 …': the agreement named right after a relative
    '맺은/체결한', when a recent day comes before the verb (undated, or dated after — '…와 맺은
    협정에 따라 지난 9일 방문했다' — it is background)."""
    if not RELATIVE_ENDING.match(text[clause.predicate_end:clause.predicate_end + 3]):
        return []
    terms = [m for m in marks if m.label.startswith("TERM_")
             and 0 <= m.start - clause.predicate_end <= 6 and not _anniversary_term(text, m)]
    dated_before = [d for d in dates if clause.start <= d.start and d.end <= clause.predicate_start
                    and len(d.value) == 10 and not _too_old(d.value, published)]
    return terms if terms and dated_before else []


def _anniversary_term(text: str, term: Mark) -> bool:
    return bool(re.match(r"\s*\d+\s*주년", text[term.end:term.end + 8]))


def _anniversary(text: str, marks: list[Mark], clause: Clause) -> bool:
    """'자매결연 20주년 기념 … 강화 협정': an anniversary reaffirmation, not a new tie."""
    return any(m.label == "ANNIV" and m.start < clause.predicate_end for m in marks) and not any(
        m.label == "TERM_MOU" and m.start > clause.start for m in marks)


def _is_background(text: str, clause: Clause) -> bool:
    return bool(AFTERWARDS.match(text[clause.predicate_end:clause.predicate_end + 10]))


def _recently_dated(text: str, clause: Clause, dates: list[DateMention], published: str | None) -> bool:
    value = clause_date(text, clause, dates, "signed", published)
    return bool(value) and len(value) == 10 and not _too_old(value, published)


def _non_government_counterpart(window: str, places: list[PlaceMention], clause: Clause) -> bool:
    """A university, ministry, council, association … is what the clause's government signs with."""
    for kind, pattern in COUNTERPARTS:
        for match in pattern.finditer(window):
            start = clause.start + match.start()
            covering = [p for p in places if p.start <= start < p.end and p.kind != COUNTRY]
            if covering and not (kind == "council" and covering[0].council):
                continue  # '파리가', '…시청' : a place name, not an organisation
            return True
    return any(p.council or p.submunicipal for p in places
               if clause.start <= p.start < clause.predicate_end)


def _candidates(places: list[PlaceMention], clause: Clause) -> list[PlaceMention]:
    """Places that may be a side of the clause: not qualifiers, councils or genitives
    ('카비테주의 두 도시와': the province of the partners, not a partner)."""
    return [p for p in places if p.kind in (KR, FOREIGN) and not p.qualifier and not p.council
            and not (p.kind == FOREIGN and p.tail == "의")
            and clause.start <= p.start < clause.predicate_end]


def _role_score(place: PlaceMention) -> float:
    if ROLE_STRONG.match(place.tail) or (place.tail == "" and NEXT_WORD_ROLE.match(place.after)):
        return 3.0
    if ROLE_MEDIUM.match(place.tail):
        return 2.0
    return 1.0


def _assign_partners(text: str, clause: Clause, terms: list[Mark], marks: list[Mark],
                     places: list[PlaceMention], dates: list[DateMention],
                     context: Context) -> list[Draft]:
    candidates = _candidates(places, clause)
    foreign = [p for p in candidates if p.kind == FOREIGN]
    korean = [p for p in candidates if p.kind == KR]
    party = _pick_party(korean, context, bool(foreign))
    if party is None:
        return []
    status, status_note = clause_status(text, clause, marks)
    date_value = clause_date(text, clause, dates, status, context.published,
                             (context.same_day, context.earlier_day))
    if date_value and _too_old(date_value, context.published):
        return []
    if date_value and status == "signed" and _after(date_value, context.published):
        status = "planned"
    foreign_before = [p for p in places if p.kind == FOREIGN and not p.qualifier and p.end <= clause.start]
    pairs = _partner_windows(text, clause, terms, foreign, korean, party, context, foreign_before)
    drafts = []
    for partner, window_terms, in_sentence in pairs:
        agreement_type, explicit = classify(text, window_terms, marks, clause, context)
        confidence = _confidence(partner, in_sentence, date_value, explicit)
        drafts.append(Draft(party, partner, agreement_type, explicit, status, date_value, confidence,
                            in_sentence, [status_note]))
    return drafts


def _pick_party(korean: list[PlaceMention], context: Context, has_foreign: bool) -> PlaceMention | None:
    usable = [p for p in korean if not p.submunicipal]
    if context.party is not None:
        for place in usable:
            if same_place(place, context.party):
                return context.party  # resolved with the title's or lead's qualifiers
        if has_foreign and usable:  # another Korean government signs with a partner abroad
            return max(usable, key=_role_score)
        return context.party
    return max(usable, key=_role_score) if usable else None


def _partner_windows(text: str, clause: Clause, terms: list[Mark], foreign: list[PlaceMention],
                     korean: list[PlaceMention], party: PlaceMention, context: Context,
                     foreign_before: list[PlaceMention]) -> list[tuple[PlaceMention, list[Mark], bool]]:
    """Partners of the clause, each with the terms that belong to it.

    '옌타이시와는 … 양해각서를, 웨이하이시와는 우호도시 협약서를 맺을 계획이다': each partner
    marked as a counterpart (와/과) takes the terms up to the next one.
    """
    foreign = _with_enumerated(text, foreign)
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
    if enumerated and "각각" in text[clause.start:clause.predicate_end]:
        return [(p, terms, True) for p in enumerated]  # 'A시, B시와 각각 … 체결했다'
    pool = [p for p in foreign or others if _plausible_partner(p, context)]
    if pool:
        partner = max(pool, key=lambda p: (_in_context(p, context), _role_score(p), p.known,
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


def clause_status(text: str, clause: Clause, marks: list[Mark]) -> tuple[str, str]:
    """signed | planned, from the verb ending after the signing word, then the sentence's end."""
    after = text[clause.predicate_end:]
    if any(m.label == "PLAN" and clause.start <= m.start < clause.predicate_end for m in marks):
        return "planned", "plan cue before the verb"
    if _past_syllable(text[clause.predicate_end - 1]):
        return "signed", "past verb ('가졌습니다')"
    if PAST.match(after):
        return "signed", "past ending"
    if AGREED_TO.match(after) and not FUTURE_WORD.search(text):
        return "signed", "agreed to establish it ('맺기로 합의했다')"
    if FUTURE.match(after):
        return "planned", "future ending"
    rest = after
    if any(m.label == "PLAN" and m.start >= clause.predicate_end for m in marks) and not CONNECTIVE.match(after):
        return "planned", "plan cue after the verb"
    if FUTURE_END.search(rest) and not PAST_END.search(rest):
        return "planned", "future sentence end"
    return "signed", "default"


def _past_syllable(char: str) -> bool:
    """A syllable closed by ㅆ (했, 가졌, 열렸, 됐): the past tense is inside the verb piece."""
    code = ord(char) - 0xAC00
    return 0 <= code < 11172 and code % 28 == 20


def clause_date(text: str, clause: Clause, dates: list[DateMention], status: str,
                published: str | None,
                same_day: tuple[str | None, str | None] = (None, None)) -> str | None:
    """The signing date: the date mention nearest the signing verb, skipping report dates."""
    usable = []
    for mention in _with_earlier_day(text, dates, same_day[1]):
        tail = text[mention.end:mention.end + 14]
        if REPORT_AFTER.match(tail) or PERIOD_AFTER.match(tail) or TRAVEL_AFTER.match(tail):
            continue
        if mention.start >= clause.predicate_end + 40 or mention.end <= clause.start - 5:
            continue
        if status == "planned" and mention.direction == "past":
            continue
        usable.append(mention)
    if not usable:
        return None
    nearest = min(usable, key=lambda m: (m.start > clause.predicate_start,
                                         abs(clause.predicate_start - m.end)))
    word = text[nearest.start:nearest.end]
    if same_day[0] and not EARLIER_DAY.fullmatch(word) and SAME_DAY.fullmatch(word):
        return same_day[0]
    # '다음 달 17~22일 방문 기간에 맺을 계획': a range fixes only the month
    return nearest.value[:7] if nearest.range_end and len(nearest.value) == 10 else nearest.value


def _with_earlier_day(text: str, dates: list[DateMention], earlier_day: str | None) -> list[DateMention]:
    """'같은 날'/'당일' as a mention of the day named before it: earlier in the same sentence
    ('지난 9일 …을 체결하고, 같은 날 오후 …'), else in an earlier sentence."""
    words = []
    for match in EARLIER_DAY.finditer(text):
        # a full day, not itself a word like '이날' (relative with no direction)
        before = [d.value for d in dates if d.end <= match.start() and len(d.value) == 10
                  and (not d.relative or d.direction)]
        value = before[-1] if before else earlier_day
        if value:
            words.append(DateMention(match.start(), match.end(), value, True, None, None))
    others = [d for d in dates if not any(w.start < d.end and d.start < w.end for w in words)]
    return sorted(others + words, key=lambda d: d.start)


def _too_old(value: str, published: str | None) -> bool:
    if not published:
        return False
    try:
        ref = date.fromisoformat(published)
    except ValueError:
        return False
    year, month, day = (value.split("-") + ["12", "28"])[:3]
    try:
        signed_on = date(int(year), int(month), min(int(day), 28))
    except ValueError:
        return False
    return (ref - signed_on).days > BACKGROUND_DAYS


def _after(value: str, published: str | None) -> bool:
    return bool(published) and len(value) == 10 and value > str(published)


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
