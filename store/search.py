"""Korean full-text search over documents' titles and texts.

Korean words carry particles (훈춘시와, 훈춘에서), so whole-token search misses them. The FTS5
index uses the trigram tokenizer, which finds any substring of three or more characters; words of
one or two characters (훈춘, 시) cannot be trigram-matched and are checked with LIKE instead.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from store.records import SearchHit

TRIGRAM = 3
SNIPPET_CHARS = 60


def _like_pattern(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _fts_phrase(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def search_documents(db: Database, query: str, limit: int = 20) -> list[SearchHit]:
    """Documents holding every word of `query`; newest first."""
    words = query.split()
    if not words:
        return []
    long_words = [w for w in words if len(w) >= TRIGRAM]
    short_words = [w for w in words if len(w) < TRIGRAM]
    where: list[str] = []
    params: list[Any] = []
    if long_words:
        where.append("d.id IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)")
        params.append(" AND ".join(_fts_phrase(w) for w in long_words))
    for word in short_words:
        where.append("(d.title LIKE ? ESCAPE '\\' OR d.text LIKE ? ESCAPE '\\')")
        params.extend([_like_pattern(word)] * 2)
    params.append(limit)
    rows = db.query(
        f"""SELECT d.id, d.canonical_url, d.title, d.published, d.source, d.text FROM documents d
            WHERE {' AND '.join(where)}
            ORDER BY d.published DESC, d.id DESC LIMIT ?""", params)
    return [SearchHit(row["id"], row["canonical_url"], row["title"], row["published"],
                      row["source"], snippet(row["text"] or row["title"] or "", words[0]))
            for row in rows]


def snippet(text: str, word: str) -> str:
    """A short stretch of `text` around the first occurrence of `word`, on one line."""
    at = text.find(word)
    if at < 0:
        at = 0
    start = max(0, at - SNIPPET_CHARS // 2)
    piece = " ".join(text[start:start + SNIPPET_CHARS + len(word)].split())
    return ("…" if start else "") + piece + ("…" if start + SNIPPET_CHARS + len(word) < len(text) else "")
