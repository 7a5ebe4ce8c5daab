"""A logged-in browser-like session on the review page served over loopback HTTP."""

from __future__ import annotations

import requests

from tests.support.review import PASSWORD, csrf_of


def logged_in_session(base: str, name: str = "alice") -> tuple[requests.Session, str]:
    """A session logged in as `name`, and its CSRF token."""
    session = requests.Session()
    token = csrf_of(session.get(f"{base}/login", timeout=30).text)
    session.post(f"{base}/login", data={"name": name, "password": PASSWORD, "csrf_token": token},
                 timeout=30)
    return session, csrf_of(session.get(f"{base}/events/1", timeout=30).text)
