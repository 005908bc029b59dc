"""Scale benchmark (issue 13): Gongshi on a synthetic portal against Pelican, a bare Jinja2
loop and Pagefind, in one run on one machine.

    .venv/bin/python bench/scale.py --scale S --runs 3      # 1,000 decisions: a few minutes
    .venv/bin/python bench/scale.py --scale M --runs 1      # 10,000 decisions
    .venv/bin/python bench/scale.py --scale L               # 100,000: long; never in make test
    .venv/bin/python bench/scale.py --scale S --only build,rebuild --skip-anchors

Generates the portal as a git repository (bench/portal.py: first-parent merges written with
``git fast-import``) and measures, each the median of ``--runs`` runs, every command in a child
process (time and peak resident memory from ``os.wait4``; with a process pool, the peak of the
largest process):

* ``build``: ``gongshi build --as-of 2026-11-24`` into a fresh output with an empty build cache
  (a fresh ``--cache-dir`` when ``gongshi build`` has that option; ``GONGSHI_CACHE_DIR`` and
  ``XDG_CACHE_HOME`` point at the same fresh folder in any case);
* ``rebuild``: the same build again into the same output, nothing changed;
* ``rebuild-one``: one decision's facts edited and committed as a ``--no-ff`` merge, rebuilt;
* ``validate``: ``gongshi validate`` of everything with an empty record cache (a fresh
  ``GONGSHI_CACHE_DIR``: a CI runner's first check, or the first after a program change);
* ``validate-warm``: the same again, with the record cache the first one left (the checks
  below use that cache too, filled by an unmeasured run when ``validate`` is not measured);
* ``validate-changed``: ten decisions edited in one merge, ``validate --changed-since`` the
  commit before it;
* ``history``: the one-pass history alone (``read_history`` and every withdrawal date);
* ``report``: ``gongshi report``;
* ``search``: bytes (gzip) of the index files a query reads, officer lookups and decision
  queries of bench/synthetic.py's labelled set, read statically with
  ``gongshi_search.query.search`` (the Python twin of search-core.js) plus the manifest;
* ``output``: size, file count, HTML pages and the largest HTML page of the build.

Anchors (``--skip-anchors`` leaves them out; ``--skip-pagefind`` only Pagefind): ``pelican``,
plain Pelican building one Markdown article per record; ``jinja``, a bare Jinja2 loop writing as
many pages as the build did; ``pagefind``, Pagefind indexing the built output and the bytes its
search fetches in headless Chromium for the same queries (bench/search_browser.py).

Results: a Markdown table appended to bench/RESULTS.md (``--results-md``) with the date,
machine, commit, scale and runs, and JSON in bench/results/ (``--out``). ``--keep DIR`` keeps
the portal repository (and reuses it on the next run with the same scale) and the outputs.

The default ``make typecheck`` covers plugins/ and scripts/ only; check the bench with
``MYPYPATH=bench:tests .venv/bin/mypy bench/portal.py bench/scale.py bench/scale_*.py
bench/anchors.py bench/child.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import anchors  # noqa: E402
import scale_search  # noqa: E402
import scale_table  # noqa: E402
from child import Timed, run_child  # noqa: E402
from portal import SCALES, Scale, corpus_of, write_repository  # noqa: E402

ROOT = HERE.parent
AS_OF = "2026-11-24"
GONGSHI = [sys.executable, "-m", "gongshi_cli"]
MEASURES = (
    "build",
    "rebuild",
    "rebuild-one",
    "validate",
    "validate-warm",
    "validate-changed",
    "history",
    "report",
    "search",
    "output",
    "pelican",
    "jinja",
    "pagefind",
)
ANCHORS = {"pelican", "jinja", "pagefind"}
GIT_ENV = {
    "GIT_AUTHOR_NAME": "书记员",
    "GIT_AUTHOR_EMAIL": "clerk@example.invalid",
    "GIT_COMMITTER_NAME": "书记员",
    "GIT_COMMITTER_EMAIL": "clerk@example.invalid",
    "GIT_AUTHOR_DATE": "2026-11-23T10:00:00+0800",
    "GIT_COMMITTER_DATE": "2026-11-23T10:00:00+0800",
}
HISTORY = """\
import sys, time
from pathlib import Path
from gongshi_history.trail import read_history
started, cpu = time.perf_counter(), time.process_time()
history = read_history(Path(sys.argv[1]))
withdrawn = sum(history.withdrawn(p) is not None for p in history.paths())
print(time.perf_counter() - started, time.process_time() - cpu, len(history.paths()), withdrawn)
"""


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args],
        cwd=repo,
        env=os.environ | GIT_ENV,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip()


def commit_merge(repo: Path, paths: list[Path], note: str) -> None:
    """Edits the facts of each decision in ``paths`` on a clerk's branch and merges it into
    main with ``--no-ff``, as a reviewed pull request lands."""
    import yaml
    from portal import text_of

    git(repo, "checkout", "-q", "-B", "bench-clerk")
    for path in paths:
        data = yaml.safe_load(path.read_text("utf-8"))
        key = "facts" if "facts" in data else "content"
        data[key] = f"{data[key]}{note}"
        path.write_text(text_of(data), "utf-8")
    git(repo, "add", "--", *(str(p.relative_to(repo)) for p in paths))
    git(repo, "commit", "-q", "-m", f"更正 {len(paths)} 件执法决定")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "bench-clerk", "-m", "合并更正")


def decisions(content: Path, count: int) -> list[Path]:
    """``count`` decision files spread over the portal, the same ones every run."""
    paths = sorted(content.glob("agencies/*/decisions/*/*.yaml"))
    step = max(1, len(paths) // count)
    return paths[step // 2 :: step][:count]


def build_env(cache: Path) -> dict[str, str]:
    return os.environ | {"GONGSHI_CACHE_DIR": str(cache), "XDG_CACHE_HOME": str(cache)}


def build_command(content: Path, output: Path, cache: Path, has_cache_dir: bool) -> list[str]:
    command = [*GONGSHI, "build", "--content", str(content), "--output", str(output)]
    command += ["--as-of", AS_OF]
    return command + (["--cache-dir", str(cache)] if has_cache_dir else [])


def cache_option() -> bool:
    """Whether ``gongshi build`` has ``--cache-dir`` yet (the incremental build adds it)."""
    done = subprocess.run([*GONGSHI, "build", "--help"], capture_output=True, text=True)
    return "--cache-dir" in done.stdout


@dataclass
class Bench:
    scale: Scale
    runs: int
    only: set[str]
    work: Path
    queries: int | None = None
    times: dict[str, list[Timed]] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def repo(self) -> Path:
        return self.work / "portal"

    @property
    def content(self) -> Path:
        return self.repo / "content"

    def wants(self, *names: str) -> bool:
        return any(name in self.only for name in names)

    def note(self, name: str, timed: Timed) -> Timed:
        self.times.setdefault(name, []).append(timed)
        print(
            f"  {name}: {timed.seconds:.1f} s (CPU {timed.cpu:.1f} s), {timed.peak_mb:.0f} MB",
            file=sys.stderr,
        )
        return timed


def prepare(bench: Bench) -> None:
    """The portal repository: reused from ``--keep`` when it holds this scale."""
    marker = bench.work / "scale.txt"
    if bench.content.is_dir() and marker.exists() and marker.read_text() == bench.scale.name:
        print(f"reusing the portal in {bench.repo}", file=sys.stderr)
    else:
        shutil.rmtree(bench.repo, ignore_errors=True)
        started = time.perf_counter()
        write_repository(bench.repo, bench.scale)
        marker.write_text(bench.scale.name)
        print(f"portal written in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    # Where every run starts: the portal as generated (a reused portal keeps its first mark).
    if not git(bench.repo, "branch", "--list", "bench-start"):
        git(bench.repo, "branch", "bench-start", "main")


def one_run(bench: Bench, number: int) -> None:
    """Every Gongshi measure once, from the portal as generated."""
    repo, content = bench.repo, bench.content
    git(repo, "checkout", "-q", "-f", "main")
    git(repo, "reset", "-q", "--hard", "bench-start")
    output, cache = bench.work / "output", bench.work / f"cache-{number}"
    for old in (output, cache):
        shutil.rmtree(old, ignore_errors=True)
    cache.mkdir()
    build = build_command(content, output, cache, bench.facts["cache_dir_option"])
    env = build_env(cache)
    if bench.wants("build", "rebuild", "rebuild-one", "output", "search", "jinja", "pagefind"):
        bench.note("build", run_child(build, cwd=repo, env=env))
    if bench.wants("rebuild"):
        bench.note("rebuild", run_child(build, cwd=repo, env=env))
    if bench.wants("rebuild-one"):
        commit_merge(repo, decisions(content, 1), f"（更正 {number}）")
        bench.note("rebuild-one", run_child(build, cwd=repo, env=env))
    common = ["--content", str(content), "--as-of", AS_OF]
    # The checks share a record cache of their own: empty for "validate", filled (by that run,
    # else by one not measured) for the others, whichever of them run.
    records = bench.work / f"records-{number}"
    shutil.rmtree(records, ignore_errors=True)
    checks = build_env(records)
    validate = [*GONGSHI, "validate", *common]
    if bench.wants("validate"):
        bench.note("validate", run_child(validate, cwd=repo, env=checks))
    elif bench.wants("validate-warm", "validate-changed", "report"):
        run_child(validate, cwd=repo, env=checks)
    if bench.wants("validate-warm"):
        bench.note("validate-warm", run_child(validate, cwd=repo, env=checks))
    if bench.wants("validate-changed"):
        before = git(repo, "rev-parse", "HEAD")
        commit_merge(repo, decisions(content, 10), f"（再次更正 {number}）")
        changed = [*GONGSHI, "validate", *common, "--changed-since", before]
        bench.note("validate-changed", run_child(changed, cwd=repo, env=checks))
    if bench.wants("history"):
        timed = run_child([sys.executable, "-c", HISTORY, str(content)], cwd=repo)
        seconds, cpu, files, withdrawn = timed.last.split()
        bench.facts["history"] = {"files": int(files), "withdrawn": int(withdrawn)}
        bench.note("history", Timed(float(seconds), timed.peak_mb, 0, cpu=float(cpu)))
    if bench.wants("report"):
        report = [*GONGSHI, "report", *common]
        bench.note("report", run_child(report, cwd=repo, env=checks, ok=(0, 1)))
    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(records, ignore_errors=True)


def output_stats(output: Path) -> dict[str, Any]:
    files = [p for p in output.rglob("*") if p.is_file()]
    pages = [p for p in files if p.suffix == ".html"]
    largest = max(pages, key=lambda p: p.stat().st_size, default=None)
    return {
        "files": len(files),
        "bytes": sum(p.stat().st_size for p in files),
        "html_pages": len(pages),
        "largest_html": largest.relative_to(output).as_posix() if largest else None,
        "largest_html_bytes": largest.stat().st_size if largest else 0,
    }


def run_anchors(bench: Bench, corpus: Any, pages: int) -> None:
    root = bench.work / "anchors"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir()
    if bench.wants("pelican"):
        md, conf = anchors.write_pelican_site(root / "pelican", corpus)
        for _ in range(bench.runs):
            out = root / "pelican-output"
            shutil.rmtree(out, ignore_errors=True)
            bench.note("pelican", run_child(anchors.pelican_command(md, conf, out), cwd=root))
        bench.facts["pelican"] = output_stats(root / "pelican-output")
    if bench.wants("jinja"):
        records = root / "records.jsonl"
        anchors.write_jinja_records(records, corpus)
        for _ in range(bench.runs):
            out = root / "jinja-output"
            shutil.rmtree(out, ignore_errors=True)
            timed = run_child(anchors.jinja_command(records, out, pages))
            loop = json.loads(timed.last)
            timed.seconds, timed.cpu = float(loop["seconds"]), float(loop["cpu"])
            bench.note("jinja", timed)
        bench.facts["jinja"] = {"html_pages": pages}


def measure(bench: Bench) -> dict[str, Any]:
    prepare(bench)
    bench.facts["cache_dir_option"] = cache_option()
    gongshi = set(MEASURES) - ANCHORS
    if bench.wants(*gongshi, "jinja", "pagefind"):
        for number in range(bench.runs):
            print(f"run {number + 1}/{bench.runs}", file=sys.stderr)
            one_run(bench, number)
    # Only this run's output counts (a kept work folder may hold an older one).
    output = bench.work / "output" if "build" in bench.times else None
    if output is not None:
        bench.facts["output"] = output_stats(output)
    if not bench.wants("search", "pagefind", *ANCHORS) and output is None:
        return summary(bench)  # nothing needs the records: do not generate them again
    corpus = corpus_of(bench.scale)
    bench.facts["records"] = sum(1 for _ in anchors.records_of(corpus))
    if bench.wants("search", "pagefind") and output is not None:
        queries = scale_search.queries(corpus, bench.queries)
        bench.facts["search"] = scale_search.ours(output, queries)
        if bench.wants("pagefind"):
            timed, pf = scale_search.pagefind(output, queries, bench.work / "pagefind-site")
            bench.note("pagefind", timed)
            bench.facts["pagefind"] = pf
    pages = bench.facts.get("output", {}).get("html_pages") or bench.facts["records"]
    run_anchors(bench, corpus, pages)
    return summary(bench)


def median(bench: Bench, name: str) -> dict[str, float] | None:
    runs = bench.times.get(name)
    if not runs:
        return None
    # Microseconds kept: the history pass of the tiny portal takes milliseconds of CPU, which
    # rounded to hundredths read as none (the table shows hundredths).
    return {
        "seconds": round(statistics.median(t.seconds for t in runs), 6),
        "cpu_seconds": round(statistics.median(t.cpu for t in runs), 6),
        "peak_mb": round(max(t.peak_mb for t in runs)),
        "runs": len(runs),
    }


def summary(bench: Bench) -> dict[str, Any]:
    return {
        "date": subprocess.run(
            ["date", "-u", "+%Y-%m-%d %H:%M UTC"], capture_output=True, text=True
        ).stdout.strip(),
        "machine": machine(),
        "commit": commit(),
        "scale": bench.scale.__dict__,
        "runs": bench.runs,
        "measures": {name: median(bench, name) for name in MEASURES if bench.times.get(name)},
        "facts": bench.facts,
    }


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    return {"cpus": os.cpu_count(), "cpu": cpu, "ram_gb": round(pages / 2**30, 1), "load": load}


def commit() -> str:
    head = git(ROOT, "rev-parse", "--short", "HEAD")
    dirty = git(ROOT, "status", "--porcelain", "--untracked-files=no")
    return head + (" (with uncommitted changes)" if dirty else "")


@contextmanager
def workdir(keep: Path | None) -> Iterator[Path]:
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        yield keep.resolve()
        return
    with tempfile.TemporaryDirectory(prefix="gongshi-scale-") as tmp:
        yield Path(tmp)


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=tuple(SCALES), default="S")
    parser.add_argument("--runs", type=int, default=3, help="runs of each measure (median)")
    parser.add_argument("--skip-anchors", action="store_true", help="no Pelican, Jinja, Pagefind")
    parser.add_argument("--skip-pagefind", action="store_true", help="no Pagefind (no browser)")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="work here and keep it all")
    parser.add_argument("--only", metavar="M,…", help="measures to run: " + ",".join(MEASURES))
    parser.add_argument("--queries", type=int, metavar="N", help="at most N queries of each kind")
    parser.add_argument("--out", type=Path, default=HERE / "results", help="JSON folder")
    parser.add_argument("--results-md", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args(argv)
    only = set(args.only.split(",")) if args.only else set(MEASURES)
    if unknown := only - set(MEASURES):
        parser.error(f"unknown measures: {', '.join(sorted(unknown))}")
    if args.skip_anchors:
        only -= ANCHORS
    if args.skip_pagefind:
        only.discard("pagefind")
    args.only_set = only
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    with workdir(args.keep) as work:
        bench = Bench(SCALES[args.scale], args.runs, args.only_set, work, args.queries)
        result = measure(bench)
    text = scale_table.markdown(result)
    print(text)
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = result["date"][:10]
    json_path = args.out / f"scale-{args.scale}-{stamp}.json"
    json_path.write_text(json.dumps(result, ensure_ascii=False, indent=1), "utf-8")
    with args.results_md.open("a", encoding="utf-8") as md:
        md.write(("\n" if args.results_md.stat().st_size else "") + text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
