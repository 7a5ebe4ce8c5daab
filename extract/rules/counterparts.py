"""Between whom: which places in a signing clause are its sides, and which are not.

The Korean side (`pick_party`), the partners with the terms that belong to each
(`partner_windows`, `paired_sides`), and the clauses whose counterpart is no local government
— a university, a ministry, a signer under a minister's title (`non_government_counterpart`,
`non_government_signer`) — or that list the ties a government already holds (`list_of_ties`).
Data: patterns/roles.jsonl, counterparts.jsonl, signers.jsonl.
"""

from __future__ import annotations

import re
from dataclasses import replace

from extract.gazetteer.model import strip_admin_suffix
from extract.nlp.pipeline import PATTERN_DIR, read_jsonl
from extract.nlp.places import COUNTRY, FOREIGN, KR, PlaceMention
from extract.rules.timing import quoted
from extract.rules.drafts import PAREN_GLOSS, Clause, Context, Mark, name_key, same_place

ATTENDING = frozenset({"참석하", "참가하", "동석하", "배석하"})
EVENT_NOUNS = frozenset({"대회", "박람회", "포럼", "회의", "행사", "축제", "총회", "엑스포", "심포지엄"})


def _role_patterns() -> dict[str, re.Pattern[str]]:
    """Role cue words (data: patterns/roles.jsonl), one alternation per role."""
    by_role: dict[str, list[str]] = {}
    for record in read_jsonl(PATTERN_DIR / "roles.jsonl"):
        by_role.setdefault(record["role"], []).append(f"(?:{record['regex']})")
    return {role: re.compile("|".join(parts)) for role, parts in by_role.items()}


ROLES = _role_patterns()
ROLE_STRONG, ROLE_MEDIUM, NEXT_WORD_ROLE = ROLES["strong"], ROLES["medium"], ROLES["next_word"]


def _counterpart_patterns() -> list[tuple[str, re.Pattern[str]]]:
    return [(rec["kind"], re.compile(rec["regex"])) for rec in read_jsonl(PATTERN_DIR / "counterparts.jsonl")]


COUNTERPARTS = _counterpart_patterns()
# Titles of signers, longest first, and whether they act for a local government.
SIGNER_TITLES = sorted(((rec["title"], rec["government"])
                        for rec in read_jsonl(PATTERN_DIR / "signers.jsonl")),
                       key=lambda title: -len(title[0]))


def list_of_ties(text: str, clause: Clause, places: list[PlaceMention]) -> bool:
    """'군은 1999년부터 송파구, 부산진구, 이천시, 보령시와 자매결연을 했다', '부산-몬트리올,
    대전-캘거리 … 간에도 체결됐다': three or more counterparts listed in one signing clause, not
    said to be signed 'each' on a recent day, are the ties a government holds."""
    window = text[clause.start:clause.predicate_end]
    if "각각" in window:
        return False
    # names inside a quoted title ('‘A군-B시 우호 협력 협약서’') name the paper, not more sides
    sides = [p for p in possible_sides(text, places, clause) if not quoted(text, p.start)]
    if len(sides) < 3 or sides[-1].tail in ("을", "를"):
        return False  # the places a trip visits ('A 시, B 시, C 시를 방문하고 협약을 맺었다')
    between = text[sides[0].start:sides[-1].start]
    return sum(between.count(mark) for mark in (",", "·", "-", "–")) >= 2


def non_government_counterpart(window: str, places: list[PlaceMention], clause: Clause) -> bool:
    """A university, ministry, council, association … is what the clause's government signs with."""
    for kind, pattern in COUNTERPARTS:
        for match in pattern.finditer(window):
            start = clause.start + match.start()
            covering = [p for p in places if p.start <= start < p.end and p.kind != COUNTRY]
            if covering and not (kind == "council" and covering[0].council):
                continue  # '파리가', '…시청' : a place name, not an organisation
            if _in_venue_span(start, clause):
                continue  # '스트라스필드시 의회에서 체결식을 가졌다': where, not with whom
            if _verb_at(clause, clause.start + match.end() - 1):
                continue  # '…에서 열리는': a verb, not a village ('…리는')
            return True
    return any((p.council or p.submunicipal) and not _in_venue_span(p.start, clause)
               for p in places if clause.start <= p.start < clause.predicate_end)


