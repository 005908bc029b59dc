"""How long validation takes per file: the demo content, and a synthetic content folder of N
decision files written as YAML (the clerk-facing path: strict loader, schema, rules).

    .venv/bin/python bench/validate_bench.py [--decisions 5000] [--runs 5]

Reports medians of several runs; not a test (timings belong here, not in assertions).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from gongshi_records import validate_content
from gongshi_records.identifiers import uscc_check_char

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "content/agencies/qingxi-scjgj/decisions/2025/2025-006.yaml"


def median_seconds(content: Path, runs: int) -> tuple[float, int]:
    times, count = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        validation = validate_content(content)
        times.append(time.perf_counter() - start)
        count = len(validation.corpus.records)
        assert not [f for f in validation.findings if f.severity == "error"], (
            "content must be clean"
        )
    return statistics.median(times), count


def synthetic(root: Path, decisions: int) -> Path:
    """The demo content plus ``decisions`` copies of a real decision with unique numbers."""
    content = root / "content"
    shutil.copytree(ROOT / "content", content)
    text = TEMPLATE.read_text("utf-8")
    folder = content / "agencies/qingxi-scjgj/decisions/2025"
    for n in range(decisions):
        body = f"91330299MA{n:07d}"
        code = body + str(uscc_check_char(body))
        copy = text.replace("青市监处罚〔2025〕6号", f"青市监处罚〔2025〕{1000 + n}号")
        copy = copy.replace("91330299MA2JL2TT51", code)
        (folder / f"bench-{n:06d}.yaml").write_text(copy, "utf-8")
    return content


def show(label: str, seconds: float, count: int) -> None:
    per_file = seconds / count * 1000
    print(f"{label}: {count} records, median {seconds:.3f} s, {per_file:.2f} ms/file")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--decisions", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    seconds, count = median_seconds(ROOT / "content", args.runs)
    show("demo content", seconds, count)
    with tempfile.TemporaryDirectory() as tmp:
        content = synthetic(Path(tmp), args.decisions)
        seconds, count = median_seconds(content, max(1, args.runs // 2))
        show("synthetic", seconds, count)


if __name__ == "__main__":
    main()
