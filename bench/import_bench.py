"""How long `gongshi import` takes for a register of N decisions, and how much memory it needs.

    .venv/bin/python bench/import_bench.py [--rows 10000] [--runs 3]

Builds an XLSX register of N new decisions for the demo content (copies of a real decision with
unique 文号, credit codes and ids, written by `gongshi export`'s own sheet writer), then times
`gongshi import --dry-run` and a real import into a fresh copy of the demo content. Each run is
a fresh process, so peak memory (ru_maxrss) is that run's own; the table shows medians. Not a
test: timings belong here, not in assertions.
"""

from __future__ import annotations

import argparse
import copy
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from gongshi_clerk.sheet_export import export_sheet
from gongshi_clerk.xlsx import write_xlsx
from gongshi_records.identifiers import uscc_check_char
from gongshi_records.model import Record
from gongshi_records.registry import Kind, place_of
from gongshi_records.yamlload import load_path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "content/agencies/qingxi-scjgj/decisions/2025/2025-006.yaml"


def register(path: Path, rows: int) -> float:
    """Write an XLSX register of ``rows`` new decisions; returns the seconds it took."""
    template = load_path(TEMPLATE).data
    records = []
    for n in range(rows):
        data = copy.deepcopy(template)
        data["doc_no"] = f"青市监处罚〔2025〕{1000 + n}号"
        body = f"91330299MA{n:07d}"
        data["party"]["credit_code"] = body + str(uscc_check_char(body))
        relative = f"agencies/qingxi-scjgj/decisions/2025/bench-{n:05d}.yaml"
        place = place_of(relative)
        assert place is not None
        records.append(Record(Kind.DECISION, relative, place, data, {}))
    start = time.perf_counter()
    exported = export_sheet(Kind.DECISION, records)
    write_xlsx(path, [exported.sheet])
    return time.perf_counter() - start


def one_run(register_path: Path, dry_run: bool) -> dict[str, float]:
    """One import in this process, into a fresh copy of the demo content."""
    from gongshi_cli.main import main

    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        shutil.copytree(ROOT / "content", content)
        argv = ["import", str(register_path), "--content", str(content)]
        start = time.perf_counter()
        code = main([*argv, "--dry-run"] if dry_run else argv)
        seconds = time.perf_counter() - start
        assert code == 0, f"import failed with exit code {code}"
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
    return {"seconds": seconds, "peak_mb": peak_mb}


def measure(register_path: Path, dry_run: bool, runs: int) -> tuple[float, float]:
    times, peaks = [], []
    for _ in range(runs):
        mode = ["--dry-run-once"] if dry_run else ["--import-once"]
        done = subprocess.run(
            [sys.executable, __file__, *mode, str(register_path)],
            check=True,
            capture_output=True,
            text=True,
        )
        result = json.loads(done.stdout.strip().splitlines()[-1])
        times.append(result["seconds"])
        peaks.append(result["peak_mb"])
    return statistics.median(times), statistics.median(peaks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dry-run-once", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--import-once", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.dry_run_once or args.import_once:
        result = one_run(args.dry_run_once or args.import_once, bool(args.dry_run_once))
        print(json.dumps(result))
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "decisions.xlsx"
        written = register(path, args.rows)
        size = path.stat().st_size / 1024 / 1024
        print(
            f"register: {args.rows} decision rows, {size:.1f} MB XLSX, written in {written:.1f} s"
        )
        print(f"{'step':<24}{'median s':>10}{'rows/s':>10}{'peak MB':>10}   ({args.runs} runs)")
        for label, dry in (("import --dry-run", True), ("import (writes files)", False)):
            seconds, peak = measure(path, dry, args.runs)
            print(f"{label:<24}{seconds:>10.1f}{args.rows / seconds:>10.0f}{peak:>10.0f}")


if __name__ == "__main__":
    main()
