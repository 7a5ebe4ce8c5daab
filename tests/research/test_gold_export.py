"""What reviews teach: `review export-gold` writes gold files score.py accepts, the store's
confirmed events score F1 1.0 against them, `eval` on them measures the extractor against the
reviewers (a correction, a rejection and an added event lower it), and `stats` counts outcomes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from twinwatch.app.retrieval import retrieval_of
from twinwatch.pages.records import FetchResult
from extract.core import find_events
from extract.page.reader import read_page
from store import Store
from tests.support.paths import REPO
from twinwatch.app.cli import cli

PAGES = REPO / "tests" / "extract" / "data" / "pages"
GOLD_KEYS = {"id", "kind", "published", "title", "url", "events"}


def crawl_pages(store: Store, source: str = "pages") -> None:
    """Our own saved pages, read and extracted as the pipeline does, into the store."""
    for path in sorted(PAGES.glob("*.html")):
        fetched = FetchResult(url=f"http://pages.test/{path.name}", body=path.read_bytes(),
                              status=200, headers={"content-type": "text/html; charset=utf-8"},
                              source=source)
        document = read_page(fetched)
        store.save(document, find_events(document), retrieval=retrieval_of(fetched), discovered_via="live")


@pytest.fixture
def database(tmp_path) -> Path:
    path = tmp_path / "reviewed.db"
    with Store(path, keep_raw=True) as store:
        crawl_pages(store)
        store.confirm_many([e["id"] for e in store.events()], "kim")
    return path


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def eval_numbers(folder: Path) -> dict:
    return json.loads(run("eval", "--json", str(folder)))


def event_id(database: Path, partner: str) -> int:
    with Store(database) as store:
        return next(e["id"] for e in store.events() if e["partner"] == partner)


def predictions_from_store(database: Path) -> list[dict]:
    """The store's confirmed and corrected events, grouped per page as `extract` would print."""
    by_url: dict[str, list[dict]] = {}
    with Store(database) as store:
        for event in store.events():
            if event["review_state"] in ("confirmed", "corrected"):
                for url in event["source_urls"]:
                    by_url.setdefault(url, []).append(event)
    return [{"input": url, "events": events} for url, events in by_url.items()]


def test_gold_files_follow_the_schema(database, tmp_path):
    folder = tmp_path / "gold"
    assert "wrote 6 gold documents" in run("review", "export-gold", str(folder), "--db", str(database))
    golds = sorted(folder.glob("*.json"))
    assert len(golds) == 6
    for gold_path in golds:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        assert GOLD_KEYS <= set(gold) and gold["id"] == gold_path.stem
        assert gold_path.with_suffix(".html").is_file()  # raw bytes were kept
        assert gold["url"].startswith("http://pages.test/")
        for event in gold["events"]:
            assert {"korean_party", "korean_province", "partner", "partner_aliases",
                    "partner_country", "agreement_type", "date", "status"} <= set(event)
    shared_event = [json.loads(p.read_text(encoding="utf-8")) for p in golds]
    yangzhong = [g for g in shared_event if any(e["partner"] == "양중시" for e in g["events"])]
    assert len(yangzhong) == 2  # one event reported by two pages: in both pages' gold


def export_and_score(database, tmp_path, shared_dir) -> dict:
    """Export the store's reviewed pages as gold, then score the store's own events with score.py."""
    folder = tmp_path / "gold"
    run("review", "export-gold", str(folder), "--db", str(database))
    predictions = tmp_path / "predictions.json"
    predictions.write_text(json.dumps(predictions_from_store(database), ensure_ascii=False),
                           encoding="utf-8")
    done = subprocess.run([sys.executable, str(shared_dir / "eval" / "score.py"), "--gold",
                           str(folder), "--pred", str(predictions), "--json"],
                          capture_output=True, text=True, timeout=120, check=True)
    return json.loads(done.stdout)


def test_score_py_accepts_them_and_the_store_scores_f1_one(database, tmp_path, shared_dir):
    scored = export_and_score(database, tmp_path, shared_dir)
    assert scored["documents"] == 6 and scored["predicted_documents"] == 6
    assert scored["pair"]["f1"] == 1.0 and scored["full"]["f1"] == 1.0
    assert scored["full"]["tp"] == 8


