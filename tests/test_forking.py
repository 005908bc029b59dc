"""gongshi_records.forking.map_forked: the same results as one process, in order, whatever
the number of workers, and the work finished here when a worker dies."""

from __future__ import annotations

import logging
import os

import pytest
from gongshi_records.forking import PROCESSES_ENV, can_fork, chunk_bounds, map_forked


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
