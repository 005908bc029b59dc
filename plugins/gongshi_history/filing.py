"""Filing of major penalties (重大行政处罚备案) with the government's legal department.

A local duty (DOMAIN.md deadline table, [local] seeds/004 (三十)): within 15 days of a
责令停产停业, 吊销 or 较大数额罚款 penalty — here every ``major: true`` 行政处罚, since the
catalogue is what makes a penalty major. Off unless a portal or agency sets
``deadlines: major_filing_days``; counted in calendar days unless
``major_filing_working_days: true``. The filing date is the record's ``filed_on`` (the act
happens outside the portal, so git cannot date it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from gongshi_records.model import Corpus, Record
from gongshi_records.registry import Kind
from gongshi_records.views import Decision

from .deadlines import Outcome, State, deadline_settings, judge
from .reportfinding import ReportFinding
from .workdays import WorkCalendar

DUTY = "filing"


@dataclass(frozen=True)
class Filing:
    """The filing duty of one major penalty, and how its days were counted."""

    outcome: Outcome
    working_days: bool

    @property
    def unit(self) -> str:
        return "个工作日" if self.working_days else "日"


def judge_filing(
    record: Record, calendar: WorkCalendar, corpus: Corpus, as_of: dt.date
) -> Filing | None:
    """The filing duty of a major 行政处罚, when the setting is on; None otherwise."""
    decision = Decision(record)
    decided = decision.decided_on
    if not (decision.is_penalty and decision.major) or decided is None:
        return None
    settings = deadline_settings(corpus, record.agency)
    days = settings.filing_days
    if days <= 0:
        return None
    working = settings.filing_working_days
    filed = decision.filed_on
    due, state, missing = judge(calendar, decided, days, filed, as_of, working_days=working)
    return Filing(Outcome(record, DUTY, decided, days, due, filed, state, missing), working)


def filing_duties(corpus: Corpus, calendar: WorkCalendar, as_of: dt.date) -> Iterator[Filing]:
    for record in corpus.of(Kind.DECISION):
        filing = judge_filing(record, calendar, corpus, as_of)
        if filing is not None:
            yield filing


def filing_findings(filings: Iterable[Filing], as_of: dt.date) -> Iterator[ReportFinding]:
    """`filing-late` (filed after the due date) and `filing-missing` (no `filed_on` although
    due); a due date in a year without calendar is the report's `calendar-missing`."""
    for filing in filings:
        o = filing.outcome
        what = (
            f"重大行政处罚应在作出决定（{o.start}）后 {o.days} {filing.unit}内"
            f"报政府法制机构备案，即不晚于 {o.due}"
        )
        if o.state is State.LATE:
            message = f"{what}；实际于 {o.actual} 才备案"
            yield ReportFinding(
                o.record.path, "filing-late", o.due, o.actual, message, o.record.agency
            )
        elif o.state is State.OVERDUE:
            message = (
                f"{what}；截至 {as_of} 没有备案日期：已备案的请填写 filed_on，未备案的请尽快备案"
            )
            yield ReportFinding(
                o.record.path, "filing-missing", o.due, None, message, o.record.agency
            )
