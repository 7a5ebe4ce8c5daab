"""Who gets in: a cookie copied before log-out is dead after it, the shared token logs in only
the names listed for it (look-alikes refused), and guessing passwords is rate-limited."""

from __future__ import annotations

import time

import pytest
from werkzeug.security import generate_password_hash

from review.app import create_app
from review.sessions import LoginThrottle
from store import Store
from tests.support.review import PASSWORD, csrf_of, review_config, seed

TOKEN = "shared-token-4821"


@pytest.fixture
def database(tmp_path):
    return seed(tmp_path / "review.db", 4)


def log_in(client, name: str, password: str):
    return client.post("/login", data={"name": name, "password": password,
                                       "csrf_token": csrf_of(client.get("/login").text)})


def write_token(client) -> str | None:
    page = client.get("/").text
    return csrf_of(page) if 'id="undo-form"' in page else None


def reviewers_logged(database) -> list[tuple[str, str]]:
    with Store(database) as store:
        return [(entry.reviewer, entry.action) for entry in store.review_log()]


def test_a_cookie_copied_before_log_out_fails_after_it(database) -> None:
    app = create_app(database, review_config())
    reviewer, thief = app.test_client(), app.test_client()
    log_in(reviewer, "alice", PASSWORD)
    token = write_token(reviewer)
    stolen = reviewer.get_cookie("session")
    assert token and stolen is not None
    thief.set_cookie("session", stolen.value)
    assert write_token(thief) == token  # the copy works while the session lives
    reviewer.post("/logout", data={"csrf_token": token})
    assert thief.post("/events/1/confirm", data={"csrf_token": token}).status_code == 403
    assert write_token(thief) is None
    assert reviewers_logged(database) == []


def test_logging_in_again_after_log_out_works(database) -> None:
    client = create_app(database, review_config()).test_client()
    log_in(client, "alice", PASSWORD)
    client.post("/logout", data={"csrf_token": write_token(client)})
    log_in(client, "alice", PASSWORD)
    token = write_token(client)
    assert client.post("/events/1/confirm", data={"csrf_token": token}).status_code == 302
    assert reviewers_logged(database) == [("alice", "confirm")]


@pytest.mark.parametrize("typed, logged_in_as", [
    ("bob", "bob"),
    ("ｂｏｂ", "bob"),  # full-width letters fold to the listed name (NFKC)
    ("alice", None),  # has a password of her own: the token is not hers
    ("carol", None),  # not listed in token_users
    ("b\u200bob", None),  # a zero-width space: looks like bob, is not
    ("alice\u200b", None),
    ("\u3164", None),  # a Hangul filler draws nothing
], ids=["listed", "fullwidth", "password-user", "unlisted", "zero-width-bob",
        "zero-width-alice", "invisible"])
def test_the_token_logs_in_only_listed_names(database, monkeypatch, typed, logged_in_as) -> None:
    monkeypatch.setenv("TW_TEST_REVIEW_TOKEN", TOKEN)
    client = create_app(database, review_config(token_users=("bob",))).test_client()
    log_in(client, typed, TOKEN)
    token = write_token(client)
    if logged_in_as is None:
        assert token is None
        return
    client.post("/events/2/confirm", data={"csrf_token": token})
    assert reviewers_logged(database) == [(logged_in_as, "confirm")]


def test_a_token_holder_cannot_undo_another_reviewers_decision(database, monkeypatch) -> None:
    monkeypatch.setenv("TW_TEST_REVIEW_TOKEN", TOKEN)
    app = create_app(database, review_config(token_users=("bob",)))
    alice, mallory = app.test_client(), app.test_client()
    log_in(alice, "alice", PASSWORD)
    alice.post("/events/1/confirm", data={"csrf_token": write_token(alice)})
    for name in ("alice", "alice\u200b", "ALICE", "alice "):
        log_in(mallory, name, TOKEN)
        token = write_token(mallory)
        if token:  # only as another name: then undo touches that name's decisions only
            mallory.post("/undo", data={"csrf_token": token})
    with Store(database) as store:
        assert store.event(1)["review_state"] == "confirmed"
    assert reviewers_logged(database) == [("alice", "confirm")]


def test_ten_failures_lock_the_name_and_address_even_for_the_right_password(database) -> None:
    client = create_app(database, review_config()).test_client()
    for _ in range(10):
        assert log_in(client, "alice", "wrong").status_code == 401
    locked = log_in(client, "alice", PASSWORD)
    assert locked.status_code == 429 and "15분 뒤에" in locked.text
    assert write_token(client) is None
    other = create_app(database, review_config()).test_client()  # a fresh app forgets
    log_in(other, "alice", PASSWORD)
    assert write_token(other) is not None


def test_the_lock_is_per_name_and_ends_after_its_time(database) -> None:
    app = create_app(database, review_config(
        users={"alice": generate_password_hash(PASSWORD), "bob": generate_password_hash("b-pass")}))
    app.config["TWINWATCH_THROTTLE"] = LoginThrottle(max_failures=3, window=60.0, lockout=0.5)
    client = app.test_client()
    for _ in range(3):
        log_in(client, "alice", "wrong")
    assert log_in(client, "alice", PASSWORD).status_code == 429
    assert log_in(client, "bob", "b-pass").status_code == 302  # another name is not locked
    time.sleep(0.6)
    client.post("/logout", data={"csrf_token": write_token(client)})
    assert log_in(client, "alice", PASSWORD).status_code == 302


def test_secure_cookies_option(database) -> None:
    for secure in (True, False):
        client = create_app(database, review_config(secure_cookies=secure)).test_client()
        response = log_in(client, "alice", PASSWORD)
        cookie = response.headers["Set-Cookie"]
        assert ("; Secure" in cookie) is secure
