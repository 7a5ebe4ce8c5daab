"""Relationships derived from events: one per (Korean party, partner), its stages and state.

Pure functions over plain rows; `store.relationships` reads the rows and keeps the cache.

- Pair: events of the same Korean party and partner, compared by normalised name (as event
  identity does), with the partner's canonical name as another spelling of it; a domestic pair
  (partner_country KR) is unordered. A party without a province takes the one other events give
  that name, when they give exactly one (서울 중구 and 부산 중구 stay apart).
- Steps: each event not rejected is a dated step (reviewers' corrections are the event's fields),
  with the sources of all its mentions; notes and reviewers' statements are state steps.
- Stage: the highest signed agreement — 의향서/MOU (1) → 우호 (2) → 자매 (3).
- State: `planned` while nothing was signed (planned but never signed); else `active`, unless
  a reviewer or a page said `suspended` or `ended` and no agreement was signed after that date.
  Reviewers outrank pages: once a reviewer spoke, notes no longer decide the state.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any, Iterable

from store.identity import normalise_place

STAGE_RANK = {"letter_of_intent": 1, "mou": 1, "friendship_city": 2, "sister_city": 3}
STAGE_LABELS = {"letter_of_intent": "의향서", "mou": "MOU", "friendship_city": "우호",
                "sister_city": "자매", "suspended": "중단", "ended": "종료", "resumed": "재개",
                "active": "재개"}
STATES = ("active", "planned", "suspended", "ended")
_STATE_OF_SIGNAL = {"suspended": "suspended", "ended": "ended", "resumed": "active",
                    "active": "active"}


@dataclass(frozen=True, slots=True)
class Source:
    """A page that reports a step."""

    url: str
    title: str | None = None
    published: str | None = None
    source: str | None = None  # the configured source that brought it


@dataclass(frozen=True, slots=True)
class Step:
    """One dated step of a relationship: an agreement (an event) or a change of state."""

    kind: str  # agreement | state
    stage: str  # an agreement type, or suspended | ended | resumed | active
    date: str | None
    status: str | None  # signed | planned (agreements)
    origin: str  # event | note | reviewer
    event_id: int | None = None
    review_state: str | None = None
    evidence: str | None = None
    reviewer: str | None = None
    reason: str | None = None
    sources: tuple[Source, ...] = ()
    log_id: int | None = None  # a reviewer's statement: its relationship_log id

    @property
    def label(self) -> str:
        label = STAGE_LABELS.get(self.stage, self.stage)
        return label + (" (예정)" if self.status == "planned" else "")


@dataclass(frozen=True, slots=True)
class Relationship:
    key: str
    korean_party: str
    korean_province: str | None
    partner: str
    partner_country: str | None
    partner_region: str | None
    domestic: bool
    stage: str | None  # highest signed agreement type; None while nothing was signed
    state: str  # active | planned | suspended | ended
    state_date: str | None
    steps: tuple[Step, ...]
    place_ids: dict[str, str] = field(default_factory=dict)
    partner_province: str | None = None

    @property
    def event_ids(self) -> list[int]:
        return [s.event_id for s in self.steps if s.event_id is not None]

    @property
    def first_date(self) -> str | None:
        return next((s.date for s in self.steps if s.date), None)

    @property
    def last_date(self) -> str | None:
        return next((s.date for s in reversed(self.steps) if s.date), None)

    def involves(self, name: str) -> bool:
        """True when `name` is either side (by normalised name, or as part of a displayed one)."""
        key = normalise_place(name)
        sides = (self.korean_party, self.partner)
        return any(normalise_place(side) == key or name in side for side in sides)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(event_ids=self.event_ids, first_date=self.first_date, last_date=self.last_date)
        for step, raw in zip(self.steps, data["steps"]):
            raw["label"] = step.label
        return data


# ---------------------------------------------------------------- grouping

class _Groups:
    """Union-find over pair keys: every spelling of one pair ends in one group."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, keys: Iterable[str]) -> str | None:
        roots = sorted({self.find(k) for k in keys})
        for root in roots[1:]:
            self.parent[root] = roots[0]
        return roots[0] if roots else None


def _provinces_by_name(rows: Iterable[dict[str, Any]]) -> dict[str, str]:
    """Korean place name → its province, for names that events place in exactly one province."""
    seen: dict[str, set[str]] = {}
    for row in rows:
        sides = [("korean_party", "korean_province")]
        if _domestic(row):
            sides.append(("partner", "partner_province"))
        for name_field, province_field in sides:
            if row.get(province_field):
                seen.setdefault(normalise_place(row.get(name_field)), set()).add(
                    normalise_place(row[province_field]))
    return {name: next(iter(provinces)) for name, provinces in seen.items() if len(provinces) == 1}


def _domestic(row: dict[str, Any]) -> bool:
    return (row.get("partner_country") or "").upper() == "KR"


def _side(name: str | None, province: str | None, provinces: dict[str, str]) -> str:
    key = normalise_place(name)
    where = normalise_place(province) if province else provinces.get(key, "")
    return f"{key}@{where}" if where and where != key else key


def pair_keys(row: dict[str, Any], provinces: dict[str, str]) -> set[str]:
    """Every key the row's pair may be found under (partner and canonical name; both orders
    of a domestic pair become one unordered key)."""
    party = _side(row.get("korean_party"), row.get("korean_province"), provinces)
    partners = {normalise_place(n) for n in (row.get("partner"), row.get("partner_canonical")) if n}
    partners.discard("")
    if _domestic(row):
        sides = {_side(row.get("partner"), row.get("partner_province"), provinces)}
        return {"~".join(sorted((party, side))) for side in sides}
    return {f"{party}>{partner}" for partner in partners}


