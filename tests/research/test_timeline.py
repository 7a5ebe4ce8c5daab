"""`twinwatch timeline` in each format, the HTML in a real headless Chromium (offline, chart
drawn, no request leaving the page). Chromium tests skip where it is missing, unless CI=true."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from store import Store
from tests.support.store import make_event, save_page
from twinwatch.app.cli import cli

STEPS = (("letter_of_intent", "2001-03-05"), ("friendship_city", "2003-05-10"),
         ("sister_city", "2008-10-01"))


@pytest.fixture
def database(tmp_path):
    path = tmp_path / "timeline.db"
    with Store(path) as store:
        for number, (kind, day) in enumerate(STEPS, start=1):
            save_page(store, f"http://news.test/{number}", [make_event(agreement_type=kind, date=day)],
                      published=day)
        save_page(store, "http://news.test/plan", [make_event(
            partner="타이베이시", partner_country="TW", agreement_type="sister_city",
            status="planned", date="2024-06-20")])
        save_page(store, "http://news.test/stop", [],
                  text="경기 안산시는 중국 훈춘시와의 교류를 <전면> 중단했다고 밝혔다.",
                  published="2017-03-02")
        save_page(store, "http://other.test/1", [make_event(korean_party="수원시", partner="하노이시",
                                                            partner_country="VN", date="2012")])
    return path


def run(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_json_has_each_relationship_with_steps_and_sources(database):
    found = json.loads(run("timeline", "안산시", "--db", str(database), "--format", "json"))
    assert [(r["partner"], r["state"]) for r in found] == [("훈춘시", "suspended"),
                                                           ("타이베이시", "planned")]
    tie = found[0]
    assert [(s["stage"], s["date"]) for s in tie["steps"]] == [*STEPS, ("suspended", "2017-03-02")]
    assert [s["sources"][0]["url"] for s in tie["steps"]] == [
        "http://news.test/1", "http://news.test/2", "http://news.test/3", "http://news.test/stop"]
    assert tie["stage"] == "sister_city" and tie["event_ids"] == [1, 2, 3]


def test_a_partner_name_selects_its_relationships(database):
    found = json.loads(run("timeline", "하노이", "--db", str(database), "--format", "json"))
    assert [(r["korean_party"], r["partner"]) for r in found] == [("수원시", "하노이시")]
    everything = json.loads(run("timeline", "--db", str(database), "--format", "json"))
    assert len(everything) == 3


def test_csv_has_one_row_per_step(database):
    rows = list(csv.DictReader(io.StringIO(run("timeline", "훈춘시", "--db", str(database),
                                                "--format", "csv"))))
    assert [(r["step_date"], r["step"], r["origin"]) for r in rows] == [
        ("2001-03-05", "letter_of_intent", "event"), ("2003-05-10", "friendship_city", "event"),
        ("2008-10-01", "sister_city", "event"), ("2017-03-02", "suspended", "note")]
    assert rows[1]["sources"] == "http://news.test/2" and rows[0]["state"] == "suspended"


def test_table_lists_dates_steps_and_sources(database):
    output = run("timeline", "안산시", "--db", str(database), "--format", "table")
    for expected in ("안산시 — 훈춘시", "2003-05-10", "우호", "http://news.test/3", "자매 (예정)"):
        assert expected in output


def test_unknown_name_is_a_clear_error(database):
    result = CliRunner().invoke(cli, ["timeline", "오사카", "--db", str(database)])
    assert result.exit_code == 1 and "no relationship of 오사카" in result.output


def test_html_is_self_contained_and_escaped(database, tmp_path):
    target = tmp_path / "t.html"
    run("timeline", "안산시", "--db", str(database), "--output", str(target))
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and 'id="timeline-chart"' in page
    for external in ("<script src", "<link", "<img", "@import", "url("):
        assert external not in page
    assert "&lt;전면&gt;" in page and "<전면>" not in page




def test_html_chart_renders_offline_in_chromium(browser, database, tmp_path):
    target = tmp_path / "timeline.html"
    run("timeline", "안산시", "--db", str(database), "--format", "html", "--output", str(target))
    context = browser.new_context(offline=True)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(target.as_uri())
    chart = page.locator("#timeline-chart")
    assert chart.count() == 1
    box = chart.bounding_box()
    assert box is not None and box["width"] > 500 and box["height"] > 50
    marks = page.locator("#timeline-chart .mark")
    assert marks.count() == 5  # three agreements, the suspension, the planned tie
    stages = [marks.nth(i).get_attribute("data-stage") for i in range(marks.count())]
    assert stages.count("sister_city") == 2 and "suspended" in stages
    first = marks.first.bounding_box()
    assert first is not None and first["width"] > 0
    lanes = page.locator("#timeline-chart .lane")
    assert lanes.count() == 2
    for index in range(2):  # later steps further right on their lane
        lane_marks = lanes.nth(index).locator(".mark")
        positions = [lane_marks.nth(i).bounding_box()["x"] for i in range(lane_marks.count())]
        assert positions == sorted(positions)
    assert max(lanes.nth(i).locator(".mark").count() for i in range(2)) >= 3
    assert requests == [target.as_uri()], requests
    context.close()


def test_demo_busiest_party_renders_in_every_format(browser, tmp_path):
    from twinwatch.app.demo.run import run_demo
    from twinwatch.research.timeline import busiest_party
    demo = run_demo(tmp_path / "demo")
    with Store(demo.database) as store:
        party = busiest_party(store.relationships())
    assert party is not None
    database = str(demo.database)
    found = json.loads(run("timeline", party, "--db", database, "--format", "json"))
    assert len(found) >= 2 and all(r["steps"] and r["steps"][0]["sources"] for r in found)
    rows = list(csv.DictReader(io.StringIO(run("timeline", party, "--db", database, "--format", "csv"))))
    assert len(rows) == sum(len(r["steps"]) for r in found)
    assert party in run("timeline", party, "--db", database, "--format", "table")
    target = tmp_path / "busiest.html"
    run("timeline", party, "--db", database, "--output", str(target))
    context = browser.new_context(offline=True)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(target.as_uri())
    dated = sum(1 for r in found for s in r["steps"] if s["date"])
    assert page.locator("#timeline-chart .mark").count() == dated > 0
    assert requests == [target.as_uri()]
    context.close()


@pytest.mark.parametrize("state, when, today, text", [
    ("planned", "2019-06-20", "2024-01-01", "planned 2019-06-20, never signed"),
    ("planned", "2030-06", "2024-01-01", "planned for 2030-06"),
    ("planned", "2024", "2024-05-01", "planned for 2024"),
    ("planned", None, "2024-05-01", "planned"),
    ("suspended", "2017-03", "2024-05-01", "suspended since 2017-03"),
])
def test_state_text(state, when, today, text):
    from store.relationship_model import Relationship
    from twinwatch.research.timeline import state_text
    relationship = Relationship(key="k", korean_party="a", korean_province=None, partner="b",
                                partner_country="CN", partner_region=None, domestic=False,
                                stage=None, state=state, state_date=when, steps=())
    assert state_text(relationship, today) == text
