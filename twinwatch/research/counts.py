"""How many agreements by year, type, partner country or Korean province (`twinwatch stats
--by …`), with a self-contained HTML page whose bars are the chart.

The unit is a live event a reviewer has not rejected (a rejected event is not an agreement);
`confirmed` counts those a reviewer confirmed or corrected, `new` those not yet reviewed.
"""

from __future__ import annotations

import html
from dataclasses import asdict, dataclass
from typing import Any, Callable

from sqlite_utils import Database

from twinwatch.labels import labels, province_key

DIMENSIONS = ("year", "type", "country", "province")
TITLES = {"year": "연도별", "type": "유형별", "country": "상대 국가별", "province": "광역별"}
UNKNOWN = "(모름)"


@dataclass(frozen=True, slots=True)
class Count:
    name: str  # the year, the type's or country's Korean label, the province's full name
    code: str  # the year, type code, ISO code or province short name ("" when unknown)
    events: int
    confirmed: int
    new: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _year(row: dict[str, Any]) -> tuple[str, str]:
    year = (row["date"] or "")[:4]
    return (year, year) if year else (UNKNOWN, "")


def _type(row: dict[str, Any]) -> tuple[str, str]:
    code = row["agreement_type"]
    return str(labels()["types"].get(code, code)), code


def _country(row: dict[str, Any]) -> tuple[str, str]:
    code = (row["partner_country"] or "").upper()
    return (str(labels()["countries"].get(code, code)), code) if code else (UNKNOWN, "")


def _province(row: dict[str, Any]) -> tuple[str, str]:
    for name in (row["korean_province"], row["korean_party"]):
        key = province_key(name)
        if key:
            return str(labels()["provinces"][key][0]), key
    return UNKNOWN, ""


KEYS: dict[str, Callable[[dict[str, Any]], tuple[str, str]]] = {
    "year": _year, "type": _type, "country": _country, "province": _province}


def counts_by(db: Database, dimension: str) -> list[Count]:
    """Counts per value of `dimension`: years in order, the others most events first."""
    if dimension not in KEYS:
        raise ValueError(f"unknown dimension {dimension!r} (one of {', '.join(DIMENSIONS)})")
    found: dict[tuple[str, str], list[int]] = {}
    for row in db.query("""SELECT date, agreement_type, partner_country, korean_province,
                                  korean_party, review_state FROM events
                           WHERE merged_into IS NULL AND review_state != 'rejected'"""):
        tally = found.setdefault(KEYS[dimension](row), [0, 0, 0])
        tally[0] += 1
        tally[1] += row["review_state"] in ("confirmed", "corrected")
        tally[2] += row["review_state"] == "new"
    counts = [Count(name, code, *numbers) for (name, code), numbers in found.items()]
    if dimension == "year":
        return sorted(counts, key=lambda c: (c.code == "", c.code))
    return sorted(counts, key=lambda c: (c.code == "", -c.events, c.name))


def as_html(dimension: str, counts: list[Count]) -> str:
    """One page: the counts as a table whose first column carries a bar as long as its share."""
    most = max((c.events for c in counts), default=1) or 1
    rows = "\n".join(
        f'<tr><th scope="row">{html.escape(c.name)}</th>'
        f'<td class="bar"><span style="width: {100 * c.events / most:.1f}%"></span></td>'
        f"<td>{c.events}</td><td>{c.confirmed}</td><td>{c.new}</td></tr>" for c in counts)
    title = f"{TITLES[dimension]} 협약 수"
    return f"""<!doctype html>
<html lang="ko"><head><meta charset="utf-8"><title>{title} · twinwatch</title>
<style>
body {{ font-family: "NanumGothic", "Noto Sans CJK KR", "Malgun Gothic", sans-serif; margin: 1.5rem; word-break: keep-all; }}
table {{ border-collapse: collapse; }} th, td {{ padding: .2rem .6rem; text-align: right; }}
th[scope=row] {{ text-align: left; font-weight: normal; white-space: nowrap; }}
td.bar {{ width: 24rem; }} td.bar span {{ display: block; height: .9rem; background: #3c6e9f; }}
</style></head><body>
<h1>{title}</h1>
<p>거절되지 않은 사건 {sum(c.events for c in counts)}건 (확인: 검토자가 확인하거나 수정한 것, 검토 전: 아직 보지 않은 것)</p>
<table id="counts"><thead><tr><th></th><th></th><th>사건</th><th>확인</th><th>검토 전</th></tr></thead>
<tbody>
{rows}
</tbody></table>
</body></html>
"""
