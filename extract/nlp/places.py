"""Place mentions in a sentence: Korean local governments, places abroad, countries.

Found at character level (not per Kiwi token) because Kiwi often glues a name to its particle
('옌타이시와'), and a partner must be reported exactly as the page writes it, without particles.
A name is recognised from the gazetteer's surface forms; a name the gazetteer lacks is still
taken when it is well formed ('○○시', '○○성', '○○타운' …) and follows a country or a foreign
region, or carries a romanised spelling in parentheses ('말랑(Malang)시').
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from extract.gazetteer.gazetteer import NAME_INITIAL_WORDS
from extract.nlp.place_index import (COUNTRY, FOREIGN, KR, FormHit, PlaceIndex, PlaceMention, WordReading)

log = logging.getLogger(__name__)


# A run of Hangul, optionally with one parenthesised insert (Hanja, Latin) and more Hangul.
WORD = re.compile(r"[가-힣][가-힣0-9]*(?:\([^()\n]{1,40}\)[가-힣]*)?|[가-힣]*\([^()\n]{1,40}\)[가-힣]+")
# '美 콜로라도', '中 헤이룽장성': a one-character Han country abbreviation before a space.
WORD_OR_ABBREVIATION = re.compile(r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff])(?=\s)|" + WORD.pattern)
# '파리 17구와': a district number after a city's name
NUMBERED_DISTRICT = re.compile(r"\s?(제\s?)?\d{1,2}\s?(?P<unit>구|區|区)"
                               r"(?P<tail>와의|과의|와|과|의|은|는|이|가|을|를|에서|에|장)?(?![가-힣0-9])")
# '슈테글리츠-첼렌도르프구와': parts of one name joined by hyphens, and what may follow the name
HYPHENATED = re.compile(r"[가-힣]{2,}(?:-[가-힣]{2,})+[가-힣0-9]*(?:\([^()\n]{1,40}\)[가-힣]*)?")
HYPHENATED_TAIL = re.compile(r"(?P<tail>와의|과의|와|과|의|은|는|이|가|을|를|에서|에|측|시장|구청장|청장)$")
SPECIAL_CITY = re.compile(r"^([가-힣]{2,4})특례시")
BARE_COUNTERPART = re.compile(r"([가-힣]{2,8}?)((와|과)(는|의)?)")
# the word before such a name says what it is: '공업도시 ○○와', '남부 ○○와', '미국 ○○와'
PLACE_DESCRIPTOR_BEFORE = re.compile(r"(도시|지역|마을|타운|북부|남부|동부|서부|중부)\s+$")
CITY_TIE_NEXT = re.compile(r"\s+(국제\s*)?(자매|우호|친선|교류\s*의향서|의향서)")
PAREN = re.compile(r"\([^()]*\)")
FOLLOWING_WORD = re.compile(r" (\S+)")
# between a place and the place inside it: a gloss, '의', or a word for a region ('… 지방 ○○시')
INSIDE_GAP = re.compile(r"(\([^()]*\))?의?\s+(([가-힣]{2,10}\s+)?(지방|지역|일대)의?\s+)?")
# '버나비 시청에서', '버나비 시장과': a bare name and its city's office or mayor, written apart
SPACED_OFFICE = re.compile(r"\s(?=(시청|시장|시\s*정부|군청|군수|주정부|주지사|현청|현지사)(에서|과|와|을|를|은|는|이|가|측|\s))")
OFFICE_OR_PARTICLE_END = re.compile(r"(에서|에는|에게|으로|시청|시장|군청|군수|구청|청장|지사|청사|정부)$")
QUOTES = "‘’'“”\""
NAME_WORD = re.compile(r"[가-힣]{2,8}")
SPACED_SUFFIX = re.compile(r"[’'”\"]?\s(?P<suffix>카운티|시티|타운십|타운|아이막|시|주|현|성)(?P<tail>(와|과|의|은|는|이|가|을|를|에서|에|측|정부|당국)?)(?![가-힣])")
ADMIN_TAIL = re.compile(r"^(특별자치시|특별자치도|특별시|광역시|자치구|자치주|자치현|시|군|구|현|성|주|정|촌|타운|카운티|시티|부)")
WELL_FORMED = re.compile(r"^([가-힣]{1,9}?)(특별시|자치구|자치주|시티|타운|카운티|시|현|성|주|군|구|정|촌|초|쵸|마치|무라)"
                         r"(?=$|[과와은는이가을를의에도로측]|시장|청|장|지사|정부|당국|간$|간의$)")
HAN = re.compile(r"[\u4e00-\u9fff]")
HAN_PLACE_INSERT = re.compile(r"\([\u4e00-\u9fff]{1,8}(市|町|村|县|縣|区|區|省|州|郡)\)")
LATIN_INSERT = re.compile(r"\([A-Za-zÀ-ỹ' .-]{2,40}\)")
SUBMUNICIPAL_NEXT = re.compile(r"\s+[가-힣0-9]{1,8}(읍|면|동|리)(?=$|[\s·,(과와은는이가을를의에])")
BARE_TWO_TAIL = re.compile(r"^(와|과|의|에서|을|를|은|는|이|가|시|현|성|주)")
# What may follow a place name inside its word: particles, titles, offices.
PLAUSIBLE_TAIL = re.compile(
    r"^($|(와|과)(는|의|도)?$|(은|는|이|가|을|를|의|에|에서|에서는|에는|로|으로|측|도|만|까지|부터|로부터|에게|와의|과의|이다|입니다|이며|이고|이자|간|간의)$"
    r"|(시장|군수|구청장|청장|지사|도지사|주지사|성장|현지사|시청|군청|구청|도청|현청|청사|청|장|시정부|정부|당국|"
    r"인민정부|대표단|방문단|시의회|의회|의원|시민|주민|일행|관계자|측))")
KR_STEM_TAIL = re.compile(r"^($|(와|과|은|는|이|가|을|를|의|에서|시장|군수|구청장|지사|도지사|시청|군청|구청|도청)$|시장|군수|구청장|지사|도지사)")
COUNCIL_TAIL = re.compile(r"^(의회|의원|회의)")
COUNCIL_APART = re.compile(r"\s+(인민의회|인민대표대회|시의회|군의회|구의회|도의회|주의회|의회)")


def _clean(word: str) -> tuple[str, list[int], bool]:
    """The word without its parenthesised insert, and each kept character's offset in `word`."""
    if "(" not in word and ")" not in word:  # nearly every word: kept whole
        return word, list(range(len(word))), False
    offsets: list[int] = []
    chars: list[str] = []
    depth = 0
    for index, char in enumerate(word):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            chars.append(char)
            offsets.append(index)
    return "".join(chars), offsets, bool(LATIN_INSERT.search(word))


