"""Articles for the offline demo site, composed from `facts.tsv` and `pages.toml`.

Each agreement row becomes a news story or a press release. Several lead and body patterns are
rotated by the row's position, so the demo exercises varied wording rather than one template;
the text is written for twinwatch and reports fictional agreements between real places.
"""

from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass, replace
from datetime import date
from importlib import resources
from itertools import groupby

HANGUL_FIRST, HANGUL_LAST = 0xAC00, 0xD7A3


@dataclass(frozen=True, slots=True)
class Fact:
    """One agreement as the demo's facts table states it (columns of `facts.tsv`)."""

    page: str
    site: str
    encoding: str
    published: str
    party: str
    party_province: str
    partner: str
    country: str
    partner_region: str
    partner_province: str
    type: str
    status: str
    date: str
    wording: str

    @property
    def domestic(self) -> bool:
        return self.country == "KR"


@dataclass(frozen=True, slots=True)
class Article:
    """A page of the demo site before layout: where it lives, how it is encoded, what it says."""

    page_id: str
    sites: tuple[str, ...]
    encoding: str
    published: str
    title: str
    paragraphs: tuple[str, ...]
    department: str = "국제협력과"
    attachment_text: tuple[str, ...] = ()  # when set, the release's text ships as a PDF


def load_facts() -> list[Fact]:
    text = resources.files("twinwatch.app.demo").joinpath("facts.tsv").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line and not line.startswith("#")]
    return [Fact(**row) for row in csv.DictReader(rows, delimiter="\t")]


def has_final_consonant(word: str) -> bool:
    """Whether a word's last syllable ends in a consonant; a parenthesis is read past
    ("업무협약(MOU)" takes 을 like 업무협약)."""
    stem = word.split("(")[0].rstrip() if word.endswith(")") else word
    last = stem[-1]
    if HANGUL_FIRST <= ord(last) <= HANGUL_LAST:
        return (ord(last) - HANGUL_FIRST) % 28 != 0
    return last in "013678LMNRlmnr"  # digits and letters whose Korean reading ends in a consonant


def josa(word: str, with_final: str, without_final: str) -> str:
    return word + (with_final if has_final_consonant(word) else without_final)


def _head_title(name: str) -> str:
    """The title of a government's head: 안성시 → 안성시장, 마포구 → 마포구청장."""
    if name.endswith("도"):
        return name + "지사"
    if name.endswith("구"):
        return name + "청장"
    if name.endswith("군"):
        return name + "수"
    if name.endswith("성"):
        return name + " 성장"
    if name.endswith(("현", "주")):
        return name + " 지사"
    return name + "장"


def _day_phrase(when: str, published: str) -> str:
    """A relative date as Korean news writes it, resolved against the page's own date."""
    day, page_day = date.fromisoformat(when), date.fromisoformat(published)
    if day == page_day:
        return f"{day.day}일"
    if day < page_day:
        return f"지난 {day.day}일" if day.month == page_day.month else f"지난달 {day.day}일"
    return f"오는 {day.day}일" if day.month == page_day.month else f"다음 달 {day.day}일"


def _party_long(fact: Fact) -> str:
    return f"{fact.party_province} {fact.party}".strip()


def _partner_long(fact: Fact) -> str:
    if fact.domestic:
        return f"{fact.partner_province} {fact.partner}"
    return " ".join(part for part in (fact.country, fact.partner_region, fact.partner) if part)


def _venue(fact: Fact, index: int) -> str:
    halls = (f"{fact.party}청 대회의실", f"{fact.partner} 청사", f"{fact.party}청 영상회의실",
             f"{fact.party}청 접견실")
    return halls[index % len(halls)]


COOPERATION = {
    "sister_city": "두 도시는 앞으로 행정·경제·문화·체육·청소년 등 여러 분야로 교류를 넓혀 가기로 했다.",
    "friendship_city": "양측은 공무원 상호 파견과 청소년 교류, 지역 축제 초청부터 차근차근 협력하기로 했다.",
    "letter_of_intent": "의향서에는 관광·문화 교류를 시작으로 정식 결연을 함께 검토한다는 내용이 담겼다.",
    "mou": "협약에 따라 두 지방정부는 실무협의체를 꾸려 세부 사업을 분기마다 점검한다.",
}

QUOTES = (
    "\"오랜 준비 끝에 맺은 인연인 만큼 시민이 체감하는 교류로 이어 가겠다\"고 말했다.",
    "\"서로의 강점을 살려 실질적인 성과를 내겠다\"고 밝혔다.",
    "\"이번 만남이 두 지역 주민 모두에게 새로운 기회가 되길 바란다\"고 전했다.",
)


