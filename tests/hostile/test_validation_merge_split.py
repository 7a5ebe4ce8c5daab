"""A merge of two different pairs needs to be asked for twice (`--force`, or a page showing
both events), and every merged-in mention can be split back out, one by one."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from store import Store
from tests.support.webclient import logged_in_session
from tests.support.review import live_server, review_config
from tests.support.store import make_event, save_page
from twinwatch.app.cli import cli


@pytest.fixture
def database(tmp_path):
    """1: 안산–훈춘 (pages a, b); 2: 시흥–위해 (pages a, c) — page a reports both;
    3: 안산–훈춘 again, a year later."""
    path = tmp_path / "merge.db"
    with Store(path) as store:
        hunchun = make_event()
        weihai = make_event(korean_party="시흥시", partner="위해시", date="2024-04-04",
                            agreement_type="friendship_city")
        save_page(store, "https://a.example.kr/both", [hunchun, weihai])
        save_page(store, "https://b.example.kr/1", [make_event(date="2023-10-11")])
        save_page(store, "https://c.example.kr/1", [make_event(
            korean_party="시흥시", partner="위해시", date="2024-04-05", agreement_type="friendship_city")])
        save_page(store, "https://d.example.kr/1", [make_event(date="2024-11-11")])
        assert [e["id"] for e in store.events()] == [1, 2, 3]
    (tmp_path / "config.toml").write_text(f'[store]\npath = "{path}"\n', encoding="utf-8")
    return path


def run(*args: str):
    return CliRunner().invoke(cli, ["--config", "config.toml", *args])


def test_merging_different_pairs_needs_force(database):
    refused = run("review", "merge", "1", "2", "--reviewer", "kim")
    assert refused.exit_code == 1
    assert "different pairs" in refused.output and "--force" in refused.output
    assert "안산시" in refused.output and "시흥시" in refused.output
    with Store(database) as store:
        assert store.review_log() == [] and store.event(2)["merged_into"] is None
    assert run("review", "merge", "1", "3", "--reviewer", "kim").exit_code == 0  # one pair
    forced = run("review", "merge", "1", "2", "--force", "--reviewer", "kim")
    assert forced.exit_code == 0, forced.output
    with Store(database) as store:
        assert store.event(2)["merged_into"] == 1


def test_every_merged_in_mention_can_be_split_back_one_by_one(database):
    with Store(database) as store:
        store.merge(1, 2, "kim", force=True)
        merged_state = [(m.id, m.event_id) for m in store.mentions(1, absorbed=True)]
        absorbed = [m for m in store.mentions(1, absorbed=True)
                    if m.agreement_type == "friendship_city"]  # 시흥–위해's reports
        assert {m.url for m in absorbed} == {"https://a.example.kr/both", "https://c.example.kr/1"}
        first = store.split(1, [absorbed[0].id], "kim")  # the one page a left behind
        second = store.split(1, [absorbed[1].id], "kim")
        assert [m.id for m in store.mentions(first)] == [absorbed[0].id]
        assert [m.id for m in store.mentions(second)] == [absorbed[1].id]
        assert {m.agreement_type for m in store.mentions(1)} == {"letter_of_intent"}
        store.undo("kim")
        store.undo("kim")  # both splits undone: each mention back where it was
        assert [(m.id, m.event_id) for m in store.mentions(1, absorbed=True)] == merged_state


def test_cli_split_takes_a_merged_in_mention_out(database):
    with Store(database) as store:
        store.merge(1, 2, "kim", force=True)
        left_behind = next(m.id for m in store.mentions(2) if m.url.endswith("/both"))
    shown = run("review", "show", "1")
    assert f"[{left_behind}]" in shown.output  # the reviewer can see it to split it
    result = run("review", "split", "1", "--mention", str(left_behind), "--reviewer", "kim")
    assert result.exit_code == 0, result.output


def test_page_asks_before_merging_different_pairs(database):
    with live_server(database, review_config()) as base:
        session, token = logged_in_session(base)
        asked = session.post(f"{base}/events/1/merge", timeout=30,
                             data={"csrf_token": token, "other": "2"})
        assert asked.status_code == 200 and 'id="merge-pair"' in asked.text
        assert "위해시" in asked.text and "훈춘시" in asked.text
        with Store(database) as store:
            assert store.event(2)["merged_into"] is None
        done = session.post(f"{base}/events/1/merge", timeout=30,
                            data={"csrf_token": token, "other": "2", "force": "1"})
        assert done.status_code == 200 and 'id="merge-pair"' not in done.text
    with Store(database) as store:
        assert store.event(2)["merged_into"] == 1


def test_page_shows_a_merged_in_mention_and_splits_it_out(database):
    with Store(database) as store:
        store.merge(1, 2, "kim", force=True)
        left_behind = next(m.id for m in store.mentions(2) if m.url.endswith("/both"))
    with live_server(database, review_config()) as base:
        session, token = logged_in_session(base)
        page = session.get(f"{base}/events/1", timeout=30).text
        assert f'name="mention" value="{left_behind}"' in page and "병합된 사건 2" in page
        split = session.post(f"{base}/events/1/split", timeout=30,
                             data={"csrf_token": token, "mention": str(left_behind)})
        assert split.status_code == 200 and "is not a mention" not in split.text
    with Store(database) as store:
        # it left event 1 and the event merged into it, for a new event of its own
        assert left_behind not in {m.id for m in store.mentions(1, absorbed=True)}
        assert store.review_log()[-1].action == "split"
