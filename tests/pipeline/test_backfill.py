"""`twinwatch backfill`: pages served on loopback and recorded into a WARC with warcio give the
store the same events as `ingest` of the same pages; Parquet input too; merging twice adds
nothing; the work runs on a real dask.distributed cluster."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support.pipeline_site import write_config
from twinwatch.app.cli import cli

distributed = pytest.importorskip("distributed")
pytest.importorskip("warcio")
pq = pytest.importorskip("pyarrow.parquet")

STORIES = 6


def invoke(config: Path, *args: str, code: int = 0):
    result = CliRunner().invoke(cli, ["--config", str(config), *args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


def stored_events(config: Path) -> list[tuple]:
    events = json.loads(invoke(config, "events", "--format", "json").stdout)
    return sorted((e["korean_party"], e["partner"], e["agreement_type"], e["status"], e["date"], e["evidence"])
                  for e in events)


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """Demo pages served on loopback and recorded into a WARC by warcio, and the same bodies as files."""
    from twinwatch.app.backfill.record import record_demo

    folder = tmp_path_factory.mktemp("archive")
    warc = folder / "site.warc.gz"
    urls = record_demo(warc, STORIES, files=folder / "pages")
    return {"warc": warc, "pages": folder / "pages", "urls": urls, "folder": folder}


@pytest.fixture(scope="module")
def cluster():
    """A real dask.distributed LocalCluster: one worker process."""
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as local:
        yield local


@pytest.fixture(scope="module")
def ingested(archive, tmp_path_factory):
    folder = tmp_path_factory.mktemp("ingested")
    config = write_config(folder / "config.toml", folder / "tw.db", [])
    invoke(config, "ingest", str(archive["pages"]))
    return stored_events(config)


def test_warc_backfill_on_a_cluster_gives_the_events_ingest_gives(archive, cluster, ingested, tmp_path):
    config = write_config(tmp_path / "config.toml", tmp_path / "tw.db", [])
    out = tmp_path / "out"
    result = invoke(config, "backfill", str(archive["warc"]), "--scheduler", cluster.scheduler_address,
                    "--out", str(out), "--shard-pages", "2")
    assert f"{STORIES} pages read" in result.stdout and "3 shards" in result.stdout
    assert len(ingested) >= STORIES - 1  # the comparison is about real events
    assert stored_events(config) == ingested
    assert sorted(p.name for p in out.glob("*.events.parquet")) and len(list(out.glob("*.parquet"))) == 6
    events_written = sum(pq.read_table(p).num_rows for p in out.glob("*.events.parquet"))
    assert events_written >= len(ingested)


def test_merging_twice_adds_nothing(archive, cluster, ingested, tmp_path):
    config = write_config(tmp_path / "config.toml", tmp_path / "tw.db", [])
    out = tmp_path / "out"
    invoke(config, "backfill", str(archive["warc"]), "--scheduler", cluster.scheduler_address, "--out", str(out))
    first = stored_events(config)
    again = invoke(config, "backfill", "--merge-only", str(out))
    assert "0 new events" in again.stdout and "0 new or changed" in again.stdout
    assert stored_events(config) == first == ingested
    # a rerun of the whole command finds every shard done and merges nothing new either
    rerun = invoke(config, "backfill", str(archive["warc"]), "--scheduler", cluster.scheduler_address,
                   "--out", str(out))
    assert "(1 done before)" in rerun.stdout and "0 new events" in rerun.stdout


def test_merge_only_into_a_fresh_store(archive, cluster, ingested, tmp_path):
    first = write_config(tmp_path / "first.toml", tmp_path / "first.db", [])
    out = tmp_path / "out"
    invoke(first, "backfill", str(archive["warc"]), "--scheduler", cluster.scheduler_address, "--out", str(out))
    fresh = write_config(tmp_path / "fresh.toml", tmp_path / "fresh.db", [])
    invoke(fresh, "backfill", "--merge-only", str(out))
    assert stored_events(fresh) == ingested


def test_parquet_table_on_the_default_local_cluster(archive, ingested, tmp_path):
    import pyarrow as pa

    table = pa.table({"url": archive["urls"],
                      # the pages' own bytes (some are EUC-KR): a binary column is read as fetched
                      "html": [(archive["pages"] / Path(u).name).read_bytes() for u in archive["urls"]],
                      "published": [None] * len(archive["urls"])})
    pq.write_table(table, tmp_path / "pages.parquet", row_group_size=4)
    config = write_config(tmp_path / "config.toml", tmp_path / "tw.db", [])
    result = invoke(config, "backfill", str(tmp_path / "pages.parquet"), "--workers", "1", "--shard-pages", "3")
    assert "3 shards" in result.stdout  # row groups of 4 and 2 rows, cut at 3 pages
    assert stored_events(config) == ingested


@pytest.mark.parametrize("name, body, message", [
    ("notes.txt", b"hello", "not a WARC"),
    ("broken.warc.gz", b"not a warc at all", "no response record in it"),
], ids=["unknown format", "broken WARC"])
def test_bad_inputs_get_a_clear_error(tmp_path, name, body, message):
    (tmp_path / name).write_bytes(body)
    config = write_config(tmp_path / "config.toml", tmp_path / "tw.db", [])
    result = invoke(config, "backfill", str(tmp_path / name), code=1)
    assert message in result.output


def test_parquet_without_the_columns_is_refused(tmp_path):
    import pyarrow as pa

    pq.write_table(pa.table({"link": ["http://127.0.0.1/a"], "body": ["<p>x</p>"]}), tmp_path / "t.parquet")
    config = write_config(tmp_path / "config.toml", tmp_path / "tw.db", [])
    result = invoke(config, "backfill", str(tmp_path / "t.parquet"), code=1)
    assert "lacks column(s) url, html" in result.output