def _signed_lead(fact: Fact, index: int) -> list[str]:
    day = _day_phrase(fact.date, fact.published)
    party, partner, wording = fact.party, fact.partner, fact.wording
    head, other_head = _head_title(party), _head_title(partner)
    patterns = (
        [f"{josa(_party_long(fact), '은', '는')} {day} {josa(_partner_long(fact), '과', '와')} "
         f"{josa(wording, '을', '를')} 체결했다고 밝혔다."],
        [f"{josa(party, '이', '가')} {josa(_partner_long(fact), '과', '와')} {josa(wording, '을', '를')} 맺고 교류의 첫발을 뗐다.",
         f"{party}에 따르면 {josa(head, '과', '와')} {josa(other_head, '은', '는')} {day} {_venue(fact, index)}에서 "
         f"{josa(wording, '에', '에')} 서명했다."],
        [f"{josa(party, '은', '는')} {day} {_venue(fact, index)}에서 {josa(_partner_long(fact), '과', '와')} "
         f"{wording} 체결식을 열었다고 전했다."],
        [f"{josa(_partner_long(fact), '과', '와')} {josa(_party_long(fact), '이', '가')} {josa(wording, '을', '를')} 맺었다.",
         f"두 지방정부 대표는 {day} {_venue(fact, index)}에서 만나 협약서에 나란히 서명했다."],
    )
    return patterns[index % len(patterns)]


def _planned_lead(fact: Fact, index: int) -> list[str]:
    day = _day_phrase(fact.date, fact.published)
    head = _head_title(fact.party)
    patterns = (
        [f"{josa(_party_long(fact), '은', '는')} {day} {josa(_partner_long(fact), '과', '와')} "
         f"{josa(fact.wording, '을', '를')} 체결할 예정이라고 밝혔다.",
         f"{josa(head, '을', '를')} 단장으로 한 대표단이 협약식에 맞춰 {josa(fact.partner, '을', '를')} 찾는다."],
        [f"{josa(fact.party, '이', '가')} {josa(_partner_long(fact), '과', '와')} {josa(fact.wording, '을', '를')} 맺는다.",
         f"{fact.party}에 따르면 두 도시는 {day} {_venue(fact, index)}에서 협약식을 열 계획이다."],
    )
    return patterns[index % len(patterns)]


def _domestic_background(fact: Fact) -> str:
    return (f"{josa(fact.party, '과', '와')} {josa(fact.partner, '은', '는')} 그동안 농특산물 직거래 장터와 "
            "주민 체험 행사를 함께 열며 가까워졌다.")


def short_province(name: str) -> str:
    """경상북도 → 경북, 강원특별자치도 → 강원, 서울특별시 → 서울 (the usual headline forms)."""
    if name.startswith(("충청", "전라", "경상")):
        return name[0] + name[2]
    return name[:2]


def _title(fact: Fact, index: int) -> str:
    verb = "체결 예정" if fact.status == "planned" else ("체결" if index % 2 else "맺어")
    if fact.domestic:
        partner = f"{short_province(fact.partner_province)} {fact.partner}"
    else:
        partner = f"{fact.country} {fact.partner}"
    return f"{fact.party}, {josa(partner, '과', '와')} {fact.wording} {verb}"


def compose(facts: list[Fact], index: int) -> Article:
    """One article from the facts of one page (normally one fact; a second is 'the same day')."""
    first = facts[0]
    lead = _planned_lead(first, index) if first.status == "planned" else _signed_lead(first, index)
    body = list(lead)
    if first.domestic:
        body.append(_domestic_background(first))
    cooperation = COOPERATION[first.type]
    body.append(cooperation.replace("두 도시는", "두 지역은") if first.domestic else cooperation)
    for extra in facts[1:]:
        body.append(f"{josa(first.party, '은', '는')} 같은 날 {josa(_partner_long(extra), '과', '와')}도 "
                    f"{josa(extra.wording, '을', '를')} 체결했다.")
    body.append(f"{josa(_head_title(first.party), '은', '는')} {QUOTES[index % len(QUOTES)]}")
    return Article(
        page_id=first.page, sites=tuple(first.site.split("+")), encoding=first.encoding,
        published=first.published, title=_title(first, index), paragraphs=tuple(body),
    )


def fact_articles() -> list[Article]:
    facts = load_facts()
    pages = [list(group) for _, group in groupby(facts, key=lambda fact: fact.page)]
    return [compose(page_facts, index) for index, page_facts in enumerate(pages)]


def _hand_written() -> dict:
    text = resources.files("twinwatch.app.demo").joinpath("pages.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def extra_articles() -> list[Article]:
    """Hand-written pages: negatives, off-topic news, an English release, a robots-blocked page."""
    return [
        Article(page_id=page["id"], sites=tuple(page["site"].split("+")), encoding=page["encoding"],
                published=page["published"], title=page["title"],
                paragraphs=tuple(page["paragraphs"]), department=page.get("department", "국제협력과"))
        for page in _hand_written()["pages"]
    ]


def _as_attachment(article: Article) -> Article:
    """A press release whose body only points to its PDF, as many municipal boards post them."""
    pointer = ("보도자료 원문은 첨부한 PDF 파일을 참고해 주시기 바랍니다.",)
    return replace(article, paragraphs=pointer, attachment_text=article.paragraphs)


def all_articles() -> list[Article]:
    attachment_pages = set(_hand_written().get("attachment_pages", ()))
    stories = [_as_attachment(a) if a.page_id in attachment_pages else a for a in fact_articles()]
    return stories + extra_articles()
