"""The statistics pages' view of ``gongshi_statistics.figures.compute``: which years and agencies
a page shows, which categories a table lists, and each figure drawn as a chart.

Figures are computed once per build (``Site.statistics``). An agency owes a year's statistics
once the year is over; a year the agency owes without a statistics file is shown as such
(尚未公布年度统计), its computed figures still shown, since they come from the records.

The categories a table lists are those data/statistics.csv has rows for
(``gongshi_statistics.figures.listed_categories``); 零执法 is judged against the power list, so
an agency that has not entered one is shown as such (未录入权责清单), not as idle in every
category.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from gongshi_records import Corpus, Record
from gongshi_records.amounts import yuan
from gongshi_records.registry import RECORD_TYPES, Kind
from gongshi_records.zeroenforcement import power_categories
from gongshi_statistics.charts import (
    Bar,
    Share,
    bar_chart,
    monthly_chart,
    percent_text,
    share_chart,
)
from gongshi_statistics.figures import empty_year, listed_categories
from gongshi_statistics.model import CategoryFigures, KindFigures, PortalStatistics, YearFigures
from gongshi_statistics.reported import ReportedField, add_reported, reported_fields
from markupsafe import Markup

INDEX_PAGE = "statistics/index.html"


def year_page(year: int) -> str:
    return f"statistics/{year}.html"


def report_page(agency: str, year: int) -> str:
    """An agency's annual report: the statistics record type's page, whether or not the
    agency has published the file yet (the address does not change when it does)."""
    statistics = RECORD_TYPES[Kind.STATISTICS]
    place = statistics.parse(statistics.path_for(agency=agency, id=str(year)))
    page = statistics.page_for(place) if place else None
    if page is None:
        raise ValueError(f"no report page for {agency} {year}")
    return page


@dataclass(frozen=True)
class ReportedRow:
    """One figure of a statistics file: its section and title, and the value (None: not given)."""

    field: ReportedField
    value: int | None


@dataclass(frozen=True)
class Shown:
    """A year's figures (an agency's or the portal's) and the category rows its tables show."""

    figures: YearFigures
    categories: list[CategoryFigures]  # listed_categories: empty when nothing says which
    owed: bool  # the year is over: its statistics are owed
    power_list: bool  # entered (the portal's: some agency's); 零执法 is judged against it

    @property
    def year(self) -> int:
        return self.figures.year

    @property
    def zero(self) -> list[CategoryFigures]:
        """零执法: the categories of its tables in which nothing was decided this year (none
        without a power list, unless the statistics file states some)."""
        return [c for c in self.categories if c.decisions == 0]


@dataclass(frozen=True)
class AgencyYear(Shown):
    """One agency's figures of one year, with what its pages need around them."""

    agency: Record
    file: Record | None  # statistics/<year>.yaml, when the agency has one (its page's record)
    report: str  # its annual report page

    @property
    def due(self) -> dt.date:
        return dt.date(self.year + 1, 1, 31)

    @property
    def published(self) -> bool:
        """The file holds the annual figures (one holding only the July half-year report is
        not the year's statistics yet)."""
        return self.figures.statistics_path is not None

    @property
    def missing(self) -> bool:
        """Owed and not published: the page says 尚未公布年度统计."""
        return self.owed and not self.published


