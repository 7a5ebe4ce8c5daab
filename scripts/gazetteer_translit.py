"""Rule-based Korean spellings of foreign place names, for the gazetteer build only.

Implements the procedures described in gazetteer-sources/transcription/README*.md over the tables
shipped there (외래어 표기법: 표 5 Mandarin, 표 4 Japanese), plus Sino-Korean readings of Han
characters (simplified → traditional with hanziconv, then the `hanja` package's reading table).
Every function returns None when a name does not fit the rules: a missing variant is better than a
wrong one.
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from pathlib import Path

HANGUL_BASE = 0xAC00
JONG_NIEUN = 4  # index of ㄴ among the final consonants
JONG_SIOT = 19  # index of ㅅ


class PinyinTranscriber:
    """Mandarin pinyin → Hangul (README.md: normalise, split, segment with fewest syllables)."""

    def __init__(self, table_path: Path) -> None:
        with table_path.open(encoding="utf-8") as handle:
            self.hangul_of = {row["pinyin"]: row["hangul"] for row in csv.DictReader(handle)}
        self.longest = max(len(key) for key in self.hangul_of)

    def transcribe(self, name: str) -> str | None:
        text = name.lower().replace("ü", "v").replace("u:", "v")
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
        words = [word for word in re.split(r"[^a-z]+", text) if word]
        if not words:
            return None
        parts = []
        for word in words:
            syllables = self._segment(word, strict=True) or self._segment(word, strict=False)
            if syllables is None:
                return None
            parts.append("".join(self.hangul_of[s] for s in syllables))
        return "".join(parts)

    def _segment(self, word: str, *, strict: bool) -> list[str] | None:
        @functools.cache
        def best_from(start: int) -> tuple[str, ...] | None:
            if start == len(word):
                return ()
            best: tuple[str, ...] | None = None
            for end in range(min(len(word), start + self.longest), start, -1):
                syllable = word[start:end]
                if syllable not in self.hangul_of:
                    continue
                # pinyin's apostrophe rule: a/o/e-initial syllables only start a word
                if strict and start > 0 and syllable[0] in "aoe":
                    continue
                rest = best_from(end)
                if rest is not None and (best is None or len(rest) + 1 < len(best)):
                    best = (syllable, *rest)
            return best

        result = best_from(0)
        return list(result) if result is not None else None


class RomajiTranscriber:
    """Hepburn romaji → Hangul (README_ja.md steps 1–7, guards G1–G4)."""

    GENERIC_SUFFIX = re.compile(
        r"[- ](shi|ku|ken|fu|to|chō|cho|machi|mura|son|gun|city|prefecture|ward|town|village)$")

    def __init__(self, table_path: Path) -> None:
        with table_path.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        self.initial = {row["romaji"]: row["initial"] for row in rows}
        self.medial = {row["romaji"]: row["medial"] for row in rows}

    def transcribe(self, name: str, *, popular: bool = False) -> str | None:
        """Standard spelling; with `popular`, the everyday one the check_pairs_ja.csv notes list
        as non-standard: aspirated word-initial consonants (코베, 쿠마모토) and ツ as 츠 (마츠에)."""
        text = unicodedata.normalize("NFC", name.split(",")[0]).strip()
        for mark in "’‘ʼ`":
            text = text.replace(mark, "'")
        text = self.GENERIC_SUFFIX.sub("", text.lower())
        words = [w for w in text.split() if w]
        out = []
        for word in words:
            morae = self._morae(word)
            if morae is None:
                return None
            out.append(self._compose(morae, popular=popular))
        return " ".join(out) or None

    def _morae(self, word: str) -> list[str] | None:
        """Morae with markers: 'N' moraic nasal, 'Q' sokuon, '|' boundary, '~' long mark."""
        long_vowels = {"ā": "a~", "ī": "i~", "ū": "u~", "ē": "e~", "ō": "o~",
                       "â": "a~", "î": "i~", "û": "u~", "ê": "e~", "ô": "o~"}
        word = "".join(long_vowels.get(ch, ch) for ch in word)
        word = re.sub(r"m(?=[bmp])", "n", word)
        word = re.sub(r"oh(?=[^aeiouy]|$)", "o", word)
        morae: list[str] = []
        pos = 0
        while pos < len(word):
            ch = word[pos]
            if ch in "'-~":
                morae.append("|" if ch != "~" else "~")
                pos += 1
            elif ch == "n" and (pos + 1 == len(word) or word[pos + 1] not in "aeiouy"):
                morae.append("N")
                pos += 1
            elif (ch not in "nmyw" and ch.isalpha() and ch not in "aeiou" and pos + 1 < len(word)
                  and (word[pos + 1] == ch or word[pos:pos + 3] in ("tch", "tts", "cch"))):
                morae.append("Q")
                pos += 1
            else:
                for size in (3, 2, 1):
                    if word[pos:pos + size] in self.initial:
                        morae.append(word[pos:pos + size])
                        pos += size
                        break
                else:
                    return None
        return self._drop_long_vowels(morae)

    @staticmethod
    def _drop_long_vowels(morae: list[str]) -> list[str]:
        kept: list[str] = []
        for index, mora in enumerate(morae):
            previous = morae[index - 1] if index else ""
            following = morae[index + 1] if index + 1 < len(morae) else ""
            if mora in "aiueo" and mora and previous and previous[-1] in "aiueo":
                pair = previous[-1] + mora
                if pair in ("aa", "ii", "uu", "ee", "oo", "ou") and not (
                    (mora == "u" and following in ("a", "i", "u", "e", "o"))  # G1
                    or (pair == "oo" and (previous == "yo" or (previous == "no" and index > 1)))  # G2
                    or (pair == "uu" and following == "ra")  # G3
                    or (pair == "ou" and previous == "no" and index > 1 and following == "chi")  # G4
                ):
                    continue
            kept.append(mora)
        return kept

    def _compose(self, morae: list[str], *, popular: bool = False) -> str:
        syllables: list[str] = []
        for mora in morae:
            if mora in ("|", "~"):
                continue
            if mora in ("N", "Q"):
                if syllables:
                    syllables[-1] = add_final(syllables[-1], JONG_NIEUN if mora == "N" else JONG_SIOT)
                continue
            table = self.initial if syllables == [] and not popular else self.medial
            hangul = table[mora]
            syllables.append("츠" if popular and hangul == "쓰" else hangul)
        return "".join(syllables)


def add_final(syllable: str, final_index: int) -> str:
    """Give the last Hangul syllable a final consonant (받침) if it has none."""
    code = ord(syllable[-1]) - HANGUL_BASE
    if not 0 <= code < 11172 or code % 28:
        return syllable
    return syllable[:-1] + chr(ord(syllable[-1]) + final_index)


HAN_RE = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff]+$")


def is_han(text: str) -> bool:
    return bool(HAN_RE.match(text))


@functools.cache
def _hanja_modules():  # imported lazily: build-only dependencies
    import hanja  # type: ignore[import-untyped]
    from hanziconv import HanziConv  # type: ignore[import-untyped]
    return hanja, HanziConv


def sino_korean_reading(han: str) -> str | None:
    """Korean reading of Han characters (威海 → 위해, 青岛 → 청도), with the initial-sound rule."""
    if not is_han(han):
        return None
    hanja, converter = _hanja_modules()
    traditional = converter.toTraditional(han)
    reading = hanja.translate(traditional, "substitution")
    if not all("\uac00" <= ch <= "\ud7a3" for ch in reading):
        return None
    return reading


HAN_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县",
                "地区", "省", "市", "县", "區", "区", "縣", "州", "盟", "旗")


def strip_han_suffix(name: str) -> tuple[str, str]:
    """'威海市' → ('威海', '市'); keeps at least two characters of stem."""
    for suffix in HAN_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)], suffix
    return name, ""


def han_to_pinyin(han: str) -> str | None:
    """Toneless pinyin of a Chinese name, syllables joined by apostrophes (for segmentation)."""
    from pypinyin import Style, lazy_pinyin  # type: ignore[import-untyped]
    syllables = lazy_pinyin(han, style=Style.NORMAL, v_to_u=False)
    if not syllables or not all(s.isascii() and s.isalpha() for s in syllables):
        return None
    return "'".join(syllables)


CHOSEONG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
Y_GLIDE = {0: 2, 1: 3, 4: 6, 5: 7, 8: 12, 13: 17}  # ㅏ→ㅑ ㅐ→ㅒ ㅓ→ㅕ ㅔ→ㅖ ㅗ→ㅛ ㅜ→ㅠ
JONG_RIEUL = 8
VIETNAMESE_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
VIETNAMESE_GENERIC = ("thành phố ", "thị trấn ", "thị xã ", "tỉnh ", "huyện ", "quận ", "xã ")
VIETNAMESE_VOWELS = "aăâeêioôơuưy"


def _set_initial(block: str, initial: str) -> str:
    code = ord(block) - HANGUL_BASE
    return chr(HANGUL_BASE + CHOSEONG.index(initial) * 588 + code % 588)


def _set_vowel(block: str, vowel_index: int) -> str:
    code = ord(block) - HANGUL_BASE
    return chr(HANGUL_BASE + (code // 588) * 588 + vowel_index * 28 + code % 28)


class VietnameseTranscriber:
    """Vietnamese (with diacritics) → Hangul (README_vi.md steps 1–7; no minority clusters)."""

    def __init__(self, table_path: Path) -> None:
        with table_path.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        self.initials = {r["part"]: r["hangul"] for r in rows if r["position"] == "initial"}
        self.rhymes = {r["part"]: r["hangul"] for r in rows if r["position"] == "rhyme"}
        self.words = {self._normalise(r["part"]): r["hangul"] for r in rows if r["position"] == "word"}

    @staticmethod
    def _normalise(name: str) -> str:
        text = unicodedata.normalize("NFD", name.replace("Ð", "Đ").replace("ð", "đ"))
        text = "".join(ch for ch in text if ch not in VIETNAMESE_TONES)
        return unicodedata.normalize("NFC", text).lower().strip()

    def transcribe(self, name: str) -> str | None:
        if name.isascii() and "d" in name.lower():
            return None  # without diacritics d/đ cannot be told apart (Da Nang would give 자낭)
        text = self._normalise(name)
        if text in self.words:
            return self.words[text]
        for generic in VIETNAMESE_GENERIC:
            if text.startswith(generic):
                text = text[len(generic):]
        blocks: list[str] = []
        for syllable in re.split(r"[\s\-–—']+", text):
            if not syllable:
                continue
            hangul = self._syllable(syllable)
            if hangul is None:
                return None
            if syllable.startswith("l") and blocks and (ord(blocks[-1][-1]) - HANGUL_BASE) % 28 == 0:
                blocks[-1] = add_final(blocks[-1], JONG_RIEUL)  # 세칙 제4항: Hạ Long 할롱
            blocks.append(hangul)
        return "".join(blocks) or None

    def _syllable(self, syllable: str) -> str | None:
        initial = next((i for i in sorted(self.initials, key=len, reverse=True)
                        if i and syllable.startswith(i)), "")
        rest = syllable[len(initial):]
        if initial == "gi" and (not rest or rest[0] not in VIETNAMESE_VOWELS or rest[0] == "ê"):
            rest = "i" + rest
        if initial == "qu":
            if rest[:1] in ("a", "ă") and rest in self.rhymes:
                template = self.rhymes[rest]
                return _set_vowel(_set_initial(template[0], "ㄲ"), 9) + template[1:]
            return "꾸" + self.rhymes[rest] if rest in self.rhymes else None
        template = self.rhymes.get(rest)
        if template is None:
            return None
        if initial in ("ng", "ngh"):
            return "응" + template
        if initial == "nh":
            code = ord(template[0]) - HANGUL_BASE
            vowel = (code % 588) // 28
            first = _set_vowel(_set_initial(template[0], "ㄴ"), Y_GLIDE.get(vowel, vowel))
            return first + template[1:]
        jamo = self.initials[initial] if initial else "ㅇ"
        return _set_initial(template[0], jamo) + template[1:]
