"""Relationships derived from stored events: stages, upgrades, plans never signed, domestic pairs,
suspension notes from pages, reviewers' statements, and staying current after reviews."""

from __future__ import annotations

import sqlite3

import pytest

from extract.notes import find_notes, note_kind
from extract.records import Document
from store import Store, StoreError
from tests.support.store import make_event, save_page


def upgrade(store: Store) -> None:
    """의향서 (2001) → 우호도시 (2003) → 자매결연 (2008), each reported by its own page."""
    for number, (kind, day) in enumerate((("letter_of_intent", "2001-03-05"),
                                          ("friendship_city", "2003-05-10"),
                                          ("sister_city", "2008-10-01")), start=1):
        save_page(store, f"http://news.test/{number}",
                  [make_event(agreement_type=kind, date=day, korean_province="경기도")],
                  published=day)


def only(store: Store, party: str, partner: str):
    found = [r for r in store.relationships() if r.involves(party) and r.involves(partner)]
    assert len(found) == 1, found
    return found[0]


def test_upgrade_is_one_relationship_with_three_dated_steps(store):
    upgrade(store)
    relationships = store.relationships()
    assert len(relationships) == 1
    tie = relationships[0]
    assert [(s.stage, s.date, s.status) for s in tie.steps] == [
        ("letter_of_intent", "2001-03-05", "signed"), ("friendship_city", "2003-05-10", "signed"),
        ("sister_city", "2008-10-01", "signed")]
    assert (tie.stage, tie.state, tie.first_date, tie.last_date) == (
        "sister_city", "active", "2001-03-05", "2008-10-01")
    assert [s.sources[0].url for s in tie.steps] == [f"http://news.test/{n}" for n in (1, 2, 3)]


def test_steps_sorted_by_date_whatever_the_saving_order(store):
    save_page(store, "http://news.test/late", [make_event(agreement_type="sister_city", date="2010")])
    save_page(store, "http://news.test/early", [make_event(agreement_type="mou", date="1998-07")])
    tie = only(store, "안산시", "훈춘시")
    assert [s.date for s in tie.steps] == ["1998-07", "2010"]


def test_planned_but_never_signed(store):
    save_page(store, "http://news.test/plan", [make_event(
        partner="타이베이시", partner_country="TW", agreement_type="sister_city", status="planned",
        date="2019-06-20")])
    tie = only(store, "안산시", "타이베이시")
    assert (tie.stage, tie.state, tie.state_date) == (None, "planned", "2019-06-20")
    assert tie.steps[0].status == "planned" and tie.steps[0].label.endswith("(예정)")


def test_a_plan_fulfilled_is_signed(store):
    save_page(store, "http://news.test/plan", [make_event(status="planned", date="2019-06-20",
                                                          agreement_type="sister_city")])
    save_page(store, "http://news.test/done", [make_event(status="signed", date="2019-06-21",
                                                          agreement_type="sister_city")])
    tie = only(store, "안산시", "훈춘시")
    assert (tie.stage, tie.state, len(tie.steps)) == ("sister_city", "active", 1)
    assert len(tie.steps[0].sources) == 2


def test_domestic_pair_is_unordered(store):
    save_page(store, "http://a.test/1", [make_event(
        korean_party="시흥시", partner="안산시", partner_country="KR", agreement_type="mou",
        date="2020-01-15")])
    save_page(store, "http://b.test/2", [make_event(
        korean_party="안산시", partner="시흥시", partner_country="KR",
        agreement_type="friendship_city", date="2021-04-02")])
    relationships = store.relationships()
    assert len(relationships) == 1
    assert relationships[0].domestic
    assert [s.stage for s in relationships[0].steps] == ["mou", "friendship_city"]
    assert {relationships[0].korean_party, relationships[0].partner} == {"시흥시", "안산시"}


def test_same_named_parties_of_two_provinces_stay_apart(store):
    for province, url in (("서울특별시", "http://a.test/s"), ("부산광역시", "http://a.test/b")):
        save_page(store, url, [make_event(korean_party="중구", korean_province=province,
                                          date="2015-05-05")])
    assert len(store.relationships()) == 2


SUSPENSION = "경기 안산시는 중국 훈춘시와의 교류를 전면 중단했다고 밝혔다."


