"""The timeline page at scale in Chromium (500 relationships on one readable page), its zoom,
tooltips, review links and Korean legend; and `stats --by … --format html`."""

from __future__ import annotations

import re

import pytest

from store.relationship_model import Relationship, Source, Step
from twinwatch.research import timeline_html
from twinwatch.research.counts import as_html, counts_by
from tests.support.review import bulk_seed

STAGES = ("letter_of_intent", "mou", "friendship_city", "sister_city")


def generated(count: int, parties: int = 100) -> list[Relationship]:
    """`count` relationships over `parties` Korean parties, each with one to four dated steps
    (some planned, some suspended) between 1995 and 2025."""
    found = []
    for index in range(count):
        steps = []
        for stage_index in range(1 + index % 4):
            year = 1995 + (index * 7 + stage_index * 4) % 30
            steps.append(Step(kind="agreement", stage=STAGES[stage_index],
                              date=f"{year}-{1 + index % 12:02d}-{1 + index % 27:02d}",
                              status="planned" if index % 9 == 0 and stage_index == 0 else "signed",
                              origin="event", event_id=index * 4 + stage_index + 1,
                              review_state="new", evidence="협약을 맺었다.",
                              sources=(Source(f"https://news.example.kr/{index}/{stage_index}", "기사"),)))
        if index % 17 == 0:
            steps.append(Step(kind="state", stage="suspended", date="2024-03", status=None, origin="note"))
        found.append(Relationship(
            key=f"k{index}", korean_party=f"가{index % parties:03d}시", korean_province=None,
            partner=f"상대{index}시", partner_country=("CN", "JP", "VN", "US")[index % 4],
            partner_region=None, domestic=False, stage="sister_city", state="active",
            state_date=None, steps=tuple(steps)))
    return found


def open_page(browser, path, width=1366):
    context = browser.new_context(viewport={"width": width, "height": 900}, offline=True)
    page = context.new_page()
    page.goto(path.as_uri())
    return context, page


def test_500_relationships_fit_one_page_at_1366(browser, tmp_path):
    chosen = generated(500)
    target = tmp_path / "all.html"
    target.write_text(timeline_html.render(chosen, "교류 관계 연표", "http://127.0.0.1:8080"),
                      encoding="utf-8")
    context, page = open_page(browser, target)
    size = page.evaluate("() => ({scroll: document.documentElement.scrollWidth, "
                         "width: window.innerWidth, height: document.documentElement.scrollHeight})")
    assert size["scroll"] <= size["width"], size  # no horizontal scroll
    assert size["height"] <= 8000, size
    print(f"\n500 relationships: page {size['height']} px high at 1366 px")
    assert page.locator("#timeline-chart .lane").count() == 500
    assert page.locator("#timeline-chart .party").count() == 100
    marks = page.locator("#timeline-chart .mark")
    assert marks.count() == sum(1 for r in chosen for s in r.steps if s.date)
    chart = page.locator("#timeline-chart").bounding_box()
    mark = marks.first.bounding_box()
    assert mark["width"] >= 3 and chart["x"] + chart["width"] <= 1366  # visible markers, in view
    assert page.locator("details.party-chronology").count() == 100
    context.close()


def test_tooltips_links_legend_and_yearly_ticks(tmp_path):
    page = timeline_html.render(generated(40, parties=8), "연표", "http://127.0.0.1:8080")
    assert re.search(r"<title>가000시 — 상대0시 \(중국\): 의향서 예정 \d{4}-\d{2}-\d{2}</title>", page)
    assert '<a href="http://127.0.0.1:8080/events/1">' in page
    legend = re.search(r'<p class="legend">(.*?)</p>', page).group(1)
    assert [label for label in re.findall(r"</i>([^<]+)</span>", legend)] == [
        "자매결연", "우호도시", "의향서", "MOU", "중단", "종료", "재개"]
    assert not re.search(r"[A-Za-z_]{4,}", re.sub(r"<[^>]+>", "", legend))  # no English codes
    assert 'class="tick year"' in page and 'class="tick month"' not in page
    assert "/events/" not in timeline_html.render(generated(5, parties=2), "연표")  # no base URL


def test_zoomed_period_has_monthly_ticks(browser, tmp_path):
    page_text = timeline_html.render(generated(60, parties=10), "연표", "", "2023-01", "2024-06")
    ticks = re.findall(r'class="tick (year|month)"[^>]*>([^<]+)<', page_text)
    assert ("year", "2024") in ticks and ("month", "2월") in ticks
    # Feb 2023 … Jul 2024 (the end of June) but Jan 2024, which is the year's tick
    assert len([t for t in ticks if t[0] == "month"]) == 17
    target = tmp_path / "zoom.html"
    target.write_text(page_text, encoding="utf-8")
    context, page = open_page(browser, target)
    xs = [box["x"] for box in (page.locator("#timeline-chart .mark").nth(i).bounding_box()
                               for i in range(page.locator("#timeline-chart .mark").count()))]
    chart = page.locator("#timeline-chart").bounding_box()
    assert xs and all(chart["x"] <= x <= chart["x"] + chart["width"] for x in xs)  # only the period
    context.close()


def test_stats_counts_and_html_chart(tmp_path, browser):
    rows = bulk_seed(tmp_path / "s.db", 300)
    from store import Store
    with Store(tmp_path / "s.db") as store:
        by_type = counts_by(store.db, "type")
        by_year = counts_by(store.db, "year")
        by_province = counts_by(store.db, "province")
    kept = [r for r in rows if r["review_state"] != "rejected"]
    assert {c.code: c.events for c in by_type} == {
        t: sum(1 for r in kept if r["agreement_type"] == t) for t in {r["agreement_type"] for r in kept}}
    assert [c.code for c in by_year] == sorted(c.code for c in by_year)
    assert sum(c.events for c in by_province) == len(kept)
    assert by_province[0].name in ("경상남도", "경기도", "전북특별자치도", "강원특별자치도", "경상북도",
                                   "제주특별자치도")
    target = tmp_path / "types.html"
    target.write_text(as_html("type", by_type), encoding="utf-8")
    context, page = open_page(browser, target)
    bars = page.locator("td.bar span")
    widths = [bars.nth(i).bounding_box()["width"] for i in range(bars.count())]
    assert len(widths) == 4 and widths == sorted(widths, reverse=True) and widths[0] > 100
    assert page.inner_text("h1") == "유형별 협약 수"
    context.close()


@pytest.mark.parametrize("dimension", ["year", "type", "country", "province"])
def test_stats_html_through_the_cli(tmp_path, dimension):
    from click.testing import CliRunner

    from twinwatch.app.cli import cli
    bulk_seed(tmp_path / "c.db", 50)
    target = tmp_path / f"{dimension}.html"
    result = CliRunner().invoke(cli, ["stats", "--by", dimension, "--db", str(tmp_path / "c.db"),
                                      "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert 'id="counts"' in target.read_text(encoding="utf-8")
