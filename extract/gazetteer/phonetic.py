"""Phonetic keys of Hangul and Latin place names, and the distance between two keys.

A Korean page writes a foreign place in Hangul, often not in the standard spelling (풀러튼 or
풀러턴 for Fullerton, 고주프 for Gorzów). Both sides are reduced to one small alphabet:
consonant classes in capitals (B = ㅂ/b v, P = ㅍㅃ/p f, D = ㄷ/d, T = ㅌㄸ/t, G = ㄱ/g,
K = ㅋㄲ/k q c, S = ㅅㅆ/s sh, J = ㅈㅉㅊ/j ch z ts, M, N = ㄴ, final ㅇ/n ng, L = ㄹ/l r,
H = ㅎ/h kh; voiced and voiceless pairs are near, as the loanword rules write b with ㅂ and p
with ㅍ while older spellings use ㅃ ㄸ ㄲ) and vowels in lower case
(a e i o u, v for ㅓ, which stands for English schwa, 'er', 'o' …). The epenthetic ㅡ that Korean
puts into consonant clusters (그랜트 for Grant) is dropped. Latin spelling is read with a few
rules per language (Polish rz, German z, Spanish j, Portuguese lh …).

The distance is an edit distance over those keys in which vowels and the consonants Korean
transcription often adds or drops (h, r/l) cost less than other consonants. Calibrated on the
tune half of benchmarks/data/partner_cities.tsv.
"""

from __future__ import annotations

import re
import unicodedata

# --- Hangul ------------------------------------------------------------------------------------

_INITIAL = "GKNDTLMBPSS JJJKTPH"  # ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ (ㅇ silent)
_MEDIAL = ("a", "e", "ia", "ie", "v", "e", "iv", "ie", "o", "ua", "ue", "ue", "io", "u", "uv", "ue",
           "ui", "iu", "", "i", "i")  # ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ (ㅡ: epenthetic)
# A final ㅅ marks a doubled consonant in older spellings (훗카이도, 삿포로, 돗토리): no sound.
_FINAL = ("", "K", "K", "K", "N", "N", "N", "T", "L", "K", "M", "L", "L", "L", "P", "L", "M", "P",
          "P", "", "", "N", "T", "T", "K", "T", "P", "T")

# Generic words written after a foreign place's name, and the kind of unit each implies.
KOREAN_GENERIC: tuple[tuple[str, str], ...] = (
    ("특별행정구", "admin1"), ("자치주", "admin1"), ("카운티", "county"), ("타운십", "township"),
    ("타운쉽", "township"), ("아이막", "admin1"), ("아이마그", "admin1"), ("시티", "city"),
    ("마치", "city"), ("무라", "city"), ("시", "city"), ("군", "city"), ("구", "district"),
    ("주", "admin1"), ("성", "admin1"), ("도", "admin1"), ("현", "admin1"), ("정", "city"),
    ("초", "city"), ("촌", "city"), ("솜", "city"),
)


# Countries whose names Korean writes with no consonant cluster: each ㅡ there is a vowel
# (Japanese su/tsu/zu: 스즈카 Suzuka, 오쓰 Ōtsu), never the epenthetic ㅡ of 그랜트 (Grant).
_U_NOT_EPENTHETIC = {"JP"}


def hangul_key(text: str, country: str | None = None) -> str:
    """'풀러턴' → 'PuLvTvN'; non-Hangul characters are ignored."""
    u_vowel = "u" if country in _U_NOT_EPENTHETIC else ""
    out = []
    for char in text:
        code = ord(char) - 0xAC00
        if not 0 <= code < 11172:
            continue
        initial, medial, final = code // 588, (code % 588) // 28, code % 28
        out.append(_INITIAL[initial].strip() + (_MEDIAL[medial] or u_vowel) + _FINAL[final])  # ㅡ is the one empty medial
    return unglide(collapse("".join(out)))


def unglide(key: str) -> str:
    """The y-glide after ㅈ ㅉ ㅊ is no sound of its own: Korean spelling writes 쟈 and 자, 쥬 and
    주 alike (쟈씽 and 자싱 for Jiaxing), and Latin j/ch before i + vowel is heard the same way
    (Italian Giovanni 조반니, pinyin jia 자). After ㅅ it marks sh, which one rule set writes
    with it (English sh: 셰필드) and another without (pinyin sh: 선양), so pages use both
    (션양): the key keeps neither."""
    return _GLIDE_AFTER_SIBILANT.sub(r"\1", key)


