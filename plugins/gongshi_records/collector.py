"""The cycle collector kept off a large structure of plain values: paused while it is built,
frozen while it is used."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused(*, collected: bool = False) -> Iterator[None]:
    """No cycle collection inside: decoding a cache of 100,000 records, or making a record of
    each, allocates millions of containers, and the collector walked all those made so far
    again and again (more time than the work itself at that scale). Only plain values are
    built inside (no YAML is parsed: an error's traceback is a cycle), and reference counting
    still frees what is dropped. Nests: only the outermost turns the collector back on.
    ``collected``: what is garbage is collected first, so that freezing what is made inside
    (``freeze``) freezes no one else's garbage (an unclosed pipe would then be finalised much
    later, anywhere)."""
    was_on = gc.isenabled()
    if collected and was_on:
        gc.collect()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


# gc.freeze() is one switch for the whole process: forked work runs inside other forked work
# (the open data's row workers in the process alongside the build, the search index's pool
# beside it), and the first to finish must not unfreeze what the others still rely on.
_frozen = 0


def freeze() -> None:
    """What exists now is not walked by the collector until the matching ``unfreeze``: the
    parent's objects in forked workers (the collector would write to each and copy its
    memory), the records of a check while its rules run. Counted: nests, and only the
    outermost freezes (an inner one would freeze the garbage made since too)."""
    global _frozen
    if _frozen == 0:
        gc.freeze()
    _frozen += 1


def unfreeze() -> None:
    global _frozen
    _frozen -= 1
    if _frozen == 0:
        gc.unfreeze()
