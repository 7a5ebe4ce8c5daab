"""Shared fixtures: the `../shared` folder (skipped when absent), a clean environment, a fresh
store per test and a headless Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from store import Store
from tests.support.paths import SHARED


@pytest.fixture
def shared_dir() -> Path:
    """The team's shared data beside the checkout; users' machines don't have it."""
    if not SHARED.is_dir():
        pytest.skip("../shared is absent")
    return SHARED


@pytest.fixture(autouse=True)
def isolated_config(tmp_path, monkeypatch):
    """No test reads the developer's ./config.toml or $TWINWATCH_CONFIG by accident."""
    monkeypatch.delenv("TWINWATCH_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    yield


@pytest.fixture
def store(tmp_path):
    """A fresh store in the test's own folder (a module may define its own, filled one)."""
    with Store(tmp_path / "twinwatch.db") as opened:
        yield opened


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium driven by playwright (skipped without it, except in CI)."""
    from tests.support.review import CHROMIUM, CHROMIUM_ARGS, require_chromium
    require_chromium()
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                              headless=True)
        yield launched
        launched.close()
