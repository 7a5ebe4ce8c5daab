"""Hostile inputs through the real CLI: each must be refused within 1.5 GB and 60 s.

    .venv/bin/python benchmarks/hostile.py [--only NAME …]

Each case runs `twinwatch extract` or `twinwatch ingest` in a subprocess on one generated
input (nothing is kept: the bombs are built in a temporary folder):

- xlsx-3M-rows: a 0.5 MB .xlsx of 3 million inline-string rows
- hwpx-mimetype-2GiB: a 2 MB .hwpx whose `mimetype` entry inflates to 2 GiB
- hwpx-lying-header: the same stream under a header declaring 200 bytes
- sparse-3GB: a 3 GB sparse .html file
- hwpx-bombs-linked: a crawl of a feed whose article links the first .hwpx bomb and which
  lists the second as an article
- robots-dribble: a host sending robots.txt one byte a second (default 20 s timeout)
- retry-after: a URL answering 503 with Retry-After: 3600 (default settings)

Peak RSS is of the whole process tree (every descendant's VmRSS summed, sampled every 20 ms,
and never below the child's own ru_maxrss); wall time is the subprocess's. The floor, measured
in the same run, is `extract` of one ordinary press-release text file: what any run costs to
start (imports, Kiwi, spaCy). Each case prints its RSS and time, their ratios to the floor, and
whether it kept within the limits; the exit status is 1 when one did not.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.support.sites import LoopbackSite, Reply, Route  # noqa: E402 - after the path set-up above
from tests.support.bombs import (GIB, DribblingServer, bomb_site,  # noqa: E402
                                 hwpx_lying_bomb, hwpx_mimetype_bomb, sparse_file, xlsx_rows)
from tests.support.pipeline_site import write_config  # noqa: E402
from twinwatch.app.demo.server import SiteServer  # noqa: E402

MAX_RSS_MB = 1536.0
MAX_SECONDS = 60.0
TWINWATCH = Path(sys.executable).with_name("twinwatch")
RELEASE = "안산시는 6일 중국 훈춘시와 우호교류 협약을 체결했다고 밝혔다.\n"


@dataclass(frozen=True)
class Measured:
    seconds: float
    peak_mb: float
    output: str


def tree_rss_kb(root: int) -> int:
    """VmRSS of `root` and all its descendants, from /proc."""
    total, pending = 0, [root]
    while pending:
        pid = pending.pop()
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            for task in Path(f"/proc/{pid}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        total += next((int(line.split()[1]) for line in status.splitlines()
                       if line.startswith("VmRSS:")), 0)
    return total


def run_cli(args: list[str], cwd: Path) -> Measured:
    started = time.perf_counter()
    child = subprocess.Popen([str(TWINWATCH), *args], cwd=cwd, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL)  # progress lines; the JSON is on stdout
    peak_kb = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_kb
        while not done.is_set():
            peak_kb = max(peak_kb, tree_rss_kb(child.pid))
            time.sleep(0.02)
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = child.stdout.read().decode("utf-8", "replace") if child.stdout else ""
    _, _, usage = os.wait4(child.pid, 0)
    child.returncode = 0  # reaped above; keep Popen from waiting again
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    return Measured(seconds, max(peak_kb, usage.ru_maxrss) / 1024, output)


def answer(output: str) -> str:
    """The refusal reason (extract's "error", ingest's drop reason), else the output's tail."""
    try:
        parsed = json.loads(output[output.index("["):])
    except ValueError:
        return output.strip()[-120:]
    first = parsed[0]
    if "error" in first:
        return str(first["error"])
    dropped = first.get("dropped") or []
    return ", ".join(reason for _, reason in dropped) or "nothing dropped"


def file_case(name: str, make: Callable[[Path], Path], command: str) -> Callable[[Path], Measured]:
    def run(folder: Path) -> Measured:
        path = make(folder / name)
        args = ["extract", "--format", "json", str(path)] if command == "extract" else \
            ["--config", str(folder / "config.toml"), "ingest", "--format", "json", str(path)]
        return run_cli(args, folder)
    return run


def writer(make_bytes: Callable[[], bytes]) -> Callable[[Path], Path]:
    def write(path: Path) -> Path:
        path.write_bytes(make_bytes())
        return path
    return write


