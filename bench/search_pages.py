"""The two sites the benchmark serves.

* ``ours``: the portal's real search page (search.html and theme/ from a build of the demo
  content) with the synthetic portal's shards in search/.
* ``pagefind``: one minimal HTML page per public record, at the record's own URL, holding what
  the portal's record page shows of it (title, identifying fields, a line of facts), indexed by
  Pagefind; plus pf.html, a results page using Pagefind's JS API the way a portal would (search,
  then the data of the first ten results). The synthetic portal is not built with
  ``gongshi build``: 100,000 full record pages would take most of the benchmark's time to
  render and say nothing more about search.
"""

from __future__ import annotations

import html
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from gongshi_cli.main import main as gongshi
from gongshi_records import Corpus, Record
from gongshi_records.publication import PublicView
from gongshi_records.urls import page_of

ROOT = Path(__file__).resolve().parents[1]

PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title></head>
<body><nav>首页 执法主体 执法人员 权责清单 执法决定</nav>
<main data-pagefind-body><h1>{title}</h1><dl>{fields}</dl></main>
<footer>东江市青溪区司法局</footer></body></html>
"""

HARNESS = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>Pagefind</title></head>
<body><p id="search-status"></p><ol id="search-results"></ol>
<script type="module">
const query = new URLSearchParams(location.search).get("q") || "";
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const pagefind = await import("./pagefind/pagefind.js");
await pagefind.init();
const search = await pagefind.search(query);
window.__ids = search.results.map(r => r.id);
const first = await Promise.all(search.results.slice(0, 10).map(r => r.data()));
for (const data of first) {
  const li = document.createElement("li");
  li.className = "search-result";
  const a = document.createElement("a");
  a.href = data.url;
  a.textContent = data.meta.title;
  li.append(a);
  list.append(li);
}
status.textContent = search.results.length ? "找到 " + search.results.length : "没有找到";
</script></body></html>
"""


def our_site(target: Path, search_dir: Path) -> Path:
    """search.html and theme/ from a build of the demo, search/ from the synthetic portal."""
    with tempfile.TemporaryDirectory() as tmp:
        demo = Path(tmp) / "demo"
        code = gongshi(["build", "--content", str(ROOT / "content"), "--output", str(demo)])
        if code != 0:
            raise RuntimeError("the demo portal did not build")
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(demo / "search.html", target / "search.html")
        shutil.copytree(demo / "theme", target / "theme", dirs_exist_ok=True)
    if (target / "search").exists():
        shutil.rmtree(target / "search")
    shutil.copytree(search_dir, target / "search")
    return target


def _fields(pairs: list[tuple[str, object]]) -> str:
    return "".join(
        f"<dt>{html.escape(k)}</dt><dd>{html.escape(str(v))}</dd>" for k, v in pairs if v
    )


def record_pages(corpus: Corpus, view: PublicView) -> Iterator[tuple[str, str, str]]:
    """(URL, title, fields HTML) of every public record: what its portal page would show."""
    agencies = {r.key: str(r.get("name")) for r in corpus.of("agency")}
    for r in corpus.of("agency"):
        yield page_of(r), str(r.get("name")), _fields([("统一社会信用代码", r.get("credit_code"))])
    for r in corpus.of("officer"):
        yield page_of(r), str(r.get("name")), _officer_fields(r, agencies)
    for r in corpus.of("power"):
        fields = [("事项编码", r.get("code")), ("类别", r.get("category"))]
        yield page_of(r), str(r.get("name")), _fields(fields)
    for d in view.published:
        rec = d.record
        fields = [
            ("文号", rec.get("doc_no")),
            ("当事人", d.party_name),
            ("统一社会信用代码", rec.get("party", "credit_code")),
            ("违法行为", rec.get("violation")),
            ("执法主体", agencies.get(rec.agency or "")),
            ("决定日期", rec.get("decided_on")),
            ("主要事实", rec.get("facts")),
        ]
        yield page_of(rec), str(rec.get("title")), _fields(fields)
    for d in view.withdrawn:
        doc_no = d.record.get("doc_no")
        fields = [("文号", doc_no), ("撤回原因", d.record.get("withdrawal", "cause"))]
        yield page_of(d.record), f"撤回公告：{doc_no}", _fields(fields)


def _officer_fields(r: Record, agencies: dict[str, str]) -> str:
    return _fields(
        [
            ("执法证号", r.key),
            ("所在单位", agencies.get(r.agency or "")),
            ("执法类别", r.get("category")),
            ("证件状态", r.get("status")),
        ]
    )


def pagefind_site(target: Path, corpus: Corpus, view: PublicView) -> Path:
    if target.exists():
        shutil.rmtree(target)
    for url, title, fields in record_pages(corpus, view):
        path = target / url
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(PAGE.format(title=html.escape(title), fields=fields), "utf-8")
    (target / "pf.html").write_text(HARNESS, "utf-8")
    return target
