"""`twinwatch demo` run as `make demo` runs it, then every command it prints pasted as printed
into a new shell that knows nothing of the venv (PATH without it, no activation)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.support.paths import REPO

TWINWATCH = REPO / ".venv" / "bin" / "twinwatch"
FRESH_ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": os.environ.get("HOME", "/tmp"),
             "LANG": "C.UTF-8"}


def port_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> list[str]:
    if not TWINWATCH.is_file():
        pytest.skip("no .venv/bin/twinwatch (run `make venv`)")
    folder = tmp_path_factory.mktemp("demo")
    # a relative output folder, as `make demo` uses one: the printed commands must still find it
    result = subprocess.run([str(TWINWATCH), "demo", "--output", "out"],
                            cwd=folder, env=FRESH_ENV, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("\nnext:\n", 1)[1].splitlines()
    return [line.strip() for line in lines if line.startswith("  ")]


def test_every_printed_command_works_in_a_fresh_shell(printed, tmp_path):
    assert len(printed) >= 5
    for line in printed:
        if " serve" in line.split("#")[0]:
            continue  # a server: below
        result = subprocess.run(["bash", "-c", line], cwd=tmp_path, env=FRESH_ENV,
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, f"{line}\n{result.stdout}\n{result.stderr}"
        if not line.startswith("#"):
            assert result.stdout.strip(), line
    comments = [line for line in printed if line.startswith("#")]
    assert all(".[browse]" in line for line in comments)  # only the optional datasette hint


def test_the_printed_serve_command_serves_the_review_page(printed, tmp_path):
    line = next(text for text in printed if " serve" in text.split("#")[0])
    command = line.split("#")[0].strip()
    if not port_free(8080):  # another process holds the printed port: same command elsewhere
        command += " --port 18080"
    port = 8080 if command.endswith("serve") else 18080
    server = subprocess.Popen(["bash", "-c", command], cwd=tmp_path, env=FRESH_ENV,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              start_new_session=True)  # its own group: stopped whole below
    try:
        page = ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    page = response.read().decode("utf-8")
                break
            except OSError:
                time.sleep(0.3)
        assert "data-event-row" in page, server.stderr.read() if server.poll() is not None else ""
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


def test_datasette_is_an_optional_extra():
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert "browse = [" in text and '"datasette' in text.split("browse = [", 1)[1].split("]")[0]
    assert '"datasette' not in text.split("[project.optional-dependencies]")[0]
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "pip install -e '.[browse]'" in readme and "../shared" not in readme


def test_main_module_runs():
    result = subprocess.run([str(REPO / ".venv" / "bin" / "python"), "-m", "twinwatch", "--version"],
                            capture_output=True, text=True, timeout=60, env=FRESH_ENV)
    assert result.returncode == 0 and "twinwatch" in result.stdout
    assert Path(REPO / "twinwatch" / "__main__.py").is_file()
