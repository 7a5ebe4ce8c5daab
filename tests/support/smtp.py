"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps every message it accepts."""

from __future__ import annotations

import email
import email.policy
import socket
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


class Inbox:
    """aiosmtpd handler keeping every accepted message (recipients, raw bytes)."""

    def __init__(self) -> None:
        self.messages: list[tuple[tuple[str, ...], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((tuple(envelope.rcpt_tos), envelope.original_content or envelope.content))
        return "250 Message accepted for delivery"

    def parsed(self) -> list[tuple[tuple[str, ...], EmailMessage]]:
        return [(to, email.message_from_bytes(raw, policy=email.policy.default))  # type: ignore[misc]
                for to, raw in self.messages]


def free_port() -> int:
    """aiosmtpd cannot bind port 0: take a port the OS hands out, then release it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_smtp(port: int, inbox: Inbox, **options: Any) -> Controller:
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **options)
    controller.start()
    return controller
