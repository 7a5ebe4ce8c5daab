"""Korean NLP: one Kiwi per process, wrapped as the tokenizer of a spaCy `Language`.

Kiwi is the only Korean analyser that needs no system library (spaCy's own 'ko' needs mecab), but
it costs ~1.3 s of CPU to load and warm up and ~330 MB of memory, so the process holds
exactly one, behind `get_kiwi()`. Its tokens become a spaCy `Doc` built from the original text
(`words` + `spaces`), so every span maps back to character offsets of the sentence.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # spaCy is imported where a pipeline is built: `--help` must not pay for it
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from extract.gazetteer import Gazetteer

from extract.nlp.clauses import Morph

log = logging.getLogger(__name__)

# The rule files (JSONL) sit at the top of `extract/`: the readers of every sub-package share them.
PATTERN_DIR = Path(__file__).resolve().parents[1] / "patterns"
# Spans the rule files produce; the assembler reads them from doc.spans[SPANS_KEY].
SPANS_KEY = "twinwatch"
MORPHS_KEY = "twinwatch.morphs"
# The gazetteer's ~51,000 names Kiwi keeps whole, prepared at build time (`make words`:
# scripts/prepare_words.py) as a Kiwi user dictionary: reading them out of the gazetteer and
# adding them one call at a time cost ~0.3 s of every start (benchmarks/extract_speed.py).
PREPARED_WORDS = Path(__file__).resolve().parent / "data" / "gazetteer_words.tsv"
PREPARED_HEADER = "# gazetteer data sha256 "
KIWI_TOKENIZER = "twinwatch.kiwi_tokenizer.v1"

_kiwi: Any = None
_kiwi_lock = threading.Lock()


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The records of a JSONL data file; blank lines and `//` comment lines are skipped."""
    records = []
    for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("//"):
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path.name}:{line_no}: {exc}") from exc
    return records


def pattern_words() -> list[tuple[str, str]]:
    """Agreement terms Kiwi must keep whole (data file), with their tags."""
    return [(rec["word"], rec.get("tag", "NNP")) for rec in read_jsonl(PATTERN_DIR / "user_words.jsonl")]


def gazetteer_words(gazetteer: Gazetteer) -> list[str]:
    """Place names Kiwi must keep whole (as NNP), each once, in the gazetteer's order. Short
    forms (2 chars, e.g. 서울) are common words too; only suffixed names are safe."""
    words: dict[str, None] = {}
    for form, label, _place_id in gazetteer.surface_forms():
        if label in ("KR_GOV", "KR_PROVINCE", "FOREIGN_PLACE") and len(form) >= 3:
            words.setdefault(form)
    return list(words)


def write_prepared_words(words: list[str], digest: str, path: Path = PREPARED_WORDS) -> None:
    """The gazetteer's words as a Kiwi user dictionary, headed by the digest of the gazetteer
    data they were read from (the build step; see `get_kiwi`)."""
    lines = [f"{PREPARED_HEADER}{digest}"] + [f"{word}\tNNP\t0" for word in words]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def prepared_words_digest(path: Path = PREPARED_WORDS) -> str | None:
    """The gazetteer digest the prepared words were read from, or None without a prepared file."""
    try:
        with path.open(encoding="utf-8") as lines:
            first = lines.readline().rstrip("\n")
    except OSError:
        return None
    return first[len(PREPARED_HEADER):] if first.startswith(PREPARED_HEADER) else None


