"""The fetcher against real loopback servers: politeness, limits, retries, conditional GET."""

from __future__ import annotations

import email.utils
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest

from crawler.fetch import Fetcher, parse_retry_after, robots_agent
from crawler.urls import canonical_url
from tests.support.crawling import ROBOTS, fast_config
from tests.support.sites import Hit, LoopbackSite, Reply
from twinwatch.errors import FetchError

def gaps(hits: list[Hit]) -> list[float]:
    return [later.at - earlier.at for earlier, later in zip(hits, hits[1:])]


def test_fetch_sends_user_agent_and_returns_body() -> None:
    with LoopbackSite({"/robots.txt": ROBOTS, "/a": Reply(body=b"hello", headers={"ETag": '"v1"'})}) as site:
        with Fetcher(fast_config()) as fetcher:
            result = fetcher.fetch(site.url("/a"))
    assert result.body == b"hello" and result.status == 200 and result.etag == '"v1"'
    assert site.hits("/a")[0].headers["user-agent"].startswith("twinwatch-test/0.1")
    assert fetcher.counters.snapshot()["requests"] == 2  # robots.txt + the page


def test_robots_disallowed_url_is_never_requested() -> None:
    with LoopbackSite({"/robots.txt": ROBOTS, "/private/x": Reply(body=b"secret")}) as site:
        with Fetcher(fast_config()) as fetcher:
            with pytest.raises(FetchError) as caught:
                fetcher.fetch(site.url("/private/x"))
            assert not fetcher.allowed(site.url("/private/y")) and fetcher.allowed(site.url("/public"))
    assert caught.value.reason == "robots_disallowed"
    assert site.hits("/private/x") == []
    assert len(site.hits("/robots.txt")) == 1  # cached per host


def test_robots_missing_allows_everything() -> None:
    with LoopbackSite({"/a": Reply(body=b"ok")}) as site:  # robots.txt → 404
        with Fetcher(fast_config()) as fetcher:
            assert fetcher.fetch(site.url("/a")).body == b"ok"


def test_robots_server_error_means_disallow() -> None:
    with LoopbackSite({"/robots.txt": Reply(500), "/a": Reply(body=b"ok")}) as site:
        with Fetcher(fast_config()) as fetcher, pytest.raises(FetchError) as caught:
            fetcher.fetch(site.url("/a"))
    assert caught.value.reason == "robots_unavailable: 500"
    assert site.hits("/a") == []


def test_robots_ignored_when_configured() -> None:
    with LoopbackSite({"/robots.txt": ROBOTS, "/private/x": Reply(body=b"secret")}) as site:
        with Fetcher(fast_config(obey_robots=False)) as fetcher:
            assert fetcher.fetch(site.url("/private/x")).body == b"secret"
    assert site.hits("/robots.txt") == []


def conditional_page(hit: Hit, seen: int) -> Reply:
    if hit.headers.get("if-none-match") == '"v1"' or hit.headers.get("if-modified-since"):
        return Reply(304)
    return Reply(body=b"page", headers={"ETag": '"v1"', "Last-Modified": "Mon, 02 Mar 2026 01:00:00 GMT"})


def test_conditional_get_gives_counted_304() -> None:
    with LoopbackSite({"/p": conditional_page}) as site:
        with Fetcher(fast_config()) as fetcher:
            first = fetcher.fetch(site.url("/p"))
            by_etag = fetcher.fetch(site.url("/p"), etag=first.etag)
            by_date = fetcher.fetch(site.url("/p"), last_modified=first.last_modified)
    assert first.status == 200 and not first.not_modified
    assert by_etag.status == 304 and by_etag.not_modified and by_etag.body == b""
    assert by_date.not_modified
    assert site.hits("/p")[1].headers["if-none-match"] == '"v1"'
    assert site.hits("/p")[2].headers["if-modified-since"] == "Mon, 02 Mar 2026 01:00:00 GMT"
    assert fetcher.counters.snapshot()["not_modified"] == 2


def fails_then_succeeds(status: int, retry_after: str, failures: int = 1):
    def route(hit: Hit, seen: int) -> Reply:
        if seen < failures:
            return Reply(status, b"busy", headers={"Retry-After": retry_after})
        return Reply(body=b"finally")
    return route


