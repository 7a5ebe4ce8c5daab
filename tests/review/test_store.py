"""Reviewers' store operations: merge, split, add a missed event, bulk confirm, undo — each
logged, each undoable, and each surviving a re-crawl of the documents involved."""

from __future__ import annotations

import sqlite3

import pytest

from store import Store, StoreError
from tests.support.store import make_event, save_page

LOI_2019 = dict(agreement_type="letter_of_intent", date="2019-05-02",
                evidence="안산시는 2019년 훈춘시와 교류의향서를 체결했다.")
SISTER_2023 = dict(agreement_type="sister_city", date="2023-10-10",
                   evidence="안산시는 훈춘시와 자매결연을 맺었다.")


def two_events_of_one_agreement(store: Store) -> tuple[int, int]:
    """Dates 60 days apart: the identity rules keep them apart, a reviewer knows better."""
    first = save_page(store, "https://a.kr/1", [make_event(date="2023-10-10")])
    second = save_page(store, "https://b.kr/2", [make_event(date="2023-12-09")])
    return first.events.new_event_ids[0], second.events.new_event_ids[0]


def test_merge_moves_mentions_and_survives_recrawl(store):
    kept, merged = two_events_of_one_agreement(store)
    store.merge(kept, merged, "alice", reason="same signing")
    assert [m.url for m in store.mentions(kept)] == ["https://a.kr/1", "https://b.kr/2"]
    assert store.event(merged)["merged_into"] == kept
    assert [e["id"] for e in store.events()] == [kept]
    # a re-crawl of the merged event's page with a changed text re-extracts it
    save_page(store, "https://b.kr/2", [make_event(date="2023-12-09")], text="바뀐 본문 " * 3)
    assert [e["id"] for e in store.events()] == [kept]
    assert len(store.mentions(kept)) == 2
    with pytest.raises(StoreError, match="merged into"):
        store.review(merged, "confirm", "alice")


def test_undo_merge_restores_both_events(store):
    kept, merged = two_events_of_one_agreement(store)
    store.merge(kept, merged, "alice")
    undone = store.undo("alice")
    assert [e.action for e in undone] == ["undo"]
    assert {e["id"] for e in store.events()} == {kept, merged}
    assert [m.url for m in store.mentions(merged)] == ["https://b.kr/2"]
    actions = [e.action for e in store.history(merged)]
    assert actions == ["merge", "undo"]


def test_split_makes_a_new_event_that_recrawls_keep(store):
    save_page(store, "https://a.kr/1", [make_event(**SISTER_2023)])
    event_id = store.events()[0]["id"]
    # a page whose report the identity rules attach to the same event, wrongly
    save_page(store, "https://b.kr/2", [make_event(**{**SISTER_2023, "date": "2023-10"})])
    mentions = store.mentions(event_id)
    assert len(mentions) == 2
    new_id = store.split(event_id, [mentions[1].id], "bob", reason="another agreement")
    assert [m.url for m in store.mentions(new_id)] == ["https://b.kr/2"]
    assert store.event(new_id)["review_state"] == "new"
    save_page(store, "https://b.kr/2", [make_event(**{**SISTER_2023, "date": "2023-10"})],
              text="다시 가져온 본문")
    assert [m.url for m in store.mentions(new_id)] == ["https://b.kr/2"]
    assert [m.url for m in store.mentions(event_id)] == ["https://a.kr/1"]
    store.undo("bob")
    assert [m.url for m in store.mentions(event_id)] == ["https://a.kr/1", "https://b.kr/2"]
    assert [e["id"] for e in store.events()] == [event_id]


def test_split_refuses_foreign_or_all_mentions(store):
    kept, merged = two_events_of_one_agreement(store)
    with pytest.raises(StoreError, match="not a mention"):
        store.split(kept, [store.mentions(merged)[0].id], "bob")
    with pytest.raises(StoreError, match="at least one"):
        store.split(kept, [store.mentions(kept)[0].id], "bob")


def test_add_missed_event_from_a_span(store):
    text = "시흥시는 12일 중국 위해시와 우호교류 협약을 맺었다. 다른 문장."
    result = save_page(store, "https://a.kr/1", [], text=text)
    end = text.index(".") + 1
    fields = {"korean_party": "시흥시", "partner": "위해시", "partner_country": "CN",
              "agreement_type": "friendship_city", "date": "2024-03-12"}
    new_id = store.add_event(result.document_id, fields, (0, end), "carol")
    event = store.event(new_id)
    assert event["evidence"] == text[:end] and event["review_state"] == "corrected"
    assert store.history(new_id)[0].action == "add"
    with pytest.raises(StoreError, match="outside"):
        store.add_event(result.document_id, fields, (0, 10_000), "carol")
    store.undo("carol")
    assert store.event(new_id)["review_state"] == "rejected"
    assert store.mentions(new_id) == []


def test_bulk_confirm_is_undone_as_one(store):
    kept, other = two_events_of_one_agreement(store)
    store.confirm_many([kept, other], "dan")
    assert {e["review_state"] for e in store.events()} == {"confirmed"}
    undone = store.undo("dan")
    assert len(undone) == 2
    assert {e["review_state"] for e in store.events()} == {"new"}
    with pytest.raises(StoreError, match="no decision left"):
        store.undo("dan")


def test_undo_correction_restores_fields_and_is_refused_after_a_later_decision(store):
    kept, _ = two_events_of_one_agreement(store)
    store.review(kept, "correct", "erin", after={"agreement_type": "sister_city", "date": "2023-10-11"})
    store.review(kept, "confirm", "frank")
    with pytest.raises(StoreError, match="changed it later"):
        store.undo("erin")
    store.undo("frank")
    assert store.event(kept)["review_state"] == "corrected"
    store.undo("erin")
    event = store.event(kept)
    assert (event["agreement_type"], event["date"], event["review_state"]) == \
        ("letter_of_intent", "2023-10-10", "new")
    log = store.review_log(kept)
    assert [(e.action, e.undoes) for e in log] == [
        ("correct", None), ("confirm", None), ("undo", log[1].id), ("undo", log[0].id)]


def test_log_stays_append_only(store):
    kept, _ = two_events_of_one_agreement(store)
    store.review(kept, "reject", "gus", reason="not an agreement")
    store.undo("gus")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.db.execute("UPDATE review_log SET reason = 'x'")