def test_eval_measures_the_extractor_against_reviewers(database, tmp_path):
    agreed = tmp_path / "agreed"
    run("review", "export-gold", str(agreed), "--db", str(database))
    assert eval_numbers(agreed)["full"]["f1"] == 1.0  # reviewers confirmed everything it found

    with Store(database) as store:
        store.review(event_id(database, "넬슨시"), "correct", "kim",
                     after={"agreement_type": "sister_city"})
    corrected = tmp_path / "corrected"
    run("review", "export-gold", str(corrected), "--db", str(database))
    numbers = eval_numbers(corrected)
    assert numbers["full"]["f1"] < 1.0 and numbers["full"]["fp"] == 1 and numbers["full"]["fn"] == 1
    assert numbers["pair"]["f1"] == 1.0  # the pair was right, the type was not
    gold = next(json.loads(p.read_text(encoding="utf-8")) for p in corrected.glob("*.json")
                if "portal_news" in json.loads(p.read_text(encoding="utf-8"))["url"])
    assert gold["events"][0]["agreement_type"] == "sister_city"


def test_a_rejection_becomes_a_trap_and_costs_precision(database, tmp_path):
    with Store(database) as store:
        store.review(event_id(database, "해남현"), "reject", "kim", reason="not an agreement")
    folder = tmp_path / "gold"
    run("review", "export-gold", str(folder), "--db", str(database))
    gold = next(json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.json")
                if "egov_board" in json.loads(p.read_text(encoding="utf-8"))["url"])
    assert gold["events"] == [] and "rejected by a reviewer" in gold["traps"][0]
    numbers = eval_numbers(folder)
    assert numbers["full"]["fp"] == 1 and numbers["full"]["precision"] < 1.0


def test_unreviewed_documents_wait_unless_partial(tmp_path):
    path = tmp_path / "half.db"
    with Store(path, keep_raw=True) as store:
        crawl_pages(store)
        store.review(event_id(path, "넬슨시"), "confirm", "kim")
    folder = tmp_path / "gold"
    output = run("review", "export-gold", str(folder), "--db", str(path))
    assert "wrote 1 gold documents" in output and "5 documents still have unreviewed" in output
    partial = tmp_path / "partial"
    run("review", "export-gold", str(partial), "--db", str(path), "--partial")
    assert len(list(partial.glob("*.json"))) == 1  # a document must have some reviewed event


def test_without_raw_bytes_the_text_keeps_the_pages_date(tmp_path):
    path = tmp_path / "text.db"
    with Store(path, keep_raw=False) as store:
        crawl_pages(store)
        store.confirm_many([e["id"] for e in store.events()], "kim")
    folder = tmp_path / "gold"
    run("review", "export-gold", str(folder), "--db", str(path))
    texts = sorted(folder.glob("*.txt"))
    assert len(texts) == 6 and not list(folder.glob("*.html"))
    first = json.loads(texts[0].with_suffix(".json").read_text(encoding="utf-8"))
    assert f"등록일: {first['published']}" in texts[0].read_text(encoding="utf-8")
    numbers = eval_numbers(folder)
    # Prose pages re-read from text alone find what the page gave, relative dates included;
    # a list page's structure lives in its HTML (hence `keep_raw` for gold exports).
    list_page = next(json.loads(p.read_text(encoding="utf-8"))["id"] for p in folder.glob("*.json")
                     if "list_page" in json.loads(p.read_text(encoding="utf-8"))["url"])
    assert [e["doc"] for e in numbers["errors"]] == [list_page]
    assert numbers["full"]["fp"] == 0 and numbers["full"]["tp"] == 5


def test_stats_count_review_outcomes(database):
    with Store(database) as store:
        store.review(event_id(database, "넬슨시"), "correct", "kim",
                     after={"agreement_type": "sister_city"})
        store.review(event_id(database, "해남현"), "reject", "kim", reason="no")
    rows = json.loads(run("stats", "--db", str(database), "--format", "json"))
    friendship = next(r for r in rows if r["group"] == "agreement_type"
                      and r["name"] == "friendship_city")
    assert (friendship["extracted"], friendship["confirmed"], friendship["corrected"]) == (2, 1, 1)
    assert friendship["precision"] == 0.5  # counted under the type as extracted
    source = next(r for r in rows if r["group"] == "source")
    assert (source["name"], source["extracted"], source["rejected"]) == ("pages", 7, 1)
    assert source["precision"] == round(5 / 7, 4)
    whole = rows[-1]
    assert (whole["group"], whole["extracted"], whole["reviewed"]) == ("all", 7, 7)


