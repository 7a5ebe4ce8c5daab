"""Running the engine on a short article written in a test, and comparing what it found.

Partners are compared on their name key (spaces, glosses and one administrative suffix
removed), as the scorer does; an expected type may be a tuple of acceptable types.
"""

from __future__ import annotations

from extract.core import find_events
from extract.records import Document
from extract.rules.drafts import name_key

Expected = tuple[str, str, str | tuple[str, ...], str | None, str]


def page(body: str, title: str | None = None, published: str = "2024-05-20") -> Document:
    text = f"{title}\n{body}" if title else body
    return Document(url="test.html", text=text, title=title, published=published)


def matches(found: list[tuple[str, str, str, str | None, str]], expected: list[Expected]) -> bool:
    """Every expected event found once and nothing else; types may be a set of acceptable ones."""
    if len(found) != len(expected):
        return False
    left = list(found)
    for party, partner, kinds, date, status in expected:
        kinds = (kinds,) if isinstance(kinds, str) else kinds
        hit = next((f for f in left if name_key(f[0]) == name_key(party) and name_key(f[1]) == name_key(partner)
                    and f[2] in kinds and f[3] == date and f[4] == status), None)
        if hit is None:
            return False
        left.remove(hit)
    return True


def run(title: str | None, body: str, published: str = "2024-05-20") -> list[tuple[str, str, str, str | None, str]]:
    return [(e.korean_party, e.partner, e.agreement_type, e.date, e.status)
            for e in find_events(page(body, title=title, published=published))]
