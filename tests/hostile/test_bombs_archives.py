"""Small files that inflate to gigabytes: each is refused with a reason, quickly and without the
memory it asks for, and the run it came in goes on.

The bombs are made here (tests/support/bombs.py), never committed; memory is measured with
tracemalloc around the library call, which sees every byte Python allocates for the read.
"""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner

from crawler.attachments import attachment_text, sniff_kind
from twinwatch.pages.records import FetchResult
from twinwatch.pages.archives import check_archive
from extract.page.reader import read_page
from tests.support.files import make_hwpx
from tests.support.bombs import (GIB, MIB, docx_bomb, hwpx_lying_bomb, hwpx_mimetype_bomb,
                                 xlsx_rows)
from twinwatch.app.cli import cli
from twinwatch.errors import ExtractionRejected

RELEASE_TEXT = "안산시는 중국 훈춘시와 우호교류 협약을 체결했다."
AT_MOST = 200 * MIB  # what reading any one refused bomb may allocate, all told


def peak_allocation(read: Callable[[], object]) -> tuple[object, int]:
    """What `read()` returned or raised, and the most memory Python held meanwhile."""
    tracemalloc.start()
    try:
        try:
            outcome: object = read()
        except ExtractionRejected as exc:
            outcome = exc
        return outcome, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("make, read", [
    (hwpx_mimetype_bomb, lambda body: attachment_text(FetchResult(url="a.hwpx", body=body))),
    (hwpx_lying_bomb, lambda body: attachment_text(FetchResult(url="a.hwpx", body=body))),
    (lambda: xlsx_rows(3_000_000), lambda body: read_page(FetchResult(url="t.xlsx", body=body))),
    (docx_bomb, lambda body: read_page(FetchResult(url="https://x.example/download?id=1",
                                                   body=body))),
], ids=["hwpx-mimetype-2GiB", "hwpx-lying-size-header", "xlsx-3M-rows", "docx-2GiB"])
def test_archive_bombs_are_refused_within_memory(make, read) -> None:
    body = make()
    assert len(body) < 3 * MIB
    outcome, peak = peak_allocation(lambda: read(body))
    assert isinstance(outcome, ExtractionRejected), outcome
    assert outcome.reason.startswith("archive_bomb"), outcome.reason
    assert peak < AT_MOST


def test_sniffing_a_bomb_reads_only_the_first_bytes_of_its_mimetype() -> None:
    body = hwpx_mimetype_bomb()
    kind, peak = peak_allocation(lambda: sniff_kind(body))
    assert kind == "hwpx"
    assert peak < 8 * MIB


def test_a_lying_size_header_is_caught_even_when_the_stream_is_small() -> None:
    """Declared 200 bytes, inflates to 1 MiB: not a bomb by size, but the header lies."""
    with pytest.raises(ExtractionRejected) as caught:
        check_archive(hwpx_lying_bomb(inflated=MIB))
    assert caught.value.reason in ("archive_bomb: size header", "unreadable_archive")


def test_a_spreadsheet_past_the_row_cap_is_refused() -> None:
    body = xlsx_rows(60_000)  # inflates to 2.7 MB: no bomb by size, too many rows
    with pytest.raises(ExtractionRejected) as caught:
        read_page(FetchResult(url="t.xlsx", body=body))
    assert caught.value.reason == "too_large"


def test_ordinary_archives_still_read() -> None:
    assert attachment_text(FetchResult(url="r.hwpx", body=make_hwpx([RELEASE_TEXT]))) == RELEASE_TEXT
    document = read_page(FetchResult(url="t.xlsx", body=xlsx_rows(30, "자매결연")))
    assert document.text.count("자매결연") == 30


def test_extract_refuses_each_bomb_and_goes_on(tmp_path: Path) -> None:
    bombs = {"bomb.hwpx": hwpx_mimetype_bomb(), "rows.xlsx": xlsx_rows(3_000_000),
             "letter.docx": docx_bomb(), "pages.zip": docx_bomb()}
    for name, body in bombs.items():
        (tmp_path / name).write_bytes(body)
    (tmp_path / "release.txt").write_text(RELEASE_TEXT, encoding="utf-8")
    inputs = [str(tmp_path / name) for name in (*bombs, "release.txt")]
    result = CliRunner().invoke(cli, ["extract", "--format", "json", *inputs])
    assert result.exit_code == 0, result.output
    answers = json.loads(result.stdout)
    assert [a["error"].split(":")[0] for a in answers[:4]] == ["archive_bomb"] * 4
    assert answers[4]["error"] is None and answers[4]["text"] == RELEASE_TEXT


def test_ingest_drops_each_bomb_with_its_reason_and_stores_the_rest(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "a-bomb.hwpx").write_bytes(hwpx_mimetype_bomb(2 * GIB))
    (folder / "b-liar.hwpx").write_bytes(hwpx_lying_bomb())
    (folder / "c-rows.xlsx").write_bytes(xlsx_rows(3_000_000))
    (folder / "d-release.txt").write_text(RELEASE_TEXT, encoding="utf-8")
    config = tmp_path / "config.toml"
    config.write_text(f'[store]\npath = "{tmp_path / "tw.db"}"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(config), "ingest", str(folder),
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)[0]
    reasons = {Path(url).name: reason for url, reason in report["dropped"]}
    assert set(reasons) == {"a-bomb.hwpx", "b-liar.hwpx", "c-rows.xlsx"}
    assert all(reason.startswith("archive_bomb") for reason in reasons.values()), reasons
    assert report["new_documents"] == 1


def test_a_registry_export_that_is_a_bomb_is_refused(tmp_path: Path) -> None:
    from extract.structured.registry import RegistryError, read_registry

    export = tmp_path / "registry.xlsx"
    export.write_bytes(xlsx_rows(3_000_000))
    outcome, peak = peak_allocation(lambda: _registry_error(read_registry, RegistryError, export))
    assert isinstance(outcome, str) and "archive_bomb" in outcome
    assert peak < AT_MOST


def _registry_error(read, error: type[Exception], path: Path) -> object:
    try:
        return read(path)
    except error as exc:
        return str(exc)
