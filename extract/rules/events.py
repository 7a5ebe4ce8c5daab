"""Event rules over one sentence: which agreement it states as news, and of what type.

Inputs are character spans (terms and cues from the span ruler, places, dates); the labelling
rules are those of ../shared/eval/README.md. Between whom is `counterparts`; signed or planned,
and when, is `timing`. Every function here is plain Python over offsets so the rules can be
tested sentence by sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from extract.nlp import clauses as grammar
from extract.nlp.places import FOREIGN, KR, PlaceMention
from extract.rules.counterparts import (list_of_ties, non_government_counterpart, non_government_signer,
                                        paired_sides, partner_windows, pick_party, possible_sides)
from extract.rules.drafts import Clause, Context, Draft, Mark
from extract.rules.timing import after_page, clause_date, clause_status, partner_days, too_old
from twinwatch.pages.dates import DateMention

TERM_TYPES = {"TERM_LOI": "letter_of_intent", "TERM_SISTER": "sister_city",
              "TERM_FRIEND": "friendship_city", "TERM_MOU": "mou"}
AHEAD_OF = re.compile(r"^[을를]\s*앞두")  # '체결을 앞두고': before the act, not the act
PURPOSE = re.compile(r"^(기\s*위|하기\s*위|을\s*위|를\s*위|기\s*위한|을\s*목표)")
PROPOSAL = re.compile(r"^(\s*의향을|\s*의사를|\s*제안|\s*희망|\s*논의|\s*협의|\s*요청|을\s*(제안|희망|논의|협의|요청|추진|검토))")
# Words that name a specific field of cooperation: such an agreement is an MOU (eval README).
SPECIFIC_COOPERATION = re.compile(r"분야|관광|경제|투자|산업|농업|근로자|인력|물류|항만|기술|의료|환경|에너지|"
                                  r"무역|통상|수출|개발|사업|프로젝트|실무")
AGREEMENT_AIM = re.compile(r"(체결|협약|협정|결연|수립|관계|의향서)\s*(을|를|의)?\s*$")
TRAVEL_VERB = re.compile(r"(출국|떠나|떠났|출발|향했|향한다|나섰|나선다|방문한다|방문했|찾는다|찾았)")


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
        if holder is not None and _exchange_of_no_paper(text, holder, group, marks):
            continue  # '의견을 교환하면서': views, not signed papers, change hands
        if holder is not None and not any(_acts(holder, sign) for sign in group):
            continue  # '관계 수립에 대해 의견을 나누었다', '수립 의향서를 체결했다': a noun, not the act
        if holder is not None and holder.kind == "adnominal" and holder.head in grammar.MODAL_HEADS:
            continue  # '협약을 체결할 필요가 있다': a need, not an act
        if position + 1 < len(groups) and _one_act(holder, holder, marks, parsed):
            continue  # '관계를 격상해 자매결연을 맺었다': one act, named by the verb that follows
        if found and found[-1].parsed is not None and holder is not None \
                and found[-1].parsed.end == holder.start and _one_act(found[-1].parsed, holder, marks, parsed):
            continue  # '우호도시를 체결하고 협의를 맺었다': the same act told twice
        begin = max(start, _chain_start(parsed, holder))
        chain = tuple(c for c in parsed if c.end > begin and c.start < group[-1].end)
        found.append(Clause(begin, group[0].start, group[-1].end, holder, frames, chain))
        start = group[-1].end
    return found


def _one_act(joined: grammar.Clause | None, bare: grammar.Clause | None, marks: list[Mark],
             parsed: list[grammar.Clause]) -> bool:
    """Two signing clauses joined by a connective ending (`joined` ends in one) tell one act
    when one of them (`bare`) names no agreement of its own: the first ('관계를 격상해
    자매결연을 맺었다') or the second ('우호도시를 체결하고 협의를 맺었다')."""
    if joined is None or bare is None or joined.kind != "connective":
        return False
    return not any(m.label.startswith("TERM_") and bare.start <= m.start < bare.end
                   and not _describes_partner(m, parsed) for m in marks)


def _exchange_of_no_paper(text: str, holder: grammar.Clause, group: list[Mark], marks: list[Mark]) -> bool:
    """An exchange ('교환') signs only when what changes hands is an agreement: its object
    names one ('의향서를 교환했다'), or it has no object of its own ('협약서에 서명하고 교환했다')."""
    if not all(text[sign.start:sign.end].endswith("교환") for sign in group):
        return False
    objects = [a for a in holder.arguments if a.role == "object"]
    return bool(objects) and not any(m.label.startswith("TERM_") and a.start <= m.start < a.end
                                     for a in objects for m in marks)


def _acts(holder: grammar.Clause, sign: Mark) -> bool:
    """A signing word that is the clause's act, not a noun inside an adjunct ('…수립에 대해')
    or a modifier of another noun ('수립 의향서', '체결 이후')."""
    following = holder.next_morph(sign.end)
    if following is None or following.start > sign.end + 1:
        return True
    if following.form in ("일", "날", "날짜", "일정", "식"):
        return True  # '체결일을 오는 26일로 잡고': the act's day or ceremony is set
    ceremony = any(m.end == sign.end and m.form.endswith("식") for m in holder.morphs)
    if not ceremony and (following.tag == "JKS" or (following.tag == "JX" and following.form in ("은", "는"))):
        return False  # '이번 결연은 … 추진됐다': what the clause is about, not what it does
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
    if _anniversary(text, marks, clause) or non_government_counterpart(window, places, clause) \
            or non_government_signer(text, clause, places):
        return []
    if list_of_ties(text, clause, places) and not _recently_dated(text, clause, dates,
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


# Nouns a past signing describes ('자매결연을 맺은 도시', '… 맺은 두 시는', '2018년 두 군이 맺은
# 협약에 더해'): a tie they hold, or the agreement itself told as what stands.
DESCRIBED_HEADS = frozenset({"도시", "곳", "국가", "나라", "지자체", "지방정부", "자매도시", "우호도시",
                             "것", "바", "지역", "시", "군", "구", "도", "성", "주",
                             "협약", "협정", "의향서", "양해각서", "각서", "합의서", "협약서", "협정서"})


def _recently_dated(text: str, clause: Clause, dates: list[DateMention], published: str | None) -> bool:
    if not published:
        return False  # with no page date nothing can be shown recent: background stays background
    value = clause_date(text, clause, dates, "signed", published)
    return bool(value) and len(value) == 10 and not too_old(value, published)


def _assign_partners(text: str, clause: Clause, terms: list[Mark], marks: list[Mark],
                     places: list[PlaceMention], dates: list[DateMention],
                     context: Context) -> list[Draft]:
    candidates = possible_sides(text, places, clause)
    foreign = [p for p in candidates if p.kind == FOREIGN]
    korean = [p for p in candidates if p.kind == KR]
    party = pick_party(korean, context, bool(foreign), clause)
    if party is None:
        return []
    status, status_note = clause_status(text, clause, marks)
    date_value = clause_date(text, clause, dates, status, context.published,
                             (context.same_day, context.earlier_day))
    if date_value and too_old(date_value, context.published or context.undated_floor):
        return []
    if date_value and status == "signed" and after_page(date_value, context.published):
        status = "planned"
    paired = paired_sides(candidates)
    if paired:  # several ties in one clause, each Korean side with its own partner
        agreement_type, explicit = classify(text, terms, marks, clause, context)
        return [Draft(korean_side, partner, agreement_type, explicit, status, date_value,
                      _confidence(partner, True, date_value, explicit), True, [status_note])
                for korean_side, partner in paired]
    foreign_before = [p for p in places if p.kind == FOREIGN and not p.qualifier and p.end <= clause.start]
    pairs = partner_windows(text, clause, terms, foreign, korean, party, context, foreign_before)
    drafts = []
    own_dates = partner_days(text, [p for p, _t, _i in pairs], dates, clause, context.published)
    for (partner, window_terms, in_sentence), own_date in zip(pairs, own_dates):
        agreement_type, explicit = classify(text, window_terms, marks, clause, context)
        value = own_date or date_value
        confidence = _confidence(partner, in_sentence, value, explicit)
        drafts.append(Draft(party, partner, agreement_type, explicit, status, value, confidence,
                            in_sentence, [status_note]))
    return drafts


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
