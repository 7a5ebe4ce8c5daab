"""`twinwatch extract` over many files reads them in worker processes, with the same results."""

from __future__ import annotations

import json

from click.testing import CliRunner

from tests.support.paths import REPO
from twinwatch.app.cli import cli

PAGES = sorted(str(p) for p in (REPO / "tests" / "extract" / "data" / "checkset").glob("c00*.html"))[:5]


def extracted(*args: str) -> list[dict]:
    result = CliRunner().invoke(cli, ["extract", "--format", "json", *args, *PAGES], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_two_workers_give_what_one_gives_in_input_order():
    assert len(PAGES) == 5
    in_process = extracted("--workers", "1")
    in_workers = extracted("--workers", "2")
    assert [r["input"] for r in in_workers] == PAGES
    assert in_workers == in_process
    assert sum(len(r["events"]) for r in in_workers) >= 3  # the comparison is about real events


def test_a_bad_input_among_many_gets_its_error_and_the_rest_still_run(tmp_path):
    missing = str(tmp_path / "missing.html")
    result = CliRunner().invoke(cli, ["extract", "--format", "json", "--workers", "2", PAGES[0], missing])
    results = json.loads(result.stdout)
    assert result.exit_code == 0
    assert results[1]["error"] == "not_found" and results[0]["error"] is None
