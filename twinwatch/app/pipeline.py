"""One run of one source, in order: discover → fetch → attachments → read_page → prefilter →
find_events → store. The scheduler, `crawl`, `ingest` and the demo only call into here.

Each page is handled on its own and saved in its own transaction, so one bad page never stops
the run and a killed process loses at most the pages in hand (fetched, not yet saved). Every
page that goes no further is saved with its reason (`fetch_error: 503`, `robots_disallowed`,
`off_topic`, `not_korean`, `undecodable` …), so `twinwatch sources` and the store can say why
nothing came of it.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import Counter, deque
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence, TypeVar

from crawler import attachments
from crawler.fetch import Fetcher
from crawler.records import Discovery, Link
from twinwatch.pages.records import FetchResult
from crawler.sources import discover, fetch_link
from twinwatch.pages.decode import decode_bytes
from twinwatch.pages.files import SUPPORTED_SUFFIXES, read_file
from extract.page.reader import read_page
from extract.records import Document, Event
from store import Store
from twinwatch.config import Config, SourceConfig
from twinwatch.errors import ConfigError, ExtractionRejected, FetchError
from twinwatch.app.prefilter import Prefilter
from twinwatch.app.retrieval import retrieval_of

log = logging.getLogger(__name__)

STAGES = ("discover", "fetch", "decode", "extract", "store")
# With finishers, pages of one source fetched but not yet saved: the fetch loop waits for the
# oldest beyond this, so a slow extraction holds a bounded number of page bodies in memory.
PAGES_IN_FLIGHT = 8
# Drops worth another try on the next run; anything else (off_topic, robots …) is settled.
TRANSIENT_DROPS = ("fetch_error", "timeout", "connection")


@dataclass(frozen=True, slots=True)
class PageOutcome:
    """What became of one link: its document and events, or why it went no further."""

    url: str
    title: str | None = None
    events: tuple[Event, ...] = ()
    drop_reason: str | None = None
    not_modified: bool = False
    skipped_known: bool = False
    fetched: FetchResult | None = field(default=None, repr=False, compare=False)
    document: Document | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class RunReport:
    """One run of one source (or one `ingest`)."""

    source: str
    links_found: int = 0
    fetched: int = 0  # requests answered with a body
    not_modified: int = 0  # conditional GETs answered 304
    skipped_known: int = 0  # stored URLs not asked for again
    new_documents: int = 0  # readable documents saved (new or changed)
    dropped: tuple[tuple[str, str], ...] = ()  # (url, reason)
    new_events: int = 0
    matched_events: int = 0  # mentions joined to events already stored
    errors: tuple[str, ...] = ()  # source-level failures (the feed or list page itself)
    interrupted: bool = False  # stopped early by SIGTERM/SIGINT
    stage_seconds: tuple[tuple[str, float], ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors

    def drop_counts(self) -> Counter[str]:
        return Counter(reason for _, reason in self.dropped)


@dataclass(slots=True)
class _Tally:
    """The report while it is being filled in."""

    source: str
    links_found: int = 0
    fetched: int = 0
    not_modified: int = 0
    skipped_known: int = 0
    new_documents: int = 0
    dropped: list[tuple[str, str]] = field(default_factory=list)
    new_events: int = 0
    matched_events: int = 0
    errors: list[str] = field(default_factory=list)
    interrupted: bool = False
    seconds: Counter[str] = field(default_factory=Counter)
    # finisher threads count their pages too (see run_once's `finishers`)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def freeze(self) -> RunReport:
        return RunReport(
            source=self.source, links_found=self.links_found, fetched=self.fetched,
            not_modified=self.not_modified, skipped_known=self.skipped_known,
            new_documents=self.new_documents, dropped=tuple(self.dropped),
            new_events=self.new_events, matched_events=self.matched_events,
            errors=tuple(self.errors), interrupted=self.interrupted,
            stage_seconds=tuple((stage, round(self.seconds[stage], 4)) for stage in STAGES))


class _Timer:
    """`with timer("fetch"):` adds the block's wall time to that stage."""

    def __init__(self, seconds: Counter[str]) -> None:
        self.seconds = seconds
        self.lock = threading.Lock()  # several threads may time one run's stages

    def __call__(self, stage: str) -> "_StageClock":
        return _StageClock(self, stage)


