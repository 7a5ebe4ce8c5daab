"""`twinwatch timeline`: the chronology of relationships, with the sources of every step.

table (rich, for a terminal), csv (one row per step), json (one object per relationship with
its steps and sources), html (`timeline_html`: one self-contained page with an SVG chart).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from store.relationship_model import Relationship, Step

FORMATS = ("table", "csv", "json", "html")
CSV_COLUMNS = ("korean_party", "korean_province", "partner", "partner_country", "domestic",
               "stage", "state", "step_date", "step", "step_label", "status", "origin",
               "event_id", "review_state", "evidence", "reviewer", "reason", "sources")


def select(found: list[Relationship], name: str | None) -> list[Relationship]:
    """The relationships `name` is a side of (all when no name), the busiest party first."""
    chosen = [r for r in found if name is None or r.involves(name)]
    return sorted(chosen, key=lambda r: (r.first_date or "9999", r.korean_party, r.partner))


def busiest_party(found: list[Relationship]) -> str | None:
    """The Korean party with the most relationships (ties: the most steps)."""
    counts: dict[str, list[int]] = {}
    for relationship in found:
        tally = counts.setdefault(relationship.korean_party, [0, 0])
        tally[0] += 1
        tally[1] += len(relationship.steps)
    return max(counts, key=lambda party: (counts[party], party)) if counts else None


def state_text(relationship: Relationship, today: str | None = None) -> str:
    """'active since 2008-10-01', 'suspended since 2017-03', 'planned for 2026-05-01' or
    'planned 2019-06-20, never signed' (a plan whose day has passed with no signing reported)."""
    when = relationship.state_date
    if relationship.state != "planned":
        return relationship.state + (f" since {when}" if when else "")
    today = today or date.today().isoformat()
    if when and when[:len(today)] < today[:len(when)]:
        return f"planned {when}, never signed"
    return "planned" + (f" for {when}" if when else "")


def as_json(chosen: list[Relationship]) -> str:
    return json.dumps([{**r.to_dict(), "state_text": state_text(r)} for r in chosen],
                      ensure_ascii=False, indent=1)


def as_csv(chosen: list[Relationship]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for relationship in chosen:
        for step in relationship.steps:
            writer.writerow(_csv_row(relationship, step))
    return out.getvalue()


def _csv_row(relationship: Relationship, step: Step) -> list[object]:
    return [relationship.korean_party, relationship.korean_province or "", relationship.partner,
            relationship.partner_country or "", int(relationship.domestic),
            relationship.stage or "", relationship.state, step.date or "", step.stage,
            step.label, step.status or "", step.origin,
            step.event_id if step.event_id is not None else "", step.review_state or "",
            step.evidence or "", step.reviewer or "", step.reason or "",
            " ".join(source.url for source in step.sources)]


def print_table(chosen: list[Relationship]) -> None:
    from rich.console import Console
    from rich.table import Table
    console = Console()
    if not chosen:
        console.print("no relationships")
    for relationship in chosen:
        title = (f"{relationship.korean_party} — {relationship.partner} "
                 f"({relationship.partner_country or '?'}) · stage {relationship.stage or 'none'}"
                 f" · {state_text(relationship)}")
        table = Table(title=title, title_justify="left")
        for column in ("date", "step", "status", "from", "state", "sources"):
            table.add_column(column, overflow="fold")
        for step in relationship.steps:
            origin = f"event {step.event_id}" if step.event_id is not None else step.origin
            if step.reviewer:
                origin += f" ({step.reviewer})"
            table.add_row(step.date or "?", step.label, step.status or "", origin,
                          step.review_state or "",
                          "\n".join(source.url for source in step.sources) or step.reason or "")
        console.print(table)
