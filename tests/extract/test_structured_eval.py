"""Structured pages through the evaluator: the seeds, the dev list/table pages and the
structured check set. Floors are the targets the structured readers were built to; don't lower them silently."""

from __future__ import annotations

from typing import Any

import pytest

from extract.evaluate import evaluate, find_gold_documents
from twinwatch.app.inputs import load_input
from extract.page.reader import read_page
from extract.structured import find_structured_events
from tests.support.paths import REPO

CHECKSET = REPO / "tests" / "extract" / "data" / "checkset_structured"
STRUCTURED_SEEDS = ("000_c27a443c5874e012", "001_924bdf091ad77827", "002_44eb0fe9b44d20b9")


def structured_only(path: str) -> dict[str, Any]:
    """The structured readers alone, as `extract` would print their events."""
    document = read_page(load_input(path))
    return {"events": [event.to_dict() for event in find_structured_events(document)]}


def full_f1(result) -> tuple[float, float]:
    full = result.as_dict()["full"]
    return full["f1"], full["precision"]


def test_seed_tables_lists_and_profiles_by_the_structured_readers(shared_dir):
    golds = [g for g in find_gold_documents([shared_dir / "seeds"]) if g.name in STRUCTURED_SEEDS]
    assert len(golds) == 3
    f1, precision = full_f1(evaluate(golds, structured_only))
    assert f1 >= 0.95 and precision >= 0.95


def test_dev_list_and_table_pages(shared_dir):
    golds = find_gold_documents([shared_dir / "corpus" / "dev"], kinds=["list", "table"])
    assert golds
    f1, _ = full_f1(evaluate(golds, structured_only))
    assert f1 >= 0.90


def test_dev_articles_give_no_structured_events(shared_dir):
    """Prose pages are the engine's: the structured readers must not add events to them."""
    golds = find_gold_documents([shared_dir / "corpus" / "dev"], kinds=["news", "notice"])
    for gold in golds:
        assert structured_only(str(gold.document))["events"] == [], gold.name


@pytest.mark.skipif(not CHECKSET.is_dir(), reason="the structured check set is absent")
def test_structured_check_set():
    golds = find_gold_documents([CHECKSET])
    assert golds
    f1, precision = full_f1(evaluate(golds, structured_only))
    assert f1 >= 0.90 and precision >= 0.90


def test_seeds_through_the_whole_pipeline(shared_dir):
    """Acceptance: `twinwatch eval ../shared/seeds` (structured readers merged with prose)."""
    from twinwatch.app.extraction import extract_input

    result = evaluate(find_gold_documents([shared_dir / "seeds"]), extract_input)
    totals = result.as_dict()["full"]
    assert totals["tp"] + totals["fn"] == 31
    assert totals["f1"] >= 0.95 and totals["precision"] >= 0.95