def find_places(text: str, index: PlaceIndex, on_date: str | None = None,
                known_names: frozenset[str] = frozenset()) -> list[PlaceMention]:
    """Every place mention in `text`, in order, with qualifiers and councils flagged.

    `known_names`: well-formed names the page has already introduced (after a country), which
    are then recognised on their own in later sentences."""
    mentions: list[PlaceMention] = []
    for match in WORD_OR_ABBREVIATION.finditer(text):
        if mentions and match.start() < mentions[-1].end:
            continue  # the second word of '귀넷 카운티', already taken
        if match.group(1):
            code = index.gazetteer.country_code(match.group(1)) if index.gazetteer is not None else None
            if code:
                mentions.append(PlaceMention(match.start(), match.end(), match.group(1), COUNTRY, "",
                                             country=code, after=text[match.end():match.end() + 10]))
            continue
        hyphenated = _hyphenated_name(match, text, index)
        if hyphenated is not None:  # '슈테글리츠-첼렌도르프구와': one name
            if _trusted(hyphenated, text, mentions, known_names):
                mentions.append(hyphenated)
            continue
        district = _numbered_district(match, text, index)
        if district is not None:  # '파리 17구와'
            mentions.append(district)
            continue
        mention = _with_spaced_suffix(_with_initial_word(match, text, index, on_date)
                                      or _word_mention(match.group(), match.start(), text, index, on_date), text)
        if mention is None or not mention.known:
            mention = _spaced_suffix_name(match, text, index) or mention
        if mention is None and known_names:
            mention = _introduced_name(match.group(), match.start(), known_names, text)
        if mention is None and any(p.kind in (COUNTRY, FOREIGN) for p in mentions):
            mention = _bare_counterpart(match.group(), match.start(), text, index, mentions)
        if mention is None or text[mention.end:mention.end + 1].isdigit():
            continue  # a name running into digits ('코로나19') is another word
        if _trusted(mention, text, mentions, known_names):
            mentions.append(mention)
    return _flag_qualifiers(text, mentions, index, on_date)


