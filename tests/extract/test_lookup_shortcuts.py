"""Short cuts on the extraction path give what the full look-ups give, on real page words."""

from __future__ import annotations

import re

import pytest

from extract.gazetteer import load_gazetteer
from extract.structured import party
from extract.structured.places import korean_government
from tests.support.paths import REPO

HANGUL_WORD = re.compile(r"[가-힣]{2,}")


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


@pytest.fixture(scope="module")
def page_words() -> list[str]:
    """Every distinct Hangul word of the check sets' pages, with and without particles."""
    words: set[str] = set()
    for page in sorted(REPO.glob("tests/extract/data/checkset*/**/*.htm*")):
        for word in HANGUL_WORD.findall(page.read_text(encoding="utf-8", errors="replace")):
            words.update(party._candidate_words(word))
    assert len(words) > 1000
    return sorted(words)


def test_knows_is_true_for_forms_and_their_stems(gaz):
    assert gaz.knows("서초구") and gaz.knows("부산광역시") and gaz.knows("부산")
    assert gaz.knows("버뱅크시") and gaz.knows("버뱅크")
    assert not gaz.knows("자매결연") and not gaz.knows("현황입니다")


def test_a_word_the_gazetteer_does_not_know_finds_nothing_by_form(gaz, page_words):
    """`knows` False must mean an empty look-up in Korea, or the short cut would lose parties."""
    unknown = [word for word in page_words if not gaz.knows(word)]
    assert len(unknown) > len(page_words) // 2
    assert [word for word in unknown if gaz.lookup(word, country="KR")] == []
    known = [word for word in page_words if gaz.knows(word)]
    assert any(gaz.lookup(word, country="KR") for word in known)


def test_korean_governments_are_what_the_full_look_up_gives(gaz, page_words, monkeypatch):
    """With the short cuts, each word's governments (and a 광역 with the word after it) are what
    `korean_government` gives when every word goes through the whole look-up."""
    pairs = [f"{left} {right}" for left, right in zip(page_words, page_words[1:])]
    pairs += ["경상북도 경산시", "부산광역시 해운대구", "경기 광주시"]
    quick = [party._word_governments(word) for word in page_words]
    quick_pairs = [korean_government(pair) for pair in pairs]
    monkeypatch.setattr(type(gaz), "knows", lambda _self, _word: True)
    full = [tuple(filter(None, map(korean_government, party._candidate_words(word)))) for word in page_words]
    assert quick == full
    assert quick_pairs == [korean_government(pair) for pair in pairs]
    assert sum(1 for found in full if found) > 20


def test_a_province_and_the_government_after_it_are_one_party():
    assert [g.name for g in party._governments_in("경상북도 경산시 자매결연")] == ["경산시"]
    assert [g.name for g in party._governments_in("부산광역시 해운대구, 인천광역시와")] == ["해운대구", "인천광역시"]


def _skeleton_by_letters(key: str) -> str:
    return "".join(c for c in key if c.isupper()).translate(str.maketrans("BDG", "PTK"))


def test_phonetic_skeletons_are_the_consonants_unvoiced():
    """The one-table skeleton of an ASCII key is the letter-by-letter one, for every key of a
    country's index and for keys with other characters."""
    from extract.gazetteer.phonetic import skeleton
    from extract.gazetteer.phonetic_index import PhoneticIndex

    names = PhoneticIndex()._country("NZ")
    assert names is not None and len(names.keys) > 100
    for key in [*names.keys, "BuLvDvN", "ABC DG", "x1Y", "", "ÉbD", "gGbB"]:
        assert skeleton(key) == _skeleton_by_letters(key), key
    assert skeleton("BuLvDvN") == "PLTN"


def test_the_context_hands_its_title_and_lead_places_to_the_place_finder():
    """The places of the title and lead are memoised for the sentences the pipeline reads
    again (they were passed as `same_day` by position, and never reused)."""
    from extract.core import document_context
    from extract.nlp.sentences import split_sentences
    from extract.records import Document

    text = "서울과 파리가 12일 우호협력 협정을 맺었다.\n협정서에는 두 시장이 서명했다."
    document = Document(url="x.txt", text=text, title="서울시, 파리와 우호협력 협정", published="2024-05-12")
    context = document_context(document, split_sentences(text))
    assert context.same_day is None and context.earlier_day is None
    assert ("서울과 파리가 12일 우호협력 협정을 맺었다.", frozenset()) in context.places_seen
    assert ("서울시, 파리와 우호협력 협정", frozenset()) in context.places_seen


def _normalise_in_full(surface: str) -> str:
    import unicodedata

    text = re.sub(r"\s+", "", unicodedata.normalize("NFC", surface)).strip("·,.()[]「」『』\"'")
    return text.lower() if text.isascii() else text


def test_normalise_takes_a_word_as_it_stands_only_when_nothing_would_change(gaz):
    from extract.gazetteer.model import normalise

    forms = [form for place in gaz for form in (*place.names, *place.han, place.en or "")]
    odd = ["서울", "ＡＢＣ", "Seoul서울", "한\u1100", "\u1112\u1161\u11ab", "²서", "「서울」", "서 울", "SEOUL"]
    assert [f for f in forms + odd if normalise(f) != _normalise_in_full(f)] == []


def _key_distance_cell_by_cell(a: str, b: str) -> float:
    from extract.gazetteer.phonetic import _indel, _substitute

    previous = [0.0]
    for char in b:
        previous.append(previous[-1] + _indel(char))
    for char_a in a:
        current = [previous[0] + _indel(char_a)]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + _indel(char_a), current[j - 1] + _indel(char_b),
                               previous[j - 1] + _substitute(char_a, char_b)))
        previous = current
    return previous[-1]


def test_key_distance_gives_the_same_floats_as_cell_by_cell():
    import random

    from extract.gazetteer.phonetic import key_distance
    from extract.gazetteer.phonetic_index import PhoneticIndex

    keys = PhoneticIndex()._country("NZ").keys[:300]
    pairs = [(a, b) for a in keys[:40] for b in keys]
    chooser = random.Random(7)
    alphabet = "aeiouvwyBDGPTKSJLNMHRFCxZ1 "
    pairs += [("".join(chooser.choices(alphabet, k=chooser.randint(0, 9))),
               "".join(chooser.choices(alphabet, k=chooser.randint(0, 9)))) for _ in range(3000)]
    assert [key_distance(a, b) for a, b in pairs] == [_key_distance_cell_by_cell(a, b) for a, b in pairs]