def _verb_at(clause: Clause, offset: int) -> bool:
    return any(m.start <= offset < max(m.end, m.start + 1) and m.tag.startswith(("VV", "VA", "VX"))
               for part in clause.chain for m in part.morphs)


def _in_venue_span(offset: int, clause: Clause) -> bool:
    return any(part.role_of(offset, offset + 1) == "place" for part in clause.chain)


def non_government_signer(text: str, clause: Clause, places: list[PlaceMention]) -> bool:
    """A side that signs under a title no local government's signer holds: '윤 장관은 …과 MOU를
    체결하고', '재단 이사장과 협약을 맺었다' (data: patterns/signers.jsonl). A title after a
    place ('리바카우 시장') speaks for that place, and a circumstantial clause's people
    ('의장이 참석한 가운데') do not sign."""
    for part in clause.chain:
        if part.kind == "adnominal" or part.predicate in ATTENDING:
            continue  # who attends a ceremony ('총영사는 A-B 협약식에 참석했다') signs nothing
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


def _person_name(text: str, place: PlaceMention, clause: Clause, places: list[PlaceMention]) -> bool:
    """'로체스터시의 데니스 핸슨 시의장은': a name two words before a signer's title is the
    signer's given name, not a place ('토니 마룬 스트라스필드 시장': the word right before the
    title is the place). So is a bare name beside a government named with its suffix before
    the same title ('보반밍(Vo Van Minh) 빈증성 위원장', '떠이닌성 팜반탄 성장'): the government
    is the side, the bare name its official."""
    for part in clause.chain:
        for argument in part.arguments:
            # a name right before the phrase, with only its gloss between, leads the phrase
            leads = place.start < argument.start and not PAREN_GLOSS.sub("", text[place.end:argument.start]).strip()
            if not (argument.start <= place.start < argument.end or leads):
                continue
            words = PAREN_GLOSS.sub("", text[min(place.start, argument.start):argument.end]).split()
            if not words or _signer_title(words[-1]) is None:
                return False
            before = PAREN_GLOSS.sub("", text[argument.start:place.start]).split()
            if not leads and len(words) >= 3 and len(before) == len(words) - 3:
                return True
            return place.tail == "" and strip_admin_suffix(place.name) is None and any(
                other.kind in (KR, FOREIGN) and strip_admin_suffix(other.name)
                and (_next_to(text, other, place) or _next_to(text, place, other)) for other in places)
    return False


def _next_to(text: str, first: PlaceMention, second: PlaceMention) -> bool:
    """Nothing but glosses and spaces between two names ('떠이닌성(省) 팜반탄')."""
    return first.end <= second.start and not PAREN_GLOSS.sub("", text[first.end:second.start]).strip()


# A building after a bare place name makes the name an address ('울란바토르 정부종합청사서'):
# where the signing happened, not who signed.
FACILITY_AFTER = re.compile(r"\s*\S*(청사|호텔|회관|센터|컨벤션|공항|회의실|행사실|접견실)")


def at_facility(text: str, place: PlaceMention) -> bool:
    return place.tail == "" and FACILITY_AFTER.match(text, place.end) is not None


def in_venue(place: PlaceMention, clause: Clause) -> bool:
    """'서울 무역보험공사에서': a place inside the venue of the signing is not a side of it."""
    return any(part.role_of(place.start, place.end) == "place" for part in clause.chain)


def possible_sides(text: str, places: list[PlaceMention], clause: Clause) -> list[PlaceMention]:
    """Places that may be a side of the clause: not qualifiers, councils, genitives
    ('카비테주의 두 도시와': the province of the partners, not a partner) or venues."""
    persons = [p for p in places if _person_name(text, p, clause, places)]
    named_for = {id(q) for q, p in zip(places, places[1:]) if q.qualifier and p in persons}
    places = [p for p in places if p not in persons]
    return [p for p in places if p.kind in (KR, FOREIGN)
            and (not p.qualifier or id(p) in named_for) and not p.council
            and not (p.kind == FOREIGN and p.tail == "의" and not _signer_of(text, p, clause))
            and clause.start <= p.start < clause.predicate_end
            and not (p.kind == KR and p.tail == "" and in_venue(p, clause))
            and not _organiser(p, clause)]


