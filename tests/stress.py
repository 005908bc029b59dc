"""Runs the browser tests many times on a busy machine and reports every failure.

``make test-stress`` (README): starts busy loops (two by default, like a CI machine with other
jobs), runs ``pytest -m browser`` RUNS times, stops the loops whatever happens, and prints one
line per run and the failing tests with how often each failed. Exit 1 when any run failed.
"""

from __future__ import annotations

import argparse
import collections
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).parents[1]
FAILED = re.compile(r"^(?:FAILED|ERROR) (\S+)", re.MULTILINE)


@contextmanager
def busy_loops(count: int) -> Iterator[None]:
    loops = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]
    try:
        yield
    finally:
        for loop in loops:
            loop.kill()
        for loop in loops:
            loop.wait()


def run_once(pytest_args: list[str], log: Path) -> tuple[bool, list[str], str]:
    """One pytest run; a failing run's whole output is kept in ``log`` for the trace."""
    command = [sys.executable, "-m", "pytest", "-m", "browser", "-q", "-rfE",
               "-p", "no:cacheprovider", *pytest_args]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr
    if done.returncode != 0:
        log.write_text(done.stdout + done.stderr, "utf-8")
        summary += f"  (output: {log})"
    return done.returncode == 0, FAILED.findall(done.stdout), summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--loops", type=int, default=2, help="busy loops to run meanwhile")
    parser.add_argument("pytest_args", nargs="*", help="passed on to pytest")
    args = parser.parse_args(argv)
    failures: collections.Counter[str] = collections.Counter()
    failed_runs = 0
    logs = Path(tempfile.mkdtemp(prefix="gongshi-stress-"))
    with busy_loops(args.loops):
        for number in range(1, args.runs + 1):
            started = time.monotonic()
            passed, failed, summary = run_once(args.pytest_args, logs / f"run-{number}.txt")
            failed_runs += not passed
            failures.update(failed)
            seconds = time.monotonic() - started
            print(f"run {number}/{args.runs}: {'ok  ' if passed else 'FAIL'} "
                  f"{seconds:5.0f} s  {summary}", flush=True)  # fmt: skip
    print(f"\n{args.runs - failed_runs} of {args.runs} runs passed with {args.loops} busy loops.")
    for test, count in failures.most_common():
        print(f"  {count}× {test}")
    return 1 if failed_runs else 0


if __name__ == "__main__":
    sys.exit(main())
