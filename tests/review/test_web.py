"""The review page through Flask's test client: access rules, CSRF, escaping, filters, writes."""

from __future__ import annotations

import json
import re
import time

import pytest

from review.app import create_app
from store import Store
from tests.support.review import PASSWORD, SCRIPT_EVIDENCE, csrf_of, review_config, seed


@pytest.fixture
def database(tmp_path):
    return seed(tmp_path / "review.db", 6, script_event=True)


def logged_in(client, name="alice", password=PASSWORD):
    client.post("/login", data={"name": name, "password": password,
                                "csrf_token": csrf_of(client.get("/login").text)})
    page = client.get("/").text
    return csrf_of(page) if 'id="undo-form"' in page else None


def test_queue_lists_lowest_confidence_first_read_only_without_login(database):
    client = create_app(database, review_config()).test_client()
    page = client.get("/")
    assert page.status_code == 200
    ids = [int(i) for i in re.findall(r'data-event-row data-id="(\d+)"', page.text)]
    with Store(database) as store:
        confidences = [store.event(i)["confidence"] for i in ids]
    assert confidences == sorted(confidences) and len(ids) == 7
    assert 'id="action-form"' not in page.text  # no write controls for a visitor
    assert client.post("/events/1/confirm", data={}).status_code == 403


def test_closed_mode_sends_visitors_to_login(database):
    client = create_app(database, review_config(anonymous="closed")).test_client()
    response = client.get("/events/1")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/login").status_code == 200


def test_write_without_csrf_token_is_refused_and_changes_nothing(database):
    client = create_app(database, review_config()).test_client()
    logged_in(client)
    assert client.post("/events/1/confirm", data={}).status_code == 400
    assert client.post("/events/1/confirm", data={"csrf_token": "forged"}).status_code == 400
    with Store(database) as store:
        assert store.event(1)["review_state"] == "new" and store.review_log() == []


def test_wrong_password_and_token_login(database, monkeypatch):
    client = create_app(database, review_config(token_users=("bob",))).test_client()
    assert logged_in(client, password="wrong") is None
    assert client.post("/events/1/confirm", data={}).status_code == 403
    monkeypatch.setenv("TW_TEST_REVIEW_TOKEN", "tok-123")
    token = logged_in(client, name="bob", password="tok-123")
    assert client.post("/events/1/confirm", data={"csrf_token": token}).status_code == 302
    with Store(database) as store:
        assert [(e.reviewer, e.action) for e in store.review_log()] == [("bob", "confirm")]


def test_session_expires_after_idle_minutes(database):
    client = create_app(database, review_config(session_minutes=1)).test_client()
    token = logged_in(client)
    with client.session_transaction() as session:
        session["seen"] = time.time() - 61
    assert client.post("/events/1/confirm", data={"csrf_token": token}).status_code == 403


def test_scraped_script_is_escaped_everywhere(database):
    client = create_app(database, review_config()).test_client()
    with Store(database) as store:
        event_id = next(e["id"] for e in store.events() if e["partner"] == "선양시")
    for path in ("/", f"/events/{event_id}"):
        page = client.get(path).text
        assert "<script>alert" not in page and "<b>선양시</b>" not in page
        assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in page
    assert "script-src 'self'" in client.get("/").headers["Content-Security-Policy"]


def test_archived_copy_is_sandboxed(database):
    client = create_app(database, review_config()).test_client()
    response = client.get("/documents/1/archived")
    assert response.status_code == 200 and response.data.startswith(b"<html>")
    assert response.headers["Content-Security-Policy"].startswith("sandbox")


def test_filters(database):
    client = create_app(database, review_config()).test_client()
    with Store(database) as store:
        expected = sorted(e["id"] for e in store.events() if e["partner_country"] == "CN")
    found = sorted(int(i) for i in re.findall(
        r'data-event-row data-id="(\d+)"', client.get("/?country=CN").text))
    assert found == expected
    found = re.findall(r'data-event-row data-id="(\d+)"',
                                     client.get("/?party=시흥&agreement_type=sister_city").text)
    with Store(database) as store:
        assert all(store.event(int(i))["korean_party"] == "시흥시" for i in found) and found


def test_correct_split_add_and_bulk_confirm_through_forms(database):
    client = create_app(database, review_config()).test_client()
    token = logged_in(client)
    client.post("/events/2/correct", data={
        "csrf_token": token, "agreement_type": "mou", "date": "2019-03-04", "status": "signed",
        "korean_party": "시흥시", "partner": "훈춘시", "partner_country": "cn", "reason": "typo"})
    with Store(database) as store:
        event = store.event(2)
        text = store.document(3)["text"]
    assert (event["agreement_type"], event["date"], event["partner_country"]) == ("mou", "2019-03-04", "CN")
    sentence = text.split("\n")[1]
    response = client.post("/documents/3/events", data={
        "csrf_token": token, "selected": sentence, "start": "0", "korean_party": "수원시",
        "partner": "후에시", "partner_country": "VN", "agreement_type": "mou", "status": "signed"})
    assert response.status_code == 302
    new_id = int(response.headers["Location"].rsplit("/", 1)[1])
    client.post("/events/confirm", data={"csrf_token": token, "event": ["4", "5"]})
    with Store(database) as store:
        added = store.event(new_id)
        assert added["evidence"] == sentence and added["review_state"] == "corrected"
        assert store.event(4)["review_state"] == store.event(5)["review_state"] == "confirmed"
        log = store.review_log()
    assert [e.action for e in log] == ["correct", "add", "confirm", "confirm"]
    assert log[0].reason == "typo" and log[0].before["agreement_type"] != "mou"
    client.post("/undo", data={"csrf_token": token})
    with Store(database) as store:
        assert store.event(4)["review_state"] == store.event(5)["review_state"] == "new"
    page = client.get("/events/2").text
    assert "유형:" in page and "typo" in page  # the history shows the change


def test_script_evidence_json_roundtrip_unchanged(database):
    with Store(database) as store:
        assert any(e["evidence"] == SCRIPT_EVIDENCE for e in store.events())
        assert json.loads(json.dumps(store.events()))  # nothing in the store was altered
