"""Search bytes for bench/scale.py: what one query fetches from Gongshi's built output, and
what Pagefind fetches for it after indexing that same output.

Ours is read statically: ``gongshi_search.query.search`` is the Python twin of search-core.js
(the tests compare them) and lists every index file a query reads; the manifest is read by every
query. Each query starts cold (new ``Shards``), as a visitor's first search does. Sizes are gzip,
what a server with compression on sends. Pagefind needs its own JavaScript, so its queries run in
headless Chromium (bench/search_browser.py), on a copy of the output with Pagefind's bundle.
"""

from __future__ import annotations

import datetime as dt
import gzip
import shutil
import statistics
from functools import cache
from pathlib import Path
from typing import Any

from child import Timed, run_child
from gongshi_records import Corpus
from gongshi_records.publication import public_view
from gongshi_search.query import Shards, search
from synthetic import labelled_queries

HERE = Path(__file__).resolve().parent
AS_OF = dt.date(2026, 11, 24)
OFFICER_LABELS = {"officer name", "partial name", "surname", "certificate", "certificate fragment"}
Query = tuple[str, str]  # (label, text)


def queries(corpus: Corpus, most: int | None = None) -> list[Query]:
    """bench/synthetic.py's labelled queries on this portal, each text once; with ``most``, at
    most that many officer lookups and as many decision queries, spread over the list."""
    found = labelled_queries(corpus, public_view(corpus, AS_OF))
    every = list(dict.fromkeys((q.label, q.text) for q in found))
    if most is None:
        return every
    kept: list[Query] = []
    for name in ("officer", "decision"):
        mine = [q for q in every if group(q[0]) == name]
        kept += mine[:: max(1, -(-len(mine) // most))][:most]
    return kept


def group(label: str) -> str:
    return "officer" if label in OFFICER_LABELS else "decision"


@cache
def gzip_size(path: Path) -> int:
    """Compressed size as served; files already gzip (Pagefind's) as they are."""
    data = path.read_bytes()
    return len(data) if data[:2] == b"\x1f\x8b" else len(gzip.compress(data, compresslevel=6))


def ours(output: Path, asked: list[Query]) -> dict[str, Any]:
    folder = output / "search"
    per_query = []
    for label, text in asked:
        outcome = search(Shards(folder), text)
        files = ["manifest.json", *dict.fromkeys(outcome.files)]
        size = sum(gzip_size(folder / name) for name in files)
        per_query.append(
            {
                "label": label,
                "query": text,
                "files": len(files),
                "bytes": size,
                "hits": len(outcome.hits),
            }
        )
    return {"summary": kilobytes(per_query), "queries": per_query}


def kilobytes(per_query: list[dict[str, Any]], key: str = "bytes") -> dict[str, Any]:
    """Median and maximum KB of officer lookups and of decision queries."""
    out: dict[str, Any] = {}
    for name in ("officer", "decision"):
        values = [q[key] for q in per_query if group(q["label"]) == name]
        if values:
            out[name] = {
                "median_kb": round(statistics.median(values) / 1000, 1),
                "max_kb": round(max(values) / 1000, 1),
                "queries": len(values),
            }
    return out


def pagefind_site(output: Path, site: Path) -> Path:
    """A copy of the built output with Pagefind's results page (search_pages.HARNESS)."""
    from search_pages import HARNESS

    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(output, site)
    # Done also when nothing is found: search_browser waits for a result or ``data-outcome``.
    done = 'status.setAttribute("data-outcome", search.results.length ? "found" : "none");\n'
    (site / "pf.html").write_text(HARNESS.replace("</script>", done + "</script>"), "utf-8")
    return site


def pagefind(output: Path, asked: list[Query], site: Path) -> tuple[Timed, dict[str, Any]]:
    """Pagefind indexing the output (seconds and peak MB), then the bytes it fetches per query:
    index files (``index``) and everything, page, scripts and WebAssembly included (``all``)."""
    import search_bench
    import search_browser

    pagefind_site(output, site)
    python = search_bench.pagefind_python(HERE / "results")
    built = run_child([str(python), "-m", "pagefind", "--site", str(site)])
    files = [p for p in (site / "pagefind").rglob("*") if p.is_file()]
    per_query = []
    with search_browser.served(site) as base, search_browser.browser() as chromium:
        for label, text in asked:
            visit = chromium.visit(base, "pf.html", text)
            index, total = search_browser.bytes_of(site, visit.files)
            per_query.append(
                {
                    "label": label,
                    "query": text,
                    "bytes": index,
                    "all": total,
                    "hits": len(visit.ids),
                }
            )
    facts = {
        "index_files": len(files),
        "index_bytes": sum(gzip_size(p) for p in files),
        "summary": kilobytes(per_query),
        "summary_all": kilobytes(per_query, "all"),
        "queries": per_query,
    }
    return built, facts
