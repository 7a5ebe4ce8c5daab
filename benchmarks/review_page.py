"""How long the review queue page takes at N events, against a floor measured in the same run:
the page's own SQL alone (the rows of the page, their count, the per-state counts and the
country choices), run on a plain sqlite3 connection to the same file.

Builds a store of N events (each with its document and mention) written straight into the
tables, then times GET / through Flask's test client — store opened, queries, template — for a
few filters and pages. The acceptance bound is page / SQL ≤ 3.

    .venv/bin/python benchmarks/review_page.py [--events 20000] [--runs 15]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from review import queue  # noqa: E402 - after the path set-up above
from review.app import create_app  # noqa: E402
from review.config import ReviewConfig  # noqa: E402
from store import Store  # noqa: E402
from tests.support.review import bulk_event_rows  # noqa: E402 - the tests' own event generator

PAGE_SIZE = 50
SCENARIOS = (("new, page 1", {}), ("all, page 200", {"state": "all", "page": "200"}),
             ("party+type", {"state": "all", "party": "경남", "agreement_type": "mou"}),
             ("date range", {"state": "all", "date_from": "2015", "date_to": "2019-06"}))


def build(path: Path, events: int) -> None:
    rows = bulk_event_rows(events)
    now = "2024-01-01T00:00:00+00:00"
    documents = [{"id": row["id"], "canonical_url": f"https://bench.test/{row['id']}",
                  "title": f"{row['korean_party']} 보도자료", "discovered_via": "live",
                  "text": row["evidence"], "first_saved_at": now, "updated_at": now} for row in rows]
    mentions = [{"event_id": row["id"], "document_id": row["id"], "agreement_type": row["agreement_type"],
                 "status": row["status"], "korean_party": row["korean_party"], "partner": row["partner"],
                 "evidence": row["evidence"], "extracted": "{}", "extracted_at": now} for row in rows]
    with Store(path) as store, store.transaction():
        store.db["documents"].insert_all(documents, batch_size=1000)
        store.db["events"].insert_all([dict(r, evidence_document_id=r["id"]) for r in rows],
                                      batch_size=1000)
        store.db["mentions"].insert_all(mentions, batch_size=1000)


def page_sql(connection: sqlite3.Connection, args: dict[str, str]) -> None:
    """What the page asks the database, on a bare connection (no store, no Flask, no template)."""
    chosen = queue.QueueFilter.from_args(args)

    class Bare:  # the queue functions read `store.db.query`; give them the bare connection
        class db:  # noqa: N801 - mirrors Store.db
            @staticmethod
            def query(sql: str, params: Any = ()) -> Any:
                cursor = connection.execute(sql, params)
                names = [d[0] for d in cursor.description]
                return (dict(zip(names, row)) for row in cursor.fetchall())

    queue.queue_page(Bare, chosen, PAGE_SIZE)  # type: ignore[arg-type]
    queue.counts_by_state(Bare, chosen)  # type: ignore[arg-type]
    queue.countries(Bare)  # type: ignore[arg-type]


def median_seconds(action: Callable[[], object], runs: int) -> float:
    action()  # warm the page cache and Jinja's template cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=15)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        started = time.perf_counter()
        build(path, options.events)
        print(f"{options.events} events built in {time.perf_counter() - started:.1f} s; "
              f"page size {PAGE_SIZE}, median of {options.runs} runs")
        client = create_app(path, ReviewConfig(secret_key_env="", page_size=PAGE_SIZE)).test_client()
        connection = sqlite3.connect(path)
        worst = 0.0
        print(f"{'filter':<14} {'page ms':>8} {'SQL ms':>8} {'ratio':>6}")
        for name, args in SCENARIOS:
            def page() -> None:
                response = client.get("/", query_string=args)
                assert response.status_code == 200 and "data-event-row" in response.text
            page_time = median_seconds(page, options.runs)
            sql_time = median_seconds(lambda: page_sql(connection, args), options.runs)
            ratio = page_time / sql_time
            worst = max(worst, ratio)
            print(f"{name:<14} {page_time * 1000:8.1f} {sql_time * 1000:8.1f} {ratio:6.2f}")
        connection.close()
        print(f"worst ratio {worst:.2f} (bound 3.00): {'ok' if worst <= 3 else 'TOO SLOW'}")


if __name__ == "__main__":
    main()
