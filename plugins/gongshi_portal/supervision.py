"""What the supervision pages list beside their figures, so that every figure has its rows.

- The record checks of `gongshi report` (a failed legal review, a review after the decision,
  and whatever else gongshi_history.report.RECORD_CHECKS holds). They read the records alone,
  so the pages list them even where a preview has no git history.
- The late duties of each agency's timeliness summary (gongshi_history.report.AgencySummary):
  publications made late, publications overdue, withdrawals made late or still owed, each with
  its working days late and the reason the record gives (``late_reason``).
- Officers whose certificates expire soon (gongshi_records.standing.expires_within).

A finding or late duty is named (文号, link, message) only when its record is on public
display: a withdrawn, expired or never-published decision is counted in the figures but never
named, since none of its content may stay on the site (DOMAIN.md). A withdrawn decision keeps
its withdrawal notice, so its 文号 and the reason for a late withdrawal stay; the reason for a
late publication is the decision's own text and goes with it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from gongshi_history.deadlines import Outcome, State, deadline_settings
from gongshi_history.report import AgencySummary, record_findings
from gongshi_history.reportfinding import NOT_PROBLEMS, ReportFinding, rule_label
from gongshi_records import Corpus, Record
from gongshi_records.publication import PublicView
from gongshi_records.registry import Kind, record_type
from gongshi_records.standing import expires_within
from gongshi_records.views import Decision


@dataclass(frozen=True)
class ShownFinding:
    """A finding as a supervision page lists it."""

    label: str  # the rule in Chinese
    name: str  # the record's 文号 (a decision) or name
    page: str | None  # the record's page, linked from the name; None: it has none
    message: str


# What each kind of late row is called, by (duty, state): the mark every such row carries.
LATE_MARKS: dict[tuple[str, State], str] = {
    ("publication", State.LATE): "迟延公示",
    ("publication", State.OVERDUE): "逾期未公示",
    ("withdrawal", State.LATE): "迟延撤回",
    ("withdrawal", State.OVERDUE): "逾期未撤回",
}


@dataclass(frozen=True)
class LateRow:
    """A publication or withdrawal done after its due date, or still owed past it."""

    mark: str  # LATE_MARKS: the row's visible mark, in words
    name: str | None  # the 文号 while the decision (or its withdrawal notice) is on the site
    page: str | None
    unnamed: str  # what stands for the 文号 when it may not be named
    start: dt.date  # decision date, or the date of the event that obliges withdrawal
    due: dt.date | None
    actual: dt.date | None  # None: not done by the as-of date
    late_by: int | None  # working days past ``due`` (to the as-of date when not done yet)
    reason: str | None  # the record's late_reason, while it may be shown
    withheld: bool = False  # the record gives a reason that may no longer be shown


@dataclass(frozen=True)
class LateList:
    """One of an agency's three lists of late duties: its own pages when it is long."""

    slug: str  # agencies/<aid>/supervision/<slug>/: the whole list, in pages
    title: str
    what: str  # "publication" or "withdrawal": which dates the rows give
    rows: list[LateRow]


# The agency's supervision page shows this many rows of each list; a longer list links its
# own pages, so the page stays small for an agency with thousands of decisions.
LATE_SHOWN = 20


@dataclass(frozen=True)
class Expiring:
    """An officer whose certificate is valid on the as-of date and expires soon."""

    officer: Record
    valid_until: dt.date
    days_left: int  # calendar days from the as-of date to the last valid day


