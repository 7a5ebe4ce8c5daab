"""`twinwatch extract` and `twinwatch eval`: the JSON contract, per-input errors, exit codes,
URLs over a real loopback HTTP server, and eval's numbers against score.py on the dev corpus."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from extract import core
from extract.records import Document, Event
from twinwatch.app.extraction import extract_input
from tests.support.paths import REPO
from twinwatch.app.cli import cli

PAGES = REPO / "tests" / "extract" / "data" / "pages"
KEYS = ["input", "title", "published", "text", "events", "error", "notes"]
EVENT_KEYS = {"korean_party", "korean_province", "partner", "partner_canonical", "partner_country",
              "partner_region", "partner_province", "agreement_type", "date", "status", "evidence",
              "evidence_span", "confidence", "place_ids", "field_spans", "why"}


def engine_ready() -> bool:
    try:
        core.find_events(Document(url="probe", text="안산시는 훈춘시와 교류의향서를 교환했다."))
    except NotImplementedError:
        return False
    return True


needs_engine = pytest.mark.skipif(not engine_ready(), reason="extract.core.find_events not built yet")


def sentence_engine(document: Document) -> list[Event]:
    """A stand-in engine for testing the command's plumbing: one event per '협약서' sentence."""
    events = []
    for match in re.finditer(r"[^.\n]*협약서[^.\n]*\.", document.text):
        events.append(Event(korean_party="가평군", partner="넬슨시", agreement_type="friendship_city",
                            status="signed", evidence=match.group().strip(),
                            evidence_span=(match.start() + len(match.group()) - len(match.group().lstrip()),
                                           match.end())))
    return events


@pytest.fixture
def stand_in_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(core, "find_events", sentence_engine)


