"""The one polite fetcher every source kind and the pipeline use.

Politeness, in the order a request meets it: robots.txt (protego; read once per host, kept 24
hours, or 10 minutes when it could not be read, so a long-running scheduler sees new rules), a
minimum delay per host, a timeout for the whole exchange (robots.txt's too), a maximum body
size, retries with exponential backoff on 429/5xx/timeouts that honour Retry-After, conditional
GET, and redirects followed one hop at a time so each hop passes robots and the delay again.
One URL — its retries, their waits and its redirects — never costs more than
`max_seconds_per_url`: a retry whose wait would pass that is not made.

The per-host delay is measured from the END of the previous exchange with that host (the last
byte read, or the error) to the start of the next one, so a slow server gets more rest, not
less; a robots.txt Crawl-delay longer than ours wins. Requests to one host are serialised by a
per-host lock; different hosts run in parallel.
"""

from __future__ import annotations

import email.utils
import logging
import re
import threading
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Mapping, Sequence
from urllib.parse import urljoin, urlsplit

import requests
from protego import Protego
from urllib3.exceptions import ProtocolError, ReadTimeoutError

from crawler.deadline import BodyTooLarge, Deadline, LateBody, mount_deadlines, read_until
from crawler.listing_cache import ListingCache
from twinwatch.pages.records import FetchResult
from crawler.urls import canonical_url, host_of
from twinwatch.config import CrawlerConfig
from twinwatch.errors import FetchError

log = logging.getLogger(__name__)

# What a POST carries: form fields as a mapping or ordered pairs.
FormData = Mapping[str, str] | Sequence[tuple[str, str]] | None
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309 §2.5: parse at least 500 KiB; ignore the rest
ROBOTS_TTL_SECONDS = 24 * 3600.0
ROBOTS_RETRY_SECONDS = 600.0


@dataclass(slots=True)
class FetchCounters:
    """Running totals for benchmarks and `sources` health. Read them with `snapshot()`."""

    requests: int = 0  # HTTP requests sent, robots.txt and every retry and redirect hop included
    bytes_received: int = 0  # body bytes as they came over the wire (before gzip decoding)
    not_modified: int = 0  # 304 answers to conditional GETs
    retries: int = 0  # requests repeated after a 429/5xx/timeout/connection error
    errors: int = 0  # fetches that ended in FetchError
    robots_disallowed: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, **amounts: int) -> None:
        with self.lock:
            for name, amount in amounts.items():
                setattr(self, name, getattr(self, name) + amount)

    def snapshot(self) -> dict[str, int]:
        with self.lock:
            return {
                "requests": self.requests,
                "bytes_received": self.bytes_received,
                "not_modified": self.not_modified,
                "retries": self.retries,
                "errors": self.errors,
                "robots_disallowed": self.robots_disallowed,
            }


@dataclass(slots=True)
class _HostState:
    lock: threading.Lock = field(default_factory=threading.Lock)
    ready_at: float = 0.0  # monotonic time before which no request may start
    robots: Protego | None = None
    robots_error: str | None = None  # set when robots.txt could not be read (RFC 9309: disallow)
    robots_expires: float = 0.0  # monotonic time after which robots.txt is read again


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    url: str


BROWSER_TOKENS = frozenset({"mozilla", "applewebkit", "chrome", "safari", "gecko", "khtml", "version"})
PRODUCT_TOKEN = re.compile(r"([A-Za-z][\w.-]*)/[\w.]+")


def robots_agent(user_agent: str) -> str:
    """The product token robots.txt groups are matched against: `twinwatch/0.1 (+…)` →
    `twinwatch`; in a browser-like `Mozilla/5.0 (compatible; twinwatch/0.1; …)` the first token
    that is not a browser's."""
    products = [p for p in PRODUCT_TOKEN.findall(user_agent) if p.lower() not in BROWSER_TOKENS]
    if products:
        return products[0]
    words = user_agent.split()
    return words[0] if words else "*"


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date; None if absent/bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


