"""The clause layer over Kiwi's morphemes: tense, embedding, report frames and arguments.

Sentences are the team's own, written to show each construction once.
"""

from __future__ import annotations

import pytest

from extract.nlp.clauses import Morph, clause_at, morphs_of, split_clauses
from extract.nlp.pipeline import get_kiwi


def read(sentence: str):
    return split_clauses(sentence, morphs_of(sentence, get_kiwi()))


def clause_with(sentence: str, word: str):
    clause = clause_at(read(sentence), sentence.index(word))
    assert clause is not None, f"no clause holds {word!r}"
    return clause


@pytest.mark.parametrize("sentence, word, tense", [
    ("목포시는 어제 일본 가라쓰시와 우호도시 협정을 체결했다.", "체결", "past"),
    ("두 도시는 내달 5일 자매결연 협약을 체결한다.", "체결", "present"),
    ("양 시는 오는 9월 협약을 맺을 예정이다.", "맺", "plan"),
    ("군은 연내 우호교류 의향서를 교환할 계획이다.", "교환", "plan"),
    ("두 도시는 다음 달 자매결연을 맺기로 했다.", "맺", "plan"),
    ("시는 베트남 다낭시와 협약을 맺겠다고 말했다.", "맺", "plan"),
    ("구청장과 시장이 협약서에 서명하고 기념 촬영을 했다.", "서명", "past"),
    ("양측은 협약을 체결하며 교류를 약속했습니다.", "체결", "past"),
    ("시는 우호협력 협약을 체결하게 됐다고 전했다.", "체결", "past"),
    # an aim of another act: still to come, whatever the tense of the act
    ("군수 일행은 협정을 맺으러 지난 1일 출국했다.", "맺", "plan"),
    ("시장은 자매결연을 체결하고자 현지를 찾았다.", "체결", "plan"),
    # what was done before a decision is done ('…을 맺고 …하기로 했다')
    ("두 군은 지난주 우호협약을 맺고 축제에 서로 참가하기로 했다.", "맺", "past"),
    # a quoted present tells what is to come, not the past of the saying verb
    ("구는 다음 달 일본 한 시와 협약을 체결한다고 9일 밝혔다.", "체결", "present"),
    # what is joined to a quoted clause shares its tense, not the saying's
    ("두 시는 15일 협정서에 서명하고 자매결연을 맺는다고 밝혔다.", "서명", "present"),
    # ... but a promise ('-겠다고') dates nothing done before it
    ("두 시는 협약을 체결하고 여러 분야에서 협력하겠다고 밝혔다.", "체결", "past"),
])
def test_tense(sentence: str, word: str, tense: str) -> None:
    assert clause_with(sentence, word).tense == tense


@pytest.mark.parametrize("sentence, word, embedded, head", [
    ("시는 2009년 자매결연을 맺은 뒤 교류를 이어 왔다.", "맺", True, "뒤"),
    ("두 도시가 협약을 체결한 데 이어 청소년 교류도 시작했다.", "체결", True, "데"),
    ("양 도시는 1998년 협정을 체결한 이후 매년 방문단을 보냈다.", "체결", True, "이후"),
    ("군수와 시장이 참석한 가운데 협약을 맺었다.", "참석", False, "가운데"),
    ("지난 3일 맺은 협약에 따라 교류가 시작된다.", "맺", False, "협약"),
])
def test_embedding(sentence: str, word: str, embedded: bool, head: str) -> None:
    clause = clause_with(sentence, word)
    assert (clause.kind, clause.embedded, clause.head) == ("adnominal", embedded, head)


@pytest.mark.parametrize("sentence, report_word, event_word", [
    ("시는 지난 2일 중국 옌타이시와 협약을 체결했다고 4일 밝혔다.", "밝혔", "체결"),
    ("7일 군에 따르면 군수는 이날 필리핀 한 시와 업무협약을 맺었다.", "따르면", "맺"),
    ("도는 몽골 한 아이막과 의향서를 교환했다고 전했다.", "전했", "교환"),
])
def test_report_frames(sentence: str, report_word: str, event_word: str) -> None:
    assert clause_with(sentence, report_word).report
    event = clause_with(sentence, event_word)
    assert not event.report and event.tense == "past"


def test_time_words_stay_inside_the_clause() -> None:
    sentence = "시는 지난 10일 중국 한 도시와 협약을 체결했고 오는 20일 또 체결한다."
    assert clause_with(sentence, "지난").predicate == "체결하"


@pytest.mark.parametrize("sentence, name, role", [
    ("공주시는 베트남 다낭시와 우호교류 협약을 체결했다.", "공주시", "topic"),
    ("공주시는 베트남 다낭시와 우호교류 협약을 체결했다.", "다낭시", "partner"),
    ("공주시는 베트남 다낭시와 우호교류 협약을 체결했다.", "우호교류 협약", "object"),
    ("영월군이 시청 회의실에서 자매결연 협약을 했다.", "영월군", "subject"),
    ("영월군이 시청 회의실에서 자매결연 협약을 했다.", "시청 회의실", "place"),
    ("구청장이 시장과 함께 협약서에 서명했다.", "시장", "partner"),
])
def test_arguments(sentence: str, name: str, role: str) -> None:
    start = sentence.index(name)
    clause = clause_at(read(sentence), start)
    assert clause is not None and clause.role_of(start, start + len(name)) == role


def test_light_verb_takes_its_noun() -> None:
    sentence = "두 군은 25일 자매결연 협약을 했다."
    assert clause_with(sentence, "했").predicate == "협약하"


def test_clauses_tile_the_sentence() -> None:
    sentence = "시는 협약을 맺은 뒤 교류를 이어 왔으며, 올해 새 협약을 체결할 예정이다."
    parsed = read(sentence)
    assert parsed[0].start == 0 and parsed[-1].end == len(sentence)
    assert all(a.end == b.start for a, b in zip(parsed, parsed[1:]))


def test_a_nominal_form_inside_a_name_ends_no_clause() -> None:
    # Kiwi may read a room's name ('푸름이방') as 푸르+ㅁ+이+방: a nominal ending that the word
    # carries on past, into a noun, is part of the name, so the day before it dates the signing
    sentence = "시는 5일 시청 푸름이방에서 한 도시와 협약을 체결했다."
    analysis = [("시", "NNG", 0, 1), ("는", "JX", 1, 2), ("5", "SN", 3, 4), ("일", "NNB", 4, 5),
                ("시청", "NNG", 6, 8), ("푸르", "VA-I", 9, 10), ("ᆷ", "ETN", 10, 11),
                ("이", "JKS", 11, 12), ("방", "NNG", 12, 13), ("에서", "JKB", 13, 15),
                ("한", "MM", 16, 17), ("도시", "NNG", 18, 20), ("와", "JKB", 20, 21),
                ("협약", "NNG", 22, 24), ("을", "JKO", 24, 25), ("체결", "NNG", 26, 28),
                ("하", "XSV", 28, 29), ("었", "EP", 28, 29), ("다", "EF", 29, 30), (".", "SF", 30, 31)]
    clauses = split_clauses(sentence, [Morph(*piece) for piece in analysis])
    assert [(c.start, c.predicate) for c in clauses] == [(0, "체결하")]
