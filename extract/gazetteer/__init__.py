"""Gazetteer of Korean local governments and places abroad (see gazetteer.py)."""

from extract.gazetteer.gazetteer import Gazetteer, GazetteerError, load_gazetteer
from extract.gazetteer.model import Candidate, Place, normalise, strip_admin_suffix

__all__ = ["Candidate", "Gazetteer", "GazetteerError", "Place", "load_gazetteer", "normalise",
           "strip_admin_suffix"]
