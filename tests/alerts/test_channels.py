"""E-mail through a real aiosmtpd server and webhooks to a real HTTP receiver, on 127.0.0.1."""

from __future__ import annotations

import json
import shutil
import ssl
import subprocess
import threading
import time
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterator

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from alerts import send_digests
from store import Store
from tests.support.alerts import alerts_config_for, filled_store, sent_rows
from tests.support.smtp import Inbox, free_port, start_smtp


@pytest.fixture
def smtp() -> Iterator[tuple[int, Inbox]]:
    inbox, port = Inbox(), free_port()
    controller = start_smtp(port, inbox)
    yield port, inbox
    controller.stop()


@pytest.fixture
def store(tmp_path):
    opened, ids = filled_store(tmp_path / "t.db")
    yield opened
    opened.close()


def email_config(tmp_path, port: int, recipients: list[Any], **email_keys: Any):
    return alerts_config_for(tmp_path / "t.db", {"email": {
        "host": "127.0.0.1", "port": port, "sender": "twinwatch@example.kr",
        "timeout_seconds": 5.0, "recipients": recipients, **email_keys}})


def part(message: EmailMessage, subtype: str) -> str:
    body = message.get_body(preferencelist=(subtype,))
    assert body is not None, f"no text/{subtype} part"
    return str(body.get_content())


def test_email_subject_body_and_korean_mime(store, tmp_path, smtp):
    port, inbox = smtp
    config = email_config(tmp_path, port, ["intl@example.kr"])
    [delivery] = send_digests(store, config)
    assert delivery.outcome == "sent"
    [(to, message)] = inbox.parsed()
    assert to == ("intl@example.kr",)
    raw = inbox.messages[0][1]
    headers = raw.split(b"\r\n\r\n", 1)[0]
    assert headers.isascii() and b"=?utf-8?" in headers  # RFC 2047: Korean travels as ASCII
    assert message["Subject"] == delivery.digest.subject
    assert message["Subject"].startswith("[twinwatch] 국제교류 협약 소식 ") and "새 소식 3건" in message["Subject"]
    assert message.get_content_type() == "multipart/alternative"
    text, html = part(message, "plain"), part(message, "html")
    assert "━━ 경상남도 (2건)\n\n■ 경상남도 — 1건\n" in text and "■ 창원시 — 1건" in text and "MOU | 나가사키시 (일본) | 2026-11-14 | 검토 전" in text
    assert "<h2" in html and "창원시" in html and '<a href="https://news.example.kr/ansan">' in html
    assert message["From"] == "twinwatch@example.kr"


def test_each_recipient_gets_only_what_its_filters_select(store, tmp_path, smtp):
    port, inbox = smtp
    config = email_config(tmp_path, port, [
        {"address": "gn@example.kr", "provinces": ["경남"], "types": ["MOU", "우호도시"]},
        {"address": "china@example.kr", "countries": ["중국"]},
        {"address": "usa@example.kr", "countries": ["US"]}])
    outcomes = {d.recipient: d.outcome for d in send_digests(store, config)}
    assert outcomes == {"gn@example.kr": "sent", "china@example.kr": "sent", "usa@example.kr": "nothing_new"}
    received = {to[0]: part(message, "plain") for to, message in inbox.parsed()}
    assert set(received) == {"gn@example.kr", "china@example.kr"}
    assert "창원시" in received["gn@example.kr"] and "경상남도" in received["gn@example.kr"]
    assert "안산시" not in received["gn@example.kr"]
    assert "안산시" in received["china@example.kr"] and "창원시" not in received["china@example.kr"]


def test_smtp_down_keeps_events_pending_then_sends_once(store, tmp_path):
    port, inbox = free_port(), Inbox()
    config = email_config(tmp_path, port, ["intl@example.kr"])
    [failed] = send_digests(store, config)  # nothing listens on the port yet
    assert failed.outcome == "failed" and f"127.0.0.1:{port}" in failed.detail
    assert sent_rows(store)["alert_sent_events"] == 0
    controller = start_smtp(port, inbox)
    try:
        later = datetime.now(timezone.utc) + timedelta(seconds=5)
        [sent] = send_digests(store, config, now=later)
        assert sent.outcome == "sent" and len(sent.digest.event_ids) == 3
        [again] = send_digests(store, config, now=later + timedelta(seconds=5))
        assert again.outcome == "nothing_new"
    finally:
        controller.stop()
    assert len(inbox.messages) == 1


def test_smtp_login_with_credentials_from_the_environment(store, tmp_path, monkeypatch):
    logins: list[tuple[bytes, bytes]] = []

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        assert isinstance(auth_data, LoginPassword)
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"s3cret")

    inbox, port = Inbox(), free_port()
    controller = start_smtp(port, inbox, authenticator=authenticator, auth_require_tls=False)
    try:
        config = email_config(tmp_path, port, ["intl@example.kr"], username_env="TW_SMTP_USER",
                              password_env="TW_SMTP_PASSWORD")
        monkeypatch.delenv("TW_SMTP_USER", raising=False)
        [missing] = send_digests(store, config)
        assert missing.outcome == "failed" and "TW_SMTP_USER" in missing.detail
        monkeypatch.setenv("TW_SMTP_USER", "twinwatch")
        monkeypatch.setenv("TW_SMTP_PASSWORD", "wrong")
        assert send_digests(store, config)[0].outcome == "failed"
        monkeypatch.setenv("TW_SMTP_PASSWORD", "s3cret")
        assert send_digests(store, config)[0].outcome == "sent"
    finally:
        controller.stop()
    assert logins[-1] == (b"twinwatch", b"s3cret") and len(inbox.messages) == 1


