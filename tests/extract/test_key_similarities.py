"""The phonetic index's batch forms: the search by sound compares its query with all
shortlisted keys at once (`key_similarities`), and a country's keys get their skeletons in one
pass (`skeletons`). Each result must be the very value the one-key function gives, or a
candidate at the threshold would be kept or dropped differently."""

from __future__ import annotations

import random

import pytest

from extract.gazetteer.phonetic import (hangul_key, key_similarities, key_similarity, latin_key, skeleton,
                                        skeletons)

NAMES = [("풀러튼", "Fullerton", "US"), ("밀라노", "Milano", "IT"), ("선양", "Shenyang", "CN"),
         ("스즈카", "Suzuka", "JP"), ("그랜트", "Grant", "US"), ("빈증", "Binh Duong", "VN"),
         ("톈진", "Tianjin", "CN"), ("사바델", "Sabadell", "ES")]


@pytest.mark.parametrize("hangul, latin, country", NAMES)
def test_real_keys_give_the_same_floats(hangul: str, latin: str, country: str) -> None:
    query = hangul_key(hangul, country)
    keys = [latin_key(other, place_country) for _h, other, place_country in NAMES] + [latin_key(latin, country)]
    assert key_similarities(query, keys) == [key_similarity(query, key) for key in keys]


def test_random_keys_of_every_length_give_the_same_floats() -> None:
    pick = random.Random(7)
    letters = "aeiouvəPTKBDGSJLNMHRWY"
    for _round in range(300):
        query = "".join(pick.choice(letters) for _ in range(pick.randint(0, 10)))
        keys = ["".join(pick.choice(letters) for _ in range(pick.randint(0, 12))) for _ in range(pick.randint(0, 30))]
        assert key_similarities(query, keys) == [key_similarity(query, key) for key in keys]


def test_empty_query_or_keys() -> None:
    assert key_similarities("", ["PuLvTN"]) == [0.0]
    assert key_similarities("PuLvTN", ["", "PuLvTN"]) == [0.0, 1.0]
    assert key_similarities("PuLvTN", []) == []


@pytest.mark.parametrize("keys", [
    ["PuLvTN", "MiLaNo", "GLeNT"],  # ASCII letters only: one pass
    ["SəNiaN", "PuLvTN"],  # a pinyin key with ə: key by key
    ["PuLvTN", "", "DoKio"], ["Da Nang", "PuLvTN"], [],
])
def test_skeletons_are_each_keys_skeleton(keys: list[str]) -> None:
    assert skeletons(keys) == [skeleton(key) for key in keys]
