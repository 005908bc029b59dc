"""Local duties to report the enforcement figures (DOMAIN.md deadline table, [local]).

- Last year's figures to the 司法局 by 10 January (seeds/001 task 13), before the statistics are
  published by 31 January: ``deadlines: statistics_to_judicial_by: "01-10"``.
- January–June figures to the government and the supervising department by 31 July, with the
  reason for each category without enforcement (零执法, seeds/004 (三十一)):
  ``deadlines: half_year_by: "07-31"``.

Both are settings, off unless portal.yaml or agency.yaml sets them; both are owed for every year
from the agency's first on the portal, like the statistics themselves. The reports are made
outside the portal, so git cannot date them: the evidence is what the year's statistics file
declares, ``reported_on`` and ``half_year: {reported_on, zero_enforcement}``. The half-year report
lives in the file of its year: created in July with ``year`` and ``half_year`` only, completed
with the annual figures in January (``deadlines.holds_annual_figures``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from gongshi_records.model import Corpus, Record
from gongshi_records.registry import Kind
from gongshi_records.zeroenforcement import power_categories

from .deadlines import State, deadline_settings, first_years, judge_date, statistics_path
from .reportfinding import ReportFinding
from .trail import History
from .zero_reasons import decided_categories, unexplained

JUDICIAL = "judicial"  # the annual figures to the 司法局
HALF_YEAR = "half-year"  # the January–June figures


@dataclass(frozen=True)
class ReportingDuty:
    """One agency's report of ``year``'s figures (``duty``: JUDICIAL or HALF_YEAR)."""

    agency: str
    year: int
    duty: str
    path: str  # the statistics file of the year, present or to be added
    due: dt.date
    actual: dt.date | None  # the date the file declares
    state: State
    record: Record | None  # the statistics file, when there is one


def statistics_records(corpus: Corpus) -> dict[tuple[str, int], Record]:
    """Every statistics file by (agency, year)."""
    found: dict[tuple[str, int], Record] = {}
    for record in corpus.of(Kind.STATISTICS):
        if record.agency and record.place.id.isdigit():
            found[record.agency, int(record.place.id)] = record
    return found


def reporting_duties(
    corpus: Corpus, history: History | None, as_of: dt.date
) -> Iterator[ReportingDuty]:
    """The duties the settings turn on, for every year from the agency's first on the portal
    to the as-of year (the current year's are pending until due)."""
    records = statistics_records(corpus)
    for agency, first in sorted(first_years(corpus, history).items()):
        settings = deadline_settings(corpus, agency)
        judicial, half_year = settings.statistics_to_judicial_by, settings.half_year_by
        for year in range(first, as_of.year + 1):
            record = records.get((agency, year))
            path = record.path if record else statistics_path(corpus, agency, year)
            if judicial is not None:
                due = judicial.in_year(year + 1)
                actual = record.date("reported_on") if record else None
                state = judge_date(due, actual, as_of)
                yield ReportingDuty(agency, year, JUDICIAL, path, due, actual, state, record)
            if half_year is not None:
                due = half_year.in_year(year)
                actual = record.date("half_year", "reported_on") if record else None
                state = judge_date(due, actual, as_of)
                yield ReportingDuty(agency, year, HALF_YEAR, path, due, actual, state, record)


def reporting_findings(duties: Iterable[ReportingDuty], as_of: dt.date) -> Iterator[ReportFinding]:
    """`statistics-not-reported` / `late-statistics-report` (to the 司法局) and
    `half-year-missing` / `late-half-year` (the January–June figures)."""
    for d in duties:
        if d.state not in (State.OVERDUE, State.LATE):
            continue
        judicial = d.duty == JUDICIAL
        if judicial:
            what = f"{d.year} 年度行政执法数据应在 {d.due} 前报送司法局（本地规定）"
            field, rule = "reported_on", "statistics-not-reported"
        else:
            what = (
                f"{d.year} 年上半年（1—6 月）行政执法数据应在 {d.due} 前报送本级政府和"
                "上一级主管部门，零执法的类别要说明原因（本地规定）"
            )
            field, rule = "half_year.reported_on", "half-year-missing"
        if d.state is State.LATE:
            late = (d.actual - d.due).days if d.actual else 0
            message = f"{what}；{d.path} 记载的报送日期 {field} 为 {d.actual}，迟报 {late} 日"
            rule = "late-statistics-report" if judicial else "late-half-year"
            yield ReportFinding(d.path, rule, d.due, d.actual, message, d.agency)
            continue
        where = f"{d.path} 没有 {field}" if d.record else f"还没有 {d.path}"
        fix = (
            f"已报送的请在该文件中填写 {field}（报送日期）"
            if d.record
            else f"已报送的请添加该文件并填写 {field}（报送日期）"
        )
        if judicial and d.record is None:
            fix += f"，文件可在 {d.year + 1}-01-31 前公布"
        if not judicial:
            fix += "和 half_year.zero_enforcement（零执法类别及原因）"
        message = f"{what}；截至 {as_of} {where}：{fix}，未报送的请尽快报送"
        yield ReportFinding(d.path, rule, d.due, None, message, d.agency)


def zero_reason_findings(
    corpus: Corpus, duties: Iterable[ReportingDuty], as_of: dt.date
) -> Iterator[ReportFinding]:
    """`half-year-zero-reason`: a half-year report that leaves out the reason for a category of
    the agency's power list with no decision from January to June (seeds/004 (三十一)); the
    annual counterpart is zero_reasons.statistics_zero_reason, the same check over the year."""
    decided = decided_categories(corpus, through_month=6)
    powers = power_categories(corpus)
    for d in duties:
        half_year = d.record.get("half_year") if d.record else None
        if d.duty != HALF_YEAR or not isinstance(half_year, Mapping) or d.record is None:
            continue
        if as_of < dt.date(d.year, 7, 1):
            continue  # the half year is not over
        made = decided.get((d.agency, d.year), set())
        stated = half_year.get("zero_enforcement")
        missing = unexplained(powers.get(d.agency, []), made, stated)
        if missing:
            listed = "、".join(missing)
            message = (
                f"{d.year} 年上半年没有{listed}决定（零执法），half_year.zero_enforcement 却没有"
                f"说明原因：请在 {d.path} 的 half_year.zero_enforcement 中逐项写明“类别: 原因”"
            )
            yield ReportFinding(d.path, "half-year-zero-reason", d.due, d.actual, message, d.agency)