def test_429_with_retry_after_seconds_is_honoured() -> None:
    with LoopbackSite({"/p": fails_then_succeeds(429, "1")}) as site:
        with Fetcher(fast_config(max_retry_after_seconds=5.0)) as fetcher:
            result = fetcher.fetch(site.url("/p"))
    assert result.body == b"finally"
    assert gaps(site.hits("/p"))[0] >= 1.0  # the server asked for one second
    assert fetcher.counters.snapshot()["retries"] == 1


def test_503_with_retry_after_http_date_is_honoured() -> None:
    def busy_until_date(hit: Hit, seen: int) -> Reply:
        if seen:
            return Reply(body=b"finally")
        # HTTP dates have one-second resolution: ~2 s from now is at least 1 s from now
        when = datetime.now(timezone.utc) + timedelta(seconds=2)
        return Reply(503, headers={"Retry-After": email.utils.format_datetime(when, usegmt=True)})
    with LoopbackSite({"/p": busy_until_date}) as site:
        with Fetcher(fast_config(max_retry_after_seconds=5.0)) as fetcher:
            assert fetcher.fetch(site.url("/p")).body == b"finally"
    assert gaps(site.hits("/p"))[0] >= 1.0


def test_retry_after_is_capped() -> None:
    with LoopbackSite({"/p": fails_then_succeeds(503, "3600")}) as site:
        with Fetcher(fast_config(max_retry_after_seconds=0.2)) as fetcher:
            started = time.monotonic()
            assert fetcher.fetch(site.url("/p")).body == b"finally"
    assert time.monotonic() - started < 2.0


def test_persistent_503_gives_up_after_retries_with_backoff() -> None:
    with LoopbackSite({"/p": Reply(503)}) as site:
        with Fetcher(fast_config(retries=2, backoff_seconds=0.1)) as fetcher, pytest.raises(FetchError) as caught:
            fetcher.fetch(site.url("/p"))
    assert caught.value.reason == "fetch_error: 503"
    waits = gaps(site.hits("/p"))
    assert len(waits) == 2 and waits[0] >= 0.1 and waits[1] >= 0.2  # exponential


def test_404_is_not_retried() -> None:
    with LoopbackSite({}) as site:
        with Fetcher(fast_config()) as fetcher, pytest.raises(FetchError) as caught:
            fetcher.fetch(site.url("/missing"))
    assert caught.value.reason == "fetch_error: 404"
    assert len(site.hits("/missing")) == 1


def test_timeout() -> None:
    with LoopbackSite({"/slow": Reply(body=b"late", delay=1.0)}) as site:
        with Fetcher(fast_config(timeout_seconds=0.2, retries=0)) as fetcher, pytest.raises(FetchError) as caught:
            fetcher.fetch(site.url("/slow"))
    assert caught.value.reason == "timeout"


def test_dribbling_body_times_out_on_the_whole_exchange() -> None:
    dribble = Reply(body=b"x" * 20, delay=0.1, chunks=20)  # each read is quick, the whole is 2 s
    with LoopbackSite({"/drip": dribble}) as site:
        with Fetcher(fast_config(timeout_seconds=0.5, retries=0)) as fetcher, pytest.raises(FetchError) as caught:
            fetcher.fetch(site.url("/drip"))
    assert caught.value.reason == "timeout"


def test_timeout_is_retried() -> None:
    def slow_once(hit: Hit, seen: int) -> Reply:
        return Reply(body=b"ok", delay=0.6 if seen == 0 else 0.0)
    with LoopbackSite({"/p": slow_once}) as site:
        with Fetcher(fast_config(timeout_seconds=0.2, retries=1)) as fetcher:
            assert fetcher.fetch(site.url("/p")).body == b"ok"


def test_redirect_is_followed() -> None:
    routes = {"/old": Reply(301, headers={"Location": "/new"}), "/new": Reply(body=b"moved")}
    with LoopbackSite(routes) as site:
        with Fetcher(fast_config()) as fetcher:
            result = fetcher.fetch(site.url("/old"))
    assert result.body == b"moved" and result.final_url == site.url("/new")
    assert result.url == site.url("/old")