class Statistics:
    """Every statistics page's data: the years, each year's agencies, and the charts."""

    def __init__(self, stats: PortalStatistics, corpus: Corpus) -> None:
        self.stats = stats
        self.as_of = stats.as_of
        self._agencies = corpus.agencies()
        self._files = {
            (r.agency, int(r.place.id)): r
            for r in corpus.of(Kind.STATISTICS)
            if r.agency and r.place.id.isdigit()
        }
        self._powers = power_categories(corpus)
        self._by_agency = {
            agency: {y.year: y for y in years} for agency, years in stats.by_agency.items()
        }
        self._add_files_of_years_not_owed()
        self.fields = reported_fields()

    def _add_files_of_years_not_owed(self) -> None:
        """A statistics file of a year outside the computed ones (before the agency's first
        year on the portal) keeps its page: its figures with no decision counted."""
        for (agency, year), record in self._files.items():
            years = self._by_agency.setdefault(str(agency), {})
            if year not in years:
                figures = empty_year(year, agency)
                add_reported(figures, record)
                years[year] = figures

    # Years ---------------------------------------------------------------------------------
    def years(self) -> list[int]:
        """Every year with figures, the latest first."""
        return sorted(self.stats.years, reverse=True)

    def has_page(self, year: int) -> bool:
        """Whether ``year`` has a statistics/<year>.html (a file's year before any agency's
        first year on the portal has only its report)."""
        return year in self.stats.years

    def owed(self, year: int) -> bool:
        return year < self.as_of.year

    def latest_owed(self) -> int | None:
        """The latest complete year: the one the annual reports last fell due for."""
        return next((y for y in self.years() if self.owed(y)), None)

    def current(self) -> int | None:
        """The year the build's date is in, when it has figures (so far)."""
        return self.as_of.year if self.as_of.year in self.stats.years else None

    def portal(self, year: int) -> Shown | None:
        total, _agencies = self.stats.year(year)
        if total is None:
            return None
        every = {c for categories in self._powers.values() for c in categories}
        return Shown(total, listed_categories(total, every), self.owed(year), bool(every))

    def agencies(self, year: int) -> list[AgencyYear]:
        """The agencies with figures for ``year``, in agency order."""
        return [e for key in sorted(self._agencies) if (e := self.agency_year(key, year))]

    def agency_year(self, agency: str, year: int) -> AgencyYear | None:
        figures = self._by_agency.get(agency, {}).get(year)
        record = self._agencies.get(agency)
        if figures is None or record is None:
            return None
        powers = self._powers.get(agency, [])
        categories = listed_categories(figures, powers)
        file, page = self._files.get((agency, year)), report_page(agency, year)
        owed, listed = self.owed(year), bool(powers)
        return AgencyYear(figures, categories, owed, listed, record, file, page)

    def agency_years(self, agency: str) -> list[AgencyYear]:
        """The agency's annual reports, the latest first (its hub lists them)."""
        years = sorted(self._by_agency.get(agency, {}), reverse=True)
        return [e for y in years if (e := self.agency_year(agency, y))]

    def reports(self) -> list[AgencyYear]:
        """Every agency's every annual report (the page planner writes one page each)."""
        return [e for key in sorted(self._agencies) for e in self.agency_years(key)]

    # Figures in words -------------------------------------------------------------------------
    def reported_rows(self, figures: YearFigures) -> list[ReportedRow]:
        return [ReportedRow(f, figures.reported.get(f.key)) for f in self.fields]

    @staticmethod
    def percent(part: int, whole: int) -> str:
        return percent_text(Decimal(part) / whole) if whole else "—"

    @staticmethod
    def share(fraction: Decimal) -> str:
        return percent_text(fraction)

    @staticmethod
    def category_total(categories: Iterable[CategoryFigures]) -> CategoryFigures:
        """The 合计 row of a categories table."""
        total = CategoryFigures("合计")
        for c in categories:
            total.decisions += c.decisions
            total.withdrawn += c.withdrawn
            total.fines += c.fines
            total.confiscated += c.confiscated
        return total

    # Charts ---------------------------------------------------------------------------------
    # ``prefix`` makes each chart's id unique on its page (c-2025-portal, c-2025-qingxi-slj).
    @staticmethod
    def categories_chart(prefix: str, title: str, categories: Sequence[CategoryFigures]) -> Markup:
        bars = [Bar(c.category, c.decisions, f"{c.decisions} 件") for c in categories]
        return bar_chart(f"{prefix}-categories", title, bars)

    @staticmethod
    def amounts_chart(prefix: str, title: str, figures: YearFigures) -> Markup:
        bars = [
            Bar("罚款", figures.fines, yuan(figures.fines)),
            Bar("没收违法所得、非法财物", figures.confiscated, yuan(figures.confiscated)),
        ]
        return bar_chart(f"{prefix}-amounts", title, bars)

    @staticmethod
    def penalty_kinds(figures: YearFigures) -> list[KindFigures]:
        """The penalty kinds imposed that year (the rest are 0, and the page says so)."""
        return [k for k in figures.penalty_kinds if k.decisions]

    @staticmethod
    def kinds_chart(prefix: str, title: str, kinds: Sequence[KindFigures]) -> Markup:
        bars = [Bar(k.kind, k.decisions, f"{k.decisions} 件") for k in kinds]
        return bar_chart(f"{prefix}-kinds", title, bars)

    @staticmethod
    def licences_chart(prefix: str, title: str, figures: YearFigures) -> Markup:
        bars = [Bar(str(k), v, f"{v} 件") for k, v in figures.licences.items()]
        return bar_chart(f"{prefix}-licences", title, bars)

    @staticmethod
    def months_chart(prefix: str, title: str, figures: YearFigures) -> Markup:
        return monthly_chart(f"{prefix}-monthly", title, figures.monthly)

    @staticmethod
    def agencies_chart(prefix: str, title: str, entries: Sequence[AgencyYear]) -> Markup:
        bars = [
            Bar(str(e.agency.get("name")), e.figures.decisions, f"{e.figures.decisions} 件")
            for e in entries
        ]
        return bar_chart(f"{prefix}-agencies", title, bars)

    @staticmethod
    def years_chart(prefix: str, title: str, years: Sequence[YearFigures]) -> Markup:
        bars = [Bar(f"{y.year}年", y.decisions, f"{y.decisions} 件") for y in years]
        return bar_chart(f"{prefix}-years", title, bars)

    @staticmethod
    def people_chart(prefix: str, title: str, figures: YearFigures) -> Markup | None:
        people = figures.people
        if people is None:
            return None
        shares = [Share("持有效执法证件", people.valid, people.officers)]
        if people.ratio_applies:  # not for a 受委托组织: see People.ratio_applies
            ratio = Share(
                "法制审核人员占执法人员",
                people.review_staff,
                people.enforcement,
                people.minimum_share,
            )
            shares.append(ratio)
        return share_chart(f"{prefix}-people", title, shares)

    @staticmethod
    def timeliness_chart(prefix: str, title: str, figures: YearFigures) -> Markup | None:
        timely = figures.timeliness
        if timely is None:
            return None
        shares = [
            Share("按时公示的执法决定", timely.published_on_time, timely.published),
            Share("按时撤回公示", timely.withdrawals_on_time, timely.withdrawals),
        ]
        return share_chart(f"{prefix}-timeliness", title, shares)

    @staticmethod
    def reported_chart(prefix: str, title: str, figures: YearFigures) -> Markup | None:
        """The statistics file's figures as rates (完成率, 纠错率, 败诉率, 办结率): counts of
        different things side by side would say nothing."""
        got = figures.reported
        rates = [
            ("行政检查完成", "inspections.done", "inspections.planned"),
            ("检查发现问题", "inspections.problems", "inspections.done"),
            ("行政复议被纠错", "reconsideration.corrected", "reconsideration.received"),
            ("行政诉讼败诉", "litigation.lost", "litigation.received"),
            ("投诉举报办结", "complaints.handled", "complaints.received"),
        ]
        shares = [
            Share(label, got[part], got[whole])
            for label, part, whole in rates
            if part in got and whole in got
        ]
        return share_chart(f"{prefix}-reported", title, shares) if shares else None