def _organiser(place: PlaceMention, clause: Clause) -> bool:
    """'운남성 정부가 주최한 우호도시대회에서 A시와 B시가 …': who holds the event the signing
    takes place at is no side of it."""
    return any(part.kind == "adnominal" and set(part.head_run) & EVENT_NOUNS
               and part.role_of(place.start, place.end) == "subject" for part in clause.chain)


def role_score(place: PlaceMention) -> float:
    if ROLE_STRONG.match(place.tail) or (place.tail == "" and NEXT_WORD_ROLE.match(place.after)):
        return 3.0
    if ROLE_MEDIUM.match(place.tail):
        return 2.0
    return 1.0


def paired_sides(sides: list[PlaceMention]) -> list[tuple[PlaceMention, PlaceMention]]:
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


def pick_party(korean: list[PlaceMention], context: Context, has_foreign: bool,
                clause: Clause) -> PlaceMention | None:
    """The Korean side: the page's government when the clause names it; else the government
    named in the signing clause itself ('…, 윈저와 군산도 곧 자매결연을 맺을 예정'), in the
    strongest role."""
    usable = [p for p in korean if not p.submunicipal]

    def rank(place: PlaceMention) -> tuple[bool, float]:
        return _in_holder(place, clause), role_score(place)

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


def partner_windows(text: str, clause: Clause, terms: list[Mark], foreign: list[PlaceMention],
                     korean: list[PlaceMention], party: PlaceMention, context: Context,
                     foreign_before: list[PlaceMention]) -> list[tuple[PlaceMention, list[Mark], bool]]:
    """Partners of the clause, each with the terms that belong to it.

    '옌타이시와는 … 양해각서를, 웨이하이시와는 우호도시 협약서를 맺을 계획이다': each partner
    marked as a counterpart (와/과) takes the terms up to the next one.
    """
    foreign = _with_enumerated(text, [p for p in foreign if not _word_not_place(p, context, clause)])
    counterparts = [p for p in foreign if re.match(r"^(와|과)", p.tail)]
    if len(counterparts) >= 2:
        windows: list[tuple[PlaceMention, list[Mark], bool]] = []
        waiting: list[PlaceMention] = []
        for i, partner in enumerate(counterparts):
            end = counterparts[i + 1].start if i + 1 < len(counterparts) else clause.predicate_end
            own = [t for t in terms if partner.end <= t.start < end]
            if not own:
                waiting.append(partner)  # 'A시와 B시와 자매결연을': A shares the terms of B
                continue
            windows.extend((earlier, own, True) for earlier in waiting + [partner])
            waiting = []
        if windows:
            return windows
    others = [p for p in korean if not same_place(p, party) and not p.submunicipal]
    enumerated = [p for p in (foreign or _with_enumerated(text, others)) if p.extra.get("enumerated")]
    if len(enumerated) >= 2:
        # 'A시, B시와 (각각) … 체결했다', 'A 시, B 시를 방문하고 협약을 맺었다': one tie with each
        return [(p, terms, True) for p in enumerated]
    # an address ('울란바토르 정부종합청사서') yields to a partner the page names elsewhere
    pool = [p for p in foreign or others if _plausible_partner(p, context)
            and not (at_facility(text, p) and any(not same_place(q, p) for q in context.partners))]
    if pool:
        partner = max(pool, key=lambda p: (_in_context(p, context), not in_venue(p, clause),
                                           not at_facility(text, p),
                                           role_score(p), p.known,
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
        if not (re.match(r"^(와|과|을|를)$", later.tail) or later.extra.get("enumerated")):
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
    return not short_bare or _in_context(place, context) or role_score(place) >= 3.0


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
