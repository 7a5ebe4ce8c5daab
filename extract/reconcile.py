"""Registry against findings: which relationships the registry and the extracted events share.

A relationship is a (Korean party, partner) pair, both resolved through the gazetteer (names
that do not resolve are compared on their last word without its administrative suffix). Stages
rank sister_city > friendship_city > letter_of_intent = mou. Per relationship, in this order:

- `upgraded`      a higher stage was found, dated after the registry's date (or the registry
                  gives none);
- `match`         the registry's stage was found with a date within 31 days (or undated);
- `conflict`      the registry's stage was found with another date, a lower stage was found
                  dated on or after the registry's, or a higher stage dated before it;
- `registry_only` nothing of this relationship was found, or only earlier, lower steps
                  (a letter of intent before the friendship agreement) that confirm nothing;
- `found_only`    events of a relationship the registry does not list (one row, its highest
                  stage).

Events come from any source (`Finding` = event + where it was found): the CLI reads documents;
the store can supply its saved events the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from extract.records import Event
from extract.structured.registry import RegistryRow
from extract.structured.merge import name_key
from extract.structured.places import gazetteer, korean_government
from twinwatch.errors import TwinwatchError
from twinwatch.pages.files import SUPPORTED_SUFFIXES, read_file
from twinwatch.pages.records import FetchResult

STAGE_RANK = {"sister_city": 3, "friendship_city": 2, "letter_of_intent": 1, "mou": 1}
MATCH_DAYS = 31
OUTCOMES = ("match", "upgraded", "conflict", "registry_only", "found_only")


@dataclass(frozen=True, slots=True)
class Finding:
    """An extracted event and the document (path, URL or store id) it came from."""

    event: Event
    source: str


@dataclass(frozen=True, slots=True)
class ReconcileRow:
    """The outcome for one relationship, with the registry's and the found side of it."""

    outcome: str
    korean_party: str
    partner: str
    partner_country: str | None
    registry_type: str | None
    registry_date: str | None
    registry_row: int | None
    found_type: str | None
    found_date: str | None
    source: str | None
    evidence: str | None


@dataclass(frozen=True, slots=True)
class Side:
    """A place as compared: its gazetteer id when it resolves, and its name key."""

    place_id: str | None
    key: str

    def same(self, other: "Side") -> bool:
        if self.place_id and other.place_id:
            return self.place_id == other.place_id
        return bool(self.key) and self.key == other.key


def findings_from_paths(paths: Iterable[str],
                        on_error: Callable[[str, Exception], None] | None = None, *,
                        load_input: Callable[[str], FetchResult] = read_file) -> list[Finding]:
    """Events of each document (a file, a URL, or every readable file of a folder) through the
    extraction pipeline. An unreadable document goes to `on_error` and the others still count.
    `load_input` reads one source; the application passes one that fetches URLs too."""
    from extract.core import find_events
    from extract.page.reader import read_page

    findings: list[Finding] = []
    for path in paths:
        folder = Path(path)
        sources = sorted(str(p) for p in folder.iterdir() if p.suffix.lower() in SUPPORTED_SUFFIXES) \
            if folder.is_dir() else [path]
        for source in sources:
            try:
                document = read_page(load_input(source))
                findings.extend(Finding(event, source) for event in find_events(document))
            except TwinwatchError as exc:
                if on_error is None:
                    raise
                on_error(source, exc)
    return findings


def reconcile(registry: list[RegistryRow], findings: Iterable[Finding]) -> list[ReconcileRow]:
    """One row per relationship of the registry or the findings (registry order first)."""
    grouped: list[tuple[RegistryRow, list[Finding]]] = [(row, []) for row in registry]
    sides = [(_party_side(row.korean_party, row.korean_province),
              _partner_side(row.partner, row.partner_country)) for row in registry]
    unmatched: list[Finding] = []
    for finding in findings:
        found_sides = _event_sides(finding.event)
        indexes = [i for i, registered in enumerate(sides)
                   if any(_same_pair(registered, pair) for pair in found_sides)]
        if not indexes:
            unmatched.append(finding)
        for index in indexes:  # a registry listing one pair twice (우호교류, later 자매결연)
            grouped[index][1].append(finding)
    rows = [_judge(row, found) for row, found in grouped]
    rows.extend(_found_only(unmatched))
    return rows


