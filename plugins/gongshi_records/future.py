"""Records dated after the build's date (DOMAIN.md, "A static site has no clock").

A decision dated tomorrow, or a withdrawal whose event is next week, is not an error: the
daily build must keep running. It is a warning, and publication.py holds the decision back
(in no output) until its date, and lets the withdrawal take effect only from its date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from .findings import Finding
from .model import Corpus, finding_at
from .registry import Kind
from .views import Decision


def future_findings(corpus: Corpus, as_of: dt.date) -> Iterator[Finding]:
    """A warning at each decision date and each withdrawal event after ``as_of``."""
    for record in corpus.subjects(Kind.DECISION):
        decision = Decision(record)
        decided = decision.decided_on
        if decided is not None and decided > as_of:
            yield finding_at(
                record,
                ("decided_on",),
                "decision.future",
                f"决定日期 {decided} 晚于生成日期 {as_of}：该决定暂不公示，{decided} 起的每日"
                "生成才会发布；若日期写错，请改正",
                warn=True,
            )
        occurred = decision.withdrawal_occurred_on
        if decision.withdrawn and occurred is not None and occurred > as_of:
            yield finding_at(
                record,
                ("withdrawal", "occurred_on"),
                "withdrawal.future",
                f"撤回事由发生日期 {occurred} 晚于生成日期 {as_of}：{occurred} 起才撤下，"
                "此前原决定照常公示；若日期写错，请改正",
                warn=True,
            )