def remembered_places(seen: dict[tuple[str, frozenset[str]], list[PlaceMention]], text: str,
                      index: PlaceIndex, on_date: str | None,
                      known_names: frozenset[str] = frozenset()) -> list[PlaceMention]:
    """`find_places` through one page's memo: the title, the lead and later lines are read for
    the page's context and again sentence by sentence."""
    key = (text, known_names)
    if key not in seen:
        seen[key] = find_places(text, index, on_date, known_names)
    return seen[key]


def _trusted(mention: PlaceMention, text: str, previous: list[PlaceMention],
             known_names: frozenset[str]) -> bool:
    """A name the gazetteer lacks ('○○시') is taken on trust only with a Latin spelling, once the
    page has introduced it, or after a country or a place abroad."""
    return mention.known or mention.romanised or mention.name in known_names \
        or bool(mention.extra.get("bare_counterpart")) \
        or _after_foreign(text, previous, mention) or _counterpart_abroad(mention, previous) \
        or _paired_with_korean(text, previous, mention)


def _with_spaced_suffix(mention: PlaceMention | None, text: str) -> PlaceMention | None:
    """'자브항 아이막과', '산마테오 시를': a known name abroad with its unit written apart is
    named with the unit, as the page writes it."""
    if mention is None or mention.kind != FOREIGN or mention.tail:
        return mention
    spaced = SPACED_SUFFIX.match(text, mention.end)
    if spaced is None:
        return mention
    end = spaced.end("suffix")
    return replace(mention, end=end, name=_joined(text[mention.start:end]), tail=spaced.group("tail"),
                   after=text[end:end + 10])


def _with_initial_word(match: re.Match[str], text: str, index: PlaceIndex,
                       on_date: str | None) -> PlaceMention | None:
    """'웨스트 자바주와', '노스 캐롤라이나주': a word that begins foreign names, written apart,
    is read with the word after it as one name (not as a town called West)."""
    word = match.group()
    if word not in NAME_INITIAL_WORDS:
        return None
    following = FOLLOWING_WORD.match(text, match.end())
    if following is None:
        return None
    mention = _word_mention(word + following.group(1), match.start(), text, index, on_date)
    if mention is None or mention.kind != FOREIGN or mention.end - mention.start <= len(word):
        return None
    end = mention.end + 1  # the space the joined word left out
    return replace(mention, end=end, name=_joined(text[mention.start:end]), after=text[end:end + 10])


def _joined(name: str) -> str:
    """'산마테오 시' → '산마테오시': Korean spacing lets a unit stand apart; the name is one word."""
    return re.sub(r"[\s" + QUOTES + "]+", "", name)


def _spaced_suffix_name(match: re.Match[str], text: str, index: PlaceIndex) -> PlaceMention | None:
    """'귀넷 카운티와', '클라크 카운티는': a name and an English-style suffix written apart
    (a place the gazetteer lacks, taken on the same terms as a well-formed '○○시')."""
    word = match.group().strip(QUOTES)  # '도시 ‘발렌수엘라’ 시를': a name quoted before its unit
    start = match.start() + match.group().index(word) if word else match.start()
    if not NAME_WORD.fullmatch(word) or word in index.stopwords or word in index.generic_nouns \
            or OFFICE_OR_PARTICLE_END.search(word):
        return None  # '시청에서 시장 권한대행과': an office or a word with its particle, no name
    if SPACED_OFFICE.match(text, match.end()):
        return PlaceMention(match.start(), match.end(), match.group(), FOREIGN, "", known=False,
                            after=text[match.end():match.end() + 10])
    spaced = SPACED_SUFFIX.match(text, match.end())
    if spaced is None:
        return None
    end = spaced.end("suffix")
    tail = spaced.group("tail")
    return PlaceMention(start, end, _joined(text[start:end]), FOREIGN, tail, known=False,
                        after=text[end:end + 10])


