"""The legal deadlines (DOMAIN.md, "Deadlines") and whether each was met.

Every deadline here is computed once, by :func:`judge_publication`, :func:`judge_withdrawal`
and :func:`judge_statistics`; the report, the summaries and the portal's supervision pages all
read these outcomes. A deadline that falls in a year no calendar covers is never guessed: the
outcome is ``unassessed`` and names the year.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NamedTuple

from gongshi_records.model import Corpus, Record
from gongshi_records.publication import (
    merge_settings,
    publishable,
    settings_for,
    settings_layers,
)
from gongshi_records.registry import Kind
from gongshi_records.rules import EARLIEST_YEAR
from gongshi_records.views import Decision

from .trail import History
from .workdays import CalendarMissing, WorkCalendar

# Defaults from DOMAIN.md. Publication: working days after the decision, by category, else
# `default`; withdrawal: working days after the event; certificate_notice: calendar days before
# an officer's certificate expires; major_filing_days: days to file a major penalty with the
# government's legal department, a local duty (seeds/004 (三十)) and so off (0) unless set,
# counted in calendar days unless major_filing_working_days. portal.yaml and agency.yaml
# `settings: deadlines:` override them key by key (the agency wins), where a law or local rule
# says otherwise. statistics_to_judicial_by and half_year_by are local reporting dates
# ("MM-DD", seeds/001 task 13 and seeds/004 (三十一)): None, the default, leaves them unchecked;
# merge_settings accepts any value where the default is None, so month_day() checks the shape.
DEFAULT_DEADLINES: Mapping[str, int | None] = {
    "行政许可": 7,
    "行政处罚": 7,
    "default": 20,
    "withdrawal": 3,
    "certificate_notice": 30,
    "major_filing_days": 0,
    "major_filing_working_days": False,
    "statistics_to_judicial_by": None,
    "half_year_by": None,
}

_MONTH_DAY = re.compile(r"(\d{2})-(\d{2})")


class MonthDay(NamedTuple):
    """A date that recurs every year, such as the 10 January of a local reporting duty."""

    month: int
    day: int

    def in_year(self, year: int) -> dt.date:
        return dt.date(year, self.month, self.day)


def month_day(value: object, *, first_month: int = 1) -> MonthDay | None:
    """A setting "MM-DD" (month ≥ ``first_month``), or None when unset or malformed: a
    malformed one is the schema's error, and a local duty is never checked on a guessed date."""
    match = _MONTH_DAY.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        return None
    month, day = int(match[1]), int(match[2])
    try:
        dt.date(2001, month, day)  # a common year: 02-29 does not recur every year
    except ValueError:
        return None
    return MonthDay(month, day) if month >= first_month else None


@dataclass(frozen=True)
class DeadlineSettings:
    days: Mapping[str, Any]  # merge_settings' values: each of its default's type

    def publication_days(self, category: object) -> int:
        key = category if isinstance(category, str) and category in self.days else "default"
        return int(self.days[key])

    @property
    def withdrawal_days(self) -> int:
        return int(self.days["withdrawal"])

    @property
    def certificate_notice(self) -> int:
        return int(self.days["certificate_notice"])

    @property
    def filing_days(self) -> int:
        """Days to file a major penalty; 0: the duty is not checked."""
        return int(self.days["major_filing_days"])

    @property
    def filing_working_days(self) -> bool:
        return bool(self.days["major_filing_working_days"])

    @property
    def statistics_to_judicial_by(self) -> MonthDay | None:
        """When last year's figures are due at the 司法局 (in the next year); None: unchecked."""
        return month_day(self.days["statistics_to_judicial_by"])

    @property
    def half_year_by(self) -> MonthDay | None:
        """When the January–June figures are due (July or later); None: unchecked."""
        return month_day(self.days["half_year_by"], first_month=7)


def deadline_settings(corpus: Corpus, agency: str | None) -> DeadlineSettings:
    """The defaults, then the portal's `deadlines`, then the agency's, one key at a time."""
    merged = merge_settings({"deadlines": DEFAULT_DEADLINES}, settings_layers(corpus, agency))
    return DeadlineSettings(merged["deadlines"])


class State(StrEnum):
    ON_TIME = "on-time"  # done on or before the due date
    LATE = "late"  # done after it
    OVERDUE = "overdue"  # not done, and the due date has passed on the as-of date
    PENDING = "pending"  # not done, not due yet
    UNASSESSED = "unassessed"  # the due date lies in a year no calendar covers