class _StageClock:
    def __init__(self, timer: _Timer, stage: str) -> None:
        self.timer, self.stage = timer, stage

    def __enter__(self) -> None:
        self.started = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        with self.timer.lock:
            self.timer.seconds[self.stage] += time.perf_counter() - self.started


OnPage = Callable[[PageOutcome], None]


def examine(fetched: FetchResult, *, prefilter: Prefilter, timer: _Timer | None = None,
            published: str | None = None, fetcher: Fetcher | None = None,
            attachment_texts: Sequence[str] | None = None) -> PageOutcome:
    """read_page → attachments → prefilter → find_events for one fetched page; stores nothing.

    `attachment_texts`, when given, are the page's attachments read already (an extraction
    worker process has no fetcher of its own). Raises nothing for a bad page: every failure
    becomes the outcome's `drop_reason`.
    """
    timer = timer or _Timer(Counter())
    url = fetched.url
    with timer("decode"):
        off_topic = plainly_off_topic(fetched, prefilter)
    if off_topic:
        return PageOutcome(url, fetched.listed_title, drop_reason="off_topic", fetched=fetched)
    try:
        with timer("decode"):
            # A feed's or list's date is only a fallback: read_page prefers the page's own byline.
            document = read_fetched(fetched, published)
            document = with_attachments(document, fetched, fetcher, attachment_texts)
    except ExtractionRejected as exc:
        return PageOutcome(url, drop_reason=exc.reason, fetched=fetched)
    except Exception as exc:  # noqa: BLE001 - a reader bug on one page must not end the run
        log.exception("reading failed on %s", url)
        return PageOutcome(url, drop_reason=f"read_error: {type(exc).__name__}", fetched=fetched)
    reason = prefilter.drop_reason(document)
    if reason:
        return PageOutcome(url, document.title, drop_reason=reason, fetched=fetched, document=document)
    try:
        with timer("extract"):
            events = tuple(find_events(document))
    except ExtractionRejected as exc:
        return PageOutcome(url, document.title, drop_reason=exc.reason, fetched=fetched, document=document)
    except Exception as exc:  # noqa: BLE001 - one page's extractor bug must not end the run
        log.exception("extraction failed on %s", url)
        return PageOutcome(url, document.title, drop_reason=f"extract_error: {type(exc).__name__}",
                           fetched=fetched, document=document)
    return PageOutcome(url, document.title, events=events, fetched=fetched, document=document)


def find_events(document: Document) -> list[Event]:
    """The extraction engine's `find_events`, imported on first use: it loads spaCy and Kiwi,
    which commands that only read the store or print help must not pay for."""
    from extract.core import find_events as engine_find_events

    return engine_find_events(document)


def plainly_off_topic(fetched: FetchResult, prefilter: Prefilter) -> bool:
    """True when no agreement word appears anywhere in the page — markup, menus and sidebars
    included — and it links no attachment: such a page is dropped before the (costly) main-text
    reading. Measured by benchmarks/crawl.py: most pages a board yields stop here."""
    if attachments.sniff_kind(fetched.body) is not None:
        return False
    try:
        page = decode_bytes(fetched.body, fetched.content_type).text
    except ExtractionRejected:
        return False  # read_page says why, with its own reason
    return not prefilter.mentions_a_keyword(page) and not attachments.ATTACHMENT_NAME.search(page)


def with_attachments(document: Document, fetched: FetchResult, fetcher: Fetcher | None,
                     read_already: Sequence[str] | None = None) -> Document:
    """The document with its attachments' text (PDF, HWP …) appended after its own text, so
    evidence spans found in the page keep their offsets."""
    if document.format == "attachment" or (fetcher is None and read_already is None):
        return document
    raw = read_already if read_already is not None else attachments.attachment_texts(fetched, fetcher)
    texts = [unwrap_lines(text) for text in raw]
    if not texts:
        return document
    return replace(document, text="\n\n".join([document.text, *texts]))


