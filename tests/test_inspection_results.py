"""双随机 results for the public: one view (gongshi_records.inspections) behind the inspection
page, search, open data and the feed; natural persons masked, withdrawn follow-ups unnamed."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

from conftest import Result, write
from gongshi_portal.feeds import InspectionEntry, inspection_summary, render_inspection_feed
from gongshi_records import Corpus, validate_content
from gongshi_records.inspections import public_results
from gongshi_records.publication import PublicView, public_view
from gongshi_search.documents import TYPES, inspection_doc, inspection_docs
from gongshi_search.query import Shards, collections_for, search, searchable
from gongshi_search.writer import write_search_index

AS_OF = dt.date(2026, 11, 24)
PAGE = "agencies/demo-bureau/inspections/2026-food-sales.html"
INSPECTION = """\
title: 2026年度食品销售者双随机抽查
year: 2026
subject: 东江市测试区市场监督管理局
basis:
  - law: 《中华人民共和国食品安全法》
objects: 辖区内食品销售者
content: 进货查验记录
ratio: "5%"
method: 现场检查
frequency: 每年1次
results:
  - party: {name: 东江市测试区百川商贸有限公司, credit_code: 91330299MA2Q8R6T1U}
    checked_on: 2026-03-20
    outcome: 未发现问题
  - party: {name: 欧阳春晓, kind: 自然人}
    checked_on: 2026-05-08
    outcome: 发现问题已责令整改
  - party: {name: 东江市测试区临江五金店, kind: 个体工商户, credit_code: 92330299MA2P7L3K5E}
    checked_on: 2025-06-02
    outcome: 发现问题已立案查处
    decision: 测市监处罚〔2025〕7号
  - party: {name: 东江市测试区青禾食品有限公司, credit_code: 91330299MA2B3C4D59}
    checked_on: 2026-03-20
    outcome: 发现问题已立案查处
    decision: 测市监处罚〔2026〕1号
"""


def portal(mini: Path) -> tuple[Corpus, PublicView]:
    write(mini / "agencies/demo-bureau/inspections/2026-food-sales.yaml", INSPECTION)
    validation = validate_content(mini)
    assert validation.findings == []
    return validation.corpus, public_view(validation.corpus, AS_OF)


def test_results_are_masked_and_name_only_published_follow_ups(mini: Path) -> None:
    results = public_results(*portal(mini))
    assert [(r.checked_on, r.number) for r in results] == [
        ("2026-05-08", 2),
        ("2026-03-20", 1),
        ("2026-03-20", 4),
        ("2025-06-02", 3),
    ]
    person = results[0]
    assert (person.party_name, person.natural_person, person.anchor) == ("欧阳某", True, "result-2")
    followups = {r.number: r.followup for r in results}
    assert followups[4] is not None and followups[4].record.get("doc_no") == "测市监处罚〔2026〕1号"
    assert followups[3] is None  # 测市监处罚〔2025〕7号 was withdrawn
    assert followups[1] is None


def test_full_names_are_kept_where_the_settings_say_so(mini: Path) -> None:
    path = mini / "portal.yaml"
    path.write_text(path.read_text("utf-8") + "settings: {party_name: 全名}\n", "utf-8")
    names = {r.party_name for r in public_results(*portal(mini))}
    assert "欧阳春晓" in names


def test_search_finds_a_result_by_the_party_name_and_credit_code(
    mini: Path, tmp_path: Path
) -> None:
    corpus, view = portal(mini)
    write_search_index(tmp_path, corpus, view)
    shards = Shards(tmp_path / "search")

    def pages(text: str, **filters: str) -> list[str]:
        hits = search(shards, text, filters).hits
        return [shards.shown(h.collection, h.number)[3] for h in hits]

    assert pages("百川商贸") == [f"{PAGE}#result-1"]
    assert pages("91330299MA2Q8R6T1U") == [f"{PAGE}#result-1"]
    assert pages("欧阳某", type="inspection") == [f"{PAGE}#result-2"]
    assert pages("春晓") == []  # the full name of a natural person is not indexed
    assert pages("百川商贸", type="decision") == []
    assert pages("青禾食品", type="inspection") == [f"{PAGE}#result-4"]
    assert f"{PAGE}#result-4" in pages("青禾食品")  # beside the decision itself
    assert pages("临江五金", year="2025") == [f"{PAGE}#result-3"]
    assert collections_for("inspection") == ["decisions"] and "inspection" in TYPES


def test_every_token_of_a_result_can_be_checked_against_its_store(mini: Path) -> None:
    corpus, view = portal(mini)
    docs = list(inspection_docs(corpus, view))
    assert len(docs) == 4
    for doc in docs:
        shown = [doc.title, doc.text, doc.date, doc.url, doc.extra]
        facets = {"category": doc.category, "year": doc.year}
        assert not set(doc.terms) - searchable(shown, "东江市测试区市场监督管理局", facets)
    person = inspection_doc(public_results(corpus, view)[0], "")
    assert "欧阳" in person.terms and not {"春晓", "阳春", "春", "晓"} & set(person.terms)
    assert "春晓" not in person.title + person.text + person.extra


def test_the_inspection_page_shows_published_names_and_links(
    mini: Path, gongshi: Callable[..., Result], tmp_path: Path
) -> None:
    portal(mini)
    out = tmp_path / "site"
    result = gongshi("build", "--content", str(mini), "--output", str(out), "--as-of", "2026-11-24")
    assert result.code == 0, result.out + result.err
    page = (out / PAGE).read_text("utf-8")
    assert '<tr id="result-2">' in page and "欧阳某" in page and "欧阳春晓" not in page
    assert 'demo-bureau/decisions/2026/2026-001.html">测市监处罚〔2026〕1号<' in page
    assert "测市监处罚〔2025〕7号" not in page  # the withdrawn one, not even named
    home = (out / "index.html").read_text("utf-8")
    assert "最新双随机抽查结果" in home and f"{PAGE}#result-2" in home
    feed = ET.parse(out / "feeds/inspections.atom.xml").getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    assert [e.findtext(f"{atom}title") for e in feed.findall(f"{atom}entry")] == [
        "抽查结果：2026年度食品销售者双随机抽查"
    ]
    everything = "\n".join(p.read_text("utf-8", "replace") for p in out.rglob("*") if p.is_file())
    assert "欧阳春晓" not in everything and "春晓" not in everything


def test_the_feed_counts_outcomes_and_leaves_out_inspections_without_results(
    mini: Path,
) -> None:
    corpus, view = portal(mini)
    results = public_results(corpus, view)
    assert inspection_summary(results) == (
        "抽查 4 户，检查日期 2025-06-02 至 2026-05-08：发现问题已立案查处 2 户，"
        "发现问题已责令整改 1 户，未发现问题 1 户"
    )
    inspection = corpus.of("inspection")[0]
    day = dt.date(2026, 5, 9)
    feed = render_inspection_feed(
        "测试平台",
        "t",
        "https://example.gov.cn/gs",
        [InspectionEntry(inspection, results, day), InspectionEntry(inspection, [], day)],
    )
    root = ET.fromstring(feed)
    atom = "{http://www.w3.org/2005/Atom}"
    entries = root.findall(f"{atom}entry")
    assert len(entries) == 1
    link = entries[0].find(f"{atom}link")
    assert link is not None and link.get("href") == f"https://example.gov.cn/gs/{PAGE}"
    assert entries[0].findtext(f"{atom}updated") == "2026-05-09T00:00:00+08:00"
    empty = ET.fromstring(render_inspection_feed("测试平台", "t", "", []))
    assert empty.findall(f"{atom}entry") == []
