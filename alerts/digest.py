"""The digest: what one recipient of one channel has not been told yet, in Korean.

`build_digest` only reads. Events go out once per channel+recipient: those first seen since the
recipient's horizon, not rejected, not sent before, matching its filters — confirmed, corrected
and unreviewed alike (these marked 검토 전). A correction or rejection decided after an event
was sent comes back once, as one line of the 정정 section.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Mapping, Sequence
from zoneinfo import ZoneInfo

from alerts import state
from alerts.config import AlertsConfig, Recipient
from alerts.health import SourceWarning
from alerts.wire import headline_of, outlet_of, strip_boilerplate
from store import Mention, Store
from twinwatch.labels import labels, province_key

SEOUL = ZoneInfo("Asia/Seoul")
EVIDENCE_CHARS = 140  # one line in a mail client or a Slack message
LINKS_PER_EVENT = 3
_SPACES = re.compile(r"\s+")
# The fields a 정정 line names, in this order, with their Korean labels.
FIELD_LABELS = (("korean_party", "한국 측"), ("korean_province", "광역"), ("partner", "상대"),
                ("partner_country", "국가"), ("agreement_type", "유형"), ("date", "날짜"),
                ("status", "상태"))


@dataclass(frozen=True, slots=True)
class DigestEvent:
    event_id: int
    korean_party: str
    korean_province: str | None
    partner: str
    country: str  # Korean name, or the ISO code when no name is known, or ""
    type_label: str  # 자매결연 | 우호도시 | 의향서 | MOU
    date: str | None
    status_label: str  # "" or 추진 예정
    review_mark: str  # 검토 전 | 수정됨 | ""
    evidence: str  # one line, shortened
    source_urls: tuple[str, ...]
    first_seen: str
    title: str = ""  # the first report's headline
    outlet: str = ""  # who published it (alerts.wire.outlet_of)
    published: str = ""  # its publication date, YYYY-MM-DD
    article_url: str = ""
    review_url: str = ""  # the event on the review page, when [review] base_url is set

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass(frozen=True, slots=True)
class PartyGroup:
    korean_party: str
    korean_province: str | None
    events: tuple[DigestEvent, ...]
    province: str = ""  # the 광역 government the party belongs to (or is); "" when unknown


@dataclass(frozen=True, slots=True)
class ProvinceGroup:
    province: str  # full name, or "기타" for parties whose province is unknown
    parties: tuple[PartyGroup, ...]

    @property
    def count(self) -> int:
        return sum(len(group.events) for group in self.parties)


@dataclass(frozen=True, slots=True)
class Correction:
    event_id: int
    action: str  # correct | reject
    line: str  # one Korean line: what the event was, and what changed
    log_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Digest:
    channel: str
    recipient: str
    built_at: str  # ISO, UTC
    horizon: str  # events first seen before this were not considered
    groups: tuple[PartyGroup, ...]
    corrections: tuple[Correction, ...]
    warnings: tuple[SourceWarning, ...]
    new_warning_keys: frozenset[str]  # warnings the recipient's last digest did not carry
    held_back: int  # pending events beyond max_events, left for the next digest
    log_watermark: int  # the review log's last id when this was built
    subject: str

    @property
    def event_ids(self) -> tuple[int, ...]:
        return tuple(event.event_id for group in self.groups for event in group.events)

    @property
    def correction_log_ids(self) -> tuple[int, ...]:
        return tuple(log_id for c in self.corrections for log_id in c.log_ids)

    @property
    def has_news(self) -> bool:
        """Something the recipient has not been told: an event, a correction, a new warning."""
        return bool(self.event_ids or self.corrections or self.new_warning_keys)

    @property
    def provinces(self) -> tuple[ProvinceGroup, ...]:
        """The party groups under their 광역 government, in the groups' order."""
        found: dict[str, list[PartyGroup]] = {}
        for group in self.groups:
            found.setdefault(group.province or "기타", []).append(group)
        return tuple(ProvinceGroup(name, tuple(parties)) for name, parties in found.items())

    @property
    def summary(self) -> str:
        """"N건: 자매결연 a, 우호도시 b, …" (types with none left out), and the corrections."""
        events = [event for group in self.groups for event in group.events]
        counted = [(label, sum(1 for e in events if e.type_label == label))
                   for label in labels()["types"].values()]
        line = f"새 소식 {len(events)}건"
        if events:
            line += ": " + ", ".join(f"{label} {n}" for label, n in counted if n)
        if self.corrections:
            line += f" · 정정 {len(self.corrections)}건"
        if self.held_back:
            line += f" · 다음 알림으로 {self.held_back}건"
        return line

    @property
    def seoul_date(self) -> str:
        return datetime.fromisoformat(self.built_at).astimezone(SEOUL).date().isoformat()


