"""URL canonicalisation: one spelling per page, so a re-crawl and a second feed find the same key."""

from __future__ import annotations

import re
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

import courlan

# Only parameters that are tracking by construction. courlan's own tracker pattern also drops
# names that merely start with "ga", "ref", "source" or contain "cid"/"uid" (e.g. `gallery_id`,
# `cid`), which on a municipal board can be the article id itself; two press releases would
# then collapse into one key. So the query is filtered here, and courlan normalises the rest.
TRACKING_PARAM = re.compile(
    r"^(?:utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|twclid|igshid|mc_cid|mc_eid"
    r"|_hsenc|_hsmi|mkt_tok|oly_anon_id|oly_enc_id|vero_id|_ga|_gl|spm|ncid|n_media|n_query)$",
    re.IGNORECASE,
)
UNESCAPED = re.compile(r"[^\x21-\x7e]+")
# A servlet session id glued to the path (`list.do;jsessionid=ABC?x=1`) changes per visit.
SESSION_IN_PATH = re.compile(r";jsessionid=[^/?#]*", re.IGNORECASE)


def _kept_query(query: str) -> str:
    """Drop tracking pairs; keep the rest byte for byte (EUC-KR %-escapes must not be re-encoded)."""
    pairs = [pair for pair in query.split("&") if pair]
    kept = [pair for pair in pairs if not TRACKING_PARAM.match(unquote(pair.split("=", 1)[0]))]
    # Raw Hangul and spaces become UTF-8 escapes, as a browser sends them, so `?q=자매` and
    # `?q=%EC%9E%90%EB%A7%A4` are one key; escapes already there stay as they are.
    return UNESCAPED.sub(lambda found: quote(found.group(), safe=""), "&".join(kept))


def canonical_url(url: str, base: str | None = None) -> str:
    """The key a page is stored under: absolute, lower-case scheme and host, default port and
    fragment removed, `..` resolved, tracking parameters and session ids removed.

    Raises ValueError for anything that is not an http(s) URL.
    """
    absolute = urljoin(base, url.strip()) if base else url.strip()
    parts = urlsplit(absolute)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValueError(f"not an http(s) URL: {url!r}")
    path = SESSION_IN_PATH.sub("", parts.path) or "/"
    if "/." in path:  # courlan leaves `a/../b` as is; urljoin applies RFC 3986 dot removal
        path = urlsplit(urljoin(f"{parts.scheme}://{parts.netloc}/", path)).path
    # Without its query courlan has nothing of ours to strip; it lower-cases, drops the default
    # port and the fragment (strict=True), and normalises the path's escapes.
    bare = courlan.normalize_url(urlunsplit((parts.scheme, parts.netloc, path, "", "")), strict=True)
    query = _kept_query(parts.query)
    return f"{bare}?{query}" if query else bare


def host_of(url: str) -> str:
    """`scheme://host[:port]`: the unit robots.txt and the per-host delay apply to."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"
