"""Event identity on save: one agreement is one event, however many reports of it arrive."""

from __future__ import annotations

import pytest

from store import Store
from store.identity import dates_match, most_attested_type, normalise_place
from tests.support.store import make_event, report, save_page


def save_reports(store: Store, reports) -> None:
    for url, published, event in reports:
        save_page(store, url, [event], published=published)


# (case, reports saved in order, expected events as (field values) sorted by id)
IDENTITY_CASES = [
    ("same pair in another article → one event",
     [report("https://a.kr/1"), report("https://b.kr/9")],
     [{"date": "2023-10-10", "mentions": 2}]),
    ("dates 26 days apart → one event",
     [report("https://a.kr/1", date="2023-10-10"), report("https://b.kr/9", date="2023-11-05")],
     [{"date": "2023-10-10", "mentions": 2}]),
    ("dates 40 days apart → two events",
     [report("https://a.kr/1", date="2023-10-10"), report("https://b.kr/9", date="2023-11-19")],
     [{"date": "2023-10-10", "mentions": 1}, {"date": "2023-11-19", "mentions": 1}]),
    ("a month is filled by a day inside it",
     [report("https://a.kr/1", date="2023-10"), report("https://b.kr/9", date="2023-10-10")],
     [{"date": "2023-10-10", "mentions": 2}]),
    ("a day is not replaced by its month",
     [report("https://a.kr/1", date="2023-10-10"), report("https://b.kr/9", date="2023-10")],
     [{"date": "2023-10-10", "mentions": 2}]),
    ("a year is filled by a day inside it",
     [report("https://a.kr/1", date="2023"), report("https://b.kr/9", date="2023-05-02")],
     [{"date": "2023-05-02", "mentions": 2}]),
    ("a month does not match a day outside it",
     [report("https://a.kr/1", date="2023-10"), report("https://b.kr/9", date="2023-11-02")],
     [{"date": "2023-10", "mentions": 1}, {"date": "2023-11-02", "mentions": 1}]),
    ("planned then signed 42 days later → one signed event on the signing day",
     [report("https://a.kr/1", date="2023-10-20", status="planned"),
      report("https://b.kr/9", date="2023-12-01", status="signed")],
     [{"date": "2023-12-01", "status": "signed", "mentions": 2}]),
    ("planned then signed 120 days later → two events",
     [report("https://a.kr/1", date="2023-10-20", status="planned"),
      report("https://b.kr/9", date="2024-02-17", status="signed")],
     [{"status": "planned", "mentions": 1}, {"status": "signed", "mentions": 1}]),
    ("planned then signed as another type 42 days later → two events",
     [report("https://a.kr/1", date="2023-10-20", status="planned", agreement_type="mou"),
      report("https://b.kr/9", date="2023-12-01", status="signed", agreement_type="sister_city")],
     [{"agreement_type": "mou", "mentions": 1}, {"agreement_type": "sister_city", "mentions": 1}]),
    ("a late preview of a signed event joins it and changes nothing",
     [report("https://a.kr/1", date="2023-10-20", status="signed"),
      report("https://b.kr/9", date="2023-10-18", status="planned")],
     [{"date": "2023-10-20", "status": "signed", "mentions": 2}]),
    ("types disagree → the most attested type",
     [report("https://a.kr/1", agreement_type="mou"),
      report("https://b.kr/2", agreement_type="friendship_city"),
      report("https://c.kr/3", agreement_type="friendship_city")],
     [{"agreement_type": "friendship_city", "mentions": 3}]),
    ("types tie → the latest report's type (by the page's date, not the order saved)",
     [report("https://a.kr/1", published="2023-10-12", agreement_type="mou"),
      report("https://b.kr/2", published="2023-10-11", agreement_type="friendship_city")],
     [{"agreement_type": "mou", "mentions": 2}]),
    ("a domestic pair reported from either side → one event",
     [report("https://a.kr/1", korean_party="안산시", partner="시흥시", partner_country="KR"),
      report("https://b.kr/9", korean_party="시흥시", partner="안산시", partner_country="KR")],
     [{"korean_party": "안산시", "mentions": 2}]),
    ("another partner → another event",
     [report("https://a.kr/1", partner="훈춘시"), report("https://b.kr/9", partner="연길시")],
     [{"partner": "훈춘시", "mentions": 1}, {"partner": "연길시", "mentions": 1}]),
    ("names with and without an administrative suffix are one place",
     [report("https://a.kr/1", korean_party="안산시", partner="훈춘시"),
      report("https://b.kr/9", korean_party="안산", partner="중국 훈춘")],
     [{"partner": "훈춘시", "mentions": 2}]),
    ("a province named long or short is one party",
     [report("https://a.kr/1", korean_party="경상남도", partner="산둥성"),
      report("https://b.kr/9", korean_party="경남도", partner="산둥성")],
     [{"korean_party": "경상남도", "mentions": 2}]),
    ("the partner's canonical name links two spellings",
     [report("https://a.kr/1", partner="珲春", partner_canonical="훈춘시"),
      report("https://b.kr/9", partner="훈춘")],
     [{"partner": "珲春", "partner_canonical": "훈춘시", "mentions": 2}]),
    ("same district name in different provinces → two events",
     [report("https://a.kr/1", korean_party="중구", korean_province="서울특별시"),
      report("https://b.kr/9", korean_party="중구", korean_province="부산광역시")],
     [{"korean_province": "서울특별시", "mentions": 1}, {"korean_province": "부산광역시", "mentions": 1}]),
    ("a domestic pair reported once without its country, from the same side → one event",
     [report("https://a.kr/1", korean_party="안산시", partner="시흥시", partner_country="KR"),
      report("https://b.kr/9", korean_party="안산시", partner="시흥시", partner_country=None)],
     [{"partner_country": "KR", "mentions": 2}]),
    ("gazetteer ids link two spellings of the partner",
     [report("https://a.kr/1", partner="훈춘시", place_ids={"korean_party": "kr-1", "partner": "cn-9"}),
      report("https://b.kr/9", partner="Hunchun", place_ids={"korean_party": "kr-1", "partner": "cn-9"})],
     [{"partner": "훈춘시", "mentions": 2}]),
    ("same names, different gazetteer ids → two events",
     [report("https://a.kr/1", korean_party="중구", place_ids={"korean_party": "kr-11140", "partner": "cn-9"}),
      report("https://b.kr/9", korean_party="중구", place_ids={"korean_party": "kr-26110", "partner": "cn-9"})],
     [{"mentions": 1}, {"mentions": 1}]),
    ("an undated report joins a dated event of the same type",
     [report("https://a.kr/1", date="2023-10-10"), report("https://b.kr/9", date=None)],
     [{"date": "2023-10-10", "mentions": 2}]),
    ("an undated event takes the date of a later report of the same type",
     [report("https://a.kr/1", date=None), report("https://b.kr/9", date="2023-10-10")],
     [{"date": "2023-10-10", "mentions": 2}]),
    ("an undated report of another type stays apart",
     [report("https://a.kr/1", date="2023-10-10"),
      report("https://b.kr/9", date=None, agreement_type="sister_city")],
     [{"agreement_type": "letter_of_intent", "mentions": 1},
      {"agreement_type": "sister_city", "mentions": 1}]),
]


