"""Reviewed documents as gold files (`../shared/eval/README.md`), for `twinwatch eval DIR`.

A document is exported when every live event it reports has been reviewed (with `partial`,
when at least one has: the unreviewed ones become `optional` gold events, neither owed nor
held against the extractor). Each becomes `docNNNNN.json` beside the page:
- `docNNNNN.html` (or the stored format's suffix) with the raw bytes, when they were kept;
- else `docNNNNN.txt`: the stored text, under the title and a `등록일: YYYY-MM-DD` line so that
  re-extraction finds the page's date as it did on the page (relative dates depend on it).

A gold event is the event as reviewers left it, seen from this page: the page's own spelling
of the partner (its other spellings as aliases), and — unless a reviewer set them — the page's
own status and date when the page announced an agreement since signed ('planned') or gave a
less precise date than another page did. Rejected events become `traps`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from store.identity import normalise_place
from store.review import CORRECTABLE

REVIEWED = ("confirmed", "corrected")
TABLE_FORMATS = ("csv", "tsv", "xlsx")


@dataclass(slots=True)
class GoldExport:
    folder: Path
    documents: list[str] = field(default_factory=list)  # the names written
    skipped_unreviewed: int = 0  # documents with events still waiting for review


def export_gold(db: Database, folder: str | Path, *, partial: bool = False) -> GoldExport:
    """Write every reviewed document of the store into `folder` (created if missing)."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    result = GoldExport(target)
    corrected = _reviewer_set_fields(db)
    for document_id, mentions in _mentions_by_document(db).items():
        states = [m["review_state"] for m in mentions]
        waiting = states.count("new")
        if waiting and (not partial or waiting == len(states)):
            result.skipped_unreviewed += 1
            continue
        if not any(state in REVIEWED for state in states) and "rejected" not in states:
            continue
        document = next(db.query("SELECT * FROM documents WHERE id = ?", [document_id]))
        name = f"doc{document_id:05d}"
        _write_page(target, name, document)
        gold = _gold_file(name, document, mentions, corrected)
        (target / f"{name}.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n",
                                             encoding="utf-8")
        result.documents.append(name)
    return result


def _mentions_by_document(db: Database) -> dict[int, list[dict[str, Any]]]:
    """Readable documents → their mentions of live events, each with the event's fields."""
    found: dict[int, list[dict[str, Any]]] = {}
    for row in db.query(
            """SELECT m.document_id, m.korean_party AS page_party, m.partner AS page_partner,
                      m.date AS page_date, m.status AS page_status, m.evidence AS page_evidence,
                      e.* FROM mentions m JOIN events e ON e.id = m.event_id
               JOIN documents d ON d.id = m.document_id
               WHERE e.merged_into IS NULL AND d.text IS NOT NULL AND d.drop_reason IS NULL
               ORDER BY m.document_id, COALESCE(m.span_start, 0), m.id"""):
        found.setdefault(row["document_id"], []).append(row)
    return found


def _reviewer_set_fields(db: Database) -> dict[int, set[str]]:
    """Event id → the fields a reviewer set (a correction that changed them, or an addition)."""
    found: dict[int, set[str]] = {}
    for row in db.query("SELECT event_id, action, before, after FROM review_log "
                        "WHERE action IN ('correct', 'add')"):
        before = json.loads(row["before"]) if row["before"] else {}
        after = json.loads(row["after"]) if row["after"] else {}
        changed = {name for name in CORRECTABLE if row["action"] == "add"
                   or before.get(name) != after.get(name)}
        found.setdefault(row["event_id"], set()).update(changed)
    return found


def _write_page(folder: Path, name: str, document: dict[str, Any]) -> None:
    if document["raw_zlib"] is not None:
        import zlib
        suffix = document["format"] if document["format"] in ("html", "txt", *TABLE_FORMATS) else "html"
        (folder / f"{name}.{suffix}").write_bytes(zlib.decompress(document["raw_zlib"]))
        return
    if document["format"] in ("csv", "tsv"):
        (folder / f"{name}.{document['format']}").write_text(document["text"], encoding="utf-8")
        return
    header = [document["title"] or "", f"등록일: {document['published']}" if document["published"] else ""]
    lines = [line for line in header if line]
    text = "\n".join(lines) + ("\n\n" if lines else "") + document["text"]
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")


def _gold_file(name: str, document: dict[str, Any], mentions: list[dict[str, Any]],
               corrected: dict[int, set[str]]) -> dict[str, Any]:
    events, traps = [], []
    for mention in mentions:
        if mention["review_state"] == "rejected":
            traps.append(f"{mention['page_party']}–{mention['page_partner']} "
                         f"({mention['agreement_type']}): rejected by a reviewer")
            continue
        gold = gold_event(mention, corrected.get(mention["id"], set()))
        if mention["review_state"] == "new":
            gold["optional"] = True  # not reviewed yet: neither owed nor held against
        events.append(gold)
    kind = "table" if document["format"] in TABLE_FORMATS else "news"
    return {"id": name, "kind": kind, "published": document["published"],
            "title": document["title"] or "", "url": document["canonical_url"],
            "document_id": document["id"], "events": events, "traps": traps}


def gold_event(row: dict[str, Any], reviewer_set: set[str]) -> dict[str, Any]:
    """The event of `row` (an event row with its mention's page_* fields) as this page's gold."""
    names = {normalise_place(row["partner"]), normalise_place(row["partner_canonical"])}
    page_spelling = row["page_partner"] if "partner" not in reviewer_set \
        and normalise_place(row["page_partner"]) in names else None
    partner = page_spelling or row["partner"]
    aliases = [a for a in dict.fromkeys([row["partner"], row["partner_canonical"], page_spelling])
               if a and a != partner]
    date, status = row["date"], row["status"]
    if "status" not in reviewer_set and row["page_status"] == "planned" and status == "signed":
        date, status = row["page_date"], "planned"  # the page announced it before the signing
    elif "date" not in reviewer_set and row["page_date"] and date and date != row["page_date"] \
            and date.startswith(row["page_date"]):
        date = row["page_date"]  # this page fixes no more than that
    gold: dict[str, Any] = {
        "korean_party": row["korean_party"], "korean_province": row["korean_province"],
        "partner": partner, "partner_aliases": aliases,
        "partner_country": row["partner_country"], "agreement_type": row["agreement_type"],
        "date": date, "status": status, "evidence": row["page_evidence"] or row["evidence"]}
    if row["partner_region"]:
        gold["partner_region"] = row["partner_region"]
    if (row["partner_country"] or "").upper() == "KR" and row["partner_province"]:
        gold["partner_province"] = row["partner_province"]
    return gold
