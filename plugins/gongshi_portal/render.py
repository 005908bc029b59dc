"""The planned pages rendered to HTML across the machine's cores.

Rendering the pages is most of a build and every page is independent of the others, so
worker processes forked from the build render chunks of the plan: a forked worker inherits
the loaded site (records, Site, compiled templates), so nothing crosses between processes but
chunk bounds one way and HTML the other. The results come back in plan order, so a build
rendered in parallel writes the same files in the same order, byte for byte, as a serial one.

Serial instead when there are few pages or one core, where the platform cannot fork, when
the build runs beside other threads (``gongshi serve`` builds in a watcher thread: a thread
holding a lock at the fork would leave the worker waiting on it for ever), and when
``GONGSHI_RENDER_PROCESSES=1`` asks for it (debugging: one process, tracebacks in place).
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import threading
import traceback
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Protocol

from gongshi_records import prose

from .pages import PageSpec

# How many processes render pages; unset: one per core this process may run on.
PROCESSES_ENV = "GONGSHI_RENDER_PROCESSES"
# Below this many pages forking costs more than it saves (the demo portal: ~100 pages).
MIN_PAGES = 400
# Pages per task, at most: large enough that the round trip is small beside the rendering,
# small enough that the workers finish together and the parent writes while they render.
CHUNK = 100

log = logging.getLogger(__name__)


class Renderer(Protocol):
    def render_page(self, page: PageSpec) -> str: ...


class PageRenderError(Exception):
    """A planned page could not be rendered (a template or data bug): the build stops and
    says which page; the previous site stays published."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"页面 {name} 生成失败：{problem}")
        self.name = name


def render_pages(renderer: Renderer, pages: Sequence[PageSpec]) -> Iterator[tuple[PageSpec, str]]:
    """Each planned page with its HTML, in plan order."""
    processes = process_count(len(pages))
    log.info("gongshi: %d 个页面由 %d 个进程生成", len(pages), processes)
    if processes <= 1:
        for page in pages:
            yield page, render_one(renderer, page)
    else:
        yield from _in_pool(renderer, pages, processes)


def render_one(renderer: Renderer, page: PageSpec) -> str:
    try:
        return renderer.render_page(page)
    except Exception as problem:
        raise PageRenderError(page.name, _describe(problem)) from problem


def process_count(pages: int) -> int:
    """How many processes render ``pages`` pages (1: in this process). A count set in
    GONGSHI_RENDER_PROCESSES is used whatever the number of pages (the tests' way to fork
    for a small portal); otherwise one per core, for a plan of at least MIN_PAGES pages."""
    wanted = os.environ.get(PROCESSES_ENV, "").strip()
    if wanted:
        try:
            count = int(wanted)
        except ValueError:
            log.warning("gongshi: %s=%r 不是整数，按 1 个进程生成页面", PROCESSES_ENV, wanted)
            return 1
    elif pages < MIN_PAGES:
        return 1
    else:
        count = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    return count if count > 1 and pages > 1 and can_fork() else 1


def can_fork() -> bool:
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and threading.current_thread() is threading.main_thread()
        and threading.active_count() == 1
    )


@dataclass(frozen=True)
class _Rendered:
    html: list[str]
    prose: list[tuple[str, str]]  # Markdown the worker converted (text, HTML): for the exports


@dataclass(frozen=True)
class _Failed:
    name: str
    problem: str
    trace: str


# What a forked worker renders: set in the parent just before the fork, inherited, never sent.
_job: tuple[Renderer, Sequence[PageSpec]] | None = None


def _in_pool(
    renderer: Renderer, pages: Sequence[PageSpec], processes: int
) -> Iterator[tuple[PageSpec, str]]:
    global _job
    # At least four chunks per process, so a slow chunk does not leave the others idle.
    size = max(1, min(CHUNK, len(pages) // (processes * 4)))
    chunks = [(start, min(start + size, len(pages))) for start in range(0, len(pages), size)]
    _job = (renderer, pages)
    # Objects that exist at the fork are never collected in the workers: the collector would
    # otherwise write to every one of them and copy the parent's memory into each worker.
    gc.freeze()
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(processes, mp_context=context, initializer=_start_worker)
    try:
        results = pool.map(_render_chunk, chunks)
        for start, stop in chunks:
            result = _next(results, pages[start].name, stop - start)
            for text, html in result.prose:
                prose.remember(text, html)
            yield from zip(pages[start:stop], result.html, strict=True)
    finally:
        # Also when the build stops half way: no chunk still queued is rendered for nothing.
        pool.shutdown(wait=True, cancel_futures=True)
        _job = None
        gc.unfreeze()


def _next(results: Iterator[_Rendered | _Failed], first: str, count: int) -> _Rendered:
    """The next chunk's pages, or the build stopped with the page that failed."""
    try:
        result = next(results)
    except BrokenProcessPool as broken:  # a worker killed (out of memory …), not a page's bug
        where = f"{first} 起的 {count} 个页面之一"
        raise PageRenderError(where, "生成页面的进程意外退出（内存不足？）") from broken
    if isinstance(result, _Failed):
        log.debug("gongshi: %s", result.trace)
        raise PageRenderError(result.name, result.problem)
    return result


def _start_worker() -> None:
    prose.take_added()  # what the parent converted before the fork, it has already


def _render_chunk(bounds: tuple[int, int]) -> _Rendered | _Failed:
    assert _job is not None, "a render worker runs only in a process forked by _in_pool"
    renderer, pages = _job
    start, stop = bounds
    html = []
    for page in pages[start:stop]:
        try:
            html.append(renderer.render_page(page))
        except Exception as problem:
            return _Failed(page.name, _describe(problem), traceback.format_exc())
    return _Rendered(html, prose.take_added())


def _describe(problem: BaseException) -> str:
    return f"{type(problem).__name__}: {problem}"
