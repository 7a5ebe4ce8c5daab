"""Records that leave the extractor: a readable document and the agreement events in it.

`place_key` says when two events name the same place by name alone; the scorer and the store's
merge check share it, so a reviewer's merge and the evaluation agree on what is one place.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any

AGREEMENT_TYPES = ("sister_city", "friendship_city", "letter_of_intent", "mou")
STATUSES = ("signed", "planned")
# One trailing administrative unit is ignored when names are compared (훈춘시 ~ 훈춘);
# longer suffixes first so 광역시 is taken whole.
ADMIN_SUFFIXES = ("특별자치시", "특별자치도", "특별시", "광역시", "자치구", "자치주", "자치현",
                  "시", "군", "구", "성", "현", "주", "도", "市", "区", "區", "县", "縣", "州", "省",
                  "city")


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
    # Where in `text` the words behind each field stand: korean_party, partner, date and
    # agreement_type → (start, end). Optional: events from before it existed have none.
    field_spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    why: tuple[str, ...] = ()  # short reasons behind the confidence, in Korean

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["evidence_span"] = list(self.evidence_span)
        data["field_spans"] = {name: list(span) for name, span in self.field_spans.items()}
        data["why"] = list(self.why)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Event":
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        known["evidence_span"] = tuple(known.get("evidence_span") or (0, 0))
        known["field_spans"] = {name: (int(span[0]), int(span[1]))
                                for name, span in (known.get("field_spans") or {}).items()}
        known["why"] = tuple(known.get("why") or ())
        return cls(**known)


def place_key(name: object) -> str:
    """The comparable core of a place name: last word, no brackets or dots, one suffix off."""
    if not name:
        return ""
    value = unicodedata.normalize("NFKC", str(name)).strip().lower()
    value = re.sub(r"\([^)]*\)|（[^）]*）", " ", value)
    words = value.split()
    last = re.sub(r"[\s·・'\"‘’“”]", "", words[-1]) if words else ""
    for suffix in ADMIN_SUFFIXES:
        if last.endswith(suffix) and len(last) - len(suffix) >= 2:
            return last[: -len(suffix)]
    return last
