"""Dates in Korean text: absolute forms, ranges and forms relative to the page's own date.

`find_dates(text, published)` lists every date mention in text order, each with its character
span and a resolved value ('YYYY-MM-DD', 'YYYY-MM' or 'YYYY'). Relative mentions ('지난 10일',
'이날', '오는 13일', '지난달 30일', '다음 달 17~22일', a bare '11일') are resolved against
`published` and are left out when no page date is known. The extraction engine picks the
mention that belongs to an agreement; this module only reads dates.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

KOREA = ZoneInfo("Asia/Seoul")
PAST, FUTURE = "past", "future"


@dataclass(frozen=True, slots=True)
class DateMention:
    """One date in a text: text[start:end] is the mention, `value` its resolved date."""

    start: int
    end: int
    value: str  # 'YYYY-MM-DD' | 'YYYY-MM' | 'YYYY'
    relative: bool  # resolved against the page's date
    direction: str | None  # 'past' (지난 …) | 'future' (오는 …) | None
    range_end: str | None = None  # last day of a range ('17~22일'), same precision as value


# ---------------------------------------------------------------- value helpers

def _day_value(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _month_value(year: int, month: int) -> str | None:
    return f"{year:04d}-{month:02d}" if 1 <= month <= 12 and 1000 <= year <= 2999 else None


def _shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + by
    return index // 12, index % 12 + 1


def _valid_year(year: int) -> bool:
    return 1900 <= year <= 2100


def resolve_day(day: int, published: date, direction: str | None) -> str | None:
    """A day of month without month or year, as seen from the page's date.

    past: the most recent such day before the page date; future: the next one on or after it
    (an article written the evening before can be dated the next morning); None: whichever of
    this month's and last month's is nearer to the page date — news writes a bare '20일' for a
    coming day of this month and, just after a month turns, for a day of the month before.
    """
    this_month = (published.year, published.month)
    if direction == PAST:
        anchor = this_month if day < published.day else _shift_month(*this_month, -1)
    elif direction == FUTURE:
        anchor = this_month if day >= published.day else _shift_month(*this_month, 1)
    else:
        candidates = [this_month, _shift_month(*this_month, -1)]
        dated = [(c, _day_value(c[0], c[1], day)) for c in candidates]
        dated = [(c, v) for c, v in dated if v]
        if not dated:
            return None
        anchor = min(dated, key=lambda cv: abs((date.fromisoformat(cv[1]) - published).days))[0]
    return _day_value(anchor[0], anchor[1], day)


def resolve_month_day(month: int, day: int | None, published: date, direction: str | None) -> int:
    """The year of a month (and day) written without one, as seen from the page's date."""
    here = (month, day or 0)
    now = (published.month, published.day if day else 0)
    if direction == PAST:
        return published.year if (here < now or (day is None and month == published.month)) \
            else published.year - 1
    if direction == FUTURE:
        return published.year if here >= now else published.year + 1
    # nearest of last, this and next year
    def distance(year: int) -> int:
        return abs((year - published.year) * 366 + (month - published.month) * 31
                   + ((day or 15) - (published.day if day else 15)))
    return min((published.year - 1, published.year, published.year + 1), key=distance)


def two_digit_year(yy: int, pivot_year: int | None = None) -> int:
    """'05' → 2005, '98' → 1998: years up to next year's two digits are this century's."""
    pivot = (pivot_year or date.today().year) + 1
    return 2000 + yy if 2000 + yy <= pivot else 1900 + yy


# ---------------------------------------------------------------- patterns

SEP = r"\s*(?:[~～∼〜]|부터)\s*"  # '17~22일', '24일부터 28일까지'
DAY_END = r"(?!\s*(?:간|째|동안|만에|만|이내|이상|가량|여\b|분|치|박))"
NOT_AFTER_NUMBER = r"(?<![\d.,:/\-~～∼〜박])(?<!박\s)"  # not '3박 4일' (nights and days)

# (value, direction, relative, range_end), or None when the match is no valid date
Reading = tuple[str | None, str | None, bool, str | None] | None
Handler = Callable[[re.Match[str], date | None], Reading]
_RULES: list[tuple[re.Pattern[str], Handler]] = []