_GLIDE_AFTER_SIBILANT = re.compile(r"([JS])i(?=[aeouv])")


def strip_korean_generic(text: str) -> tuple[str, str | None]:
    """('풀러턴', 'city') for '풀러턴시'; the name itself when no generic word ends it or when
    removing a word of one or two syllables would leave one (광주, 청도: the word is the name's
    own). A longer word is never part of a name: 킹카운티 is King County."""
    compact = re.sub(r"\s+", "", text)
    for word, kind in KOREAN_GENERIC:
        if compact.endswith(word) and len(compact) - len(word) >= (1 if len(word) >= 3 else 2):
            return compact[: -len(word)], kind
    return compact, None


# --- Latin -------------------------------------------------------------------------------------

_LATIN_GENERIC = re.compile(
    r"\b(county|city|township|province|prefecture|oblast|oblysy|krai|kray|region|aimag|aymag|"
    r"district|municipality|state|shi|ken|machi|mura|kota|kabupaten|regency|special|autonomous|"
    r"metropolitan|capital|territory|governorate|department|of|the|shire|borough|gun|do|si|greater)\b")
_GLUED_GENERIC = re.compile(r"(chō|-shi|-machi|-mura|-ken|-chō)$")
_SPANISH = {"ES", "MX", "AR", "CL", "PH", "CO", "PE", "VE", "UY", "CR", "CU", "EC", "BO", "PY",
            "GT", "HN", "NI", "SV", "PA", "DO"}
_ENGLISH = {"US", "CA", "AU", "NZ", "GB", "IE", "ZA"}
_POST_SOVIET = {"RU", "UA", "BY", "KZ", "UZ", "KG", "TJ", "MN", "AZ", "GE", "AM", "TM"}

