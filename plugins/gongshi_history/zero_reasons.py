"""零执法 and its reason (DOMAIN.md, Statistics): an agency with no enforcement in a category of
its power list (权责清单) in a period publishes that, with the reason (seeds/000, seeds/004
(三十一)). Two reports carry the reasons: the annual statistics (``zero_enforcement``, the
national rule, always checked: :func:`statistics_zero_reason`) and the half-year report
(``half_year.zero_enforcement``, a local duty, reporting.py). Both are checked by the same
code, each against the decisions of its period.

Every decision dated in the period counts, withdrawn and expired ones too: they were
enforcement all the same, as in the statistics (gongshi_statistics.figures).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator, Mapping, Sequence

from gongshi_records.model import Corpus
from gongshi_records.registry import Kind
from gongshi_records.views import Decision
from gongshi_records.zeroenforcement import power_categories

from .deadlines import holds_annual_figures
from .reportfinding import ReportFinding


def decided_categories(corpus: Corpus, through_month: int = 12) -> dict[tuple[str, int], set[str]]:
    """The categories each agency decided something in, by (agency, year), counting decisions
    dated from January to ``through_month`` (6: the half year)."""
    found: dict[tuple[str, int], set[str]] = {}
    for record in corpus.of(Kind.DECISION):
        decision = Decision(record)
        day, category = decision.decided_on, decision.category
        if record.agency and day and day.month <= through_month and category:
            found.setdefault((record.agency, day.year), set()).add(category)
    return found


def unexplained(powers: Sequence[str], decided: Collection[str], stated: object) -> list[str]:
    """The categories of ``powers`` (a power list, in its order) with no decision in the period
    and no reason in ``stated`` (a ``zero_enforcement`` mapping, category → reason)."""
    reasons = stated if isinstance(stated, Mapping) else {}
    return [c for c in powers if c not in decided and not _given(reasons.get(c))]


def _given(reason: object) -> bool:
    return isinstance(reason, str) and bool(reason.strip())


def statistics_zero_reason(corpus: Corpus, as_of: dt.date) -> Iterator[ReportFinding]:
    """`statistics-zero-reason`: an agency's annual statistics of a year that is over leave out
    the reason for a category of its power list with no decision that year. ``due`` is the
    statistics' own due date, 31 January of the next year; ``actual`` null: no reason given."""
    powers = power_categories(corpus)
    decided: dict[tuple[str, int], set[str]] | None = None
    for record in corpus.of(Kind.STATISTICS):
        agency, name = record.agency, record.place.id
        if not agency or agency not in powers or not name.isdigit():
            continue
        year = int(name)
        if as_of.year <= year or not holds_annual_figures(record.data):
            continue  # the year is not over, or the file holds only the half-year report
        decided = decided if decided is not None else decided_categories(corpus)
        stated = record.get("zero_enforcement")
        missing = unexplained(powers[agency], decided.get((agency, year), set()), stated)
        if missing:
            listed = "、".join(missing)
            message = (
                f"{year} 年没有{listed}决定（零执法，这些类别列入了本机关的权责清单），"
                f"年度统计却没有说明原因：请在 {record.path} 的 zero_enforcement 中逐项写明"
                "“类别: 原因”"
            )
            due = dt.date(year + 1, 1, 31)
            yield ReportFinding(record.path, "statistics-zero-reason", due, None, message, agency)