class Supervision:
    """Record-check findings per agency, split into those a page may name and a count of the
    rest; the rows behind each agency's late figures; certificates nearing expiry."""

    def __init__(self, corpus: Corpus, view: PublicView, as_of: dt.date) -> None:
        self._corpus, self._as_of = corpus, as_of
        self._expiring: dict[str | None, list[Expiring]] | None = None  # by agency, once
        self._notice: dict[str | None, int] = {}  # by agency, once: asked for every officer
        records = {r.path: r for r in corpus}
        published = {d.record.path for d in view.published}
        self._published = published
        self._on_site = published | {d.record.path for d in view.withdrawn}
        self._shown: dict[str | None, list[ShownFinding]] = defaultdict(list)
        self._hidden: Counter[str | None] = Counter()
        findings = sorted(record_findings(corpus, as_of), key=lambda f: (f.path, f.rule))
        for finding in (f for f in findings if f.rule not in NOT_PROBLEMS):
            record = records.get(finding.path)
            if record is not None and record.kind == Kind.DECISION and record.path not in published:
                self._hidden[finding.agency] += 1
            else:
                self._shown[finding.agency].append(_shown(finding, record))

    def shown(self, agency: str) -> list[ShownFinding]:
        return list(self._shown.get(agency, []))

    def hidden(self, agency: str) -> int:
        """Findings on decisions no longer (or never) on display: counted, not named."""
        return self._hidden.get(agency, 0)

    def count(self, agency: str) -> int:
        return len(self._shown.get(agency, [])) + self.hidden(agency)

    # Late duties ---------------------------------------------------------------------------
    def late_publications(self, summary: AgencySummary) -> list[LateRow]:
        """Decisions published after their due date (the figure 迟延公示)."""
        return self._rows(summary.late_publications, State.LATE)

    def overdue_publications(self, summary: AgencySummary) -> list[LateRow]:
        """Decisions not published although due (the figure 逾期未公示)."""
        return self._rows(summary.late_publications, State.OVERDUE)

    def late_withdrawals(self, summary: AgencySummary) -> list[LateRow]:
        """Withdrawals made late or still owed (the figure 迟延撤回 counts both)."""
        return self._rows(summary.late_withdrawals, State.LATE, State.OVERDUE)

    def late_lists(self, summary: AgencySummary) -> list[LateList]:
        """The three lists of the agency's supervision page, in its order."""
        return [
            LateList(
                "late-publications",
                "迟延公示的决定",
                "publication",
                self.late_publications(summary),
            ),
            LateList(
                "overdue-publications",
                "逾期未公示的决定",
                "publication",
                self.overdue_publications(summary),
            ),
            LateList(
                "late-withdrawals", "迟延撤回的决定", "withdrawal", self.late_withdrawals(summary)
            ),
        ]

    def _rows(self, outcomes: list[Outcome], *states: State) -> list[LateRow]:
        return [self._row(o) for o in outcomes if o.state in states]

    def _row(self, outcome: Outcome) -> LateRow:
        record = outcome.record
        named = record.path in self._on_site
        # A late publication's reason is the decision's text: shown only while it is published.
        shown = self._published if outcome.duty == "publication" else self._on_site
        given = Decision(record).late_reason(outcome.duty)
        reason = given if record.path in shown else None
        if outcome.duty == "publication" and outcome.actual is None:
            unnamed = "（尚未公示的决定）"
        else:
            unnamed = "（已过公示期或不予公示的决定）"
        return LateRow(
            LATE_MARKS[outcome.duty, outcome.state],
            str(record.get("doc_no")) if named else None,
            record_type(record.kind).page_for(record.place) if named else None,
            unnamed,
            outcome.start,
            outcome.due,
            outcome.actual,
            outcome.late_by,
            reason,
            withheld=given is not None and reason is None,
        )

    # Certificates --------------------------------------------------------------------------
    def notice_days(self, agency: str | None) -> int:
        """How many days ahead a certificate counts as nearing expiry (setting
        ``deadlines.certificate_notice``, default 30: the same as gongshi report's)."""
        if agency not in self._notice:
            self._notice[agency] = deadline_settings(self._corpus, agency).certificate_notice
        return self._notice[agency]

    def expiring(self, agency: str) -> list[Expiring]:
        """The agency's officers whose certificates expire within ``notice_days``, soonest
        first (worked out once per agency: the pages ask for the list and its length)."""
        if self._expiring is None:
            by_agency: dict[str | None, list[Record]] = defaultdict(list)
            for officer in self._corpus.of(Kind.OFFICER):
                by_agency[officer.agency].append(officer)
            self._expiring = {key: self._soonest(found, key) for key, found in by_agency.items()}
        return list(self._expiring.get(agency, []))

    def _soonest(self, officers: list[Record], agency: str | None) -> list[Expiring]:
        days = self.notice_days(agency or "")
        found = [
            Expiring(officer, until, (until - self._as_of).days)
            for officer in officers
            if (until := officer.date("valid_until")) is not None
            and expires_within(officer, self._as_of, days)
        ]
        return sorted(found, key=lambda e: (e.valid_until, e.officer.key))


def _shown(finding: ReportFinding, record: Record | None) -> ShownFinding:
    if record is None:
        return ShownFinding(rule_label(finding.rule), finding.path, None, finding.message)
    name = record.get("doc_no") or record.get("name") or record.get("title") or record.place.id
    page = record_type(record.kind).page_for(record.place)
    return ShownFinding(rule_label(finding.rule), str(name), page, finding.message)