class Fetcher:
    """One requests Session with the crawler's manners. Thread-safe; close() when done."""

    def __init__(
        self,
        config: CrawlerConfig,
        session: requests.Session | None = None,
        listing_cache: ListingCache | None = None,
    ) -> None:
        self.config = config
        self.listing_cache = listing_cache
        self.session = session or requests.Session()
        mount_deadlines(self.session)  # the timeout covers headers sent a byte at a time too
        self.session.headers["User-Agent"] = config.user_agent
        self.counters = FetchCounters()
        self._hosts: dict[str, _HostState] = {}
        self._hosts_lock = threading.Lock()
        self._agent = robots_agent(config.user_agent)

    def close(self) -> None:
        self.session.close()
        close_cache = getattr(self.listing_cache, "close", None)  # a SqliteListingCache holds a file
        if close_cache is not None:
            close_cache()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- public ---------------------------------------------------------------------------

    def fetch(
        self,
        url: str,
        *,
        method: str = "GET",
        data: FormData = None,
        etag: str | None = None,
        last_modified: str | None = None,
        key: str | None = None,
        headers: Mapping[str, str] | None = None,
        obey_robots: bool | None = None,
    ) -> FetchResult:
        """Fetch `url` (canonicalised first). A 304 to the conditional headers gives a
        FetchResult with `not_modified=True` and no body. `key` overrides the URL the result is
        filed under (a POST article's synthetic key); `headers` are sent as well (API keys);
        `obey_robots=False` skips robots.txt for this call only (an API we hold keys for).
        Raises FetchError(reason)."""
        try:
            target = canonical_url(url)
        except ValueError as exc:
            self.counters.add(errors=1)
            raise FetchError("bad_url", str(exc)) from exc
        sent = dict(headers or {})
        if method == "GET" and etag:
            sent["If-None-Match"] = etag
        if method == "GET" and last_modified:
            sent["If-Modified-Since"] = last_modified
        robots = self.config.obey_robots if obey_robots is None else obey_robots
        try:
            answer = self._follow(target, method, data, sent, robots)
        except FetchError:
            self.counters.add(errors=1)
            raise
        if answer.status == 304:
            self.counters.add(not_modified=1)
        return FetchResult(
            url=key or target,
            body=answer.body,
            final_url=answer.url,
            status=answer.status,
            headers=answer.headers,
            discovered_via="live",
            not_modified=answer.status == 304,
        )

    def fetch_listing(
        self, url: str, *, headers: Mapping[str, str] | None = None, obey_robots: bool | None = None
    ) -> FetchResult:
        """Fetch a feed, list page or sitemap. With a listing cache, the request is conditional
        and a 304 hands back the kept copy (marked not_modified), so callers always get a body."""
        kept = self.listing_cache.get(canonical_url(url)) if self.listing_cache is not None else None
        result = self.fetch(
            url,
            etag=kept.etag if kept else None,
            last_modified=kept.last_modified if kept else None,
            headers=headers,
            obey_robots=obey_robots,
        )
        if result.not_modified and kept is not None:
            return replace(kept, not_modified=True, status=304, fetched_at=result.fetched_at)
        if self.listing_cache is not None and (result.etag or result.last_modified):
            self.listing_cache.put(result)
        return result

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets us fetch `url` (reads robots.txt on first use of a host)."""
        return self._robots_verdict(url) is None

    # -- redirects ------------------------------------------------------------------------

    def _follow(
        self, url: str, method: str, data: FormData, headers: dict[str, str], robots: bool
    ) -> _Answer:
        seen = [url]
        deadline = time.monotonic() + self.config.max_seconds_per_url
        while True:
            answer = self._with_retries(url, method, data, headers, robots, deadline)
            if answer.status not in REDIRECT_STATUSES:
                if answer.status == 304 or 200 <= answer.status < 300:
                    return answer
                raise FetchError(f"fetch_error: {answer.status}", f"{url}: HTTP {answer.status}")
            location = answer.headers.get("location")
            if not location:
                raise FetchError(f"fetch_error: {answer.status}", f"{url}: redirect without Location")
            try:
                target = canonical_url(urljoin(url, location))
            except ValueError as exc:
                raise FetchError("bad_redirect", f"{url}: redirect to {location!r}") from exc
            if host_of(target) != host_of(url):
                headers = {}  # API keys and validators are for the host they were meant for
            url = target
            if url in seen:
                raise FetchError("redirect_loop", f"redirect loop: {' -> '.join(seen + [url])}")
            seen.append(url)
            if len(seen) - 1 > self.config.max_redirects:
                raise FetchError("too_many_redirects", f"more than {self.config.max_redirects} redirects from {seen[0]}")
            if answer.status in (301, 302, 303) and method == "POST":
                method, data = "GET", None  # what browsers do; 307/308 keep the method and body

    # -- retries --------------------------------------------------------------------------

    def _with_retries(
        self, url: str, method: str, data: FormData, headers: dict[str, str], robots: bool,
        deadline: float,
    ) -> _Answer:
        attempt = 0
        while True:
            try:
                answer = self._exchange(url, method, data, headers, robots, deadline)
                retryable = answer.status == 429 or answer.status >= 500
                failure = f"fetch_error: {answer.status}"
                wait_hint = parse_retry_after(answer.headers.get("retry-after"))
            except _Transient as exc:
                answer, retryable, failure, wait_hint = None, True, exc.reason, None
            wait = self.config.backoff_seconds * (2**attempt)
            if wait_hint is not None:
                # Retry-After is the server's own figure: honour it, but never sleep longer
                # than max_retry_after_seconds on one page.
                wait = min(wait_hint, self.config.max_retry_after_seconds)
            # A retry that could only start after the URL's deadline is not worth waiting for.
            out_of_time = time.monotonic() + wait >= deadline
            if not retryable or attempt >= self.config.retries or out_of_time:
                if retryable and out_of_time and attempt < self.config.retries:
                    log.info("%s: %s, no retry: %.0fs wait passes max_seconds_per_url", url,
                             failure, wait)
                if answer is None:
                    raise FetchError(failure, f"{url}: {failure} after {attempt + 1} attempt(s)")
                return answer
            log.info("%s: %s, retry %d in %.1fs", url, failure, attempt + 1, wait)
            self.counters.add(retries=1)
            attempt += 1
            self._host(url).ready_at = max(self._host(url).ready_at, time.monotonic() + wait)

    # -- one exchange ---------------------------------------------------------------------

    def _host(self, url: str) -> _HostState:
        host = host_of(url)
        with self._hosts_lock:
            return self._hosts.setdefault(host, _HostState())

    def _exchange(
        self, url: str, method: str, data: FormData, headers: dict[str, str], robots: bool,
        deadline: float,
    ) -> _Answer:
        """One request under the host's lock: robots, delay, send, read the body within limits."""
        verdict = self._robots_verdict(url) if robots else None
        if verdict is not None:
            self.counters.add(robots_disallowed=1)
            raise FetchError(verdict, f"{url}: {verdict}")
        state = self._host(url)
        with state.lock:
            self._wait_turn(state)
            try:
                return self._send(url, method, data, headers, deadline)
            finally:
                state.ready_at = max(state.ready_at, time.monotonic() + self._delay(state))

    def _delay(self, state: _HostState) -> float:
        crawl_delay = state.robots.crawl_delay(self._agent) if state.robots is not None else None
        # A site's Crawl-delay may ask for more rest than our default, never for less.
        return max(self.config.delay_seconds, min(crawl_delay or 0.0, self.config.max_retry_after_seconds))

    @staticmethod
    def _wait_turn(state: _HostState) -> None:
        pause = state.ready_at - time.monotonic()
        if pause > 0:
            time.sleep(pause)

    def _send(self, url: str, method: str, data: FormData, headers: dict[str, str],
              deadline: float) -> _Answer:
        # The whole exchange ends by the timeout, and never after the URL's own deadline.
        ends_at = min(time.monotonic() + self.config.timeout_seconds, deadline)
        socket_timeout = ends_at - time.monotonic()
        if socket_timeout <= 0:
            raise _Transient("timeout")
        self.counters.add(requests=1)
        with Deadline(socket_timeout) as watchdog:
            try:
                answer = self._request(url, method, data, headers, socket_timeout, ends_at)
            except _Transient as exc:
                # The watchdog shut the socket: a cut connection here is the timeout's doing.
                raise _Transient("timeout" if watchdog.expired else exc.reason) from exc
        if watchdog.expired:  # a body without a length ends quietly when its socket is shut
            raise _Transient("timeout")
        return answer

    def _request(self, url: str, method: str, data: FormData, headers: dict[str, str],
                 socket_timeout: float, ends_at: float) -> _Answer:
        try:
            response = self.session.request(
                method, url, data=data, headers=headers, stream=True, allow_redirects=False,
                timeout=(socket_timeout, socket_timeout),
            )
        except requests.Timeout as exc:
            raise _Transient("timeout") from exc
        except requests.exceptions.SSLError as exc:  # a bad certificate will not mend on retry
            raise FetchError("tls_error", f"{url}: {exc}") from exc
        except requests.ConnectionError as exc:
            raise _Transient("connection_error") from exc
        except requests.RequestException as exc:
            raise FetchError("fetch_error: request", f"{url}: {exc}") from exc
        with response:
            answer_headers = {k.lower(): v for k, v in response.headers.items()}
            body = self._read_body(response, url, ends_at)
        return _Answer(response.status_code, answer_headers, body, url)

    def _read_body(self, response: requests.Response, url: str, ends_at: float) -> bytes:
        limit = self.config.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchError("too_large", f"{url}: Content-Length {declared} > max_bytes {limit}")
        size = 0
        try:
            body = read_until(response, limit, ends_at)
            size = len(body)
        except BodyTooLarge as exc:
            size = exc.size
            raise FetchError("too_large", f"{url}: body passed max_bytes {limit}") from exc
        except LateBody as exc:
            size = exc.size
            raise _Transient("timeout") from exc
        except (ReadTimeoutError, requests.Timeout) as exc:
            raise _Transient("timeout") from exc
        except (ProtocolError, requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
            raise _Transient("connection_error") from exc
        finally:
            self.counters.add(bytes_received=_wire_bytes(response, size))
        return body

    # -- robots.txt -----------------------------------------------------------------------

    def _robots_verdict(self, url: str) -> str | None:
        """None when allowed, else the drop reason."""
        if not self.config.obey_robots or urlsplit(url).path == "/robots.txt":
            return None
        state = self._host(url)
        if time.monotonic() >= state.robots_expires:
            self._read_robots(url, state)
        if state.robots_error:
            return state.robots_error
        if state.robots is not None and not state.robots.can_fetch(url, self._agent):
            return "robots_disallowed"
        return None

    def _read_robots(self, url: str, state: _HostState) -> None:
        robots_url = host_of(url) + "/robots.txt"
        with state.lock:
            if time.monotonic() < state.robots_expires:  # another thread read it while we waited
                return
            self._wait_turn(state)
            try:
                rules, error = self._fetch_robots(robots_url)
            finally:
                state.ready_at = time.monotonic() + self.config.delay_seconds
            # Both at once: a thread checking an old verdict never sees rules half replaced.
            state.robots, state.robots_error = rules, error
            # RFC 9309 §2.4: rules may be kept up to 24 hours; an unreachable file is asked
            # for again sooner, so one bad minute does not shut a host out for a day.
            keep = ROBOTS_TTL_SECONDS if error is None else ROBOTS_RETRY_SECONDS
            state.robots_expires = time.monotonic() + keep
            state.ready_at = time.monotonic() + self._delay(state)

    def _fetch_robots(self, robots_url: str) -> tuple[Protego | None, str | None]:
        """(rules, error). RFC 9309 §2.3.1: 4xx means no rules; 5xx or no answer means
        "assume complete disallow". The whole exchange ends by timeout_seconds: a host
        dribbling its robots.txt a byte a second is unreachable, not slow."""
        self.counters.add(requests=1)
        ends_at = time.monotonic() + self.config.timeout_seconds
        deadline, late = Deadline(self.config.timeout_seconds), False
        try:
            with deadline, self.session.get(robots_url, timeout=self.config.timeout_seconds,
                                            stream=True) as response:
                status, body = response.status_code, b""
                try:
                    if status < 400:
                        body = read_until(response, ROBOTS_MAX_BYTES, ends_at, cut=True)
                finally:
                    self.counters.add(bytes_received=_wire_bytes(response, len(body)))
        except LateBody:
            late = True
        except (requests.RequestException, ReadTimeoutError, ProtocolError) as exc:
            if not deadline.expired:
                log.warning("%s unreachable (%s): host treated as disallowed", robots_url,
                            type(exc).__name__)
                return None, "robots_unavailable"
        if late or deadline.expired:
            log.warning("%s took past %.0fs: host treated as disallowed", robots_url,
                        self.config.timeout_seconds)
            return None, "robots_unavailable: timeout"
        if status >= 500:
            return None, f"robots_unavailable: {status}"
        if status >= 400:
            return None, None
        return Protego.parse(body.decode("utf-8", errors="replace")), None


class _Transient(Exception):
    """A failure worth retrying (timeout, dropped connection); `reason` becomes the drop reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _wire_bytes(response: requests.Response, decoded_size: int) -> int:
    """Bytes read off the socket (compressed size when gzip'd); decoded size when unknown."""
    try:
        told = response.raw.tell()
    except (AttributeError, OSError):
        return decoded_size
    return told if isinstance(told, int) and told > 0 else decoded_size
