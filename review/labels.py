"""The words the review page shows for stored codes: types, states, statuses, field names.

Reviewers read Korean; the store keeps codes (`sister_city`, `new`). Every code on a page passes
through one of these tables, so a label never shows a raw field name or type code. Countries and
province spellings come from the kernel's twinwatch/labels.toml, so the page and the digest
speak the same words.
"""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from twinwatch.labels import labels as screen_labels
from twinwatch.labels import province_key

SEOUL = ZoneInfo("Asia/Seoul")  # reviewers read Seoul's clock; the store keeps UTC
TYPES = {"sister_city": "자매결연", "friendship_city": "우호도시", "letter_of_intent": "의향서",
         "mou": "MOU"}
STATES = {"new": "검토 전", "confirmed": "확인", "corrected": "수정", "rejected": "제외", "all": "전체"}
STATUSES = {"signed": "체결", "planned": "추진 예정"}
FIELDS = {
    "korean_party": "한국 측", "korean_province": "광역", "partner": "상대", "partner_canonical": "상대 표준 이름",
    "partner_country": "상대 국가", "partner_region": "상대 지역", "partner_province": "상대 광역",
    "agreement_type": "유형", "date": "날짜", "status": "상태", "confidence": "신뢰도",
    "first_seen": "처음 수집", "last_seen": "마지막 수집", "review_state": "검토 상태",
}
ACTIONS = {"confirm": "확인", "correct": "수정", "reject": "제외", "merge": "병합", "split": "분리",
           "add": "추가", "undo": "되돌림"}
PLACE_KINDS = {"city": "도시", "province": "광역", "county": "군", "district": "구", "country": "국가",
               "region": "지역", "town": "읍면", "state": "주"}


def type_label(code: str | None) -> str:
    return TYPES.get(code or "", code or "")


def state_label(code: str | None) -> str:
    return STATES.get(code or "", code or "")


def status_label(code: str | None) -> str:
    return STATUSES.get(code or "", code or "")


def field_label(name: str) -> str:
    return FIELDS.get(name, name)


def action_label(action: str) -> str:
    return ACTIONS.get(action, action)


def place_kind_label(kind: str | None) -> str:
    return PLACE_KINDS.get(kind or "", "장소")


def country_label(code: str | None) -> str:
    """The country's Korean name; an unlisted code shows as itself."""
    if not code:
        return ""
    return str(screen_labels()["countries"].get(code.upper(), code))


def province_spellings(text: str) -> tuple[str, ...]:
    """Every spelling of the 광역 government `text` names ('경남' → 경상남도, 경남); () if none."""
    key = province_key(text)
    return tuple(screen_labels()["provinces"][key]) if key else ()


def shown_value(name: str, value: object) -> str:
    """A field's value as the page shows it in a change ("—" for none)."""
    if value is None or value == "":
        return "—"
    by_field = {"agreement_type": type_label, "review_state": state_label, "status": status_label,
                "partner_country": country_label}
    return by_field[name](str(value)) if name in by_field else str(value)


def seoul_time(stamp: str | None, with_time: bool = True) -> str:
    """A stored UTC ISO time as Seoul's wall clock ("2024-05-01 09:30"); bad input as given."""
    if not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    local = moment.astimezone(SEOUL)
    return local.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")


FILTERS = {"seoul_time": seoul_time, "type_ko": type_label, "state_ko": state_label, "status_ko": status_label,
           "field_ko": field_label, "action_ko": action_label, "country_ko": country_label,
           "place_kind_ko": place_kind_label}