def _same_pair(left: tuple[Side, Side], right: tuple[Side, Side]) -> bool:
    return left[0].same(right[0]) and left[1].same(right[1])


def _party_side(name: str, province: str | None) -> Side:
    government = korean_government(f"{province} {name}" if province else name) \
        or korean_government(name)
    return Side(government.place_id if government else None, name_key(name))


def _partner_side(name: str, country: str | None) -> Side:
    gaz = gazetteer()
    place_id = None
    if gaz is not None:
        try:
            candidates = gaz.lookup(name, country=country)
        except Exception:  # the gazetteer's own failures fall back to names
            candidates = []
        wanted = [c for c in candidates if not country or c.place.country == country]
        if wanted:
            place_id = wanted[0].place.id
    return Side(place_id, name_key(name))


def _event_sides(event: Event) -> list[tuple[Side, Side]]:
    """The event's (party, partner); a domestic pair also the other way round."""
    party = _party_side(event.korean_party, event.korean_province)
    partner = _partner_side(event.partner, event.partner_country)
    pairs = [(party, partner)]
    if event.partner_country == "KR":
        pairs.append((_party_side(event.partner, event.partner_province),
                      _partner_side(event.korean_party, "KR")))
    return pairs


def _days_apart(left: str, right: str) -> int | None:
    if len(left) < 10 or len(right) < 10:
        return 0 if left.startswith(right) or right.startswith(left) else None
    return abs((date.fromisoformat(left[:10]) - date.fromisoformat(right[:10])).days)


def _after(found: str | None, registered: str | None) -> bool:
    """The found date lies after the registry's (a missing registry date counts as earlier)."""
    if not found:
        return False
    return not registered or found[:len(registered)] > registered[:len(found)]


def _not_before(found: str | None, registered: str | None) -> bool:
    """A lower stage on or after the registry's date contradicts it; one before is a step
    towards it (an undated one says nothing)."""
    if not found:
        return False
    return not registered or found[:len(registered)] >= registered[:len(found)]


def _judge(row: RegistryRow, found: list[Finding]) -> ReconcileRow:
    rank = STAGE_RANK[row.agreement_type]
    by_rank = sorted(found, key=lambda f: (STAGE_RANK[f.event.agreement_type], f.event.date or ""))
    higher = [f for f in by_rank if STAGE_RANK[f.event.agreement_type] > rank]
    same = [f for f in by_rank if STAGE_RANK[f.event.agreement_type] == rank]
    lower = [f for f in by_rank if STAGE_RANK[f.event.agreement_type] < rank]
    if later_higher := [f for f in higher if _after(f.event.date, row.date)]:
        return _row("upgraded", row, later_higher[-1])
    for finding in same:
        days = _days_apart(finding.event.date, row.date) if finding.event.date and row.date else 0
        if days is not None and days <= MATCH_DAYS:
            return _row("match", row, finding)
    if same:
        return _row("conflict", row, same[0])
    if later_lower := [f for f in lower if _not_before(f.event.date, row.date)]:
        return _row("conflict", row, later_lower[-1])
    if higher:
        return _row("conflict", row, higher[-1])
    return _row("registry_only", row, None)


def _row(outcome: str, row: RegistryRow, finding: Finding | None) -> ReconcileRow:
    event = finding.event if finding else None
    return ReconcileRow(outcome, row.korean_party, row.partner, row.partner_country,
                        row.agreement_type, row.date, row.row,
                        event.agreement_type if event else None, event.date if event else None,
                        finding.source if finding else None, event.evidence if event else None)


def _found_only(findings: list[Finding]) -> list[ReconcileRow]:
    """One row per relationship only found, showing its highest (then latest) stage."""
    groups: list[tuple[tuple[Side, Side], list[Finding]]] = []
    for finding in findings:
        pair = _event_sides(finding.event)[0]
        for known, members in groups:
            if _same_pair(known, pair):
                members.append(finding)
                break
        else:
            groups.append((pair, [finding]))
    rows = []
    for _, members in groups:
        best = max(members, key=lambda f: (STAGE_RANK[f.event.agreement_type], f.event.date or ""))
        event = best.event
        rows.append(ReconcileRow("found_only", event.korean_party, event.partner, event.partner_country,
                                 None, None, None, event.agreement_type, event.date, best.source,
                                 event.evidence))
    return rows
