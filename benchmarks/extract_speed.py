"""Extraction speed and memory against a floor measured in the same run, with one worker and two.

    .venv/bin/python benchmarks/extract_speed.py [--rounds 2] [--reads 2]

Pages: every page set the team keeps (named in the output), each distinct page read `--reads`
times. Measured: the whole `extract` path per page (`twinwatch.app.extraction.extract_input`: load → read
page → structured readers and prose → relationship notes). Floor: what any Korean extractor
built on trafilatura and Kiwi must spend on the same pages — `trafilatura.extract` of the page
(a text file is its own text) plus single-thread Kiwi tokenisation of that text.

Both sides run with the same number of workers: one process each (extract vs the one-thread
floor), then two processes each (the pages spread over two worker processes, as
`extract_many(…, workers=2)` and `twinwatch extract` over many files do). Engines are loaded before the clock starts on both sides; the machine is shared,
so the sides alternate for `--rounds` rounds and each keeps its best. Also printed: start-up
(a fresh process until the first page's events, that page's own extraction excluded; the best
of `--rounds` such processes) and the peak RSS of the whole process tree (this process and its
workers, sampled every 20 ms).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SHARED = REPO.parent / "shared"
PAGE_SETS = (("dev corpus", SHARED / "corpus" / "dev"), ("seeds", SHARED / "seeds"),
             ("check set", REPO / "tests" / "extract" / "data" / "checkset"), ("blind set 1", REPO / "tests" / "extract" / "data" / "checkset_blind1"),
             ("blind set 2", REPO / "tests" / "extract" / "data" / "checkset_blind2"),
             ("structured check set", REPO / "tests" / "extract" / "data" / "checkset_structured"),
             ("page tests", REPO / "tests" / "extract" / "data" / "pages"), ("structured fixtures", REPO / "tests" / "fixtures"))
SUFFIXES = (".html", ".htm", ".txt")


def page_sets() -> list[tuple[str, list[Path]]]:
    found = []
    for name, folder in PAGE_SETS:
        pages = sorted(p for p in folder.rglob("*") if p.suffix in SUFFIXES) if folder.is_dir() else []
        if pages:
            found.append((name, pages))
    return found


# ---------------------------------------------------------------- worker side (child processes)

def load_both() -> None:
    """Worker initializer: the extract engine and (the same) Kiwi for the floor."""
    from extract.core import load_engine

    load_engine()
    import trafilatura  # noqa: F401


def floor_pages(paths: list[str]) -> tuple[float, float]:
    """trafilatura.extract + one-thread Kiwi over the pages' decoded text: (wall, CPU) seconds."""
    import trafilatura

    from twinwatch.pages.decode import decode_bytes
    from extract.nlp.pipeline import get_kiwi

    kiwi = get_kiwi()
    # decoding is the same on both sides and not part of the floor
    sources = [(path, decode_bytes(Path(path).read_bytes(), None).text) for path in paths]
    started, cpu = time.perf_counter(), time.process_time()
    for path, source in sources:
        text = (trafilatura.extract(source) or "") if not path.endswith(".txt") else source
        kiwi.tokenize(text)
    return time.perf_counter() - started, time.process_time() - cpu


def extract_pages(paths: list[str]) -> tuple[float, float]:
    """The whole extract path over the pages: (wall, CPU) seconds."""
    from twinwatch.app.extraction import extract_input

    started, cpu = time.perf_counter(), time.process_time()
    for path in paths:
        extract_input(path)
    return time.perf_counter() - started, time.process_time() - cpu


def _ready(_index: int = 0) -> int:
    return os.getpid()


# ---------------------------------------------------------------- main side

@dataclass(frozen=True, slots=True)
class Side:
    """One side's best round: wall seconds, and CPU seconds summed over its workers (the CPU
    ratio holds up better than the wall one when other jobs share the machine)."""

    wall: float = float("inf")
    cpu: float = float("inf")

    def best(self, other: "Side") -> "Side":
        return Side(min(self.wall, other.wall), min(self.cpu, other.cpu))


