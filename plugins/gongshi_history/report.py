"""`gongshi report`: compliance findings for supervisors and per-agency timeliness figures.

One finding per problem, each with `path`, `rule`, `due` and `actual` (ISO dates or null) and a
Chinese message. The portal's supervision pages read the same :class:`AgencySummary` objects.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from gongshi_records.forking import (
    LIGHT_RECORDS,
    LIGHT_RECORDS_PER_TASK,
    map_forked,
    process_count,
)
from gongshi_records.model import Corpus
from gongshi_records.registry import Kind

from .catalogue_checks import catalogue_not_major
from .deadlines import (
    Outcome,
    State,
    StatisticsDuty,
    deadline_settings,
    judge_decisions,
    statistics_duties,
)
from .discretion_checks import fine_outside_discretion
from .due import DueSoon, Duties, due_soon
from .filing import filing_duties, filing_findings
from .privacy_checks import privacy_exemptions
from .publishing import unpublished
from .reportfinding import RecordCheck, ReportFinding
from .reporting import reporting_duties, reporting_findings, zero_reason_findings
from .review_checks import review_after_decision, review_failed
from .staff_checks import review_staff_ratio
from .trail import History
from .workdays import CalendarUse, WorkCalendar
from .zero_reasons import statistics_zero_reason


@dataclass
class AgencySummary:
    """Timeliness of one agency: counts, shares and the late cases themselves."""

    agency: str
    name: str
    decisions: int = 0  # decisions that must be published
    published_on_time: int = 0
    published_late: int = 0
    overdue: int = 0  # not published although due
    pending: int = 0  # not published, not due yet
    unassessed: int = 0  # due date in a year without calendar
    withdrawals: int = 0
    withdrawals_on_time: int = 0
    withdrawals_late: int = 0  # withdrawn late, or not withdrawn although due
    withdrawals_pending: int = 0
    late_publications: list[Outcome] = field(default_factory=list)
    late_withdrawals: list[Outcome] = field(default_factory=list)

    @property
    def on_time_share(self) -> float | None:
        judged = self.published_on_time + self.published_late + self.overdue
        return self.published_on_time / judged if judged else None

    @property
    def late_total(self) -> int:
        """Duties done late or overdue: publications and withdrawals (the late mark)."""
        return self.published_late + self.overdue + self.withdrawals_late

    @property
    def withdrawal_on_time_share(self) -> float | None:
        judged = self.withdrawals_on_time + self.withdrawals_late
        return self.withdrawals_on_time / judged if judged else None

    def count(self, outcome: Outcome) -> None:
        if outcome.duty == "publication":
            self.decisions += 1
            self._count_publication(outcome)
        else:
            self.withdrawals += 1
            self._count_withdrawal(outcome)

    def _count_publication(self, outcome: Outcome) -> None:
        state = outcome.state
        if state is State.ON_TIME:
            self.published_on_time += 1
        elif state is State.LATE:
            self.published_late += 1
        elif state is State.OVERDUE:
            self.overdue += 1
        elif state is State.PENDING:
            self.pending += 1
        else:
            self.unassessed += 1
        if state in (State.LATE, State.OVERDUE):
            self.late_publications.append(outcome)

    def _count_withdrawal(self, outcome: Outcome) -> None:
        if outcome.state is State.ON_TIME:
            self.withdrawals_on_time += 1
        elif outcome.state in (State.LATE, State.OVERDUE):
            self.withdrawals_late += 1
            self.late_withdrawals.append(outcome)
        else:
            self.withdrawals_pending += 1

    def as_dict(self) -> dict[str, object]:
        return {
            "agency": self.agency,
            "name": self.name,
            "decisions": self.decisions,
            "published_on_time": self.published_on_time,
            "published_late": self.published_late,
            "overdue": self.overdue,
            "pending": self.pending,
            "unassessed": self.unassessed,
            "on_time_share": self.on_time_share,
            "withdrawals": self.withdrawals,
            "withdrawals_on_time": self.withdrawals_on_time,
            "withdrawals_late": self.withdrawals_late,
            "withdrawals_pending": self.withdrawals_pending,
            "withdrawal_on_time_share": self.withdrawal_on_time_share,
            "late_publications": [o.record.path for o in self.late_publications],
            "late_withdrawals": [o.record.path for o in self.late_withdrawals],
        }


@dataclass
class Report:
    as_of: dt.date
    findings: list[ReportFinding]
    agencies: list[AgencySummary]
    due_soon: DueSoon | None = None  # --due-within: reminders, which are not findings
    calendars: list[CalendarUse] = field(default_factory=list)  # the calendar of each year used

    def as_dict(self) -> dict[str, object]:
        return {
            "as_of": self.as_of.isoformat(),
            "findings": [f.as_dict() for f in self.findings],
            **(self.due_soon.as_dict() if self.due_soon else {}),
            "agencies": [a.as_dict() for a in self.agencies],
            "calendars": [c.as_dict() for c in self.calendars],
        }

    def json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2) + "\n"

    def text(self) -> str:
        lines = [f.text() for f in self.findings]
        lines += ["", *self.due_soon.text()] if self.due_soon else []
        lines += ["", f"各执法主体公示及时情况（截至 {self.as_of}）："]
        lines += [summary_line(a) for a in self.agencies]
        if self.calendars:
            lines += ["", "期限按以下工作日历计算：", *(c.label() for c in self.calendars)]
        return "\n".join(lines) + "\n"


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def summary_line(a: AgencySummary) -> str:
    return (
        f"{a.name}（{a.agency}）：应公示决定 {a.decisions} 件，按时 {a.published_on_time}，"
        f"迟延 {a.published_late}，逾期未公示 {a.overdue}，未到期 {a.pending}，"
        f"无法判断 {a.unassessed}，按时率 {_share(a.on_time_share)}；"
        f"撤回 {a.withdrawals} 件，按时 {a.withdrawals_on_time}，迟延 {a.withdrawals_late}，"
        f"未到期 {a.withdrawals_pending}"
    )


def build_report(
    corpus: Corpus,
    history: History,
    calendar: WorkCalendar,
    as_of: dt.date,
    due_within: int | None = None,
) -> Report:
    """Every compliance finding of the portal as of ``as_of``, and each agency's summary; with
    ``due_within`` N, also what falls due in the next N working days (due.py)."""
    calendar = calendar.tracking()  # the report names the calendar of every year it used
    outcomes = deadline_outcomes(corpus, history, calendar, as_of)
    summaries = summaries_of(corpus, outcomes)
    findings: list[ReportFinding] = []
    findings += _deadline_findings(outcomes, as_of)
    filings = list(filing_duties(corpus, calendar, as_of))  # a local duty, off by default
    findings += filing_findings(filings, as_of)
    findings += _calendar_findings(corpus, [*outcomes, *(f.outcome for f in filings)])
    statistics = list(statistics_duties(corpus, history, as_of))
    findings += _statistics_findings(statistics, as_of)
    reporting = list(reporting_duties(corpus, history, as_of))  # local duties, off by default
    findings += reporting_findings(reporting, as_of)
    findings += zero_reason_findings(corpus, reporting, as_of)
    findings += record_findings(corpus, as_of)
    findings += _certificate_findings(corpus, as_of)
    findings += [
        ReportFinding(
            r.path, "unpublished", None, None, "未发布：此记录还没有合并进发布分支", r.agency
        )
        for r in unpublished(corpus, history)
    ]
    ordered = sorted(
        set(findings), key=lambda f: (f.path, f.rule, f.message, str(f.due), str(f.actual))
    )
    soon = None
    if due_within is not None:
        duties = Duties(outcomes, filings, statistics, reporting)
        soon = due_soon(corpus, calendar, as_of, due_within, duties)
    return Report(as_of, ordered, summaries, soon, calendar.used())


# Report rules that read the records alone; each lives in its own module.
RECORD_CHECKS: tuple[RecordCheck, ...] = (
    review_after_decision,
    review_failed,
    catalogue_not_major,
    fine_outside_discretion,
    review_staff_ratio,
    statistics_zero_reason,
    privacy_exemptions,
)


def record_findings(corpus: Corpus, as_of: dt.date) -> list[ReportFinding]:
    """The findings of every record check: the report lists them, supervision pages too."""
    return [finding for check in RECORD_CHECKS for finding in check(corpus, as_of)]


def agency_summaries(
    corpus: Corpus, history: History, calendar: WorkCalendar, as_of: dt.date
) -> list[AgencySummary]:
    """Each agency's timeliness summary as of ``as_of`` (the report's ``agencies``), without
    the rest of the report: all the portal's supervision pages need."""
    return summaries_of(corpus, deadline_outcomes(corpus, history, calendar, as_of))


