"""Namesakes abroad: when two places answer a name about equally well, which one the page
means without more context — the far bigger one, the same town recorded twice — or none.
"""

from __future__ import annotations

import math

from extract.gazetteer.model import Candidate, Place
from extract.gazetteer.phonetic_index import PhoneticMatch, near

# Phonetic candidates closer than this to the best are a tie (partner list: wrong places 6.4 %
# → 2.9 % on the report half, right 90.7 % → 87.1 %; see benchmarks/data/README.md).
AMBIGUOUS_MARGIN = 0.02
DOMINANT_POPULATION = 5  # … unless the best is this many times bigger: partners are the big namesake
# Candidates found by form closer than this are namesakes the page's context must decide between
# (the population term alone moves a score by at most 0.1; same-via forms differ by less).
NAMESAKE_MARGIN = 0.02


def namesakes_tied(ranked: list[Candidate]) -> bool:
    """The best two candidates are distinct places abroad of one kind in one country, found the
    same way and about as big, neither inside the other nor the same town twice: only the page's
    context (a state or province named nearby) could tell which is meant."""
    if len(ranked) < 2:
        return False
    first, second = ranked[0].place, ranked[1].place
    if first.country == "KR" or (second.country, second.kind) != (first.country, first.kind) \
            or ranked[0].method == "phonetic":
        return False  # a district and a city of one name: the page's generic word has ranked them
    first_score, second_score = ranked[0].score, ranked[1].score
    if not (first.population and second.population):
        if unpopulated_twin(first, second):
            return False
        # one size unknown (China's division codes carry none): size tells nothing, so the
        # population term may not separate them either (a district of one name in two cities,
        # one without population, the other with a few thousand)
        first_score, second_score = first_score - population_term(first), second_score - population_term(second)
    elif first.population >= DOMINANT_POPULATION * max(second.population, 2000):
        return False
    if second_score < first_score - NAMESAKE_MARGIN:
        return False
    inside = {first.parent_id, first.region} & {second.id, second.name} or \
        {second.parent_id, second.region} & {first.id, first.name}
    return not inside and not near(first, second)


def unpopulated_twin(a: Place, b: Place) -> bool:
    """GeoNames holds some towns twice in one first-level division, the second point without
    population (Shimonoseki, 25 km apart): the same town, not a namesake."""
    return a.id.startswith("gn:") and b.id.startswith("gn:") and bool(a.region) and \
        a.region == b.region and bool(a.population) != bool(b.population)


def population_term(place: Place) -> float:
    """What a foreign place's size adds to its score (at most 0.1, for ten million)."""
    return min(0.1, math.log10(place.population) / 80) if place.population else 0.0


def chosen_match(matches: list[PhoneticMatch], divisions: bool = False) -> PhoneticMatch | None:
    """The best match, unless the next is about as close (within AMBIGUOUS_MARGIN) and lies
    elsewhere: then the best if five times bigger than the next (Fullerton, California,
    140,000, over Fullerton, Pennsylvania, 15,000); or, when the page asks for a division
    (카운티, 주), the next if five times bigger than every other one as close (a county of
    230,000 over a namesake of 23,000 spelled one letter nearer). Only for divisions: their
    lists are whole, so every namesake is among the close ones, which a shortlist of towns does
    not promise (얼바인 sounds closer to Alpena and Irving than to Irvine). Otherwise None
    (Grant County in Washington or Arkansas, Canterbury in New South Wales or Victoria): the
    page's words do not say which, and a wrong place costs more than none."""
    first = matches[0]
    if len(matches) < 2:
        return first
    second = matches[1]
    if second.score < first.score - AMBIGUOUS_MARGIN or near(first.entry, second.entry):
        return first
    if dominates(first, [second]):
        return first
    close = [m for m in matches if m.score >= first.score - AMBIGUOUS_MARGIN]
    return second if divisions and dominates(second, [m for m in close if m is not second]) else None


def dominates(match: PhoneticMatch, others: list[PhoneticMatch]) -> bool:
    """`match` is DOMINANT_POPULATION times bigger than each of `others` (and than a village)."""
    return all(match.entry.population >= DOMINANT_POPULATION * max(other.entry.population, 2000)
               for other in others)
