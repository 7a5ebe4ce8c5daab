"""How long deriving relationships on read costs, against a floor measured in the same run: a
plain read of the same event rows (SELECT * FROM events, JSON columns decoded).

Builds a store of N events over N/4 pairs (a quarter of pairs domestic, each pair with up to
four stages, some dates partial), then times `Store.relationships()` three ways: the first read
(derive + write the cache table), a read with nothing changed (derive only; the fingerprint
matches) and a read after one review (derive + rewrite the cache).

    .venv/bin/python benchmarks/relationships.py [--events 5000]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extract.records import Document, Event  # noqa: E402
from store import Retrieval, Store  # noqa: E402

STAGES = ("letter_of_intent", "mou", "friendship_city", "sister_city")


def build(store: Store, events: int) -> None:
    with store.transaction():
        for number in range(events):
            pair, stage = divmod(number, 4)
            domestic = pair % 4 == 0
            day = f"{1995 + stage * 3 + pair % 5}-{1 + pair % 12:02d}" + ("" if pair % 3 else "-15")
            event = Event(korean_party=f"가{pair}시", partner=f"나{pair}시",
                          partner_country="KR" if domestic else "CN",
                          agreement_type=STAGES[stage], status="signed",
                          evidence=f"가{pair}시는 나{pair}시와 협약을 체결했다.", evidence_span=(0, 10),
                          date=day)
            url = f"http://bench.test/{number}"
            text = event.evidence
            store.save(Document(url=url, text=text), [event],
                       retrieval=Retrieval(url=url, raw=text.encode(), http_status=200), source="bench",
                       discovered_via="live")


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=5000)
    events = parser.parse_args().events
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "bench.db") as store:
        build(store, events)

        def floor() -> None:
            for row in store.db.query("SELECT * FROM events"):
                json.loads(row["place_ids"] or "{}")
                json.loads(row["evidence_span"] or "[]")

        floor_seconds = min(timed(floor) for _ in range(3))
        first = timed(store.relationships)
        unchanged = min(timed(store.relationships) for _ in range(3))
        event_id = store.events()[0]["id"]
        store.review(event_id, "confirm", "bench")
        after_review = timed(store.relationships)
        count = len(store.relationships())
    print(f"events {events}, relationships {count}")
    print(f"floor (read the event rows):      {floor_seconds * 1000:8.1f} ms")
    for label, seconds in (("first read (derive + cache)", first),
                           ("read, nothing changed", unchanged),
                           ("read after one review", after_review)):
        print(f"{label + ':':33} {seconds * 1000:8.1f} ms  ({seconds / floor_seconds:5.1f}x floor)")


if __name__ == "__main__":
    main()
