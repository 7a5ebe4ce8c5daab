"""Prepare the gazetteer's names as Kiwi user words (extract/nlp/data/gazetteer_words.tsv).

    .venv/bin/python scripts/prepare_words.py     (or `make words`; `make gazetteer` runs it)

Run after the gazetteer data changes: the file is headed by the digest of the data it was read
from, and a stale file is not used (Kiwi then reads the names out of the gazetteer at start).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from extract.gazetteer import load_gazetteer  # noqa: E402
from extract.gazetteer.gazetteer import data_digest  # noqa: E402
from extract.nlp.pipeline import PREPARED_WORDS, gazetteer_words, write_prepared_words  # noqa: E402


def main() -> int:
    words = gazetteer_words(load_gazetteer())
    write_prepared_words(words, data_digest())
    print(f"{len(words)} words → {PREPARED_WORDS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