def test_redirect_loop() -> None:
    routes = {"/a": Reply(302, headers={"Location": "/b"}), "/b": Reply(302, headers={"Location": "/a"})}
    with LoopbackSite(routes) as site:
        with Fetcher(fast_config()) as fetcher, pytest.raises(FetchError) as caught:
            fetcher.fetch(site.url("/a"))
    assert caught.value.reason == "redirect_loop"
    assert [h.path for h in site.hits() if h.path != "/robots.txt"] == ["/a", "/b"]  # no third trip


def test_too_many_redirects() -> None:
    routes = {f"/r{i}": Reply(302, headers={"Location": f"/r{i + 1}"}) for i in range(10)}
    with LoopbackSite(routes) as site:
        with Fetcher(fast_config(max_redirects=3)) as fetcher, pytest.raises(FetchError) as caught:
            fetcher.fetch(site.url("/r0"))
    assert caught.value.reason == "too_many_redirects"
    assert len(site.hits()) == 1 + 4  # robots.txt, the first URL and 3 allowed redirects


def test_redirect_into_robots_disallowed_path_is_not_followed() -> None:
    routes = {"/robots.txt": ROBOTS, "/go": Reply(302, headers={"Location": "/private/x"}),
              "/private/x": Reply(body=b"secret")}
    with LoopbackSite(routes) as site:
        with Fetcher(fast_config()) as fetcher, pytest.raises(FetchError) as caught:
            fetcher.fetch(site.url("/go"))
    assert caught.value.reason == "robots_disallowed" and site.hits("/private/x") == []


def test_oversize_body_declared() -> None:
    with LoopbackSite({"/big": Reply(body=b"x" * 50_000)}) as site:
        with Fetcher(fast_config(max_bytes=10_000)) as fetcher, pytest.raises(FetchError) as caught:
            fetcher.fetch(site.url("/big"))
    assert caught.value.reason == "too_large"
    assert fetcher.counters.snapshot()["bytes_received"] < 50_000


def test_oversize_body_undeclared_is_cut_while_streaming() -> None:
    with LoopbackSite({"/big": Reply(body=b"x" * 500_000, declare_length=False)}) as site:
        with Fetcher(fast_config(max_bytes=10_000)) as fetcher, pytest.raises(FetchError) as caught:
            fetcher.fetch(site.url("/big"))
    assert caught.value.reason == "too_large"
    assert fetcher.counters.snapshot()["bytes_received"] < 500_000


def test_tracking_parameters_are_dropped_before_fetching() -> None:
    with LoopbackSite({"/news": Reply(body=b"n")}) as site:
        with Fetcher(fast_config()) as fetcher:
            result = fetcher.fetch(site.url("/news?id=7&utm_source=x&utm_medium=y&fbclid=abc#top"))
    assert result.url == site.url("/news?id=7")
    assert [h.path for h in site.hits("/news")] == ["/news?id=7"]


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        ("HTTP://Example.COM:80/a/../b?utm_campaign=z&nttId=5#frag", "http://example.com/b?nttId=5"),
        ("https://x.go.kr:443/list.do;jsessionid=AB12?gallery_id=3", "https://x.go.kr/list.do?gallery_id=3"),
        ("https://x.go.kr/view?q=%C0%DA%B8%C5&gclid=1", "https://x.go.kr/view?q=%C0%DA%B8%C5"),  # EUC-KR kept
        ("http://x.kr", "http://x.kr/"),
        ("https://x.kr/a?cid=9&source=rss", "https://x.kr/a?cid=9&source=rss"),  # ids survive
        ("https://x.kr/s?q=자매 결연", "https://x.kr/s?q=%EC%9E%90%EB%A7%A4%20%EA%B2%B0%EC%97%B0"),
        ("https://x.kr/s?q=%EC%9E%90%EB%A7%A4%20%EA%B2%B0%EC%97%B0", "https://x.kr/s?q=%EC%9E%90%EB%A7%A4%20%EA%B2%B0%EC%97%B0"),
        ("https://x.kr/보도/1", "https://x.kr/%EB%B3%B4%EB%8F%84/1"),
    ],
)
def test_canonical_url(given: str, canonical: str) -> None:
    assert canonical_url(given) == canonical