def deadline_outcomes(
    corpus: Corpus, history: History, calendar: WorkCalendar, as_of: dt.date
) -> list[Outcome]:
    """Every decision's publication and withdrawal judged as of ``as_of``: what the summaries
    and the statistics' timeliness both count, judged once per build, across the cores
    (100,000 decisions took 4.4 s in one process). Not for a calendar that tracks the years
    it decides (the report's): a worker's tracking would not come back."""
    if calendar.consulted is not None:
        return list(judge_decisions(corpus, history, calendar, as_of))
    decisions = list(corpus.of(Kind.DECISION))
    if process_count(len(decisions), LIGHT_RECORDS) > 1:
        history.withdrawals()  # read here once, not again in every worker
    # A worker's outcomes come back without their records (its own copies): set again here.
    kept = [f.name for f in dataclasses.fields(Outcome) if f.name != "record"]

    def judged(start: int, stop: int) -> list[list[tuple[Any, ...]]]:
        outcomes: list[list[tuple[Any, ...]]] = [[] for _ in range(start, stop)]
        chosen = decisions[start:stop]
        place = {id(record): n for n, record in enumerate(chosen)}
        for outcome in judge_decisions(corpus, history, calendar, as_of, chosen):
            fields = tuple(getattr(outcome, name) for name in kept)
            outcomes[place[id(outcome.record)]].append(fields)
        return outcomes

    made = map_forked(judged, len(decisions), minimum=LIGHT_RECORDS, most=LIGHT_RECORDS_PER_TASK)
    return [
        Outcome(record, **dict(zip(kept, fields, strict=True)))
        for record, outcomes in zip(decisions, made, strict=True)
        for fields in outcomes
    ]