def test_an_event_reviewers_added_is_a_miss_of_the_extractor(database, tmp_path):
    with Store(database) as store:
        document_id = next(d["id"] for d in store.db.query(
            "SELECT id FROM documents WHERE canonical_url LIKE '%portal_news%'"))
        text = store.document(document_id)["text"]
        added = store.add_event(document_id, {
            "korean_party": "가평군", "partner": "오클랜드시", "partner_country": "NZ",
            "agreement_type": "mou", "date": "2023-10-10"}, (0, min(len(text), 20)), "kim")
    folder = tmp_path / "gold"
    run("review", "export-gold", str(folder), "--db", str(database))
    numbers = eval_numbers(folder)
    assert (numbers["full"]["fn"], numbers["full"]["fp"]) == (1, 0)
    assert numbers["full"]["recall"] < 1.0
    rows = json.loads(run("stats", "--db", str(database), "--format", "json"))
    assert rows[-1]["added"] == 1 and rows[-1]["extracted"] == 7
    assert added


def test_dev_corpus_round_trip(tmp_path, shared_dir):
    """The team's dev pages, all confirmed: the gold written from the store agrees with the
    store (score.py) and with the extractor re-reading the exported pages (eval)."""
    path = tmp_path / "dev.db"
    with Store(path, keep_raw=True) as store:
        for page in sorted((shared_dir / "corpus" / "dev").glob("*.html")):
            fetched = FetchResult(url=f"http://dev.test/{page.name}", body=page.read_bytes(),
                                  status=200, headers={"content-type": "text/html"}, source="dev")
            document = read_page(fetched)
            store.save(document, find_events(document), retrieval=retrieval_of(fetched),
                       discovered_via="live")
        store.confirm_many([e["id"] for e in store.events()], "kim")
    scored = export_and_score(path, tmp_path, shared_dir)
    assert scored["full"]["f1"] == 1.0 and scored["full"]["tp"] >= 20
    assert eval_numbers(tmp_path / "gold")["full"]["f1"] == 1.0


def _row(**fields):
    row = {"korean_party": "안산시", "korean_province": "경기도", "partner": "훈춘시",
           "partner_canonical": "훈춘", "partner_country": "CN", "partner_region": None,
           "partner_province": None, "agreement_type": "sister_city", "date": "2023-10-10",
           "status": "signed", "evidence": "event evidence", "page_party": "안산시",
           "page_partner": "훈춘", "page_date": "2023-10-10", "page_status": "signed",
           "page_evidence": "page evidence"}
    row.update(fields)
    return row


@pytest.mark.parametrize("fields, reviewer_set, expected", [
    ({}, set(), ("훈춘", ["훈춘시"], "2023-10-10", "signed")),
    ({"page_status": "planned", "page_date": "2023-10-09"}, set(),
     ("훈춘", ["훈춘시"], "2023-10-09", "planned")),  # the page announced what was later signed
    ({"page_status": "planned", "page_date": "2023-10-09"}, {"status"},
     ("훈춘", ["훈춘시"], "2023-10-10", "signed")),  # a reviewer set the status: it stands
    ({"page_date": "2023-10"}, set(), ("훈춘", ["훈춘시"], "2023-10", "signed")),
    ({"page_date": "2023-10"}, {"date"}, ("훈춘", ["훈춘시"], "2023-10-10", "signed")),
    ({"page_partner": "옌지"}, set(), ("훈춘시", ["훈춘"], "2023-10-10", "signed")),
    ({"partner": "옌지시", "partner_canonical": None}, {"partner"},
     ("옌지시", [], "2023-10-10", "signed")),  # corrected: the page's spelling was wrong
])
def test_gold_event_is_the_event_as_this_page_gives_it(fields, reviewer_set, expected):
    from twinwatch.research.gold import gold_event
    gold = gold_event(_row(**fields), reviewer_set)
    assert (gold["partner"], gold["partner_aliases"], gold["date"], gold["status"]) == expected
    assert gold["evidence"] == "page evidence" and gold["korean_province"] == "경기도"