# Rules applied in order to the lower-cased name; capitals are consonant classes (final).
_RULES: dict[str, tuple[tuple[str, str], ...]] = {
    "spanish": (("ll", "i"), ("ñ", "Ni"), (r"gu(?=[ei])", "G"), (r"g(?=[ei])", "H"), ("qu", "K"), ("j", "H"), ("ch", "J"),
                ("z", "S"), (r"c(?=[ei])", "S"), ("h", "")),
    "portuguese": (("lh", "Li"), ("nh", "Ni"), ("ch", "S"), ("ç", "S"), (r"\brr|^r|rr|\br", "H"),
                   (r"d[ei]\b", "Ji"), (r"t[ei]\b", "Ji"), ("di", "Ji"), ("ti", "Ji"), (r"o\b", "u"),
                   (r"m\b", "N"), ("x", "S"), ("qu", "K"), (r"c(?=[ei])", "S")),
    # s before a vowel is voiced, which Korean writes ㅈ (Solingen 졸링겐, Rosenheim 로젠하임)
    "german": (("sch", "S"), ("ch", "H"), ("z", "J"), (r"(?<![a-zäöüß])s(?=[aeiouäöüy])", "J"),
               (r"(?<=[aeiouäöülrnm])s(?=[aeiouäöü])", "J"), ("w", "B"), ("ei", "ai"), ("eu", "oi"),
               ("ie", "i"), ("j", "i"), (r"(?<=[aeiouäöü])h", "")),
    "polish": (("dź", "J"), ("dż", "J"), ("dz", "J"), ("rz", "J"), ("sz", "S"), ("cz", "J"), ("ch", "H"), ("ł", "u"), ("ó", "u"), ("ż", "J"),
               ("ź", "J"), ("ś", "S"), ("ć", "J"), ("ń", "N"), (r"w\b", "P"), ("w", "B"), ("j", "i"),
               ("c", "J")),
    "czech": (("ch", "H"), ("č", "J"), ("š", "S"), ("ž", "J"), ("ř", "J"), ("c", "J"), ("j", "i")),
    "hungarian": (("sz", "S"), ("cs", "J"), ("zs", "J"), ("gy", "J"), ("ny", "Ni"), ("ly", "i"),
                  ("s", "S"), ("c", "J")),
    "turkish": (("ç", "J"), ("c", "J"), ("ş", "S"), ("ğ", ""), ("ı", "u"), ("j", "J")),
    "italian": ((r"sc(?=[ei])", "S"), (r"c(?=[ei])", "J"), ("ch", "K"), ("gh", "G"), (r"g(?=[ei])", "J"),
                ("gl", "L"), ("gn", "Ni"), ("z", "J")),
    "french": (("eau", "o"), ("au", "o"), ("ou", "u"), ("oi", "ua"), ("ch", "S"), ("qu", "K"),
               ("gn", "Ni"), (r"(?<=\w)[stxdz]\b", ""), (r"(?<=\w)e\b", "")),
    "nordic": (("å", "o"), ("j", "i"), ("ø", "o"), (r"g(?=[eiyäö])", "i"), (r"(?<=r)g\b", "i")),
    "dutch": (("ij", "ei"), ("oe", "u"), ("sch", "SK"), ("ch", "H"), ("g", "H"), ("j", "i"), ("w", "B")),
    "post_soviet": (("shch", "S"), ("kh", "H"), ("zh", "J"), ("ts", "J"), ("ch", "J"), ("sh", "S"),
                    ("x", "H"), ("‘", ""), ("ʻ", "")),
    "malay": (("sy", "S"), ("ny", "Ni"), ("kh", "H"), ("c", "J"), ("j", "J")),
    # Read as Vietnamese is pronounced and the loanword table writes it (README_vi of the
    # transcription sources): qu+a is ㄲ+ㅘ (Quang 꽝), ư is ㅡ, ơ/â/ươ are ㅓ (Dương 즈엉), kh is ㅋ,
    # final ch is ㄱ; tones are dropped first so that marked vowels keep their quality (ə: the
    # key's ㅓ, which a Latin 'v' cannot stand for).
    "vietnamese": (("đ", "D"), ("qu", "Ku"), ("ươ", "ə"), ("ư", ""), ("ơ", "ə"), ("â", "ə"),
                   (r"nh\b", "N"), ("nh", "Ni"), ("ph", "P"), ("tr", "J"), (r"ch\b", "K"), ("ch", "J"),
                   ("gi", "J"), ("d", "J"), ("x", "S"), ("th", "T"), ("kh", "K"), ("ng", "N")),
    # Hanyu pinyin as the loanword table writes it (README_zh of the transcription sources):
    # zh ch z c j q are ㅈ/ㅊ, sh x s are ㅅ; the i after zh ch sh r z c s is the ㅡ Korean
    # drops (shi 스, ri 르); e is ㅓ (shen 선) except in ie ei üe, and ian is 옌/ㅖ (tian 톈);
    # ou is 어우 (zhou 저우), uo is ㅝ (guo 궈), ong is ㅜㅇ (zhong 중), u after j q x y is ㅟ (xu 쉬, yun 윈).
    "pinyin": (("zh", "J"), ("ch", "J"), ("sh", "S"), (r"(?<=[JSzcsr])i", ""), (r"ian(?!g)", "ien"),
               (r"(?<=[jqx])u", "ui"), ("yu", "ui"), ("c", "J"), ("q", "J"), ("x", "S"), (r"(?<![iuüy])e(?!i)", "ə"),
               (r"(?<!y)ou", "əu"), ("uo", "uə"), ("ong", "ung"), (r"ng(?![aeiouü])", "N")),
    # Hepburn romaji as the loanword table writes it (README_ja of the transcription sources):
    # tsu is 쓰 (the generic key keeps 츠/쯔), long vowels are not written, n before b m p is ㄴ
    # (Namba 난바). Not fu → 후: pages write 후쿠오카 and 푸쿠오카 alike, and with f heard as h
    # the stem of 훗카이도 (the 도 stripped) sounds like Fukui.
    "japanese": (("tsu", "Su"), ("ou", "o"), ("oo", "o"), ("uu", "u"), (r"m(?=[bp])", "n")),
    # soft g and c before a silent final e ('George', 'Orange', 'Prince') are ㅈ and ㅅ; a final
    # unstressed -er/-or is ㅓ (Manchester 맨체스터, Denver 덴버); y in an open syllable is ㅏ이
    # (Tyler 타일러, Hyde 하이드), ay is 에이 (Taylor 테일러, Hayward 헤이워드), and so is a before
    # a consonant and a silent final e (Lake 레이크, Dane 데인); initial k and w are silent
    # before n and r (Knox 녹스, Wrentham 렌섬)
    "english": ((r"(?<=[^aeiouy\s])y(?=[^aeiouy\s][aeiou])", "ai"), ("ay", "ei"),
                (r"(?<=[^aeiou\s])[eo]r\b", "ə"),
                (r"\bkn", "n"), (r"\bwr", "r"), ("dge", "J"), (r"\bgeo", "Jo"), (r"(?<=[nr])ge(?=\b|'?s\b)", "J"), (r"c(?=e\b)", "S"),
                ("ough", "o"), ("augh", "o"), ("igh", "ai"), ("gh", ""), ("ou", "u"), ("oo", "u"),
                ("ee", "i"),
                (r"(?<=[^aeiou\scg])a(?=[bcdfgklmnpstvzSJ]e\b)", "ei"),
                (r"(?<=[aeiou])r(?=[^aeiouy]|\b)", ""), (r"(?<=[^aeiou])e\b", ""), (r"y\b", "i"),
                ("ea", "i"), ("wh", "u")),
}
_COUNTRY_RULES: dict[str, str] = {
    **{c: "spanish" for c in _SPANISH}, "PT": "portuguese", "BR": "portuguese", "DE": "german",
    "AT": "german", "CH": "german", "PL": "polish", "CZ": "czech", "SK": "czech", "HU": "hungarian",
    "TR": "turkish", "IT": "italian", "FR": "french", "BE": "french", "SE": "nordic", "NO": "nordic",
    "DK": "nordic", "FI": "nordic", "NL": "dutch", **{c: "post_soviet" for c in _POST_SOVIET},
    "ID": "malay", "MY": "malay", "VN": "vietnamese", "CN": "pinyin", "JP": "japanese", **{c: "english" for c in _ENGLISH},
}
_GENERIC_RULES: tuple[tuple[str, str], ...] = (
    ("tsch", "J"), ("sch", "S"), ("tch", "J"), ("ch", "J"), ("sh", "S"), ("zh", "J"), ("kh", "H"),
    ("ph", "P"), ("th", "T"), ("gh", "G"), ("ck", "K"), ("qu", "K"), ("ts", "J"), ("tz", "J"),
    ("dz", "J"), ("ng", "N"), (r"c(?=[eiy])", "S"),
)
_LETTER = {**dict.fromkeys("bv", "B"), **dict.fromkeys("pf", "P"), "d": "D", "t": "T", "g": "G",
           **dict.fromkeys("kqc", "K"),
           "s": "S", "z": "J", "x": "KS", "j": "J", "m": "M", "n": "N", "l": "L", "r": "L", "h": "H",
           "w": "u", "y": "i", "ə": "v", **{v: v for v in "aeiou"}}