def one_line(text: str | None, limit: int = EVIDENCE_CHARS) -> str:
    flat = _SPACES.sub(" ", text or "").strip()
    return flat if len(flat) <= limit else flat[:limit - 1].rstrip() + "…"


def country_label(code: str | None) -> str:
    if not code:
        return ""
    return str(labels()["countries"].get(code.upper(), code.upper()))


def type_label(agreement_type: str | None) -> str:
    return str(labels()["types"].get(agreement_type or "", agreement_type or ""))


def digest_event(event: Mapping[str, Any], report: Mention | None = None,
                 review_base_url: str = "") -> DigestEvent:
    """A stored event (as `Store.event` gives it) as the digest shows it; `report` is the
    article it is cited from (the first report)."""
    url = report.url if report else ""
    return DigestEvent(
        event_id=event["id"], korean_party=event["korean_party"],
        korean_province=event.get("korean_province"), partner=event["partner"],
        country=country_label(event.get("partner_country")),
        type_label=type_label(event["agreement_type"]), date=event.get("date"),
        status_label=str(labels()["statuses"].get(event.get("status"), "")),
        review_mark=str(labels()["review_states"].get(event.get("review_state"), "")),
        evidence=one_line(strip_boilerplate(event.get("evidence") or "")),
        source_urls=tuple(event.get("source_urls") or ())[:LINKS_PER_EVENT],
        first_seen=event["first_seen"],
        title=one_line(headline_of(report.title), 100) if report else "",
        outlet=outlet_of(report.title, report.source, url) if report else "",
        published=(report.published or "")[:10] if report else "", article_url=url,
        review_url=f"{review_base_url.rstrip('/')}/events/{event['id']}" if review_base_url else "")


def province_of(korean_party: str, korean_province: str | None) -> str:
    """The full name of the party's 광역 government (the party itself when it is one)."""
    for name in (korean_province, korean_party):
        key = province_key(name)
        if key:
            return str(labels()["provinces"][key][0])
    return ""


def group_by_party(events: Sequence[DigestEvent]) -> tuple[PartyGroup, ...]:
    """One group per Korean party, under its province: provinces in the administrative order
    (서울 … 제주, unknown last), the province's own government first, then 가나다 order; newest
    agreement first within a party."""
    parties: dict[str, list[DigestEvent]] = {}
    for event in events:
        parties.setdefault(event.korean_party, []).append(event)
    order = {str(spellings[0]): index for index, spellings in enumerate(labels()["provinces"].values())}
    groups = []
    for party, members in parties.items():
        members = sorted(members, key=lambda e: (e.date or "", e.event_id), reverse=True)
        province = next((e.korean_province for e in members if e.korean_province), None)
        groups.append(PartyGroup(party, province, tuple(members), province_of(party, province)))
    return tuple(sorted(groups, key=lambda g: (order.get(g.province, len(order)),
                                               g.korean_party != g.province, g.korean_party)))


def _describe(snapshot: Mapping[str, Any]) -> str:
    parts = [f"{snapshot.get('korean_party')} – {snapshot.get('partner')}",
             type_label(snapshot.get("agreement_type"))]
    if snapshot.get("date"):
        parts.append(str(snapshot["date"]))
    return " ".join(parts)


def _shown(name: str, value: Any) -> str:
    if value in (None, ""):
        return "(없음)"
    if name == "agreement_type":
        return type_label(value)
    if name == "partner_country":
        return country_label(value)
    if name == "status":
        return "체결" if value == "signed" else "추진 예정"
    return str(value)