def robots_dribble(folder: Path) -> Measured:
    with DribblingServer(interval=1.0) as host:
        return run_cli(["extract", "--format", "json", host.base + "/news/1.html"], folder)


def long_retry_after(folder: Path) -> Measured:
    routes: dict[str, Route] = {"/busy": Reply(503, b"busy", headers={"Retry-After": "3600"})}
    with LoopbackSite(routes) as site:
        return run_cli(["extract", "--format", "json", site.url("/busy")], folder)


def crawl_through_bombs(folder: Path) -> Measured:
    """A feed of two articles, one linking the 2 GiB-mimetype .hwpx, and the lying .hwpx
    listed as an article of its own."""
    with SiteServer() as server:
        server.state.resources, _ = bomb_site(server.base_url)
        config = write_config(folder / "crawl.toml", folder / "tw.db", [
            {"name": "feed", "kind": "rss", "url": f"{server.base_url}/feed.xml"}])
        return run_cli(["--config", str(config), "crawl", "--once", "--format", "json"], folder)


CASES: dict[str, Callable[[Path], Measured]] = {
    "xlsx-3M-rows/extract": file_case("rows.xlsx", writer(lambda: xlsx_rows(3_000_000)), "extract"),
    "xlsx-3M-rows/ingest": file_case("rows.xlsx", writer(lambda: xlsx_rows(3_000_000)), "ingest"),
    "hwpx-mimetype-2GiB/extract": file_case("bomb.hwpx", writer(hwpx_mimetype_bomb), "extract"),
    "hwpx-mimetype-2GiB/ingest": file_case("bomb.hwpx", writer(hwpx_mimetype_bomb), "ingest"),
    "hwpx-lying-header/ingest": file_case("liar.hwpx", writer(hwpx_lying_bomb), "ingest"),
    "sparse-3GB/extract": file_case("dump.html", lambda p: sparse_file(p, 3 * GIB), "extract"),
    "sparse-3GB/ingest": file_case("dump.html", lambda p: sparse_file(p, 3 * GIB), "ingest"),
    "hwpx-bombs-linked/crawl": crawl_through_bombs,
    "robots-dribble/extract": robots_dribble,
    "retry-after-3600/extract": long_retry_after,
}


def floor(folder: Path) -> Measured:
    release = folder / "release.txt"
    release.write_text(RELEASE, encoding="utf-8")
    return run_cli(["extract", "--format", "json", str(release)], folder)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", help="Run only cases whose name contains one of these.")
    chosen = [name for name in CASES
              if not (options := parser.parse_args()).only or any(o in name for o in options.only)]
    failed = False
    with tempfile.TemporaryDirectory(prefix="twinwatch-hostile-") as scratch:
        base = Path(scratch)
        (base / "config.toml").write_text(f'[store]\npath = "{base / "tw.db"}"\n', encoding="utf-8")
        ground = floor(base)
        print(f"{'case':28} {'peak MB':>8} {'× floor':>8} {'seconds':>8} {'× floor':>8}  verdict  answer")
        print(f"{'floor: extract one .txt':28} {ground.peak_mb:8.0f} {1:8.2f} {ground.seconds:8.1f} "
              f"{1:8.2f}  -        {answer(ground.output)}")
        for name in chosen:
            folder = base / name.replace("/", "-")
            folder.mkdir()
            (folder / "config.toml").write_text(f'[store]\npath = "{folder / "tw.db"}"\n',
                                                encoding="utf-8")
            measured = CASES[name](folder)
            within = measured.peak_mb < MAX_RSS_MB and measured.seconds < MAX_SECONDS
            failed |= not within
            print(f"{name:28} {measured.peak_mb:8.0f} {measured.peak_mb / ground.peak_mb:8.2f} "
                  f"{measured.seconds:8.1f} {measured.seconds / ground.seconds:8.2f}  "
                  f"{'ok' if within else 'OVER':7}  {answer(measured.output)}", flush=True)
            for leftover in folder.iterdir():  # a 3 GB sparse file is free; bombs are not
                leftover.unlink()
    print(f"limits: {MAX_RSS_MB:.0f} MB and {MAX_SECONDS:.0f} s per case")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
