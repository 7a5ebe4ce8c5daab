"""The Korean review page in headless Chromium: pager, selection kept by event id, next/previous
with j/k, marked field spans, and the layout at 1366 and 800 px (asserted on boxes, not pixels).

Skipped where Chromium is missing, except under CI=true, where that is a failure."""

from __future__ import annotations

import re

import pytest

from extract.records import Event
from store import Store
from tests.support.review import (PASSWORD, bulk_seed, live_server, review_config, save_one,
                                  seed)

# Latin words a label may hold: the agreement type MOU, the product's name, the Esc key, and
# the example country code the "국가 코드" field's placeholder gives.
ALLOWED_LATIN = {"MOU", "twinwatch", "Esc", "CN"}
# Text inside these holds stored values (names, evidence, URLs, codes), not labels.
VALUE_SELECTOR = ".v, code, kbd, .url, .code, script, style"

VISIBLE_LABELS = """(valueSelector) => {
  const shown = (el) => { const s = getComputedStyle(el);
    return el.getClientRects().length > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
  const texts = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const parent = walker.currentNode.parentElement;
    if (parent && !parent.closest(valueSelector) && shown(parent)) texts.push(walker.currentNode.nodeValue);
  }
  for (const el of document.querySelectorAll('[placeholder], [title], option')) {
    if (el.closest(valueSelector) || !(el.tagName === 'OPTION' || shown(el))) continue;
    texts.push(el.getAttribute('placeholder') || '', el.getAttribute('title') || '',
               el.tagName === 'OPTION' ? el.textContent : '');
  }
  return texts.join(' ');
}"""

LAYOUT = """() => {
  const lines = (el) => { const range = document.createRange(); range.selectNodeContents(el);
    return new Set(Array.from(range.getClientRects()).filter((r) => r.width > 0)
                   .map((r) => Math.round(r.bottom))).size; };
  const broken = (selector) => Array.from(document.querySelectorAll(selector))
    .filter((el) => el.getClientRects().length && el.textContent.trim() && lines(el) > 1)
    .map((el) => el.textContent.trim());
  return {scrollWidth: document.documentElement.scrollWidth, width: window.innerWidth,
          brokenDates: broken('.date'), brokenNames: broken('td.name')};
}"""


def log_in(page, base: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=name]", "alice")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("form.login button[type=submit]")


def new_page(browser, width: int = 1366):
    context = browser.new_context(locale="ko-KR", viewport={"width": width, "height": 900})
    return context, context.new_page()


def selected_id(page) -> int:
    return int(page.get_attribute("tr.selected", "data-id"))


def test_pager_counts_and_pages(browser, tmp_path):
    database = tmp_path / "pager.db"
    bulk_seed(database, 120)
    context, page = new_page(browser)
    with live_server(database, review_config(page_size=50)) as base:
        page.goto(base + "/?state=all")
        assert page.inner_text("#pager-top .count") == "120건 중 1–50"
        with page.expect_navigation():
            page.click("#pager-top a.next")
        assert page.inner_text("#pager-top .count") == "120건 중 51–100"
        assert page.locator("[data-event-row]").count() == 50
        with page.expect_navigation():
            page.click("#pager-bottom a.last")
        assert page.inner_text("#pager-top .where") == "3 / 3쪽"
        assert page.inner_text("#pager-top .count") == "120건 중 101–120"
        page.select_option("select[name=agreement_type]", "mou")  # a filter: counts follow it
        with page.expect_navigation():
            page.click("#filters button[type=submit]")
        assert page.inner_text("#pager-top .count") == "30건 중 1–30"
        assert page.locator("#pager-top a.next").count() == 0
    context.close()


def test_selection_is_kept_by_event_id(browser, tmp_path):
    database = seed(tmp_path / "select.db", 24)
    context, page = new_page(browser)
    with live_server(database, review_config()) as base:
        log_in(page, base)
        page.goto(base + "/?state=new")
        for _ in range(3):
            page.keyboard.press("j")
        chosen = selected_id(page)
        with Store(database) as store:
            event = store.event(chosen)
            others = [e for e in store.events() if e["partner_country"] != event["partner_country"]]
        page.goto(base + f"/?state=new&country={event['partner_country']}")  # still listed: kept
        assert selected_id(page) == chosen
        rows = page.locator("[data-event-row]").count()
        assert rows > 1 and page.locator("tr.selected").count() == 1
        page.goto(base + f"/?state=new&country={others[0]['partner_country']}")  # not listed
        first = int(page.get_attribute("[data-event-row] >> nth=0", "data-id"))
        assert selected_id(page) == first  # the first row, not the fourth by position
        page.goto(base + "/?state=new")
        page.keyboard.press("j")
        decided, after = selected_id(page), int(page.get_attribute("[data-event-row] >> nth=2", "data-id"))
        with page.expect_navigation():
            page.keyboard.press("c")  # confirmed: it leaves the list, the one after it is selected
        assert selected_id(page) == after
        with Store(database) as store:
            assert store.event(decided)["review_state"] == "confirmed"
    context.close()