# A line that ends a sentence: a full stop (or ! ? 。), perhaps inside closing quotes/brackets.
SENTENCE_END = re.compile(r"[.!?。][\"”’」』)]*\s*$")


def unwrap_lines(text: str) -> str:
    """Text read from a PDF or HWP comes broken at the page's column width, often mid-sentence
    ("중국 장시성\n징더전시와 …"), and the extractor reads one sentence at a time: a line that
    does not end a sentence is joined to the next with a space. Blank lines stay paragraph breaks."""
    paragraphs = re.split(r"\n\s*\n", text)
    joined = []
    for paragraph in paragraphs:
        lines = [line.strip() for line in paragraph.splitlines() if line.strip()]
        out = lines[:1]
        for line in lines[1:]:
            if SENTENCE_END.search(out[-1]):
                out.append(line)
            else:
                out[-1] = f"{out[-1]} {line}"
        joined.append("\n".join(out))
    return "\n\n".join(p for p in joined if p)


def read_fetched(fetched: FetchResult, published: str | None) -> Document:
    """The page as a Document; a link that is itself a PDF/HWP file is read as one."""
    if attachments.sniff_kind(fetched.body) is None:
        return read_page(fetched, published=published)
    text = attachments.attachment_text(fetched)
    if not text or not text.strip():
        raise ExtractionRejected("empty")
    published = published or fetched.listed_published  # a bare file has no date of its own
    return Document(url=fetched.url, text=text, title=fetched.listed_title, published=published,
                    published_source="listing" if published else None, format="attachment",
                    final_url=fetched.final_url)


# How a run reads one fetched page: `examine` in this process by default; `twinwatch run --once`
# hands pages to a pool of extraction processes instead (twinwatch.app.parallel).
ExaminePage = Callable[[FetchResult, Fetcher, Prefilter, _Timer], PageOutcome]


def examine_here(fetched: FetchResult, fetcher: Fetcher, prefilter: Prefilter, timer: _Timer) -> PageOutcome:
    return examine(fetched, prefilter=prefilter, timer=timer, fetcher=fetcher)


def run_once(source: SourceConfig, *, config: Config, store: Store, fetcher: Fetcher,
             prefilter: Prefilter | None = None, stop: threading.Event | None = None,
             on_page: OnPage | None = None, examine_page: ExaminePage = examine_here,
             finishers: Executor | None = None) -> RunReport:
    """Crawl one source once: every link it lists that is not stored yet is fetched, read,
    filtered, extracted and saved (one transaction per page). `stop`, when set (SIGTERM/SIGINT),
    ends the run after the pages in hand. A Fetcher with a listing cache (a long-lived process)
    makes an unchanged feed or list page cost a 304 instead of its body.

    `finishers`, when given, read and save each fetched page while this thread fetches the
    next (at most PAGES_IN_FLIGHT ahead): the host's delay then passes while its last page is
    read, instead of after. `store.save` is then called from their threads, so the store must
    take writes from any thread (twinwatch.app.parallel.WritesThroughWriter does)."""
    prefilter = prefilter or Prefilter.from_section(config.sections.get("prefilter"))
    tally = _Tally(source.name)
    timer = _Timer(tally.seconds)
    store.register_source(source.name, source.kind, source.url)
    discovery = _discover(source, fetcher, timer)
    tally.links_found = len(discovery.links)
    if discovery.error:
        tally.errors.append(discovery.error)  # crawler.sources has logged it
    in_flight: deque[Future[PageOutcome]] = deque()
    for link in discovery.links:
        if stop is not None and stop.is_set():
            tally.interrupted = True
            break
        step = _guarded(link, source.name, tally, partial(
            _take_link, link, source, store=store, fetcher=fetcher, prefilter=prefilter, timer=timer,
            tally=tally, examine_page=examine_page, finishers=finishers))
        if not isinstance(step, Future):
            _page_done(source.name, step, on_page)
            continue
        in_flight.append(step)
        while in_flight and (len(in_flight) > PAGES_IN_FLIGHT or in_flight[0].done()):
            _page_done(source.name, in_flight.popleft().result(), on_page)
    while in_flight:  # the pages in hand are finished and saved, even after a stop
        _page_done(source.name, in_flight.popleft().result(), on_page)
    store.record_source_attempt(source.name, ok=not discovery.error, error=discovery.error,
                                links=len(discovery.links), new_items=tally.new_documents)
    return tally.freeze()


