"""`gongshi report --due-within N`: what falls due in the next N working days.

A deadline that has passed is a finding; one that is coming is a *reminder*, so the daily
build can tell clerks before it passes. Reminders read the same duties the findings do
(:mod:`.deadlines`, :mod:`.filing`, :mod:`.reporting`): a decision not yet published, a
withdrawal not yet made, a major penalty not yet filed, statistics and local reports not yet
made, and officers' certificates that expire. The window ends N working days after the as-of
date (the as-of date itself included); where it would run into a year no calendar covers, it
is cut at the end of the last covered year and a ``calendar-missing`` reminder says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from gongshi_records.model import Corpus
from gongshi_records.registry import Kind

from .deadlines import Outcome, State, StatisticsDuty
from .filing import Filing
from .reporting import JUDICIAL, ReportingDuty
from .workdays import CalendarMissing, WorkCalendar


@dataclass(frozen=True)
class Reminder:
    """One thing to do before its due date."""

    path: str
    rule: str
    due: dt.date | None  # None only for calendar-missing
    message: str
    agency: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "rule": self.rule,
            "due": self.due.isoformat() if self.due else None,
            "message": self.message,
            "agency": self.agency,
        }

    def text(self) -> str:
        return f"{self.path}: [{self.rule}] {self.message}"


@dataclass(frozen=True)
class Duties:
    """Every duty the report judged, for the reminders to pick the pending ones from."""

    outcomes: list[Outcome]  # publications and withdrawals
    filings: list[Filing]
    statistics: list[StatisticsDuty]
    reporting: list[ReportingDuty]


@dataclass
class DueSoon:
    days: int  # N
    until: dt.date  # the window's last day (cut short when missing_year is set)
    missing_year: int | None = None  # the window runs into this year, which has no calendar
    reminders: list[Reminder] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "due_within": self.days,
            "due_until": self.until.isoformat(),
            "due_soon": [r.as_dict() for r in self.reminders],
        }

    def text(self) -> list[str]:
        heading = f"即将到期（{self.days} 个工作日内，至 {self.until}）："
        if not self.reminders:
            return [heading + "无"]
        return [heading, *(r.text() for r in self.reminders)]


def window_end(calendar: WorkCalendar, as_of: dt.date, days: int) -> tuple[dt.date, int | None]:
    """The day ``days`` working days after ``as_of``; or, when that cannot be counted, the last
    day of the last covered year and the year that is missing."""
    try:
        return calendar.add_working_days(as_of, days), None
    except CalendarMissing as missing:
        return dt.date(missing.year, 1, 1) - dt.timedelta(days=1), missing.year


def due_soon(
    corpus: Corpus, calendar: WorkCalendar, as_of: dt.date, days: int, duties: Duties
) -> DueSoon:
    """Everything not done yet whose due date lies from ``as_of`` to N working days later."""
    until, missing = window_end(calendar, as_of, days)
    found = [
        *_deadline_reminders(duties.outcomes),
        *_filing_reminders(duties.filings),
        *_statistics_reminders(duties.statistics),
        *_reporting_reminders(duties.reporting),
        *_certificate_reminders(corpus),
    ]
    soon = [r for r in found if r.due is not None and as_of <= r.due <= until]
    soon.sort(key=lambda r: (r.due or as_of, r.path, r.rule))
    if missing is not None:
        soon.append(_calendar_reminder(corpus, missing, days, until, as_of))
    return DueSoon(days, until, missing, soon)


def _calendar_reminder(
    corpus: Corpus, year: int, days: int, until: dt.date, as_of: dt.date
) -> Reminder:
    prefix = f"{corpus.prefix.rstrip('/')}/" if corpus.prefix not in ("", ".") else ""
    path = f"{prefix}calendar/{year}.yaml"
    shown = f"只列出了 {until} 以前到期的事项" if until >= as_of else "无法列出任何事项"
    message = (
        f"没有 {year} 年的工作日历，数不出 {days} 个工作日：{shown}；"
        f"请按国务院办公厅放假安排通知添加 {path}"
    )
    return Reminder(path, "calendar-missing", None, message)


def _deadline_reminders(outcomes: Iterable[Outcome]) -> Iterator[Reminder]:
    for o in outcomes:
        if o.state is not State.PENDING or o.actual is not None or o.due is None:
            continue
        record = o.record
        if o.duty == "publication":
            message = (
                f"{record.get('category')}决定（{o.start} 作出）应在 {o.due} 前公示"
                f"（{o.days} 个工作日内），还没有合并进发布分支：请尽快提交并合并"
            )
            yield Reminder(record.path, "due-publication", o.due, message, record.agency)
        elif o.duty == "withdrawal":
            message = (
                f"撤回事由发生于 {o.start}，应在 {o.due} 前撤回（{o.days} 个工作日内）："
                "请尽快合并加上 withdrawal 的修改"
            )
            yield Reminder(record.path, "due-withdrawal", o.due, message, record.agency)


def _filing_reminders(filings: Iterable[Filing]) -> Iterator[Reminder]:
    for filing in filings:
        o = filing.outcome
        if o.state is State.PENDING and o.due is not None:
            message = (
                f"重大行政处罚（{o.start} 作出）应在 {o.due} 前报政府法制机构备案："
                "备案后请填写 filed_on"
            )
            yield Reminder(o.record.path, "due-filing", o.due, message, o.record.agency)


def _statistics_reminders(duties: Iterable[StatisticsDuty]) -> Iterator[Reminder]:
    for d in duties:
        if d.state is not State.PENDING:
            continue
        zero = f"（{d.year} 年没有执法决定，也要公布并说明零执法的原因）" if not d.decisions else ""
        # A July file holding only the half-year report exists already: it needs completing.
        fix = f"请添加并合并 {d.path}"
        if d.half_year_only:
            fix = f"请在 {d.path} 中补全年度数字并合并"
        message = f"{d.year} 年度行政执法统计应在 {d.due} 前公布{zero}：{fix}"
        yield Reminder(d.path, "due-statistics", d.due, message, d.agency)


def _reporting_reminders(duties: Iterable[ReportingDuty]) -> Iterator[Reminder]:
    for d in duties:
        if d.state is not State.PENDING:
            continue
        if d.duty == JUDICIAL:
            message = (
                f"{d.year} 年度行政执法数据应在 {d.due} 前报送司法局："
                f"报送后请在 {d.path} 中填写 reported_on"
            )
            yield Reminder(d.path, "due-statistics-report", d.due, message, d.agency)
        else:
            message = (
                f"{d.year} 年上半年行政执法数据应在 {d.due} 前报送本级政府和上一级主管部门："
                f"报送后请在 {d.path} 的 half_year 中填写 reported_on 和零执法原因"
            )
            yield Reminder(d.path, "due-half-year", d.due, message, d.agency)


def _certificate_reminders(corpus: Corpus) -> Iterator[Reminder]:
    for record in corpus.of(Kind.OFFICER):
        until = record.date("valid_until")
        if until is not None and record.get("status") == "在岗":
            message = f"执法人员{record.get('name')}的执法证将于 {until} 到期：请及时办理换证"
            yield Reminder(record.path, "due-certificate", until, message, record.agency)
