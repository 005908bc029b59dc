"""Search benchmark: Gongshi's sharded lunr index against Pagefind on a synthetic portal.

    .venv/bin/python bench/search_bench.py                  # 100,000 decisions, 10,000 officers
    .venv/bin/python bench/search_bench.py --scale 10000    # a few minutes

Builds the synthetic portal (bench/synthetic.py) and its search shards in a child process (its
peak memory is the build's), serves the portal's real search page over them, and runs a
labelled set of queries in headless Chromium with a cold cache, counting every byte fetched
(gzip) and the time until the first result shows. Then the same queries against Pagefind
(``pagefind[extended]`` from PyPI, installed into bench/results/pagefind-venv on first use)
indexing one page per public record (bench/search_pages.py). Precision and recall are taken
over each engine's full result list. Results: a table on stdout and bench/results/search-<scale>.*
(bench/results/ is not committed).
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import search_browser  # noqa: E402
import search_pages  # noqa: E402
import synthetic  # noqa: E402
from gongshi_records.urls import page_of  # noqa: E402
from gongshi_search import write_search_index  # noqa: E402
from gongshi_search.query import Shards, search  # noqa: E402

PAGEFIND = "pagefind[extended]==1.5.2"
OFFICER_LABELS = {"officer name", "partial name", "surname", "certificate", "certificate fragment"}


@dataclass
class Measure:
    """One engine on one query."""

    label: str
    query: str
    expected: int
    found: int
    correct: int
    index_bytes: int = 0
    total_bytes: int = 0
    millis: list[float] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct / self.found if self.found else float(self.expected == 0)

    @property
    def recall(self) -> float:
        return self.correct / self.expected if self.expected else 1.0


def build_child(scale: int, folder: Path) -> dict[str, Any]:
    """Runs in a child process: generate the portal and write its shards, report the peak."""
    started = time.perf_counter()
    corpus, view = synthetic.build(scale)
    generated = time.perf_counter()
    generation_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    manifest = write_search_index(folder, corpus, view)
    return {
        "generate_s": round(generated - started, 1),
        "build_s": round(time.perf_counter() - generated, 1),
        "peak_mb_after_generation": round(generation_kb / 1024),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "decisions_published": len(view.published),
        "withdrawal_notices": len(view.withdrawn),
        "officers": len(corpus.of("officer")),
        "collections": {
            name: {k: v for k, v in entry.items() if k in ("count", "buckets")}
            | {"common": len(entry["common"])}
            for name, entry in manifest["collections"].items()
        },
    }


def run_build(scale: int, folder: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--scale", str(scale), "--build-only", str(folder)],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(done.stdout.splitlines()[-1]))


def pagefind_python(results: Path) -> Path:
    venv = results / "pagefind-venv"
    python = venv / "bin/python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", PAGEFIND], check=True)
    return python


def run_pagefind(python: Path, site: Path) -> dict[str, Any]:
    started = time.perf_counter()
    timer = ["/usr/bin/time", "-f", "%M"] if Path("/usr/bin/time").exists() else []
    done = subprocess.run(
        [*timer, str(python), "-m", "pagefind", "--site", str(site)],
        capture_output=True,
        text=True,
        check=True,
    )
    peak = done.stderr.strip().splitlines()[-1] if timer else ""
    return {
        "build_s": round(time.perf_counter() - started, 1),
        "peak_mb": round(int(peak) / 1024) if peak.isdigit() else None,
    }


def pagefind_urls(site: Path) -> dict[str, str]:
    """Result id → page URL, read from Pagefind's fragment files."""
    urls = {}
    for path in (site / "pagefind/fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd")
        urls[path.stem] = json.loads(data)["url"].lstrip("/")
    return urls


def folder_bytes(folder: Path, pattern: str = "*") -> tuple[int, int]:
    files = [p for p in folder.rglob(pattern) if p.is_file()]
    return len(files), sum(search_browser.gzip_size(p) for p in files)


