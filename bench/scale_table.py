"""The Markdown table of a bench/scale.py result (the JSON it also writes)."""

from __future__ import annotations

from typing import Any

TARGETS = {
    "build": "≥ 2× Pelican's pages/s, within 2× of Jinja's; < 3 min, < 2 GB (L)",
    "rebuild": "< 10 % of the full build",
    "rebuild-one": "< 20 % of the full build",
    "validate": "< 20 s (L)",
    "validate-warm": "< 20 s (L)",
    "validate-changed": "< 3 s (L)",
    "output": "< 1 GB (L)",
    "largest": "≤ 60 KB",
    "officer": "≤ 150 KB, fewer than Pagefind",
    "decision": "≤ 500 KB, fewer than Pagefind",
}


def fmt(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}"


def timing(measure: dict[str, Any] | None) -> str:
    if not measure:
        return "not run"
    return (
        f"{fmt(measure['seconds'], 2)} s (CPU {fmt(measure['cpu_seconds'], 2)} s), "
        f"{fmt(measure['peak_mb'], 0)} MB"
    )


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×" if b else "n/a"


def share(measure: dict[str, Any] | None, full: dict[str, Any] | None) -> str:
    if not measure or not full:
        return ""
    wall = 100 * measure["seconds"] / full["seconds"]
    cpu = 100 * measure["cpu_seconds"] / full["cpu_seconds"] if full["cpu_seconds"] else 0.0
    return f"{wall:.1f} % of the full build (CPU {cpu:.1f} %)"


def heading(result: dict[str, Any]) -> list[str]:
    s, m = result["scale"], result["machine"]
    cache = (
        "a fresh `--cache-dir` for each full build"
        if result["facts"].get("cache_dir_option")
        else "`gongshi build` has no `--cache-dir` (no build cache yet)"
    )
    return [
        f"## Scale {s['name']}: {s['decisions']:,} decisions, {s['officers']:,} officers, "
        f"{s['powers']:,} power items, {s['agencies']} agencies, {s['commits']:,} merges",
        "",
        f"{result['date']}; {m['cpus']} CPUs ({m['cpu']}), {m['ram_gb']} GB RAM, load average "
        f"at the end {m['load']}; commit {result['commit']}; median of {result['runs']} runs "
        f"(Pagefind: one); {cache}. `.venv/bin/python bench/scale.py --scale {s['name']} "
        f"--runs {result['runs']}`.",
        "",
        "| measure | Gongshi | anchor or ratio | target |",
        "| --- | --- | --- | --- |",
    ]


def gongshi_rows(result: dict[str, Any]) -> list[str]:
    ms, facts = result["measures"], result["facts"]
    build, out = ms.get("build"), facts.get("output") or {}
    rows = []
    if build and out:
        pages = out["html_pages"] / build["seconds"]
        records = facts["records"] / build["seconds"]
        rows.append(
            f"| full build | {timing(build)}; {out['html_pages']:,} HTML pages, "
            f"{fmt(pages)} pages/s, {fmt(records)} records/s | | {TARGETS['build']} |"
        )
    for name, label in (
        ("rebuild", "rebuild, nothing changed"),
        ("rebuild-one", "rebuild, one decision changed (a merge)"),
    ):
        if name in ms:
            rows.append(
                f"| {label} | {timing(ms[name])} | {share(ms[name], build)} | {TARGETS[name]} |"
            )
    for name, label in (
        ("validate", "`validate` everything, record cache empty"),
        ("validate-warm", "`validate` everything again, record cache kept"),
        ("validate-changed", "`validate --changed-since`, 10 files changed"),
    ):
        if name in ms:
            rows.append(f"| {label} | {timing(ms[name])} | | {TARGETS[name]} |")
    if "history" in ms:
        h = facts.get("history", {})
        rows.append(
            f"| history pass (`read_history` + withdrawal dates) | {timing(ms['history'])}; "
            f"{h.get('files', 0):,} files, {h.get('withdrawn', 0)} withdrawn | | |"
        )
    if "report" in ms:
        rows.append(f"| `report` | {timing(ms['report'])} | | |")
    if out:
        rows.append(
            f"| output | {fmt(out['bytes'] / 1e6)} MB in {out['files']:,} files | | "
            f"{TARGETS['output']} |"
        )
        rows.append(
            f"| largest HTML page | {fmt(out['largest_html_bytes'] / 1000)} KB "
            f"(`{out['largest_html']}`) | | {TARGETS['largest']} |"
        )
    return rows