@dataclass(frozen=True)
class Outcome:
    """One duty of one record: its due date, when it was done and the verdict."""

    record: Record
    duty: str  # "publication" | "withdrawal" | "filing" (filing.py)
    start: dt.date  # decision date, or the date of the event that obliges withdrawal
    days: int  # working days allowed (a filing's may be calendar days, by setting)
    due: dt.date | None  # None only when unassessed (or on time before an uncovered year)
    actual: dt.date | None
    state: State
    missing_year: int | None = None  # the uncovered year, when unassessed
    declared: dt.date | None = None  # publication: the migrated record's `published_on`
    from_git: dt.date | None = None  # publication: the date git proves
    # Late or overdue: working days past the due date (to ``actual``, or to the as-of date when
    # not done yet); None when on time, pending, or a day between lies in an uncovered year.
    late_by: int | None = None

    @property
    def late_reason(self) -> str | None:
        """The reason the record gives for this duty's delay (``late_reason``), if any."""
        return Decision(self.record).late_reason(self.duty)


def _days_later(start: dt.date, days: int) -> dt.date:
    """``days`` calendar days after ``start``; the last date there is when that is past 9999."""
    try:
        return start + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max


def judge(
    calendar: WorkCalendar,
    start: dt.date,
    days: int,
    actual: dt.date | None,
    as_of: dt.date,
    *,
    working_days: bool = True,
) -> tuple[dt.date | None, State, int | None]:
    """(due date, verdict, uncovered year). Done on the due date is on time. ``days`` are
    working days, or calendar days when ``working_days`` is false (no calendar needed)."""
    try:
        count = calendar.add_working_days if working_days else _days_later
        due = count(start, days)
    except OverflowError:  # a start near 9999-12-31: the due date is past the calendar's end
        due = dt.date.max
    except CalendarMissing as missing:
        # The due date is somewhere in the uncovered year or later: what happened before that
        # year can still be judged without guessing.
        year_start = dt.date(missing.year, 1, 1)
        if actual is not None and actual < year_start:
            return None, State.ON_TIME, None
        if actual is None and as_of < year_start:
            return None, State.PENDING, None
        return None, State.UNASSESSED, missing.year
    if actual is not None:
        return due, State.ON_TIME if actual <= due else State.LATE, None
    return due, State.OVERDUE if as_of > due else State.PENDING, None


def working_days_late(
    calendar: WorkCalendar,
    due: dt.date | None,
    state: State,
    actual: dt.date | None,
    as_of: dt.date,
) -> int | None:
    """Working days a late duty missed its due date by (an overdue one: so far, to ``as_of``);
    None when it is not late or the calendar lacks a year in between (never guessed)."""
    if due is None or state not in (State.LATE, State.OVERDUE):
        return None
    try:
        return calendar.working_days_late(due, actual if actual is not None else as_of)
    except CalendarMissing:
        return None


class AgencySettings:
    """Each agency's publication and deadline settings, merged once: every decision asks."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self._publication: dict[str | None, dict[str, Any]] = {}
        self._deadlines: dict[str | None, DeadlineSettings] = {}

    def publication(self, agency: str | None) -> dict[str, Any]:
        if agency not in self._publication:
            self._publication[agency] = settings_for(self.corpus, agency)
        return self._publication[agency]

    def deadlines(self, agency: str | None) -> DeadlineSettings:
        if agency not in self._deadlines:
            self._deadlines[agency] = deadline_settings(self.corpus, agency)
        return self._deadlines[agency]


def judge_decisions(
    corpus: Corpus,
    history: History,
    calendar: WorkCalendar,
    as_of: dt.date,
    records: Iterable[Record] | None = None,
) -> Iterator[Outcome]:
    """Every decision's publication and withdrawal judged as of ``as_of``, in corpus order
    (or those of ``records``, decisions of ``corpus``)."""
    settings = AgencySettings(corpus)
    for record in corpus.of(Kind.DECISION) if records is None else records:
        for judged in (
            judge_publication(record, history, calendar, corpus, as_of, settings),
            judge_withdrawal(record, history, calendar, corpus, as_of, settings),
        ):
            if judged is not None:
                yield judged


def judge_publication(
    record: Record,
    history: History,
    calendar: WorkCalendar,
    corpus: Corpus,
    as_of: dt.date,
    settings: AgencySettings | None = None,
) -> Outcome | None:
    """Publication within 7 (行政许可, 行政处罚) or 20 working days after the decision.

    The publication date is the git date, unless a migrated record declares an earlier
    ``published_on`` (then the declared one, which the report flags as unconfirmed)."""
    settings = settings or AgencySettings(corpus)
    decided = record.date("decided_on")
    if decided is None or not publishable(record, settings.publication(record.agency)):
        return None
    days = settings.deadlines(record.agency).publication_days(record.get("category"))
    commit = history.published(record.path)
    from_git = commit.date if commit else None
    declared = record.date("published_on")
    actual = min((d for d in (declared, from_git) if d is not None), default=None)
    due, state, missing = judge(calendar, decided, days, actual, as_of)
    late_by = working_days_late(calendar, due, state, actual, as_of)
    return Outcome(
        record,
        "publication",
        decided,
        days,
        due,
        actual,
        state,
        missing,
        declared,
        from_git,
        late_by,
    )


def judge_withdrawal(
    record: Record,
    history: History,
    calendar: WorkCalendar,
    corpus: Corpus,
    as_of: dt.date,
    settings: AgencySettings | None = None,
) -> Outcome | None:
    """Withdrawal within 3 working days of `withdrawal.occurred_on`; withdrawn = the merge that
    added `withdrawal:`."""
    settings = settings or AgencySettings(corpus)
    occurred = record.date("withdrawal", "occurred_on")
    if occurred is None or not publishable(record, settings.publication(record.agency)):
        return None  # what was never published has nothing to withdraw
    days = settings.deadlines(record.agency).withdrawal_days
    commit = history.withdrawn(record.path)
    actual = commit.date if commit else None
    due, state, missing = judge(calendar, occurred, days, actual, as_of)
    late_by = working_days_late(calendar, due, state, actual, as_of)
    return Outcome(
        record, "withdrawal", occurred, days, due, actual, state, missing, late_by=late_by
    )


@dataclass(frozen=True)
class StatisticsDuty:
    """An agency's annual statistics for `year`, due by 31 January of the next year."""

    agency: str
    year: int
    path: str
    due: dt.date
    actual: dt.date | None  # when the file first held the annual figures (holds_annual_figures)
    state: State
    decisions: int = 0  # the agency's decisions of the year; 0: a year of 零执法, owed all the same
    half_year_only: bool = False  # published so far only as the half-year report (reporting.py)