def _rule(pattern: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        _RULES.append((re.compile(pattern), handler))
        return handler
    return register


def _range_end_day(m: re.Match[str], year: int, month: int) -> str | None:
    """The end of a range: '~22일' (same month) or '~7월 6일' / '~7.6' (another month)."""
    if not m.group("d2"):
        return None
    month2 = int(m.group("m2")) if m.groupdict().get("m2") else month
    year2 = year + 1 if month2 < month else year
    return _day_value(year2, month2, int(m.group("d2")))


@_rule(NOT_AFTER_NUMBER + r"(?P<y>\d{4})\s*년\s*(?P<m>\d{1,2})\s*월\s*(?P<d>\d{1,2})(?:\s*일|(?=" + SEP
       + r"\d))(?:" + SEP + r"(?:(?P<m2>\d{1,2})\s*월\s*)?(?P<d2>\d{1,2})\s*일)?")
def _korean_full(m: re.Match[str], published: date | None) -> Reading:
    year, month = int(m["y"]), int(m["m"])
    value = _day_value(year, month, int(m["d"]))
    return (value, None, False, _range_end_day(m, year, month)) if _valid_year(year) and value else None


@_rule(NOT_AFTER_NUMBER + r"(?P<y>\d{4})\s*년\s*(?P<m>\d{1,2})(?:\s*월|(?=" + SEP + r"\d{1,2}\s*월))"
       r"(?:" + SEP + r"(?P<m2>\d{1,2})\s*월)?")
def _korean_month(m: re.Match[str], published: date | None) -> Reading:
    year = int(m["y"])
    value = _month_value(year, int(m["m"]))
    end = _month_value(year, int(m["m2"])) if m["m2"] else None
    return (value, None, False, end) if _valid_year(year) and value else None


@_rule(NOT_AFTER_NUMBER + r"(?P<y>\d{4})\s*년(?:도)?(?!\s*대)")
def _korean_year(m: re.Match[str], published: date | None) -> Reading:
    year = int(m["y"])
    return (str(year), None, False, None) if _valid_year(year) else None


@_rule(NOT_AFTER_NUMBER + r"(?P<y>\d{4})\s*\.\s*(?P<m>\d{1,2})\s*\.\s*(?P<d>\d{1,2})(?!\d)\.?"
       r"(?:" + SEP + r"(?:(?P<m2>\d{1,2})\s*\.\s*)?(?P<d2>\d{1,2})(?![\d,])\.?)?")
def _dotted(m: re.Match[str], published: date | None) -> Reading:
    year, month = int(m["y"]), int(m["m"])
    value = _day_value(year, month, int(m["d"]))
    return (value, None, False, _range_end_day(m, year, month)) if _valid_year(year) and value else None


@_rule(NOT_AFTER_NUMBER + r"(?P<y>\d{4})\s*\.\s*(?P<m>\d{1,2})(?!\d)(?:\s*\.)?(?!\s*\d)")
def _dotted_month(m: re.Match[str], published: date | None) -> Reading:
    year = int(m["y"])
    value = _month_value(year, int(m["m"]))
    return (value, None, False, None) if _valid_year(year) and value else None


@_rule(NOT_AFTER_NUMBER + r"(?P<y>\d{4})(?P<sep>[-/])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\d)")
def _iso(m: re.Match[str], published: date | None) -> Reading:
    year = int(m["y"])
    value = _day_value(year, int(m["m"]), int(m["d"]))
    return (value, None, False, None) if _valid_year(year) and value else None


@_rule(r"['’‘](?P<yy>\d{2})\s*년(?:\s*(?P<m>\d{1,2})\s*월(?:\s*(?P<d>\d{1,2})\s*일)?)?")
def _apostrophe_year(m: re.Match[str], published: date | None) -> Reading:
    year = two_digit_year(int(m["yy"]), published.year if published else None)
    if m["d"]:
        value = _day_value(year, int(m["m"]), int(m["d"]))
    elif m["m"]:
        value = _month_value(year, int(m["m"]))
    else:
        value = str(year)
    return (value, None, False, None) if value else None


@_rule(r"['’‘](?P<yy>\d{2})\s*\.\s*(?P<m>\d{1,2})\s*\.\s*(?P<d>\d{1,2})(?!\d)\.?")
def _apostrophe_dotted(m: re.Match[str], published: date | None) -> Reading:
    """"'24. 5. 8." — a release's short year with dots."""
    year = two_digit_year(int(m["yy"]), published.year if published else None)
    value = _day_value(year, int(m["m"]), int(m["d"]))
    return (value, None, False, None) if value else None


# ---------------------------------------------------------------- relative forms

YEAR_WORDS = {"올해": (0, None), "올": (0, None), "금년": (0, None), "지난해": (-1, PAST),
              "작년": (-1, PAST), "내년": (1, FUTURE)}
DIRECTION_WORDS = {"지난": PAST, "오는": FUTURE, "이번": None}
MONTH_WORDS = {"지난달": (-1, PAST), "지난 달": (-1, PAST), "전달": (-1, PAST), "이달": (0, None),
               "이번 달": (0, None), "이번달": (0, None), "다음 달": (1, FUTURE), "다음달": (1, FUTURE),
               "내달": (1, FUTURE), "새달": (1, FUTURE)}
DAY_WORDS = {"이날": (0, None), "당일": (0, None), "오늘": (0, None), "금일": (0, None),
             "어제": (-1, PAST), "전날": (-1, PAST), "내일": (1, FUTURE), "다음날": (1, FUTURE),
             "이튿날": (1, FUTURE), "익일": (1, FUTURE)}
YEAR_PREFIX = "|".join(sorted(YEAR_WORDS, key=len, reverse=True))
MONTH_PREFIX = "|".join(sorted(MONTH_WORDS, key=len, reverse=True)).replace(" ", r"\s*")
DAY_WORD = "|".join(sorted(DAY_WORDS, key=len, reverse=True))
DAY_AND_RANGE = (r"(?P<d>\d{1,2})(?:\s*일|(?=" + SEP + r"\d{1,2}\s*일))(?:" + SEP
                 + r"(?P<d2>\d{1,2})\s*일)?" + DAY_END)


def _prefix_meaning(prefix: str | None) -> tuple[int, str | None, bool]:
    """A year word or a direction word before a month: (year offset, direction, fixes year)."""
    if not prefix:
        return 0, None, False
    if prefix in YEAR_WORDS:
        offset, direction = YEAR_WORDS[prefix]
        return offset, direction, True
    return 0, DIRECTION_WORDS.get(prefix), False


@_rule(r"(?<![가-힣])(?:(?P<pre>" + YEAR_PREFIX + r"|지난|오는|이번)\s*)?" + NOT_AFTER_NUMBER
       + r"(?P<m>\d{1,2})\s*월\s*(?P<d>\d{1,2})(?:\s*일|(?=" + SEP + r"\d))(?:" + SEP
       + r"(?:(?P<m2>\d{1,2})\s*월\s*)?(?P<d2>\d{1,2})\s*일)?")
def _month_day(m: re.Match[str], published: date | None) -> Reading:
    if published is None:
        return None
    offset, direction, fixes_year = _prefix_meaning(m["pre"])
    month, day = int(m["m"]), int(m["d"])
    year = published.year + offset if fixes_year else resolve_month_day(month, day, published, direction)
    value = _day_value(year, month, day)
    return (value, direction, True, _range_end_day(m, year, month)) if value else None


@_rule(r"(?<![가-힣])(?:(?P<pre>" + YEAR_PREFIX + r"|지난|오는|이번)\s*)?" + NOT_AFTER_NUMBER
       + r"(?P<m>\d{1,2})(?:\s*월|(?=" + SEP + r"\d{1,2}\s*월))(?:" + SEP + r"(?P<m2>\d{1,2})\s*월)?")
def _month_only(m: re.Match[str], published: date | None) -> Reading:
    if published is None:
        return None
    offset, direction, fixes_year = _prefix_meaning(m["pre"])
    month = int(m["m"])
    year = published.year + offset if fixes_year else resolve_month_day(month, None, published, direction)
    value = _month_value(year, month)
    end = _month_value(year, int(m["m2"])) if m["m2"] else None
    return (value, direction, True, end) if value else None


@_rule(r"(?<![가-힣])(?P<pre>" + MONTH_PREFIX + r")(?:\s*" + DAY_AND_RANGE + r")?")
def _month_word(m: re.Match[str], published: date | None) -> Reading:
    if published is None:
        return None
    offset, direction = MONTH_WORDS[re.sub(r"\s+", " ", m["pre"])]
    year, month = _shift_month(published.year, published.month, offset)
    if not m["d"]:
        return _month_value(year, month), direction, True, None
    value = _day_value(year, month, int(m["d"]))
    end = _day_value(year, month, int(m["d2"])) if m["d2"] else None
    return (value, direction, True, end) if value else None


@_rule(r"(?<![가-힣])(?:(?P<pre>지난|오는|이번)\s*)?" + NOT_AFTER_NUMBER + DAY_AND_RANGE)
def _day_only(m: re.Match[str], published: date | None) -> Reading:
    if published is None:
        return None
    direction = DIRECTION_WORDS.get(m["pre"] or "")
    value = resolve_day(int(m["d"]), published, direction)
    if not value:
        return None
    end = None
    if m["d2"]:
        start = date.fromisoformat(value)
        end = _day_value(start.year, start.month, int(m["d2"]))
    return value, direction, True, end


@_rule(NOT_AFTER_NUMBER + r"(?P<m>\d{1,2})\s*\.\s*(?P<d>\d{1,2})\s*\.?\s*(?=\([월화수목금토일]\))")
def _dotted_month_day(m: re.Match[str], published: date | None) -> Reading:
    """'10. 10.(화)' in a press release: month and day, the weekday proving it is a date."""
    if published is None:
        return None
    month, day = int(m["m"]), int(m["d"])
    value = _day_value(resolve_month_day(month, day, published, None), month, day)
    return (value, None, True, None) if value else None


@_rule(r"(?<![가-힣])(?P<word>" + DAY_WORD + r")(?!날)")
def _day_word(m: re.Match[str], published: date | None) -> Reading:
    if published is None:
        return None
    offset, direction = DAY_WORDS[m["word"]]
    return (published + timedelta(days=offset)).isoformat(), direction, True, None


@_rule(r"(?<![가-힣])(?P<word>" + YEAR_PREFIX + r")(?![가-힣])|(?<![가-힣])(?P<word2>올해|지난해|작년|내년|금년)")
def _year_word(m: re.Match[str], published: date | None) -> Reading:
    word = m["word"] or m["word2"]
    if published is None or word == "올":  # '올' alone is too often another word
        return None
    offset, direction = YEAR_WORDS[word]
    return str(published.year + offset), direction, True, None


# ---------------------------------------------------------------- public API

def _as_date(published: str | date | None) -> date | None:
    if published is None or isinstance(published, date):
        return published
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


PROVISIONAL_DATE = date(2000, 7, 1)  # reads a month before its anchor gives the year


def find_dates(text: str, published: str | date | None) -> list[DateMention]:
    """Every date mention in `text`, in text order, the longest reading winning where they overlap.

    Relative mentions are resolved against `published` ('YYYY-MM-DD'); without it they are
    left out, since nothing in the text fixes them.
    """
    page_date = _as_date(published)
    # with no page date a relative month and day is still read, for an anchor word before it
    # to give its year ('2009년 … 동년 2월 5일'); what no anchor fixes is left out below
    found: list[DateMention] = []
    for pattern, handler in _RULES:
        anchorable = page_date is None and handler in (_month_day, _month_only)
        for match in pattern.finditer(text):
            reading = handler(match, PROVISIONAL_DATE if anchorable else page_date)
            if reading and reading[0]:
                value, direction, relative, range_end = reading
                found.append(DateMention(match.start(), match.end(), value, relative, direction,
                                         range_end))
    found.sort(key=lambda mention: (mention.start, mention.start - mention.end))
    chosen: list[DateMention] = []
    for mention in found:
        if not chosen or mention.start >= chosen[-1].end:
            chosen.append(mention)
    anchored = _anchored_years(text, chosen)
    return anchored if page_date else [m for m in anchored if not m.relative]


# '같은 해 6월 26일', '이듬해 3월': a month named after one of these takes its year from the
# date named before it, not from the page's date.
ANCHOR_YEAR_WORDS = {"같은 해": 0, "같은해": 0, "그해": 0, "그 해": 0, "동년": 0, "이듬해": 1, "그 이듬해": 1,
                     "익년": 1}


def _anchored_years(text: str, mentions: list[DateMention]) -> list[DateMention]:
    anchored: list[DateMention] = []
    for mention in mentions:
        before = text[max(0, mention.start - 6):mention.start].rstrip()
        word = next((w for w in sorted(ANCHOR_YEAR_WORDS, key=len, reverse=True)
                     if before.endswith(w)), None)
        earlier = [m for m in anchored if len(m.value) >= 4 and not m.relative]
        if word is not None and earlier and mention.relative and len(mention.value) >= 7:
            year = int(earlier[-1].value[:4]) + ANCHOR_YEAR_WORDS[word]
            value = f"{year}{mention.value[4:]}"
            end = f"{year}{mention.range_end[4:]}" if mention.range_end else None
            mention = DateMention(mention.start, mention.end, value, False, None, end)
        anchored.append(mention)
    return anchored


SHORT_DATE = re.compile(r"^\s*['’]?(\d{2})\s*[./-]\s*(\d{1,2})\s*[./-]\s*(\d{1,2})\.?\s*$")


def parse_short_date(value: str, pivot_year: int | None = None) -> str | None:
    """A two-digit-year date as lists write it: '05.09.14' → '2005-09-14', '98.3.2' → '1998-03-02'."""
    match = SHORT_DATE.match(value)
    if not match:
        return None
    year = two_digit_year(int(match[1]), pivot_year)
    return _day_value(year, int(match[2]), int(match[3]))


ISO_TIMESTAMP = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})")
COMPACT_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})(\d{2})(\d{2})(?:\d{4,6})?(?!\d)")
SHORT_IN_TEXT = re.compile(r"(?<![\d.])(\d{2})[./-](\d{1,2})[./-](\d{1,2})(?![\d.]\d)")


