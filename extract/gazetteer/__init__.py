"""Gazetteer of Korean local governments (with their mergers and renamings) and places abroad.

In: a place name as a page writes it — Korean, Han or Latin, with or without its
administrative suffix — and optionally a country, province or date. Out: `Place` records
(id, canonical name, kind, country, parent) and `Candidate`s for ambiguous or sound-alike
names. `load_gazetteer()` reads the packaged data once per process (gazetteer.py; the search
by sound is phonetic.py and phonetic_index.py; which of two namesakes is meant, namesakes.py).
"""

from extract.gazetteer.gazetteer import Gazetteer, load_gazetteer
from extract.gazetteer.model import Candidate, GazetteerError, Place, normalise, strip_admin_suffix

__all__ = ["Candidate", "Gazetteer", "GazetteerError", "Place", "load_gazetteer", "normalise",
           "strip_admin_suffix"]
