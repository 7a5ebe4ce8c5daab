"""`twinwatch export`: relationships and events as CSV, JSON or GeoJSON.

GeoJSON (RFC 7946): coordinates are [longitude, latitude]. One LineString per relationship
from the Korean party to the partner (a MultiLineString cut at the antimeridian when the
shorter way crosses it, as RFC 7946 section 3.1.9 asks), and one Point per place. Coordinates
come from the gazetteer: the event's place ids, else a look-up of the name. Many Korean 기초
governments have no coordinates in it; they take their province's (parent's), and the
feature says so in `party_coordinates` / `partner_coordinates`: own | area (a province
without coordinates: the mean of its places) | parent | parent_area (the mean of the
parent's places) | same_name (a same-named place of that country: 가고시마현 → 가고시마시).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

from store.relationship_model import Relationship

RELATIONSHIP_COLUMNS = ("id", "korean_party", "korean_province", "partner", "partner_country",
                        "partner_region", "domestic", "stage", "state", "state_date",
                        "first_date", "last_date", "steps", "event_ids")
EVENT_COLUMNS = ("id", "review_state", "korean_party", "korean_province", "partner",
                 "partner_canonical", "partner_country", "partner_region", "partner_province",
                 "agreement_type", "date", "status", "confidence", "evidence", "first_seen",
                 "source_urls", "relationship")


def relationship_row(relationship: Relationship) -> dict[str, Any]:
    data = relationship.to_dict()
    row = {name: data.get(name) for name in RELATIONSHIP_COLUMNS}
    row.update(id=relationship.key, domestic=int(relationship.domestic),
               steps=len(relationship.steps), event_ids=" ".join(map(str, relationship.event_ids)))
    return row


def events_with_relationship(events: list[dict[str, Any]],
                             found: list[Relationship]) -> list[dict[str, Any]]:
    """Events (as `Store.events` gives them) with the key of the relationship each belongs to."""
    owner = {event_id: r.key for r in found for event_id in r.event_ids}
    return [{**event, "relationship": owner.get(event["id"])} for event in events]


def as_csv(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: " ".join(map(str, v)) if isinstance(v, list) else v
                         for k, v in row.items() if k in columns})
    return out.getvalue()


def as_json(found: list[Relationship], events: list[dict[str, Any]]) -> str:
    return json.dumps({"relationships": [r.to_dict() for r in found], "events": events},
                      ensure_ascii=False, indent=1)


# ---------------------------------------------------------------- GeoJSON

@dataclass(frozen=True, slots=True)
class Located:
    name: str
    place_id: str | None
    lon: float
    lat: float
    taken_from: str  # own | area | parent | parent_area | same_name (see `locate`)


def locate(gazetteer: Any, place_id: str | None, name: str, country: str | None,
           province: str | None = None) -> Located | None:
    """Where a side of a relationship is: the identified place's own coordinates, else an
    ancestor's, else the mean of its own or an ancestor's places; else a same-named place of
    the same country that has coordinates (가고시마현 → 가고시마시)."""
    identified = None
    if place_id:
        try:
            identified = gazetteer.get(place_id)
        except KeyError:
            identified = None
    if identified is None:
        candidates = gazetteer.lookup(name, country=country, province=province, limit=1)
        identified = candidates[0].place if candidates else None
    if identified is None:
        return None
    found = _structural(gazetteer, identified, name)
    if found is not None:
        return found
    for candidate in gazetteer.lookup(name, country=country, province=province, limit=5):
        place = candidate.place
        if place.lat is not None and place.lon is not None \
                and (not country or place.country == country.upper()):
            return Located(name, identified.id, place.lon, place.lat, "same_name")
    return None


def _structural(gazetteer: Any, place: Any, name: str) -> Located | None:
    if place.lat is not None and place.lon is not None:
        return Located(name, place.id, place.lon, place.lat, "own")
    centre = _centre_of_children(gazetteer, place.id)
    if centre is not None:  # a province without coordinates: the mean of its places
        return Located(name, place.id, centre[0], centre[1], "area")
    parent_id = place.parent_id
    for _ in range(3):  # 구 → 시 → 도: the nearest ancestor that has coordinates
        if not parent_id:
            break
        try:
            parent = gazetteer.get(parent_id)
        except KeyError:
            break
        if parent.lat is not None and parent.lon is not None:
            return Located(name, place.id, parent.lon, parent.lat, "parent")
        centre = _centre_of_children(gazetteer, parent_id)
        if centre is not None:  # some provinces lack coordinates too: the mean of their places
            return Located(name, place.id, centre[0], centre[1], "parent_area")
        parent_id = parent.parent_id
    return None


_CENTRES: dict[tuple[int, str], tuple[float, float] | None] = {}


def _centre_of_children(gazetteer: Any, parent_id: str) -> tuple[float, float] | None:
    """The mean [lon, lat] of the current places under `parent_id` that have coordinates."""
    key = (id(gazetteer), parent_id)
    if key not in _CENTRES:
        located = [(p.lon, p.lat) for p in gazetteer if p.parent_id == parent_id
                   and p.lat is not None and p.lon is not None and p.valid_to is None]
        _CENTRES[key] = (round(sum(x for x, _ in located) / len(located), 4),
                         round(sum(y for _, y in located) / len(located), 4)) if located else None
    return _CENTRES[key]


def line_geometry(start: Located, end: Located) -> dict[str, Any]:
    """A LineString, or a MultiLineString split at ±180° when the short way crosses it."""
    a, b = [start.lon, start.lat], [end.lon, end.lat]
    if abs(b[0] - a[0]) <= 180:
        return {"type": "LineString", "coordinates": [a, b]}
    east = 180.0 if a[0] > 0 else -180.0
    shifted = b[0] + (360 if a[0] > 0 else -360)  # b's longitude on a's side of the line
    share = (east - a[0]) / (shifted - a[0])
    lat = round(a[1] + share * (b[1] - a[1]), 6)
    return {"type": "MultiLineString", "coordinates": [[a, [east, lat]], [[-east, lat], b]]}


def as_geojson(found: list[Relationship], gazetteer: Any) -> dict[str, Any]:
    features: list[dict[str, Any]] = []
    points: dict[str, dict[str, Any]] = {}
    unplaced: list[str] = []
    for relationship in found:
        party = locate(gazetteer, relationship.place_ids.get("korean_party"),
                       relationship.korean_party, "KR", relationship.korean_province)
        partner = locate(gazetteer, relationship.place_ids.get("partner"), relationship.partner,
                         relationship.partner_country, relationship.partner_province)
        if party is None or partner is None:
            unplaced.append(relationship.key)
            continue
        features.append({"type": "Feature", "geometry": line_geometry(party, partner),
                         "properties": _line_properties(relationship, party, partner)})
        for role, located in (("korean_party", party), ("partner", partner)):
            key = located.place_id or located.name
            point = points.setdefault(key, {"type": "Feature", "geometry": {
                "type": "Point", "coordinates": [located.lon, located.lat]}, "properties": {
                "kind": "place", "name": located.name, "place_id": located.place_id,
                "coordinates": located.taken_from, "roles": [], "relationships": 0}})
            if role not in point["properties"]["roles"]:
                point["properties"]["roles"].append(role)
            point["properties"]["relationships"] += 1
    # `unplaced` is a foreign member (RFC 7946 §6.1): relationships no coordinates were found for
    return {"type": "FeatureCollection", "features": features + list(points.values()),
            "unplaced": unplaced}


def _line_properties(relationship: Relationship, party: Located,
                     partner: Located) -> dict[str, Any]:
    return {"kind": "relationship", "id": relationship.key,
            "korean_party": relationship.korean_party, "partner": relationship.partner,
            "partner_country": relationship.partner_country, "domestic": relationship.domestic,
            "stage": relationship.stage, "state": relationship.state,
            "first_date": relationship.first_date, "last_date": relationship.last_date,
            "steps": len(relationship.steps),
            "party_coordinates": party.taken_from, "partner_coordinates": partner.taken_from}
