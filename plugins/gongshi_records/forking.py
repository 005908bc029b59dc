"""Work spread over the machine's cores by worker processes forked from the build.

A forked worker inherits everything the build has loaded (records, the site, compiled
templates, a collection's postings), so only small tasks cross to it and results back. Used by
the page rendering (gongshi_portal/render.py), the privacy scan of the output (sitescan.py),
the search index's term buckets (gongshi_search/buckets.py), the open data's decision rows
(gongshi_exports/rows.py) and the open data as a whole beside the search index (``alongside``),
with one policy:

* one process per core this process may run on, for at least ``minimum`` tasks;
* ``GONGSHI_RENDER_PROCESSES=N`` sets the count whatever the number of tasks (the tests' way to
  fork for a small portal; ``1`` for debugging: one process, tracebacks in place);
* never where the platform cannot fork, nor when the build runs beside other threads
  (``gongshi serve`` builds in a watcher thread: a thread holding a lock at the fork would
  leave the worker waiting on it for ever).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, BinaryIO, TypeVar

from .collector import freeze, unfreeze

# How many processes the build uses; unset: one per core this process may run on.
PROCESSES_ENV = "GONGSHI_RENDER_PROCESSES"
# Records whose work is light (a decision's deadlines or public view, a rule across records):
# forked from this many on, at most this many a task; fewer, and the fork costs more than it
# saves.
LIGHT_RECORDS = 5000
LIGHT_RECORDS_PER_TASK = 5000

log = logging.getLogger(__name__)
T = TypeVar("T")


def process_count(tasks: int, minimum: int) -> int:
    """How many processes share ``tasks`` tasks (1: this process alone)."""
    wanted = os.environ.get(PROCESSES_ENV, "").strip()
    if wanted:
        try:
            count = int(wanted)
        except ValueError:
            log.warning("gongshi: %s=%r 不是整数，按 1 个进程生成", PROCESSES_ENV, wanted)
            return 1
    elif tasks < minimum:
        return 1
    else:
        count = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    return count if count > 1 and tasks > 1 and can_fork() else 1


def can_fork() -> bool:
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and threading.current_thread() is threading.main_thread()
        and threading.active_count() == 1
    )


def chunk_bounds(count: int, processes: int, most: int) -> list[tuple[int, int]]:
    """``range(count)`` cut into chunks of at most ``most``, at least four per process, so a
    slow chunk does not leave the other processes idle."""
    return weighted_bounds([1] * count, processes, most)


def weighted_bounds(weights: Sequence[int], processes: int, most: int) -> list[tuple[int, int]]:
    """``chunk_bounds`` by weight: consecutive items weighing together at most ``most``, and at
    most a quarter of a process's share (an item heavier alone is a chunk of its own), so a few
    large items (the data files among the pages) go to different processes."""
    size = max(1, min(most, sum(weights) // (processes * 4)))
    bounds: list[tuple[int, int]] = []
    start, held = 0, 0
    for index, weight in enumerate(weights):
        if held and held + weight > size:
            bounds.append((start, index))
            start, held = index, 0
        held += weight
    if start < len(weights):
        bounds.append((start, len(weights)))
    return bounds


@contextlib.contextmanager
def forked_pool(
    processes: int, initializer: Callable[[], None] | None = None
) -> Iterator[ProcessPoolExecutor]:
    """A pool of ``processes`` workers forked from this process. Objects that exist at the
    fork are never collected in the workers: the collector would otherwise write to every one
    of them and copy the parent's memory into each worker. On leaving, also when the caller
    stops half way, no task still queued is run for nothing."""
    freeze()
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(processes, mp_context=context, initializer=initializer)
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        unfreeze()


# The work of map_forked: set in the parent just before the fork, inherited, never sent.
_work: Callable[[int, int], list[Any]] | None = None


def map_forked(
    work: Callable[[int, int], list[T]], count: int, *, minimum: int, most: int
) -> list[T]:
    """``list(imap_forked(...))``: every result at once."""
    return list(imap_forked(work, count, minimum=minimum, most=most))


def imap_forked(
    work: Callable[[int, int], list[T]],
    count: int,
    *,
    minimum: int,
    most: int,
    weights: Sequence[int] | None = None,
) -> Iterator[T]:
    """``work(start, stop)``, one result per item, over ``range(count)`` cut into chunks,
    yielded in order as the chunks come back: in forked workers when there are at least
    ``minimum`` items (the policy above), else here. ``work`` may be any callable (a closure
    over the build's objects): the workers inherit it, only chunk bounds and results cross.
    With ``weights`` (one per item, in the units of ``minimum`` and ``most``), the items are
    counted and cut by weight (``weighted_bounds``). A worker killed (out of memory …): what
    is left is done here, with a warning."""
    global _work
    if weights is not None and len(weights) != count:
        raise ValueError(f"{len(weights)} weights for {count} items")
    total = count if weights is None else sum(weights)
    processes = process_count(total, minimum) if count > 1 else 1
    done = 0
    if processes > 1:
        _work = work
        bounds = (
            chunk_bounds(count, processes, most)
            if weights is None
            else weighted_bounds(weights, processes, most)
        )
        try:
            with forked_pool(processes) as pool:
                for part in pool.map(_run_chunk, bounds):
                    done += len(part)
                    yield from part
        except BrokenProcessPool:
            log.warning("gongshi: 工作进程意外退出，其余 %d 项在主进程中处理", count - done)
        finally:
            _work = None
    if done < count:
        yield from work(done, count)


def _run_chunk(bounds: tuple[int, int]) -> list[Any]:
    assert _work is not None, "runs only in a process forked by imap_forked"
    return _work(*bounds)


class ForkedWorkFailed(Exception):
    """The work ``alongside`` ran in its own process raised: its traceback, as text."""


@contextlib.contextmanager
def alongside(work: Callable[[], object] | None) -> Iterator[None]:
    """``work()`` in a process forked for it while the body of the ``with`` runs here: for
    work independent of the body's whose result is the files it writes (nothing comes back).
    Here, after the body, when the policy gives one process (one core,
    ``GONGSHI_RENDER_PROCESSES=1``, a thread beside the build) or no process can be forked.
    Leaving the ``with`` waits for the process; its failure is raised here
    (``ForkedWorkFailed``), and a failure of the body stops it first, with any worker it
    forked in turn (it leads a process group of its own)."""
    forked = _fork(work) if work is not None and process_count(2, 2) > 1 else None
    if forked is None:
        yield
        if work is not None:
            work()
        return
    child, report = forked
    try:
        try:
            yield
        except BaseException:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child, signal.SIGTERM)
            raise
        finally:
            _pid, status = os.waitpid(child, 0)
            report.seek(0)
            failure = report.read().decode("utf-8", "replace")
            report.close()
    finally:
        unfreeze()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise ForkedWorkFailed(failure or f"进程退出状态 {code}")


def _fork(work: Callable[[], object]) -> tuple[int, BinaryIO] | None:
    """The forked process running ``work`` and the file it reports a failure to; None when no
    process can be forked (the work then runs here)."""
    # Read once the process is gone (waitpid, then the file): never an end of a pipe that a
    # worker the process forked still holds open.
    report = tempfile.TemporaryFile()  # noqa: SIM115 - closed by alongside, after the process
    for stream in (sys.stdout, sys.stderr):
        stream.flush()  # or the process writes what this one had not written yet
    freeze()
    try:
        pid = os.fork()
    except OSError:
        unfreeze()
        report.close()
        log.warning("gongshi: 无法创建进程，在主进程中继续")
        return None
    if pid == 0:  # pragma: no cover - the child; its coverage is not collected
        _run_and_exit(work, report)
    with contextlib.suppress(OSError):  # its own group from here on, whichever runs first
        os.setpgid(pid, pid)
    return pid, report


def _run_and_exit(work: Callable[[], object], report: BinaryIO) -> None:  # pragma: no cover
    """The forked process: ``work()``, its traceback to ``report`` if it fails, and out
    without unwinding into the build (whose ``finally`` blocks would remove the staging
    site)."""
    code = 1
    try:
        os.setpgid(0, 0)  # its own group: stopped with every worker it forks
        try:
            work()
            code = 0
        except BaseException:
            report.write(traceback.format_exc().encode("utf-8"))
            report.flush()
    finally:
        os._exit(code)
