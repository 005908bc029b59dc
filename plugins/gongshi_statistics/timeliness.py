"""Timeliness per agency and year, from the git history (DOMAIN.md, Statistics: the share of
decisions published within their deadline, of withdrawals made within 3 working days).

Judged by ``gongshi_history.deadlines`` exactly as ``gongshi report`` judges them: a publication
counts in the year of its decision, a withdrawal in the year of the event that obliged it.
Judged means on time, late or overdue; a duty not due yet, or whose deadline falls in a year no
calendar covers, is in neither count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from gongshi_history.deadlines import Outcome, State, judge_decisions
from gongshi_history.trail import History
from gongshi_history.workdays import calendar_from_corpus
from gongshi_records.model import Corpus

from .model import Timeliness

JUDGED = frozenset({State.ON_TIME, State.LATE, State.OVERDUE})


def timeliness_by_year(
    corpus: Corpus, history: History, as_of: dt.date
) -> dict[tuple[str, int], Timeliness]:
    """(agency, year) → its publications and withdrawals judged as of ``as_of``."""
    calendar = calendar_from_corpus(corpus)
    return timeliness_of(judge_decisions(corpus, history, calendar, as_of), as_of)


def timeliness_of(outcomes: Iterable[Outcome], as_of: dt.date) -> dict[tuple[str, int], Timeliness]:
    """The same from outcomes judged already (the build judges every decision once, for the
    supervision summaries and for these figures): decisions of an agency dated up to
    ``as_of``, duties on time, late or overdue."""
    found: dict[tuple[str, int], Timeliness] = {}
    for outcome in outcomes:
        record, decided = outcome.record, outcome.record.date("decided_on")
        if record.agency is None or decided is None or decided > as_of:
            continue
        if outcome.state in JUDGED:
            _count(found.setdefault((record.agency, outcome.start.year), Timeliness()), outcome)
    return found


def _count(figures: Timeliness, outcome: Outcome) -> None:
    on_time = outcome.state is State.ON_TIME
    if outcome.duty == "publication":
        figures.published += 1
        figures.published_on_time += on_time
    else:
        figures.withdrawals += 1
        figures.withdrawals_on_time += on_time
