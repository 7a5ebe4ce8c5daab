"""The review page's settings: `[review]` in config.toml, read once into a frozen record."""

from __future__ import annotations

import os
import secrets
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from twinwatch.errors import ConfigError

ANONYMOUS_MODES = ("read", "closed")


@dataclass(frozen=True, slots=True)
class ReviewConfig:
    """Who may review and how long a login lasts.

    `users` maps a reviewer's name to a werkzeug password hash (`twinwatch review
    hash-password`); `token_env` names an environment variable holding a shared token that
    also logs in the reviewers named in `token_users` (and nobody else). `anonymous` is what a
    visitor who has not logged in may do: "read" the queue and events, or nothing ("closed").
    `secure_cookies` sends the session cookie over HTTPS only (behind a TLS proxy)."""

    users: Mapping[str, str] = field(default_factory=dict)
    token_env: str = "TWINWATCH_REVIEW_TOKEN"
    token_users: tuple[str, ...] = ()
    secure_cookies: bool = False
    anonymous: str = "read"
    session_minutes: float = 480.0
    secret_key_env: str = "TWINWATCH_SECRET_KEY"
    page_size: int = 50
    base_url: str = ""  # where reviewers reach the page ("https://review.example.go.kr"); digests link to it

    @classmethod
    def from_section(cls, section: Mapping[str, Any] | None) -> "ReviewConfig":
        data = dict(section or {})
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"[review] unknown key {unknown[0]!r} (known: {', '.join(sorted(known))})")
        users = data.get("users", {})
        if not isinstance(users, Mapping) or not all(isinstance(v, str) for v in users.values()):
            raise ConfigError('[review] users must be a table of name = "password hash"')
        token_users = data.get("token_users", [])
        if not isinstance(token_users, (list, tuple)) \
                or not all(isinstance(n, str) for n in token_users):
            raise ConfigError('[review] token_users must be a list of names, like ["alice", "bob"]')
        if not isinstance(data.get("secure_cookies", False), bool):
            raise ConfigError("[review] secure_cookies must be true or false")
        if data.get("anonymous", "read") not in ANONYMOUS_MODES:
            raise ConfigError(f"[review] anonymous must be one of {', '.join(ANONYMOUS_MODES)}")
        for key in ("session_minutes", "page_size"):
            value = data.get(key, 1)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise ConfigError(f"[review] {key} must be a positive number, not {value!r}")
        base_url = data.get("base_url", "")
        if not isinstance(base_url, str) or (base_url and not base_url.startswith(("http://", "https://"))):
            raise ConfigError(f"[review] base_url must be an http:// or https:// address, not {base_url!r}")
        data["users"] = {_config_name(name, "users"): hashed for name, hashed in users.items()}
        data["token_users"] = tuple(_config_name(name, "token_users") for name in token_users)
        return cls(**data)

    def may_use_token(self, name: str) -> bool:
        """Whether `name` (normalised) may log in with the shared token: listed in
        `token_users`, and not a reviewer who has a password of their own."""
        return name in self.token_users and name not in self.users

    def token(self) -> str | None:
        """The shared login token, when its environment variable is set and not empty."""
        return os.environ.get(self.token_env) or None if self.token_env else None

    def secret_key(self, database: Path) -> str:
        """From the environment, else generated once per database and kept beside it (mode
        600), so logins survive a restart and two databases never share sessions."""
        from_env = os.environ.get(self.secret_key_env) if self.secret_key_env else None
        if from_env:
            return from_env
        key_file = database.with_name(database.name + ".review-secret")
        if key_file.exists():
            return key_file.read_text(encoding="ascii").strip()
        key = secrets.token_hex(32)
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(key)
        return key


def _config_name(name: str, key: str) -> str:
    normal = reviewer_name(name)
    if normal is None:
        raise ConfigError(f"[review] {key}: {name!r} is not a usable reviewer name (empty, too "
                          f"long, or holding invisible or control characters)")
    return normal


# Characters that draw nothing: a name holding one looks like another reviewer's.
INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
MAX_NAME_CHARS = 64


def reviewer_name(typed: str) -> str | None:
    """A reviewer's name as compared and recorded: NFKC-normalised (full-width and compatibility
    forms folded), spaces collapsed; None when it is empty, too long, or holds a control,
    format (zero-width space, joiners, direction marks) or invisible character."""
    name = " ".join(unicodedata.normalize("NFKC", typed).split())
    if not name or len(name) > MAX_NAME_CHARS:
        return None
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") or c in INVISIBLE_LETTERS
           for c in name):
        return None
    return name