def our_measures(
    site: Path, queries: list[synthetic.Labelled], ids: dict[str, str]
) -> list[Measure]:
    shards = Shards(site / "search")
    out = []
    for q in queries:
        outcome = search(shards, q.text)
        found = {ids[shards.shown(h.collection, h.number)[3]] for h in outcome.hits}
        out.append(Measure(q.label, q.text, len(q.expected), len(found), len(found & q.expected)))
    return out


def browse(
    engine: str,
    site: Path,
    page: str,
    queries: list[synthetic.Labelled],
    measures: list[Measure],
    runs: int,
    resolve: dict[str, str] | None = None,
) -> None:
    """Fills in bytes and times (and, for Pagefind, what was found) from the browser."""
    with search_browser.served(site) as base, search_browser.browser() as chromium:
        for run in range(runs):
            for q, m in zip(queries, measures, strict=True):
                visit = chromium.visit(base, page, q.text)
                m.millis.append(round(visit.millis, 1))
                if run == 0:
                    m.index_bytes, m.total_bytes = search_browser.bytes_of(site, visit.files)
                if run == 0 and resolve is not None:
                    found = {resolve[i] for i in visit.ids if i in resolve}
                    m.found, m.correct = len(visit.ids), len(found & q.expected)
            print(f"  {engine}: run {run + 1}/{runs} done", file=sys.stderr)


def summary(measures: list[Measure]) -> dict[str, Any]:
    officer = [m for m in measures if m.label in OFFICER_LABELS]
    decision = [m for m in measures if m.label not in OFFICER_LABELS]
    times = [t for m in measures for t in m.millis]

    def kb(values: list[int]) -> dict[str, float]:
        return {
            "median": round(statistics.median(values) / 1000, 1),
            "max": round(max(values) / 1000, 1),
        }

    return {
        "officer_index_kb": kb([m.index_bytes for m in officer]),
        "officer_total_kb": kb([m.total_bytes for m in officer]),
        "decision_index_kb": kb([m.index_bytes for m in decision]),
        "decision_total_kb": kb([m.total_bytes for m in decision]),
        "first_result_ms": {
            "median": round(statistics.median(times)),
            "p90": round(statistics.quantiles(times, n=10)[-1]) if len(times) > 1 else times[0],
        },
        "precision": round(statistics.mean(m.precision for m in measures), 3),
        "recall": round(statistics.mean(m.recall for m in measures), 3),
        "by_label": {
            label: {
                "precision": round(statistics.mean(m.precision for m in group), 3),
                "recall": round(statistics.mean(m.recall for m in group), 3),
            }
            for label in dict.fromkeys(m.label for m in measures)
            for group in [[m for m in measures if m.label == label]]
        },
    }


def table(report: dict[str, Any]) -> str:
    ours, pf = report["ours"], report.get("pagefind") or {}

    def row(label: str, a: Any, b: Any) -> str:
        return f"| {label} | {a} | {b if pf else 'n/a'} |"

    def pair(s: dict[str, Any], key: str) -> str:
        return f"{s[key]['median']} / {s[key]['max']}" if s else ""

    so, sp = ours["summary"], pf.get("summary", {})
    lines = [
        f"Synthetic portal: {report['portal']}",
        "",
        "| | Gongshi (lunr shards) | Pagefind extended |",
        "| --- | --- | --- |",
        row("index size, gzip (MB)", ours["index_mb"], pf.get("index_mb")),
        row("index files", ours["index_files"], pf.get("index_files")),
        row("build time (s)", ours["build_s"], pf.get("build_s")),
        row("build peak memory (MB)", ours["peak_mb"], pf.get("peak_mb")),
        row("officer lookup: index KB, median / max", pair(so, "officer_index_kb"),
            pair(sp, "officer_index_kb")),
        row("officer lookup: all KB incl. page+JS, median / max", pair(so, "officer_total_kb"),
            pair(sp, "officer_total_kb")),
        row("decision query: index KB, median / max", pair(so, "decision_index_kb"),
            pair(sp, "decision_index_kb")),
        row("decision query: all KB incl. page+JS, median / max", pair(so, "decision_total_kb"),
            pair(sp, "decision_total_kb")),
        row("first results (ms), median / p90",
            f"{so['first_result_ms']['median']} / {so['first_result_ms']['p90']}",
            sp and f"{sp['first_result_ms']['median']} / {sp['first_result_ms']['p90']}"),
        row("precision (mean over queries)", so["precision"], sp.get("precision")),
        row("recall (mean over queries)", so["recall"], sp.get("recall")),
    ]  # fmt: skip
    for label, value in so["by_label"].items():
        other = sp.get("by_label", {}).get(label, {})
        lines.append(row(f"P / R: {label}", f"{value['precision']} / {value['recall']}",
                         other and f"{other['precision']} / {other['recall']}"))  # fmt: skip
    return "\n".join(lines)


