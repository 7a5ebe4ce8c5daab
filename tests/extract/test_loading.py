"""What start-up leans on: the gazetteer's names prepared at build time as Kiwi user words, and
the long-lived data made with the garbage collector paused."""

from __future__ import annotations

import gc

import pytest
from kiwipiepy import Kiwi

from extract.gazetteer import load_gazetteer
from extract.gazetteer.gazetteer import data_digest
from extract.loading import long_lived
from extract.nlp.pipeline import (PREPARED_WORDS, add_gazetteer_words, gazetteer_words,
                                  prepared_words_digest, write_prepared_words)

# A made-up name Kiwi splits (새벽 하늘 시) unless it was added as a user word.
NAME = "새벽하늘시"


def test_the_committed_words_are_read_from_the_packaged_gazetteer():
    """Fails after the gazetteer data or the word rule changed: run `make words`."""
    stale = f"{PREPARED_WORDS.name} is stale: run `make words`"
    assert prepared_words_digest() == data_digest(), stale
    lines = PREPARED_WORDS.read_text(encoding="utf-8").splitlines()[1:]
    assert [line.split("\t") for line in lines] == [[word, "NNP", "0"] for word in
                                                   gazetteer_words(load_gazetteer())], stale


def _kiwi() -> Kiwi:
    return Kiwi(num_workers=1, load_default_dict=False, load_typo_dict=False, load_multi_dict=False)


def _kept_whole(kiwi: Kiwi, word: str) -> bool:
    return [token.form for token in kiwi.tokenize(f"{word}와 협약을 맺었다")][0] == word


def test_fresh_prepared_words_are_what_kiwi_reads(tmp_path):
    prepared = tmp_path / "words.tsv"
    write_prepared_words([NAME], data_digest(), prepared)
    kiwi = _kiwi()
    add_gazetteer_words(kiwi, set(), prepared)
    assert _kept_whole(kiwi, NAME)


@pytest.mark.parametrize("digest", ["0" * 64, ""], ids=["other data", "no digest"])
def test_stale_prepared_words_are_not_read(tmp_path, digest):
    """Words prepared from other gazetteer data are ignored: the gazetteer's own names are
    added instead, as if there were no prepared file."""
    prepared = tmp_path / "words.tsv"
    write_prepared_words([NAME], digest, prepared)
    kiwi = _kiwi()
    add_gazetteer_words(kiwi, set(), prepared)
    assert not _kept_whole(kiwi, NAME)
    assert _kept_whole(kiwi, "보스턴시")  # a gazetteer name, added from the gazetteer itself


def test_a_word_added_before_keeps_its_tag(tmp_path):
    """A prepared name already added with a tag of its own (an agreement term) is not added
    again as a proper noun."""
    prepared = tmp_path / "words.tsv"
    write_prepared_words([NAME], data_digest(), prepared)
    kiwi = _kiwi()
    kiwi.add_user_word(NAME, "NNG")
    add_gazetteer_words(kiwi, {NAME}, prepared)
    assert [(t.form, t.tag) for t in kiwi.tokenize(f"{NAME}와")][0] == (NAME, "NNG")


@pytest.mark.parametrize("enabled", [True, False])
def test_long_lived_data_is_made_without_collections_and_frozen(enabled):
    gc.enable() if enabled else gc.disable()
    try:
        with long_lived():
            assert not gc.isenabled()
            kept = [[index] for index in range(1000)]
        assert gc.isenabled() is enabled
        assert gc.get_freeze_count() >= len(kept)
    finally:
        gc.enable()
        gc.unfreeze()


def test_the_pipeline_is_made_with_the_kiwi_tokenizer():
    """spaCy builds the registered Kiwi tokenizer itself, not its own rule-based one first."""
    from extract.nlp.pipeline import KIWI_TOKENIZER, KiwiTokenizer, spacy_blank

    nlp = spacy_blank()
    assert isinstance(nlp.tokenizer, KiwiTokenizer)
    assert nlp.config["nlp"]["tokenizer"] == {"@tokenizers": KIWI_TOKENIZER}
