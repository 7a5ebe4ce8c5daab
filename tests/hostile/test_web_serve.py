"""`serve` off loopback only when the network cannot read the store, and on waitress (Flask's
development server only with --debug): a real server process on 127.0.0.1."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from werkzeug.security import generate_password_hash

from review.config import ReviewConfig
from tests.support.review import seed
from twinwatch.app.cli import cli
from twinwatch.app.commands.review_cmds import exposure_refusal

USERS = {"alice": generate_password_hash("pw")}


def write_config(tmp_path: Path, review: str) -> Path:
    database = seed(tmp_path / "review.db", 2)
    config = tmp_path / "config.toml"
    config.write_text(f'[store]\npath = "{database}"\n\n[review]\n{review}\n', encoding="utf-8")
    return config


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.10", "review.example.kr"])
def test_serve_refuses_the_network_without_closed_reviewed_access(tmp_path, host) -> None:
    config = write_config(tmp_path, 'anonymous = "read"')
    result = CliRunner().invoke(cli, ["--config", str(config), "serve", "--host", host])
    assert result.exit_code == 1
    assert "--public" in result.output and 'anonymous = "closed"' in result.output


@pytest.mark.parametrize("host, users, anonymous, public, refused", [
    ("127.0.0.1", {}, "read", False, False),
    ("localhost", {}, "read", False, False),
    ("::1", {}, "read", False, False),
    ("0.0.0.0", {}, "read", False, True),
    ("0.0.0.0", USERS, "read", False, True),
    ("0.0.0.0", {}, "closed", False, True),  # nobody could log in, a token user at most
    ("0.0.0.0", USERS, "closed", False, False),
    ("0.0.0.0", {}, "read", True, False),
    ("0.0.0.0", ("bob",), "closed", False, False),  # token users are reviewers too
])
def test_which_hosts_may_serve(host, users, anonymous, public, refused) -> None:
    config = (ReviewConfig(token_users=users, anonymous=anonymous) if isinstance(users, tuple)
              else ReviewConfig(users=users, anonymous=anonymous))
    assert (exposure_refusal(host, config, public) is not None) is refused


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_runs_on_waitress(tmp_path) -> None:
    config = write_config(tmp_path, 'anonymous = "read"')
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "twinwatch.app.cli", "--config", str(config), "serve", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        response = None
        for _ in range(100):
            try:
                response = requests.get(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        assert response is not None and response.status_code == 200
        assert "data-event-row" in response.text
        assert response.headers["Server"] == "twinwatch"  # waitress's ident; Werkzeug says Werkzeug/…
    finally:
        server.terminate()
        server.wait(timeout=10)
