"""Clauses of one Korean sentence, read from Kiwi's morphemes.

A Korean sentence is a chain of clauses, each closed by a verbal ending: a connective ending
(EC: '체결하고', '맺으며', '따르면'), a final ending (EF: '체결했다'), an adnominal ending that
makes the clause modify the noun after it (ETM: '맺은 뒤', '체결할 예정'), or a nominal ending
(ETN: '맺기로'). The ending and the pre-final endings before it (EP: 었/았/였, 겠) say when the
clause happens; the noun after an adnominal ending says whether the clause is background
('…을 맺은 뒤', '…한 데 이어', '…한 사실') or a plan ('…할 예정'); particles mark each
argument's role (subject 이/가, topic 은/는, the comitative partner 와/과/하고, object 을/를,
the place 에서). A clause whose predicate is a verb of saying ('밝혔다', '전했다') or which
is '…에 따르면' is a report frame: the day it names is the report's, not the event's.

Everything here is positional data over the sentence's characters, so the event rules can
ask "which clause holds this signing word, this date, this place" without string patterns.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

# The noun after an adnominal ending that makes its clause history or circumstance, not news.
BACKGROUND_HEADS = frozenset({"사실", "데", "이후", "뒤", "후", "바", "이래", "지", "다음", "당시",
                              "이듬해", "결과", "경험", "인연", "덕분", "만큼", "이후로", "지난"})
# ... that makes it a plan ('체결할 예정이다', '맺을 계획', '…할 방침').
PLAN_HEADS = frozenset({"예정", "계획", "방침", "전망", "목표", "구상", "채비"})
# ... that makes it a need, a wish or a possibility, not an act ('체결할 필요가 있다').
MODAL_HEADS = frozenset({"필요", "의향", "의사", "용의", "방안", "가능성"})
# Verbs of saying: a clause built on one is a report frame.
REPORT_VERBS = frozenset({"밝히", "전하", "말하", "발표하", "알리", "보도하", "설명하", "강조하",
                          "덧붙이", "소개하", "귀띔하"})
# Nominal-ending frames: '맺기로 하다' is a decision to do it; '맺기로 합의하다' an agreement.
AGREE_NOUNS = frozenset({"합의", "약속", "결정", "협의"})
QUOTATIVE_ENDINGS = ("다고", "라고", "자고", "냐고")
# Connective endings of purpose: the clause is what another clause is done for.
PURPOSE_ENDINGS = frozenset({"러", "으러", "려고", "으려고", "고자"})
# Verbs whose adnominal form only dates a noun ('지난 10일', '오는 20일', '다가오는 5월').
TIME_VERBS = frozenset({"지나", "오", "다가오"})
# the past pre-final ending as Kiwi writes it: whole ('었') or split ('어'+'ᆻ'), doubled for the remote past
PAST_ENDINGS = frozenset({"었", "았", "였", "ᆻ", "었", "았었", "었었"})
PARTICLE_ROLES = {"JKS": "subject", "JKO": "object"}
COMITATIVE = frozenset({"와", "과", "하고", "이랑", "랑"})
TOPIC = frozenset({"은", "는", "ᆫ"})
NOMINAL_TAGS = ("NN", "NP", "NR", "SN", "SL", "SH", "XPN", "XSN", "SO", "SW")
PREDICATE_TAGS = ("VV", "VA", "VX", "VCP", "VCN", "XSV", "XSA")


@dataclass(frozen=True, slots=True)
class Morph:
    """One Kiwi morpheme: its form, tag and character span in the sentence."""

    form: str
    tag: str
    start: int
    end: int

    @classmethod
    def from_token(cls, token: Any) -> "Morph":
        return cls(token.form, token.tag, token.start, token.start + token.len)


@dataclass(frozen=True, slots=True)
class Argument:
    """A noun phrase with its role in the clause ('subject', 'topic', 'partner', 'object', 'place')."""

    role: str
    start: int
    end: int
    particle: str


@dataclass(frozen=True, slots=True)
class Clause:
    """One clause: its span, its predicate and ending, when it happens and how it is embedded.

    `tense` is 'past', 'plan' (a future or a decision to act: '-ㄹ 예정', '-기로 했다', '-겠'),
    'present' (a bare present: '체결한다', '체결합니다', which news uses for what is to come) or
    None (a connective clause with no tense of its own, see `effective_tense`).
    """

    start: int
    end: int
    predicate: str  # the predicate's lemma: '체결하', '맺', '밝히'
    predicate_start: int
    predicate_end: int
    ending: str  # the closing ending's form ('고', '다', 'ᆫ', '기')
    kind: str  # 'final' | 'connective' | 'adnominal' | 'nominal' | 'open' (the sentence just stops)
    tense: str | None
    head: str | None = None  # the noun an adnominal clause modifies
    head_run: tuple[str, ...] = ()  # the nouns of the phrase it modifies ('세계 26개 도시')
    embedded: bool = False  # background: modifies 사실, 데, 이후, 뒤 …
    report: bool = False  # a report frame: '밝혔다', '…에 따르면'
    agreed: bool = False  # '맺기로 합의했다': a decision agreed between the sides
    quoted: bool = False  # closed by a quotative ending ('체결했다고 밝혔다')
    continuing: bool = False  # a standing state or a course kept up ('맺고 있다', '이어 왔다')
    arguments: tuple[Argument, ...] = field(default=())
    morphs: tuple[Morph, ...] = field(default=(), repr=False)

    def next_morph(self, offset: int) -> Morph | None:
        """The first morpheme that starts at or after a character offset, within the clause."""
        return next((m for m in self.morphs if m.start >= offset), None)

    def holds(self, offset: int) -> bool:
        return self.start <= offset < self.end

    def role_of(self, start: int, end: int) -> str | None:
        """The role of the argument that covers or ends at this span, if any."""
        for argument in self.arguments:
            if argument.start <= start and end <= argument.end:
                return argument.role
        return None


def split_clauses(text: str, morphs: Sequence[Morph]) -> list[Clause]:
    """The clauses of one sentence, in order; their spans tile the sentence."""
    clauses: list[Clause] = []
    start = 0
    index = 0
    count = len(morphs)
    while index < count:
        end_index = _clause_end(morphs, index)
        pieces = morphs[index:end_index + 1]
        after = morphs[end_index + 1:end_index + 8]
        end = pieces[-1].end if end_index + 1 < count else len(text)
        clause = _make_clause(start, end, pieces, after)
        if clause is not None:
            clauses.append(clause)
        elif clauses:  # trailing punctuation or a verbless tail belongs to the last clause
            clauses[-1] = _extend(clauses[-1], end)
        start = end
        index = end_index + 1
    return _with_effective_tenses(clauses)


def _clause_end(morphs: Sequence[Morph], index: int) -> int:
    """The index of the ending that closes the clause starting at `index` (or the last morph)."""
    count = len(morphs)
    position = index
    while position < count:
        morph = morphs[position]
        following = morphs[position + 1] if position + 1 < count else None
        if morph.tag in ("EC", "EF", "ETM", "ETN") and not _continues(morph, following, morphs,
                                                                        position):
            return position
        position += 1
    return count - 1


def _continues(ending: Morph, following: Morph | None, morphs: Sequence[Morph], position: int) -> bool:
    """An ending inside one predicate: an auxiliary follows ('이어 오다', '체결하게 되다'), or a
    nominal ending is taken by '하다'/an agreement noun ('맺기로 했다', '맺기로 합의했다')."""
    if following is None:
        return False
    if ending.tag == "EC" and following.tag == "VX":
        return True
    if ending.tag == "EC" and ending.form in ("게", "도록") and following.form in ("되", "하"):
        return True
    if ending.tag == "ETN" and _inside_word(morphs, position):
        return True  # '푸름이방에서': a name built on a nominal form, not a clause
    if ending.tag == "ETN" and ending.form == "기":
        rest = morphs[position + 1:position + 4]
        return bool(rest) and rest[0].form == "로" and len(rest) > 1 and (
            rest[1].form == "하" or rest[1].form in AGREE_NOUNS)
    if ending.tag == "ETM" and following.form in PLAN_HEADS:
        return True  # '체결할 예정이다': the plan noun closes the same clause
    if ending.tag == "ETM" and position > 0 and morphs[position - 1].form in TIME_VERBS:
        return True  # '지난 10일', '오는 20일': a time word, not a clause
    return False


def _inside_word(morphs: Sequence[Morph], position: int) -> bool:
    """The word goes on past the ending, a particle and into a noun with no space between
    ('푸르+ㅁ+이+방'): a nominalised clause ends its word or hands it to a particle."""
    end = morphs[position].end
    for morph in morphs[position + 1:position + 3]:
        if morph.start != end:
            return False
        if morph.tag.startswith("NN"):
            return True
        if not morph.tag.startswith("J"):
            return False
        end = morph.end
    return False


def _make_clause(start: int, end: int, pieces: Sequence[Morph], after: Sequence[Morph]) -> Clause | None:
    predicate = _predicate(pieces)
    if predicate is None:
        return None
    lemma, predicate_start, predicate_end = predicate
    closing = pieces[-1]
    kind = {"EF": "final", "EC": "connective", "ETM": "adnominal", "ETN": "nominal"}.get(
        closing.tag, "open")
    head = _head_noun(after) if kind == "adnominal" else None
    forms = [m.form for m in pieces]
    agreed = "기" in forms and any(form in AGREE_NOUNS for form in forms)
    report = (lemma in REPORT_VERBS and kind != "adnominal") or (lemma == "따르" and closing.form in ("면", "으면"))
    report = report or (lemma == "의하" and closing.form in ("면", "으면"))
    return Clause(
        start=start, end=end, predicate=lemma, predicate_start=predicate_start,
        predicate_end=predicate_end, ending=closing.form, kind=kind,
        tense=_tense(pieces, kind, head), head=head,
        head_run=_noun_run(after) if kind == "adnominal" else (),
        embedded=(kind == "adnominal" and head in BACKGROUND_HEADS) or _nominalised(closing),
        continuing=_continuing(pieces),
        report=report, agreed=agreed,
        quoted=_quotative(closing),
        arguments=tuple(_arguments(pieces)), morphs=tuple(pieces),
    )


def _head_noun(after: Sequence[Morph]) -> str | None:
    """The noun an adnominal clause modifies, past a determiner ('맺은 두 시는' → 시); the time
    word of a span ('체결한 지난 14년 동안') counts as the head '지난'."""
    for morph in after:
        if morph.tag.startswith("NN"):
            return morph.form
        if morph.tag != "MM":
            return "지난" if morph.form == "지나" else None
    return None


def _noun_run(after: Sequence[Morph]) -> tuple[str, ...]:
    """The nouns of the phrase right after an adnominal ending, up to its first particle."""
    nouns = []
    for morph in after:
        if morph.tag.startswith(("NN", "SN", "MM", "XSN")):
            nouns.append(morph.form)
        else:
            break
    return tuple(nouns)


def _predicate(pieces: Sequence[Morph]) -> tuple[str, int, int] | None:
    """The lemma and span of the clause's main predicate: the last verb before the ending that is
    no auxiliary, the verb before a nominal or '-게' ending when a light verb takes it
    ('맺기로 했다', '체결하게 되었다' → 맺, 체결하), with the noun before a light verb
    ('체결'+'하' → '체결하'; '협약을 하다' → '협약하')."""
    verbs = [i for i, m in enumerate(pieces) if m.tag.startswith(PREDICATE_TAGS) and m.tag != "VX"]
    if not verbs:
        return None
    main = verbs[-1]
    linked = [i for i in range(main) if pieces[i].tag == "ETN" and not _inside_word(pieces, i)
              or (pieces[i].tag == "EC" and pieces[i].form in ("게", "도록"))
              or (pieces[i].tag == "ETM" and pieces[i + 1].form in PLAN_HEADS)]
    if linked:
        earlier = [i for i in verbs if i < linked[-1]]
        main = earlier[-1] if earlier else main
    morph = pieces[main]
    if morph.tag in ("XSV", "XSA", "VCP") and main > 0 and pieces[main - 1].tag.startswith("N"):
        noun = pieces[main - 1]
        return noun.form + morph.form, noun.start, morph.end
    if morph.form == "하" and main > 1 and pieces[main - 1].tag in ("JKO", "JX") \
            and pieces[main - 2].tag.startswith("N"):
        noun = pieces[main - 2]
        return noun.form + "하", noun.start, morph.end
    return morph.form, morph.start, morph.end


def _nominalised(closing: Morph) -> bool:
    """'…을 맺음으로 시작됐다': a clause made a noun by '-음' is told as a fact, not news."""
    return closing.tag == "ETN" and closing.form in ("음", "ᆷ")


def _continuing(pieces: Sequence[Morph]) -> bool:
    """'-고 있다', '-어 오다': the clause tells of a state or a course that goes on."""
    return any(m.tag == "VX" and m.form in ("있", "오") and i > 0 and pieces[i - 1].tag == "EC"
               and pieces[i - 1].form in ("고", "어", "아", "여", "아서", "어서")
               for i, m in enumerate(pieces))


def _tense(pieces: Sequence[Morph], kind: str, head: str | None) -> str | None:
    forms = [m.form for m in pieces]
    tags = [m.tag for m in pieces]
    past = _past(pieces)
    if any(f in PLAN_HEADS for f in forms) or any(t == "EP" and f == "겠" for t, f in zip(tags, forms)):
        return "plan"
    if "기" in forms and "로" in forms and not any(f in AGREE_NOUNS for f in forms):
        return "plan"  # '맺기로 했다': decided, still to come
    if past:
        return "past"
    closing = pieces[-1]
    if kind == "connective" and closing.form in PURPOSE_ENDINGS:
        return "plan"  # '맺으러 떠났다', '체결하고자': the act is the aim of another
    if kind == "adnominal":
        if closing.form in ("ᆫ", "은") and tags[-2:-1] and tags[-2] in ("VV", "XSV", "VX"):
            return "past"  # a verb's '-ㄴ/은' before a noun is done ('맺은 협약')
        if closing.form in ("ᆯ", "을"):
            return "plan"
        return "present"
    if kind == "final" or _quotative(closing):
        return "present"  # '체결한다', '체결한다고 밝혔다': what news tells as coming
    if kind == "nominal":
        return None
    return None


def _arguments(pieces: Sequence[Morph]) -> Iterable[Argument]:
    """Noun phrases closed by a case particle, each with its role."""
    for index, morph in enumerate(pieces):
        role = _particle_role(morph, pieces[index + 1] if index + 1 < len(pieces) else None)
        if role is None:
            continue
        first = index
        while first - 1 >= 0 and _in_noun_phrase(pieces, first - 1):
            first -= 1
        if first == index:
            continue
        yield Argument(role, pieces[first].start, pieces[index - 1].end, morph.form)


def _in_noun_phrase(pieces: Sequence[Morph], index: int) -> bool:
    """A morpheme a noun phrase may hold: nouns, but not a date ('10일') nor the head noun an
    earlier clause modifies ('…한 가운데')."""
    morph = pieces[index]
    if morph.tag == "JKG":
        return index > 0 and pieces[index - 1].tag.startswith("NN")  # '로체스터시의 … 시장'
    if not morph.tag.startswith(NOMINAL_TAGS) or morph.tag in ("SN", "NNB"):
        return False
    return not (index > 0 and pieces[index - 1].tag == "ETM")


def _particle_role(morph: Morph, following: Morph | None) -> str | None:
    if morph.tag in PARTICLE_ROLES:
        return PARTICLE_ROLES[morph.tag]
    if morph.tag in ("JKB", "JC") and morph.form in COMITATIVE:
        return "partner"
    if morph.tag == "JKB" and morph.form == "에서":
        return "place"
    if morph.tag == "JX" and morph.form in TOPIC:
        return "topic"
    return None


def _extend(clause: Clause, end: int) -> Clause:
    return Clause(**{**_fields(clause), "end": end})


def _fields(clause: Clause) -> dict[str, Any]:
    return {name: getattr(clause, name) for name in Clause.__slots__}  # type: ignore[attr-defined]


def _with_effective_tenses(clauses: list[Clause]) -> list[Clause]:
    """A connective clause without a tense of its own ('체결하고 … 약속했다') shares the tense of
    the next clause it is coordinated with (embedded clauses in between are skipped)."""
    resolved = list(clauses)
    following: str | None = None
    going_on = False
    for position in range(len(resolved) - 1, -1, -1):
        clause = resolved[position]
        if clause.kind in ("connective", "open", "nominal") and not clause.quoted:
            # a connective clause takes its aspect from the clause it is joined to
            # ('…을 체결하여 교류를 펼쳐 오고 있다'), and its tense too when it has none
            resolved[position] = Clause(**{**_fields(clause),
                                           "tense": clause.tense or following,
                                           "continuing": clause.continuing or going_on})
        if clause.kind in ("connective", "final", "open") and not _intention(clause):
            # a quoted clause ends what is reported: the clauses joined to it share its tense
            # ('…에 서명하고 자매결연을 맺는다고 밝혔다'), not the tense of the saying; a
            # promise ('…을 체결하고 협력하겠다고 밝혔다') dates nothing done before it
            following = _tense_handed_on(resolved[position])
            going_on = resolved[position].continuing
    return resolved


def _intention(clause: Clause) -> bool:
    """A quoted '-겠다고': what the speaker means to do."""
    return clause.quoted and any(m.tag == "EP" and m.form == "겠" for m in clause.morphs)


def _quotative(closing: Morph) -> bool:
    """A quotative ending ('체결했다고', '체결한다고', '맺자고'): the clause is what was said."""
    return closing.tag == "EC" and closing.form.endswith(QUOTATIVE_ENDINGS)


def _tense_handed_on(clause: Clause) -> str | None:
    """The tense a clause shares with a connective clause before it. A decision made
    ('…을 맺고 협력하기로 했다') is a plan for what it decides, but what was done before the
    deciding is done: the earlier clause gets the past of '했다'."""
    forms = [m.form for m in clause.morphs]
    decided = "기" in forms and "로" in forms and "겠" not in forms \
        and not any(form in PLAN_HEADS for form in forms)
    if clause.tense == "plan" and decided and _past(clause.morphs):
        return "past"
    return clause.tense


def _past(pieces: Sequence[Morph]) -> bool:
    return any(m.tag == "EP" and m.form in PAST_ENDINGS for m in pieces)


def clause_at(clauses: Sequence[Clause], offset: int) -> Clause | None:
    """The clause holding a character offset."""
    for clause in clauses:
        if clause.holds(offset):
            return clause
    return None


def morphs_of(text: str, kiwi: Any) -> list[Morph]:
    """Kiwi's morphemes of `text` (for callers that hold no tokenized Doc)."""
    return [Morph.from_token(token) for token in kiwi.tokenize(text)]
