"""The legal deadlines (DOMAIN.md, "Deadlines") and whether each was met.

Every deadline here is computed once, by :func:`judge_publication`, :func:`judge_withdrawal`
and :func:`judge_statistics`; the report, the summaries and the portal's supervision pages all
read these outcomes. A deadline that falls in a year no calendar covers is never guessed: the
outcome is ``unassessed`` and names the year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum

from gongshi_records.model import Corpus, Record
from gongshi_records.publication import (
    merge_settings,
    publishable,
    settings_for,
    settings_layers,
)
from gongshi_records.registry import Kind

from .trail import History
from .workdays import CalendarMissing, WorkCalendar

# Defaults from DOMAIN.md. Publication: working days after the decision, by category, else
# `default`; withdrawal: working days after the event; certificate_notice: calendar days before
# an officer's certificate expires; major_filing_days: days to file a major penalty with the
# government's legal department, a local duty (seeds/004 (三十)) and so off (0) unless set,
# counted in calendar days unless major_filing_working_days. portal.yaml and agency.yaml
# `settings: deadlines:` override them key by key (the agency wins), where a law or local rule
# says otherwise.
DEFAULT_DEADLINES: Mapping[str, int] = {
    "行政许可": 7,
    "行政处罚": 7,
    "default": 20,
    "withdrawal": 3,
    "certificate_notice": 30,
    "major_filing_days": 0,
    "major_filing_working_days": False,
}


@dataclass(frozen=True)
class DeadlineSettings:
    days: Mapping[str, int]

    def publication_days(self, category: object) -> int:
        key = category if isinstance(category, str) and category in self.days else "default"
        return self.days[key]

    @property
    def withdrawal_days(self) -> int:
        return self.days["withdrawal"]

    @property
    def certificate_notice(self) -> int:
        return self.days["certificate_notice"]

    @property
    def filing_days(self) -> int:
        """Days to file a major penalty; 0: the duty is not checked."""
        return self.days["major_filing_days"]

    @property
    def filing_working_days(self) -> bool:
        return bool(self.days["major_filing_working_days"])


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


def judge_publication(
    record: Record, history: History, calendar: WorkCalendar, corpus: Corpus, as_of: dt.date
) -> Outcome | None:
    """Publication within 7 (行政许可, 行政处罚) or 20 working days after the decision.

    The publication date is the git date, unless a migrated record declares an earlier
    ``published_on`` (then the declared one, which the report flags as unconfirmed)."""
    decided = record.date("decided_on")
    if decided is None or not publishable(record, settings_for(corpus, record.agency)):
        return None
    days = deadline_settings(corpus, record.agency).publication_days(record.get("category"))
    commit = history.published(record.path)
    from_git = commit.date if commit else None
    declared = record.date("published_on")
    actual = min((d for d in (declared, from_git) if d is not None), default=None)
    due, state, missing = judge(calendar, decided, days, actual, as_of)
    return Outcome(
        record, "publication", decided, days, due, actual, state, missing, declared, from_git
    )


def judge_withdrawal(
    record: Record, history: History, calendar: WorkCalendar, corpus: Corpus, as_of: dt.date
) -> Outcome | None:
    """Withdrawal within 3 working days of `withdrawal.occurred_on`; withdrawn = the merge that
    added `withdrawal:`."""
    occurred = record.date("withdrawal", "occurred_on")
    if occurred is None or not publishable(record, settings_for(corpus, record.agency)):
        return None  # what was never published has nothing to withdraw
    days = deadline_settings(corpus, record.agency).withdrawal_days
    commit = history.withdrawn(record.path)
    actual = commit.date if commit else None
    due, state, missing = judge(calendar, occurred, days, actual, as_of)
    return Outcome(record, "withdrawal", occurred, days, due, actual, state, missing)


@dataclass(frozen=True)
class StatisticsDuty:
    """An agency's manual statistics for `year`, due by 31 January of the next year."""

    agency: str
    year: int
    path: str
    due: dt.date
    actual: dt.date | None  # when the statistics record was first merged
    state: State


def statistics_duties(corpus: Corpus, history: History, as_of: dt.date) -> Iterator[StatisticsDuty]:
    """One duty per agency and year in which it has decisions, up to the as-of year."""
    years: dict[str, set[int]] = {}
    for record in corpus.of(Kind.DECISION):
        decided = record.date("decided_on")
        if record.agency and decided and decided <= as_of:
            years.setdefault(record.agency, set()).add(decided.year)
    prefix = f"{corpus.prefix.rstrip('/')}/" if corpus.prefix not in ("", ".") else ""
    for agency in sorted(years):
        for year in sorted(years[agency]):
            path = f"{prefix}agencies/{agency}/statistics/{year}.yaml"
            due = dt.date(year + 1, 1, 31)  # a calendar date, not working days
            commit = history.published(path)
            actual = commit.date if commit else None
            if actual is not None:
                state = State.ON_TIME if actual <= due else State.LATE
            else:
                state = State.OVERDUE if as_of > due else State.PENDING
            yield StatisticsDuty(agency, year, path, due, actual, state)
