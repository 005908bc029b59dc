"""A measured child process for bench/scale.py: wall and CPU seconds, and peak memory.

CPU seconds (user + system, ``os.wait4``) count the child and the processes it waited for, so
they say what the work cost even when the shared machine is busy and the wall time does not.
The peak is the largest resident set of those processes (Linux ``ru_maxrss``), not their sum.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Timed:
    """One child process: wall seconds, peak resident MB, exit code, last line printed, CPU
    seconds."""

    seconds: float
    peak_mb: float
    code: int
    last: str = ""
    cpu: float = 0.0


class ChildFailed(Exception):
    pass


def run_child(
    command: list[str],
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    ok: tuple[int, ...] = (0,),
) -> Timed:
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        lines = out.read().decode("utf-8", "replace").strip().splitlines()
    if proc.returncode not in ok:
        tail = "\n".join(lines[-20:])
        raise ChildFailed(f"{' '.join(command[:4])} … exited {proc.returncode}:\n{tail}")
    cpu = usage.ru_utime + usage.ru_stime
    last = lines[-1] if lines else ""
    return Timed(seconds, usage.ru_maxrss / 1024, proc.returncode, last, cpu)