def _discover(source: SourceConfig, fetcher: Fetcher, timer: _Timer) -> Discovery:
    with timer("discover"):
        try:
            return discover(source, fetcher)
        except ConfigError as exc:  # a bad kind-specific key: this source fails, the others run
            return Discovery(error=f"config_error: {exc}")
        except Exception as exc:  # noqa: BLE001 - a reader bug on one source's listing
            log.exception("discovering %s failed", source.name)
            return Discovery(error=f"discover_error: {type(exc).__name__}")


Step = TypeVar("Step")


def _guarded(link: Link, source: str, tally: _Tally, take: Callable[[], Step]) -> Step | PageOutcome:
    """`take()`, or the page dropped with the error's name when it raises."""
    try:
        return take()
    except Exception as exc:  # noqa: BLE001 - e.g. the store refusing one page: go on
        log.exception("%s: page %s failed", source, link.url)
        outcome = PageOutcome(link.url, link.title, drop_reason=f"error: {type(exc).__name__}")
        with tally.lock:
            tally.dropped.append((link.url, outcome.drop_reason or ""))
        return outcome


def _page_done(source: str, outcome: PageOutcome, on_page: OnPage | None) -> None:
    log.info("%s: %s %s", source, outcome.url, _summary(outcome))
    if on_page is not None:
        on_page(outcome)


def _summary(outcome: PageOutcome) -> str:
    if outcome.skipped_known:
        return "known"
    if outcome.not_modified:
        return "not modified"
    return outcome.drop_reason or f"{len(outcome.events)} events"


def _worth_another_try(known_drop: str | None) -> bool:
    return bool(known_drop) and known_drop.startswith(TRANSIENT_DROPS)


def _take_link(link: Link, source: SourceConfig, *, store: Store, fetcher: Fetcher,
               prefilter: Prefilter, timer: _Timer, tally: _Tally,
               examine_page: ExaminePage = examine_here,
               finishers: Executor | None = None) -> PageOutcome | Future[PageOutcome]:
    """One link of a run, from the skip decision to the saved document — or, with
    `finishers`, to the fetched page handed to them (the future of its saved outcome)."""
    url = link.url  # canonical already: the key the document is stored under
    known = store.known_url(url)
    refetch = bool(source.options.get("refetch", False))
    if known is not None and not refetch and not _worth_another_try(known.drop_reason):
        tally.skipped_known += 1
        return PageOutcome(url, known.title, skipped_known=True)
    conditional = known if refetch and known is not None and not known.drop_reason else None
    try:
        with timer("fetch"):
            fetched = fetch_link(link, fetcher, source=source.name,
                                 etag=conditional.etag if conditional else None,
                                 last_modified=conditional.last_modified if conditional else None)
    except FetchError as exc:
        failed = PageOutcome(url, link.title, drop_reason=exc.reason)
        if source.options.get("headline_fallback"):  # the feed itself was allowed and read
            failed = from_headline(link, failed, prefilter=prefilter, timer=timer)
        return _save(failed, url=url, source=source.name, via=link.discovered_via, store=store,
                     timer=timer, tally=tally)
    if fetched.not_modified:
        tally.not_modified += 1
        return PageOutcome(url, known.title if known else None, not_modified=True)
    tally.fetched += 1
    finish = partial(_finish_page, fetched, link, source, store=store, fetcher=fetcher,
                     prefilter=prefilter, timer=timer, tally=tally, examine_page=examine_page)
    if finishers is None:
        return finish()
    return finishers.submit(_guarded, link, source.name, tally, finish)


