"""Builders for the alerts tests: a store with a few agreements, a config with [alerts] tables."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from store import Store
from tests.support.store import make_event, save_page
from twinwatch.config import Config, config_from_dict

# (url, event fields): three Korean parties, three countries, three types.
AGREEMENTS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("https://news.example.kr/changwon", {
        "korean_party": "창원시", "korean_province": "경상남도", "partner": "나가사키시",
        "partner_country": "JP", "agreement_type": "mou", "date": "2026-11-14",
        "evidence": "창원시와 나가사키시는 지난 14일 관광교류 양해각서에 서명했다."}),
    ("https://news.example.kr/ansan", {
        "korean_party": "안산시", "korean_province": "경기도", "partner": "훈춘시",
        "partner_country": "CN", "agreement_type": "letter_of_intent", "date": "2026-11-10",
        "evidence": "안산시는 중국 훈춘시와 교류의향서를 체결했다."}),
    ("https://news.example.kr/gyeongnam", {
        "korean_party": "경상남도", "korean_province": None, "partner": "가고시마현",
        "partner_country": "JP", "agreement_type": "friendship_city", "date": "2026-11-02",
        "evidence": "경상남도는 일본 가고시마현과 우호교류 협정을 체결했다."}),
)


def filled_store(path: Path) -> tuple[Store, dict[str, int]]:
    """A store holding AGREEMENTS; returns it and the event id per Korean party."""
    store = Store(path)
    ids = {}
    for url, fields in AGREEMENTS:
        event = make_event(**fields, evidence_span=(0, len(fields["evidence"])))
        result = save_page(store, url, [event], source="테스트일보")
        ids[fields["korean_party"]] = result.events.new_event_ids[0]
    return store, ids


def add_agreement(store: Store, url: str, **fields: Any) -> int:
    evidence = fields.pop("evidence", f"{fields['korean_party']}는 {fields['partner']}와 협약을 맺었다.")
    event = make_event(**fields, evidence=evidence, evidence_span=(0, len(evidence)))
    return save_page(store, url, [event], source="테스트일보").events.new_event_ids[0]


def alerts_config_for(database: Path, alerts: dict[str, Any],
                      sources: list[dict[str, Any]] | None = None) -> Config:
    return config_from_dict({"store": {"path": str(database)}, "alerts": alerts,
                             "sources": sources or []})


def sent_rows(store: Store) -> dict[str, int]:
    """How many rows each delivery-state table holds (dry runs must leave these alone)."""
    return {table: store.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in ("alert_recipients", "alert_digests", "alert_sent_events",
                          "alert_sent_corrections")}