def correction_line(entries: Sequence[Mapping[str, Any]]) -> Correction:
    """One line for all of an event's unreported decisions: from before the first to after
    the last (corrected twice → one line with the final values)."""
    first, last = entries[0], entries[-1]
    before = json.loads(first["before"] or "{}")
    after = json.loads(last["after"] or "{}")
    log_ids = tuple(entry["id"] for entry in entries)
    reason = f" (사유: {one_line(last['reason'], 80)})" if last.get("reason") else ""
    if last["action"] == "reject":
        line = f"[취소] {_describe(before)} — 검토 결과 협약 소식이 아닌 것으로 확인되었습니다{reason}"
        return Correction(first["event_id"], "reject", line, log_ids)
    changes = [f"{label} {_shown(name, before.get(name))} → {_shown(name, after.get(name))}"
               for name, label in FIELD_LABELS if before.get(name) != after.get(name)]
    line = f"[정정] {_describe(before)}: " + ("; ".join(changes) or "내용 변경 없음") + reason
    return Correction(first["event_id"], "correct", line, log_ids)


def _corrections(store: Store, channel: str, recipient: str) -> tuple[Correction, ...]:
    by_event: dict[int, list[dict[str, Any]]] = {}
    for entry in state.unsent_corrections(store, channel, recipient):
        by_event.setdefault(entry["event_id"], []).append(entry)
    return tuple(correction_line(entries) for entries in by_event.values())


def subject_line(settings: AlertsConfig, day: str, events: int, corrections: int,
                 warnings: int) -> str:
    counts = [f"새 소식 {events}건"]
    if corrections:
        counts.append(f"정정 {corrections}건")
    if warnings:
        counts.append(f"수집 경고 {warnings}건")
    return f"{settings.subject} {day} — {', '.join(counts)}"


def first_horizon(now: datetime, settings: AlertsConfig) -> str:
    """A new recipient's first digest reaches back `lookback_days`, not to the first crawl."""
    return (now - timedelta(days=settings.lookback_days)).astimezone(timezone.utc).isoformat(
        timespec="seconds")


def build_digest(store: Store, channel: str, recipient: Recipient | str, *,
                 since: str | None = None, now: datetime | None = None,
                 warnings: Sequence[SourceWarning] = (),
                 settings: AlertsConfig | None = None) -> Digest:
    """The digest `recipient` of `channel` would get now. Reads only: `alerts.dispatch` records
    it as sent once it was delivered. `since` (YYYY-MM-DD or ISO time) narrows to events first
    seen from then on; the others stay pending."""
    settings = settings or AlertsConfig()
    target = recipient if isinstance(recipient, Recipient) else Recipient(key=recipient)
    now = now or datetime.now(timezone.utc)
    horizon = since or state.horizon(store, channel, target.key) or first_horizon(now, settings)
    watermark = state.review_log_watermark(store)
    wanted = [row for row in state.unsent_events(store, channel, target.key, horizon)
              if target.filters.matches(row)]
    chosen = [store.event(row["id"]) or {} for row in wanted[:settings.max_events]]
    reports = [next(iter(store.mentions(event["id"])), None) for event in chosen]
    corrections = _corrections(store, channel, target.key)
    known_warnings = state.last_warning_keys(store, channel, target.key)
    new_warning_keys = frozenset(w.key for w in warnings) - known_warnings
    built_at = now.astimezone(timezone.utc).isoformat(timespec="seconds")
    day = now.astimezone(SEOUL).date().isoformat()
    return Digest(
        channel=channel, recipient=target.key, built_at=built_at, horizon=horizon,
        groups=group_by_party([digest_event(event, report, settings.review_base_url)
                               for event, report in zip(chosen, reports)]),
        corrections=corrections, warnings=tuple(warnings), new_warning_keys=new_warning_keys,
        held_back=max(len(wanted) - settings.max_events, 0), log_watermark=watermark,
        subject=subject_line(settings, day, len(chosen), len(corrections), len(warnings)))
