"""Logins, session expiry, revocation and CSRF tokens for the review page.

A login is a signed session cookie (Flask) holding the reviewer's name, their session version
(review.sessions: log-out raises it, so a copied cookie dies with the session), a CSRF token
bound to that session, and when it was last used; every write must echo the token in its form.
"""

from __future__ import annotations

import hmac
import secrets
import time

from flask import abort, current_app, session
from werkzeug.security import check_password_hash

from review.config import ReviewConfig, reviewer_name
from review.sessions import LoginThrottle, SessionVersions

CSRF_FIELD = "csrf_token"


def password_ok(config: ReviewConfig, name: str, password: str) -> bool:
    """A configured user's password, or the shared token for a name in `token_users`.
    `name` must already be normalised (`reviewer_name`)."""
    if not name or not password:
        return False
    stored = config.users.get(name)
    if stored is not None:
        return check_password_hash(stored, password)
    token = config.token()
    return (token is not None and config.may_use_token(name)
            and hmac.compare_digest(token.encode(), password.encode()))


def versions() -> SessionVersions:
    kept: SessionVersions = current_app.config["TWINWATCH_SESSIONS"]
    return kept


def throttle() -> LoginThrottle:
    kept: LoginThrottle = current_app.config["TWINWATCH_THROTTLE"]
    return kept


def log_in(name: str) -> None:
    session.clear()  # a new session id (and CSRF token) on login: no fixation
    session.permanent = True
    session["reviewer"] = name
    session["version"] = versions().current(name)
    session["seen"] = time.time()
    csrf_token()


def log_out() -> None:
    """End this reviewer's sessions everywhere, this cookie and any copy of it included."""
    name = session.get("reviewer")
    if name:
        versions().revoke(str(name))
    session.clear()


def current_reviewer(config: ReviewConfig) -> str | None:
    """The logged-in reviewer, or None; an idle session past its minutes is ended here (the
    cookie's own expiry is up to the browser, this check is not), and so is a session whose
    version was revoked by a log-out or whose name is no longer allowed to log in."""
    name = session.get("reviewer")
    if not name:
        return None
    if time.time() - float(session.get("seen", 0)) > config.session_minutes * 60 \
            or session.get("version") != versions().current(str(name)) \
            or not _still_allowed(config, str(name)):
        session.clear()
        return None
    session["seen"] = time.time()
    return str(name)


def _still_allowed(config: ReviewConfig, name: str) -> bool:
    return reviewer_name(name) == name and (name in config.users or config.may_use_token(name))


def csrf_token() -> str:
    """This session's token (made on first use); forms carry it in a hidden field."""
    if CSRF_FIELD not in session:
        session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return str(session[CSRF_FIELD])


def require_csrf(submitted: str | None) -> None:
    expected = session.get(CSRF_FIELD)
    if not expected or not submitted or not hmac.compare_digest(str(expected), submitted):
        abort(400, description="missing or wrong CSRF token: reload the page and try again")