def summaries_of(corpus: Corpus, outcomes: Iterable[Outcome]) -> list[AgencySummary]:
    """One summary per agency, by key, counting every judged publication and withdrawal."""
    summaries = {
        key: AgencySummary(key, str(record.get("name", default=key)))
        for key, record in sorted(corpus.agencies().items())
    }
    for outcome in outcomes:
        summary = summaries.get(outcome.record.agency or "")
        if summary is not None:
            summary.count(outcome)
    return list(summaries.values())


def _deadline_findings(outcomes: Iterable[Outcome], as_of: dt.date) -> Iterator[ReportFinding]:
    for o in outcomes:
        path, agency = o.record.path, o.record.agency
        if (
            o.duty == "publication"
            and o.declared
            and (o.from_git is None or o.declared < o.from_git)
        ):
            merged = f"合并进发布分支的日期为 {o.from_git}" if o.from_git else "发布分支上还没有它"
            message = (
                f"自述的原平台公示日期 {o.declared} 无法由 git 历史证实（{merged}）："
                "请核对原平台的公示记录"
            )
            yield ReportFinding(path, "published-on-unconfirmed", None, o.from_git, message, agency)
        if o.state not in (State.LATE, State.OVERDUE):
            continue
        if o.duty == "publication":
            what = (
                f"{o.record.get('category')}决定应在作出决定（{o.start}）后 {o.days} 个工作日内公示"
            )
            rule = "late-publication"
        else:
            what = f"撤回事由发生（{o.start}）后应在 {o.days} 个工作日内撤回"
            rule = "late-withdrawal"
        message = f"{what}，即不晚于 {o.due}；{_lateness(o, as_of)}"
        if o.late_reason:
            message += f"；迟延原因：{o.late_reason}"
        yield ReportFinding(path, rule, o.due, o.actual, message, agency, o.late_by, o.late_reason)