def run_json(*args: str) -> tuple[int, list[dict]]:
    result = CliRunner().invoke(cli, ["extract", "--format", "json", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, json.loads(result.stdout)


def test_contract_and_order(stand_in_engine: None, tmp_path: Path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    inputs = [str(PAGES / "portal_news.html"), str(tmp_path / "missing.html"), str(empty),
              str(PAGES / "egov_board.html")]
    code, results = run_json(*inputs)
    assert code == 0
    assert [r["input"] for r in results] == inputs
    assert all(list(r) == KEYS for r in results)
    assert [r["error"] for r in results] == [None, "not_found", "empty", None]
    portal = results[0]
    assert (portal["title"], portal["published"]) == ("가평군, 캐나다 넬슨시와 우호도시 협약 체결", "2023-10-12")
    assert len(portal["events"]) == 2
    for event in portal["events"]:
        assert set(event) == EVENT_KEYS
        start, end = event["evidence_span"]
        assert portal["text"][start:end] == event["evidence"]


def test_published_option(stand_in_engine: None) -> None:
    _, results = run_json("--published", "2023-10-20", str(PAGES / "portal_news.html"))
    assert results[0]["published"] == "2023-10-20"
    bad = CliRunner().invoke(cli, ["extract", "--published", "20.10.2023", str(PAGES / "portal_news.html")])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output


def test_exit_code_when_every_input_failed(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.html"
    garbage.write_bytes(os.urandom(4096) + bytes(range(32)) * 50)
    code, results = run_json(str(tmp_path / "nope.html"), str(garbage))
    assert code == 1
    assert [r["error"] for r in results] == ["not_found", "binary"]


@pytest.mark.parametrize("make_body, error", [
    (lambda: b"", "empty"),
    (lambda: b"\x00\x01\x02\x03" * 5000, "binary"),
    (lambda: b"<html><body>" + b"<p>" + "가".encode() * 3000 + b"</p>" * 2400 + b"</body></html>",
     "too_large"),
])
def test_bad_inputs_become_errors(tmp_path: Path, make_body, error: str) -> None:
    path = tmp_path / "bad.html"
    body = make_body()
    if error == "too_large":
        body = body * (20 * 1024 * 1024 // len(body) + 1)
    path.write_bytes(body)
    result = extract_input(str(path))
    assert (result["error"], result["events"]) == (error, [])


def test_wrong_charset_and_no_article_never_fail(stand_in_engine: None, tmp_path: Path) -> None:
    lying = tmp_path / "lying.html"
    source = (PAGES / "portal_news.html").read_text(encoding="utf-8")
    lying.write_bytes(source.encode("cp949"))  # still says <meta charset="utf-8">
    result = extract_input(str(lying))
    assert result["error"] is None and "넬슨시와 우호도시 관계를 맺었다" in result["text"]
    quiet = extract_input(str(PAGES / "no_article.html"))
    assert (quiet["error"], quiet["text"], quiet["events"]) == (None, "", [])


def test_engine_failure_is_an_error_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(document: Document) -> list[Event]:
        raise KeyError("boom")
    monkeypatch.setattr(core, "find_events", broken)
    result = extract_input(str(PAGES / "br_text.html"))
    assert result["error"] == "extraction_failed: KeyError" and result["text"]


def test_table_format(stand_in_engine: None, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["extract", "--format", "table", str(PAGES / "portal_news.html"),
                                      str(tmp_path / "gone.txt")])
    assert result.exit_code == 0
    assert "넬슨시" in result.output and "not_found" in result.output


# ---------------------------------------------------------------- URLs over loopback

class PageHandler(BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, str, bytes]] = {}

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        status, content_type, body = self.routes.get(self.path, (404, "text/plain", b"missing"))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    article = (PAGES / "br_text.html").read_text(encoding="utf-8").replace('<meta charset="utf-8">', "")
    PageHandler.routes = {
        "/news/view.do?id=7": (200, "text/html; charset=EUC-KR", article.encode("cp949")),
        "/busy": (503, "text/html", b"try later"),
    }
    server = ThreadingHTTPServer(("127.0.0.1", 0), PageHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_urls(stand_in_engine: None, site: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[crawler]\ndelay_seconds = 0.0\nretries = 0\n", encoding="utf-8")
    monkeypatch.setenv("TWINWATCH_CONFIG", str(config))
    code, results = run_json(f"{site}/news/view.do?id=7", f"{site}/busy", f"{site}/nothing")
    assert code == 0
    page, busy, nothing = results
    assert page["error"] is None and page["published"] == "2019-10-14"
    assert "윤경희 청송군수는 지난 11일" in page["text"]
    assert (busy["error"], nothing["error"]) == ("fetch_error: 503", "fetch_error: 404")


def test_plain_get_without_fetcher(stand_in_engine: None, site: str) -> None:
    page = extract_input(f"{site}/news/view.do?id=7")
    assert page["error"] is None and page["text"].startswith("경북 청송군이")
    assert extract_input(f"{site}/busy")["error"] == "fetch_error: 503"


def test_unreachable_url() -> None:
    result = extract_input("http://127.0.0.1:9/none")
    assert result["error"].startswith("fetch_error: ")


# ---------------------------------------------------------------- with the real engine

@needs_engine
def test_evidence_offsets_with_engine() -> None:
    """Our pages and the check set (every layout we have): each evidence is text[start:end]."""
    documents = sorted(PAGES.glob("*.html")) + sorted((REPO / "tests" / "extract" / "data" / "checkset").glob("c*.*"))
    seen = 0
    for page in documents:
        if page.suffix == ".json":
            continue
        result = extract_input(str(page))
        assert result["error"] is None, (page.name, result["error"])
        for event in result["events"]:
            start, end = event["evidence_span"]
            assert result["text"][start:end] == event["evidence"], page.name
            seen += 1
    assert seen >= 10


@needs_engine
def test_no_events_from_furniture_with_engine() -> None:
    result = extract_input(str(PAGES / "no_article.html"))
    assert result["events"] == []


def score_py(shared: Path, gold_dir: Path, predictions: list[dict], tmp_path: Path) -> dict:
    pred_file = tmp_path / "predictions.json"
    pred_file.write_text(json.dumps(predictions, ensure_ascii=False), encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, str(shared / "eval" / "score.py"), "--gold", str(gold_dir),
         "--pred", str(pred_file), "--json"], capture_output=True, text=True, check=True, timeout=120)
    return json.loads(completed.stdout)


def test_eval_equals_extract_plus_score_py(shared_dir: Path, tmp_path: Path) -> None:
    """`eval --kind news,notice` numbers == `extract --format json` of those documents + score.py."""
    dev = shared_dir / "corpus" / "dev"
    selected = tmp_path / "selected"
    selected.mkdir()
    documents = []
    for gold_path in sorted(dev.glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        if gold.get("kind") in ("news", "notice"):
            document = gold_path.with_suffix(".html")
            shutil.copy(gold_path, selected)
            documents.append(str(document))
    _, predictions = run_json(*documents)
    expected = score_py(shared_dir, selected, predictions, tmp_path)
    result = CliRunner().invoke(cli, ["eval", "--kind", "news,notice", "--json", str(dev)])
    assert result.exit_code == 0, result.output
    ours = json.loads(result.stdout)
    assert ours["documents"] == expected["documents"] == len(documents)
    for level in ("pair", "full"):
        assert ours[level] == expected[level], level


def test_eval_text_output(shared_dir: Path) -> None:
    result = CliRunner().invoke(cli, ["eval", "--kind", "table", "--verbose",
                                      str(shared_dir / "corpus" / "dev")])
    assert result.exit_code == 0, result.output
    assert "documents 1" in result.output
    assert re.search(r"^full: precision \d\.\d{3} recall \d\.\d{3} f1 \d\.\d{3}", result.output, re.M)
