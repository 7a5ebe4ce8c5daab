"""Stored events brought up to a newer gazetteer: one canonical name per place, ids for partners
found by sound, reviewers' decisions kept and no event duplicated afterwards."""

from __future__ import annotations

import pytest

from extract.gazetteer import load_gazetteer
from store import Store
from tests.support.store import make_event, save_page


def resolve(row: dict) -> tuple[str | None, str | None]:
    place = load_gazetteer().place_abroad(row["partner"], row["partner_country"] or "", row["partner_region"])
    return (place.name, place.id) if place else (None, None)


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "twinwatch.db") as opened:
        save_page(opened, "https://a.example/1", [make_event(
            korean_party="청주시", partner="선양", partner_canonical="선양", partner_country="CN",
            place_ids={"korean_party": "kr:43110", "partner": "gn:2034937"})])
        save_page(opened, "https://a.example/2", [make_event(
            korean_party="성남시", partner="풀러튼시", partner_country="US", date="2024-01-04",
            evidence="성남시는 풀러튼시와 우호협약을 맺었다.", place_ids={"korean_party": "kr:41130"})])
        save_page(opened, "https://a.example/3", [make_event(
            korean_party="부여군", partner="호이안", partner_canonical="호이안", partner_country="VN",
            date="2025-05-29", evidence="부여군은 호이안과 우호교류 협약을 맺었다.")])
        yield opened


def by_partner(store: Store) -> dict[str, dict]:
    return {e["partner"]: e for e in store.events()}


def test_refresh_gives_one_name_and_the_ids_found_by_sound(store: Store) -> None:
    reviewed = by_partner(store)["호이안"]["id"]
    store.review(reviewed, "correct", "kim", after={"partner_canonical": "호이안 고도"})
    log_before = len(store.review_log())
    done = store.refresh_places(resolve)
    events = by_partner(store)
    assert events["선양"]["partner_canonical"] == "선양시"
    assert events["풀러튼시"]["partner_canonical"] == "풀러튼시"
    assert events["풀러튼시"]["place_ids"]["partner"] == "gn:5351247"  # Fullerton, California
    assert events["호이안"]["partner_canonical"] == "호이안 고도"  # the reviewer's name stays
    assert events["호이안"]["place_ids"]["partner"] == "gn:1580541"
    assert len(done.updated) == 3 and done.keys_added == 1  # the id key of 성남시>풀러튼시
    assert len(store.review_log()) == log_before and len(store.events()) == 3
    assert store.refresh_places(resolve).updated == ()  # a second run has nothing to do


def test_a_later_report_with_the_new_id_meets_its_event(store: Store) -> None:
    store.refresh_places(resolve)
    result = save_page(store, "https://b.example/1", [make_event(
        korean_party="성남시", partner="풀러턴시", partner_canonical="풀러튼시", partner_country="US",
        date="2024-01-04", evidence="성남시와 풀러턴시가 우호협약을 체결했다.",
        place_ids={"korean_party": "kr:41130", "partner": "gn:5351247"})])
    assert len(store.events()) == 3 and not result.events.new_event_ids
