"""The NLP layer: one Kiwi, a spaCy pipeline whose tokens map back to the text, data-file patterns."""

from __future__ import annotations

import pytest
from spacy.util import registry

from extract.nlp.pipeline import SPANS_KEY, get_kiwi, ruler_patterns, token_segments
from extract.rules.components import PLACES_KEY, get_pipeline, run
from extract.rules.drafts import Context


@pytest.mark.parametrize("text", [
    "황명선 논산시장은 지난 18일 말랑(Malang)시청에서 우호교류협정서에 서명했다.",
    "  두 칸  띄어 쓴   문장과\t탭도 있다. ",
    "웨이하이(威海)시와는 우호도시 협약서를 맺을 계획이다.",
    "MOU·LOI 체결했다…",
])
def test_tokens_rebuild_the_text_exactly(text: str) -> None:
    doc = get_pipeline().make_doc(text)
    assert doc.text == text
    for token in doc:
        assert text[token.idx:token.idx + len(token.text)] == token.text


def test_contracted_morphemes_become_one_piece() -> None:
    text = "체결했다"
    pieces = [text[start:end] for start, end in token_segments(text, get_kiwi().tokenize(text))]
    assert pieces == ["체결", "했", "다"]


def test_one_kiwi_per_process() -> None:
    assert get_kiwi() is get_kiwi()
    assert get_pipeline() is get_pipeline()


def test_pipeline_shape() -> None:
    nlp = get_pipeline()
    assert nlp.pipe_names == ["twinwatch_terms", "twinwatch_place_finder", "twinwatch_event_assembler"]
    assert registry.misc.get("twinwatch.event_filter.v1")


def test_patterns_come_from_the_data_files() -> None:
    labels = {p["label"] for p in ruler_patterns()}
    assert {"TERM_LOI", "TERM_SISTER", "TERM_FRIEND", "TERM_MOU", "SIGN", "PLAN", "RENEW", "ANNIV"} <= labels


def test_spans_and_places_point_into_the_sentence() -> None:
    text = "충남 당진시는 지난 10일 중국 르자오시와 자매결연 협약서에 서명했다."
    doc = run(get_pipeline(), text, Context(published="2024-05-20", party=None))
    spans = {(s.label_, s.text) for s in doc.spans[SPANS_KEY]}
    assert ("TERM_SISTER", "자매결연") in spans and ("SIGN", "서명") in spans
    assert ("FOREIGN_PLACE", "르자오시") in {(s.label_, s.text) for s in doc.spans[PLACES_KEY]}
    for place in doc._.places:
        assert text[place.start:place.end] == place.name or "(" in text[place.start:place.end]
    assert [(d.party.name, d.partner.name, d.date) for d in doc._.drafts] == [("당진시", "르자오시", "2024-05-10")]


def test_a_phrase_kiwi_keeps_whole_is_matched_as_one_token() -> None:
    """'합의서' is matched on Kiwi's pieces ('합의'+'서') and also where Kiwi keeps it one token."""
    text = "김천시는 지난 13일 시청 2층 상황실에서 네팔 포카라시와 관광·체육 분야 교류협력 합의서를 체결했다고 15일 밝혔다."
    doc = run(get_pipeline(), text, Context(published="2024-05-20", party=None))
    assert "합의서" in [token.text for token in doc]
    assert ("TERM_GENERIC", "합의서") in {(s.label_, s.text) for s in doc.spans[SPANS_KEY]}
