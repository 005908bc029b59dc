"""The figures of every year owed (DOMAIN.md, Statistics), computed from the records.

Which years: each agency's owed years (``gongshi_history.deadlines.owed_years``: every year
from its first on the portal that is over) and the current year so far, as the pages show
them; the portal-wide year is the sum of its agencies'. Every decision counts, withdrawn and
expired ones too (statistics describe enforcement, not what is still on display); decisions
dated after the as-of date do not, nor do decisions without a valid date or category.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping

from gongshi_history.deadlines import owed_years
from gongshi_history.trail import History
from gongshi_records.model import Corpus
from gongshi_records.registry import Kind
from gongshi_records.schema import field_schema, schema_for
from gongshi_records.views import Decision
from gongshi_records.vocabulary import CATEGORIES, PENALTY_KINDS, Category

from .model import CategoryFigures, KindFigures, PortalStatistics, Timeliness, YearFigures
from .people import agency_people, portal_people
from .reported import add_reported, reported_files
from .timeliness import timeliness_by_year

# A 行政许可's outcomes (decision.schema.json license.outcome), and the bucket of licences whose
# record does not state one: counting them as 准予 would guess, so they are shown apart.
LICENCE_OUTCOMES: tuple[str, ...] = tuple(
    field_schema(schema_for(Kind.DECISION), ("license", "outcome"))["enum"]
)
NO_OUTCOME = "未写明"


def compute(
    corpus: Corpus,
    as_of: dt.date,
    history: History | None = None,
    timeliness: Mapping[tuple[str, int], Timeliness] | None = None,
) -> PortalStatistics:
    """Every agency's figures for each year it owes and the current year, and the portal's.
    Without ``history`` timeliness is None and an agency's first year is that of its earliest
    decision. ``timeliness``: ``timeliness_by_year`` as of ``as_of`` when the caller has it."""
    years = agency_years(corpus, history, as_of)
    by_agency = {agency: [empty_year(y, agency) for y in ys] for agency, ys in years.items()}
    _count_decisions(corpus, by_agency, as_of)
    files = reported_files(corpus)
    if timeliness is None and history is not None:
        timeliness = timeliness_by_year(corpus, history, as_of)
    for agency, figures in by_agency.items():
        for year in figures:
            add_reported(year, files.get((agency, year.year)))
            if year.year == as_of.year:
                year.people = agency_people(corpus, agency, as_of)
            if timeliness is not None:
                year.timeliness = timeliness.get((agency, year.year), Timeliness())
    all_years = sorted({y.year for figures in by_agency.values() for y in figures})
    portal = [_portal_year(year, _of_year(by_agency, year)) for year in all_years]
    for total in portal:
        if total.year == as_of.year:
            parts = _of_year(by_agency, total.year)
            total.people = portal_people(corpus, (p.people for p in parts if p.people))
    return PortalStatistics(as_of, all_years, by_agency, portal)


def agency_years(corpus: Corpus, history: History | None, as_of: dt.date) -> dict[str, list[int]]:
    """Each agency's owed years and the current year, ascending, by agency id. An agency with
    no decision and no history yet has the current year only."""
    owed = owed_years(corpus, history, as_of)
    agencies = sorted(set(corpus.agencies()) | set(owed))
    return {a: sorted({*owed.get(a, ()), as_of.year}) for a in agencies}


def empty_year(year: int, agency: str | None) -> YearFigures:
    """A year with every category, penalty kind and licence outcome at zero, in list order."""
    return YearFigures(
        year,
        agency,
        categories=[CategoryFigures(c) for c in CATEGORIES],
        penalty_kinds=[KindFigures(k) for k in PENALTY_KINDS],
        licences={outcome: 0 for outcome in (*LICENCE_OUTCOMES, NO_OUTCOME)},
    )


def listed_categories(figures: YearFigures, powers: Collection[str]) -> list[CategoryFigures]:
    """The categories a year lists, on the pages and in data/statistics.csv alike, in the
    vocabulary's order: those with decisions that year, those of the power list (``powers``,
    from ``gongshi_records.zeroenforcement.power_categories``; no decision there is 零执法) and
    those the statistics file names in ``zero_enforcement``. Empty for an agency with no power
    list that decided nothing and stated no 零执法: nothing says which of the categories it
    owes, so none is listed (its pages say 未录入权责清单, the data has no row)."""
    return [c for c in figures.categories if c.decisions or c.zero_reason or c.category in powers]


def _count_decisions(
    corpus: Corpus, by_agency: Mapping[str, list[YearFigures]], as_of: dt.date
) -> None:
    index = {(a, y.year): y for a, figures in by_agency.items() for y in figures}
    for record in corpus.of(Kind.DECISION):
        decision = Decision(record)
        decided = decision.decided_on
        if decided is None or decided > as_of or record.agency is None:
            continue
        year = index.get((record.agency, decided.year))
        if year is not None:
            count_decision(year, decision, decided, as_of)


def count_decision(year: YearFigures, decision: Decision, decided: dt.date, as_of: dt.date) -> None:
    """Add one decision to its year: category, penalty kinds, licence outcome, month; counted
    as withdrawn once its withdrawal has taken effect on ``as_of`` (not before its event).

    A penalty counts under each of its kinds, with its whole fine (so the kinds' fines do not
    add up to the year's: 警告 and 罚款 in one decision show the fine under both)."""
    category = next((c for c in year.categories if c.category == decision.category), None)
    if category is None:
        return  # not a category of the vocabulary: the schema reports it
    category.decisions += 1
    category.withdrawn += decision.withdrawn_by(as_of)
    category.fines += decision.fine
    category.confiscated += decision.confiscated
    year.monthly[decided.month - 1] += 1
    if decision.is_penalty:
        for kind in year.penalty_kinds:
            if kind.kind in decision.penalty_kinds:
                kind.decisions += 1
                kind.fines += decision.fine
    elif decision.category == Category.LICENCE:
        outcome = decision.licence_outcome
        year.licences[outcome if outcome in LICENCE_OUTCOMES else NO_OUTCOME] += 1
    elif decision.category == Category.COERCION:
        year.coercive += 1


def _of_year(by_agency: Mapping[str, list[YearFigures]], year: int) -> list[YearFigures]:
    return [y for figures in by_agency.values() for y in figures if y.year == year]


def _portal_year(year: int, parts: list[YearFigures]) -> YearFigures:
    """The sum of the agencies' figures of ``year`` (agencies not owing it add nothing)."""
    total = empty_year(year, None)
    for part in parts:
        _add(total, part)
    judged = [p.timeliness for p in parts if p.timeliness is not None]
    if judged:
        total.timeliness = Timeliness(
            sum(t.published for t in judged),
            sum(t.published_on_time for t in judged),
            sum(t.withdrawals for t in judged),
            sum(t.withdrawals_on_time for t in judged),
        )
    return total


def _add(total: YearFigures, part: YearFigures) -> None:
    for mine, theirs in zip(total.categories, part.categories, strict=True):
        mine.decisions += theirs.decisions
        mine.withdrawn += theirs.withdrawn
        mine.fines += theirs.fines
        mine.confiscated += theirs.confiscated
    for kind, other in zip(total.penalty_kinds, part.penalty_kinds, strict=True):
        kind.decisions += other.decisions
        kind.fines += other.fines
    for outcome, count in part.licences.items():
        total.licences[outcome] += count
    total.coercive += part.coercive
    total.monthly = [a + b for a, b in zip(total.monthly, part.monthly, strict=True)]
    for key, value in part.reported.items():
        total.reported[key] = total.reported.get(key, 0) + value
