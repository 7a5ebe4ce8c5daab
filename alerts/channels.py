"""Delivering a rendered digest: e-mail (smtplib), webhook (Slack-compatible or generic JSON),
file (Markdown into a folder). Each raises `DeliveryError` with a short reason on failure; the
caller then leaves the digest's events pending.
"""

from __future__ import annotations

import os
import re
import smtplib
import ssl
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

import requests

from alerts.config import EmailSettings, FileSettings, Recipient, WebhookSettings
from alerts.digest import Digest
from alerts.render import digest_json, render_html, render_markdown, render_text
from twinwatch.errors import TwinwatchError

_UNSAFE_FILENAME = re.compile(r"[^\w.@-]+")


class DeliveryError(TwinwatchError):
    """A digest could not be delivered; its events stay pending."""


def email_message(digest: Digest, settings: EmailSettings, address: str) -> EmailMessage:
    """multipart/alternative, text then HTML, UTF-8; the Korean subject is RFC 2047-encoded by
    the email package when the message is serialised."""
    message = EmailMessage()
    message["Subject"] = digest.subject
    message["From"] = settings.sender
    message["To"] = address
    message["Date"] = format_datetime(datetime.fromisoformat(digest.built_at))
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or None)
    message.set_content(render_text(digest))
    message.add_alternative(render_html(digest), subtype="html")
    return message


def _secret(variable: str, what: str) -> str:
    value = os.environ.get(variable)
    if value is None:
        raise DeliveryError(f"environment variable {variable} (the SMTP {what}) is not set")
    return value


def send_email(digest: Digest, settings: EmailSettings, recipient: Recipient) -> str:
    """One message to one recipient; TLS always verifies the server (against `ca_file` when
    set), so credentials never go to an impostor."""
    message = email_message(digest, settings, recipient.key)
    try:
        context = ssl.create_default_context(cafile=settings.ca_file or None)
        if settings.ssl:
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=settings.timeout_seconds, context=context)
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout_seconds)
        with client:
            if settings.starttls:
                client.starttls(context=context)
            if settings.username_env:
                client.login(_secret(settings.username_env, "user name"),
                             _secret(settings.password_env, "password") if settings.password_env
                             else "")
            client.send_message(message)
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(f"SMTP {settings.host}:{settings.port}: {exc}") from exc
    return f"mail to {recipient.key}"


def webhook_url(settings: WebhookSettings, recipient: Recipient) -> str:
    """The recipient's own url/url_env first, then the channel's."""
    for url, variable in ((recipient.url, recipient.url_env), (settings.url, settings.url_env)):
        if url:
            return url
        if variable:
            value = os.environ.get(variable)
            if not value:
                raise DeliveryError(f"environment variable {variable} (webhook URL of "
                                    f"{recipient.key}) is not set")
            return value
    raise DeliveryError(f"webhook recipient {recipient.key} has no url or url_env")


def send_webhook(digest: Digest, settings: WebhookSettings, recipient: Recipient) -> str:
    url = webhook_url(settings, recipient)
    body = ({"text": render_text(digest)} if (recipient.format or settings.format) == "slack"
            else digest_json(digest))
    try:
        response = requests.post(url, json=body, timeout=settings.timeout_seconds)
    except requests.RequestException as exc:
        raise DeliveryError(f"webhook {recipient.key}: {exc}") from exc
    if not 200 <= response.status_code < 300:
        raise DeliveryError(f"webhook {recipient.key}: HTTP {response.status_code} "
                            f"{response.text[:200]!r}")
    return f"webhook {recipient.key}"


def digest_path(digest: Digest, folder: Path) -> Path:
    """A new file per digest; a second digest within the same second gets a suffix."""
    stamp = datetime.fromisoformat(digest.built_at).strftime("%Y%m%d-%H%M%S")
    stem = f"twinwatch-digest-{_UNSAFE_FILENAME.sub('_', digest.recipient)}-{stamp}"
    target, number = folder / f"{stem}.md", 1
    while target.exists():
        number += 1
        target = folder / f"{stem}-{number}.md"
    return target


def write_file(digest: Digest, settings: FileSettings, recipient: Recipient) -> str:
    """Markdown into the folder, written whole or not at all (temp file, then rename)."""
    folder = Path(settings.folder or ".")
    partial: Path | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = digest_path(digest, folder)
        partial = target.with_name(target.name + ".part")
        partial.write_text(render_markdown(digest), encoding="utf-8")
        os.replace(partial, target)
    except OSError as exc:
        if partial is not None:
            partial.unlink(missing_ok=True)
        raise DeliveryError(f"cannot write a digest into {folder}: {exc}") from exc
    return str(target)
