"""The team's scorer: the matching rules of `../shared/eval/README.md`, implemented here.

`twinwatch eval` extracts each gold folder's documents (reading only the documents) and scores
the events at two levels: `pair` (Korean party and partner) and `full` (plus agreement type,
date to the gold's precision and status). Gold events marked optional are neither owed nor held
against a prediction. A domestic pair may be predicted from either side.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extract.records import place_key

DOCUMENT_SUFFIXES = (".html", ".htm", ".txt", ".csv", ".tsv", ".xlsx")
# Every way a 광역's name starts, to its two-syllable short form.
PROVINCE_STEMS = {"서울": "서울", "부산": "부산", "대구": "대구", "인천": "인천", "광주": "광주",
                  "대전": "대전", "울산": "울산", "세종": "세종", "경기": "경기", "강원": "강원",
                  "충청북": "충북", "충북": "충북", "충청남": "충남", "충남": "충남", "전라북": "전북",
                  "전북": "전북", "전라남": "전남", "전남": "전남", "경상북": "경북", "경북": "경북",
                  "경상남": "경남", "경남": "경남", "제주": "제주"}
SHORT_PROVINCES = frozenset(PROVINCE_STEMS.values())
# A party written as a 광역 in its long form (광주광역시, 경상남도): never a 기초 of that name.
LONG_PROVINCE_NAME = re.compile(
    r"(?:광역시|특별시|특별자치시|특별자치도)$|^(?:경기|강원|충청[남북]|전라[남북]|경상[남북]|제주)도$")
Event = dict[str, Any]


# ---------------------------------------------------------------- names

def province_key(name: object) -> str:
    """A 광역's short form (경상남도, 경남도, 경남 → 경남); other names as place_key gives them."""
    key = place_key(name)
    for stem, short in PROVINCE_STEMS.items():
        if key.startswith(stem):
            return short
    return key


def party_matches(pred: Event, gold: Event) -> bool:
    """Same Korean party; a 광역 may be named short or long; provinces compared when both given."""
    gold_province, pred_province = gold.get("korean_province"), pred.get("korean_province")
    pred_party = pred.get("korean_party")
    if place_key(pred_party) != place_key(gold.get("korean_party")):
        both_metropolitan = not gold_province and not pred_province
        same_province = province_key(pred_party) == province_key(gold.get("korean_party"))
        if not (both_metropolitan and province_key(pred_party) in SHORT_PROVINCES and same_province):
            return False
    if not gold_province and pred_province \
            and province_key(pred_province) != province_key(gold.get("korean_party")):
        return False  # the gold party is a 광역; the prediction puts a 기초 inside one
    if gold_province and LONG_PROVINCE_NAME.search(str(pred_party or "").strip()):
        return False  # the gold party is a 기초; the prediction names a 광역 (광주광역시 ≠ 광주시)
    if gold_province and pred_province:
        return province_key(gold_province) == province_key(pred_province)
    return True


def partner_matches(pred: Event, gold: Event) -> bool:
    accepted = {place_key(gold.get("partner"))}
    accepted.update(place_key(alias) for alias in gold.get("partner_aliases") or [])
    accepted.discard("")
    return place_key(pred.get("partner")) in accepted


def pair_matches(pred: Event, gold: Event) -> bool:
    if party_matches(pred, gold) and partner_matches(pred, gold):
        return True
    if gold.get("partner_country") != "KR":
        return False
    mirrored = {"korean_party": pred.get("partner"), "partner": pred.get("korean_party"),
                "korean_province": pred.get("partner_province")}
    return party_matches(mirrored, gold) and partner_matches(mirrored, gold)


def accepted_types(gold: Event) -> list[str]:
    kinds = gold.get("agreement_type")
    return [kinds] if isinstance(kinds, str) else list(kinds or [])


def date_matches(pred: Event, gold: Event) -> bool:
    return not gold.get("date") or str(pred.get("date") or "").startswith(str(gold["date"]))


def full_matches(pred: Event, gold: Event) -> bool:
    return (pair_matches(pred, gold)
            and pred.get("agreement_type") in accepted_types(gold)
            and date_matches(pred, gold)
            and (pred.get("status") or "signed") == (gold.get("status") or "signed"))