def add_gazetteer_words(kiwi: Any, taken: set[str], prepared: Path = PREPARED_WORDS) -> None:
    """The gazetteer's names as user words, but none in `taken` (words added before keep their
    tag): from the `prepared` file when it was read from the packaged gazetteer data, else from
    the gazetteer itself (loaded for it)."""
    try:
        from extract.gazetteer import load_gazetteer
        from extract.gazetteer.gazetteer import data_digest
    except ImportError:  # the gazetteer is optional at this layer; places are also found by rule
        return
    try:
        if prepared_words_digest(prepared) == data_digest():
            lines = prepared.read_text(encoding="utf-8").splitlines()[1:]
            if not taken & {line.partition("\t")[0] for line in lines}:
                kiwi.load_user_dictionary(str(prepared))  # read in C++: no Python loop
                return
        else:
            log.warning("prepared gazetteer words are stale (run `make words`): reading the gazetteer")
        for word in gazetteer_words(load_gazetteer()):
            if word not in taken:
                taken.add(word)
                kiwi.add_user_word(word, "NNP")
    except Exception as exc:  # a broken gazetteer must not stop extraction
        log.warning("gazetteer words not added to Kiwi: %s", exc)


def get_kiwi() -> Any:
    """The process's one Kiwi (loaded on first use, with user words, and warmed up)."""
    global _kiwi
    if _kiwi is None:
        with _kiwi_lock:
            if _kiwi is None:
                from kiwipiepy import Kiwi

                # No WikiData multi-word dictionary: the gazetteer's names are user words below,
                # and without it Kiwi loads with half the CPU and ~190 MB less, giving the same
                # results on every team page (benchmarks/extract_speed.py).
                kiwi = Kiwi(num_workers=-1, load_multi_dict=False)
                taken: set[str] = set()
                for word, tag in pattern_words():  # first: a term keeps its own tag
                    if word not in taken:
                        taken.add(word)
                        kiwi.add_user_word(word, tag)
                add_gazetteer_words(kiwi, taken)
                kiwi.tokenize("시는 자매결연 협약을 체결했다.")  # pay the first-call cost here
                _kiwi = kiwi
    return _kiwi


def token_segments(text: str, tokens: Iterable[Any]) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) pieces of `text` from Kiwi tokens.

    Kiwi restores contracted morphemes (했 → 하 + 었) at the same offsets, so overlapping
    tokens are merged into one piece; characters Kiwi skipped become pieces of their own.
    """
    pieces: list[list[int]] = []
    for token in tokens:
        start, end = token.start, token.start + token.len
        if end <= start:
            continue
        if pieces and start < pieces[-1][1]:
            pieces[-1][1] = max(pieces[-1][1], end)
        else:
            pieces.append([start, end])
    segments: list[tuple[int, int]] = []
    cursor = 0
    for start, end in pieces:
        if start > cursor:  # Kiwi skipped characters (most pieces follow the last directly)
            segments.extend(_gap_segments(text, cursor, start))
        segments.append((start, end))
        cursor = end
    segments.extend(_gap_segments(text, cursor, len(text)))
    return segments


def _gap_segments(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Whitespace-separated runs of a stretch Kiwi produced no token for."""
    position = start
    while position < end:
        while position < end and text[position].isspace():
            position += 1
        run_start = position
        while position < end and not text[position].isspace():
            position += 1
        if position > run_start:
            yield run_start, position


class KiwiTokenizer:
    """spaCy tokenizer: Kiwi morpheme boundaries, words taken verbatim from the text."""

    def __init__(self, vocab: Vocab) -> None:
        from spacy.tokens import Doc

        self.vocab = vocab
        self._doc_class = Doc

    def __call__(self, text: str) -> Doc:
        tokens = get_kiwi().tokenize(text) if text.strip() else []
        segments = token_segments(text, tokens)
        words = [text[start:end] for start, end in segments]
        spaces = [end < len(text) and text[end] == " " for _start, end in segments]  # spaCy writes " "
        # A Doc holds one space at most after a word; extra whitespace becomes its own token.
        doc_words: list[str] = []
        doc_spaces: list[bool] = []
        for index, (start, end) in enumerate(segments):
            doc_words.append(words[index])
            doc_spaces.append(spaces[index])
            next_start = segments[index + 1][0] if index + 1 < len(segments) else len(text)
            gap = text[end + int(spaces[index]):next_start]
            if gap:
                doc_words.append(gap)
                doc_spaces.append(False)
        lead = text[: segments[0][0]] if segments else text
        if lead:
            doc_words.insert(0, lead)
            doc_spaces.insert(0, False)
        doc = self._doc_class(self.vocab, words=doc_words, spaces=doc_spaces)
        # the morphemes themselves (form, tag, offsets) for the clause reader
        doc.user_data[MORPHS_KEY] = [Morph.from_token(token) for token in tokens]
        return doc

    def pipe(self, texts: Iterable[str]) -> Iterator[Doc]:
        for text in texts:
            yield self(text)

    # spaCy calls these when a pipeline is saved or loaded; the tokenizer has no state of its own.
    def to_bytes(self, **_kwargs: Any) -> bytes:
        return b""

    def from_bytes(self, _data: bytes, **_kwargs: Any) -> "KiwiTokenizer":
        return self

    def to_disk(self, _path: Any, **_kwargs: Any) -> None:
        return None

    def from_disk(self, _path: Any, **_kwargs: Any) -> "KiwiTokenizer":
        return self