def _timestamp_in_korea(match: re.Match[str]) -> str | None:
    """A timestamp with a zone, as a date in Korea (a 23:00Z stamp is the next day there)."""
    zone = match[7]
    offset = timezone.utc if zone == "Z" else timezone(
        (1 if zone[0] == "+" else -1) * timedelta(hours=int(zone[1:3]), minutes=int(zone[-2:])))
    try:
        moment = datetime(int(match[1]), int(match[2]), int(match[3]), int(match[4]),
                          int(match[5]), int(match[6] or 0), tzinfo=offset)
    except ValueError:
        return None
    return moment.astimezone(KOREA).date().isoformat()


def _rfc2822_day(value: str) -> str | None:
    """Feeds write 'Wed, 11 Oct 2023 09:00:00 +0900'; the day in Korea is what counts."""
    if not re.search(r"[A-Za-z]{3},?\s+\d{1,2}\s+[A-Za-z]{3}\s+\d{4}", value):
        return None
    try:
        moment = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        return moment.date().isoformat()
    return moment.astimezone(KOREA).date().isoformat()


def parse_publication_date(value: str) -> str | None:
    """The day a byline or meta value gives: '등록 2023-10-11 18:50:01' → '2023-10-11'.

    Accepts ISO and RFC 2822 timestamps (zoned ones are read as Korean dates), '2019.10.14 19:23',
    '2023년 10월 11일', '20231011' and '23.10.11'. Only a full day counts.
    """
    if not value:
        return None
    mailed = _rfc2822_day(value)
    if mailed:
        return mailed
    stamp = ISO_TIMESTAMP.search(value)
    if stamp:
        return _timestamp_in_korea(stamp)
    for mention in find_dates(value, None):
        if len(mention.value) == 10:
            return mention.value
    compact = COMPACT_DATE.search(value)
    if compact:
        found = _day_value(int(compact[1]), int(compact[2]), int(compact[3]))
        if found:
            return found
    short = SHORT_IN_TEXT.search(value)
    if short:
        return _day_value(two_digit_year(int(short[1])), int(short[2]), int(short[3]))
    return None