def search_rows(result: dict[str, Any]) -> list[str]:
    facts = result["facts"]
    ours = facts.get("search", {}).get("summary", {})
    pf = facts.get("pagefind") or {}
    theirs, their_all = pf.get("summary", {}), pf.get("summary_all", {})
    rows = []
    for name, label in (("officer", "officer lookup"), ("decision", "decision query")):
        if name not in ours:
            continue
        a, b, c = ours[name], theirs.get(name), their_all.get(name)
        anchor = "Pagefind not run"
        if b and c:
            anchor = (
                f"Pagefind index {b['median_kb']} / {b['max_kb']} KB "
                f"(all incl. JS and wasm {c['median_kb']} / {c['max_kb']}); ours / Pagefind "
                f"index, medians {ratio(a['median_kb'], b['median_kb'])}"
            )
        rows.append(
            f"| search, {label}: index KB fetched (gzip), median / max of "
            f"{a['queries']} | {a['median_kb']} / {a['max_kb']} | {anchor} | "
            f"{TARGETS[name]} |"
        )
    if "pagefind" in result["measures"] and pf:
        rows.append(
            f"| Pagefind indexing the output | | {timing(result['measures']['pagefind'])}; "
            f"{fmt(pf['index_bytes'] / 1e6, 2)} MB gzip in {pf['index_files']:,} files | |"
        )
    return rows


def per_second(count: int, measure: dict[str, Any]) -> tuple[float, float]:
    """(per wall second, per CPU second)."""
    cpu = measure["cpu_seconds"]
    return count / measure["seconds"], count / cpu if cpu else 0.0


def anchor_rows(result: dict[str, Any]) -> list[str]:
    ms, facts = result["measures"], result["facts"]
    build, out = ms.get("build"), facts.get("output") or {}
    ours = per_second(out["html_pages"], build) if build and out else None
    rows = []
    if "pelican" in ms:
        p, n = ms["pelican"], facts["pelican"]["html_pages"]
        theirs = per_second(n, p)
        rows.append(
            f"| plain Pelican, {facts['records']:,} Markdown articles | | {timing(p)}; "
            f"{n:,} HTML pages, {fmt(theirs[0])} pages/s, "
            f"{fmt(facts['records'] / p['seconds'])} records/s | |"
        )
        if ours and build:
            rows.append(
                f"| **Gongshi / Pelican**: pages/s · pages per CPU s · records/s | "
                f"{ratio(ours[0], theirs[0])} · {ratio(ours[1], theirs[1])} · "
                f"{ratio(p['seconds'], build['seconds'])} | | ≥ 2× |"
            )
    if "jinja" in ms:
        j, n = ms["jinja"], facts["jinja"]["html_pages"]
        theirs = per_second(n, j)
        rows.append(
            f"| bare Jinja2 loop, same number of pages | | {timing(j)}; {n:,} pages, "
            f"{fmt(theirs[0])} pages/s | |"
        )
        if ours:
            rows.append(
                f"| **Gongshi / bare Jinja2**: pages/s · pages per CPU s | "
                f"{ratio(ours[0], theirs[0])} · {ratio(ours[1], theirs[1])} | | ≥ 0.5× |"
            )
    return rows


def markdown(result: dict[str, Any]) -> str:
    lines = heading(result) + gongshi_rows(result) + search_rows(result) + anchor_rows(result)
    return "\n".join(lines) + "\n"
