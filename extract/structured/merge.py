"""One event per agreement: the same agreement told twice in a document (a list row and the
slide that narrates its signing, a profile field and its history bullet) is merged.

Two events are the same agreement when they join the same two sides with the same type and
status and their dates agree: one is a prefix of the other ('2013-07' / '2013-07-05'), one is
missing, or both days lie within a week (a visit's first day against the signing day). An MOU
and a friendship agreement of the same sides on the same day are one document read two ways
("우호교류 양해각서"). The merged event keeps the most precise date and the first evidence.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from datetime import date

from extract.records import Event

ADMIN_SUFFIXES = ("특별자치시", "특별자치도", "특별시", "광역시", "자치구", "자치주", "자치현", "시", "군",
                  "구", "성", "현", "주", "도", "市", "区", "區", "县", "縣", "州", "省")
# Days apart that still read as one signing (visit start vs. signing day).
SAME_SIGNING_DAYS = 7
INTERCHANGEABLE = frozenset({"friendship_city", "mou"})


def name_key(name: str | None) -> str:
    """A place name as compared across mentions: last word, one administrative suffix removed."""
    if not name:
        return ""
    text = unicodedata.normalize("NFKC", name).strip().lower()
    text = re.sub(r"\(.*?\)", " ", text)
    words = text.split()
    text = re.sub(r"[\s·・'\"]", "", words[-1] if words else "")
    for suffix in ADMIN_SUFFIXES:
        if text.endswith(suffix) and len(text) - len(suffix) >= 2:
            return text[: -len(suffix)]
    return text


def sides_key(event: Event) -> frozenset[str] | tuple[str, str]:
    """The two sides of an event; unordered for a domestic pair (either side may tell it)."""
    party, partner = name_key(event.korean_party), name_key(event.partner_canonical or event.partner)
    if event.partner_country == "KR":
        return frozenset((party, partner))
    return party, partner


def dates_agree(left: str | None, right: str | None) -> bool:
    if not left or not right:
        return True
    if left.startswith(right) or right.startswith(left):
        return True
    if len(left) == 10 and len(right) == 10:
        days = abs((date.fromisoformat(left) - date.fromisoformat(right)).days)
        return days <= SAME_SIGNING_DAYS
    return False


def same_agreement(left: Event, right: Event) -> bool:
    if sides_key(left) != sides_key(right) or left.status != right.status:
        return False
    if left.agreement_type == right.agreement_type:
        return dates_agree(left.date, right.date)
    both = {left.agreement_type, right.agreement_type}
    return both == INTERCHANGEABLE and bool(left.date) and left.date == right.date \
        and len(left.date or "") == 10


def merge_duplicate_events(events: list[Event]) -> list[Event]:
    """Events with each agreement once, in the order of their first mention."""
    groups: list[list[Event]] = []
    for event in events:
        for group in groups:
            if any(same_agreement(event, member) for member in group):
                group.append(event)
                break
        else:
            groups.append([event])
    return [_combine(group) for group in groups]


def _precision(event: Event) -> tuple[int, float]:
    return len(event.date or ""), event.confidence


def _combine(group: list[Event]) -> Event:
    best = max(group, key=_precision)
    first = min(group, key=lambda e: (e.evidence_span == (0, 0), e.evidence_span[0]))
    filled = {name: next((getattr(e, name) for e in [best, *group] if getattr(e, name)), None)
              for name in ("korean_province", "partner_canonical", "partner_country",
                           "partner_region", "partner_province")}
    return dataclasses.replace(best, evidence=first.evidence, evidence_span=first.evidence_span,
                               confidence=max(e.confidence for e in group), **filled)