def _bare_counterpart(word: str, offset: int, text: str, index: PlaceIndex,
                      previous: list[PlaceMention]) -> PlaceMention | None:
    """'… 공업도시 아비뇽과 자매결연을': a bare name the gazetteer lacks, taken as the partner when
    it signs a city tie right after a country was named (lower confidence: known=False)."""
    match = BARE_COUNTERPART.fullmatch(word)
    if match is None or match.group(1) in index.stopwords or match.group(1) in index.generic_nouns \
            or match.group(1).endswith(index.not_place_endings):
        return None
    following = text[offset + len(word):offset + len(word) + 12]
    preceding = text[max(0, offset - 12):offset]
    right_after_place = previous[-1].kind in (COUNTRY, FOREIGN) and bool(
        re.fullmatch(r"(\([^()]*\))?의?\s+", text[previous[-1].end:offset]))
    if not CITY_TIE_NEXT.match(following) or not (right_after_place or PLACE_DESCRIPTOR_BEFORE.search(preceding)):
        return None
    end = offset + len(match.group(1))
    return PlaceMention(offset, end, match.group(1), FOREIGN, match.group(2), known=False,
                        after=text[end:end + 10], extra={"bare_counterpart": True})


def _numbered_district(match: re.Match[str], text: str, index: PlaceIndex) -> PlaceMention | None:
    """'파리 17구와': a city abroad and the number of one of its districts name the district
    (a place of its own, which the gazetteer does not hold)."""
    numbered = NUMBERED_DISTRICT.match(text, match.end())
    if numbered is None or not any(hit.label == "FOREIGN_PLACE" for hit in index.hits(match.group())):
        return None
    end = numbered.end("unit")
    return PlaceMention(match.start(), end, _joined(text[match.start():end]), FOREIGN,
                        numbered.group("tail") or "", known=False, after=text[end:end + 10])


def _hyphenated_name(match: re.Match[str], text: str, index: PlaceIndex) -> PlaceMention | None:
    """'슈테글리츠-첼렌도르프구와': a name whose parts a hyphen joins, when its first part is no
    place of its own (else the hyphen pairs two places: '창원-후쿠오카', '북구-베트남')."""
    if not text.startswith("-", match.end()) or index.hits(match.group()) \
            or match.group() in index.stopwords:
        return None
    whole = HYPHENATED.match(text, match.start())
    if whole is None:
        return None
    word, offsets, romanised = _clean(whole.group())
    ending = HYPHENATED_TAIL.search(word)
    size = ending.start("tail") if ending and ending.group("tail") else len(word)
    end = whole.start() + offsets[size - 1] + 1
    return PlaceMention(whole.start(), end, word[:size], FOREIGN, word[size:], known=False,
                        romanised=romanised, after=text[end:end + 10])


def _introduced_name(word: str, offset: int, known_names: frozenset[str],
                     text: str) -> PlaceMention | None:
    """A name the page introduced earlier ('베일(Vail)과' … later '베일 시장과')."""
    for name in known_names:
        if word.startswith(name) and PLAUSIBLE_TAIL.match(word[len(name):]):
            end = offset + len(name)
            return PlaceMention(offset, end, name, FOREIGN, word[len(name):], known=False,
                                after=text[end:end + 10])
    return None


def _counterpart_abroad(mention: PlaceMention, previous: list[PlaceMention]) -> bool:
    """'…수라바야에서 동자바주와', '이탈리아 사르데냐섬 알게로시와', '필리핀 … 리바카우시를
    방문했다': a '○○시/주/성/현' partner or destination in a sentence that has already named a
    country or a place abroad."""
    return bool(re.match(r"^((와|과)(는|도)?|을|를)$", mention.tail)) and len(mention.name) >= 3 \
        and mention.name[-1] in "주성현시" and any(p.kind in (COUNTRY, FOREIGN) for p in previous)


def _paired_with_korean(text: str, previous: list[PlaceMention], mention: PlaceMention) -> bool:
    """'정선군과 바왕시는': a '○○시' joined to a Korean government as one subject, which the
    gazetteer (holding every Korean government) lacks, is a place abroad."""
    if not previous or previous[-1].kind != KR or previous[-1].tail not in ("와", "과"):
        return False
    between = text[previous[-1].end + len(previous[-1].tail):mention.start]
    return not between.strip() and mention.tail in ("는", "은", "가", "이") \
        and len(mention.name) >= 3 and mention.name[-1] in "주성현시"


