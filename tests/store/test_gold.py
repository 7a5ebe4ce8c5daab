"""The team's gold events, saved through the store, come back out of `events --format json` intact.

Each gold document is saved with exactly its gold events, as a perfect extractor would find them;
the stored events, regrouped by source URL, must score full F1 1.0 with `score.py` — so identity
merges reports of one agreement across pages but never merges or loses distinct ones.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from extract.records import Document, Event
from store import Store
from twinwatch.app.cli import cli


def gold_documents(shared: Path) -> list[tuple[str, dict]]:
    found = []
    for folder in (shared / "seeds", shared / "corpus" / "dev"):
        for path in sorted(folder.glob("*.json")):
            gold = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(gold, dict) and "events" in gold:
                found.append((gold.get("url") or path.stem, gold))
    return found


def as_event(gold: dict) -> Event:
    kind = gold["agreement_type"]
    fields = {**gold, "agreement_type": kind[0] if isinstance(kind, list) else kind,
              "status": gold.get("status") or "signed", "evidence": gold.get("evidence", ""),
              "evidence_span": (0, 0)}
    return Event.from_dict(fields)


def test_gold_events_round_trip_through_the_store(shared_dir, tmp_path):
    documents = gold_documents(shared_dir)
    with Store(tmp_path / "gold.db") as store:
        for url, gold in documents:
            text = " ".join(e.get("evidence", "") for e in gold["events"]) or gold.get("title", "")
            store.save(Document(url=url, text=text, published=gold.get("published")),
                       [as_event(e) for e in gold["events"]], url=url)
    (tmp_path / "config.toml").write_text(f'[store]\npath = "{tmp_path / "gold.db"}"\n')
    output = CliRunner().invoke(cli, ["--config", str(tmp_path / "config.toml"), "events",
                                      "--format", "json"]).output
    events = json.loads(output)
    assert sum(len(e["source_urls"]) for e in events) == sum(len(g["events"]) for _, g in documents)
    by_url: dict[str, list[dict]] = {}
    for event in events:
        for url in event["source_urls"]:
            by_url.setdefault(url, []).append(event)
    predictions = tmp_path / "predictions.json"
    predictions.write_text(json.dumps([{"input": u, "events": e} for u, e in by_url.items()],
                                      ensure_ascii=False), encoding="utf-8")
    scored = subprocess.run(
        [sys.executable, str(shared_dir / "eval" / "score.py"), "--json", "--pred", str(predictions),
         "--gold", str(shared_dir / "seeds"), "--gold", str(shared_dir / "corpus" / "dev")],
        capture_output=True, text=True, check=True)
    result = json.loads(scored.stdout)
    assert result["full"]["f1"] == 1.0, result["errors"]
