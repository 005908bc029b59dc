"""gongshi_records.forking.map_forked: the same results as one process, in order, whatever
the number of workers, and the work finished here when a worker dies."""

from __future__ import annotations

import logging
import os
import signal
import time
from pathlib import Path

import pytest
from gongshi_records.forking import (
    PROCESSES_ENV,
    ForkedWorkFailed,
    alongside,
    can_fork,
    chunk_bounds,
    imap_forked,
    map_forked,
    weighted_bounds,
)


@pytest.mark.parametrize("count", [0, 1, 7, 100, 1001])
@pytest.mark.parametrize("processes", ["1", "2", "3"])
def test_results_come_back_in_order(
    count: int, processes: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert can_fork()
    monkeypatch.setenv(PROCESSES_ENV, processes)
    squares = {n: n * n for n in range(count)}  # a closure over the parent's objects

    def work(start: int, stop: int) -> list[tuple[int, int]]:
        return [(n, squares[n]) for n in range(start, stop)]

    assert map_forked(work, count, minimum=10, most=16) == work(0, count)


def test_chunks_cover_every_item_once() -> None:
    for count in (0, 1, 5, 99, 1000):
        for processes in (2, 3, 8):
            bounds = chunk_bounds(count, processes, 50)
            assert [n for start, stop in bounds for n in range(start, stop)] == list(range(count))


def test_heavy_items_are_chunks_of_their_own() -> None:
    """The rebuild's privacy scan: a few pages and three large data files. By weight, each
    data file is a chunk of its own, so the files go to different processes."""
    weights = [1, 1, 4000, 1, 2000, 1, 1, 1500, 1]
    bounds = weighted_bounds(weights, 2, 200)
    assert [n for start, stop in bounds for n in range(start, stop)] == list(range(len(weights)))
    assert bounds == [(0, 2), (2, 3), (3, 4), (4, 5), (5, 7), (7, 8), (8, 9)]
    for count in (0, 1, 5, 99, 1000):  # equal weights: chunks of one size, as they always were
        size = max(1, min(50, count // 12))
        expected = [(start, min(start + size, count)) for start in range(0, count, size)]
        assert weighted_bounds([1] * count, 3, 50) == chunk_bounds(count, 3, 50) == expected


def test_weighted_work_comes_back_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """Few items, but heavy enough together to fork for; the results in order as ever."""
    monkeypatch.delenv(PROCESSES_ENV, raising=False)
    monkeypatch.setattr("os.sched_getaffinity", lambda _pid: {0, 1}, raising=False)
    parent = os.getpid()

    def work(start: int, stop: int) -> list[tuple[int, bool]]:
        return [(n, os.getpid() != parent) for n in range(start, stop)]

    weights = [1, 300, 1, 300]
    found = list(imap_forked(work, 4, minimum=400, most=200, weights=weights))
    assert [n for n, _forked in found] == [0, 1, 2, 3]
    assert all(forked for _n, forked in found)  # 602 pages' worth: forked, though 4 items
    alone = list(imap_forked(work, 4, minimum=400, most=200, weights=[1, 1, 1, 1]))
    assert alone == [(n, False) for n in range(4)]
    with pytest.raises(ValueError):
        list(imap_forked(work, 4, minimum=400, most=200, weights=[1]))


def test_a_worker_killed_leaves_the_rest_to_this_process(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv(PROCESSES_ENV, "2")
    parent = os.getpid()

    def work(start: int, stop: int) -> list[int]:
        if os.getpid() != parent and start >= 40:
            os._exit(1)  # out of memory, say
        return list(range(start, stop))

    with caplog.at_level(logging.WARNING):
        assert map_forked(work, 100, minimum=10, most=10) == list(range(100))
    assert "工作进程意外退出" in caplog.text


def test_work_alongside_runs_in_its_own_process_while_the_body_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PROCESSES_ENV, "2")
    # The body waits for the work's file: both run at once (the bound only stops a test that
    # would otherwise never end, when the work ran after the body).
    ready, done = tmp_path / "ready", tmp_path / "done"

    def work() -> None:
        ready.write_text(str(os.getpid()))

    with alongside(work):
        wait_for(ready)
        done.write_text("body")
    assert int(ready.read_text()) != os.getpid() and done.exists()


def test_a_failure_alongside_is_raised_with_its_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(PROCESSES_ENV, "2")

    def work() -> None:
        raise ValueError("写不出开放数据")

    with pytest.raises(ForkedWorkFailed, match="ValueError: 写不出开放数据"), alongside(work):
        pass


def test_a_failure_of_the_body_stops_the_work_alongside_and_its_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PROCESSES_ENV, "2")
    never, keep = os.pipe()  # nothing is ever written: only the stop ends the work
    started = tmp_path / "started"

    def blocked(start: int, stop: int) -> list[bytes]:
        (tmp_path / f"worker-{os.getpid()}").touch()
        return [os.read(never, 1) for _ in range(start, stop)]

    def work() -> None:
        started.write_text(str(os.getpid()))
        map_forked(blocked, 4, minimum=1, most=1)  # workers of its own, blocked too

    # A stop that does not reach the work's workers hangs the test: the alarm fails it.
    signal.signal(signal.SIGALRM, _too_long)
    signal.alarm(120)
    try:
        with pytest.raises(KeyError), alongside(work):
            wait_for(started)
            while not list(tmp_path.glob("worker-*")):
                time.sleep(0.01)
            raise KeyError("body")
    finally:
        signal.alarm(0)
        os.close(never)
        os.close(keep)
    with pytest.raises(ChildProcessError):
        os.waitpid(int(started.read_text()), os.WNOHANG)  # already reaped
    for worker in tmp_path.glob("worker-*"):
        wait_gone(int(worker.name.removeprefix("worker-")))


def wait_gone(pid: int) -> None:
    """Until process ``pid`` is no more (an orphan is reaped by init)."""
    bound = time.monotonic() + 60
    while _alive(pid):
        assert time.monotonic() < bound, f"process {pid} was left running"
        time.sleep(0.01)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/stat")
    # A zombie is dead, waiting for init to reap it.
    return not (status.exists() and status.read_text().split(") ")[-1].startswith("Z"))


def _too_long(_signal: int, _frame: object) -> None:
    raise AssertionError("the work alongside was not stopped")


def wait_for(path: Path) -> None:
    """Until ``path`` exists (the bound only ends a test that would never end)."""
    bound = time.monotonic() + 300
    while not path.exists():
        assert time.monotonic() < bound, f"{path} never appeared"
        time.sleep(0.01)


def test_with_one_process_the_work_runs_here_after_the_body(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(PROCESSES_ENV, "1")
    order: list[tuple[str, int]] = []
    with alongside(lambda: order.append(("work", os.getpid()))):
        order.append(("body", os.getpid()))
    assert order == [("body", os.getpid()), ("work", os.getpid())]
