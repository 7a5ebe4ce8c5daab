"""The timeline as one self-contained HTML file: inline CSS, an inline SVG chart grouped by
Korean party (each party a band, each of its relationships a track, a marker per dated step)
and, below it, each party's chronology with sources, folded.

The chart scales to the window (a viewBox, no horizontal scroll) and its tracks thin out as
relationships grow, so 500 of them stay on one page (tests/research/test_timeline_scale.py measures it in
Chromium). Ticks are yearly over a long span and monthly over a short one (`twinwatch timeline
--from/--to` zooms). Nothing is loaded from anywhere, so the file opens offline; links to
sources and to the review page are plain anchors.
"""

from __future__ import annotations

from html import escape
from itertools import groupby

from twinwatch.labels import labels
from store.relationship_model import Relationship, Step
from twinwatch.research.timeline import state_text

LABEL_WIDTH = 200
PLOT_WIDTH = 800
TOP = 34
MONTHLY_UP_TO_YEARS = 4  # a span this short (or shorter) gets a tick per month
COLOURS = {"letter_of_intent": "#7aa6c2", "mou": "#8fb58a", "friendship_city": "#e0a53a",
           "sister_city": "#c0392b", "suspended": "#555", "ended": "#000", "resumed": "#2e86de",
           "active": "#2e86de"}
LEGEND = (("sister_city", "자매결연"), ("friendship_city", "우호도시"), ("letter_of_intent", "의향서"),
          ("mou", "MOU"), ("suspended", "중단"), ("ended", "종료"), ("resumed", "재개"))
STATES_KO = {"active": "교류 중", "planned": "추진 중", "suspended": "중단", "ended": "종료"}
_CSS = """
body{font-family:'NanumGothic','Noto Sans CJK KR','Malgun Gothic',sans-serif;margin:1rem 1.5rem;
color:#222;word-break:keep-all}
h1{font-size:1.3rem} h2{font-size:1.05rem;margin-top:1.4rem}
#chart svg{width:100%;max-width:1100px;height:auto;display:block}
table{border-collapse:collapse;margin:.3rem 0 .8rem;font-size:.85rem;max-width:100%}
td,th{border:1px solid #ccc;padding:.2rem .4rem;vertical-align:top;text-align:left}
td.date{white-space:nowrap} td a{overflow-wrap:anywhere}
.legend span{display:inline-block;margin-right:1rem}
.legend i{display:inline-block;width:.8rem;height:.8rem;border-radius:50%;margin-right:.3rem}
details{margin:.15rem 0} summary{cursor:pointer}
svg text{font-size:11px} .party-label{font-weight:600} .axis{stroke:#ddd} .axis.year{stroke:#bbb}
"""


def _year_position(value: str | None) -> float | None:
    """A partial date as a fractional year (the middle of a month or year when that is all)."""
    if not value:
        return None
    try:
        parts = [int(p) for p in value.split("-")[:3]]
    except ValueError:
        return None
    if len(parts) == 1:
        return parts[0] + 0.5
    month_start = parts[0] + (parts[1] - 1) / 12
    return month_start + ((parts[2] - 1) / 365 if len(parts) == 3 else 1 / 24)


def track_height(count: int) -> float:
    """Roomy for a few relationships, thin for hundreds (500 → 5 units)."""
    return 22.0 if count <= 40 else 12.0 if count <= 150 else 5.0


def _tooltip(relationship: Relationship, step: Step) -> str:
    country = labels()["countries"].get(relationship.partner_country or "", relationship.partner_country)
    partner = relationship.partner + (f" ({country})" if country else "")
    status = "" if step.kind == "state" else (" 예정" if step.status == "planned" else " 체결")
    stage = dict(LEGEND).get(step.stage, step.label)
    return f"{relationship.korean_party} — {partner}: {stage}{status} {step.date or ''}".strip()


def _marker(relationship: Relationship, step: Step, x: float, y: float, radius: float,
            review_base_url: str) -> str:
    colour = COLOURS.get(step.stage, "#999")
    tip = escape(_tooltip(relationship, step))
    data = f'class="mark" data-stage="{escape(step.stage)}" data-date="{escape(step.date or "")}"'
    if step.kind == "state":
        r = radius
        points = f"{x:.1f},{y - r:.1f} {x + r:.1f},{y:.1f} {x:.1f},{y + r:.1f} {x - r:.1f},{y:.1f}"
        shape = f'<polygon {data} points="{points}" fill="{colour}"><title>{tip}</title></polygon>'
    else:
        fill = "white" if step.status == "planned" else colour
        shape = (f'<circle {data} cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="{fill}" '
                 f'stroke="{colour}" stroke-width="{max(radius / 3, 0.8):.1f}"><title>{tip}</title></circle>')
    if review_base_url and step.event_id is not None:
        href = escape(f"{review_base_url.rstrip('/')}/events/{step.event_id}")
        return f'<a href="{href}">{shape}</a>'
    return shape