def _after_foreign(text: str, previous: list[PlaceMention], mention: PlaceMention) -> bool:
    """Right after a country or a place abroad ('필리핀 산마테오 시'), or next in a list that one
    began ('산마테오 시, GMA 시, 아마데오 시를')."""
    if not previous or previous[-1].kind == KR:
        return False
    between = text[previous[-1].end + len(previous[-1].tail):mention.start]
    if previous[-1].kind == FOREIGN and between.lstrip().startswith((",", "·")):
        return len(between) <= 12  # a short list item between (a Latin name) at most
    if INSIDE_GAP.fullmatch(text[previous[-1].end:mention.start]):
        return True
    # '필리핀 메트로 마닐라 내 두 번째로 큰 도시 ‘발렌수엘라’ 시': a city the line describes
    # as one of the place abroad just named
    gap = text[previous[-1].end:mention.start].rstrip(QUOTES + " ")
    return len(gap) <= 24 and PLACE_DESCRIPTOR_BEFORE.search(gap + " ") is not None


def _word_mention(word: str, offset: int, text: str, index: PlaceIndex,
                  on_date: str | None) -> PlaceMention | None:
    """The place a word names, placed in `text` at `offset`."""
    reading = index.word_reading(word, on_date, _word_reading)
    if reading is None:
        return None
    mention, offsets, size, romanised = reading
    return _placed(mention, word, offsets, offset, size, romanised, text)


def _word_reading(word: str, index: PlaceIndex, on_date: str | None) -> WordReading | None:
    """What a word names, read from the word alone (one reading serves every line holding it):
    the mention, the kept characters' offsets, the name's length, whether a Latin gloss vouches
    for it. Whether it names anything never depends on the date (only which place it names)."""
    clean, offsets, romanised = _clean(word)
    if len(clean) < 2:
        return None
    special = SPECIAL_CITY.match(clean)
    if special and index.hits(special.group(1) + "시"):
        # '수원특례시' is 수원시 with the 특례시 designation (2022)
        form = special.group(1) + "시"
        mention = _known_mention(form, form, clean[special.end():], index.hits(form), index, on_date)
        if mention is not None:
            return replace(mention, name=clean[:special.end()]), offsets, special.end(), romanised
    han_named = _han_insert_mention(word, clean, index, on_date)
    if han_named is not None:
        return han_named[0], offsets, han_named[1], True
    sizes = range(min(len(clean), index.longest), 1, -1) if clean[:2] in index.openings else range(0)
    for size in sizes:
        form = clean[:size]
        hits = index.hits(form)
        if not hits:
            continue
        size = _with_admin_tail(clean, size, hits)
        if not PLAUSIBLE_TAIL.match(clean[size:]):
            continue  # '웨스트' inside '웨스트자바주와' is not the place
        mention = _known_mention(form, clean[:size], clean[size:], hits, index, on_date)
        if mention is not None:
            return mention, offsets, size, romanised
    well_formed = WELL_FORMED.match(clean)
    if well_formed and len(well_formed.group(1)) == 1 and not re.match(r"^(와|과|의|은|는|이|가|을|를)", clean[well_formed.end():]):
        well_formed = None  # a one-syllable stem ('본시와') only before a particle, never '부시장'
    if well_formed and clean[:well_formed.end()].endswith("도시"):
        well_formed = None  # '해안도시', '교육도시': 도시 is "city", the common noun
    if well_formed and PAREN.search(word):
        glossed = _inserted_name(word, clean, offsets)
        if glossed is not None:
            return glossed  # '카와네혼쵸(川根本町)와': the gloss vouches for the name
    if well_formed:
        size = well_formed.end()
        return PlaceMention(0, 0, clean[:size], FOREIGN, clean[size:], known=False), offsets, size, romanised
    inserted = _inserted_name(word, clean, offsets)
    if inserted is not None and inserted[0].name.endswith(index.not_place_endings):
        return None  # '업무협약(MOU)을', '의향서(LOI)를': an agreement glossed in Latin, no place
    return inserted


