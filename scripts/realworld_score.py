"""Score twinwatch on the real-article check set (`tests/extract/data/realworld/cases.jsonl`).

The set keeps facts only (query, url, published, events, traps, note); the articles' text is
never committed. Excerpts are saved, while scoring, as `EXCERPTS/<id>.txt` (how to re-fetch them:
`tests/extract/data/realworld/README.md`). This script writes a gold folder in the schema of
`../shared/eval/README.md` (one `<id>.json` beside a copy of `<id>.txt`), extracts every excerpt
with its case's `published` (or none with `--no-published`), and hands both to the shared
scorer, `../shared/eval/score.py`, unchanged:

    python scripts/realworld_score.py EXCERPTS [--batch N [--batch M ...]] [--no-published] [--verbose]

With `--no-published` only the cases marked `"score_without_published": true` are scored, and
every predicted event whose year is not a year its gold events hold is listed: a background year
taken for the event's own.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "extract" / "data" / "realworld" / "cases.jsonl"
SCORER = ROOT.parent / "shared" / "eval" / "score.py"
GOLD_KEYS = ("id", "kind", "published", "url", "events", "traps")


def load_cases(path: Path, batches: set[int] | None, without_published: bool) -> list[dict]:
    cases = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
             if line.strip()]
    if batches:
        cases = [case for case in cases if case.get("batch") in batches]
    if without_published:
        cases = [case for case in cases if case.get("score_without_published")]
    return cases


def write_gold(cases: list[dict], excerpts: Path, gold_dir: Path, without_published: bool,
               ) -> list[str]:
    """The gold folder for the cases whose excerpt is saved; the ids of those missing."""
    missing = []
    for case in cases:
        excerpt = excerpts / f"{case['id']}.txt"
        if not excerpt.is_file():
            missing.append(case["id"])
            continue
        gold = {key: case.get(key) for key in GOLD_KEYS}
        gold["kind"] = gold["kind"] or "news"
        gold["url"] = None  # predictions are paired by file name: the excerpt is not the page
        if without_published:
            gold["published"] = None
        (gold_dir / f"{case['id']}.json").write_text(json.dumps(gold, ensure_ascii=False),
                                                    encoding="utf-8")
        (gold_dir / excerpt.name).write_bytes(excerpt.read_bytes())
    return missing


def predict(cases: list[dict], gold_dir: Path, without_published: bool) -> list[dict[str, Any]]:
    from twinwatch.app.extraction import extract_input  # the path `twinwatch extract` takes for one input

    predictions = []
    for case in cases:
        path = gold_dir / f"{case['id']}.txt"
        if path.is_file():
            published = None if without_published else case.get("published")
            predictions.append(extract_input(str(path), published=published))
    return predictions


def foreign_years(cases: list[dict], predictions: list[dict]) -> list[str]:
    """Predicted events dated in a year none of the case's gold events holds."""
    by_id = {case["id"]: case for case in cases}
    found = []
    for prediction in predictions:
        case = by_id[Path(prediction["input"]).stem]
        own_years = {str(event.get("date") or "")[:4] for event in case.get("events", [])}
        for event in prediction.get("events", []):
            year = str(event.get("date") or "")[:4]
            if year and year not in own_years:
                found.append(f"{case['id']}: {event.get('korean_party')}–{event.get('partner')} "
                             f"dated {event.get('date')} (gold years: {sorted(own_years - {''})})")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("excerpts", type=Path, help="folder of saved excerpts, <id>.txt")
    parser.add_argument("--cases", type=Path, default=CASES)
    parser.add_argument("--batch", type=int, action="append", help="score only these batches")
    parser.add_argument("--no-published", action="store_true",
                        help="score the marked cases without their publication date")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    cases = load_cases(args.cases, set(args.batch or ()), args.no_published)
    with tempfile.TemporaryDirectory(prefix="twinwatch-realworld-") as tmp:
        gold_dir = Path(tmp)
        missing = write_gold(cases, args.excerpts, gold_dir, args.no_published)
        if missing:
            print(f"no excerpt saved for {len(missing)} case(s): {', '.join(missing)}",
                  file=sys.stderr)
        predictions = predict(cases, gold_dir, args.no_published)
        pred_file = gold_dir / "predictions.json"
        pred_file.write_text(json.dumps(predictions, ensure_ascii=False), encoding="utf-8")
        command = [sys.executable, str(SCORER), "--gold", str(gold_dir), "--pred", str(pred_file)]
        command += ["--verbose"] * args.verbose + ["--json"] * args.json
        status = subprocess.run(command, check=False).returncode
    if args.no_published:
        wrong = foreign_years(cases, predictions)
        print(f"events given a year not their own: {len(wrong)}")
        for line in wrong:
            print("  " + line)
    return status


if __name__ == "__main__":
    sys.exit(main())
