"""A local file is sized before it is read: a 3 GB (sparse) file costs nothing to refuse, in
`extract`, `ingest` and a `files` source alike, and the rest of the run goes on."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

from twinwatch.pages.files import read_file
from tests.support.bombs import GIB, MIB, sparse_file
from tests.support.pipeline_site import write_config
from twinwatch.app.cli import cli
from twinwatch.errors import FetchError

RELEASE_TEXT = "안산시는 중국 훈춘시와 우호교류 협약을 체결했다."


def test_a_huge_file_is_refused_before_a_byte_is_read(tmp_path: Path) -> None:
    huge = sparse_file(tmp_path / "dump.html", 3 * GIB)
    tracemalloc.start()
    try:
        with pytest.raises(FetchError) as caught:
            read_file(str(huge), max_bytes=10 * MIB)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert caught.value.reason == "too_large"
    assert peak < MIB


def test_the_configured_maximum_is_the_limit(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_bytes(b"x" * 2000)
    assert read_file(str(page), max_bytes=2000).body == b"x" * 2000
    with pytest.raises(FetchError, match="1999"):
        read_file(str(page), max_bytes=1999)


def test_extract_refuses_the_huge_file_and_reads_the_next(tmp_path: Path) -> None:
    huge = sparse_file(tmp_path / "dump.html", 3 * GIB)
    release = tmp_path / "release.txt"
    release.write_text(RELEASE_TEXT, encoding="utf-8")
    config = tmp_path / "config.toml"
    config.write_text("[crawler]\nmax_bytes = 1000000\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(config), "extract", "--format", "json",
                                      str(huge), str(release)])
    assert result.exit_code == 0, result.output
    first, second = json.loads(result.stdout)
    assert first["error"] == "too_large"
    assert second["error"] is None and second["text"] == RELEASE_TEXT


@pytest.mark.parametrize("command", ["ingest", "files-source"])
def test_ingest_and_backfill_drop_the_huge_file_and_store_the_rest(tmp_path: Path,
                                                                 command: str) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    sparse_file(folder / "a-dump.html", 3 * GIB)
    (folder / "b-release.txt").write_text(RELEASE_TEXT, encoding="utf-8")
    sources = [{"name": "saved", "kind": "files", "url": str(folder), "enabled": False}]
    config = write_config(tmp_path / "config.toml", tmp_path / "tw.db", sources)
    args = (["ingest", str(folder)] if command == "ingest"
            else ["crawl", "--once", "--source", "saved"])
    result = CliRunner().invoke(cli, ["--config", str(config), *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)[0]
    assert [(Path(url).name, reason) for url, reason in report["dropped"]] == \
        [("a-dump.html", "too_large")]
    assert report["new_documents"] == 1
