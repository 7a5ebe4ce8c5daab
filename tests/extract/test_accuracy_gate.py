"""Accuracy gate: extraction quality may not fall below pinned floors.

Like trafilatura's eval_gate, the floors live in one table below; lowering one is a visible
change in review. Scores come from the team's evaluator (`extract.evaluate`, the rules of
../shared/eval/README.md) over `twinwatch.app.extraction.extract_input`, exactly what `twinwatch eval` runs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.evaluate import evaluate, find_gold_documents
from twinwatch.app.extraction import extract_input
from tests.support.paths import REPO

# (corpus, kinds, measure, floor) — measured values at the time of pinning are in comments.
FLOORS: dict[str, tuple[str, tuple[str, ...] | None, dict[str, float]]] = {
    # dev news+notice (the target set for prose: full F1 ≥ 0.95, precision ≥ 0.95); 1.0 when pinned
    "dev-prose": ("shared:corpus/dev", ("news", "notice"),
                  {"full_f1": 0.95, "full_precision": 0.95, "pair_f1": 0.95}),
    # team check set, other layouts (acceptance: full F1 ≥ 0.90). It was 0.66 before rule fixes
    # prompted by its errors and 1.0 after, so it is no longer a clean held-out estimate.
    "checkset": ("repo:tests/extract/data/checkset", None, {"full_f1": 0.90, "full_precision": 0.90}),
    # blind check sets, written by a member who never saw the engine. blind1 scored 0.807 on
    # first sight and was then used to find general faults (1.0 after); blind2 was kept out of
    # the repo until the last engine round and scored 0.900 (P 0.871) on first sight.
    "checkset-blind1": ("repo:tests/extract/data/checkset_blind1", None, {"full_f1": 0.90, "full_precision": 0.90}),
    "checkset-blind2": ("repo:tests/extract/data/checkset_blind2", None, {"full_f1": 0.85, "pair_f1": 0.90}),
    # the four seed documents (tables, lists, one news page); 1.0 when pinned
    "seeds": ("shared:seeds", None, {"full_f1": 0.90, "pair_f1": 0.90}),
}


def _folder(spec: str, shared: Path | None) -> Path:
    where, relative = spec.split(":", 1)
    if where == "shared":
        if shared is None:
            pytest.skip("../shared is absent")
        return shared / relative
    return REPO / relative


def _scores(folder: Path, kinds: tuple[str, ...] | None) -> dict[str, float]:
    documents = find_gold_documents([folder], kinds)
    assert documents, f"no gold documents under {folder}"
    totals = evaluate(documents, extract_input).totals()
    return {f"{level}_{measure}": float(totals[level].as_dict()[measure])
            for level in ("pair", "full") for measure in ("precision", "recall", "f1")}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_quality_floor(name: str, request: pytest.FixtureRequest) -> None:
    spec, kinds, floors = FLOORS[name]
    shared = request.getfixturevalue("shared_dir") if spec.startswith("shared:") else None
    scores = _scores(_folder(spec, shared), kinds)
    below = {measure: (round(scores[measure], 3), floor) for measure, floor in floors.items()
             if scores[measure] < floor}
    assert not below, f"{name}: below the pinned floor (score, floor): {below}"
