"""The timeline as one self-contained HTML file: inline CSS, an inline SVG swimlane chart (one
lane per relationship, a marker per dated step) and the chronology with sources below it.

Nothing is loaded from anywhere: no fonts, scripts or images from a network, so the file opens
offline and a browser makes no request for it. Links to sources are plain anchors.
"""

from __future__ import annotations

from html import escape

from store.relationship_model import Relationship, Step
from twinwatch.research.timeline import state_text

LANE_HEIGHT = 34
LABEL_WIDTH = 240
PLOT_WIDTH = 760
TOP = 30
COLOURS = {"letter_of_intent": "#7aa6c2", "mou": "#8fb58a", "friendship_city": "#e0a53a",
           "sister_city": "#c0392b", "suspended": "#555", "ended": "#000", "resumed": "#2e86de",
           "active": "#2e86de"}
_CSS = """
body{font-family:system-ui,'Noto Sans KR','Malgun Gothic',sans-serif;margin:1.5rem;color:#222}
h1{font-size:1.3rem} h2{font-size:1.05rem;margin-top:1.6rem}
table{border-collapse:collapse;margin:.4rem 0 1rem;font-size:.9rem}
td,th{border:1px solid #ccc;padding:.25rem .5rem;vertical-align:top;text-align:left}
.legend span{display:inline-block;margin-right:1rem}
.legend i{display:inline-block;width:.8rem;height:.8rem;border-radius:50%;margin-right:.3rem}
svg text{font-size:12px} .lane-label{font-weight:600} .axis{stroke:#bbb}
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


def _marker(step: Step, x: float, y: float) -> str:
    colour = COLOURS.get(step.stage, "#999")
    tip = escape(f"{step.date} {step.label} ({step.origin})")
    data = f'class="mark" data-stage="{escape(step.stage)}" data-date="{escape(step.date or "")}"'
    if step.kind == "state":
        points = f"{x},{y - 7} {x + 7},{y} {x},{y + 7} {x - 7},{y}"
        return f'<polygon {data} points="{points}" fill="{colour}"><title>{tip}</title></polygon>'
    fill = "white" if step.status == "planned" else colour
    return (f'<circle {data} cx="{x:.1f}" cy="{y}" r="7" fill="{fill}" stroke="{colour}" '
            f'stroke-width="2"><title>{tip}</title></circle>')


def chart(chosen: list[Relationship]) -> str:
    """The SVG swimlanes; dated steps only (undated ones are in the tables below)."""
    years = [p for r in chosen for s in r.steps if (p := _year_position(s.date)) is not None]
    first, last = (int(min(years)), int(max(years)) + 1) if years else (2000, 2001)
    span = max(last - first, 1)
    height = TOP + LANE_HEIGHT * max(len(chosen), 1) + 10

    def x_of(position: float) -> float:
        return LABEL_WIDTH + (position - first) / span * PLOT_WIDTH

    parts = [f'<svg id="timeline-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
             f'width="{LABEL_WIDTH + PLOT_WIDTH + 20}" height="{height}" '
             f'aria-label="relationship timeline">']
    step_years = max(1, span // 12)
    for year in range(first, last + 1, step_years):
        x = x_of(year)
        parts.append(f'<line class="axis" x1="{x:.1f}" y1="{TOP - 8}" x2="{x:.1f}" y2="{height}"/>'
                     f'<text x="{x:.1f}" y="{TOP - 12}" text-anchor="middle">{year}</text>')
    for lane, relationship in enumerate(chosen):
        y = TOP + LANE_HEIGHT * lane + LANE_HEIGHT // 2
        dated = [(p, s) for s in relationship.steps if (p := _year_position(s.date)) is not None]
        label = escape(f"{relationship.korean_party} — {relationship.partner}")
        parts.append(f'<g class="lane" data-state="{relationship.state}">'
                     f'<text class="lane-label" x="4" y="{y + 4}">{label}</text>')
        if dated:
            parts.append(f'<line x1="{x_of(dated[0][0]):.1f}" y1="{y}" x2="{x_of(dated[-1][0]):.1f}" '
                         f'y2="{y}" stroke="#999" stroke-width="3"/>')
        parts.extend(_marker(step, x_of(position), y) for position, step in dated)
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def _step_rows(relationship: Relationship) -> str:
    rows = []
    for step in relationship.steps:
        links = "<br>".join(
            f'<a href="{escape(s.url)}">{escape(s.title or s.url)}</a>'
            + (f" ({escape(s.published)})" if s.published else "") for s in step.sources)
        origin = f"event {step.event_id}" if step.event_id is not None else step.origin
        if step.reviewer:
            origin += f" — {escape(step.reviewer)}" + (f": {escape(step.reason)}" if step.reason else "")
        rows.append(f"<tr><td>{escape(step.date or '?')}</td><td>{escape(step.label)}</td>"
                    f"<td>{escape(origin)}</td><td>{escape(step.review_state or '')}</td>"
                    f"<td>{escape(step.evidence or '')}</td><td>{links}</td></tr>")
    return "".join(rows)


def render(chosen: list[Relationship], heading: str) -> str:
    """The whole page."""
    legend = "".join(f'<span><i style="background:{colour}"></i>{escape(stage)}</span>'
                     for stage, colour in COLOURS.items() if stage != "active")
    sections = []
    for relationship in chosen:
        state = state_text(relationship)
        sections.append(
            f"<h2>{escape(relationship.korean_party)} — {escape(relationship.partner)} "
            f"({escape(relationship.partner_country or '?')})</h2>"
            f"<p>stage: {escape(relationship.stage or 'none signed')} · state: {escape(state)}</p>"
            "<table><tr><th>date</th><th>step</th><th>from</th><th>review</th><th>evidence</th>"
            f"<th>sources</th></tr>{_step_rows(relationship)}</table>")
    return ("<!DOCTYPE html><html lang=\"ko\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(heading)}</title><style>{_CSS}</style></head><body>"
            f"<h1>{escape(heading)}</h1><p>{len(chosen)} relationships. Filled circle: signed; "
            "hollow: planned; diamond: suspended, ended or resumed.</p>"
            f'<p class="legend">{legend}</p><div id="chart">{chart(chosen)}</div>'
            + "".join(sections) + "</body></html>\n")