# ---------------------------------------------------------------- counting

@dataclass(slots=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: "Counts") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def as_dict(self) -> dict[str, float | int]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass(slots=True)
class DocumentScore:
    name: str
    pair: Counts
    full: Counts
    missed: list[Event]  # owed gold events no prediction fully matched
    spurious: list[Event]  # predictions that fully matched nothing owed
    error: str | None = None


def match_events(preds: list[Event], golds: list[Event],
                 same: Callable[[Event, Event], bool]) -> tuple[Counts, list[Event], list[Event]]:
    """One-to-one, first fit: owed golds take predictions first, optional golds then absorb theirs.

    A leftover prediction that pairs with an optional gold is not counted against the extractor.
    """
    free = list(range(len(preds)))
    counts = Counts()
    missed: list[Event] = []
    owed = [gold for gold in golds if not gold.get("optional")]
    optional = [gold for gold in golds if gold.get("optional")]
    for gold in owed + optional:
        taken = next((index for index in free if same(preds[index], gold)), None)
        if taken is not None:
            free.remove(taken)
            counts.tp += 0 if gold.get("optional") else 1
        elif not gold.get("optional"):
            missed.append(gold)
    spurious = [preds[index] for index in free
                if not any(pair_matches(preds[index], gold) for gold in optional)]
    counts.fp, counts.fn = len(spurious), len(missed)
    return counts, spurious, missed


def score_document(name: str, preds: list[Event], golds: list[Event],
                   error: str | None = None) -> DocumentScore:
    pair, _, _ = match_events(preds, golds, pair_matches)
    full, spurious, missed = match_events(preds, golds, full_matches)
    return DocumentScore(name, pair, full, missed, spurious, error)


@dataclass(slots=True)
class EvalResult:
    documents: list[DocumentScore] = field(default_factory=list)

    def totals(self) -> dict[str, Counts]:
        pair, full = Counts(), Counts()
        for document in self.documents:
            pair.add(document.pair)
            full.add(document.full)
        return {"pair": pair, "full": full}

    def as_dict(self) -> dict[str, Any]:
        totals = self.totals()
        return {"documents": len(self.documents),
                "pair": totals["pair"].as_dict(), "full": totals["full"].as_dict(),
                "errors": [{"doc": d.name, "missed": d.missed, "spurious": d.spurious,
                            "error": d.error}
                           for d in self.documents if d.missed or d.spurious or d.error]}


# ---------------------------------------------------------------- gold folders

@dataclass(frozen=True, slots=True)
class GoldDocument:
    name: str
    document: Path | None  # the page or table beside the gold file; None when absent
    gold: dict[str, Any]


def find_gold_documents(folders: Iterable[str | Path],
                        kinds: Iterable[str] | None = None) -> list[GoldDocument]:
    """Every NAME.json with "events" in the folders (of the given kinds), with its document."""
    wanted = set(kinds) if kinds else None
    found: list[GoldDocument] = []
    for folder in folders:
        for gold_path in sorted(Path(folder).glob("*.json")):
            try:
                gold = json.loads(gold_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if not isinstance(gold, dict) or "events" not in gold:
                continue
            if wanted is not None and gold.get("kind") not in wanted:
                continue
            document = next((gold_path.with_suffix(suffix) for suffix in DOCUMENT_SUFFIXES
                             if gold_path.with_suffix(suffix).is_file()), None)
            found.append(GoldDocument(gold_path.stem, document, gold))
    return found


def evaluate(gold_documents: list[GoldDocument],
             extract: Callable[[str], dict[str, Any]]) -> EvalResult:
    """Extract each document with `extract(path) -> {"events": [...], "error": ...}` and score."""
    result = EvalResult()
    for item in gold_documents:
        if item.document is None:
            output: dict[str, Any] = {"events": [], "error": "document_missing"}
        else:
            output = extract(str(item.document))
        result.documents.append(score_document(item.name, output.get("events") or [],
                                               item.gold["events"], output.get("error")))
    return result


def brief(event: Event) -> str:
    """One line per event for --verbose: party|partner|type|date|status."""
    return (f"{event.get('korean_party')}|{event.get('partner')}|{event.get('agreement_type')}|"
            f"{event.get('date')}|{event.get('status') or 'signed'}")
