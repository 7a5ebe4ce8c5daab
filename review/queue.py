"""The review queue: events still to look at, lowest confidence first, with filters and pages.

Shared by the web page and `twinwatch review list`. One WHERE clause serves the page's rows, its
count and the per-state counts, so every number on the page follows the same filters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Mapping

from extract.records import AGREEMENT_TYPES
from review.labels import province_spellings
from store import Store
from store.migrations import REVIEW_STATES
from twinwatch import validation

ALL_STATES = "all"
ORDER = "COALESCE(e.confidence, 0), e.id"
PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
FILTER_NAMES = ("state", "party", "country", "agreement_type", "date_from", "date_to")


@dataclass(frozen=True, slots=True)
class QueueFilter:
    """What the reviewer asked to see. Empty strings mean "any"; dates are YYYY[-MM[-DD]]."""

    state: str = "new"  # a review state, or "all"
    party: str = ""  # part of the Korean party's name (경기 finds 경기도 and 경기 화성시; 경남 finds 경상남도)
    country: str = ""  # the partner's ISO country code
    agreement_type: str = ""
    date_from: str = ""
    date_to: str = ""
    page: int = 1
    errors: tuple[str, ...] = field(default=(), compare=False)  # what was typed wrong, in Korean

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> "QueueFilter":
        """From a query string. A value that cannot be read is dropped and says why in `errors`."""
        values = {name: (args.get(name) or "").strip() for name in FILTER_NAMES}
        errors: list[str] = []
        if values["state"] not in (*REVIEW_STATES, ALL_STATES):
            if values["state"]:
                errors.append(f"검토 상태 “{values['state']}”는 없는 값이라 전체를 보여 줍니다.")
            values["state"] = "new" if not values["state"] else ALL_STATES
        if values["agreement_type"] not in ("", *AGREEMENT_TYPES):
            errors.append(f"유형 “{values['agreement_type']}”는 없는 값이라 무시했습니다.")
            values["agreement_type"] = ""
        typed_country = values["country"]
        values["country"] = _country_code(typed_country)
        if typed_country and not values["country"]:
            errors.append(f"국가 “{typed_country}”를 알 수 없어 무시했습니다. "
                          "CN, 중국, China처럼 쓰세요.")
        for name, label in (("date_from", "시작 날짜"), ("date_to", "끝 날짜")):
            if values[name] and not is_partial_date(values[name]):
                errors.append(f"{label} “{values[name]}”를 읽을 수 없어 무시했습니다. "
                              "2024, 2024-05, 2024-05-01 꼴로 쓰세요.")
                values[name] = ""
        page_text = (args.get("page") or "1").strip()
        page = int(page_text) if page_text.isdigit() and int(page_text) > 0 else 1
        return cls(**values, page=page, errors=tuple(errors))

    def as_args(self, **changes: Any) -> dict[str, str]:
        """The filter as query arguments (defaults left out); `changes` override fields."""
        chosen = replace(self, **changes)
        args = {name: str(getattr(chosen, name)) for name in FILTER_NAMES if getattr(chosen, name)}
        if chosen.page > 1:
            args["page"] = str(chosen.page)
        return args


def _country_code(typed: str) -> str:
    """An ISO code or a country's name (중국, China) as its code; "" (any) when unknown."""
    try:
        return validation.country_code(typed) if typed else ""
    except validation.InvalidValue:
        return ""


