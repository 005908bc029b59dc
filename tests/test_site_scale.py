"""Site's per-build indexes: the same answers as a scan, and 文号 links in any accepted spelling."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from conftest import Result, write
from gongshi_portal.pages import plan
from gongshi_portal.site import Site
from gongshi_records import validate_content
from gongshi_records.publication import public_view

Run = Callable[..., Result]
AS_OF = "2026-11-24"
DECISION_PAGE = "agencies/demo-bureau/decisions/2026/2026-001.html"

INSPECTION = """\
title: 食品经营者监督检查
year: 2026
subject: 东江市测试区市场监督管理局
basis:
  - law: 《中华人民共和国食品安全法》
objects: 辖区内的食品经营者
content: 进货查验记录、超过保质期食品处置情况
ratio: 5%
method: 实地核查
frequency: 每年1次
results:
  - party:
      name: 东江市测试区青禾食品有限公司
    checked_on: 2026-03-20
    outcome: 发现问题已立案查处
    decision: 测市监处罚[2026]1号
"""


def _site(content: Path) -> Site:
    validation = validate_content(content)
    corpus = validation.corpus
    return Site(corpus, public_view(corpus, dt.date.fromisoformat(AS_OF)))


def test_doc_no_in_any_accepted_spelling_finds_the_decision(mini: Path) -> None:
    site = _site(mini)
    for spelling in (
        "测市监处罚〔2026〕1号",
        "测市监处罚[2026]1号",
        "测市监处罚【2026】1号",
        "测市监处罚〔2026〕第1号",
    ):
        found = site.decision_by_doc_no(spelling)
        assert found is not None, spelling
        assert found.record.get("doc_no") == "测市监处罚〔2026〕1号"
    assert site.decision_by_doc_no("测市监处罚〔2026〕99号") is None
    assert site.decision_by_doc_no(None) is None


def test_inspection_result_links_a_bracket_variant(
    mini: Path, gongshi: Run, tmp_path: Path
) -> None:
    write(mini / "agencies/demo-bureau/inspections/food-2026.yaml", INSPECTION)
    out = tmp_path / "site"
    result = gongshi("build", "--content", str(mini), "--output", str(out), "--as-of", AS_OF)
    assert result.code == 0, result.out
    page = (out / "agencies/demo-bureau/inspections/food-2026.html").read_text("utf-8")
    assert f'{DECISION_PAGE}">测市监处罚[2026]1号</a>' in page


def test_indexes_answer_as_the_scans_did(mini: Path) -> None:
    site = _site(mini)
    view, corpus = site.view, site.corpus
    for agency in site.agencies():
        key = agency.key
        assert site.decisions(key) == view.by_agency(key)
        assert site.withdrawn(key) == [d for d in view.withdrawn if d.record.agency == key]
        for kind in ("officer", "power", "flowchart", "inspection", "statistics"):
            scanned = [r for r in corpus.of(kind) if r.agency == key]
            assert corpus.by_agency(kind, key) == scanned
            assert site.of_agency(kind, key) == sorted(scanned, key=lambda r: r.key)
            assert site.one_of_agency(kind, key) == next(iter(scanned), None)
    for record in corpus.of("decision"):
        shown = view.published + view.withdrawn
        assert site.on_site(record) == any(d.record.path == record.path for d in shown)
    years = {str(d.record.get("decided_on"))[:4] for d in view.published}
    assert site.decision_years() == sorted(years, reverse=True)


def test_roster_pages_get_their_officers_grouped_by_agency(mini: Path) -> None:
    site = _site(mini)
    rosters = [p for p in plan(site) if p.template == "officers"]
    assert rosters
    for page in rosters:  # a page of a paginated roster: its officers, grouped by the template
        officers = list(page.context["pager"].items)
        expected = [
            (a, [o for o in officers if o.agency == a.key])
            for a in site.agencies()
            if any(o.agency == a.key for o in officers)
        ]
        assert site.officer_groups(officers) == expected
