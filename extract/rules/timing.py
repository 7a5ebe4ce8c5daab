"""When and whether: a clause's status (signed or planned) and its signing date.

Read from the verb endings and date mentions of one sentence, resolved
against the page's date; '이날' against the report day, '같은 날'/'당일' against the day named
before them.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from twinwatch.pages.dates import DateMention

if TYPE_CHECKING:
    from extract.nlp.places import PlaceMention
    from extract.rules.drafts import Clause, Mark

TRAVEL_AFTER = re.compile(r"^\S{0,4}\s*(\S+\s){0,2}?(출국|출발|떠나|떠났|도착|귀국|입국)")
# '관계를 맺기로 합의했다/합의하고' (the clause layer's `agreed`): the tie is agreed now, unless a
# future day is named for it
FUTURE_WORD = re.compile(r"오는\s*\d|다음\s*달|내달|내년|향후|추후|연내|하반기|상반기")
PERIOD_AFTER = re.compile(r"^(부터|간|동안|까지)")
SAME_DAY = re.compile(r"이날|당일|같은\s*날|이 날")
EARLIER_DAY = re.compile(r"당일|같은\s*날")  # anaphoric: the day the previous lines told of
# A verb's declarative present, closing the sentence or quoted: news tells what is to come so.
# (A headline's '맺어' or an adjective's '기쁘다' is no such present.)
PRESENT_ENDINGS = frozenset({"ᆫ다", "는다", "ᆸ니다", "습니다", "ᆫ다고", "는다고"})
TOLD_IN_PAST = "past tense of the clause"
NO_TENSE = "default"  # no tense told (a headline's '협약 체결'): taken as done
TOLD_IN_PRESENT = "told in the present ('체결한다', '체결한다고 밝혔다')"
# a plan the act follows ('…기본계획’에 따라 협약을 체결했다') is its ground, not its tense
PLAN_AS_GROUND = re.compile(r"[’'”\"]?\s*(에|에서)\s*(따라|따른|의해|의한|근거해)")
SIGNING_PREDICATES = frozenset({"맺", "체결하", "체결되", "서명하", "조인하", "교환하"})
SPEAKER_DAY = re.compile(r"오늘|어제|내일|금일")
OPENING_QUOTES, CLOSING_QUOTES = "“‘", "”’"
BACKGROUND_DAYS = 200  # an agreement dated this long before the page is history, not its news


def clause_status(text: str, clause: Clause, marks: list[Mark]) -> tuple[str, str]:
    """signed | planned: a plan word before the verb, else the tense of the clause that holds
    the signing words (its own, or the one it shares with the clause it is joined to), else a
    plan word after it; a clause that tells no tense is taken as done."""
    if any(m.label == "PLAN" and clause.start <= m.start < clause.predicate_end
           and not PLAN_AS_GROUND.match(text, m.end) for m in marks):
        return "planned", "plan cue before the verb"
    parsed = clause.parsed
    if parsed is not None and parsed.tense is not None:
        if parsed.agreed:
            if FUTURE_WORD.search(text):
                return "planned", "agreed to sign on a day to come ('…기로 합의하고 다음 달')"
            return "signed", "agreed to establish it ('맺기로 합의했다')"
        if parsed.tense == "past":
            return "signed", TOLD_IN_PAST
        if parsed.tense == "plan":
            return "planned", "a plan ('-ㄹ 예정', '-기로 했다', '-러')"
        if parsed.tense == "present" and parsed.ending in PRESENT_ENDINGS:
            return "planned", TOLD_IN_PRESENT
    if any(m.label == "PLAN" and m.start >= clause.predicate_end for m in marks):
        return "planned", "plan cue after the verb"
    return "signed", NO_TENSE


def clause_date(text: str, clause: Clause, dates: list[DateMention], status: str,
                published: str | None,
                same_day: tuple[str | None, str | None] = (None, None)) -> str | None:
    """The signing date: the date mention nearest the signing verb, skipping report dates."""
    usable = []
    report_days = [d.value for d in dates if len(d.value) == 10 and in_frame(d, clause.frames)]
    for mention in _with_earlier_day(text, dates, same_day[1]):
        tail = text[mention.end:mention.end + 14]
        if in_frame(mention, clause.frames) or (PERIOD_AFTER.match(tail) and not mention.range_end) \
                or TRAVEL_AFTER.match(tail):
            continue  # the day of the report ('…에 따르면', '…고 18일 밝혔다'), a period, a trip
        if mention.start >= clause.predicate_end + 40 or mention.end <= clause.start - 5:
            continue
        if status == "planned" and mention.direction == "past":
            continue
        if _in_describing_clause(mention, clause):
            continue  # '2006년도에 맺은 우호협력을 … 새 양해각서를 체결했다': the older tie's day
        if SPEAKER_DAY.fullmatch(text[mention.start:mention.end]) and quoted(text, mention.start):
            continue  # '“오늘 … 체결하게 돼 기쁘다”': the speaker's day, which the page does not give
        usable.append(mention)
    if not usable:
        return None
    nearest = min(usable, key=lambda m: (m.start > clause.predicate_start,
                                         abs(clause.predicate_start - m.end)))
    word = text[nearest.start:nearest.end]
    if not EARLIER_DAY.fullmatch(word) and SAME_DAY.fullmatch(word):
        # '이날' is the day this sentence's report frame names ('5일 …에 따르면 이날'), else the
        # report day of the lines before
        if report_days or same_day[0]:
            return report_days[-1] if report_days else same_day[0]
    # '다음 달 17~22일 방문 기간에 맺을 계획': a range fixes only the month
    return nearest.value[:7] if nearest.range_end and len(nearest.value) == 10 else nearest.value


def _in_describing_clause(mention: DateMention, clause: Clause) -> bool:
    """A day inside another signing that describes a noun ('2006년도에 맺은 우호협력을 … 새
    양해각서를 체결했다'): the older tie's day, not this signing's."""
    return any(part.kind == "adnominal" and part is not clause.parsed and part.tense == "past"
               and part.predicate in SIGNING_PREDICATES and part.start <= mention.start < part.end
               for part in clause.chain)


def quoted(text: str, offset: int) -> bool:
    """Inside a quotation: more quotes opened than closed before `offset` (or an odd number of
    straight double quotes)."""
    before = text[:offset]
    opened = sum(before.count(q) for q in OPENING_QUOTES) - sum(before.count(q) for q in CLOSING_QUOTES)
    return opened > 0 or before.count('"') % 2 == 1


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


def in_frame(mention: DateMention, frames: tuple[tuple[int, int], ...]) -> bool:
    """A date inside a report frame dates the report, not the agreement."""
    return any(start <= mention.start and mention.end <= end for start, end in frames)


def too_old(value: str, published: str | None) -> bool:
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


def after_page(value: str, published: str | None) -> bool:
    return bool(published) and len(value) == 10 and value > str(published)


def partner_days(text: str, partners: list[PlaceMention], dates: list[DateMention], clause: Clause,
                  published: str | None) -> list[str | None]:
    """'A와 …을, 이튿날인 8일에는 B와 …을 각각 체결했다': with several partners, a full day named
    between the previous partner and this one dates this one (else the clause's date serves); a
    span of days ('지난 8~11일 A 시, B 시를 방문하고') is the trip's, not the first partner's."""
    if len(partners) < 2:
        return [None] * len(partners)
    days: list[str | None] = []
    start = clause.start
    for partner in partners:
        if partner.start < start:
            days.append(None)
            continue
        own = [d.value for d in dates if start <= d.start and d.end <= partner.start and len(d.value) == 10
               and not d.range_end and not in_frame(d, clause.frames) and not too_old(d.value, published)]
        days.append(own[-1] if own else None)
        start = partner.end
    return days
