"""Every page of the portal, planned before anything is written.

The plan is a plain list, so the sitemap, the link checker and the tests all see the same pages
the writer writes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from gongshi_records import Record
from gongshi_records.publication import PublicDecision
from gongshi_records.registry import RECORD_TYPES, Kind
from gongshi_records.standing import STANDING_LABELS
from gongshi_records.urls import page_of
from gongshi_records.vocabulary import CATEGORY_SLUGS

from .feedpage import FEEDS_PAGE, feeds_context
from .home import home_context
from .indexes import index_pages
from .site import Site, text_slug
from .statistics import INDEX_PAGE, year_page

PAGE_SIZE = 20


@dataclass(frozen=True)
class PageSpec:
    name: str  # output path relative to the site root
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    record: Record | None = None  # the record a record page shows (dated in the sitemap)


@dataclass(frozen=True)
class Pager:
    """One page of a long list; page names are <base>/index.html, <base>/page-2.html, …"""

    items: Sequence[Any]
    number: int
    count: int
    base: str
    total: int

    def name(self, number: int) -> str:
        return f"{self.base}/index.html" if number == 1 else f"{self.base}/page-{number}.html"

    @property
    def previous(self) -> str | None:
        return self.name(self.number - 1) if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.name(self.number + 1) if self.number < self.count else None

    def numbers(self) -> range:
        return range(1, self.count + 1)


def paginate(base: str, template: str, items: Sequence[Any], **context: Any) -> Iterator[PageSpec]:
    count = max(1, -(-len(items) // PAGE_SIZE))
    for number in range(1, count + 1):
        chunk = items[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
        pager = Pager(chunk, number, count, base, len(items))
        yield PageSpec(pager.name(number), template, {**context, "pager": pager})


def plan(site: Site) -> list[PageSpec]:
    return [
        PageSpec("index.html", "index", home_context(site)),
        PageSpec("search.html", "search"),
        PageSpec("agencies/index.html", "agencies"),
        *_agency_pages(site),
        *_record_pages(site),
        *_officer_lists(site),
        *_decision_lists(site),
        PageSpec("powers/index.html", "powers_all"),
        PageSpec("data/index.html", "data"),
        # How to check this copy against SHA256SUMS (gongshi_trust puts `trust` in the context).
        PageSpec("verify.html", "verify"),
        PageSpec("supervision/index.html", "supervision_all"),
        *_statistics_pages(site),
        # Site-wide indexes of flowcharts, review catalogues, … and 双随机 (indexes.py).
        *(PageSpec(name, template, context) for name, template, context in index_pages(site)),
        PageSpec(FEEDS_PAGE, "feeds", feeds_context()),
    ]


def _agency_pages(site: Site) -> Iterator[PageSpec]:
    for agency in site.agencies():
        ctx = {"agency": agency}
        base = f"agencies/{agency.key}"
        yield PageSpec(f"{base}/supervision.html", "supervision", ctx)
        template = RECORD_TYPES[Kind.AGENCY].template or ""
        yield PageSpec(page_of(agency), template, {**ctx, "record": agency}, record=agency)
        yield PageSpec(f"{base}/officers.html", "officers_agency", ctx)
        yield PageSpec(f"{base}/powers/index.html", "powers", ctx)
        yield from paginate(
            f"{base}/decisions", "decisions", site.decisions(agency.key), title="执法决定", **ctx
        )


def _record_pages(site: Site) -> Iterator[PageSpec]:
    # Agencies have their hub (above); decisions are planned from the public view (below);
    # statistics files are part of the annual reports, one for every year owed, file or not.
    planned_elsewhere = (Kind.AGENCY, Kind.DECISION, Kind.STATISTICS)
    for record_type in RECORD_TYPES.values():
        if record_type.template is None or record_type.kind in planned_elsewhere:
            continue
        for record in site.corpus.of(record_type.kind):
            context: dict[str, Any] = {"record": record, "agency": site.agency(record.agency)}
            yield PageSpec(page_of(record), record_type.template, context, record=record)
    decision_template = RECORD_TYPES[Kind.DECISION].template or ""
    for template, entries in (
        (decision_template, site.decisions()),
        ("withdrawal", site.withdrawn()),
    ):
        for entry in entries:
            record = entry.record
            context = {"decision": entry, "record": record, "agency": site.agency(record.agency)}
            yield PageSpec(page_of(record), template, context, record=record)


def _officer_lists(site: Site) -> Iterator[PageSpec]:
    """The roster, and one pre-built page per status and per category: filters without JS.
    Each page gets its officers grouped by agency once ([(agency, officers)], agency order)."""
    officers = site.officers()
    by_status: dict[str, list[Record]] = defaultdict(list)
    by_category: dict[Any, list[Record]] = defaultdict(list)
    for officer in officers:
        by_status[site.standing(officer).slug].append(officer)
        by_category[officer.get("category")].append(officer)

    def roster(chosen: list[Record], filter: tuple[str, str] | None) -> dict[str, Any]:
        return {"officers": chosen, "groups": site.officer_groups(chosen), "filter": filter}

    yield PageSpec("officers/index.html", "officers", roster(officers, None))
    for slug, label in STANDING_LABELS.items():
        ctx = roster(by_status.get(slug, []), ("状态", label))
        yield PageSpec(f"officers/status-{slug}.html", "officers", ctx)
    for category in site.officer_categories():
        ctx = roster(by_category.get(category, []), ("执法类别", category))
        yield PageSpec(f"officers/category-{text_slug(category)}.html", "officers", ctx)


def _decision_lists(site: Site) -> Iterator[PageSpec]:
    everything = site.decisions()
    yield from paginate("decisions", "decisions", everything, title="全部执法决定")
    by_year: dict[str, list[PublicDecision]] = defaultdict(list)
    by_category: dict[Any, list[PublicDecision]] = defaultdict(list)
    for d in everything:
        by_year[str(d.record.get("decided_on"))[:4]].append(d)
        by_category[d.record.get("category")].append(d)
    for year in site.decision_years():
        chosen = by_year.get(year, [])
        yield from paginate(f"decisions/{year}", "decisions", chosen, title=f"{year}年执法决定")
    for category in site.decision_categories():
        chosen = by_category.get(category, [])
        base = f"decisions/{CATEGORY_SLUGS[category]}"
        yield from paginate(base, "decisions", chosen, title=category)
    yield PageSpec("decisions/withdrawn.html", "withdrawn_list", {"entries": site.withdrawn()})


def _statistics_pages(site: Site) -> Iterator[PageSpec]:
    """The years' index, a page per year (portal-wide, a section per agency) and every
    agency's annual report of every year, whether or not it published its statistics file."""
    statistics = site.statistics
    yield PageSpec(INDEX_PAGE, "statistics_index")
    for year in statistics.years():
        yield PageSpec(year_page(year), "statistics_year", {"year": year})
    template = RECORD_TYPES[Kind.STATISTICS].template or ""
    for entry in statistics.reports():
        context = {"entry": entry, "agency": entry.agency, "record": entry.file}
        yield PageSpec(entry.report, template, context, record=entry.file)
