"""The review page's gazetteer look-up offers places fit for the side it is for."""

from __future__ import annotations

import pytest

from extract.gazetteer import load_gazetteer
from review.decisions import place_choices


@pytest.mark.parametrize("party", ["부여군", "충주시", "광주"])
def test_korean_party_is_offered_only_korean_governments(party: str) -> None:
    choices = place_choices(party, "KR", side="korean")
    assert choices and all(c.country == "KR" for c in choices)
    assert all(load_gazetteer().get(c.id).level in ("광역", "기초") for c in choices)


def test_partner_look_up_still_offers_places_abroad() -> None:
    assert any(c.country == "CN" for c in place_choices("부여군", None))  # 扶余 푸위시 is a partner candidate


def test_partner_found_by_sound_is_offered() -> None:
    choices = place_choices("풀러튼시", "US")
    assert choices and choices[0].country == "US" and choices[0].id.startswith("gn:")
