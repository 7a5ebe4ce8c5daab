"""What a person types, checked before it is stored: dates, countries, types, states.

Every entry point (the `review` commands, the review page, config files) calls these, so the
same value is accepted or refused the same way everywhere, with one message naming the field.
"""

from __future__ import annotations

import functools
import gettext
import unicodedata
from datetime import date
from typing import Iterable

from twinwatch.errors import TwinwatchError
from twinwatch.labels import labels

# Agreements between governments are dated in living memory; a year outside this range is a
# typing slip (2205 for 2025), not an agreement.
FIRST_YEAR, LAST_YEAR = 1900, 2100


class InvalidValue(TwinwatchError, ValueError):
    """A typed value is not one the field takes; the message names the field."""


def calendar_date(value: str, field: str = "date", *, day_only: bool = False,
                  plausible: bool = True) -> str:
    """`value` if it is a real calendar date — YYYY, YYYY-MM or YYYY-MM-DD (only the last
    with `day_only`) — in FIRST_YEAR..LAST_YEAR (any year for a filter: not `plausible`);
    else InvalidValue naming `field`."""
    text = str(value).strip()
    shapes = "YYYY-MM-DD" if day_only else "YYYY, YYYY-MM or YYYY-MM-DD"
    parts = text.split("-")
    wanted = (3,) if day_only else (1, 2, 3)
    if len(parts) not in wanted or [len(p) for p in parts] != [4, 2, 2][:len(parts)] \
            or not all(p.isascii() and p.isdigit() for p in parts):
        raise InvalidValue(f"{field} must be a date as {shapes}, not {value!r}")
    numbers = [int(p) for p in parts] + [1] * (3 - len(parts))
    try:
        date(*numbers)
    except ValueError:
        raise InvalidValue(f"{field}: {value!r} is not a real calendar date") from None
    if plausible and not FIRST_YEAR <= numbers[0] <= LAST_YEAR:
        raise InvalidValue(f"{field}: year {numbers[0]} is outside {FIRST_YEAR}–{LAST_YEAR}")
    return text


def _key(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).casefold().split())


@functools.cache
def _country_names() -> dict[str, str]:
    """Every accepted spelling (casefolded, without spaces) → ISO 3166-1 alpha-2 code: the
    codes themselves (alpha-2 and alpha-3) and ISO's English names (pycountry) with their Korean
    translations (iso-codes), the names people use (CLDR via babel: Russia, 러시아, 북한), and
    the Korean names the digest prints."""
    import pycountry  # ~0.2 s together: only when a country is typed
    from babel import Locale
    korean = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ko"],
                                 fallback=True)
    names: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        spellings = [code, country.alpha_3, country.name, getattr(country, "official_name", ""),
                     getattr(country, "common_name", "")]
        spellings += [korean.gettext(s) for s in spellings[2:] if s]
        for spelling in spellings:
            if spelling:
                names.setdefault(_key(spelling), code)
    for language in ("en", "ko"):
        for code, name in Locale(language).territories.items():
            if pycountry.countries.get(alpha_2=code) is not None:  # not EU, UN, 001 …
                names.setdefault(_key(name), code)
    for code, label in labels()["countries"].items():
        names[_key(label)] = code
    return names


def country_code(value: str, field: str = "partner_country") -> str:
    """The ISO alpha-2 code of a code or an English or Korean country name ('cn', 'China',
    '중국' → 'CN'); InvalidValue naming `field` for anything else."""
    code = _country_names().get(_key(str(value)))
    if code is None:
        raise InvalidValue(f"{field}: unknown country {value!r} (give an ISO code such as CN, "
                           f"or a name such as 중국 or China)")
    return code


def one_of(value: str, choices: Iterable[str], field: str) -> str:
    """`value` when it is one of `choices`; else InvalidValue listing them."""
    allowed = tuple(choices)
    if value not in allowed:
        raise InvalidValue(f"{field} must be one of {', '.join(allowed)}, not {value!r}")
    return value


@functools.cache
def _province_spellings() -> frozenset[str]:
    return frozenset(s for spellings in labels()["provinces"].values() for s in spellings)


def province(value: str, field: str = "korean_province") -> str:
    """`value` when it names a 광역 government (경상남도, 경남 …); else InvalidValue."""
    text = str(value).strip()
    if text not in _province_spellings():
        raise InvalidValue(f"{field}: {value!r} is not a 광역 government (e.g. 경상남도 or 경남)")
    return text
