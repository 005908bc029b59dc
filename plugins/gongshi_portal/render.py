"""The planned pages rendered to HTML across the machine's cores.

Rendering the pages is most of a build and every page is independent of the others, so
worker processes forked from the build render chunks of the plan (gongshi_records/forking.py:
when, and how many): a forked worker inherits the loaded site (records, Site, compiled
templates), so nothing crosses between processes but chunk bounds one way and HTML the other.
The results come back in plan order, so a build rendered in parallel writes the same files in
the same order, byte for byte, as a serial one.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Protocol

from gongshi_records import prose
from gongshi_records.forking import chunk_bounds, forked_pool, process_count

from .pages import PageSpec

# Below this many pages forking costs more than it saves (the demo portal: ~100 pages).
MIN_PAGES = 400
# Pages per task, at most: large enough that the round trip is small beside the rendering,
# small enough that the workers finish together and the parent writes while they render.
CHUNK = 100

log = logging.getLogger(__name__)


class Renderer(Protocol):
    def render_page(self, page: PageSpec) -> str: ...


# Asked of each page as it is rendered, by the process that rendered it: (name, HTML) → a
# fact about the page that saves reading it back later (the site scan's page_is_clean).
Inspect = Callable[[str, str], bool]


class PageRenderError(Exception):
    """A planned page could not be rendered (a template or data bug): the build stops and
    says which page; the previous site stays published."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"页面 {name} 生成失败：{problem}")
        self.name = name


def render_pages(
    renderer: Renderer, pages: Sequence[PageSpec], inspect: Inspect | None = None
) -> Iterator[tuple[PageSpec, str, bool]]:
    """Each planned page with its HTML and what ``inspect`` said of it (False without one),
    in plan order. The worker that renders a page inspects it while it holds the text."""
    processes = process_count(len(pages), MIN_PAGES)
    log.info("gongshi: %d 个页面由 %d 个进程生成", len(pages), processes)
    if processes <= 1:
        for page in pages:
            html = render_one(renderer, page)
            yield page, html, _inspected(inspect, page, html)
    else:
        yield from _in_pool(renderer, pages, processes, inspect)


def render_one(renderer: Renderer, page: PageSpec) -> str:
    try:
        return renderer.render_page(page)
    except Exception as problem:
        raise PageRenderError(page.name, _describe(problem)) from problem


def _inspected(inspect: Inspect | None, page: PageSpec, html: str) -> bool:
    return inspect is not None and inspect(page.name, html)


@dataclass(frozen=True)
class _Rendered:
    html: list[str]
    inspected: list[bool]  # what Inspect said of each page
    prose: list[tuple[str, str]]  # Markdown the worker converted (text, HTML): for the exports


@dataclass(frozen=True)
class _Failed:
    name: str
    problem: str
    trace: str


# What a forked worker renders: set in the parent just before the fork, inherited, never sent.
_job: tuple[Renderer, Sequence[PageSpec], Inspect | None] | None = None


def _in_pool(
    renderer: Renderer, pages: Sequence[PageSpec], processes: int, inspect: Inspect | None
) -> Iterator[tuple[PageSpec, str, bool]]:
    global _job
    chunks = chunk_bounds(len(pages), processes, CHUNK)
    _job = (renderer, pages, inspect)
    try:
        with forked_pool(processes, initializer=_start_worker) as pool:
            results = pool.map(_render_chunk, chunks)
            for start, stop in chunks:
                result = _next(results, pages[start].name, stop - start)
                for text, html in result.prose:
                    prose.remember(text, html)
                yield from zip(pages[start:stop], result.html, result.inspected, strict=True)
    finally:
        _job = None


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
    renderer, pages, inspect = _job
    start, stop = bounds
    html: list[str] = []
    for page in pages[start:stop]:
        try:
            html.append(renderer.render_page(page))
        except Exception as problem:
            return _Failed(page.name, _describe(problem), traceback.format_exc())
    # Not a page's failure when it raises: a bug of the build, raised as in one process.
    done = zip(pages[start:stop], html, strict=True)
    inspected = [_inspected(inspect, page, text) for page, text in done]
    return _Rendered(html, inspected, prose.take_added())


def _describe(problem: BaseException) -> str:
    return f"{type(problem).__name__}: {problem}"
