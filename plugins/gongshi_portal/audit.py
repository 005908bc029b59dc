"""What the git history says on the site: publication dates, 修订记录 and supervision figures.

The build reads the history once (gongshi_history's single `git log` pass). In a preview
outside a repository the site is still built, with every record marked 未发布; a publish build
refuses that, a shallow clone, and any record not merged into the publishing branch.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from gongshi_history.gitlog import HistoryUnavailable
from gongshi_history.publishing import (
    Timeline,
    publish_findings,
    record_timelines,
    shown_publication_date,
)
from gongshi_history.report import AgencySummary, deadline_outcomes, summaries_of
from gongshi_history.trail import History, HistoryReading, read_history
from gongshi_history.workdays import calendar_from_corpus
from gongshi_records import Corpus, Finding, Record
from gongshi_records.findings import error
from gongshi_records.schema import field_title
from gongshi_statistics.model import Timeliness
from gongshi_statistics.timeliness import timeliness_of

from .terms import public_term


@dataclass
class Audit:
    """The history as the templates need it; empty when there is no history to read."""

    history: History | None
    problem: str | None = None  # why there is no history (preview only)
    timelines: dict[str, Timeline] = field(default_factory=dict)
    summaries: dict[str, AgencySummary] = field(default_factory=dict)
    # The statistics' timeliness, from the same judgement as the summaries, and its date.
    timeliness: dict[tuple[str, int], Timeliness] | None = None
    judged_on: dt.date | None = None

    def timeline(self, record: Record) -> Timeline | None:
        return self.timelines.get(record.path)

    def published_on(self, record: Record) -> dt.date | None:
        """Shown publication date: declared (migrated records) or the merge that published it."""
        if self.history is None:
            return record.date("published_on")
        return shown_publication_date(record, self.history)

    def updated_on(self, record: Record) -> dt.date | None:
        timeline = self.timeline(record)
        return timeline.changes[-1].date if timeline and timeline.changes else None

    def withdrawn_on(self, record: Record) -> dt.date | None:
        timeline = self.timeline(record)
        return timeline.withdrawn if timeline else None

    def summary(self, agency: str) -> AgencySummary | None:
        return self.summaries.get(agency)

    def timeliness_on(self, as_of: dt.date) -> dict[tuple[str, int], Timeliness] | None:
        """The timeliness figures judged as of ``as_of``; None when judged on another day."""
        return self.timeliness if self.judged_on == as_of else None

    @staticmethod
    def field_label(kind: str, dotted: str) -> str:
        """A field's title as the public reads it (当事人, not the schema's 行政相对人)."""
        return public_term(field_title(kind, dotted))


def read_audit(
    content: Path,
    corpus: Corpus,
    as_of: dt.date,
    *,
    publish: bool,
    reading: HistoryReading | None = None,
) -> tuple[Audit, list[Finding]]:
    """The audit of a build and its findings (errors stop a publish build); the history from
    ``reading`` when the build began reading it (it is the caller's to close), else read
    now."""
    try:
        history = reading.result() if reading else read_history(content, publish=publish)
    except HistoryUnavailable as exc:
        if publish:
            return Audit(None), [error(corpus.prefix, 1, 1, "history", str(exc))]
        return Audit(None, problem=str(exc)), []
    # Before anything reads decision contents from history (withdrawal dates): the files the
    # build already parsed are not parsed again.
    history.reuse(corpus)
    findings = publish_findings(corpus, history, publish=publish)
    # Every decision's deadlines judged once, for the supervision pages and the statistics.
    outcomes = deadline_outcomes(corpus, history, calendar_from_corpus(corpus), as_of)
    audit = Audit(
        history,
        timelines=record_timelines(history),  # current files already primed by reuse above
        summaries={s.agency: s for s in summaries_of(corpus, outcomes)},
        timeliness=timeliness_of(outcomes, as_of),
        judged_on=as_of,
    )
    return audit, findings
