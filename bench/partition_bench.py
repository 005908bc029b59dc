"""A partitioned build against one build of the same content (docs/scaling.md, "Figures").

Runs, each as its own process: `gongshi validate`, one full `gongshi build`, the N agency parts
(`--part K/N`, one after the other: on a CI system they run at once) and the final
`--merge`; reports the median wall time, CPU time and peak memory of each, the ratios to the
full build, and whether the merged site equals the full one byte for byte.

    cd bench && ../.venv/bin/python partition_bench.py /tmp/M/content --as-of 2026-11-24 --parts 3

With ``--parts 1`` the part is ``V + A`` and the merge ``V + G + S`` of the docs' method.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

GONGSHI = [sys.executable, "-m", "gongshi_cli"]


@dataclass(frozen=True)
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds
    peak_mib: float  # peak resident memory


def timed(argv: list[str]) -> Run:
    """One command as a child process, its wall time, CPU time and peak memory (wait4)."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    err = child.stderr.read().decode() if child.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{err}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def one_round(content: Path, as_of: str, parts: int, work: Path) -> dict[str, list[Run]]:
    common = ["--content", str(content), "--as-of", as_of]
    runs: dict[str, list[Run]] = {"validate": [timed([*GONGSHI, "validate", *common])]}
    runs["full build"] = [timed([*GONGSHI, "build", *common, "--output", str(work / "whole")])]
    folders = [work / f"part-{k}" for k in range(1, parts + 1)]
    runs["one part"] = [
        timed([*GONGSHI, "build", *common, "--part", f"{k}/{parts}", "--output", str(folder)])
        for k, folder in enumerate(folders, start=1)
    ]
    merge = ["--merge", *map(str, folders), "--output", str(work / "merged")]
    runs["merge"] = [timed([*GONGSHI, "build", *common, *merge])]
    return runs


def differing(one: Path, two: Path) -> int:
    """How many files are missing from either tree or differ in bytes."""

    def files(root: Path) -> dict[str, Path]:
        return {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()}

    a, b = files(one), files(two)
    odd = set(a) ^ set(b)
    return len(odd) + sum(a[n].read_bytes() != b[n].read_bytes() for n in set(a) & set(b))


def report(rounds: list[dict[str, list[Run]]], parts: int) -> str:
    def median(key: str, field: str, pick: str = "all") -> float:
        values = []
        for runs in rounds:
            chosen = [float(getattr(r, field)) for r in runs[key]]
            values += [max(chosen)] if pick == "max" else chosen
        return statistics.median(values)

    full = median("full build", "wall")
    rows = [
        ("validate", "validate", "all"),
        ("full build", "full build", "all"),
        (f"one part of {parts} (median)", "one part", "all"),
        (f"largest part of {parts}", "one part", "max"),
        ("merge (global outputs, copy, seal)", "merge", "all"),
    ]
    lines = [
        "| step | wall (s) | CPU (s) | peak (MiB) | wall ÷ full build |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for label, key, pick in rows:
        wall = median(key, "wall", pick)
        cpu, peak = median(key, "cpu", pick), median(key, "peak_mib", pick)
        lines.append(f"| {label} | {wall:.1f} | {cpu:.1f} | {peak:.0f} | {wall / full:.2f} |")
    path = median("one part", "wall", "max") + median("merge", "wall")
    lines.append(f"| critical path: largest part + merge | {path:.1f} | | | {path / full:.2f} |")
    return "\n".join(lines)


def main() -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("content", type=Path)
    args.add_argument("--as-of", required=True)
    args.add_argument("--parts", type=int, default=2)
    args.add_argument("--runs", type=int, default=1)
    options = args.parse_args()
    rounds = []
    for _ in range(options.runs):
        work = Path(tempfile.mkdtemp(prefix="gongshi-partition-bench-"))
        try:
            rounds.append(one_round(options.content, options.as_of, options.parts, work))
            different = differing(work / "whole", work / "merged")
        finally:
            shutil.rmtree(work, ignore_errors=True)
        print(f"merged site against the full build: {different} files differ", file=sys.stderr)
        if different:
            return 1
    print(report(rounds, options.parts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
