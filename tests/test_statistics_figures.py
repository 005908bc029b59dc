"""The annual figures computed from the records (gongshi_statistics.figures.compute), on a
portal whose every figure is known (tests/statsfixture.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import write
from gongshi_records import Corpus, validate_content
from gongshi_records.publication import public_view
from gongshi_records.vocabulary import CATEGORIES, PENALTY_KINDS
from gongshi_statistics.figures import LICENCE_OUTCOMES, NO_OUTCOME, compute
from gongshi_statistics.model import CategoryFigures, KindFigures, PortalStatistics, YearFigures
from gongshi_statistics.reported import reported_fields
from statsfixture import AS_OF, QUIET, statistics_portal


@pytest.fixture
def corpus(mini: Path) -> Corpus:
    validation = validate_content(statistics_portal(mini))
    assert validation.findings == [], [f.text() for f in validation.findings]
    return validation.corpus


@pytest.fixture
def stats(corpus: Corpus) -> PortalStatistics:
    return compute(corpus, AS_OF)


def year_of(stats: PortalStatistics, agency: str | None, year: int) -> YearFigures:
    total, agencies = stats.year(year)
    found = total if agency is None else agencies.get(agency)
    assert found is not None, (agency, year)
    return found


def category(year: YearFigures, name: str) -> CategoryFigures:
    return next(c for c in year.categories if c.category == name)


def kind(year: YearFigures, name: str) -> KindFigures:
    return next(k for k in year.penalty_kinds if k.kind == name)


def test_years_owed_and_the_current_one(stats: PortalStatistics) -> None:
    # Without history an agency's first year is its earliest decision's; the current year
    # (figures so far) follows the owed ones.
    assert stats.years == [2024, 2025, 2026]
    assert [y.year for y in stats.by_agency["demo-bureau"]] == [2025, 2026]
    assert [y.year for y in stats.by_agency["quiet-bureau"]] == [2024, 2025, 2026]
    assert [y.year for y in stats.portal] == [2024, 2025, 2026]


def test_every_decision_counts_withdrawn_and_expired_included(
    corpus: Corpus, stats: PortalStatistics
) -> None:
    view = public_view(corpus, AS_OF)
    shown = {d.record.place.id for d in view.published}
    assert "2025-002" not in shown and "2025-007" not in shown  # expired; withdrawn
    assert [d.record.place.id for d in view.withdrawn] == ["2025-007"]
    year = year_of(stats, "demo-bureau", 2025)
    penalties = category(year, "行政处罚")
    # 2025-002 (its publicity period is over), 2025-007 (withdrawn) and 2025-009.
    assert (penalties.decisions, penalties.withdrawn) == (3, 1)
    assert penalties.fines == Decimal(205000) and penalties.confiscated == 0
    assert [c.category for c in year.categories] == list(CATEGORIES)
    assert (year.decisions, year.withdrawn, year.fines) == (7, 1, Decimal(205000))
    assert category(year, "行政许可").decisions == 3 and category(year, "行政强制").decisions == 1


def test_decisions_after_the_as_of_date_do_not_count(
    corpus: Corpus, stats: PortalStatistics
) -> None:
    year = year_of(stats, "demo-bureau", 2026)
    assert year.decisions == 1  # 2026-001; 2026-009 is dated 2026-12-01
    assert (year.fines, year.confiscated) == (Decimal(50000), Decimal(120))
    later = compute(corpus, dt.date(2026, 12, 31))
    assert year_of(later, "demo-bureau", 2026).decisions == 2


def test_penalties_by_kind(stats: PortalStatistics) -> None:
    year = year_of(stats, "demo-bureau", 2025)
    assert [k.kind for k in year.penalty_kinds] == list(PENALTY_KINDS)
    # A penalty counts under each of its kinds with its whole fine (警告 + 罚款 3000).
    assert (kind(year, "罚款").decisions, kind(year, "罚款").fines) == (3, Decimal(205000))
    assert (kind(year, "警告").decisions, kind(year, "警告").fines) == (1, Decimal(3000))
    current = year_of(stats, "demo-bureau", 2026)
    assert kind(current, "没收违法所得").decisions == 1
    assert sum(k.decisions for k in current.penalty_kinds) == 2


def test_licences_by_outcome(stats: PortalStatistics) -> None:
    year = year_of(stats, "demo-bureau", 2025)
    assert list(year.licences) == [*LICENCE_OUTCOMES, NO_OUTCOME]
    assert LICENCE_OUTCOMES == ("准予", "不予", "变更", "延续", "撤销", "注销")
    assert {k: v for k, v in year.licences.items() if v} == {"准予": 1, "不予": 1, "未写明": 1}


def test_coercive_measures_and_months(stats: PortalStatistics) -> None:
    year = year_of(stats, "demo-bureau", 2025)
    assert year.coercive == 1
    # Jan 2025-002, Mar two licences, Jun 2025-007, Jul a licence and the coercive measure,
    # Dec 2025-009.
    assert year.monthly == [1, 0, 2, 0, 0, 1, 2, 0, 0, 0, 0, 1]
    assert sum(year.monthly) == year.decisions


def test_an_owed_year_without_decisions_is_all_zeros(stats: PortalStatistics) -> None:
    quiet = year_of(stats, "quiet-bureau", 2025)
    assert quiet.decisions == 0 and quiet.monthly == [0] * 12
    assert all(c.decisions == 0 and c.fines == 0 for c in quiet.categories)
    assert quiet.statistics_path is None  # owed, and not published
    assert year_of(stats, "quiet-bureau", 2024).fines == Decimal(1000)


def test_portal_is_the_sum_of_its_agencies(stats: PortalStatistics) -> None:
    for year in stats.years:
        total, agencies = stats.year(year)
        assert total is not None
        assert total.decisions == sum(a.decisions for a in agencies.values())
        assert total.fines == sum((a.fines for a in agencies.values()), Decimal(0))
        assert total.monthly == [
            sum(m) for m in zip(*(a.monthly for a in agencies.values()), strict=True)
        ]
    total = year_of(stats, None, 2025)
    assert total.licences["未写明"] == 1 and total.coercive == 1
    assert total.reported["transfers.transferred"] == 2
    assert year_of(stats, None, 2024).decisions == 1


def test_figures_from_the_statistics_file(stats: PortalStatistics) -> None:
    year = year_of(stats, "demo-bureau", 2025)
    assert year.statistics_path == "content/agencies/demo-bureau/statistics/2025.yaml"
    assert year.reported == {
        "inspections.planned": 40,
        "inspections.done": 38,
        "inspections.problems": 3,
        "transfers.transferred": 2,
        "complaints.received": 12,
        "complaints.handled": 11,
    }
    assert category(year, "行政检查").zero_reason == "本年度检查结果均按双随机抽查结果公示。"
    assert category(year, "行政处罚").zero_reason is None
    keys = [f.key for f in reported_fields()]
    assert set(year.reported) <= set(keys)
    assert keys.index("transfers.transferred") < keys.index("complaints.received")
    titles = {f.key: (f.section, f.title) for f in reported_fields()}
    assert titles["transfers.transferred"] == ("移送司法机关", "移送案件数")


def test_a_half_year_report_is_not_the_statistics_yet(mini: Path) -> None:
    content = statistics_portal(mini)
    half = "year: 2026\nhalf_year:\n  reported_on: 2026-07-20\n"
    write(content / QUIET / "statistics/2026.yaml", half)
    stats = compute(validate_content(content).corpus, AS_OF)
    year = year_of(stats, "quiet-bureau", 2026)
    assert year.statistics_path is None and year.reported == {}
    write(content / QUIET / "statistics/2026.yaml", half + "complaints: {received: 3}\n")
    stats = compute(validate_content(content).corpus, AS_OF)
    year = year_of(stats, "quiet-bureau", 2026)
    assert year.statistics_path == "content/agencies/quiet-bureau/statistics/2026.yaml"
    assert year.reported == {"complaints.received": 3}


def test_people_in_the_current_year_only(stats: PortalStatistics) -> None:
    assert year_of(stats, "demo-bureau", 2025).people is None
    demo = year_of(stats, "demo-bureau", 2026).people
    # 李静 holds both roles: review staff only; with 王海 and the engaged adviser 赵律清, three
    # review staff against one enforcement officer (欧阳明轩).
    assert demo is not None
    assert (demo.officers, demo.valid, demo.review_staff, demo.enforcement) == (3, 3, 3, 1)
    quiet = year_of(stats, "quiet-bureau", 2026).people
    # 丁某's certificate ran out in 2025; 丙某 (both roles) counts once, as review staff.
    assert quiet is not None
    assert (quiet.officers, quiet.valid, quiet.review_staff, quiet.enforcement) == (4, 3, 1, 2)
    assert quiet.valid_share == Decimal(3) / 4 and quiet.review_share == Decimal("0.5")
    assert quiet.minimum_share == Decimal("0.05") and quiet.meets_minimum
    portal = year_of(stats, None, 2026).people
    assert portal is not None and (portal.officers, portal.review_staff) == (7, 4)


def test_without_history_no_timeliness(stats: PortalStatistics) -> None:
    assert all(y.timeliness is None for ys in stats.by_agency.values() for y in ys)
    assert all(y.timeliness is None for y in stats.portal)


def test_an_agency_without_decisions_or_history_has_the_current_year(mini: Path) -> None:
    corpus = validate_content(mini).corpus
    stats = compute(corpus, dt.date(2024, 6, 1))  # before the mini portal's first decision
    assert stats.years == [2024] and [y.year for y in stats.by_agency["demo-bureau"]] == [2024]
    assert year_of(stats, "demo-bureau", 2024).decisions == 0
