"""Logins, session expiry and CSRF tokens for the review page.

A login is a signed session cookie (Flask) holding the reviewer's name, a CSRF token bound to
that session, and when it was last used; every write must echo the token in its form.
"""

from __future__ import annotations

import hmac
import secrets
import time

from flask import abort, session
from werkzeug.security import check_password_hash

from review.config import ReviewConfig

CSRF_FIELD = "csrf_token"


def password_ok(config: ReviewConfig, name: str, password: str) -> bool:
    """A configured user's password, or the shared token (any name but an empty one)."""
    if not name or not password:
        return False
    stored = config.users.get(name)
    if stored is not None:
        return check_password_hash(stored, password)
    token = config.token()
    return token is not None and hmac.compare_digest(token.encode(), password.encode())


def log_in(name: str) -> None:
    session.clear()  # a new session id (and CSRF token) on login: no fixation
    session.permanent = True
    session["reviewer"] = name
    session["seen"] = time.time()
    csrf_token()


def log_out() -> None:
    session.clear()


def current_reviewer(config: ReviewConfig) -> str | None:
    """The logged-in reviewer, or None; an idle session past its minutes is ended here (the
    cookie's own expiry is up to the browser, this check is not)."""
    name = session.get("reviewer")
    if not name:
        return None
    if time.time() - float(session.get("seen", 0)) > config.session_minutes * 60:
        session.clear()
        return None
    session["seen"] = time.time()
    return str(name)


def csrf_token() -> str:
    """This session's token (made on first use); forms carry it in a hidden field."""
    if CSRF_FIELD not in session:
        session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return str(session[CSRF_FIELD])


def require_csrf(submitted: str | None) -> None:
    expected = session.get(CSRF_FIELD)
    if not expected or not submitted or not hmac.compare_digest(str(expected), submitted):
        abort(400, description="missing or wrong CSRF token: reload the page and try again")
