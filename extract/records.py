"""Records that leave the extractor: a readable document and the agreement events in it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

AGREEMENT_TYPES = ("sister_city", "friendship_city", "letter_of_intent", "mou")
STATUSES = ("signed", "planned")


@dataclass(frozen=True, slots=True)
class Document:
    """A page reduced to what extraction needs; `text` is what evidence spans point into."""

    url: str  # the input as given (path or URL)
    text: str
    title: str | None = None
    published: str | None = None  # YYYY-MM-DD, the page's own date
    published_source: str | None = None  # where the date came from (meta, byline, option …)
    charset: str | None = None
    charset_source: str | None = None  # bom | http | meta | detected | utf-8
    format: str = "html"  # html | txt | csv | tsv | xlsx
    html: str | None = None  # decoded page source, for readers of tables and lists
    final_url: str | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """One agreement between a Korean local government and a partner, with its evidence.

    Field names and meanings are the `twinwatch extract --format json` contract (README).
    """

    korean_party: str
    partner: str
    agreement_type: str
    status: str
    evidence: str
    evidence_span: tuple[int, int]
    korean_province: str | None = None
    partner_canonical: str | None = None
    partner_country: str | None = None
    partner_region: str | None = None
    partner_province: str | None = None
    date: str | None = None  # YYYY-MM-DD | YYYY-MM | YYYY
    confidence: float = 0.5
    place_ids: dict[str, str | None] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["evidence_span"] = list(self.evidence_span)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Event":
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        known["evidence_span"] = tuple(known.get("evidence_span") or (0, 0))
        return cls(**known)
