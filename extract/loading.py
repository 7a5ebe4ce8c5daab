"""Loading the extractor's long-lived data (the gazetteer and its index of names).

They are hundreds of thousands of small Python objects made once per process. While they are
made, the cyclic garbage collector would scan the growing heap again and again (~0.3 s of every
start, benchmarks/extract_speed.py), though nothing in it is garbage; afterwards every full
collection would scan them once more. So they are made with the collector paused and then
frozen: moved out of the generations it scans (`gc.freeze`).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def long_lived() -> Iterator[None]:
    """Make what the process keeps to its end inside this block: the collector is paused (as
    the caller had it when the block ends) and what exists then is frozen."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
