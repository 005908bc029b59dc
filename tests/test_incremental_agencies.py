"""Incremental builds of a portal of several agencies (the demo's four, one of them entrusted
by another): a change inside one agency renders that agency's pages again — its hub, its
supervision page and its annual reports among them — and leaves every other agency's pages as
they were; and each rebuild is byte for byte a build from an empty cache, so a page left stale
by a fingerprint that missed an input fails here. Real Pelican builds of a real git history."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from gitrepo import WITHDRAWAL, Repo
from gongshi_portal.buildcache import BuildCache
from gongshi_records.paths import PROJECT_ROOT
from test_incremental import Builds

AS_OF = dt.date(2026, 11, 24)
DEMO = PROJECT_ROOT / "content"
AGENCIES = sorted(p.name for p in (DEMO / "agencies").iterdir() if p.is_dir())
MARKET = "qingxi-scjgj"
WATER = "qingxi-slj"
STREET = "qingxi-xsjd-zfd"  # a 受委托组织, entrusted by ENTRUSTING
ENTRUSTING = "qingxi-zhzf"


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    repo = Repo(tmp_path / "repo")
    files = {
        f"content/{p.relative_to(DEMO).as_posix()}": p.read_text("utf-8")
        for p in sorted(DEMO.rglob("*"))
        if p.is_file()
    }
    repo.commit(files, "2026-11-02T10:00:00+08:00", "建立门户")
    return repo


def agency_pages(cache: BuildCache, agency: str) -> dict[str, str]:
    """The fingerprints of the pages under the agency's folder."""
    return {n: p for n, p in cache.pages.items() if n.startswith(f"agencies/{agency}/")}


def rerendered(before: BuildCache, after: BuildCache, agency: str) -> set[str]:
    old = agency_pages(before, agency)
    return {n for n, p in agency_pages(after, agency).items() if old.get(n) != p}


def edit(repo: Repo, path: str, old: str, new: str) -> str:
    text = (repo.root / path).read_text("utf-8")
    assert old in text, (path, old)
    return text.replace(old, new, 1)


def test_a_change_in_one_agency_renders_only_its_pages(repo: Repo, tmp_path: Path) -> None:
    builds = Builds(repo, tmp_path)
    first = builds.check(AS_OF)
    hub, supervision = "agencies/{}/index.html", "agencies/{}/supervision.html"
    for agency in AGENCIES:
        assert hub.format(agency) in first.pages and supervision.format(agency) in first.pages
    assert any(n.startswith(f"agencies/{MARKET}/statistics/") for n in first.pages)

    # (a) a decision of the market bureau corrected.
    decision = f"content/agencies/{MARKET}/decisions/2026/2026-004.yaml"
    text = edit(repo, decision, "的糕点案", "的糕点一案")
    repo.commit({decision: text}, "2026-11-03T10:00:00+08:00", "更正")
    edited = builds.check(AS_OF)
    assert {hub.format(MARKET), supervision.format(MARKET)} <= rerendered(first, edited, MARKET)
    for agency in set(AGENCIES) - {MARKET}:
        assert rerendered(first, edited, agency) == set(), agency

    # (b) a water bureau officer's certificate now ends within the notice window: that
    # bureau's supervision page lists it; nothing of the other agencies changes.
    officer = f"content/agencies/{WATER}/officers/33029919020001.yaml"
    text = edit(repo, officer, "valid_until: 2027-05-09", "valid_until: 2026-12-10")
    repo.commit({officer: text}, "2026-11-04T10:00:00+08:00", "换证")
    expiring = builds.check(AS_OF)
    assert supervision.format(WATER) in rerendered(edited, expiring, WATER)
    assert "2026年12月10日" in (builds.output / supervision.format(WATER)).read_text("utf-8")
    for agency in set(AGENCIES) - {WATER}:
        assert rerendered(edited, expiring, agency) == set(), agency

    # (c) the entrusted street team publishes a decision weeks late: its own supervision
    # page counts it; what the entrusting bureau's pages show is whatever a fresh build says
    # (Builds.check), and the two unrelated bureaus are not touched.
    late = f"content/agencies/{STREET}/decisions/2026/2026-041.yaml"
    source = (repo.root / f"content/agencies/{STREET}/decisions/2026/2026-040.yaml").read_text(
        "utf-8"
    )
    new = source.replace("2026〕40号", "2026〕41号").replace(
        "decided_on: 2026-11-20", "decided_on: 2026-10-09"
    )
    assert new.count("41号") == 1 and "2026-10-09" in new
    repo.commit({late: new}, "2026-11-20T10:00:00+08:00", "补录")
    added = builds.check(AS_OF)
    assert supervision.format(STREET) in rerendered(expiring, added, STREET)
    for agency in set(AGENCIES) - {STREET, ENTRUSTING}:
        assert rerendered(expiring, added, agency) == set(), agency

    # (d) the entrusting bureau renamed: every page naming it, across agencies, is new.
    agency_file = f"content/agencies/{ENTRUSTING}/agency.yaml"
    name = "东江市青溪区综合行政执法局"
    text = edit(repo, agency_file, f"name: {name}", "name: 东江市青溪区城市管理综合执法局")
    repo.commit({agency_file: text}, "2026-11-21T10:00:00+08:00", "更名")
    renamed = builds.check(AS_OF)
    assert hub.format(STREET) in rerendered(added, renamed, STREET)


def test_a_figure_from_another_agency_renders_the_page_showing_it(
    repo: Repo, tmp_path: Path
) -> None:
    """Not every input of an agency's pages is one of its records: an annual report links the
    portal-wide page of its year when some agency owes figures for that year. The water
    bureau's 2023 report exists only for its file; a 2023 decision migrated into the market
    bureau (withdrawn then, so shown nowhere) makes 2023 a year of the portal, and the water
    bureau's report links it — with no record of the water bureau changed (agency_facts)."""
    statistics = f"content/agencies/{WATER}/statistics"
    old = (repo.root / f"{statistics}/2024.yaml").read_text("utf-8")
    older = old.replace("year: 2024", "year: 2023").replace("2024-07-29", "2023-07-29")
    older = older.replace("reported_on: 2025-01-09", "reported_on: 2024-01-09")
    repo.commit({f"{statistics}/2023.yaml": older}, "2026-11-03T10:00:00+08:00", "补录统计")
    builds = Builds(repo, tmp_path)
    before = builds.check(AS_OF)
    report = f"agencies/{WATER}/statistics/2023.html"
    assert report in before.pages
    assert "statistics/2023.html#" not in (builds.output / report).read_text("utf-8")

    source = f"content/agencies/{MARKET}/decisions/2024/2024-003.yaml"
    migrated = edit(repo, source, "〔2024〕3号", "〔2023〕3号")
    migrated = migrated.replace("decided_on: 2024-01-18", "decided_on: 2023-11-16")
    migrated = migrated.replace("published_on: 2024-01-23", "published_on: 2023-11-21")
    # Withdrawn long ago: not on the site, so no list or facet of the portal changes with it;
    # still counted in the statistics (and so in the years owed).
    migrated += WITHDRAWAL.format(day="2023-12-01")
    target = f"content/agencies/{MARKET}/decisions/2023/2023-003.yaml"
    repo.commit({target: migrated}, "2026-11-04T10:00:00+08:00", "迁移")
    after = builds.check(AS_OF)
    assert report in rerendered(before, after, WATER)
    assert "statistics/2023.html#" in (builds.output / report).read_text("utf-8")
