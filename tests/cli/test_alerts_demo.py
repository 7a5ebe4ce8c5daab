"""`twinwatch demo` ends with the digest it would send, the sources' health included."""

from __future__ import annotations

import re

from click.testing import CliRunner

from store import Store
from tests.support.alerts import sent_rows
from twinwatch.app.cli import cli


def test_demo_closing_output_has_the_digest_with_the_failing_source(tmp_path):
    result = CliRunner().invoke(cli, ["demo", "--output", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    closing = result.output.split("digest it would send (dry run, nothing sent):\n", 1)[1]
    subject = closing.splitlines()[0]
    assert subject.startswith("[twinwatch] 국제교류 협약 소식 ") and "수집 경고 1건" in subject
    assert closing.count("■ ") >= 10 and "| 검토 전" in closing
    assert re.match(r"새 소식 \d+건: 자매결연 \d+, 우호도시 \d+", closing.splitlines()[1])
    events = [block for block in closing.split("\n  · ")[1:]]
    assert len(events) >= 10
    for block in events:  # every event: headline, outlet, date, and the article's address
        if block.startswith("닫힌 게시판"):
            continue
        assert re.search(r"\n    기사: .+ \((데모일보|데모시 보도자료|데모통신), \d{4}-\d{2}-\d{2}\)\n"
                         r"    http://127\.0\.0\.1:\d+/\S+(\n|$)", block), block
    warnings = closing.split("■ 수집 경고\n", 1)[1]
    assert warnings.startswith("  · 닫힌 게시판: 2회 연속 수집 실패 (마지막 오류: fetch_error: 503")
    with Store(tmp_path / "out" / "twinwatch.db") as store:
        assert set(sent_rows(store).values()) == {0}  # a preview records nothing