@pytest.mark.parametrize("reports, expected", [c[1:] for c in IDENTITY_CASES],
                         ids=[c[0] for c in IDENTITY_CASES])
def test_identity(store, reports, expected):
    save_reports(store, reports)
    events = store.events()
    assert len(events) == len(expected), events
    for event, want in zip(events, expected):
        assert len(store.mentions(event["id"])) == want["mentions"]
        for name, value in want.items():
            if name != "mentions":
                assert event[name] == value, (name, event)


def test_each_mention_keeps_its_own_type(store):
    save_reports(store, [report("https://a.kr/1", agreement_type="mou"),
                         report("https://b.kr/2", agreement_type="friendship_city"),
                         report("https://c.kr/3", agreement_type="friendship_city")])
    (event,) = store.events()
    assert [m.agreement_type for m in store.mentions(event["id"])] == [
        "mou", "friendship_city", "friendship_city"]
    assert event["source_urls"] == ["https://a.kr/1", "https://b.kr/2", "https://c.kr/3"]


def test_fulfilled_event_shows_the_signing_sentence(store):
    save_page(store, "https://a.kr/1", [make_event(status="planned", date="2023-10-20",
                                                   evidence="오는 20일 협약을 체결할 예정이다.")])
    save_page(store, "https://b.kr/2", [make_event(status="signed", date="2023-10-20",
                                                   evidence="20일 협약을 체결했다.")])
    (event,) = store.events()
    assert (event["status"], event["evidence"]) == ("signed", "20일 협약을 체결했다.")


