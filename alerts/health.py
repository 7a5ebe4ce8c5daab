"""Source-health warnings: failing, quiet, or suddenly finding no links on its list page.

Read from the store's `sources` table (kept by `Store.record_source_attempt`, plus the columns
migration m005 adds: first attempt, last non-zero link count). One warning per source at most,
the most urgent: a failing source is also quiet, and saying so twice is noise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterable
from zoneinfo import ZoneInfo

from alerts.config import alerts_config
from store import Store
from twinwatch.config import Config, SourceConfig

KINDS = ("failing", "no_links", "quiet")
SEOUL = ZoneInfo("Asia/Seoul")


@dataclass(frozen=True, slots=True)
class SourceWarning:
    source: str
    kind: str  # failing | no_links | quiet
    message: str  # one Korean line, fit for a digest

    @property
    def key(self) -> str:
        """What "the same warning as last time" means (a digest says a new one is news)."""
        return f"{self.kind}:{self.source}"


def _moment(value: str | None) -> datetime | None:
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _day(value: str | None) -> str:
    """The stored UTC stamp's day in Korea, as staff count days."""
    moment = _moment(value)
    return moment.astimezone(SEOUL).date().isoformat() if moment else "없음"


def warning_for(source: SourceConfig, row: dict[str, Any], now: datetime,
                failure_threshold: int) -> SourceWarning | None:
    """The warning one source deserves now, if any."""
    name = source.name
    failures = row.get("consecutive_failures") or 0
    if failures >= max(failure_threshold, 1):
        return SourceWarning(name, "failing", (
            f"{name}: {failures}회 연속 수집 실패 (마지막 오류: {row.get('last_error') or '알 수 없음'}, "
            f"마지막 성공: {_day(row.get('last_success'))})"))
    links_now, links_before = row.get("links_last_run"), row.get("links_last_nonzero")
    if failures == 0 and links_now == 0 and links_before:
        return SourceWarning(name, "no_links", (
            f"{name}: 목록에서 링크를 하나도 찾지 못함 (이전 {links_before}개, "
            f"{_day(row.get('links_last_nonzero_at'))}) — 사이트 구조가 바뀌었는지 확인하세요"))
    since = _moment(row.get("last_new_item")) or _moment(row.get("first_attempt"))
    if since is not None and source.quiet_days > 0:
        quiet_for = (now - since).days
        if quiet_for > source.quiet_days:
            return SourceWarning(name, "quiet", (
                f"{name}: {quiet_for}일째 새 글 없음 (기준 {source.quiet_days}일, "
                f"마지막 새 글: {_day(row.get('last_new_item'))})"))
    return None


def source_warnings(store: Store, config: Config, now: datetime | None = None,
                    sources: Iterable[SourceConfig] | None = None) -> list[SourceWarning]:
    """Warnings for the configured, enabled sources (or `sources`), in config order. A source
    never attempted yet has nothing to report."""
    now = now or datetime.now(timezone.utc)
    threshold = alerts_config(config).failure_threshold
    rows = {row["name"]: row for row in store.db.query("SELECT * FROM sources")}
    chosen = sources if sources is not None else (s for s in config.sources if s.enabled)
    warnings = []
    for source in chosen:
        row = rows.get(source.name)
        if row is None or row.get("last_attempt") is None:
            continue
        warning = warning_for(source, row, now, threshold)
        if warning is not None:
            warnings.append(warning)
    return warnings
