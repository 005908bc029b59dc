"""Report rules on legal review (法制审核): DOMAIN.md "Legal review in detail"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from gongshi_records.crossrules import late_review
from gongshi_records.model import Corpus
from gongshi_records.registry import Kind

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
