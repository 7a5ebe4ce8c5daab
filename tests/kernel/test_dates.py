"""Date mentions in Korean text: every absolute, range and relative form the extractor meets."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from twinwatch.pages.dates import (DateMention, find_dates, parse_publication_date, parse_short_date,
                           resolve_day)

PUBLISHED = "2023-10-11"


@pytest.mark.parametrize("text, value, range_end", [
    ("2016년 10월 13일 서명했다", "2016-10-13", None),
    ("2016년10월13일", "2016-10-13", None),
    ("2015. 8.5. 협약", "2015-08-05", None),
    ("2016. 5.16 체결", "2016-05-16", None),
    ("2023.10.10. 체결", "2023-10-10", None),
    ("2022. 9. 14.(수) 체결식", "2022-09-14", None),
    ("2023-10-10 체결", "2023-10-10", None),
    ("2023/10/10 체결", "2023-10-10", None),
    ("2013.7.3~7.6 방문", "2013-07-03", "2013-07-06"),
    ("2013.7.3~6 방문", "2013-07-03", "2013-07-06"),
    ("2016년 10월 13~15일", "2016-10-13", "2016-10-15"),
    ("2016년 12월 30일~1월 2일", "2016-12-30", "2017-01-02"),
    ("(2020년4월)", "2020-04", None),
    ("2020년 3~4월", "2020-03", "2020-04"),
    ("2020년 협약", "2020", None),
    ("'05년 9월 14일", "2005-09-14", None),
    ("’98년", "1998", None),
])
def test_absolute_forms(text: str, value: str, range_end: str | None) -> None:
    for published in (PUBLISHED, None):
        mentions = find_dates(text, published)
        assert [m.value for m in mentions] == [value]
        assert mentions[0].range_end == range_end
        assert mentions[0].relative is False


@pytest.mark.parametrize("text, published, value, direction, range_end", [
    ("지난 10일 서명했다", "2023-10-11", "2023-10-10", "past", None),
    ("지난 20일 서명했다", "2023-10-11", "2023-09-20", "past", None),
    ("지난 11일", "2023-10-11", "2023-09-11", "past", None),
    ("이날 협약을 맺었다", "2023-10-11", "2023-10-11", None, None),
    ("당일", "2023-10-11", "2023-10-11", None, None),
    ("오는 13일 체결한다", "2023-10-11", "2023-10-13", "future", None),
    ("오는 3일 체결", "2015-11-02", "2015-11-03", "future", None),
    ("오는 5일 체결", "2023-10-11", "2023-11-05", "future", None),
    ("오는 31일", "2023-12-28", "2023-12-31", "future", None),
    ("지난달 30일", "2023-10-11", "2023-09-30", "past", None),
    ("지난 달 2일", "2023-01-11", "2022-12-02", "past", None),
    ("다음 달 17~22일 중", "2023-10-11", "2023-11-17", "future", "2023-11-22"),
    ("지난달 24일부터 28일까지 방문해", "2023-10-11", "2023-09-24", "past", "2023-09-28"),
    ("내달 5일", "2023-12-11", "2024-01-05", "future", None),
    ("내달 중 체결", "2023-10-11", "2023-11", "future", None),
    ("이달 20일", "2023-10-11", "2023-10-20", None, None),
    ("11일 밝혔다", "2023-10-11", "2023-10-11", None, None),
    ("7일 서명했다", "2018-03-09", "2018-03-07", None, None),
    ("30일 서명했다", "2023-10-02", "2023-09-30", None, None),
    ("18~20일 방문", "2014-10-26", "2014-10-18", None, "2014-10-20"),
    ("어제", "2023-10-11", "2023-10-10", "past", None),
    ("전날 서명", "2023-10-01", "2023-09-30", "past", None),
    ("이튿날", "2023-10-11", "2023-10-12", "future", None),
    ("올해 3월", "2023-10-11", "2023-03", None, None),
    ("올 3월 5일", "2023-10-11", "2023-03-05", None, None),
    ("지난해 11월", "2023-10-11", "2022-11", "past", None),
    ("내년 2월", "2023-10-11", "2024-02", "future", None),
    ("올해 안에", "2023-10-11", "2023", None, None),
    ("지난 4월 5일", "2023-10-11", "2023-04-05", "past", None),
    ("지난 11월 5일", "2023-10-11", "2022-11-05", "past", None),
    ("오는 4월 26일로", "2010-03-12", "2010-04-26", "future", None),
    ("오는 2월", "2023-10-11", "2024-02", "future", None),
    ("12월 30일 서명", "2024-01-03", "2023-12-30", None, None),
    ("3월 중 서명", "2023-04-02", "2023-03", None, None),
    ("□ 일시: 10. 10.(화) 14:00", "2023-10-05", "2023-10-10", None, None),
    ("12.28(목) 체결", "2024-01-02", "2023-12-28", None, None),
])
def test_relative_forms(text: str, published: str, value: str, direction: str | None,
                        range_end: str | None) -> None:
    mentions = find_dates(text, published)
    assert len(mentions) == 1, mentions
    mention = mentions[0]
    assert (mention.value, mention.direction, mention.range_end) == (value, direction, range_end)
    assert mention.relative is True
    assert find_dates(text, None) == []  # nothing fixes a relative date without the page's date


@pytest.mark.parametrize("text", [
    "3박4일간 일정", "3박 4일 일정", "100일 기념", "6일간의 방문", "20일째 이어진", "30일 동안", "2020년대 들어", "1,234일",
    "오늘날 교류", "3개월", "12.5% 증가", "3.5 (목표치)",
])
def test_not_dates(text: str) -> None:
    assert find_dates(text, PUBLISHED) == []


def test_spans_and_order() -> None:
    text = "8일 영양군에 따르면 영양군과 화방군은 지난 7일 협약서에 서명했다. 2010년 우호교류."
    mentions = find_dates(text, "2018-03-09")
    assert [text[m.start:m.end] for m in mentions] == ["8일", "지난 7일", "2010년"]
    assert [m.value for m in mentions] == ["2018-03-08", "2018-03-07", "2010"]
    assert all(isinstance(m, DateMention) for m in mentions)


def test_overlap_prefers_longest() -> None:
    mentions = find_dates("2016년 10월 13일에는", PUBLISHED)
    assert [(m.start, m.end) for m in mentions] == [(0, 13)]


@pytest.mark.parametrize("value, expected", [
    ("등록 2023-10-11 18:50:01", "2023-10-11"),
    ("승인 2019.10.14 19:23", "2019-10-14"),
    ("입력 2017.07.20 오후 3:10", "2017-07-20"),
    ("작성일 : 2022-09-15", "2022-09-15"),
    ("기사입력 2014년 11월 21일 10시", "2014-11-21"),
    ("2023-10-10T23:30:00+00:00", "2023-10-11"),
    ("2023-10-10T23:30:00Z", "2023-10-11"),
    ("2023-10-10T10:00:00+09:00", "2023-10-10"),
    ("20231011", "2023-10-11"),
    ("20231011093000", "2023-10-11"),
    ("입력 23.10.11 09:30", "2023-10-11"),
    ("Wed, 11 Oct 2023 09:00:00 +0900", "2023-10-11"),
    ("Tue, 10 Oct 2023 16:00:00 GMT", "2023-10-11"),  # 01:00 the next day in Korea
    ("2023년 10월", None),
    ("no date", None),
    ("", None),
])
def test_parse_publication_date(value: str, expected: str | None) -> None:
    assert parse_publication_date(value) == expected


@pytest.mark.parametrize("value, expected", [
    ("05.09.14", "2005-09-14"), ("98.3.2", "1998-03-02"), ("'12.4.2.", "2012-04-02"),
    ("05.13.40", None), ("2005.09.14", None), ("abc", None),
])
def test_parse_short_date(value: str, expected: str | None) -> None:
    assert parse_short_date(value, pivot_year=2025) == expected


def test_resolve_day_directions() -> None:
    from datetime import date
    published = date(2023, 3, 1)
    assert resolve_day(28, published, "past") == "2023-02-28"
    assert resolve_day(30, published, "past") is None  # no 30 February
    assert resolve_day(1, published, "future") == "2023-03-01"
    assert resolve_day(31, published, None) == "2023-03-31"


def gold_files(*folders: Path) -> list[Path]:
    return [path for folder in folders for path in sorted(folder.glob("*.json"))]


def test_gold_evidence_dates(shared_dir: Path) -> None:
    """Every labelled date stated in its evidence sentence is among that sentence's mentions.

    Report dates ('17일 밝혔다') are left aside: the event's date is then in another sentence.
    """
    from tests.support.paths import REPO

    checked, wrong = 0, []
    for path in gold_files(shared_dir / "corpus" / "dev", REPO / "tests" / "extract" / "data" / "checkset"):
        gold = json.loads(path.read_text(encoding="utf-8"))
        for event in gold["events"]:
            sentence = event.get("evidence") or ""
            mentions = [m for m in find_dates(sentence, gold.get("published"))
                        if not re.match(r"\s*(?:에\s*)?밝혔", sentence[m.end:])]
            if not event.get("date") or not mentions:
                continue
            checked += 1
            if not any(m.value.startswith(event["date"]) for m in mentions):
                wrong.append((path.name, event["date"], [m.value for m in mentions]))
    assert checked >= 40 and wrong == []


@pytest.mark.parametrize("text, values", [
    # an anchor word gives a month and day its year even when the page has no date
    ("2009년 겨울 축제 때 방문해 동년 2월 5일 협정을 맺었다.", ["2009", "2009-02-05"]),
    ("2014년 의향서를 교환하고 이듬해 3월 협정을 맺었다.", ["2014", "2015-03"]),
    # with no anchor, a month and day with no page date is left out
    ("지난 2월 5일 협정을 맺었다.", []),
])
def test_anchored_without_page_date(text: str, values: list[str]) -> None:
    assert [m.value for m in find_dates(text, None)] == values