_COMPILED: dict[str, list[tuple[re.Pattern[str], str]]] = {
    name: [(re.compile(p), r) for p, r in rules] for name, rules in _RULES.items()}
_COMPILED_GENERIC = [(re.compile(p), r) for p, r in _GENERIC_RULES]
_RULE_LETTERS = {name: frozenset(c for pattern, _ in rules for c in pattern if c.isalpha() and not c.isascii())
                 for name, rules in _RULES.items()}


def own_letters(name: str, country: str) -> bool:
    """`name` holds a letter outside ASCII that the country's sound rules read ('Göteborg' in
    Sweden, 'Łódź' in Poland): the country's own spelling rather than an exonym."""
    letters = _RULE_LETTERS.get(_COUNTRY_RULES.get(country, ""), frozenset())
    return any(char in letters for char in name.lower())


def latin_keys(name: str, country: str | None = None) -> list[str]:
    """The key under the country's spelling rules and, where it differs, under the generic
    rules alone: a name need not follow its country's language (Catalan Sabadell in Spain)."""
    return list(dict.fromkeys((latin_key(name, country), latin_key(name))))


def latin_key(name: str, country: str | None = None) -> str:
    """'Gorzów Wielkopolski' (PL) → 'GoJuPBieLKoPoLSKi'; generic words are not removed here."""
    text = name.lower().replace("ß", "ss").replace("æ", "e").replace("œ", "e")
    language = _COUNTRY_RULES.get(country or "", "")
    if language == "vietnamese":
        text = without_tones(text)
    for pattern, replacement in _COMPILED.get(language, ()):
        text = pattern.sub(replacement, text)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    for pattern, replacement in _COMPILED_GENERIC:
        text = pattern.sub(replacement, text)
    return unglide(collapse("".join(c if c.isupper() else _LETTER.get(c, "") for c in text)))


