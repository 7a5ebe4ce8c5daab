"""Builders for review tests: a store of events with their pages, and the app over it."""

from __future__ import annotations

import os
import re
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest
from werkzeug.security import generate_password_hash
from werkzeug.serving import make_server

from extract.records import Document, Event
from review.app import create_app
from review.config import ReviewConfig
from store import Retrieval, Store

PASSWORD = "correct horse 배터리"
PARTIES = ("안산시", "시흥시", "수원시", "창원시", "전주시", "포항시", "춘천시", "제주특별자치도")
PARTNERS = (("훈춘시", "CN"), ("위해시", "CN"), ("구마모토시", "JP"), ("후에시", "VN"),
            ("울란바토르시", "MN"), ("산둥성", "CN"), ("가고시마현", "JP"), ("다낭시", "VN"))
TYPES = (("letter_of_intent", "교류의향서를 체결했다"), ("sister_city", "자매결연 협약을 맺었다"),
         ("friendship_city", "우호도시 협약을 체결했다"), ("mou", "업무협약(MOU)을 맺었다"))
SCRIPT_EVIDENCE = "<script>alert('xss')</script>광주시는 <b>선양시</b>와 우호교류 의향서를 체결했다."


def page_event(index: int) -> tuple[str, Event]:
    """Page text and its one event: the index picks party, partner, type, month and confidence."""
    party = PARTIES[index % len(PARTIES)]
    partner, country = PARTNERS[(index // len(PARTIES)) % len(PARTNERS)]
    agreement_type, verb = TYPES[index % len(TYPES)]
    day = f"20{15 + index % 10}-{1 + index % 12:02d}-{1 + index % 27:02d}"
    sentence = f"{party}는 {day[:4]}년 {partner}와 {verb}."
    text = f"{party} 보도자료 {index}호.\n{sentence}\n양 도시는 앞으로 교류를 넓혀 나갈 계획이다."
    start = text.index(sentence)
    return text, Event(korean_party=party, partner=partner, partner_country=country,
                       agreement_type=agreement_type, status="signed", evidence=sentence,
                       evidence_span=(start, start + len(sentence)), date=day,
                       confidence=round(0.30 + (index * 37 % 60) / 100, 2))


def save_one(store: Store, url: str, text: str, events: list[Event], keep_raw: bool = True) -> int:
    fetched = Retrieval(url=url, raw=f"<html><body><p>{text}</p></body></html>".encode("utf-8"),
                        http_status=200, content_type="text/html; charset=utf-8")
    document = Document(url=url, text=text, title=text.split("\n")[0], published="2024-01-01")
    return store.save(document, events, retrieval=fetched, source="seed", discovered_via="live",
                      keep_raw=keep_raw).document_id


def seed(path: Path, count: int, *, script_event: bool = False) -> Path:
    """`count` distinct events, each on its own page (and one whose evidence holds a script)."""
    with Store(path, keep_raw=True) as store:
        for index in range(count):
            text, event = page_event(index)
            save_one(store, f"https://news.example.kr/{index}", text, [event])
        if script_event:
            text = "머리말.\n" + SCRIPT_EVIDENCE + "\n끝."
            start = text.index(SCRIPT_EVIDENCE)
            event = Event(korean_party="광주시", partner="선양시", partner_country="CN",
                          agreement_type="friendship_city", status="signed",
                          evidence=SCRIPT_EVIDENCE, confidence=0.01, date="2024-02-02",
                          evidence_span=(start, start + len(SCRIPT_EVIDENCE)))
            save_one(store, "https://evil.example.kr/x", text, [event])
    return path


def review_config(**overrides: object) -> ReviewConfig:
    values: dict[str, object] = {"users": {"alice": generate_password_hash(PASSWORD)},
                                 "token_env": "TW_TEST_REVIEW_TOKEN", "secret_key_env": ""}
    values.update(overrides)
    return ReviewConfig(**values)  # type: ignore[arg-type]


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "page has no CSRF field"
    return found.group(1)


@contextmanager
def live_server(database: Path, config: ReviewConfig) -> Iterator[str]:
    """The app on a free 127.0.0.1 port in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, create_app(database, config), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def require_chromium() -> None:
    """Skip without Chromium, except in CI, where a missing browser is a failure."""
    if CHROMIUM.exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but Chromium is missing at {CHROMIUM}")
    pytest.skip(f"Chromium is not installed at {CHROMIUM}")


PROVINCES = (("창원시", "경상남도"), ("김해시", "경상남도"), ("수원시", "경기도"), ("전주시", "전북특별자치도"),
             ("춘천시", "강원특별자치도"), ("포항시", "경상북도"), ("제주시", "제주특별자치도"))


def bulk_event_rows(count: int) -> list[dict[str, object]]:
    """`count` distinct live events as event-table rows, spread over every filter's values."""
    states = ("new", "new", "confirmed", "corrected", "rejected")
    rows = []
    for index in range(count):
        party, province = PROVINCES[index % len(PROVINCES)]
        partner, country = PARTNERS[index % len(PARTNERS)]
        rows.append({
            "id": index + 1, "korean_party": party, "korean_province": province,
            "partner": f"{partner[:-1]}{index}{partner[-1]}", "partner_country": country,
            "agreement_type": TYPES[index % len(TYPES)][0],
            "date": f"20{10 + index % 15}-{1 + index % 12:02d}-{1 + index % 28:02d}",
            "status": "signed", "review_state": states[index % len(states)],
            "confidence": round((index * 7919 % 1000) / 1000, 3), "evidence": f"{party} 협약 {index}",
            "evidence_span": "[0, 0]", "place_ids": "{}", "first_seen": "2024-01-01T00:00:00+00:00",
            "last_seen": "2024-01-01T00:00:00+00:00", "updated_at": "2024-01-01T00:00:00+00:00"})
    return rows


def bulk_seed(path: Path, count: int) -> list[dict[str, object]]:
    """A store of `count` events written straight into its tables (saving them one by one
    through the extractor's path would take minutes); returns the rows."""
    rows = bulk_event_rows(count)
    with Store(path) as store:
        store.db["events"].insert_all(rows, batch_size=1000)
    return rows