def test_next_and_previous_with_j_and_k(browser, tmp_path):
    database = seed(tmp_path / "walk.db", 12)
    context, page = new_page(browser)
    with live_server(database, review_config()) as base:
        page.goto(base + "/?state=new&agreement_type=sister_city")
        order = [int(i) for i in page.eval_on_selector_all(
            "[data-event-row]", "rows => rows.map(r => r.getAttribute('data-id'))")]
        assert len(order) == 3
        with page.expect_navigation():
            page.click(f"[data-event-row][data-id='{order[0]}'] a")
        assert page.locator("#prev-event").count() == 0
        with page.expect_navigation():
            page.keyboard.press("j")
        assert re.search(rf"/events/{order[1]}\?", page.url)
        with page.expect_navigation():
            page.keyboard.press("j")
        assert re.search(rf"/events/{order[2]}\?", page.url) and page.locator("#next-event").count() == 0
        with page.expect_navigation():
            page.keyboard.press("k")
        assert re.search(rf"/events/{order[1]}\?", page.url)
        with page.expect_navigation():
            page.click("#back-link")
        assert page.url.endswith("/?state=new&agreement_type=sister_city")
    context.close()


def spans_store(path):
    text = ("머리말.\n창원시는 2023년 5월 일본 구마모토시와 자매결연 협약을 맺었다.\n"
            + "양 도시는 교류를 넓혀 나갈 계획이다. " * 80)
    sentence = text.split("\n")[1]
    start = text.index(sentence)
    words = {"korean_party": "창원시", "date": "2023년 5월", "partner": "구마모토시",
             "agreement_type": "자매결연"}
    spans = {name: (text.index(word), text.index(word) + len(word)) for name, word in words.items()}
    event = Event(korean_party="창원시", partner="구마모토시", partner_country="JP",
                  agreement_type="sister_city", status="signed", evidence=sentence,
                  evidence_span=(start, start + len(sentence)), date="2023-05", confidence=0.01,
                  field_spans=spans, why=("날짜가 월까지만 나옴",))
    seed(path, 6)
    with Store(path, keep_raw=True) as store:
        save_one(store, "https://news.example.kr/marks", text, [event])
        event_id = max(e["id"] for e in store.events())
    return event_id, words, sentence


def test_marked_spans_beside_the_fields(browser, tmp_path):
    event_id, words, sentence = spans_store(tmp_path / "marks.db")
    context, page = new_page(browser, 1366)
    with live_server(tmp_path / "marks.db", review_config()) as base:
        page.goto(f"{base}/events/{event_id}")
        assert page.inner_text("mark#evidence") == sentence
        for name, word in words.items():
            mark = page.locator(f"mark#evidence mark[data-field={name}]")
            assert mark.inner_text() == word
            assert mark.evaluate("m => getComputedStyle(m).backgroundColor") != \
                page.locator("mark#evidence").evaluate("m => getComputedStyle(m).backgroundColor")
        fields = page.locator("#fields-col").bounding_box()
        document = page.locator("#doc-col").bounding_box()
        assert document["x"] >= fields["x"] + fields["width"]  # two columns
        assert document["y"] < 300  # the document starts at the top, not below the fold
        evidence = page.locator("mark#evidence").bounding_box()
        assert 0 <= evidence["y"] < 900  # visible without scrolling
    context.close()


PAGES = ("/?state=all", "/events/{event}", "/documents", "/documents/1", "/login")


@pytest.mark.parametrize("width", [1366, 800])
def test_korean_labels_and_layout(browser, tmp_path, width):
    event_id, _words, _sentence = spans_store(tmp_path / "labels.db")
    context, page = new_page(browser, width)
    with live_server(tmp_path / "labels.db", review_config()) as base:
        log_in(page, base)
        for path in PAGES:
            page.goto(base + path.format(event=event_id))
            labels = page.evaluate(VISIBLE_LABELS, VALUE_SELECTOR)
            latin = set(re.findall(r"[A-Za-z]+", labels)) - ALLOWED_LATIN
            assert not latin, f"{path} at {width}px shows Latin labels: {sorted(latin)}"
            layout = page.evaluate(LAYOUT)
            assert layout["scrollWidth"] <= layout["width"], f"{path} scrolls sideways at {width}px"
            assert layout["brokenDates"] == [], f"{path}: dates broken at {width}px"
            assert layout["brokenNames"] == [], f"{path}: names broken at {width}px"
        page.goto(f"{base}/events/{event_id}")
        fields = page.locator("#fields-col").bounding_box()
        document = page.locator("#doc-col").bounding_box()
        if width >= 1200:
            assert document["x"] >= fields["x"] + fields["width"]
        else:  # one column: the document under the fields
            assert document["y"] >= fields["y"] + fields["height"]
        assert page.inner_text("#field-agreement_type") == "자매결연"
        assert page.inner_text("h1 .state") == "검토 전"
    context.close()