def _inserted_name(word: str, clean: str, offsets: list[int]) -> WordReading | None:
    """'베일(Vail)과', '카와네혼쵸(川根本町)와': a name glossed in Latin or as a Han place name."""
    insert = PAREN.search(word)
    if insert is None or insert.start() < 2 or not (LATIN_INSERT.fullmatch(insert.group())
                                                    or HAN_PLACE_INSERT.fullmatch(insert.group())):
        return None
    size = insert.start()
    tail = ADMIN_TAIL.match(clean[size:])
    if tail and PLAUSIBLE_TAIL.match(clean[size + len(tail.group()):]):
        size += len(tail.group())
    if not PLAUSIBLE_TAIL.match(clean[size:]):
        return None
    return PlaceMention(0, 0, clean[:size], FOREIGN, clean[size:], known=False), offsets, size, True


def _han_insert_mention(word: str, clean: str, index: PlaceIndex,
                        on_date: str | None) -> tuple[PlaceMention, int] | None:
    """'양주(揚州)시': a Han gloss names a place abroad even when the Hangul is also Korean."""
    insert = PAREN.search(word)
    if insert is None or insert.start() < 1 or not HAN.search(insert.group()):
        return None
    han = insert.group()[1:-1]
    hits = [h for h in index.hits(han) if h.label == "FOREIGN_PLACE"]
    if not hits:
        return None
    size = insert.start()
    tail = ADMIN_TAIL.match(clean[size:])
    if tail:
        size += len(tail.group())
    if not PLAUSIBLE_TAIL.match(clean[size:]):
        return None
    place = index.place(han, hits, on_date)
    hit = next((h for h in hits if place is not None and h.place_id == place.id), hits[0])
    mention = PlaceMention(0, 0, clean[:size], FOREIGN, clean[size:], country=getattr(place, "country", None),
                           place_id=hit.place_id, canonical=getattr(place, "name", None),
                           region=getattr(place, "region", None))
    return mention, size


def _with_admin_tail(clean: str, size: int, hits: list[FormHit]) -> int:
    """Extend a bare foreign stem by its administrative suffix (말랑 + 시 → 말랑시)."""
    if not all(h.label == "FOREIGN_PLACE" for h in hits):
        return size
    rest = clean[size:]
    if rest.startswith(("시장", "시청", "시민", "시의회", "시정부")):
        return size + 1
    tail = ADMIN_TAIL.match(rest)
    return size + len(tail.group()) if tail else size


def _known_mention(form: str, name: str, tail: str, hits: list[FormHit], index: PlaceIndex,
                   on_date: str | None) -> PlaceMention | None:
    labels = {h.label for h in hits}
    if "COUNTRY" in labels and not labels & {"KR_GOV", "KR_PROVINCE"}:
        return PlaceMention(0, 0, name, COUNTRY, tail, country=index.country_code(name))
    kr_hits = [h for h in hits if h.label in ("KR_GOV", "KR_PROVINCE")]
    if kr_hits:
        stem_only = not re.search(r"(시|군|구|도)$", name) and all(h.label == "KR_GOV" for h in kr_hits)
        if stem_only and not KR_STEM_TAIL.match(tail):
            return None  # '강화하고', '충주 방문' : a bare 기초 stem needs a title or particle
        place = index.place(form, kr_hits, on_date)
        hit = next((h for h in kr_hits if place is not None and h.place_id == place.id), kr_hits[0])
        level = getattr(place, "level", None) or ("광역" if hit.label == "KR_PROVINCE" else "기초")
        return PlaceMention(0, 0, name, KR, tail, country="KR", place_id=hit.place_id, extra={"form": form},
                            canonical=getattr(place, "name", None), region=getattr(place, "region", None),
                            level=level, council=bool(COUNCIL_TAIL.match(tail)))
    if len(name) == 2 and not BARE_TWO_TAIL.match(tail):
        return None  # a bare two-syllable form is too often a common word ('시청', '동성')
    place = index.place(form, hits, on_date)
    if place is not None and name != form and place.kind == "city" \
            and index.gazetteer.division_kinds(name, place.country):
        # '워싱턴카운티', '꽝빈성': the word after a city's name asks for a division, which the
        # look-up with the page's country finds (resolved_abroad)
        return PlaceMention(0, 0, name, FOREIGN, tail, country=place.country, extra={"form": form},
                            council=bool(COUNCIL_TAIL.match(tail)))
    hit = next((h for h in hits if place is not None and h.place_id == place.id), None)
    return PlaceMention(0, 0, name, FOREIGN, tail, country=getattr(place, "country", None) or index.hits_country(hits),
                        place_id=hit.place_id if hit else None, canonical=getattr(place, "name", None),
                        extra={"form": form},
                        region=getattr(place, "region", None), council=bool(COUNCIL_TAIL.match(tail)))


