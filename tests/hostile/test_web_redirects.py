"""`next` stays on the site: after log-in, after a write, and on the event page's back link —
checked with the test client and, where the browser's own URL parsing is the attack (a tab
dropped from `/\\t/host`), in headless Chromium against the app on 127.0.0.1."""

from __future__ import annotations

import html
import re
from urllib.parse import quote, urlsplit

import pytest

from review.app import create_app
from review.context import local_target
from tests.support.review import PASSWORD, csrf_of, live_server, review_config, seed

OFF_SITE = ["/\t/evil.example/x", "/\n/evil.example", "/\r\n/evil.example", "//evil.example",
            "/\\evil.example", "\\\\evil.example", "https://evil.example/", "http:/evil.example",
            "javascript:alert(1)", " //evil.example", "/\x00/evil.example", "evil.example",
            "/a/../..//evil.example"]


@pytest.fixture
def database(tmp_path):
    return seed(tmp_path / "review.db", 3)


@pytest.mark.parametrize("target", OFF_SITE)
def test_no_target_leaves_the_site(target: str) -> None:
    chosen = local_target(target, "/fallback")
    assert chosen.startswith("/") and not chosen.startswith("//")
    assert not any(c in chosen for c in "\t\r\n\\\x00")
    assert "evil.example" not in chosen or chosen == "/evil.example"


def test_same_site_targets_are_kept() -> None:
    assert local_target("/events/3?next=%2F&state=new", "/") == "/events/3?next=%2F&state=new"
    assert local_target("/?state=confirmed", "/x") == "/?state=confirmed"


@pytest.mark.parametrize("target", OFF_SITE)
def test_log_in_and_writes_redirect_on_site(database, target: str) -> None:
    client = create_app(database, review_config()).test_client()
    login_page = client.get("/login?next=" + quote(target, safe=""))
    response = client.post("/login", data={"name": "alice", "password": PASSWORD, "next": target,
                                           "csrf_token": csrf_of(login_page.text)})
    assert _on_site(response.headers["Location"])
    token = csrf_of(client.get("/").text)
    response = client.post("/events/1/confirm", data={"csrf_token": token, "next": target})
    assert _on_site(response.headers["Location"])
    back = client.get("/events/2?next=" + quote(target, safe="")).text
    found = re.search(r'<a href="([^"]*)" id="back-link"', back)
    assert found and _on_site(html.unescape(found.group(1)))


def _on_site(location: str) -> bool:
    parts = urlsplit(location)
    return parts.netloc in ("", "localhost") and parts.path.startswith("/") \
        and not parts.path.startswith("//") and not any(c in location for c in "\t\r\n\\")


def test_chromium_follows_the_back_link_and_the_log_in_on_site(browser, database) -> None:
    context = browser.new_context()
    page = context.new_page()
    left: list[str] = []

    def off_site(route) -> None:
        left.append(route.request.url)
        route.abort()
    page.route(lambda url: urlsplit(url).hostname != "127.0.0.1", off_site)
    with live_server(database, review_config()) as base:
        page.goto(f"{base}/events/1?next=/%09/evil.example/x")
        page.click("#back-link")
        page.wait_for_load_state()
        assert urlsplit(page.url).hostname == "127.0.0.1"
        page.goto(f"{base}/login?next=/%09/evil.example/x")
        page.fill("input[name=name]", "alice")
        page.fill("input[name=password]", PASSWORD)
        page.click("form.login button[type=submit]")
        page.wait_for_load_state()
        assert urlsplit(page.url).hostname == "127.0.0.1"
        assert page.locator("#undo-form").count() == 1
    context.close()
    assert left == []
