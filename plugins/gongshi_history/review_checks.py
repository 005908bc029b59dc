"""Report rules on legal review (法制审核): DOMAIN.md "Legal review in detail"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from gongshi_records.crossrules import failed_review, late_review
from gongshi_records.model import Corpus
from gongshi_records.registry import Kind
from gongshi_records.views import Decision

from .reportfinding import ReportFinding


def review_after_decision(corpus: Corpus, as_of: dt.date) -> Iterator[ReportFinding]:
    """A major decision whose legal review is dated after the decision."""
    for record in corpus.of(Kind.DECISION):
        late = late_review(record)
        if late:
            decided, reviewed = late
            message = f"法制审核（{reviewed}）晚于作出决定（{decided}）：重大执法决定应先审核后决定"
            yield ReportFinding(
                record.path, "review-after-decision", decided, reviewed, message, record.agency
            )


def review_failed(corpus: Corpus, as_of: dt.date) -> Iterator[ReportFinding]:
    """A decision made although its legal review did not pass (不同意, 不通过): true, so it is
    published as it happened, but unlawful, so the supervisor must see it. ``due`` is the
    decision date (a passed review was due by then), ``actual`` null: no passed review exists."""
    for record in corpus.of(Kind.DECISION):
        failed = failed_review(record)
        if failed is None:
            continue
        decided = Decision(record).decided_on
        when = f"（{failed.reviewed_on}）" if failed.reviewed_on else ""
        message = (
            f"法制审核意见为“{failed.opinion}”{when}，仍于 {decided} 作出决定："
            "未经法制审核或审核未通过的，不得作出重大执法决定"
        )
        yield ReportFinding(record.path, "review-failed", decided, None, message, record.agency)
