"""The official working-day calendar (DOMAIN.md, "Counting").

Two sources, one answer per day:
- the ``chinese-calendar`` package for the years it knows (2004–2026 in 1.11.0);
- ``content/calendar/<year>.yaml`` records (``holidays`` and ``workdays``), which correct the
  package for the days they list and are the only source for later years.

Weekends are days off unless listed as makeup working days (调休); weekdays are working days
unless listed as holidays. A day in a year that neither source covers raises
:class:`CalendarMissing`: a deadline is never computed from a silent weekday guess.

Every answer names its calendar: a calendar made with :meth:`WorkCalendar.tracking` remembers
the years it was asked about, and :meth:`WorkCalendar.used` says for each which calendar
decided it (the package and its version, or the file with its source: the notice's title and
number, or that the data is not official), for `gongshi deadline` and `gongshi report`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import chinese_calendar
from chinese_calendar import constants
from gongshi_records.calendarsource import CalendarSource, source_of
from gongshi_records.findings import Finding, errors_of, has_errors
from gongshi_records.model import Corpus, Record
from gongshi_records.reading import read_record
from gongshi_records.registry import RECORD_TYPES, Kind
from gongshi_records.validate import display_path, repo_root

PACKAGE_FIRST_YEAR: int = min(constants.holidays).year
PACKAGE_LAST_YEAR: int = max(constants.holidays).year
PACKAGE_NAME = "chinese-calendar"
PACKAGE_VERSION: str = metadata.version(PACKAGE_NAME)


class CalendarMissing(Exception):
    """No calendar covers ``year``: the State Council notice for it must be added as a file."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            f"没有 {year} 年的工作日历：chinese-calendar 只覆盖 {PACKAGE_FIRST_YEAR}–"
            f"{PACKAGE_LAST_YEAR} 年，请按国务院办公厅当年的放假安排通知添加 "
            f"content/calendar/{year}.yaml（holidays 放假日，workdays 调休上班日）"
        )


class CalendarInvalid(Exception):
    """A calendar file has errors; the findings say which and where."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        lines = "；".join(f.text() for f in findings)
        super().__init__(f"工作日历文件有错误，无法计算期限：{lines}")


@dataclass(frozen=True)
class CalendarFile:
    """A calendar record: its path (as findings show it) and where its days come from."""

    path: str
    source: CalendarSource


@dataclass(frozen=True)
class CalendarUse:
    """The calendar that decided one year's working days."""

    year: int
    file: CalendarFile | None  # the year's calendar file, when there is one
    package: bool  # the package covers the year (a file then corrects it)

    def label(self) -> str:
        package = f"{PACKAGE_NAME} {PACKAGE_VERSION}"
        if self.file is None:
            return f"{self.year} 年：{package}"
        shown = f"{self.file.path}（{self.file.source.label()}）"
        return f"{self.year} 年：{shown}" + (f"，修正 {package}" if self.package else "")

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "package": f"{PACKAGE_NAME} {PACKAGE_VERSION}" if self.package else None,
            "file": self.file.path if self.file else None,
            "source": self.file.source.as_dict() if self.file else None,
            "label": self.label(),
        }


def _package_covers(year: int) -> bool:
    return PACKAGE_FIRST_YEAR <= year <= PACKAGE_LAST_YEAR


@cache
def _package_workday(day: dt.date) -> bool:
    """The package's answer, remembered: it checks its arguments on every call, and a build
    asks about the same few hundred days for every decision's deadline."""
    return bool(chinese_calendar.is_workday(day))