def ruler_patterns() -> list[dict[str, Any]]:
    """SpanRuler patterns from the data files: agreement terms and cue words."""
    return [{key: record[key] for key in ("label", "pattern", "id") if key in record}
            for name in ("terms.jsonl", "cues.jsonl") for record in read_jsonl(PATTERN_DIR / name)]


def exact_first_tokens(patterns: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Token patterns whose first token is one of a set of words (`{"TEXT": {"IN": […]}}`), as
    one pattern per word. The Matcher tries every pattern at every token: a set there is a
    Python predicate called per token, an exact text a comparison in C (a tenth of the
    ruler's time, benchmarks/extract_speed.py). The matches are the same, and the ruler keeps
    each (span, label, id) once."""
    expanded: list[dict[str, Any]] = []
    for pattern in patterns:
        tokens = pattern["pattern"]
        first = tokens[0] if isinstance(tokens, list) and tokens else None
        words = first["TEXT"].get("IN") if isinstance(first, dict) and list(first) == ["TEXT"] \
            and isinstance(first["TEXT"], dict) and list(first["TEXT"]) == ["IN"] else None
        if not words:
            expanded.append(pattern)
            continue
        expanded.extend({**pattern, "pattern": [{"TEXT": word}, *tokens[1:]]} for word in dict.fromkeys(words))
    return expanded


def match_whole_words(ruler: Any, vocab: Vocab, patterns: list[dict[str, Any]]) -> None:
    """A phrase is matched on Kiwi's pieces of the phrase alone ('합의'+'서'), but inside a
    sentence Kiwi may keep the word whole ('교류협력 합의서를'): each phrase also matches one token
    that is the whole phrase. Added as one-token phrases, not as `[{"TEXT": phrase}]` token
    patterns: the Matcher tries each of its patterns at every token, and the phrases took half
    the ruler's time there (benchmarks/extract_speed.py)."""
    from spacy.tokens import Doc

    for pattern in patterns:
        if isinstance(pattern["pattern"], str):
            # the match key SpanRuler.add_patterns gave the phrase's (label, id)
            key = repr((pattern["label"], pattern.get("id", "")))
            ruler.phrase_matcher.add(key, [Doc(vocab, words=[pattern["pattern"]])])


def spacy_blank() -> Language:
    """A language-neutral spaCy pipeline ('xx': no mecab, no language data needed) with the Kiwi
    tokenizer, registered under a versioned name: spaCy then never builds its own rule-based
    tokenizer only to have it replaced (its affix regexes cost ~0.05 s of every start)."""
    import spacy
    from spacy.util import registry

    if KIWI_TOKENIZER not in registry.tokenizers:
        registry.tokenizers.register(KIWI_TOKENIZER, func=make_kiwi_tokenizer)
    return spacy.blank("xx", config={"nlp": {"tokenizer": {"@tokenizers": KIWI_TOKENIZER}}})


def make_kiwi_tokenizer() -> Callable[[Language], KiwiTokenizer]:
    """The `KIWI_TOKENIZER` factory: spaCy calls what it returns with the new `Language`."""
    return lambda nlp: KiwiTokenizer(nlp.vocab)