def test_two_events_of_one_document_are_never_merged(store):
    outcome = save_page(store, "https://a.kr/1", [
        make_event(agreement_type="letter_of_intent", evidence="의향서를 체결했다."),
        make_event(agreement_type="mou", evidence="업무협약도 맺었다.")])
    assert len(outcome.events.new_event_ids) == 2
    assert len(store.events()) == 2


def test_resaving_the_same_document_adds_nothing(store):
    first = save_page(store, "https://a.kr/1", [make_event()])
    again = save_page(store, "https://a.kr/1", [make_event()])
    assert again.document_id == first.document_id
    assert again.events.unchanged and not again.events.new_event_ids
    (event,) = store.events()
    assert len(store.mentions(event["id"])) == 1


def test_changed_document_updates_its_mention_not_duplicates_it(store):
    save_page(store, "https://a.kr/1", [make_event()], text="안산시는 훈춘시와 교류의향서를 체결했다.")
    changed = save_page(store, "https://a.kr/1", [make_event(date="2023-10-11")],
                        text="[수정] 안산시는 훈춘시와 교류의향서를 체결했다.")
    assert changed.events.matched_event_ids and not changed.events.unchanged
    (event,) = store.events()
    (mention,) = store.mentions(event["id"])
    assert mention.date == "2023-10-11"


@pytest.mark.parametrize("action, after", [
    ("correct", {"agreement_type": "friendship_city", "date": "2023-10-09"}),
    ("confirm", None),
    ("reject", None),
])
def test_reviewed_event_survives_recrawl(store, action, after):
    save_page(store, "https://a.kr/1", [make_event(date="2023-10")])
    (event,) = store.events()
    reviewed = store.review(event["id"], action, "kim", after=after, reason="checked")
    # Another outlet and a changed re-crawl both report it, with a more precise date
    save_page(store, "https://b.kr/9", [make_event(date="2023-10-10")])
    save_page(store, "https://a.kr/1", [make_event(date="2023-10-10", agreement_type="mou")],
              text="[수정] 안산시는 훈춘시와 협약")
    (now,) = store.events()
    fields = ("agreement_type", "date", "status", "review_state", "partner", "evidence")
    assert {k: now[k] for k in fields} == {k: reviewed[k] for k in fields}
    assert len(store.mentions(now["id"])) == 2


def test_corrected_partner_name_still_collects_reports_under_the_old_name(store):
    save_page(store, "https://a.kr/1", [make_event(partner="훈준시")])  # a typo on the page
    (event,) = store.events()
    store.review(event["id"], "correct", "kim", after={"partner": "훈춘시"})
    save_page(store, "https://b.kr/9", [make_event(partner="훈준시")])
    save_page(store, "https://c.kr/3", [make_event(partner="훈춘")])
    (now,) = store.events()
    assert now["partner"] == "훈춘시" and len(now["source_urls"]) == 3


@pytest.mark.parametrize("name, key", [
    ("훈춘시", "훈춘"), ("청도시 노산구", "노산"), ("경상남도", "경남"), ("경남도", "경남"),
    ("서울특별시", "서울"), ("중구", "중구"), ("Hunchun City", "hunchun"), ("珲春市", "珲春"),
    ("훈춘(珲春)시", "훈춘"), ("", ""),
])
def test_normalise_place(name, key):
    assert normalise_place(name) == key


@pytest.mark.parametrize("a, b, same", [
    ("2023-10-10", "2023-11-10", True), ("2023-10-10", "2023-11-11", False),
    ("2023-10", "2023-10-31", True), ("2023-10", "2023-11-01", False),
    ("2023", "2023-12-31", True), ("2023", "2024-01", False), ("2023-02", "2023-02-28", True),
    ("2023-12", "2023-12-31", True),
])
def test_dates_match(a, b, same):
    assert dates_match(a, b) is same and dates_match(b, a) is same


def test_most_attested_type_breaks_ties_by_latest():
    assert most_attested_type(["mou", "sister_city"]) == "sister_city"
    assert most_attested_type(["mou", "mou", "sister_city"]) == "mou"
