"""`twinwatch reconcile`: a registry written for the tests against documents the pipeline reads;
each of the five outcomes where expected, and clear errors for malformed registries."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from extract.reconcile import Finding, reconcile
from extract.records import Event
from extract.structured.registry import RegistryError, read_registry
from twinwatch.app.cli import cli

REGISTRY_HEADER = ["연번", "자치단체", "국가", "도시", "교류형태", "체결일"]
# A list page of 논산시 (the documents side) — written for this test.
LIST_PAGE = """<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8">
<title>자매우호도시 현황 - 논산시</title></head><body><div id="content">
<h3>자매결연 도시</h3>
<ul><li>미국 애리조나주 피닉스시 (2009.6.10)</li><li>중국 장쑤성 양저우시 (2012.4.3)</li></ul>
<h3>우호교류 도시</h3>
<ul><li>일본 사가현 가라쓰시 (2014.5.22)</li><li>베트남 껀터시 (2016.3.14)</li>
<li>필리핀 바기오시 (2015.7.1)</li></ul>
</div><footer>ⓒ 논산시</footer></body></html>
"""
REGISTRY_ROWS = [
    ["1", "충청남도 논산시", "미국", "피닉스시", "자매결연", "2009-06-20"],   # match (10 days)
    ["2", "충청남도 논산시", "중국", "양저우시", "우호교류", "2008-11-02"],   # upgraded
    ["3", "충청남도 논산시", "일본", "가라쓰시", "우호교류", "2011-05-22"],   # conflict (date)
    ["4", "충청남도 논산시", "베트남", "껀터시", "자매결연", "2012-01-09"],   # conflict (lower, later)
    ["5", "충청남도 논산시", "독일", "바트쾨스트리츠시", "자매결연", "2010-10-10"],  # registry_only
]  # 바기오시 is found only


def write_csv(path: Path, rows: list[list[str]], header: list[str] = REGISTRY_HEADER) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def documents(tmp_path) -> Path:
    page = tmp_path / "nonsan.html"
    page.write_text(LIST_PAGE, encoding="utf-8")
    return page


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_each_outcome_where_expected(tmp_path, documents):
    registry = write_csv(tmp_path / "registry.csv", REGISTRY_ROWS)
    result = run("reconcile", str(registry), "--from", str(documents), "--format", "json")
    assert result.exit_code == 0, result.output
    outcomes = {row["partner"]: row["outcome"] for row in json.loads(result.output)}
    assert outcomes == {"피닉스시": "match", "양저우시": "upgraded", "가라쓰시": "conflict",
                        "껀터시": "conflict", "바트쾨스트리츠시": "registry_only",
                        "바기오시": "found_only"}
    upgraded = next(r for r in json.loads(result.output) if r["outcome"] == "upgraded")
    assert (upgraded["registry_type"], upgraded["found_type"]) == ("friendship_city", "sister_city")
    assert upgraded["source"] == str(documents) and "양저우시" in upgraded["evidence"]


def test_xlsx_registry_and_csv_and_table_output(tmp_path, documents):
    from datetime import datetime

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["지방자치단체 국제교류 현황"])  # a title above the header
    sheet.append(["광역자치단체", "기초자치단체", "국가명", "도시명", "교류형태", "체결일"])
    sheet.append(["충청남도", "논산시", "미국", "피닉스시", "자매결연", datetime(2009, 6, 10)])
    sheet.append([None, None, None, None, None, None])
    path = tmp_path / "registry.xlsx"
    workbook.save(path)
    rows = read_registry(path)
    assert [(r.row, r.korean_party, r.partner, r.agreement_type, r.date) for r in rows] == [
        (3, "논산시", "피닉스시", "sister_city", "2009-06-10")]
    as_csv = run("reconcile", str(path), "--from", str(documents), "--format", "csv")
    assert as_csv.exit_code == 0, as_csv.output
    records = list(csv.DictReader(as_csv.output.splitlines()))
    assert {r["outcome"] for r in records} == {"match", "found_only"}
    as_table = run("reconcile", str(path), "--from", str(documents), "--format", "table")
    assert "match 1," in as_table.output and "found_only 4" in as_table.output


@pytest.mark.parametrize(("rows", "message"), [
    ([["1", "충청남도 논산시", "미국", "피닉스시", "자매결연", "2009-13-40"]], "row 2: unreadable 체결일"),
    ([["1", "충청남도 논산시", "미국", "피닉스시", "자매결연", "2009-06-10"],
      ["2", "충청남도 논산시", "미국", "피닉스시", "친목", "2009-06-10"]], "row 3: unknown 교류형태"),
    ([["1", "논산읍", "미국", "피닉스시", "자매결연", "2009-06-10"]], "row 2: '논산읍' is no Korean"),
    ([["1", "충청남도 논산시", "미국", "", "자매결연", "2009-06-10"]], "row 2: no partner city"),
])
def test_malformed_rows_name_file_and_row(tmp_path, documents, rows, message):
    registry = write_csv(tmp_path / "bad.csv", rows)
    with pytest.raises(RegistryError, match=message):
        read_registry(registry)
    result = run("reconcile", str(registry), "--from", str(documents))
    assert result.exit_code == 1
    assert str(registry) in result.output and message.split(":")[0] in result.output


def test_malformed_files(tmp_path, documents):
    no_header = write_csv(tmp_path / "plain.csv", [["a", "b"]], header=["이름", "값"])
    with pytest.raises(RegistryError, match="no header row"):
        read_registry(no_header)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(RegistryError, match="broken.xlsx: not a readable .xlsx"):
        read_registry(broken)
    with pytest.raises(RegistryError, match="must be .xlsx or .csv"):
        read_registry(tmp_path / "registry.ods")


def test_without_from_it_reads_the_store(tmp_path, documents):
    config = tmp_path / "config.toml"
    config.write_text(f'[store]\npath = "{tmp_path / "tw.db"}"\n', encoding="utf-8")
    assert run("--config", str(config), "ingest", str(documents)).exit_code == 0
    registry = write_csv(tmp_path / "registry.csv", REGISTRY_ROWS)
    result = run("--config", str(config), "reconcile", str(registry), "--format", "json")
    assert result.exit_code == 0, result.output
    outcomes = {row["partner"]: row["outcome"] for row in json.loads(result.output)}
    assert outcomes == {"피닉스시": "match", "양저우시": "upgraded", "가라쓰시": "conflict",
                        "껀터시": "conflict", "바트쾨스트리츠시": "registry_only",
                        "바기오시": "found_only"}


def test_store_events_a_reviewer_rejected_do_not_count(tmp_path, documents):
    from store import Store
    config = tmp_path / "config.toml"
    config.write_text(f'[store]\npath = "{tmp_path / "tw.db"}"\n', encoding="utf-8")
    assert run("--config", str(config), "ingest", str(documents)).exit_code == 0
    with Store(tmp_path / "tw.db") as store:
        phoenix = next(e for e in store.events() if e["partner"] == "피닉스시")
        store.review(phoenix["id"], "reject", "tester", reason="not a government tie")
    registry = write_csv(tmp_path / "registry.csv", REGISTRY_ROWS[:1])
    result = run("--config", str(config), "reconcile", str(registry), "--format", "json")
    outcomes = {row["partner"]: row["outcome"] for row in json.loads(result.output)}
    assert outcomes["피닉스시"] == "registry_only"


def test_without_from_and_without_a_database_is_a_clear_error(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(f'[store]\npath = "{tmp_path / "none.db"}"\n', encoding="utf-8")
    registry = write_csv(tmp_path / "registry.csv", REGISTRY_ROWS)
    result = run("--config", str(config), "reconcile", str(registry))
    assert result.exit_code == 1 and "no database" in result.output


def _event(partner: str, kind: str, when: str | None, country: str = "CN") -> Event:
    return Event(korean_party="논산시", korean_province="충청남도", partner=partner,
                 agreement_type=kind, status="signed", evidence=partner, evidence_span=(0, 1),
                 date=when, partner_country=country)


def test_library_outcomes_for_steps_and_undated_rows(tmp_path):
    registry = read_registry(write_csv(tmp_path / "r.csv", [
        ["1", "충청남도 논산시", "중국", "양저우시", "우호교류", "2012-04-03"],
        ["2", "충청남도 논산시", "중국", "창저우시", "우호교류", ""],
    ]))
    findings = [Finding(_event("양저우시", "letter_of_intent", "2011-09-01"), "a"),  # a step before
                Finding(_event("창저우", "friendship_city", "2015-02-02"), "b")]     # undated registry
    outcomes = [(row.partner, row.outcome) for row in reconcile(registry, findings)]
    assert outcomes == [("양저우시", "registry_only"), ("창저우시", "match")]


def test_a_pair_listed_twice_is_judged_per_registry_row(tmp_path):
    registry = read_registry(write_csv(tmp_path / "r.csv", [
        ["1", "충청남도 논산시", "중국", "양저우시", "우호교류", "2005-04-03"],
        ["2", "충청남도 논산시", "중국", "양저우시", "자매결연", "2012-04-03"],
    ]))
    findings = [Finding(_event("양저우시", "sister_city", "2012-04-03"), "a")]
    assert [row.outcome for row in reconcile(registry, findings)] == ["upgraded", "match"]


def test_documents_from_a_folder_and_unreadable_ones_reported(tmp_path, documents):
    folder = tmp_path / "pages"
    folder.mkdir()
    documents.rename(folder / documents.name)
    (folder / "empty.txt").write_text("", encoding="utf-8")
    registry = write_csv(tmp_path / "registry.csv", REGISTRY_ROWS)
    result = CliRunner().invoke(
        cli, ["reconcile", str(registry), "--from", str(folder), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "empty.txt: skipped" in result.stderr
    assert {row["outcome"] for row in json.loads(result.stdout)} == {
        "match", "upgraded", "conflict", "registry_only", "found_only"}