def _finish_page(fetched: FetchResult, link: Link, source: SourceConfig, *, store: Store,
                 fetcher: Fetcher, prefilter: Prefilter, timer: _Timer, tally: _Tally,
                 examine_page: ExaminePage) -> PageOutcome:
    """A fetched page read, extracted and saved."""
    outcome = examine_page(fetched, fetcher, prefilter, timer)
    if not outcome.events and source.options.get("headline_fallback"):
        outcome = from_headline(link, outcome, prefilter=prefilter, timer=timer)
    return _save(outcome, url=link.url, source=source.name, via=link.discovered_via, store=store,
                 timer=timer, tally=tally)


def from_headline(link: Link, page: PageOutcome, *, prefilter: Prefilter,
                  timer: _Timer) -> PageOutcome:
    """The listing's headline read as the document, when the page itself gave no event.

    For aggregators (Google News) whose links lead to a redirect page rather than the article:
    the feed's title ("충주시, 몽골 울란바토르시와 자매결연 … - 충청일보") is then all we have, and
    the event keeps it as evidence. Sources opt in with `headline_fallback = true`."""
    if not link.title:
        return page
    document = Document(url=page.url, text=link.title, title=link.title, published=link.published,
                        published_source="listing" if link.published else None, format="headline",
                        final_url=page.fetched.final_url if page.fetched else None)
    if prefilter.drop_reason(document):
        return page
    try:
        with timer("extract"):
            events = tuple(find_events(document))
    except Exception:  # noqa: BLE001 - the page's own outcome stands
        log.exception("extraction failed on the headline of %s", link.url)
        return page
    if not events:
        return page
    return PageOutcome(page.url, link.title, events=events, fetched=page.fetched, document=document)


def _save(outcome: PageOutcome, *, url: str, source: str | None, via: str, store: Store,
          timer: _Timer, tally: _Tally) -> PageOutcome:
    with timer("store"):
        saved = store.save(outcome.document, list(outcome.events), retrieval=retrieval_of(outcome.fetched),
                           source=source, discovered_via=via, drop_reason=outcome.drop_reason, url=url)
    with tally.lock:
        if outcome.drop_reason:
            tally.dropped.append((url, outcome.drop_reason))
        elif not saved.events.unchanged:
            tally.new_documents += 1
        tally.new_events += len(saved.events.new_event_ids)
        tally.matched_events += len(saved.events.matched_event_ids)
    return outcome


# What `ingest` takes from a folder: every format extract reads, and press releases kept as
# PDF/HWP/HWPX files (read by crawler.attachments).
INGEST_SUFFIXES = (*SUPPORTED_SUFFIXES, ".pdf", ".hwp", ".hwpx")


def files_under(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Every readable file given, folders walked in name order; unsupported files are skipped."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from (p for p in sorted(path.rglob("*"))
                        if p.is_file() and p.suffix.lower() in INGEST_SUFFIXES)
        else:
            yield path


def ingest_paths(paths: Iterable[str | Path], *, config: Config, store: Store,
                 prefilter: Prefilter | None = None, stop: threading.Event | None = None,
                 on_page: OnPage | None = None) -> RunReport:
    """Read local files and folders into the store (discovered_via=import); same steps as a
    crawl from read_page on. Re-ingesting an unchanged file adds nothing."""
    prefilter = prefilter or Prefilter.from_section(config.sections.get("prefilter"))
    tally = _Tally("import")
    timer = _Timer(tally.seconds)
    for path in files_under(paths):
        if stop is not None and stop.is_set():
            tally.interrupted = True
            break
        url = str(path.resolve())  # the key a `files` source would give the same file
        tally.links_found += 1
        try:
            with timer("fetch"):
                fetched = replace(read_file(str(path), max_bytes=config.crawler.max_bytes),
                                  discovered_via="import")
        except FetchError as exc:
            tally.dropped.append((str(path), exc.reason))
            outcome = PageOutcome(str(path), drop_reason=exc.reason)
        else:
            tally.fetched += 1
            outcome = examine(fetched, prefilter=prefilter, timer=timer)
            outcome = _save(outcome, url=url, source=None, via="import", store=store,
                            timer=timer, tally=tally)
        if on_page is not None:
            on_page(outcome)
    return tally.freeze()
