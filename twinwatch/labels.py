"""The Korean words every screen shows for stored codes: agreement types, statuses, review
states, countries, and the spellings of each 광역 government (twinwatch/labels.toml).

The digest, the review page and the research exports all speak them, so they live in the
kernel: each of those stages reads them without importing another.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any, Mapping


@cache
def labels() -> Mapping[str, Any]:
    """twinwatch/labels.toml: Korean labels for types, states, countries; province spellings."""
    text = resources.files("twinwatch").joinpath("labels.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def province_key(name: str | None) -> str | None:
    """'경상남도', '경남' → '경남'; None for anything that is not a 광역 government."""
    if not name:
        return None
    for short, spellings in labels()["provinces"].items():
        if name in spellings:
            return str(short)
    return None
