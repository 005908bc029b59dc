"""零执法 stated against the decisions (DOMAIN.md, Statistics): a statistics file's
``zero_enforcement`` names the categories in which the agency did nothing that year, with the
reason. Naming a category that has decisions that year contradicts the records (the figures
are computed from them), so validation warns: the clerk either forgot to remove the line or
filed a decision under the wrong category or date.

What counts as 零执法 at all is judged against the power list (权责清单): a category of it with
no decision in a year. :func:`power_categories` says which categories those are, for the
statistics pages and data (gongshi_statistics) and the report's reasons checks (gongshi_history)
alike."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping

from .findings import Finding, warning
from .model import Corpus, Record
from .registry import Kind
from .views import Decision
from .vocabulary import CATEGORIES


def power_categories(corpus: Corpus) -> dict[str, list[str]]:
    """Each agency's categories of its power list, in the vocabulary's order; an agency with no
    power-list item (or none of a category of the vocabulary: the schema reports that) is
    absent. A renamed category (行政征收) was upgraded when its record was loaded."""
    listed: dict[str, set[str]] = defaultdict(set)
    for power in corpus.of(Kind.POWER):
        category = power.get("category")
        if power.agency and isinstance(category, str):
            listed[power.agency].add(category)
    found = {agency: [c for c in CATEGORIES if c in mine] for agency, mine in listed.items()}
    return {agency: categories for agency, categories in sorted(found.items()) if categories}


def _decisions_by_year(corpus: Corpus) -> Mapping[tuple[str, int, str], list[Record]]:
    """Decisions by (agency, year of decided_on, category), in path order."""
    found: dict[tuple[str, int, str], list[Record]] = defaultdict(list)
    for record in corpus.of(Kind.DECISION):
        decision = Decision(record)
        decided, category = decision.decided_on, decision.category
        if record.agency and decided and category:
            found[(record.agency, decided.year, category)].append(record)
    return found


def zero_enforcement_rules(corpus: Corpus) -> Iterator[Finding]:
    """A category in ``zero_enforcement`` that has decisions in that year: a warning at the
    category's line, naming how many and one of them."""
    decisions: Mapping[tuple[str, int, str], list[Record]] | None = None
    for record in corpus.of(Kind.STATISTICS):
        stated = record.get("zero_enforcement")
        if not isinstance(stated, Mapping) or not record.agency or not record.place.id.isdigit():
            continue
        decisions = decisions if decisions is not None else _decisions_by_year(corpus)
        year = int(record.place.id)
        for category in stated:
            made = decisions.get((record.agency, year, str(category)), [])
            if made:
                mark = record.mark(("zero_enforcement", str(category)))
                message = (
                    f"零执法情况写明 {year} 年没有{category}，但本主体该年有 {len(made)} 件"
                    f"{category}决定（例如 {made[0].path}）：请删除 zero_enforcement 中的"
                    f"“{category}”一行，或核对这些决定的类别和决定日期"
                )
                yield warning(
                    record.path, mark.key_line, mark.key_col, "statistics.zero-enforcement", message
                )
