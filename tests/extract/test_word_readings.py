"""The place index remembers what a word names per date, and a word that names nothing once for
all dates: that holds only while whether a word names a place never depends on the date."""

from __future__ import annotations

from extract.nlp.place_index import PlaceIndex, default_index
from extract.nlp.places import _word_reading

DATES = (None, "1950-01-01", "1995-03-01", "2024-05-20")
COMMON_WORDS = ["협약을", "시장은", "자매결연", "체결했다", "양측은", "도시와", "교류를", "2024년", "(MOU)를"]


def test_naming_a_place_does_not_depend_on_the_date() -> None:
    index = default_index()
    forms = sorted(index.forms)[::40]  # every 40th surface form of the gazetteer, some 2,000
    words = COMMON_WORDS + [form + tail for form in forms for tail in ("", "와", "시장은", "의")]
    for word in words:
        named = {_word_reading(word, index, on_date) is None for on_date in DATES}
        assert len(named) == 1, word


def test_a_word_naming_nothing_is_read_once_for_all_dates() -> None:
    index = PlaceIndex(None)
    calls: list[tuple[str, str | None]] = []

    def read(word: str, _index: PlaceIndex, on_date: str | None):
        calls.append((word, on_date))
        return None if word == "협약을" else ("reading", on_date)

    for on_date in DATES:
        assert index.word_reading("협약을", on_date, read) is None
        assert index.word_reading("부산시와", on_date, read) == ("reading", on_date)
        assert index.word_reading("부산시와", on_date, read) == ("reading", on_date)
    assert calls == [("협약을", None)] + [("부산시와", on_date) for on_date in DATES]