def first_years(corpus: Corpus, history: History | None) -> dict[str, int]:
    """Each agency's first year on the portal: the year its agency.yaml was first published
    (history), or of its earliest decision when that is earlier (a migrated archive)."""
    first: dict[str, int] = {}
    for record in corpus.of(Kind.DECISION):
        decided = Decision(record).decided_on
        # A decision dated before EARLIEST_YEAR is a validation error (decision.too-old); a
        # report run on such content still must not owe centuries of statistics.
        if record.agency and decided and decided.year >= EARLIEST_YEAR:
            first[record.agency] = min(first.get(record.agency, decided.year), decided.year)
    for agency in corpus.of(Kind.AGENCY):
        commit = history.published(agency.path) if history is not None else None
        if agency.agency and commit is not None:
            year = commit.date.year
            first[agency.agency] = min(first.get(agency.agency, year), year)
    return first


def owed_years(corpus: Corpus, history: History | None, as_of: dt.date) -> dict[str, list[int]]:
    """The years whose figures each agency owes by ``as_of``: every year from its first on the
    portal that is over, decisions or not (零执法 is owed too: DOMAIN.md, Statistics)."""
    return {
        agency: list(range(first, as_of.year))
        for agency, first in sorted(first_years(corpus, history).items())
    }


def statistics_path(corpus: Corpus, agency: str, year: int) -> str:
    """Where an agency's statistics for ``year`` are, or are to be added (as in findings)."""
    prefix = f"{corpus.prefix.rstrip('/')}/" if corpus.prefix not in ("", ".") else ""
    return f"{prefix}agencies/{agency}/statistics/{year}.yaml"


HALF_YEAR_ONLY = frozenset({"year", "half_year"})


def holds_annual_figures(data: Mapping[str, Any]) -> bool:
    """Whether a version of statistics/<Y>.yaml publishes the annual statistics. The file of a
    year may start in July as the half-year report (only ``year`` and ``half_year``): that is
    not the annual statistics, which count from the first version holding anything more."""
    return "half_year" not in data or not set(data) <= HALF_YEAR_ONLY


def judge_date(due: dt.date, actual: dt.date | None, as_of: dt.date) -> State:
    """The verdict on a duty with a fixed calendar due date (no working days, no calendar)."""
    if actual is not None:
        return State.ON_TIME if actual <= due else State.LATE
    return State.OVERDUE if as_of > due else State.PENDING


def statistics_duties(corpus: Corpus, history: History, as_of: dt.date) -> Iterator[StatisticsDuty]:
    """One duty per agency and year from its first on the portal (``first_years``) to the
    as-of year: the years ``owed_years`` gives, and the current one, pending until its due
    date (what ``gongshi report --due-within`` reminds of in December and January)."""
    wanted = {
        (agency, year): statistics_path(corpus, agency, year)
        for agency, first in sorted(first_years(corpus, history).items())
        for year in range(first, as_of.year + 1)
    }
    published = history.first_where(wanted.values(), holds_annual_figures)
    decided = Counter(
        (record.agency, day.year)
        for record in corpus.of(Kind.DECISION)
        if (day := record.date("decided_on")) is not None
    )
    for (agency, year), path in wanted.items():
        due = dt.date(year + 1, 1, 31)  # a calendar date, not working days
        commit = published.get(path)
        actual = commit.date if commit else None
        state = judge_date(due, actual, as_of)
        half_year_only = commit is None and history.published(path) is not None
        yield StatisticsDuty(
            agency, year, path, due, actual, state, decided[agency, year], half_year_only
        )
