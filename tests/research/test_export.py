"""`twinwatch export`: GeoJSON validity (RFC 7946 structure, [lon, lat] order and ranges, the
antimeridian, the parent's coordinates for a 구 without its own), CSV and JSON."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from extract.gazetteer import load_gazetteer
from store import Store
from tests.support.store import make_event, save_page
from twinwatch.app.cli import cli
from twinwatch.research.export import Located, line_geometry, locate


@pytest.fixture
def database(tmp_path):
    path = tmp_path / "export.db"
    with Store(path) as store:
        save_page(store, "http://a.test/1", [make_event(agreement_type="letter_of_intent",
                                                        date="2001-03-05")])
        save_page(store, "http://a.test/2", [make_event(agreement_type="sister_city",
                                                        date="2008-10-01")])
        save_page(store, "http://a.test/3", [make_event(
            korean_party="종로구", korean_province="서울특별시", partner="로스앤젤레스",
            partner_country="US", agreement_type="friendship_city", date="2015")])
        save_page(store, "http://a.test/4", [make_event(
            korean_party="시흥시", partner="안산시", partner_country="KR", agreement_type="mou",
            date="2020-01-15")])
        save_page(store, "http://a.test/5", [make_event(
            partner="어딘지모를시", partner_country="ZZ", agreement_type="mou", date="2021")])
    return path


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def positions(geometry: dict) -> list[list[float]]:
    if geometry["type"] == "Point":
        return [geometry["coordinates"]]
    if geometry["type"] == "LineString":
        return geometry["coordinates"]
    assert geometry["type"] == "MultiLineString"
    return [p for line in geometry["coordinates"] for p in line]


def test_geojson_is_a_valid_feature_collection(database):
    collection = json.loads(run("export", "--format", "geojson", "--db", str(database)))
    assert collection["type"] == "FeatureCollection"
    lines = [f for f in collection["features"] if f["properties"]["kind"] == "relationship"]
    points = [f for f in collection["features"] if f["properties"]["kind"] == "place"]
    assert len(lines) == 3 and len(points) == 5
    for feature in collection["features"]:
        assert feature["type"] == "Feature" and set(feature) == {"type", "geometry", "properties"}
        for lon, lat in positions(feature["geometry"]):
            assert -180 <= lon <= 180 and -90 <= lat <= 90
    assert collection["unplaced"] == ["안산>어딘지모를"]


def test_lines_run_from_party_to_partner_in_lon_lat_order(database):
    collection = json.loads(run("export", "--format", "geojson", "--db", str(database)))
    line = next(f for f in collection["features"] if f["properties"].get("partner") == "훈춘시")
    (party_lon, party_lat), (partner_lon, partner_lat) = line["geometry"]["coordinates"]
    ansan, hunchun = load_gazetteer().get("kr:41270"), load_gazetteer().lookup("훈춘", country="CN")[0].place
    assert (party_lon, party_lat) == (ansan.lon, ansan.lat)  # longitude first: 126.8, 37.3
    assert (partner_lon, partner_lat) == (hunchun.lon, hunchun.lat)
    assert 124 < party_lon < 132 and 33 < party_lat < 39
    assert line["properties"]["stage"] == "sister_city" and line["properties"]["steps"] == 2


def test_a_gu_without_coordinates_takes_its_provinces(database):
    collection = json.loads(run("export", "--format", "geojson", "--db", str(database)))
    line = next(f for f in collection["features"] if f["properties"].get("korean_party") == "종로구")
    seoul = load_gazetteer().get("kr:11000")
    assert line["properties"]["party_coordinates"] == "parent"
    assert positions(line["geometry"])[0] == [seoul.lon, seoul.lat]
    # Seoul to Los Angeles: the short way crosses the antimeridian, so the line is cut there
    assert line["geometry"]["type"] == "MultiLineString"
    first, second = line["geometry"]["coordinates"]
    assert first[-1][0] == 180.0 and second[0][0] == -180.0 and first[-1][1] == second[0][1]


def test_domestic_lines_and_points():
    gazetteer = load_gazetteer()
    siheung = locate(gazetteer, None, "시흥시", "KR", "경기도")
    # 시흥시 has no point of its own; 경기도 is drawn at its largest city, and 시흥시 at 경기도
    assert siheung is not None and siheung.taken_from == "parent"
    assert 126 < siheung.lon < 128 and 36.5 < siheung.lat < 38.5
    assert locate(gazetteer, None, "어딘지모를시", "ZZ") is None


@pytest.mark.parametrize("start, end, kind", [
    ((126.9, 37.5), (139.7, 35.7), "LineString"),
    ((126.9, 37.5), (-118.2, 34.0), "MultiLineString"),
    ((-118.2, 34.0), (126.9, 37.5), "MultiLineString"),
    ((2.35, 48.85), (-3.7, 40.4), "LineString"),
])
def test_antimeridian_split(start, end, kind):
    geometry = line_geometry(Located("a", None, *start, "own"), Located("b", None, *end, "own"))
    assert geometry["type"] == kind
    points = positions(geometry)
    assert points[0] == list(start) and points[-1] == list(end)
    for (lon_a, _), (lon_b, _) in zip(points, points[1:]):
        assert abs(lon_b - lon_a) <= 180 or {lon_a, lon_b} == {180.0, -180.0}


def test_csv_of_relationships_and_events(database):
    text = run("export", "--db", str(database))  # csv by default, with a byte-order mark
    assert text.startswith("\ufeffid,")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert len(rows) == 4
    hunchun = next(r for r in rows if r["partner"] == "훈춘시")
    assert (hunchun["stage"], hunchun["first_date"], hunchun["steps"]) == ("sister_city", "2001-03-05", "2")
    events = list(csv.DictReader(io.StringIO(run("export", "--format", "csv", "--table", "events",
                                                 "--no-bom", "--db", str(database)))))
    assert len(events) == 5 and events[0]["relationship"] == hunchun["id"]
    assert events[0]["source_urls"] == "http://a.test/1"


def test_json_holds_relationships_and_events(database, tmp_path):
    target = tmp_path / "all.json"
    run("export", "--format", "json", "--db", str(database), "--output", str(target))
    data = json.loads(target.read_text(encoding="utf-8"))
    assert len(data["relationships"]) == 4 and len(data["events"]) == 5
    domestic = next(r for r in data["relationships"] if r["domestic"])
    assert domestic["partner_country"] == "KR"
