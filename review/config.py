"""The review page's settings: `[review]` in config.toml, read once into a frozen record."""

from __future__ import annotations

import os
import secrets
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
    also logs a reviewer in (under the name they type). `anonymous` is what a visitor who has
    not logged in may do: "read" the queue and events, or nothing ("closed")."""

    users: Mapping[str, str] = field(default_factory=dict)
    token_env: str = "TWINWATCH_REVIEW_TOKEN"
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
        if data.get("anonymous", "read") not in ANONYMOUS_MODES:
            raise ConfigError(f"[review] anonymous must be one of {', '.join(ANONYMOUS_MODES)}")
        for key in ("session_minutes", "page_size"):
            value = data.get(key, 1)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise ConfigError(f"[review] {key} must be a positive number, not {value!r}")
        base_url = data.get("base_url", "")
        if not isinstance(base_url, str) or (base_url and not base_url.startswith(("http://", "https://"))):
            raise ConfigError(f"[review] base_url must be an http:// or https:// address, not {base_url!r}")
        data["users"] = dict(users)
        return cls(**data)

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