class TreeRss:
    """Peak summed RSS of this process and every descendant, sampled in a thread."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> "TreeRss":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, sum(_rss(pid) for pid in _tree(os.getpid())))


def _tree(pid: int) -> list[int]:
    pids, queue = [], [pid]
    while queue:
        current = queue.pop()
        pids.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                queue.extend(int(c) for c in (task / "children").read_text().split())
            except OSError:
                continue
    return pids


def _rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return 0
    return 0


def one_worker(paths: list[str], rounds: int) -> tuple[Side, Side, int]:
    """(extract, floor, peak tree RSS) with everything in one worker process."""
    with TreeRss() as rss, ProcessPoolExecutor(1, mp_context=get_context("spawn"), initializer=load_both) as pool:
        pool.submit(_ready).result()
        pool.submit(extract_pages, paths[:5]).result()  # warm caches on both sides alike
        pool.submit(floor_pages, paths[:5]).result()
        floor = extract = Side()
        for _round in range(rounds):
            floor = floor.best(Side(*pool.submit(floor_pages, paths).result()))
            extract = extract.best(Side(*pool.submit(extract_pages, paths).result()))
    return extract, floor, rss.peak


def two_workers(paths: list[str], rounds: int) -> tuple[Side, Side, int]:
    """(extract, floor, peak tree RSS) with the pages spread over two worker processes, as
    `extract_many(…, workers=2)` spreads them; this process only dispatches."""
    # one page a task: the pages differ tenfold in cost, and big chunks would leave one worker idle
    chunks = [[path] for path in paths]
    with TreeRss() as rss, ProcessPoolExecutor(2, mp_context=get_context("spawn"), initializer=load_both) as pool:
        list(pool.map(_ready, range(2)))
        list(pool.map(extract_pages, [paths[:3]] * 2))
        list(pool.map(floor_pages, [paths[:3]] * 2))
        floor = extract = Side()
        for _round in range(rounds):
            for measure, side in ((floor_pages, "floor"), (extract_pages, "extract")):
                started = time.perf_counter()
                cpu = sum(c for _wall, c in pool.map(measure, chunks))
                taken = Side(time.perf_counter() - started, cpu)
                floor, extract = (floor.best(taken), extract) if side == "floor" else (floor, extract.best(taken))
    return extract, floor, rss.peak


def start_up_seconds(page: str) -> tuple[float, float]:
    """A fresh interpreter until the first page's events, less that page's warm extraction:
    (wall, CPU) seconds."""
    probe = ("import sys, time; from twinwatch.app.extraction import extract_input; extract_input(sys.argv[1]); "
             "t, c = time.perf_counter(), time.process_time(); extract_input(sys.argv[1]); "
             "print(time.perf_counter() - t, time.process_time() - c)")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", probe, page], capture_output=True, text=True, cwd=REPO,
                          check=True)
    total = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    page_wall, page_cpu = (float(x) for x in done.stdout.strip().splitlines()[-1].split())
    return total - 2 * page_wall, cpu - 2 * page_cpu  # both reads of the page excluded


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--reads", type=int, default=2, help="times each page is read")
    args = parser.parse_args()
    sets = page_sets()
    distinct = [str(p) for _name, pages in sets for p in pages]
    paths = distinct * args.reads
    print(f"pages: {len(distinct)} distinct, each read {args.reads} times ({len(paths)} reads): "
          + ", ".join(f"{name} {len(pages)}" for name, pages in sets))
    # like the throughput rounds, the best of as many fresh processes: a busy neighbour only slows one
    probes = [start_up_seconds(distinct[0]) for _round in range(args.rounds)]
    startup, startup_cpu = min(wall for wall, _cpu in probes), min(cpu for _wall, cpu in probes)
    print(f"start-up: {startup:.2f} s, {startup_cpu:.2f} s of CPU (fresh process to the first page's events, "
          f"best of {len(probes)}: {', '.join(f'{wall:.2f}' for wall, _cpu in probes)} s; target ≤ 4 s)", flush=True)
    for label, measure, rss_target in (("1 worker ", one_worker, 800), ("2 workers", two_workers, 1400)):
        extract, floor, rss = measure(paths, args.rounds)
        print(f"{label}: extract {extract.wall:.2f} s ({len(paths) / extract.wall:.1f} pages/s), floor "
              f"{floor.wall:.2f} s, ratio {extract.wall / floor.wall:.2f} (target ≤ 1.0); CPU {extract.cpu:.2f} s vs "
              f"{floor.cpu:.2f} s, ratio {extract.cpu / floor.cpu:.2f}; peak RSS of the process tree "
              f"{rss / 2**20:.0f} MB (target ≤ {rss_target} MB)", flush=True)
    print(f"best of {args.rounds} alternating rounds; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