_VIETNAMESE_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
# Vietnamese generic words lead the name ('Thị Trấn Na Sầm' is the town of Na Sầm). Numbered
# urban districts ('Quận Năm', district five) keep their word: the number is no name.
_VIETNAMESE_GENERIC = re.compile(r"^(thành phố|thị trấn|thị xã|tỉnh|huyện) (?=\S)", re.IGNORECASE)


def without_tones(text: str) -> str:
    """Vietnamese tone marks removed, vowel marks kept ('Hưởng' → 'Hương', 'Quảng' → 'Quang')."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _VIETNAMESE_TONES))


def strip_latin_generic(name: str) -> str:
    """'Loudoun County' → 'Loudoun', 'Tottori-shi' → 'Tottori'; the name when nothing is left."""
    bare = _VIETNAMESE_GENERIC.sub("", _GLUED_GENERIC.sub("", name.strip()))
    words = _LATIN_GENERIC.sub(" ", bare.lower().replace("-", " ")).split()
    return " ".join(words) if words else name


def collapse(key: str) -> str:
    """Doubled letters written once (밀라노 'MiLLaNo' → 'MiLaNo'; 'Sabadell' → 'SaPaTeL')."""
    return re.sub(r"(.)\1+", r"\1", key)


_VOICELESS = str.maketrans("BDG", "PTK")
# The same for a key of ASCII letters only (every key the data holds) in one pass: vowels
# dropped and consonants unvoiced by one table (a country's index computes ~90,000 of them).
_SKELETON = str.maketrans({**dict.fromkeys("abcdefghijklmnopqrstuvwxyz"), "B": "P", "D": "T", "G": "K"})


def skeleton(key: str) -> str:
    """The consonant classes of a key without voicing ('BuLvDvN' → 'PLTN'), for a first, fast
    comparison."""
    if key.isascii() and key.isalpha():
        return key.translate(_SKELETON)
    return "".join(c for c in key if c.isupper()).translate(_VOICELESS)


def skeletons(keys: list[str]) -> list[str]:
    """`skeleton` of each key: keys of ASCII letters only (most countries' all) in one pass."""
    joined = "\n".join(keys)
    if joined.isascii() and joined.replace("\n", "").isalpha() and all(keys):
        return joined.translate(_SKELETON).split("\n")
    return [skeleton(key) for key in keys]


# --- distance ----------------------------------------------------------------------------------

# Korean transcription adds or drops h and r/l (English post-vocalic r), and confuses s/j, p/h …
_CHEAP_CONSONANT = {"H": 0.45, "L": 0.55}
_NEAR = {**{frozenset(p): 0.5 for p in ("SJ", "TJ", "DJ", "KH", "GH", "JH", "PH", "LN", "TS", "PM",
                                          "BM", "KJ", "GJ")},
         **{frozenset(p): 0.15 for p in ("BP", "DT", "GK")}}
VOWEL_SUB, VOWEL_INDEL, CONSONANT_SUB, CONSONANT_INDEL, CROSS = 0.3, 0.35, 1.0, 0.8, 1.2


def _indel(char: str) -> float:
    return VOWEL_INDEL if char.islower() else _CHEAP_CONSONANT.get(char, CONSONANT_INDEL)


def _substitute(a: str, b: str) -> float:
    if a == b:
        return 0.0
    if a.islower() and b.islower():
        return VOWEL_SUB
    if a.isupper() and b.isupper():
        return _NEAR.get(frozenset((a, b)), CONSONANT_SUB)
    return CROSS


class _SubstitutionRow(dict[str, float]):
    """The substitution costs of one letter, filled in as other letters come."""

    def __init__(self, letter: str) -> None:
        super().__init__()
        self.letter = letter

    def __missing__(self, other: str) -> float:
        cost = self[other] = _substitute(self.letter, other)
        return cost


_SUBSTITUTION_ROWS: dict[str, _SubstitutionRow] = {}


def key_distance(a: str, b: str) -> float:
    """Weighted edit distance between two keys.

    A search by sound computes some 500 of these; the costs are looked up per letter rather
    than called per cell, in the same order of additions (the same floats)."""
    indel_b = [_indel(char) for char in b]
    previous = [0.0]
    for cost in indel_b:
        previous.append(previous[-1] + cost)
    for char_a in a:
        indel_a = _indel(char_a)
        row = _SUBSTITUTION_ROWS.get(char_a) or _SUBSTITUTION_ROWS.setdefault(char_a, _SubstitutionRow(char_a))
        current = [previous[0] + indel_a]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + indel_a, current[j - 1] + indel_b[j - 1],
                               previous[j - 1] + row[char_b]))
        previous = current
    return previous[-1]


