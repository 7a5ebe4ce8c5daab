"""A cheap first look at a document before the NLP: is it Korean, and could it report an agreement?

Kiwi costs tens of milliseconds per page; most pages a municipal board or a news feed yields
(road works, vaccination notices) cannot hold an exchange agreement at all. A page reaches
`find_events` only when it is mostly Hangul and names at least one agreement word. The word list
is deliberately wide — missing an agreement costs more than extracting nothing from a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from extract.records import Document
from twinwatch.errors import ConfigError

# Every wording of the four agreement types in ../shared/eval/README.md contains one of these.
DEFAULT_KEYWORDS = ("자매", "우호", "의향서", "협약", "협정", "MOU", "교류", "양해각서", "결연",
                    "비망록", "협력각서", "MOC", "약정", "합의서", "친선")
# Share of Hangul among the letters of the text; Korean news with Latin names and numbers
# stays far above it, English releases with a Korean name or two stay far below.
DEFAULT_MIN_HANGUL_SHARE = 0.3


@dataclass(frozen=True, slots=True)
class Prefilter:
    keywords: tuple[str, ...] = DEFAULT_KEYWORDS
    min_hangul_share: float = DEFAULT_MIN_HANGUL_SHARE

    @classmethod
    def from_section(cls, section: Mapping[str, Any] | None) -> "Prefilter":
        """From the `[prefilter]` table of the config (keys `keywords`, `min_hangul_share`)."""
        section = dict(section or {})
        unknown = sorted(set(section) - {"keywords", "min_hangul_share"})
        if unknown:
            raise ConfigError(f"[prefilter] unknown key {unknown[0]!r}")
        keywords = section.get("keywords", DEFAULT_KEYWORDS)
        if not isinstance(keywords, (list, tuple)) or not keywords or \
                not all(isinstance(k, str) and k.strip() for k in keywords):
            raise ConfigError("[prefilter] keywords must be a non-empty list of words")
        share = section.get("min_hangul_share", DEFAULT_MIN_HANGUL_SHARE)
        if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 <= share <= 1:
            raise ConfigError(f"[prefilter] min_hangul_share must be a number from 0 to 1, not {share!r}")
        return cls(keywords=tuple(keywords), min_hangul_share=float(share))

    def mentions_a_keyword(self, text: str) -> bool:
        folded = text.casefold()
        return any(keyword.casefold() in folded for keyword in self.keywords)

    def drop_reason(self, document: Document) -> str | None:
        """None when the document should go on to extraction, else the reason it stops here."""
        text = f"{document.title or ''}\n{document.text}"
        if hangul_share(text) < self.min_hangul_share:
            return "not_korean"
        if not self.mentions_a_keyword(text):
            return "off_topic"
        return None


def hangul_share(text: str) -> float:
    """Hangul syllables and jamo among all alphabetic characters (0.0 for a text without letters)."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    hangul = sum(1 for ch in letters if "\uac00" <= ch <= "\ud7a3" or "\u1100" <= ch <= "\u11ff"
                 or "\u3130" <= ch <= "\u318f")
    return hangul / len(letters)
