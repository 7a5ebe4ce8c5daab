"""What the review page's request handlers share: the app's config and safe redirect targets.

`review.app` builds the Flask app and registers `review.views`; both read these, so they live
here, below both, and the views never import the app.
"""

from __future__ import annotations

import posixpath
from urllib.parse import urlsplit, urlunsplit

from flask import current_app

from review.config import ReviewConfig

MAX_TARGET_CHARS = 2000
MAX_ROW_ID = 2**63 - 1  # SQLite's largest integer: a larger id in a URL is simply not found


def review_config() -> ReviewConfig:
    config: ReviewConfig = current_app.config["TWINWATCH_REVIEW"]
    return config


def local_target(target: str | None, fallback: str) -> str:
    """Where to go after a write or log-in, or back to: a path on this site only.

    Browsers drop tabs and newlines inside a URL and read a backslash as a slash, so
    `/\t/evil.example` or `/\\evil.example` would leave the site: any control character or
    backslash refuses the target; so does anything with a scheme or host, or a path that
    (dot segments resolved) starts with `//`."""
    if not target or len(target) > MAX_TARGET_CHARS or "\\" in target \
            or any(ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f for c in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return fallback
    path = posixpath.normpath(parts.path)
    if parts.path.endswith("/") and path != "/":
        path += "/"
    if path.startswith("//"):
        return fallback
    return urlunsplit(("", "", path, parts.query, ""))
