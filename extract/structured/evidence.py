"""Where a row, line or field sits in `Document.text`, so evidence is a real slice of it.

Readers work on cells and lines (from HTML, CSV or text); the page reader's `Document.text` may
join them with other whitespace. The locator searches with whitespace collapsed and maps the hit
back to original offsets; `text[start:end]` is then the evidence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

WHITESPACE = re.compile(r"\s+")
LABEL_BREAK = re.compile(r"\s+[:：]\s+")
CELL_BREAK = r"(?:\s*[|│,:：\-•·]?\s*)"
# How far apart two cells of one row may sit in the collapsed text.
CELL_GAP = 120


class TextLocator:
    """Finds cells and lines of a document's text, in reading order where possible."""

    def __init__(self, text: str) -> None:
        self.text = text
        collapsed: list[str] = []
        offsets: list[int] = []
        previous_space = False
        for index, char in enumerate(text):
            if char.isspace():
                if previous_space:
                    continue
                collapsed.append(" ")
                previous_space = True
            else:
                collapsed.append(char)
                previous_space = False
            offsets.append(index)
        self.collapsed = "".join(collapsed)
        self.offsets = offsets
        self.cursor = 0

    def span(self, pieces: Sequence[str]) -> tuple[int, int] | None:
        """The span from the first to the last of `pieces`, found in order, near the cursor."""
        wanted = [WHITESPACE.sub(" ", piece).strip() for piece in pieces
                  if piece and piece.strip() and not piece.strip().isdigit()]  # 연번 cells
        if not wanted:
            return None
        # 'label : value' lines were made from <dt>/<dd> or <th>/<td>: the text may lack the colon
        split = [part for piece in wanted for part in LABEL_BREAK.split(piece) if part]
        for attempt in (wanted, split) if split != wanted else (wanted,):
            for start_at in (self.cursor, 0):
                found = self._find_exact(attempt, start_at) or self._find_run(attempt, start_at)
                if found:
                    self.cursor = found[0]
                    return self._original(found)
        return None

    def _find_exact(self, wanted: list[str], start_at: int) -> tuple[int, int] | None:
        """The pieces one after another with only whitespace or cell rules between (a whole
        row or line)."""
        pattern = CELL_BREAK.join(re.escape(piece) for piece in wanted)
        match = re.compile(pattern).search(self.collapsed, start_at)
        return (match.start(), match.end()) if match else None

    def _find_run(self, wanted: list[str], start_at: int) -> tuple[int, int] | None:
        """The tightest run of the pieces: each start of the first piece found is tried and
        the one followed by most of the others wins (a leading cell may be missing)."""
        for first_index, first in enumerate(wanted):
            best: tuple[int, int, int] | None = None  # (pieces found, start, end)
            position = self.collapsed.find(first, start_at)
            while position >= 0:
                end, hits = position + len(first), 1
                for piece in wanted[first_index + 1:]:
                    following = self.collapsed.find(piece, end, end + CELL_GAP + len(piece))
                    if following >= 0:
                        end, hits = following + len(piece), hits + 1
                if best is None or hits > best[0] or (hits == best[0] and end - position
                                                      < best[2] - best[1]):
                    best = (hits, position, end)
                if hits == len(wanted) - first_index:
                    break
                position = self.collapsed.find(first, position + 1)
            if best is not None:
                return best[1], best[2]
        return None

    def _original(self, span: tuple[int, int]) -> tuple[int, int]:
        start, end = span
        return self.offsets[start], self.offsets[end - 1] + 1

    def evidence(self, pieces: Sequence[str]) -> tuple[str, tuple[int, int]]:
        """(evidence, span) for a row's cells or a line.

        When the text holds none of the pieces (a page reader that dropped the table), the
        evidence is the pieces joined and the span (0, 0): stated, not located.
        """
        found = self.span(pieces)
        if found is None:
            return " ".join(piece.strip() for piece in pieces if piece.strip()), (0, 0)
        return self.text[found[0]:found[1]], found
