"""spaCy components of the twinwatch pipeline, registered by name, and the pipeline built of them.

This is the one place the components are registered and assembled (`get_pipeline`): the
NLP layer below (`extract.nlp.pipeline`) gives the Kiwi tokenizer and the ruler's patterns and
knows nothing of the rules.

`twinwatch_place_finder` marks place mentions; `twinwatch_event_assembler` turns the span
ruler's terms and cues, the places and the dates of one sentence into event drafts. Like spaCy's
own SpanRuler, each component's `__call__` is `match()` followed by `set_annotations()`; helpers
are looked up in the registry under versioned names so a changed rule gets a new name.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry

from extract.nlp.clauses import split_clauses
from extract.nlp.pipeline import (MORPHS_KEY, SPANS_KEY, exact_first_tokens, match_whole_words,
                                  ruler_patterns, spacy_blank)
from extract.nlp.place_index import PlaceMention, default_index
from extract.nlp.places import find_places, remembered_places
from extract.rules.drafts import Context, Draft, Mark, same_place
from extract.rules.events import sentence_events

for _name, _default in (("context", None), ("places", None), ("drafts", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)

DraftFilter = Callable[[list[Draft]], list[Draft]]
PLACES_KEY = "twinwatch_places"
PLACE_LABELS = {"kr": "KR_GOV", "foreign": "FOREIGN_PLACE", "country": "COUNTRY"}
# Its own lock, not Kiwi's: building the pipeline tokenizes its phrase patterns with Kiwi.
_pipeline_lock = threading.Lock()
_pipeline: Language | None = None


@registry.misc("twinwatch.event_filter.v1")
def make_event_filter(min_confidence: float = 0.2) -> DraftFilter:
    """Drops drafts whose two sides are one place, or whose confidence is below the floor."""

    def keep(drafts: list[Draft]) -> list[Draft]:
        return [d for d in drafts if not same_place(d.party, d.partner) and d.confidence >= min_confidence]

    return keep


@Language.factory("twinwatch_place_finder")
def make_place_finder(nlp: Language, name: str) -> "PlaceFinder":
    return PlaceFinder(name)


class PlaceFinder:
    """Sets `doc._.places`: the sentence's place mentions (character offsets into doc.text)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        return self.set_annotations(doc, self.match(doc))

    def match(self, doc: Doc) -> list[PlaceMention]:
        context: Context | None = doc._.context
        text = sentence_text(doc)
        if context is None:
            return find_places(text, default_index())
        known = frozenset(p.name for p in context.partners if not p.known)
        # the lead was read for the context already
        return remembered_places(context.places_seen, text, default_index(), context.published, known)

    def set_annotations(self, doc: Doc, places: list[PlaceMention]) -> Doc:
        doc._.places = places
        # the same mentions as spaCy spans (token-aligned: Kiwi may glue a particle to a name)
        spans = [doc.char_span(p.start, p.end, label=PLACE_LABELS[p.kind], alignment_mode="expand")
                 for p in places]
        doc.spans[PLACES_KEY] = [span for span in spans if span is not None]
        return doc


@Language.factory("twinwatch_event_assembler",
                  default_config={"event_filter": {"@misc": "twinwatch.event_filter.v1"}})
def make_event_assembler(nlp: Language, name: str, event_filter: DraftFilter) -> "EventAssembler":
    return EventAssembler(name, event_filter)


class EventAssembler:
    """Sets `doc._.drafts`: the events the sentence reports, under the labelling rules."""

    def __init__(self, name: str, event_filter: DraftFilter) -> None:
        self.name = name
        self.event_filter = event_filter

    def __call__(self, doc: Doc) -> Doc:
        return self.set_annotations(doc, self.match(doc))

    def match(self, doc: Doc) -> list[Draft]:
        context: Context = doc._.context or Context(published=None, party=None)
        marks = [Mark(span.start_char, span.end_char, span.label_) for span in doc.spans.get(SPANS_KEY, [])]
        places = doc._.places or []
        text = sentence_text(doc)
        parsed = split_clauses(text, doc.user_data.get(MORPHS_KEY, []))
        dates = context.dates_in(text)
        return self.event_filter(sentence_events(text, marks, places, dates, context, parsed))

    def set_annotations(self, doc: Doc, drafts: list[Draft]) -> Doc:
        doc._.drafts = drafts
        return doc


def sentence_text(doc: Doc) -> str:
    """The sentence as given to `run` (Doc.text is rebuilt from every token on each access)."""
    return doc.user_data.get("twinwatch.text") or doc.text


def run(nlp: Language, text: str, context: Context) -> Doc:
    """The pipeline over one sentence with the document's context attached."""
    doc = nlp.make_doc(text)
    doc.user_data["twinwatch.text"] = text
    doc._.context = context
    for _name, component in nlp.pipeline:
        doc = component(doc)
    return doc


def describe(doc: Doc) -> dict[str, Any]:
    """A debugging view of what the pipeline saw in one sentence."""
    return {"tokens": [t.text for t in doc],
            "spans": [(s.label_, s.text) for s in doc.spans.get(SPANS_KEY, [])],
            "places": [(p.name, p.kind, p.tail) for p in doc._.places or []],
            "place_spans": [(s.label_, s.text) for s in doc.spans.get(PLACES_KEY, [])],
            "drafts": [(d.party.name, d.partner.name, d.agreement_type, d.status, d.date) for d in doc._.drafts or []]}


def build_pipeline() -> Language:
    """A fresh pipeline: Kiwi tokenizer → span ruler (terms, cues) → places → event assembler."""
    nlp = spacy_blank()
    ruler = nlp.add_pipe("span_ruler", name="twinwatch_terms",
                         config={"spans_key": SPANS_KEY, "validate": True, "overwrite": False})
    patterns = ruler_patterns()
    ruler.add_patterns(exact_first_tokens(patterns))  # type: ignore[attr-defined]
    match_whole_words(ruler, nlp.vocab, patterns)
    nlp.add_pipe("twinwatch_place_finder")
    nlp.add_pipe("twinwatch_event_assembler")
    return nlp


def get_pipeline() -> Language:
    """The process's one pipeline (built on first use)."""
    global _pipeline
    if _pipeline is None:
        with _pipeline_lock:
            if _pipeline is None:
                _pipeline = build_pipeline()
    return _pipeline
