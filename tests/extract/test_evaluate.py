"""The team's scorer on hand-made gold and predictions: each matching rule of eval/README.md."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extract.evaluate import (find_gold_documents, full_matches, match_events, pair_matches,
                              place_key, score_document)


def gold_event(**fields: object) -> dict:
    event = {"korean_party": "안산시", "korean_province": "경기도", "partner": "훈춘시",
             "partner_aliases": ["훈춘", "珲春"], "partner_country": "CN",
             "agreement_type": "letter_of_intent", "date": "2023-10-10", "status": "signed"}
    event.update(fields)
    return event


def predicted(**fields: object) -> dict:
    event = {"korean_party": "안산시", "korean_province": "경기도", "partner": "훈춘시",
             "partner_country": "CN", "agreement_type": "letter_of_intent", "date": "2023-10-10",
             "status": "signed"}
    event.update(fields)
    return event


@pytest.mark.parametrize("name, key", [("훈춘시", "훈춘"), ("청도시 노산구", "노산"), ("珲春市", "珲春"),
                                       ("서울특별시", "서울"), ("중구", "중구"), ("(중국) 훈춘시", "훈춘"),
                                       ("Hunchun City", "city"), ("", "")])
def test_place_key(name: str, key: str) -> None:
    assert place_key(name) == key


@pytest.mark.parametrize("pred, expected", [
    (predicted(), True),
    (predicted(partner="珲春"), True),  # an alias
    (predicted(partner="훈춘"), True),  # suffix dropped
    (predicted(partner="연길시"), False),
    (predicted(korean_party="안양시"), False),
    (predicted(korean_province=None), True),  # provinces compared only when both sides give one
    (predicted(korean_province="경기"), True),
    (predicted(korean_province="전라남도"), False),
])
def test_pair_rules(pred: dict, expected: bool) -> None:
    assert pair_matches(pred, gold_event()) is expected


@pytest.mark.parametrize("gold_party, pred_party, pred_province, expected", [
    ("경상남도", "경남도", None, True),  # a 광역 named short or long
    ("경상남도", "경남", None, True),
    ("서울특별시", "서울시", None, True),
    ("경상남도", "경상북도", None, False),
    ("경상남도", "창원시", "경상남도", False),  # a 기초 inside the 광역 is not the 광역
])
def test_metropolitan_party(gold_party: str, pred_party: str, pred_province: str | None,
                            expected: bool) -> None:
    gold = gold_event(korean_party=gold_party, korean_province=None)
    assert pair_matches(predicted(korean_party=pred_party, korean_province=pred_province), gold) is expected


def test_basic_party_is_not_the_metropolitan_of_that_name() -> None:
    gold = gold_event(korean_party="광주시", korean_province="경기도")
    assert not pair_matches(predicted(korean_party="광주광역시", korean_province=None), gold)
    assert pair_matches(predicted(korean_party="광주시", korean_province=None), gold)


def test_domestic_pair_from_either_side() -> None:
    gold = gold_event(korean_party="음성군", korean_province="충청북도", partner="남동구",
                      partner_aliases=["인천 남동구"], partner_country="KR", partner_province="인천광역시")
    mirrored = predicted(korean_party="남동구", korean_province="인천광역시", partner="음성군",
                         partner_country="KR", partner_province="충청북도")
    assert pair_matches(mirrored, gold)
    assert not pair_matches(predicted(korean_party="남동구", korean_province="인천광역시", partner="음성군",
                                      partner_country="KR", partner_province="전라북도"), gold)
    foreign = gold_event()
    assert not pair_matches(predicted(korean_party="훈춘시", korean_province=None, partner="안산시"), foreign)


@pytest.mark.parametrize("gold_fields, pred_fields, expected", [
    ({}, {}, True),
    ({"agreement_type": ["friendship_city", "mou"]}, {"agreement_type": "mou"}, True),
    ({"agreement_type": ["friendship_city", "mou"]}, {"agreement_type": "sister_city"}, False),
    ({"date": "2014-10"}, {"date": "2014-10-26"}, True),  # the gold's precision decides
    ({"date": "2014-10-26"}, {"date": "2014-10"}, False),
    ({"date": "2014"}, {"date": None}, False),
    ({"date": None}, {"date": "1999-01-01"}, True),
    ({"status": "planned"}, {"status": "signed"}, False),
    ({"status": None}, {"status": None}, True),  # both default to signed
    ({}, {"status": "planned"}, False),
])
def test_full_rules(gold_fields: dict, pred_fields: dict, expected: bool) -> None:
    assert full_matches(predicted(**pred_fields), gold_event(**gold_fields)) is expected


def test_optional_events_neither_owed_nor_held_against() -> None:
    owed = gold_event()
    optional = gold_event(partner="연길시", partner_aliases=[], optional=True)
    # the optional one predicted with a wrong type: pairs with it, so not spurious
    preds = [predicted(), predicted(partner="연길시", agreement_type="mou")]
    counts, spurious, missed = match_events(preds, [owed, optional], full_matches)
    assert (counts.tp, counts.fp, counts.fn) == (1, 0, 0)
    counts, _, _ = match_events([], [owed, optional], full_matches)
    assert (counts.tp, counts.fp, counts.fn) == (0, 0, 1)


def test_one_to_one_matching() -> None:
    preds = [predicted(), predicted()]  # the same event twice: the second is spurious
    counts, spurious, missed = match_events(preds, [gold_event()], full_matches)
    assert (counts.tp, counts.fp, counts.fn) == (1, 1, 0) and len(spurious) == 1


def test_document_score_levels() -> None:
    score = score_document("h1", [predicted(date="2023-10-11")], [gold_event()])
    assert (score.pair.tp, score.pair.fp, score.pair.fn) == (1, 0, 0)
    assert (score.full.tp, score.full.fp, score.full.fn) == (0, 1, 1)
    assert score.pair.as_dict()["f1"] == 1.0 and score.full.as_dict()["f1"] == 0.0


def test_no_events_anywhere_is_perfect() -> None:
    numbers = score_document("neg", [], []).full.as_dict()
    assert (numbers["precision"], numbers["recall"]) == (1.0, 1.0)


def test_find_gold_documents(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps({"kind": "news", "events": []}), encoding="utf-8")
    (tmp_path / "a.html").write_text("<p>x</p>", encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps({"kind": "table", "events": []}), encoding="utf-8")
    (tmp_path / "b.tsv").write_text("x\ty", encoding="utf-8")
    (tmp_path / "c.json").write_text(json.dumps({"kind": "news", "events": []}), encoding="utf-8")
    (tmp_path / "notes.json").write_text(json.dumps({"no": "events"}), encoding="utf-8")
    found = find_gold_documents([tmp_path])
    assert [(g.name, g.document.name if g.document else None) for g in found] == [
        ("a", "a.html"), ("b", "b.tsv"), ("c", None)]
    assert [g.name for g in find_gold_documents([tmp_path], ["table"])] == ["b"]
