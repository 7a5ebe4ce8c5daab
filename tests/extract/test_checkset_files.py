"""The team's own check sets are well-formed: every document has a gold file in the schema of
../shared/eval/README.md, and every evidence string is in the document's visible text.

These tests look only at the data files, never at the extractor: they keep the honest
measuring stick honest (a typo in an evidence string or a date would otherwise show up
as an extractor error).
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path

import pytest

from tests.support.paths import REPO

CHECKSET_DIRS = [REPO / "tests" / "extract" / "data" / "checkset", REPO / "tests" / "extract" / "data" / "checkset_structured"]
DOCUMENT_SUFFIXES = {".html", ".txt", ".csv", ".tsv"}
KINDS = {"news", "notice", "list", "table"}
AGREEMENT_TYPES = {"sister_city", "friendship_city", "letter_of_intent", "mou"}
DATE_FORM = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
EVENT_KEYS_REQUIRED = {"korean_party", "korean_province", "partner", "partner_aliases", "partner_country",
                       "agreement_type", "date", "status"}
EVENT_KEYS_ALLOWED = EVENT_KEYS_REQUIRED | {"partner_region", "partner_province", "optional", "evidence"}


def gold_files() -> list[Path]:
    return sorted(p for d in CHECKSET_DIRS for p in d.glob("*.json"))


def document_for(gold_path: Path) -> Path:
    found = [p for p in gold_path.parent.glob(gold_path.stem + ".*") if p.suffix in DOCUMENT_SUFFIXES]
    assert len(found) == 1, f"{gold_path.name}: expected one document beside it, found {found}"
    return found[0]


def decode(raw: bytes) -> str:
    """UTF-8 when the bytes are UTF-8, else cp949: the check sets use no other charset."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp949")


def visible_text(path: Path) -> str:
    """Text as score.py's README describes it: tags removed, entities unescaped, whitespace collapsed."""
    text = decode(path.read_bytes())
    if path.suffix == ".html":
        text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text)
        text = re.sub(r"(?s)<!--.*?-->", " ", text)
        text = re.sub(r"<[^>]+>", " ", text)
        text = html.unescape(text)
    return re.sub(r"\s+", " ", text).strip()


def test_check_sets_are_present_and_big_enough():
    prose = list((REPO / "tests" / "extract" / "data" / "checkset").glob("*.json"))
    structured = list((REPO / "tests" / "extract" / "data" / "checkset_structured").glob("*.json"))
    assert len(prose) >= 32 and len(structured) >= 8


def test_every_document_has_a_gold_file():
    for folder in CHECKSET_DIRS:
        for doc in folder.iterdir():
            if doc.suffix in DOCUMENT_SUFFIXES:
                assert doc.with_suffix(".json").exists(), f"{doc.name} has no gold file"


@pytest.mark.parametrize("gold_path", gold_files(), ids=lambda p: p.stem)
def test_gold_file_follows_the_schema(gold_path: Path):
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    assert gold["id"] == gold_path.stem
    assert gold["kind"] in KINDS
    assert gold["published"] is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", gold["published"])
    assert isinstance(gold["title"], str) and gold["title"]
    assert isinstance(gold["traps"], list)
    for event in gold["events"]:
        assert EVENT_KEYS_REQUIRED <= set(event) <= EVENT_KEYS_ALLOWED, sorted(event)
        types = [event["agreement_type"]] if isinstance(event["agreement_type"], str) else event["agreement_type"]
        assert types and set(types) <= AGREEMENT_TYPES
        assert event["status"] in {"signed", "planned"}
        assert event["date"] is None or DATE_FORM.match(event["date"])
        assert re.fullmatch(r"[A-Z]{2}", event["partner_country"])
        assert isinstance(event["partner_aliases"], list)
        # a domestic partner names its province; a foreign one never does
        assert ("partner_province" in event) == (event["partner_country"] == "KR")


@pytest.mark.parametrize("gold_path", gold_files(), ids=lambda p: p.stem)
def test_evidence_occurs_in_the_decoded_document(gold_path: Path):
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    text = visible_text(document_for(gold_path))
    for event in gold["events"]:
        if "evidence" in event:
            evidence = re.sub(r"\s+", " ", event["evidence"]).strip()
            assert evidence in text, f"{gold_path.stem}: evidence not in page: {evidence}"


def test_euc_kr_pages_are_really_cp949_and_not_utf8():
    """The charset traps are real: those bytes fail as UTF-8 and decode as cp949 without loss."""
    cp949_pages = []
    for folder in CHECKSET_DIRS:
        for doc in sorted(folder.iterdir()):
            if doc.suffix not in DOCUMENT_SUFFIXES:
                continue
            raw = doc.read_bytes()
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                raw.decode("cp949")  # raises when the bytes are neither
                cp949_pages.append(doc)
    undeclared = [p for p in cp949_pages if p.suffix == ".html" and b"charset" not in p.read_bytes().lower()]
    declared_utf8 = [p for p in cp949_pages if b"charset=utf-8" in p.read_bytes().lower()]
    assert len(cp949_pages) >= 6
    assert len(undeclared) >= 2 and len(declared_utf8) >= 1


@pytest.mark.parametrize("suffix, delimiter", [(".csv", ","), (".tsv", "\t")])
def test_registry_tables_have_rectangular_rows(suffix: str, delimiter: str):
    tables = [p for d in CHECKSET_DIRS for p in d.glob("*" + suffix)]
    assert tables
    for table in tables:
        rows = [r for r in csv.reader(io.StringIO(decode(table.read_bytes())), delimiter=delimiter) if r]
        assert len({len(r) for r in rows}) == 1, f"{table.name}: ragged rows"


def pairs_of(gold_dir: Path) -> set[tuple[str, str]]:
    pairs = set()
    for gold_path in gold_dir.glob("*.json"):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        for event in gold.get("events", []):
            pairs.add((event["korean_party"], event["partner"]))
    return pairs


def test_no_city_pair_is_shared_with_the_dev_corpus_or_seeds(shared_dir: Path):
    theirs = pairs_of(shared_dir / "corpus" / "dev") | pairs_of(shared_dir / "seeds")
    ours = set().union(*(pairs_of(d) for d in CHECKSET_DIRS))
    assert not ours & theirs