def per_query(measures: list[Measure]) -> list[dict[str, Any]]:
    return [
        asdict(m) | {"precision": round(m.precision, 3), "recall": round(m.recall, 3)}
        for m in measures
    ]


def record_ids(corpus: Any) -> dict[str, str]:
    """Page URL → ``kind:key``, the identifiers of the labelled set's answers."""
    kinds = ("agency", "officer", "power", "decision")
    return {
        page_of(r): f"{'withdrawal' if r.get('withdrawal') else r.kind}:{r.key}"
        for r in corpus.records
        if r.kind in kinds
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    results = Path(args.out)
    work = results / f"search-{args.scale}"
    print(f"building {args.scale} decisions …", file=sys.stderr)
    build = run_build(args.scale, work / "shards")
    corpus, view = synthetic.build(args.scale)
    queries = synthetic.labelled_queries(corpus, view)
    ids = record_ids(corpus)
    site = search_pages.our_site(work / "site-ours", work / "shards/search")
    files, size = folder_bytes(site / "search")
    ours = {"index_files": files, "index_mb": round(size / 1e6, 2), **build}
    measures = our_measures(site, queries, ids)
    browse("gongshi", site, "search.html", queries, measures, args.runs)
    ours |= {"summary": summary(measures), "queries": per_query(measures)}
    report: dict[str, Any] = {
        "portal": f"{build['decisions_published']} published decisions, "
        f"{build['withdrawal_notices']} withdrawal notices, {build['officers']} officers",
        "scale": args.scale,
        "ours": ours,
        "pagefind": None
        if args.skip_pagefind
        else pagefind(args, work, corpus, view, queries, ids),
    }
    return report


def pagefind(
    args: argparse.Namespace,
    work: Path,
    corpus: Any,
    view: Any,
    queries: list[synthetic.Labelled],
    ids: dict[str, str],
) -> dict[str, Any]:
    print("rendering pages for Pagefind …", file=sys.stderr)
    site = search_pages.pagefind_site(work / "site-pagefind", corpus, view)
    built = run_pagefind(pagefind_python(Path(args.out)), site)
    files, size = folder_bytes(site / "pagefind", "*.pf_*")
    resolve = {
        i: ids[url + "index.html" if url.endswith("/") or not url else url]
        for i, url in pagefind_urls(site).items()
    }
    measures = [Measure(q.label, q.text, len(q.expected), 0, 0) for q in queries]
    browse("pagefind", site, "pf.html", queries, measures, args.runs, resolve)
    return {"index_files": files, "index_mb": round(size / 1e6, 2), **built,
            "summary": summary(measures), "queries": per_query(measures)}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100_000, help="decisions (officers: 1/10)")
    parser.add_argument("--runs", type=int, default=3, help="browser runs per query (median)")
    parser.add_argument("--out", default=str(HERE / "results"))
    parser.add_argument("--skip-pagefind", action="store_true")
    parser.add_argument("--build-only", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.build_only:
        print(json.dumps(build_child(args.scale, Path(args.build_only))))
        return 0
    report = run(args)
    text = table(report)
    print(text)
    results = Path(args.out)
    (results / f"search-{args.scale}.md").write_text(text + "\n", "utf-8")
    (results / f"search-{args.scale}.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=1), "utf-8"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