def test_canonical_url_rejects_non_http() -> None:
    with pytest.raises(ValueError):
        canonical_url("javascript:fn_view('1')")


def test_per_host_delay_holds_from_server_timestamps() -> None:
    with LoopbackSite({"/robots.txt": ROBOTS, **{f"/p{i}": Reply(body=b"p") for i in range(4)}}) as site:
        with Fetcher(fast_config(delay_seconds=0.25)) as fetcher:
            threads = [threading.Thread(target=fetcher.fetch, args=(site.url(f"/p{i}"),)) for i in range(4)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
    arrivals = sorted(site.hits(), key=lambda h: h.at)
    assert len(arrivals) == 5  # robots.txt + 4 pages, from 4 threads at once
    assert min(gaps(arrivals)) >= 0.25


def test_different_hosts_do_not_wait_for_each_other() -> None:
    with LoopbackSite({"/p": Reply(body=b"1")}) as one, LoopbackSite({"/p": Reply(body=b"2")}) as two:
        with Fetcher(fast_config(delay_seconds=1.0)) as fetcher:
            threads = [threading.Thread(target=fetcher.fetch, args=(site.url("/p"),)) for site in (one, two)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
    # Each host: robots.txt, a 1 s rest, the page. Side by side the pages come together; one
    # host waiting for the other would put them a whole rest apart.
    page_one, page_two = one.hits("/p")[0].at, two.hits("/p")[0].at
    assert abs(page_one - page_two) < 0.8


def test_post_sends_form_data_and_files_under_key() -> None:
    with LoopbackSite({"/view.do": Reply(body=b"article")}) as site:
        with Fetcher(fast_config()) as fetcher:
            result = fetcher.fetch(site.url("/view.do"), method="POST", data={"nttId": "42"},
                                   key=site.url("/view.do?nttId=42"))
    hit = site.hits("/view.do")[0]
    assert hit.method == "POST" and hit.body == b"nttId=42"
    assert result.url == site.url("/view.do?nttId=42") and result.body == b"article"


def test_counters_count_bytes_over_the_wire() -> None:
    with LoopbackSite({"/a": Reply(body=b"a" * 1000), "/b": Reply(body=b"b" * 500)}) as site:
        with Fetcher(fast_config()) as fetcher:
            fetcher.fetch(site.url("/a"))
            fetcher.fetch(site.url("/b"))
    counts = fetcher.counters.snapshot()
    assert counts["bytes_received"] >= 1500 and counts["requests"] == 3


def test_parse_retry_after() -> None:
    now = datetime(2026, 3, 2, 1, 0, 0, tzinfo=timezone.utc)
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Mon, 02 Mar 2026 01:00:30 GMT", now) == 30.0
    assert parse_retry_after("Mon, 02 Mar 2026 00:59:00 GMT", now) == 0.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


@pytest.mark.parametrize(
    ("user_agent", "token"),
    [("twinwatch/0.1 (+https://x)", "twinwatch"),
     ("Mozilla/5.0 (compatible; twinwatch/0.1; +https://x)", "twinwatch"),
     ("citybot", "citybot")],
)
def test_robots_agent_token(user_agent: str, token: str) -> None:
    assert robots_agent(user_agent) == token


def test_crawl_delay_longer_than_ours_is_honoured() -> None:
    routes = {"/robots.txt": Reply(body=b"User-agent: *\nCrawl-delay: 0.3\n"), "/a": Reply(body=b"a"), "/b": Reply(body=b"b")}
    with LoopbackSite(routes) as site:
        with Fetcher(fast_config(delay_seconds=0.0)) as fetcher:
            fetcher.fetch(site.url("/a"))
            fetcher.fetch(site.url("/b"))
    assert min(gaps(sorted(site.hits(), key=lambda h: h.at))) >= 0.3


def test_unreadable_robots_is_asked_again_later(monkeypatch) -> None:
    monkeypatch.setattr("crawler.fetch.ROBOTS_RETRY_SECONDS", 0.1)
    robots = lambda hit, seen: Reply(503) if seen == 0 else Reply(body=b"User-agent: *\nDisallow:\n")  # noqa: E731
    with LoopbackSite({"/robots.txt": robots, "/a": Reply(body=b"a")}) as site:
        with Fetcher(fast_config()) as fetcher:
            with pytest.raises(FetchError):
                fetcher.fetch(site.url("/a"))
            time.sleep(0.15)
            assert fetcher.fetch(site.url("/a")).body == b"a"
    assert len(site.hits("/robots.txt")) == 2 and len(site.hits("/a")) == 1


def test_connection_refused_is_a_connection_error() -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on once this closes
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with Fetcher(fast_config(retries=1, backoff_seconds=0.01, obey_robots=False)) as fetcher:
        with pytest.raises(FetchError) as caught:
            fetcher.fetch(f"http://127.0.0.1:{port}/a")
    assert caught.value.reason == "connection_error"
    assert fetcher.counters.snapshot()["retries"] == 1


def test_delay_counts_from_the_end_of_the_previous_response() -> None:
    routes = {"/slow": Reply(body=b"s", delay=0.3), "/next": Reply(body=b"n")}
    with LoopbackSite(routes) as site:
        with Fetcher(fast_config(delay_seconds=0.2, obey_robots=False)) as fetcher:
            fetcher.fetch(site.url("/slow"))
            fetcher.fetch(site.url("/next"))
    slow, following = site.hits("/slow")[0], site.hits("/next")[0]
    assert following.at - slow.at >= 0.3 + 0.2  # the answer's 0.3 s, then the full rest


def test_custom_headers_do_not_follow_a_redirect_to_another_host() -> None:
    with LoopbackSite({"/landing": Reply(body=b"there")}) as other:
        with LoopbackSite({"/api": Reply(302, headers={"Location": other.url("/landing")})}) as site:
            with Fetcher(fast_config(obey_robots=False)) as fetcher:
                fetcher.fetch(site.url("/api"), headers={"X-Naver-Client-Secret": "s3cret"})
    assert site.hits("/api")[0].headers["x-naver-client-secret"] == "s3cret"
    assert "x-naver-client-secret" not in other.hits("/landing")[0].headers


def test_redirect_to_a_non_http_location_is_a_clear_error() -> None:
    with LoopbackSite({"/a": Reply(302, headers={"Location": "ftp://files.example/x"})}) as site:
        with Fetcher(fast_config(obey_robots=False)) as fetcher, pytest.raises(FetchError) as caught:
            fetcher.fetch(site.url("/a"))
    assert caught.value.reason == "bad_redirect"


def test_tls_failure_is_reported_and_not_retried() -> None:
    # a plain-HTTP server spoken to over https: the handshake fails like a broken certificate
    with LoopbackSite({"/a": Reply(body=b"a")}) as site:
        with Fetcher(fast_config(obey_robots=False)) as fetcher, pytest.raises(FetchError) as caught:
            fetcher.fetch(site.url("/a").replace("http://", "https://"))
    assert caught.value.reason == "tls_error"
    assert fetcher.counters.snapshot()["retries"] == 0


def test_gzip_bodies_are_decoded_counted_as_sent_and_capped_decoded() -> None:
    import gzip

    page = "<p>자매결연</p>".encode() * 2000  # 34 KB that packs to well under 1 KB
    packed = gzip.compress(page)
    routes = {"/page": Reply(body=packed, headers={"Content-Encoding": "gzip"})}
    with LoopbackSite(routes) as site:
        with Fetcher(fast_config(max_bytes=100_000, obey_robots=False)) as fetcher:
            result = fetcher.fetch(site.url("/page"))
        with Fetcher(fast_config(max_bytes=10_000, obey_robots=False)) as small, pytest.raises(FetchError) as caught:
            small.fetch(site.url("/page"))  # a small download that unpacks past the limit
    assert result.body == page
    assert fetcher.counters.snapshot()["bytes_received"] == len(packed)
    assert caught.value.reason == "too_large"
