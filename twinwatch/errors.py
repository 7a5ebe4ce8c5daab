"""The few exceptions a user may see. Each carries a message fit to print as is."""

from __future__ import annotations


class TwinwatchError(Exception):
    """Base class: the CLI turns any of these into one clear message and exit code 1."""


class ConfigError(TwinwatchError):
    """A config file is unreadable or holds a bad key or value (the message names key and line)."""


class FetchError(TwinwatchError):
    """A page could not be fetched; `reason` is the short drop reason stored with it."""

    def __init__(self, reason: str, message: str | None = None) -> None:
        super().__init__(message or reason)
        self.reason = reason


class ExtractionRejected(TwinwatchError):
    """A document could not be read (undecodable, empty, not Korean …); `reason` is stored."""

    def __init__(self, reason: str, message: str | None = None) -> None:
        super().__init__(message or reason)
        self.reason = reason
