"""Event identity: when a newly extracted agreement is one the store already holds.

Pure functions over plain values; `store.events_writer` applies them inside a transaction.

The rules:
- Pair: the Korean party and the partner compared by normalised name (last word, one
  administrative suffix removed, 광역 short/long forms unified), also by the partner's canonical
  name and by gazetteer place ids where given. A domestic agreement (partner_country KR) is an
  unordered pair: 안산시–시흥시 reported from either side is one pair.
- Date: two full dates within 31 days match; a partial date matches a date inside it
  (2023-10 ~ 2023-10-10, 2023 ~ 2023-05). The more precise date fills the less precise one.
- Undated reports (decision): a report without a date joins an event of the same pair only when
  the agreement types agree — nothing else suggests it is the same agreement — and an undated
  event likewise takes only same-type reports. Its date is filled by the first dated report.
- Fulfilment: a `signed` report of a `planned` event with the same pair and type within 90 days
  joins it; the event becomes signed on the signed report's date. A late `planned` report of a
  signed event joins it too and changes nothing.
- Type: an event's type is the most attested among its mentions (ties: the latest report).
- Two events extracted from one document are never merged into one stored event.
- Guards: when both sides name the Korean party's province (or the partner's country, or both
  places' gazetteer ids) and these differ, they are different places (서울 중구 is not 부산 중구).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Iterable, Mapping, Sequence

from extract.records import Event

SAME_EVENT_DAYS = 31
FULFIL_DAYS = 90

# Longest first, so 특별자치시 is removed whole rather than as 시.
_ADMIN_SUFFIXES = tuple(sorted((
    "특별자치시", "특별자치도", "특별시", "광역시", "자치구", "자치주", "자치현",
    "시", "군", "구", "도", "성", "현", "주", "市", "区", "區", "县", "縣", "州", "省", "city",
), key=len, reverse=True))

# 광역 names written long or short name the same province (경상남도 = 경남도 = 경남).
_PROVINCE_SHORT = {
    "서울": "서울", "부산": "부산", "대구": "대구", "인천": "인천", "광주": "광주",
    "대전": "대전", "울산": "울산", "세종": "세종", "경기": "경기", "강원": "강원",
    "충청북": "충북", "충북": "충북", "충청남": "충남", "충남": "충남",
    "전라북": "전북", "전북": "전북", "전북특별자치": "전북", "전라남": "전남", "전남": "전남",
    "경상북": "경북", "경북": "경북", "경상남": "경남", "경남": "경남",
    "제주": "제주", "제주특별자치": "제주", "강원특별자치": "강원",
}

_BRACKETS = re.compile(r"\([^)]*\)|（[^）]*）|\[[^]]*\]")
_PUNCT = re.compile(r"[\s·・'\"‘’“”.,]")


def normalise_place(name: str | None) -> str:
    """Last word of a place name, lower-cased, without brackets or one administrative suffix.

    '청도시 노산구' → '노산', '훈춘시' → '훈춘', '경상남도' → '경남'. Names of one or two syllables
    keep their suffix ('중구' stays '중구') so that they remain distinguishable.
    """
    if not name:
        return ""
    text = _BRACKETS.sub("", unicodedata.normalize("NFKC", name).strip().lower())
    words = [_PUNCT.sub("", word) for word in text.split()]
    if len(words) >= 2 and words[-1] in _ADMIN_SUFFIXES:  # "Hunchun City", "훈춘 시"
        words[-2:] = [words[-2] + words[-1]]
    last = words[-1] if words else ""
    for suffix in _ADMIN_SUFFIXES:
        if last.endswith(suffix) and len(last) - len(suffix) >= 2:
            last = last[: -len(suffix)]
            break
    return _PROVINCE_SHORT.get(last, last)


@dataclass(frozen=True, slots=True)
class Identity:
    """The comparable parts of one report of an agreement."""

    pair_keys: frozenset[str]
    agreement_type: str
    status: str
    date: str | None
    korean_province: str
    partner_country: str
    id_key: str | None = None  # both sides' gazetteer ids, when known


def _names(*values: str | None) -> set[str]:
    return {key for key in (normalise_place(v) for v in values) if key}


def pair_keys_of(fields: Mapping[str, Any]) -> frozenset[str]:
    """Every key this report's pair may be found under (names and canonical name, both ways
    round for a domestic pair, and the gazetteer ids when both sides have one)."""
    parties = _names(fields.get("korean_party"))
    partners = _names(fields.get("partner"), fields.get("partner_canonical"))
    domestic = _country(fields) == "KR"
    # The directed key is kept for domestic pairs too, so a report that omits the country
    # still meets the same pair reported from the same side.
    keys = {f"{a}>{b}" for a in parties for b in partners}
    if domestic:
        keys |= {_unordered(a, b) for a in parties for b in partners}
    id_key = _id_key(fields)
    if id_key:
        keys.add(id_key)
    return frozenset(keys)


def _country(fields: Mapping[str, Any]) -> str:
    return (fields.get("partner_country") or "").upper()


def _unordered(party: str, partner: str) -> str:
    first, second = sorted((party, partner))
    return f"{first}~{second}"


def _id_key(fields: Mapping[str, Any]) -> str | None:
    """`id:` + the gazetteer ids of both sides (unordered when domestic), when both are known."""
    ids = fields.get("place_ids") or {}
    if isinstance(ids, str):  # a stored row keeps them as JSON
        ids = json.loads(ids)
    party_id, partner_id = ids.get("korean_party"), ids.get("partner")
    if not (party_id and partner_id):
        return None
    if _country(fields) == "KR":
        return "id:" + _unordered(str(party_id), str(partner_id))
    return f"id:{party_id}>{partner_id}"


def identity_of(fields: Mapping[str, Any], pair_keys: frozenset[str] | None = None) -> Identity:
    """The comparable parts of a report or a stored event (whose keys are given: every spelling
    its mentions and reviewers used)."""
    return Identity(
        pair_keys=pair_keys_of(fields) if pair_keys is None else pair_keys,
        agreement_type=fields["agreement_type"],
        status=fields.get("status") or "signed",
        date=fields.get("date") or None,
        korean_province=normalise_place(fields.get("korean_province")),
        partner_country=_country(fields),
        id_key=_id_key(fields),
    )


def date_precision(value: str | None) -> int:
    """0 undated, 1 year, 2 month, 3 day."""
    return 0 if not value else min(3, value.count("-") + 1)


def date_range(value: str) -> tuple[date, date]:
    """The first and last day a (possibly partial) YYYY[-MM[-DD]] date can mean."""
    parts = [int(p) for p in value.split("-")[:3]]
    if len(parts) == 3:
        day = date(*parts)
        return day, day
    if len(parts) == 2:
        first = date(parts[0], parts[1], 1)
        next_month = date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return first, next_month - timedelta(days=1)
    return date(parts[0], 1, 1), date(parts[0], 12, 31)


def days_apart(a: str, b: str) -> int | None:
    """Days between the nearest ends of two date ranges (0 when they overlap); None if unreadable."""
    try:
        (a_first, a_last), (b_first, b_last) = date_range(a), date_range(b)
    except ValueError:
        return None
    if a_last < b_first:
        return (b_first - a_last).days
    if b_last < a_first:
        return (a_first - b_last).days
    return 0


def dates_match(a: str, b: str) -> bool:
    """Full dates within 31 days, or a partial date that contains the other date."""
    gap = days_apart(a, b)
    if gap is None:
        return a == b
    if date_precision(a) == 3 and date_precision(b) == 3:
        return gap <= SAME_EVENT_DAYS
    return gap == 0


def match_rank(report: Identity, candidate: Identity) -> tuple[int, int] | None:
    """How well a stored event fits a report (lower is better), or None when it is another one."""
    if not report.pair_keys & candidate.pair_keys:
        return None
    if report.korean_province and candidate.korean_province \
            and report.korean_province != candidate.korean_province:
        return None
    if report.partner_country and candidate.partner_country \
            and report.partner_country != candidate.partner_country:
        return None
    if report.id_key and candidate.id_key and report.id_key != candidate.id_key:
        return None  # the gazetteer tells two same-named places apart
    same_type = report.agreement_type == candidate.agreement_type
    if report.date is None or candidate.date is None:
        return (0, 0) if same_type else None
    gap = days_apart(report.date, candidate.date)
    if dates_match(report.date, candidate.date):
        return (0 if same_type else 1, gap or 0)
    fulfils = same_type and report.status != candidate.status
    if fulfils and gap is not None and gap <= FULFIL_DAYS:
        return (0, gap)
    return None


def best_match(report: Identity, candidates: Iterable[tuple[int, Identity]]) -> int | None:
    """The id of the stored event this report belongs to; ties go to the newest event."""
    ranked = [(rank, -event_id) for event_id, ident in candidates
              if (rank := match_rank(report, ident)) is not None]
    return -min(ranked)[1] if ranked else None


def most_attested_type(mention_types: Sequence[str]) -> str:
    """The most frequent type; on a tie the one reported last (`mention_types` is oldest first)."""
    counts = Counter(mention_types)
    top = max(counts.values())
    return next(t for t in reversed(mention_types) if counts[t] == top)


def merged_date_and_status(current: Mapping[str, Any], report: Event) -> tuple[str | None, str]:
    """The event's date and status once `report` has joined it."""
    current_date, status = current.get("date"), current["status"]
    if report.status == "signed" and status == "planned":
        return report.date or current_date, "signed"  # fulfilled: the signing day counts
    if report.status == "planned" and status == "signed":
        return current_date, status  # a late preview of a done deal tells nothing new
    if current_date is None:
        return report.date, status
    if report.date and date_precision(report.date) > date_precision(current_date) \
            and days_apart(report.date, current_date) == 0:
        return report.date, status
    return current_date, status


def filled_fields(current: Mapping[str, Any], report: Event) -> dict[str, Any]:
    """Fields the event lacks and the report gives (province, canonical name, country …)."""
    updates: dict[str, Any] = {}
    for name in ("korean_province", "partner_canonical", "partner_country",
                 "partner_region", "partner_province"):
        value = getattr(report, name)
        if current.get(name) in (None, "") and value:
            updates[name] = value
    return updates