class Receiver:
    """A loopback webhook endpoint: keeps each JSON body, answers with `status` after `delay`."""

    def __init__(self, status: int = 200, delay: float = 0.0) -> None:
        self.status = status
        self.delay = delay
        self.bodies: list[dict[str, Any]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length", 0))
                receiver.bodies.append(json.loads(self.rfile.read(length)))
                time.sleep(receiver.delay)
                self.send_response(receiver.status)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "Receiver":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_slack_webhook_gets_the_text(store, tmp_path):
    with Receiver() as receiver:
        config = alerts_config_for(tmp_path / "t.db", {"webhook": {"url": receiver.url}})
        [delivery] = send_digests(store, config)
    assert delivery.outcome == "sent" and delivery.recipient == "default"
    [body] = receiver.bodies
    assert list(body) == ["text"]
    assert body["text"].startswith(delivery.digest.subject) and "━━ 경기도 (1건)\n\n■ 안산시" in body["text"]


def test_json_webhook_from_an_environment_url_with_filters(store, tmp_path, monkeypatch):
    with Receiver() as receiver:
        monkeypatch.setenv("TW_HOOK", receiver.url)
        config = alerts_config_for(tmp_path / "t.db", {"webhook": {"recipients": [
            {"name": "japan-desk", "url_env": "TW_HOOK", "format": "json", "countries": ["JP"]}]}})
        [delivery] = send_digests(store, config)
    assert delivery.outcome == "sent"
    [body] = receiver.bodies
    assert body["subject"] == delivery.digest.subject and body["recipient"] == "japan-desk"
    assert sorted(e["korean_party"] for e in body["events"]) == ["경상남도", "창원시"]
    assert {e["country"] for e in body["events"]} == {"일본"}
    assert "<h1" in body["html"] and "검토 전" in body["text"]


def test_webhook_error_keeps_events_pending(store, tmp_path):
    with Receiver(status=500) as receiver:
        config = alerts_config_for(tmp_path / "t.db", {"webhook": {"url": receiver.url}})
        [failed] = send_digests(store, config)
        assert failed.outcome == "failed" and "HTTP 500" in failed.detail
        receiver.status = 200
        later = datetime.now(timezone.utc) + timedelta(seconds=5)
        [sent] = send_digests(store, config, now=later)
        [again] = send_digests(store, config, now=later + timedelta(seconds=5))
    assert sent.outcome == "sent" and len(sent.digest.event_ids) == 3
    assert again.outcome == "nothing_new"
    assert len(receiver.bodies) == 2  # the failed attempt, then the one that counted


def test_missing_webhook_env_var_is_a_failure_not_a_crash(store, tmp_path, monkeypatch):
    monkeypatch.delenv("TW_NO_HOOK", raising=False)
    config = alerts_config_for(tmp_path / "t.db", {"webhook": {"url_env": "TW_NO_HOOK"}})
    [failed] = send_digests(store, config)
    assert failed.outcome == "failed" and "TW_NO_HOOK" in failed.detail


def test_two_senders_at_once_send_each_event_once(store, tmp_path):
    """`twinwatch run`'s digest job and a manual `twinwatch digest` racing on one database."""
    with Receiver(delay=0.5) as receiver:
        config = alerts_config_for(tmp_path / "t.db", {"webhook": {"url": receiver.url}})
        outcomes: list[str] = []

        def send() -> None:
            with Store(tmp_path / "t.db") as own:  # one connection per thread, as in the scheduler
                outcomes.extend(d.outcome for d in send_digests(own, config))

        senders = [threading.Thread(target=send) for _ in range(2)]
        for sender in senders:
            sender.start()
        for sender in senders:
            sender.join(timeout=30)
    assert sorted(outcomes) == ["nothing_new", "sent"]
    assert len(receiver.bodies) == 1


@pytest.fixture
def certificate(tmp_path) -> tuple[str, ssl.SSLContext]:
    """A self-signed certificate for 127.0.0.1 (its PEM path) and a server context using it."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(str(cert), str(key))
    return str(cert), server


def test_starttls_verified_against_ca_file(store, tmp_path, certificate):
    cert, server_context = certificate
    inbox, port = Inbox(), free_port()
    controller = start_smtp(port, inbox, tls_context=server_context, require_starttls=True)
    try:
        plain = email_config(tmp_path, port, ["intl@example.kr"])
        refused = send_digests(store, plain)[0]  # the server insists on STARTTLS first
        assert refused.outcome == "failed"
        untrusted = email_config(tmp_path, port, ["intl@example.kr"], starttls=True)
        failed = send_digests(store, untrusted)[0]  # self-signed: not in the system's CAs
        assert failed.outcome == "failed" and "CERTIFICATE_VERIFY_FAILED" in failed.detail
        trusted = email_config(tmp_path, port, ["intl@example.kr"], starttls=True, ca_file=cert)
        assert send_digests(store, trusted)[0].outcome == "sent"
    finally:
        controller.stop()
    assert len(inbox.messages) == 1
    assert "창원시" in part(inbox.parsed()[0][1], "plain")


def test_implicit_tls(store, tmp_path, certificate):
    cert, server_context = certificate
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, ssl_context=server_context)
    controller.start()
    try:
        config = email_config(tmp_path, port, ["intl@example.kr"], ssl=True, ca_file=cert)
        assert send_digests(store, config)[0].outcome == "sent"
    finally:
        controller.stop()
    assert len(inbox.messages) == 1
