"""bench/scale.py end to end at the tiny scale: one run, anchors on (Pelican, the bare Jinja2
loop, and Pagefind from PyPI in bench/results/pagefind-venv, searched in headless Chromium).

Checks that the report has every row and that the numbers make sense together; no timing
thresholds (the machine is shared and timings are noise at this size).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from support import ROOT

ROWS = [
    "| full build |",
    "| rebuild, nothing changed |",
    "| rebuild, one decision changed (a merge) |",
    "| `validate` everything, record cache empty |",
    "| `validate` everything again, record cache kept |",
    "| `validate --changed-since`, 10 files changed |",
    "| history pass (`read_history` + withdrawal dates) |",
    "| `report` |",
    "| output |",
    "| largest HTML page |",
    "| search, officer lookup: index KB fetched (gzip)",
    "| search, decision query: index KB fetched (gzip)",
    "| Pagefind indexing the output |",
    "| plain Pelican, ",
    "| **Gongshi / Pelican**: pages/s · pages per CPU s · records/s |",
    "| bare Jinja2 loop, same number of pages |",
    "| **Gongshi / bare Jinja2**: pages/s · pages per CPU s |",
]


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], str, Path]:
    tmp = tmp_path_factory.mktemp("scale")
    results = tmp / "RESULTS.md"
    results.write_text("# earlier results\n", "utf-8")
    command = [
        sys.executable,
        str(ROOT / "bench/scale.py"),
        "--scale",
        "tiny",
        "--runs",
        "1",
        "--queries",
        "4",
        "--out",
        str(tmp / "out"),
        "--results-md",
        str(results),
        "--keep",
        str(tmp / "work"),
    ]
    subprocess.run(command, check=True, cwd=ROOT, capture_output=True, text=True)
    [found] = (tmp / "out").glob("scale-tiny-*.json")
    return json.loads(found.read_text("utf-8")), results.read_text("utf-8"), tmp / "work"


def test_the_table_has_every_row_and_keeps_earlier_results(
    bench: tuple[dict[str, Any], str, Path],
) -> None:
    _, text, _ = bench
    assert text.startswith("# earlier results\n")
    assert "## Scale tiny: 60 decisions, 20 officers, 24 power items, 3 agencies, 12 merges" in text
    for row in ROWS:
        assert sum(line.startswith(row) for line in text.splitlines()) == 1, row
    assert "not run" not in text and "Pagefind not run" not in text


def test_every_measure_ran_once_with_a_time_and_a_peak(
    bench: tuple[dict[str, Any], str, Path],
) -> None:
    result, _, _ = bench
    assert result["runs"] == 1 and result["machine"]["cpus"] >= 1
    measures = result["measures"]
    assert set(measures) == {
        "build",
        "rebuild",
        "rebuild-one",
        "validate",
        "validate-warm",
        "validate-changed",
        "history",
        "report",
        "pelican",
        "jinja",
        "pagefind",
    }
    for name, measure in measures.items():
        assert measure["seconds"] > 0 and measure["runs"] == 1, name
        assert measure["cpu_seconds"] > 0, name
        assert measure["peak_mb"] > 10, name  # a Python process, measured, not a default 0


def test_output_and_anchor_counts_agree(bench: tuple[dict[str, Any], str, Path]) -> None:
    result, _, work = bench
    facts = result["facts"]
    out = facts["output"]
    pages = sorted((work / "output").rglob("*.html"))
    assert out["html_pages"] == len(pages) > facts["records"] > 60
    assert out["largest_html_bytes"] == max(p.stat().st_size for p in pages)
    assert out["bytes"] > out["largest_html_bytes"] and out["files"] > out["html_pages"]
    assert facts["jinja"]["html_pages"] == out["html_pages"]
    # One article per record, plus Pelican's own index, category and archive pages.
    assert facts["pelican"]["html_pages"] > facts["records"]
    assert facts["history"]["files"] >= facts["records"]


def test_search_bytes_are_counted_for_both_engines(
    bench: tuple[dict[str, Any], str, Path],
) -> None:
    result, _, _ = bench
    ours, theirs = result["facts"]["search"], result["facts"]["pagefind"]
    assert [q["query"] for q in ours["queries"]] == [q["query"] for q in theirs["queries"]]
    for name in ("officer", "decision"):
        assert ours["summary"][name]["queries"] == 4
        assert 0 < ours["summary"][name]["median_kb"] <= ours["summary"][name]["max_kb"]
        assert 0 < theirs["summary"][name]["median_kb"] <= theirs["summary_all"][name]["median_kb"]
    # A query reads the manifest and at least one bucket.
    assert all(q["files"] >= 2 for q in ours["queries"])
    assert any(q["hits"] for q in theirs["queries"])


def test_the_changes_were_committed_as_merges(bench: tuple[dict[str, Any], str, Path]) -> None:
    _, _, work = bench
    repo = work / "portal"
    log = subprocess.run(
        ["git", "log", "--first-parent", "--format=%P|%s", "-3", "main"],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    lines = log.splitlines()
    assert [line.split("|")[1] for line in lines[:2]] == ["合并更正", "合并更正"]
    assert all(len(line.split("|")[0].split()) == 2 for line in lines[:2])
    changed = subprocess.run(
        ["git", "diff", "--name-only", "HEAD^1", "HEAD"],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert len(changed) == 10 and all("/decisions/" in path for path in changed)