def _lateness(o: Outcome, as_of: dt.date) -> str:
    """When a late duty was done (or that it is not done yet) and by how many working days."""
    act = "公示" if o.duty == "publication" else "撤回"
    by = f"，迟延 {o.late_by} 个工作日" if o.late_by is not None else ""
    if o.actual is None:
        by = f"，已逾期 {o.late_by} 个工作日" if o.late_by is not None else ""
        return f"截至 {as_of} 仍未{act}{by}"
    return f"实际于 {o.actual} 才{act}{by}"


def _calendar_findings(corpus: Corpus, outcomes: Iterable[Outcome]) -> Iterator[ReportFinding]:
    """One finding per uncovered year, naming the calendar file to add."""
    by_year: dict[int, list[Outcome]] = {}
    for o in outcomes:
        if o.missing_year is not None:
            by_year.setdefault(o.missing_year, []).append(o)
    prefix = f"{corpus.prefix.rstrip('/')}/" if corpus.prefix not in ("", ".") else ""
    for year, cases in sorted(by_year.items()):
        message = (
            f"没有 {year} 年的工作日历，{len(cases)} 项期限无法计算"
            f"（例如 {cases[0].record.path}）："
            f"请按国务院办公厅放假安排通知添加 {prefix}calendar/{year}.yaml"
        )
        yield ReportFinding(
            f"{prefix}calendar/{year}.yaml", "calendar-missing", None, None, message
        )


def _statistics_findings(
    duties: Iterable[StatisticsDuty], as_of: dt.date
) -> Iterator[ReportFinding]:
    for d in duties:
        if d.state is State.OVERDUE:
            owed = (
                f"{d.year} 年度行政执法统计应在 {d.due} 前公布"
                if d.decisions
                else f"{d.year} 年没有执法决定（零执法），仍应在 {d.due} 前公布年度统计并说明原因"
            )
            fix = "" if d.decisions else "，在 zero_enforcement 中写明零执法的类别和原因"
            if d.half_year_only:
                where = f"发布分支上的 {d.path} 只有上半年报送情况（half_year）"
                fix = f"请补全年度数字{fix}并合并"
            else:
                where, fix = f"发布分支上仍没有 {d.path}", f"请添加该文件{fix}并合并"
            message = f"{owed}；截至 {as_of} {where}：{fix}"
            yield ReportFinding(d.path, "statistics-missing", d.due, None, message, d.agency)
        elif d.state is State.LATE:
            message = f"{d.year} 年度统计应在 {d.due} 前公布，实际于 {d.actual} 才合并年度数字"
            yield ReportFinding(d.path, "late-statistics", d.due, d.actual, message, d.agency)


def _certificate_findings(corpus: Corpus, as_of: dt.date) -> Iterator[ReportFinding]:
    """A notice to the agency: officers on duty whose certificate expires soon or has expired."""
    for record in corpus.of(Kind.OFFICER):
        until = record.date("valid_until")
        if until is None or record.get("status") != "在岗":
            continue
        notice = deadline_settings(corpus, record.agency).certificate_notice
        name = record.get("name")
        if until < as_of:
            message = f"执法人员{name}的执法证已于 {until} 到期，但状态仍为在岗：请换证或更新状态"
            yield ReportFinding(
                record.path, "certificate-expired", until, None, message, record.agency
            )
        elif until <= as_of + dt.timedelta(days=notice):
            message = f"执法人员{name}的执法证将于 {until} 到期（{notice} 日内）：请及时办理换证"
            yield ReportFinding(
                record.path, "certificate-expiring", until, None, message, record.agency
            )