def _weight(key: str) -> float:
    return sum(0.5 if c.islower() else 1.0 for c in key)


def key_similarity(a: str, b: str) -> float:
    """1 for equal keys, falling to 0 as the weighted distance reaches the longer key's weight."""
    if not a or not b:
        return 0.0
    return max(0.0, 1.0 - key_distance(a, b) / max(_weight(a), _weight(b)))


def key_similarities(a: str, keys: list[str]) -> list[float]:
    """`key_similarity(a, key)` for each of `keys`, the distances to all keys computed at once.

    A search by sound compares its query with some 500 keys, each a Python loop of ~100 cells
    (most of a worker's first look-ups, benchmarks/extract_speed.py). Here each cell of
    `key_distance` is computed for every key at once with numpy, keys side by side and padded:
    the same additions and minima in the same order, so the same floats (and weights, sums
    of halves, are exact in any order)."""
    import numpy as np  # loaded with spaCy already; imported here so the gazetteer needs it not

    filled = [key for key in keys if key]
    letters = sorted(set(a).union(*filled))
    if not a or not filled or len(letters) > 255:
        return [key_similarity(a, key) for key in keys]
    width = max(map(len, filled))
    padded = "".join(key.ljust(width, letters[0]) for key in filled)
    number = {ord(letter): chr(index) for index, letter in enumerate(letters)}
    codes = np.frombuffer(padded.translate(number).encode("latin-1"), dtype=np.uint8).reshape(len(filled), width).T
    indel_b = np.array([_indel(letter) for letter in letters])[codes]  # one row per position
    previous = np.zeros((width + 1, len(filled)))
    for j in range(1, width + 1):
        previous[j] = previous[j - 1] + indel_b[j - 1]
    for char_a in a:
        indel_a = _indel(char_a)
        row = _SUBSTITUTION_ROWS.get(char_a) or _SUBSTITUTION_ROWS.setdefault(char_a, _SubstitutionRow(char_a))
        substitution = np.array([row[letter] for letter in letters])[codes]
        # a cell's ways in from the row above (deletion, substitution) need no cell of this
        # row: taken for the whole row at once, only the insertion runs cell by cell
        current = np.empty_like(previous)
        current[0] = previous[0] + indel_a
        current[1:] = np.minimum(previous[1:] + indel_a, previous[:-1] + substitution)
        for j in range(1, width + 1):
            np.minimum(current[j], current[j - 1] + indel_b[j - 1], out=current[j])
        previous = current
    lengths = np.array([len(key) for key in filled])
    distances = previous[lengths, np.arange(len(filled))]
    inside = np.arange(width)[:, None] < lengths
    weights = (np.array([_weight(letter) for letter in letters])[codes] * inside).sum(axis=0)
    similarities = iter(np.maximum(0.0, 1.0 - distances / np.maximum(_weight(a), weights)).tolist())
    return [next(similarities) if key else 0.0 for key in keys]