def is_partial_date(text: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD naming a real year, month or day."""
    found = PARTIAL_DATE.fullmatch(text)
    if not found:
        return False
    year, month, day = (int(part) if part else 1 for part in found.groups())
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _where(chosen: QueueFilter, *, with_state: bool = True) -> tuple[str, list[Any]]:
    where, params = ["e.merged_into IS NULL"], []
    if with_state and chosen.state != ALL_STATES:
        where.append("e.review_state = ?")
        params.append(chosen.state)
    if chosen.party:
        spellings = province_spellings(chosen.party)
        clause = "e.korean_party LIKE ? OR e.korean_province LIKE ?"
        params += [f"%{chosen.party}%"] * 2
        if spellings:  # a province's short form finds its full name, and the reverse
            marks = ", ".join("?" * len(spellings))
            clause += f" OR e.korean_province IN ({marks}) OR e.korean_party IN ({marks})"
            params += [*spellings, *spellings]
        where.append(f"({clause})")
    if chosen.country:
        where.append("e.partner_country = ?")
        params.append(chosen.country)
    if chosen.agreement_type:
        where.append("e.agreement_type = ?")
        params.append(chosen.agreement_type)
    if chosen.date_from:  # a partial date sorts before the full dates inside it
        where.append("e.date >= ?")
        params.append(chosen.date_from)
    if chosen.date_to:
        where.append("e.date <= ?")
        params.append(chosen.date_to + "\uffff")  # "2023-10" also keeps 2023-10-31
    return " AND ".join(where), params


def queue(store: Store, chosen: QueueFilter, limit: int = 200, offset: int = 0) -> list[dict[str, Any]]:
    """Live events matching the filter, lowest confidence first (then oldest), with how many
    reports each has."""
    where, params = _where(chosen)
    # The page's ids first (sorting ids only, not whole rows), then their rows and reports.
    sql = f"""SELECT e.*, (SELECT COUNT(*) FROM mentions m WHERE m.event_id = e.id) AS mentions
              FROM events e JOIN (SELECT e.id FROM events e WHERE {where}
                                  ORDER BY {ORDER} LIMIT ? OFFSET ?) chosen ON chosen.id = e.id
              ORDER BY {ORDER}"""
    return list(store.db.query(sql, [*params, limit, offset]))


def count(store: Store, chosen: QueueFilter) -> int:
    where, params = _where(chosen)
    return int(next(store.db.query(f"SELECT COUNT(*) AS n FROM events e WHERE {where}", params))["n"])


@dataclass(frozen=True, slots=True)
class QueuePage:
    """One page of the queue with the numbers around it ("N건 중 x–y")."""

    rows: list[dict[str, Any]]
    total: int
    page: int
    pages: int
    first: int  # 1-based position of the first row shown (0 when none)
    last: int


def queue_page(store: Store, chosen: QueueFilter, page_size: int) -> QueuePage:
    """The page the filter asks for (a page past the end shows the last one)."""
    total = count(store, chosen)
    pages = max(1, -(-total // page_size))
    page = min(chosen.page, pages)
    offset = (page - 1) * page_size
    rows = queue(store, chosen, limit=page_size, offset=offset)
    return QueuePage(rows, total, page, pages, offset + 1 if rows else 0, offset + len(rows))


def neighbours(store: Store, chosen: QueueFilter, event_id: int) -> tuple[int | None, int | None]:
    """The events before and after `event_id` in the filtered queue's order. The event itself
    need not match any more (just confirmed, it left the "검토 전" queue): its place does."""
    current = next(store.db.query("SELECT COALESCE(confidence, 0) AS c FROM events WHERE id = ?",
                                  [event_id]), None)
    if current is None:
        return None, None
    where, params = _where(chosen)
    key = [current["c"], current["c"], event_id]
    before = next(store.db.query(
        f"""SELECT e.id FROM events e WHERE {where} AND (COALESCE(e.confidence, 0) < ?
            OR (COALESCE(e.confidence, 0) = ? AND e.id < ?))
            ORDER BY COALESCE(e.confidence, 0) DESC, e.id DESC LIMIT 1""", [*params, *key]), None)
    after = next(store.db.query(
        f"""SELECT e.id FROM events e WHERE {where} AND (COALESCE(e.confidence, 0) > ?
            OR (COALESCE(e.confidence, 0) = ? AND e.id > ?))
            ORDER BY {ORDER} LIMIT 1""", [*params, *key]), None)
    return (before["id"] if before else None), (after["id"] if after else None)


def countries(store: Store) -> list[str]:
    """Partner countries present among live events, for the filter's choices."""
    return [row["c"] for row in store.db.query(
        "SELECT DISTINCT partner_country AS c FROM events WHERE merged_into IS NULL "
        "AND partner_country IS NOT NULL AND partner_country != '' ORDER BY c")]


def counts_by_state(store: Store, chosen: QueueFilter | None = None) -> dict[str, int]:
    """Events per review state under the filter's other fields (all live events without one)."""
    where, params = _where(chosen or QueueFilter(state=ALL_STATES), with_state=False)
    rows = store.db.query(f"SELECT e.review_state, COUNT(*) AS n FROM events e WHERE {where} "
                          "GROUP BY e.review_state", params)
    found = {row["review_state"]: row["n"] for row in rows}
    return {state: found.get(state, 0) for state in REVIEW_STATES}