def test_suspension_note_from_a_stored_page(store):
    upgrade(store)
    save_page(store, "http://news.test/stop", [], text=SUSPENSION, published="2017-03-02")
    tie = only(store, "안산시", "훈춘시")
    assert (tie.state, tie.state_date) == ("suspended", "2017-03-02")
    note = tie.steps[-1]
    assert (note.kind, note.stage, note.origin, note.sources[0].url) == (
        "state", "suspended", "note", "http://news.test/stop")
    assert tie.stage == "sister_city"  # the stage reached stays


def test_an_agreement_signed_after_the_suspension_makes_it_active_again(store):
    upgrade(store)
    save_page(store, "http://news.test/stop", [], text=SUSPENSION, published="2017-03-02")
    save_page(store, "http://news.test/mou", [make_event(agreement_type="mou", date="2023-09-01")])
    assert only(store, "안산시", "훈춘시").state == "active"


def test_reviewer_statement_outranks_pages_and_is_logged_append_only(store):
    upgrade(store)
    save_page(store, "http://news.test/stop", [], text=SUSPENSION, published="2017-03-02")
    tie = store.set_relationship_state("안산시", "훈춘시", "ended", "kim", date="2018-01",
                                       reason="협약 해지 공문")
    assert (tie.state, tie.state_date) == ("ended", "2018-01")
    tie = store.set_relationship_state("안산", "훈춘", "active", "lee", reason="note was wrong")
    assert tie.state == "active"
    assert [s.reviewer for s in tie.steps if s.origin == "reviewer"] == ["kim", "lee"]
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.db.execute("DELETE FROM relationship_log")


def test_reviewer_statement_needs_a_known_pair_and_state(store):
    upgrade(store)
    with pytest.raises(StoreError, match="no relationship"):
        store.set_relationship_state("안산시", "오사카시", "ended", "kim")
    with pytest.raises(StoreError, match="state must be"):
        store.set_relationship_state("안산시", "훈춘시", "paused", "kim")


def test_rejections_and_corrections_keep_it_current(store):
    upgrade(store)
    events = {e["agreement_type"]: e["id"] for e in store.events()}
    store.review(events["letter_of_intent"], "reject", "kim", reason="a visit, not an agreement")
    store.review(events["sister_city"], "correct", "kim", after={"date": "2008-11-03"})
    tie = only(store, "안산시", "훈춘시")
    assert [(s.stage, s.date) for s in tie.steps] == [
        ("friendship_city", "2003-05-10"), ("sister_city", "2008-11-03")]
    cached = list(store.db.query("SELECT first_date, last_date, stage FROM relationships"))
    assert cached == [{"first_date": "2003-05-10", "last_date": "2008-11-03",
                       "stage": "sister_city"}]
    store.review(events["friendship_city"], "correct", "kim", after={"partner": "훈춘"})
    assert len(store.relationships()) == 1  # another spelling of the same partner


def test_a_correction_to_another_partner_moves_the_step(store):
    upgrade(store)
    sister = next(e["id"] for e in store.events() if e["agreement_type"] == "sister_city")
    store.review(sister, "correct", "kim", after={"partner": "옌지시", "partner_canonical": None})
    assert [s.stage for s in only(store, "안산시", "훈춘시").steps] == [
        "letter_of_intent", "friendship_city"]
    assert [s.stage for s in only(store, "안산시", "옌지시").steps] == ["sister_city"]


@pytest.mark.parametrize("sentence, kind", [
    ("안산시는 훈춘시와의 교류를 전면 중단했다.", "suspended"),
    ("양 도시의 우호 관계가 단절됐다.", "suspended"),
    ("시는 자매결연 협약을 해지했다.", "ended"),
    ("자매결연을 파기하기로 했다.", "ended"),
    ("3년 만에 교류를 재개했다.", "resumed"),
    ("교류 중단 없이 이어가기로 했다.", None),
    ("교류 중단을 검토하고 있다.", None),
    ("축제를 취소했다.", None),
    ("자매결연 협약을 체결했다.", None),
])
def test_note_kinds(sentence, kind):
    assert note_kind(sentence) == kind