@dataclass(frozen=True)
class WorkCalendar:
    """Working days: the package's, corrected and extended by calendar records."""

    holidays: frozenset[dt.date] = frozenset()
    workdays: frozenset[dt.date] = frozenset()
    years: frozenset[int] = frozenset()  # years that have a calendar file
    files: Mapping[int, CalendarFile] = field(default_factory=dict, compare=False, hash=False)
    # Years asked about (only a calendar made by tracking() keeps them: no shared state).
    consulted: set[int] | None = field(default=None, compare=False, hash=False, repr=False)
    # Per year, the working days among its first n days (n = 1 … 366): worked out once.
    _counts: dict[int, list[int]] = field(
        default_factory=dict, init=False, compare=False, hash=False, repr=False
    )
    # add_working_days' answers, by (start, days).
    _added: dict[tuple[dt.date, int], dt.date] = field(
        default_factory=dict, init=False, compare=False, hash=False, repr=False
    )

    def covers(self, year: int) -> bool:
        return year in self.years or _package_covers(year)

    def tracking(self) -> WorkCalendar:
        """The same calendar, remembering from now on which years it decides."""
        return dataclasses.replace(self, consulted=set())

    def used(self) -> list[CalendarUse]:
        """The calendar of every year a tracking calendar has decided a day of, in order."""
        return [self.use(year) for year in sorted(self.consulted or ())]

    def use(self, year: int) -> CalendarUse:
        return CalendarUse(year, self.files.get(year), _package_covers(year))

    def is_workday(self, day: dt.date) -> bool:
        if not self.covers(day.year):
            raise CalendarMissing(day.year)
        if self.consulted is not None:
            self.consulted.add(day.year)
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        if _package_covers(day.year):
            return _package_workday(day)
        return day.weekday() < 5

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The day ``days`` working days after ``start``. ``start`` itself is not counted
        (民法典 art. 201): counting begins the next day, so a deadline of 7 working days
        after a Friday decision ends on the 7th working day after it. Remembered: 100,000
        decisions have a few thousand (date, days) pairs between them. The years a walk
        consults are consulted again when the answer is remembered."""
        if days < 0:
            raise ValueError(f"working days must be ≥ 0, not {days}")
        known = self._added.get((start, days))
        if known is None:
            known = self._added[(start, days)] = self._walk_working_days(start, days)
        elif self.consulted is not None and days:
            self.consulted.update(range((start + dt.timedelta(days=1)).year, known.year + 1))
        return known

    def _walk_working_days(self, start: dt.date, days: int) -> dt.date:
        day, left = start, days
        while left:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                left -= 1
        return day

    def working_days_late(self, due: dt.date, done: dt.date) -> int:
        """By how many working days ``done`` missed ``due``: the fewest working days the
        deadline would have needed to be longer (0 when ``done`` is on or before ``due``).
        A duty done on a rest day counts as done on the next working day, so publishing on the
        Saturday after a Friday deadline is 1 working day late; across the National Day
        holiday a deadline of 30 September met on 8 October is 1 working day late as well.
        Raises :class:`CalendarMissing` for a day in a year no calendar covers."""
        if done <= due:
            return 0
        late = self.working_days_between(due, done)
        # Done on a rest day: it counts from the next working day.
        return late if self.is_workday(done) else late + 1

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """The working days after ``start`` up to and including ``end``, counted year by year
        from each year's running totals (a decision published a year late was a walk through
        365 days, for each of 100,000 decisions). Every year from the day after ``start`` to
        ``end`` is consulted, as a walk would: CalendarMissing for the first it lacks."""
        first = start + dt.timedelta(days=1)
        if end < first:
            return 0
        total = 0
        for year in range(first.year, end.year + 1):
            counts = self._year_counts(year)
            if self.consulted is not None:
                self.consulted.add(year)
            upto = counts[end.timetuple().tm_yday - 1] if year == end.year else counts[-1]
            before = counts[start.timetuple().tm_yday - 1] if year == start.year else 0
            total += upto - before
        return total

    def _year_counts(self, year: int) -> list[int]:
        counts = self._counts.get(year)
        if counts is None:
            running, counts, day = 0, [], dt.date(year, 1, 1)
            while day.year == year:
                running += self.is_workday(day)
                counts.append(running)
                day += dt.timedelta(days=1)
            self._counts[year] = counts
        return counts


PACKAGE_ONLY = WorkCalendar()


def add_working_days(start: dt.date, days: int, calendar: WorkCalendar = PACKAGE_ONLY) -> dt.date:
    """``start`` + ``days`` working days (the package's calendar unless one is given)."""
    return calendar.add_working_days(start, days)


def _dates(values: object) -> Iterable[dt.date]:
    """The valid ISO dates of a list (the schema reports the others)."""
    if not isinstance(values, list):
        return
    for value in values:
        if isinstance(value, str) and len(value) == 10:
            try:
                yield dt.date.fromisoformat(value)
            except ValueError:
                continue


def calendar_from_records(records: Iterable[Record]) -> WorkCalendar:
    holidays: set[dt.date] = set()
    workdays: set[dt.date] = set()
    years: set[int] = set()
    files: dict[int, CalendarFile] = {}
    for record in records:
        if record.kind != Kind.CALENDAR:
            continue
        years.add(int(record.key))
        files[int(record.key)] = CalendarFile(record.path, source_of(record.get("source")))
        holidays.update(_dates(record.get("holidays")))
        workdays.update(_dates(record.get("workdays")))
    return WorkCalendar(frozenset(holidays), frozenset(workdays), frozenset(years), files)


def calendar_from_corpus(corpus: Corpus) -> WorkCalendar:
    return calendar_from_records(corpus.of(Kind.CALENDAR))


def calendar_from_content(content_dir: Path) -> WorkCalendar:
    """Only the calendar records of a content folder, checked strictly: a calendar file with an
    error raises :class:`CalendarInvalid` rather than silently dropping a holiday."""
    calendar = RECORD_TYPES[Kind.CALENDAR]
    folder_name = calendar.layout.rpartition("/")[0]
    folder = content_dir / folder_name
    root = repo_root(content_dir)
    records: list[Record] = []
    problems: list[Finding] = []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        place = calendar.parse(f"{folder_name}/{path.name}")
        shown = display_path(path, root)
        if place is None:
            continue  # not a <year>.yaml file: `gongshi validate` reports it as a layout error
        record, findings = read_record(path, place, shown)
        problems += findings
        if record is not None:
            records.append(record)
    if has_errors(problems):
        raise CalendarInvalid(errors_of(problems))
    return calendar_from_records(records)
