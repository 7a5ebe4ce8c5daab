"""The reviewers' web page: a Flask app over one database.

    from review.app import create_app
    app = create_app(Path("twinwatch.db"), ReviewConfig())

Server-rendered with Jinja2 (autoescape on: every scraped string is escaped, never marked
safe); a little JavaScript (static/review.js) adds keys and text selection. Views are thin:
the decisions are `Store` methods, shared with `twinwatch review`.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, abort, g, redirect, request, url_for
from flask.typing import ResponseReturnValue

from review import auth, labels
from review.config import ReviewConfig
from store import Store

# Defence in depth: even a string that escaped escaping could not run or load anything.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; "
                           "img-src 'self'; object-src 'none'; base-uri 'none'; "
                           "form-action 'self'; frame-ancestors 'none'")
OPEN_ENDPOINTS = ("views.login", "static")  # reachable when anonymous = "closed"


def create_app(database: Path, config: ReviewConfig) -> Flask:
    """The app for `database` (which must exist: the page never creates an empty one)."""
    Store(database, create=False).close()  # fail now, with the store's message, not per request
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=config.secret_key(database),
        PERMANENT_SESSION_LIFETIME=timedelta(minutes=config.session_minutes),
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        TWINWATCH_DATABASE=database, TWINWATCH_REVIEW=config)
    app.jinja_env.filters["link"] = web_link
    app.jinja_env.filters.update(labels.FILTERS)
    app.before_request(_open_and_guard)
    app.teardown_request(_close_store)
    app.after_request(_security_headers)
    app.context_processor(_template_globals)
    from review.views import views  # the routes need the helpers above
    app.register_blueprint(views)
    return app


def review_config() -> ReviewConfig:
    from flask import current_app
    config: ReviewConfig = current_app.config["TWINWATCH_REVIEW"]
    return config


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
    g.store = Store(current_app.config["TWINWATCH_DATABASE"], create=False)
    return None


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


def local_target(target: str | None, fallback: str) -> str:
    """Where to go after a write: a path on this site only (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return fallback