def test_notes_name_the_pair_and_date():
    text = ("강원 속초시는 중국 훈춘시와의 교류를 전면 중단했다.\n"
            "이후 2019년 5월 양 도시는 교류를 재개했다.")
    notes = find_notes(Document(url="x", text=text, published="2017-03-10"))
    assert [(n.korean_party, n.partner, n.note, n.date) for n in notes] == [
        ("속초시", "훈춘시", "suspended", "2017-03-10"), ("속초시", "훈춘시", "resumed", "2019-05")]
    assert all(text[n.evidence_span[0]:n.evidence_span[1]] == n.evidence for n in notes)


def test_a_tie_known_only_from_a_note(store):
    save_page(store, "http://news.test/end", [], text="충남 아산시는 일본 오사카시와의 자매결연을 파기했다.",
              published="2016-02-01")
    tie = only(store, "아산시", "오사카시")
    assert (tie.stage, tie.state, tie.state_date, tie.event_ids) == (None, "ended", "2016-02-01", [])


def test_a_page_saved_in_the_second_of_the_last_scan_is_still_read(store):
    upgrade(store)
    assert only(store, "안산시", "훈춘시").state == "active"  # scanned up to now
    mark = next(store.db.query("SELECT value FROM relationship_meta "
                               "WHERE name = 'notes_scanned_until'"))["value"]
    result = save_page(store, "http://news.test/stop", [], text=SUSPENSION, published="2017-03-02")
    store.db.execute("UPDATE documents SET updated_at = ? WHERE id = ?", [mark, result.document_id])
    assert only(store, "안산시", "훈춘시").state == "suspended"
    notes = store.db.execute("SELECT COUNT(*) FROM relationship_notes").fetchone()[0]
    store.relationships()
    assert store.db.execute("SELECT COUNT(*) FROM relationship_notes").fetchone()[0] == notes


def test_review_relationship_command(store, tmp_path):
    from click.testing import CliRunner

    from twinwatch.app.cli import cli
    upgrade(store)
    args = ["review", "relationship", "안산시", "훈춘시", "--db", str(store.path), "--reviewer", "kim"]
    done = CliRunner().invoke(cli, [*args, "--state", "suspended", "--date", "2017-03"])
    assert done.exit_code == 0 and "suspended since 2017-03" in done.output
    bad = CliRunner().invoke(cli, [*args, "--state", "ended", "--date", "March"])
    assert bad.exit_code == 2 and "YYYY" in bad.output
    unknown = CliRunner().invoke(cli, [*args[:2], "안산시", "도쿄도", *args[4:], "--state", "ended"])
    assert unknown.exit_code == 1 and "no relationship between 안산시 and 도쿄도" in unknown.output
    assert [r["state"] for r in store.db.query("SELECT state FROM relationship_log")] == ["suspended"]


ENDED_PAGE = ("안산시, 훈춘시와 자매결연 파기\n등록일: 2024-03-02\n\n"
              "경기 안산시는 중국 훈춘시와의 자매결연 관계를 파기했다고 2일 밝혔다. 안산시는 2008년 "
              "훈춘시와 자매결연을 맺은 뒤 교류해 왔으나 최근 교류를 전면 중단했다.\n")


def test_extract_prints_notes_beside_unchanged_events(tmp_path):
    from extract.core import find_events
    from extract.page.reader import read_page
    from twinwatch.app.inputs import load_input
    from twinwatch.app.extraction import extract_input
    page = tmp_path / "ended.txt"
    page.write_text(ENDED_PAGE, encoding="utf-8")
    result = extract_input(str(page))
    document = read_page(load_input(str(page)))
    assert result["events"] == [e.to_dict() for e in find_events(document)]
    assert [(n["note"], n["date"], n["partner"]) for n in result["notes"]] == [
        ("ended", "2024-03-02", "훈춘시"), ("suspended", "2024-03-02", "훈춘시")]  # not 2008


def test_ended_outranks_suspended_on_the_same_day(store):
    upgrade(store)
    save_page(store, "http://news.test/end", [], text=ENDED_PAGE, published="2024-03-02")
    assert only(store, "안산시", "훈춘시").state == "ended"


def test_a_name_with_nothing_comparable_does_not_break_the_others(store):
    upgrade(store)
    save_page(store, "http://news.test/odd", [make_event(partner="(주)", date="2011-01-01")])
    assert len(store.relationships()) == 2
