"""The review page's queue, pager, filters, neighbours, marks and document list, through Flask's
test client over real SQLite files (the browser behaviours are in test_browser.py)."""

from __future__ import annotations

import re

import pytest

from extract.records import Event
from review.app import create_app
from review.queue import QueueFilter, neighbours
from store import Store
from tests.support.review import bulk_seed, csrf_of, review_config, save_one, seed

ROW_ID = re.compile(r'data-event-row data-id="(\d+)"')
COUNT = re.compile(r'id="pager-top".*?<span class="count">(\d+)건 중 <span class="nowrap">(\d+)–(\d+)</span>',
                   re.S)
PAGES = re.compile(r'<span class="where">(\d+) / (\d+)쪽</span>')


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    path = tmp_path_factory.mktemp("queue") / "queue.db"
    return path, bulk_seed(path, 2000)


def expected_ids(rows, keep) -> list[int]:
    chosen = [row for row in rows if keep(row)]
    return [row["id"] for row in sorted(chosen, key=lambda r: (r["confidence"] or 0, r["id"]))]


FILTERS = [
    ({"state": "all"}, lambda r: True),
    ({}, lambda r: r["review_state"] == "new"),
    ({"state": "confirmed"}, lambda r: r["review_state"] == "confirmed"),
    ({"state": "corrected"}, lambda r: r["review_state"] == "corrected"),
    ({"state": "rejected"}, lambda r: r["review_state"] == "rejected"),
    ({"state": "all", "country": "JP"}, lambda r: r["partner_country"] == "JP"),
    ({"state": "all", "agreement_type": "mou"}, lambda r: r["agreement_type"] == "mou"),
    ({"state": "all", "party": "경남"}, lambda r: r["korean_province"] == "경상남도"),
    ({"state": "all", "party": "창원"}, lambda r: r["korean_party"] == "창원시"),
    ({"state": "all", "date_from": "2015", "date_to": "2018-06"},
     lambda r: "2015" <= r["date"] <= "2018-06\uffff"),
    ({"state": "new", "party": "경기", "agreement_type": "sister_city", "country": "CN"},
     lambda r: (r["review_state"], r["korean_province"], r["agreement_type"], r["partner_country"])
     == ("new", "경기도", "sister_city", "CN")),
]