# ---------------------------------------------------------------- derivation

def derive(events: list[dict[str, Any]], sources: dict[int, list[Source]],
           notes: list[dict[str, Any]], statements: list[dict[str, Any]]) -> list[Relationship]:
    """Relationships from live events (rejected ones are left out here), page notes and
    reviewers' statements; sorted by party, then partner."""
    live = [e for e in events if e.get("review_state") != "rejected"]
    provinces = _provinces_by_name(live)
    groups = _Groups()
    members: dict[str, list[dict[str, Any]]] = {}
    keys_of = {event["id"]: pair_keys(event, provinces) or {f"event:{event['id']}"}
               for event in live}  # a name with nothing comparable left stays on its own
    for event in live:
        groups.union(keys_of[event["id"]])
    for event in live:
        root = groups.find(next(iter(keys_of[event["id"]])))
        members.setdefault(root, []).append(event)
    signals: dict[str, list[Step]] = {}
    for row, origin in [(n, "note") for n in notes] + [(s, "reviewer") for s in statements]:
        keys = pair_keys(row, provinces)
        root = next((groups.find(k) for k in keys if k in groups.parent), None)
        if root is None:  # a tie known only from a note or a reviewer: a relationship still
            root = groups.union(keys) or ""
            members.setdefault(root, [])
        signals.setdefault(root, []).append(_signal_step(row, origin))
    found = [_relationship(root, members.get(root, []), signals.get(root, []), sources,
                           notes, statements, provinces) for root in members]
    return sorted((r for r in found if r is not None), key=lambda r: (r.korean_party, r.partner))


def _signal_step(row: dict[str, Any], origin: str) -> Step:
    stage = row.get("note") or row.get("state") or ""
    url = row.get("url")
    return Step(kind="state", stage=stage, date=row.get("date"), status=None, origin=origin,
                evidence=row.get("evidence"), reviewer=row.get("reviewer"),
                reason=row.get("reason"), log_id=row.get("id") if origin == "reviewer" else None,
                sources=(Source(url, row.get("title"), row.get("published"), row.get("source")),)
                if url else ())


def _event_step(event: dict[str, Any], sources: dict[int, list[Source]]) -> Step:
    return Step(kind="agreement", stage=event["agreement_type"], date=event.get("date"),
                status=event.get("status"), origin="event", event_id=event["id"],
                review_state=event.get("review_state"), evidence=event.get("evidence"),
                sources=tuple(sources.get(event["id"], [])))


# On one day, a page saying a tie was both suspended and ended means ended.
_SIGNAL_ORDER = {"resumed": 0, "active": 0, "suspended": 1, "ended": 2}


def _chronological(steps: list[Step]) -> list[Step]:
    """Dated steps by date (a partial date before the full dates inside it), undated last."""
    return sorted(steps, key=lambda s: (s.date is None, s.date or "", s.kind != "agreement",
                                        _SIGNAL_ORDER.get(s.stage, 0), s.event_id or 0))


def _relationship(root: str, events: list[dict[str, Any]], signals: list[Step],
                  sources: dict[int, list[Source]], notes: list[dict[str, Any]],
                  statements: list[dict[str, Any]], provinces: dict[str, str]) -> Relationship | None:
    rows = events or [row for row in notes + statements if root in pair_keys(row, provinces)]
    if not rows:
        return None
    steps = _chronological([_event_step(e, sources) for e in events] + signals)
    stage = max((s.stage for s in steps if s.kind == "agreement" and s.status == "signed"),
                key=lambda t: STAGE_RANK.get(t, 0), default=None)
    state, state_date = _state(steps)
    ids: dict[str, str] = {}
    for event in events:
        ids.update({k: v for k, v in (event.get("place_ids") or {}).items() if v and k not in ids})
    return Relationship(
        key=root, korean_party=_most_common(rows, "korean_party") or "",
        korean_province=_most_common(rows, "korean_province"),
        partner=_most_common(rows, "partner") or "",
        partner_country=_most_common(rows, "partner_country"),
        partner_region=_most_common(rows, "partner_region"),
        partner_province=_most_common(rows, "partner_province"),
        domestic=_domestic(rows[0]), stage=stage, state=state, state_date=state_date,
        steps=tuple(steps), place_ids=ids)


def _state(steps: list[Step]) -> tuple[str, str | None]:
    signed = [s for s in steps if s.kind == "agreement" and s.status == "signed"]
    signals = [s for s in steps if s.kind == "state"]
    by_reviewer = [s for s in signals if s.origin == "reviewer"]
    # Reviewers outrank pages; among reviewers the latest statement made, among pages the
    # latest date reported.
    decisive = [max(by_reviewer, key=lambda s: s.log_id or 0)] if by_reviewer else signals[-1:]
    if decisive:
        signal = decisive[0]
        state = _STATE_OF_SIGNAL.get(signal.stage, "active")
        later_signing = [s for s in signed if s.date and signal.date and s.date > signal.date]
        if state != "active" and not later_signing:
            return state, signal.date
        if state == "active" and signed:
            return "active", signal.date
    if not signed:
        return "planned", next((s.date for s in steps if s.status == "planned"), None)
    return "active", signed[0].date


def _most_common(rows: list[dict[str, Any]], name: str) -> Any:
    """The value most rows give (ties: the latest row's)."""
    values = [row.get(name) for row in rows if row.get(name)]
    if not values:
        return None
    counts = Counter(values)
    top = max(counts.values())
    return next(v for v in reversed(values) if counts[v] == top)
