"""The cycle collector paused while a large structure of plain values is built."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No cycle collection inside: decoding a cache of 100,000 records, or making a record of
    each, allocates millions of containers, and the collector walked all those made so far
    again and again (more time than the work itself at that scale). What is built is
    acyclic, and reference counting still frees what is dropped. On leaving, what exists is
    frozen (never walked again) before the collector is back, or its first pass walks all of
    it at once. Nests: only the outermost turns the collector back on."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.freeze()
            gc.enable()