@pytest.mark.parametrize("args, keep", FILTERS, ids=[str(a) for a, _ in FILTERS])
def test_every_page_of_the_queue_under_a_filter(big, args, keep):
    path, rows = big
    client = create_app(path, review_config(page_size=50)).test_client()
    expected = expected_ids(rows, keep)
    pages = -(-len(expected) // 50)
    seen: list[int] = []
    for number in range(1, pages + 1):
        html = client.get("/", query_string={**args, "page": number}).text
        total, first, last = map(int, COUNT.search(html).groups())
        assert (total, first, last) == (len(expected), (number - 1) * 50 + 1,
                                         min(number * 50, len(expected)))
        if pages > 1:
            assert PAGES.search(html).groups() == (str(number), str(pages))
        seen += [int(i) for i in ROW_ID.findall(html)]
    assert seen == expected
    if args == {"state": "all"}:
        assert pages == 40


def test_state_counts_follow_the_other_filters(big):
    path, rows = big
    client = create_app(path, review_config(page_size=50)).test_client()
    html = client.get("/", query_string={"country": "JP", "state": "confirmed"}).text
    for state in ("new", "confirmed", "corrected", "rejected"):
        n = sum(1 for r in rows if r["partner_country"] == "JP" and r["review_state"] == state)
        assert re.search(rf'data-state="{state}"[^>]*>[^<]+<span class="n">{n}</span>', html), state


@pytest.mark.parametrize("args, message", [
    ({"date_from": "2024-13"}, "시작 날짜 “2024-13”"),
    ({"date_to": "어제"}, "끝 날짜 “어제”"),
    ({"state": "done"}, "검토 상태 “done”"),
    ({"country": "Narnia"}, "국가 “Narnia”"),  # a name is read ('China' → CN); an unknown one is not
])
def test_a_filter_that_cannot_be_read_says_so(big, args, message):
    path, _rows = big
    html = create_app(path, review_config()).test_client().get("/", query_string=args).text
    assert re.search(r'class="flash error filter-error"[^>]*>[^<]*' + re.escape(message), html)
    assert ROW_ID.search(html)  # the rest of the filter still lists events


def test_page_past_the_end_shows_the_last_page(big):
    path, rows = big
    html = create_app(path, review_config(page_size=50)).test_client().get("/?state=all&page=99").text
    assert COUNT.search(html).groups() == ("2000", "1951", "2000")


def test_neighbours_follow_the_filtered_order_even_after_a_decision(big):
    path, rows = big
    chosen = QueueFilter(state="new", country="VN")
    order = expected_ids(rows, lambda r: r["review_state"] == "new" and r["partner_country"] == "VN")
    with Store(path) as store:
        assert neighbours(store, chosen, order[0]) == (None, order[1])
        assert neighbours(store, chosen, order[5]) == (order[4], order[6])
        assert neighbours(store, chosen, order[-1]) == (order[-2], None)
        decided = expected_ids(rows, lambda r: r["review_state"] == "confirmed"
                               and r["partner_country"] == "VN")[3]
        before, after = neighbours(store, chosen, decided)  # no longer in the queue: its place is
        assert after == min((i for i in order if _key(rows, i) > _key(rows, decided)),
                            key=lambda i: _key(rows, i))
        assert before is None or _key(rows, before) < _key(rows, decided)


def _key(rows, event_id):
    row = rows[event_id - 1]
    return (row["confidence"] or 0, row["id"])


def test_event_page_links_to_its_neighbours_in_the_queue_it_came_from(big):
    path, rows = big
    client = create_app(path, review_config()).test_client()
    order = expected_ids(rows, lambda r: r["review_state"] == "new" and r["partner_country"] == "CN")
    back = "/?state=new&country=CN"
    html = client.get(f"/events/{order[2]}", query_string={"next": back}).text
    assert re.search(rf'href="/events/{order[1]}\?next=[^"]+" id="prev-event"', html)
    assert re.search(rf'href="/events/{order[3]}\?next=[^"]+" id="next-event"', html)


def test_field_spans_and_reasons_are_marked_and_survive_the_store(tmp_path):
    text = "머리말.\n창원시는 2023년 5월 일본 구마모토시와 자매결연 협약을 맺었다.\n끝."
    sentence = text.split("\n")[1]
    start = text.index(sentence)
    spans = {name: (text.index(word), text.index(word) + len(word)) for name, word in
             (("korean_party", "창원시"), ("date", "2023년 5월"), ("partner", "구마모토시"),
              ("agreement_type", "자매결연"))}
    event = Event(korean_party="창원시", partner="구마모토시", partner_country="JP",
                  agreement_type="sister_city", status="signed", evidence=sentence,
                  evidence_span=(start, start + len(sentence)), date="2023-05", confidence=0.65,
                  field_spans=spans, why=("날짜가 월까지만 나옴", "상대 국가를 본문에서 추정"))
    old = Event(korean_party="김해시", partner="후에시", partner_country="VN", agreement_type="mou",
                status="signed", evidence="김해시는 후에시와 업무협약을 맺었다.", evidence_span=(0, 19))
    path = tmp_path / "marks.db"
    with Store(path, keep_raw=True) as store:
        save_one(store, "https://news.example.kr/marks", text, [event])
        save_one(store, "https://news.example.kr/old", old.evidence, [old])
        stored = store.event(1)
        assert stored["field_spans"] == {k: list(v) for k, v in spans.items()}
        assert stored["why"] == list(event.why)
    client = create_app(path, review_config()).test_client()
    html = client.get("/events/1").text
    for name, (low, high) in spans.items():
        assert f'<mark class="field field-{name}" data-field="{name}"' in html
        assert re.search(rf'data-field="{name}" title="[^"]+">{re.escape(text[low:high])}</mark>', html)
    assert "날짜가 월까지만 나옴" in html and 'id="why"' in html and 'id="mark-legend"' in html
    old_html = client.get("/events/2").text  # an event from before the spans: evidence only
    assert '<mark id="evidence">김해시는 후에시와 업무협약을 맺었다.</mark>' in old_html
    assert "mark class=\"field" not in old_html and 'id="why"' not in old_html


def test_document_list_search_and_adding_a_missed_event(tmp_path):
    path = seed(tmp_path / "docs.db", 5)
    with Store(path, keep_raw=True) as store:
        missed_text = "양주시는 어제 몽골 다르항시와 우호교류 의향서를 주고받았다."
        missed_id = save_one(store, "https://news.example.kr/missed", missed_text, [])
    client = create_app(path, review_config()).test_client()
    listing = client.get("/documents").text
    assert re.search(r'<span class="count">6건 중 <span class="nowrap">1–6</span>', listing)
    without = client.get("/documents?without_events=1").text
    assert re.findall(r'data-document-row data-id="(\d+)"', without) == [str(missed_id)]
    found = client.get("/documents", query_string={"q": "다르항"}).text
    assert re.findall(r'data-document-row data-id="(\d+)"', found) == [str(missed_id)]
    assert "다르항시와" in found  # the snippet around the words
    from tests.support.review import PASSWORD
    client.post("/login", data={"name": "alice", "password": PASSWORD,
                                "csrf_token": csrf_of(client.get("/login").text)})
    page = client.get(f"/documents/{missed_id}").text
    response = client.post(f"/documents/{missed_id}/events", data={
        "csrf_token": csrf_of(page), "selected": missed_text, "start": "0",
        "korean_party": "양주시", "partner": "다르항시", "partner_country": "MN",
        "agreement_type": "letter_of_intent", "status": "signed"})
    assert response.status_code == 302
    with Store(path) as store:
        added = [e for e in store.events() if e["partner"] == "다르항시"]
    assert len(added) == 1 and added[0]["evidence"] == missed_text
    assert client.get("/documents?without_events=1").text.count("data-document-row") == 0