def _placed(mention: PlaceMention, word: str, offsets: list[int], offset: int, size: int,
            romanised: bool, text: str) -> PlaceMention:
    start = offset + offsets[0]
    end = offset + offsets[size - 1] + 1
    after = text[offset + len(word):offset + len(word) + 16] if mention.tail == "" else ""
    # '빈증성 인민의회에서는': a council written apart from its place is the council too
    council = mention.council or bool(mention.tail == "" and COUNCIL_APART.match(after))
    return replace(mention, start=start, end=end, romanised=romanised, after=text[end:end + 10],
                   submunicipal=bool(mention.kind == KR and SUBMUNICIPAL_NEXT.match(after)),
                   council=council)


def _flag_qualifiers(text: str, mentions: list[PlaceMention], index: PlaceIndex | None = None,
                     on_date: str | None = None) -> list[PlaceMention]:
    """'충남 논산시', '중국 길림성 연변조선족자치주의 훈춘시': all but the last name qualify it."""
    flagged = list(mentions)
    for i in range(len(flagged) - 1):
        current, following = flagged[i], flagged[i + 1]
        between = text[current.end:following.start]
        if current.tail in ("", "의") and INSIDE_GAP.fullmatch(between or "x"):
            flagged[i] = replace(current, qualifier=True)
            if current.kind == KR and current.level == "광역" and following.kind == KR and index is not None:
                flagged[i + 1] = _within(following, current, index, on_date)
            elif current.kind == FOREIGN and following.kind == FOREIGN and index is not None:
                flagged[i + 1] = _within_abroad(following, current, index, on_date)
            elif current.kind == COUNTRY and following.kind == FOREIGN and index is not None \
                    and following.country and following.country != current.country:
                flagged[i + 1] = _within_country(following, current, index, on_date)
    return flagged


def _within_country(mention: PlaceMention, country: PlaceMention, index: PlaceIndex,
                    on_date: str | None) -> PlaceMention:
    """'스페인 쿠엥카시': the namesake in the country the page puts before it (not Ecuador's);
    with none there, the page's country stands and the place is left to the look-up by sound."""
    form = mention.extra.get("form", mention.name)
    hits = [h for h in index.hits(form) if h.label == "FOREIGN_PLACE"]
    place = index.place(form, hits, on_date, country=country.country) if hits and country.country else None
    if place is None:
        return replace(mention, country=country.country, place_id=None, canonical=None, region=None)
    return replace(mention, place_id=place.id, canonical=place.name, region=place.region,
                   country=country.country)


def _within_abroad(mention: PlaceMention, region: PlaceMention, index: PlaceIndex,
                   on_date: str | None) -> PlaceMention:
    """A place abroad inside the region the page puts before it ('일리노이주 스프링필드시' is
    Springfield, Illinois): re-resolved there; a name no form matches keeps the region for the
    look-up by sound (resolved_abroad)."""
    region_name = region.canonical or region.name
    if not mention.known or not mention.place_id:
        return replace(mention, region=region_name)
    form = mention.extra.get("form", mention.name)
    hits = [h for h in index.hits(form) if h.label == "FOREIGN_PLACE"]
    place = index.place(form, hits, on_date, province=region_name) if hits else None
    if place is None or place.id == mention.place_id:
        return mention
    return replace(mention, place_id=place.id, canonical=place.name, region=place.region,
                   country=getattr(place, "country", mention.country))


def _within(mention: PlaceMention, province: PlaceMention, index: PlaceIndex,
            on_date: str | None) -> PlaceMention:
    """Re-resolve a 기초 name inside the 광역 the page puts before it ('부산 중구', '경기 광주시')."""
    hits = [h for h in index.hits(mention.extra.get("form", mention.name)) if h.label in ("KR_GOV", "KR_PROVINCE")]
    place = index.place(mention.extra.get("form", mention.name), hits, on_date,
                        province=province.canonical or province.name) if hits else None
    if place is None or place.id == mention.place_id:
        return mention
    return replace(mention, place_id=place.id, canonical=place.name, region=place.region,
                   level=place.level or mention.level)
