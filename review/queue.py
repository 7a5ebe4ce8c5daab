"""The review queue: events still to look at, lowest confidence first, with filters.

Shared by the web page and `twinwatch review list`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Mapping

from extract.records import AGREEMENT_TYPES
from store import Store
from store.migrations import REVIEW_STATES
from twinwatch import validation

ALL_STATES = "all"


@dataclass(frozen=True, slots=True)
class QueueFilter:
    """What the reviewer asked to see. Empty strings mean "any"; dates are YYYY[-MM[-DD]]."""

    state: str = "new"  # a review state, or "all"
    party: str = ""  # part of the Korean party's name (경기 finds 경기도 and 경기 화성시)
    country: str = ""  # the partner's ISO country code
    agreement_type: str = ""
    date_from: str = ""
    date_to: str = ""

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> "QueueFilter":
        """From a query string (unknown or malformed values fall back to "any")."""
        values = {f.name: (args.get(f.name) or "").strip() for f in fields(cls)}
        if values["state"] not in (*REVIEW_STATES, ALL_STATES):
            values["state"] = "new" if not values["state"] else ALL_STATES
        if values["agreement_type"] not in AGREEMENT_TYPES:
            values["agreement_type"] = ""
        values["country"] = _country_code(values["country"])
        return cls(**values)

    def as_args(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}


def _country_code(typed: str) -> str:
    """An ISO code or a country's name (중국, China) as its code; "" (any) when unknown."""
    try:
        return validation.country_code(typed) if typed else ""
    except validation.InvalidValue:
        return ""


def queue(store: Store, chosen: QueueFilter, limit: int = 200) -> list[dict[str, Any]]:
    """Live events matching the filter, lowest confidence first (then oldest), with how many
    reports each has."""
    where, params = ["e.merged_into IS NULL"], []
    if chosen.state != ALL_STATES:
        where.append("e.review_state = ?")
        params.append(chosen.state)
    if chosen.party:
        where.append("(e.korean_party LIKE ? OR e.korean_province LIKE ?)")
        params += [f"%{chosen.party}%"] * 2
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
    sql = f"""SELECT e.*, (SELECT COUNT(*) FROM mentions m WHERE m.event_id = e.id) AS mentions
              FROM events e WHERE {' AND '.join(where)}
              ORDER BY COALESCE(e.confidence, 0), e.id LIMIT ?"""
    return list(store.db.query(sql, [*params, limit]))


def countries(store: Store) -> list[str]:
    """Partner countries present among live events, for the filter's choices."""
    return [row["c"] for row in store.db.query(
        "SELECT DISTINCT partner_country AS c FROM events WHERE merged_into IS NULL "
        "AND partner_country IS NOT NULL AND partner_country != '' ORDER BY c")]


def counts_by_state(store: Store) -> dict[str, int]:
    rows = store.db.query("SELECT review_state, COUNT(*) AS n FROM events WHERE merged_into IS NULL "
                          "GROUP BY review_state")
    found = {row["review_state"]: row["n"] for row in rows}
    return {state: found.get(state, 0) for state in REVIEW_STATES}
