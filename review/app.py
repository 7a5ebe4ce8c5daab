"""The reviewers' web page: a Flask app over one database.

    from review.app import create_app
    app = create_app(Path("twinwatch.db"), ReviewConfig())

Server-rendered with Jinja2 (autoescape on: every scraped string is escaped, never marked
safe); a little JavaScript (static/review.js) adds keys and text selection. Views are thin:
the decisions are `Store` methods, shared with `twinwatch review`.
"""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, abort, g, redirect, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.routing import IntegerConverter

from review import auth, labels
from review.context import MAX_ROW_ID, review_config
from review.config import ReviewConfig
from review.sessions import LoginThrottle, SessionVersions
from review.views import views
from store import Store, StoreError
from store.connection import database_problem

# Defence in depth: even a string that escaped escaping could not run or load anything.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; "
                           "img-src 'self'; object-src 'none'; base-uri 'none'; "
                           "form-action 'self'; frame-ancestors 'none'")
OPEN_ENDPOINTS = ("views.login", "static")  # reachable when anonymous = "closed"


class RowIdConverter(IntegerConverter):
    """`<int:…>` in routes, bounded so /events/99999999999999999999999 is a 404, not an
    overflow inside SQLite."""

    def __init__(self, url_map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ROW_ID)
        super().__init__(url_map, *args, **kwargs)


def create_app(database: Path, config: ReviewConfig) -> Flask:
    """The app for `database` (which must exist: the page never creates an empty one)."""
    Store(database, create=False).close()  # fail now, with the store's message, not per request
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=config.secret_key(database),
        PERMANENT_SESSION_LIFETIME=timedelta(minutes=config.session_minutes),
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=config.secure_cookies,
        TWINWATCH_DATABASE=database, TWINWATCH_REVIEW=config,
        TWINWATCH_SESSIONS=SessionVersions(database), TWINWATCH_THROTTLE=LoginThrottle())
    app.url_map.converters["int"] = RowIdConverter  # before the routes are added
    app.jinja_env.filters["link"] = web_link
    app.jinja_env.filters.update(labels.FILTERS)
    app.before_request(_open_and_guard)
    app.teardown_request(_close_store)
    app.after_request(_security_headers)
    app.register_error_handler(sqlite3.DatabaseError, _database_unusable)
    app.context_processor(_template_globals)
    app.register_blueprint(views)
    return app


def _open_and_guard() -> ResponseReturnValue | None:
    config = review_config()
    g.reviewer = auth.current_reviewer(config)
    if request.endpoint in OPEN_ENDPOINTS:
        if request.method == "POST":
            auth.require_csrf(request.form.get(auth.CSRF_FIELD))
        return None
    if g.reviewer is None and config.anonymous == "closed":
        return redirect(url_for("views.login", next=request.full_path))
    if request.method == "POST":
        if g.reviewer is None:
            abort(403, description="log in to review")
        auth.require_csrf(request.form.get(auth.CSRF_FIELD))
    from flask import current_app
    try:
        g.store = Store(current_app.config["TWINWATCH_DATABASE"], create=False)
    except StoreError as exc:  # removed or damaged since the page started
        return Response(str(exc), status=503, content_type="text/plain; charset=utf-8")
    return None


def _database_unusable(exc: sqlite3.DatabaseError) -> ResponseReturnValue:
    """A damaged or long-locked database: one clear page (503), not a 500 with a traceback."""
    from flask import current_app
    message = database_problem(current_app.config["TWINWATCH_DATABASE"], exc)
    return Response(message, status=503, content_type="text/plain; charset=utf-8")


def _close_store(_exc: BaseException | None) -> None:
    store = g.pop("store", None)
    if store is not None:
        store.close()


def _security_headers(response: Any) -> Any:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def _template_globals() -> dict[str, Any]:
    return {"shown_value": labels.shown_value, "csrf_token": auth.csrf_token, "csrf_field": auth.CSRF_FIELD,
            "reviewer": g.get("reviewer"), "anonymous": review_config().anonymous}


def web_link(url: str | None) -> str | None:
    """A scraped URL fit for an href (http/https only: no javascript: or data: links)."""
    if not url:
        return None
    return url if urlsplit(url).scheme in ("http", "https") else None