def _ticks(first: float, last: float, x_of, height: float) -> list[str]:
    """Yearly ticks (every few years over a long span), or monthly ones over a short span."""
    parts = []
    span = last - first
    if span <= MONTHLY_UP_TO_YEARS:
        months = range(int(first * 12), int(last * 12) + 1)
        for month in months:
            year, index = divmod(month, 12)
            x = x_of(year + index / 12)
            label = f"{year}" if index == 0 else f"{index + 1}월"
            kind = "year" if index == 0 else "month"
            parts.append(f'<line class="axis {kind}" x1="{x:.1f}" y1="{TOP - 6}" x2="{x:.1f}" '
                         f'y2="{height}"/><text class="tick {kind}" x="{x:.1f}" y="{TOP - 10}" '
                         f'text-anchor="middle">{label}</text>')
        return parts
    step_years = max(1, int(span) // 12)
    for year in range(int(first), int(last) + 1, step_years):
        x = x_of(year)
        parts.append(f'<line class="axis year" x1="{x:.1f}" y1="{TOP - 6}" x2="{x:.1f}" y2="{height}"/>'
                     f'<text class="tick year" x="{x:.1f}" y="{TOP - 10}" text-anchor="middle">{year}</text>')
    return parts


def _span(chosen: list[Relationship], date_from: str, date_to: str) -> tuple[float, float]:
    positions = [p for r in chosen for s in r.steps if (p := _year_position(s.date)) is not None]
    first = _year_position(date_from) if date_from else None
    last = _year_position(date_to) if date_to else None
    if first is not None:
        first = int(first) + (int(date_from[5:7]) - 1) / 12 if len(date_from) >= 7 else float(int(first))
    if last is not None:
        last = int(last) + int(date_to[5:7]) / 12 if len(date_to) >= 7 else float(int(last) + 1)
    low = first if first is not None else (int(min(positions)) if positions else 2000)
    high = last if last is not None else (int(max(positions)) + 1 if positions else low + 1)
    return float(low), float(max(high, low + 1 / 12))


def chart(chosen: list[Relationship], review_base_url: str = "", date_from: str = "",
          date_to: str = "") -> str:
    """The SVG: a band per Korean party, a track per relationship; dated steps only."""
    first, last = _span(chosen, date_from, date_to)
    track = track_height(len(chosen))
    radius = min(7.0, track / 2 - 0.4)
    groups = [(party, list(members)) for party, members in
              groupby(sorted(chosen, key=lambda r: (r.korean_party, r.partner)), key=lambda r: r.korean_party)]
    band_gap = 6.0 if track < 12 else 10.0
    height = TOP + sum(max(len(m) * track, 14.0) + band_gap for _, m in groups) + 6

    def x_of(position: float) -> float:
        return LABEL_WIDTH + (position - first) / (last - first) * PLOT_WIDTH

    parts = [f'<svg id="timeline-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
             f'viewBox="0 0 {LABEL_WIDTH + PLOT_WIDTH + 20} {height:.0f}" '
             f'data-first="{first:.3f}" data-last="{last:.3f}" aria-label="관계 연표">']
    parts.extend(_ticks(first, last, x_of, height))
    y = float(TOP)
    for party, members in groups:
        band = max(len(members) * track, 14.0)
        parts.append(f'<g class="party" data-party="{escape(party)}">'
                     f'<rect x="0" y="{y:.1f}" width="{LABEL_WIDTH + PLOT_WIDTH + 20}" height="{band:.1f}" '
                     f'fill="#f6f6f6"/><text class="party-label" x="4" y="{y + min(band, 14) - 3:.1f}">'
                     f'{escape(party)}</text>')
        offset = (band - len(members) * track) / 2  # a lone thin track sits mid-band
        for index, relationship in enumerate(members):
            centre = y + offset + index * track + track / 2
            parts.append(_lane(relationship, centre, radius, x_of, first, last, review_base_url))
        parts.append("</g>")
        y += band + band_gap
    parts.append("</svg>")
    return "".join(parts)


def _lane(relationship: Relationship, y: float, radius: float, x_of, first: float, last: float,
          review_base_url: str) -> str:
    dated = [(p, s) for s in relationship.steps
             if (p := _year_position(s.date)) is not None and first <= p <= last]
    title = escape(f"{relationship.korean_party} — {relationship.partner}")
    parts = [f'<g class="lane" data-state="{relationship.state}"><title>{title}</title>']
    if dated:
        parts.append(f'<line x1="{x_of(dated[0][0]):.1f}" y1="{y:.1f}" x2="{x_of(dated[-1][0]):.1f}" '
                     f'y2="{y:.1f}" stroke="#999" stroke-width="{max(radius / 2, 1):.1f}"/>')
    parts.extend(_marker(relationship, step, x_of(p), y, radius, review_base_url) for p, step in dated)
    parts.append("</g>")
    return "".join(parts)


def _step_rows(relationship: Relationship, review_base_url: str) -> str:
    rows = []
    for step in relationship.steps:
        links = "<br>".join(
            f'<a href="{escape(s.url)}">{escape(s.title or s.url)}</a>'
            + (f" ({escape(s.published)})" if s.published else "") for s in step.sources)
        origin = f"사건 {step.event_id}" if step.event_id is not None else step.origin
        if step.event_id is not None and review_base_url:
            origin = (f'<a href="{escape(review_base_url.rstrip("/"))}/events/{step.event_id}">'
                      f"{escape(origin)}</a>")
        else:
            origin = escape(origin)
        if step.reviewer:
            origin += f" — {escape(step.reviewer)}" + (f": {escape(step.reason)}" if step.reason else "")
        rows.append(f'<tr><td class="date">{escape(step.date or "?")}</td><td>{escape(step.label)}</td>'
                    f"<td>{origin}</td><td>{escape(step.review_state or '')}</td>"
                    f"<td>{escape(step.evidence or '')}</td><td>{links}</td></tr>")
    return "".join(rows)


def _party_section(party: str, members: list[Relationship], review_base_url: str) -> str:
    tables = []
    for relationship in members:
        country = relationship.partner_country or "?"
        tables.append(
            f"<h3>{escape(party)} — {escape(relationship.partner)} ({escape(country)})</h3>"
            f"<p>단계: {escape(_stage_ko(relationship.stage))} · 상태: "
            f"{escape(STATES_KO.get(relationship.state, relationship.state))} "
            f"({escape(state_text(relationship))})</p>"
            "<table><tr><th>날짜</th><th>단계</th><th>출처</th><th>검토</th><th>근거</th><th>기사</th></tr>"
            f"{_step_rows(relationship, review_base_url)}</table>")
    return (f'<details class="party-chronology"><summary>{escape(party)} — 관계 {len(members)}개'
            f"</summary>{''.join(tables)}</details>")


def _stage_ko(stage: str | None) -> str:
    return dict(LEGEND).get(stage or "", "체결 없음")


def render(chosen: list[Relationship], heading: str, review_base_url: str = "",
           date_from: str = "", date_to: str = "") -> str:
    """The whole page."""
    legend = "".join(f'<span><i style="background:{COLOURS[stage]}"></i>{escape(label)}</span>'
                     for stage, label in LEGEND)
    ordered = sorted(chosen, key=lambda r: (r.korean_party, r.partner))
    groups = [(party, list(m)) for party, m in groupby(ordered, key=lambda r: r.korean_party)]
    sections = "".join(_party_section(party, members, review_base_url) for party, members in groups)
    period = f" · 기간 {escape(date_from or '처음')} ~ {escape(date_to or '지금')}" if date_from or date_to else ""
    return ("<!DOCTYPE html><html lang=\"ko\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(heading)}</title><style>{_CSS}</style></head><body>"
            f"<h1>{escape(heading)}</h1><p>관계 {len(chosen)}개 · 한국 측 {len(groups)}곳{period}. "
            "채운 원: 체결, 빈 원: 예정, 마름모: 중단·종료·재개. 표시에 마우스를 올리면 이름이 보입니다.</p>"
            f'<p class="legend">{legend}</p>'
            f'<div id="chart">{chart(chosen, review_base_url, date_from, date_to)}</div>'
            f"<h2>연표와 출처</h2>{sections}</body></html>\n")
