"""Every page of the portal, planned before anything is written.

The plan is a plain list, so the sitemap, the link checker and the tests all see the same pages
the writer writes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
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
from .indexes import RECORD_INDEXES, AgencyEntries, index_pages
from .site import Site, text_slug
from .statistics import INDEX_PAGE, year_page
from .supervision import LATE_SHOWN

PAGE_SIZE = 20


@dataclass(frozen=True)
class PageSpec:
    name: str  # output path relative to the site root
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    record: Record | None = None  # the record a record page shows (dated in the sitemap)


WINDOW = 2  # page numbers shown on each side of the current page
AGENCY_INDEX = "decisions/agencies.html"


@dataclass(frozen=True)
class Pager:
    """One page of a long list. Page names: <base>/index.html, <base>/page-2.html, …; a base
    that is itself a page (officers/status-active.html) continues as <stem>-page-2.html."""

    items: Sequence[Any]
    number: int
    count: int
    base: str
    total: int
    # (label, page) where each group of a long list starts: a decision list's years, newest
    # first, so a reader after a 2024 decision jumps to 2024 instead of paging through 2026;
    # an all-agency table's regions (by_region).
    jumps: tuple[tuple[str, int], ...] = ()
    by_region: bool = False

    def name(self, number: int) -> str:
        if self.base.endswith(".html"):
            return self.base if number == 1 else f"{self.base[:-5]}-page-{number}.html"
        return f"{self.base}/index.html" if number == 1 else f"{self.base}/page-{number}.html"

    @property
    def previous(self) -> str | None:
        return self.name(self.number - 1) if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.name(self.number + 1) if self.number < self.count else None

    def numbers(self) -> list[int | None]:
        """The page numbers the pager links: the first, the last and the current page's
        neighbours, None where pages are left out (shown as …). A bounded number of links
        however long the list: every page is still reached by 上一页/下一页 and the jumps."""
        low, high = max(1, self.number - WINDOW), min(self.count, self.number + WINDOW)
        shown = sorted({1, self.count, *range(low, high + 1)})
        numbers: list[int | None] = []
        for before, n in zip([0, *shown], shown, strict=False):
            if n - before == 2:  # one page left out: its number takes no more room than …
                numbers.append(before + 1)
            elif n - before > 2:
                numbers.append(None)
            numbers.append(n)
        return numbers


def paginate(
    base: str,
    template: str,
    items: Sequence[Any],
    group: Callable[[Any], str] | None = None,
    *,
    by_region: bool = False,
    **context: Any,
) -> Iterator[PageSpec]:
    """The list in pages of PAGE_SIZE; ``group`` names each item's group for the jumps (a
    year, or a region when ``by_region``)."""
    count = max(1, -(-len(items) // PAGE_SIZE))
    jumps = _jumps(items, group) if group is not None and count > 1 else ()
    for number in range(1, count + 1):
        chunk = items[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
        pager = Pager(chunk, number, count, base, len(items), jumps, by_region)
        yield PageSpec(pager.name(number), template, {**context, "pager": pager})


def agency_pages(
    base: str, template: str, items: Sequence[Any], agency: Callable[[Any], Record], **context: Any
) -> Iterator[PageSpec]:
    """A table of every agency (``agency`` finds each item's) in pages of PAGE_SIZE rows, the
    agencies of a region together (regions in order of their first agency) with a jump to
    where each region starts: a province has hundreds of agencies, and a row of the
    supervision table alone is about 1 KB."""

    def region(item: Any) -> str:
        return str(agency(item).get("region") or "未填管辖区域")

    order: dict[str, int] = {}
    for item in items:
        order.setdefault(region(item), len(order))
    grouped = sorted(items, key=lambda item: order[region(item)])
    yield from paginate(base, template, grouped, region, by_region=True, **context)


def _jumps(items: Sequence[Any], group: Callable[[Any], str]) -> tuple[tuple[str, int], ...]:
    """The page each group starts on, in list order; none for a list of one group."""
    starts: dict[str, int] = {}
    for index, item in enumerate(items):
        starts.setdefault(group(item), index // PAGE_SIZE + 1)
    return tuple(starts.items()) if len(starts) > 1 else ()


def decision_year(entry: PublicDecision) -> str:
    return str(entry.record.get("decided_on"))[:4]


def plan(site: Site) -> list[PageSpec]:
    return [
        PageSpec("index.html", "index", home_context(site)),
        PageSpec("search.html", "search"),
        *agency_pages("agencies", "agencies", site.agencies(), lambda agency: agency),
        PageSpec(AGENCY_INDEX, "decisions_agencies"),
        *_agency_pages(site),
        *_record_pages(site),
        *_officer_lists(site),
        *_decision_lists(site),
        PageSpec("powers/index.html", "powers_all"),
        PageSpec("data/index.html", "data"),
        # How to check this copy against SHA256SUMS (gongshi_trust puts `trust` in the context).
        PageSpec("verify.html", "verify"),
        *agency_pages("supervision", "supervision_all", site.supervision_rows(), _first),
        *_statistics_pages(site),
        # Site-wide indexes of flowcharts, review catalogues, … and 双随机 (indexes.py).
        *_record_indexes(site),
        *(PageSpec(name, template, context) for name, template, context in index_pages(site)),
        PageSpec(FEEDS_PAGE, "feeds", feeds_context()),
    ]


def _record_indexes(site: Site) -> Iterator[PageSpec]:
    """Each index of a record type kept in the agencies' folders: every agency with its
    records, 20 agencies a page."""
    for index in RECORD_INDEXES:
        groups = index.groups(site)
        count = sum(len(g.entries) for g in groups)
        published = sum(1 for g in groups if g.entries)
        base = index.page.removesuffix("/index.html")
        yield from agency_pages(
            base,
            "record_index",
            groups,
            _group_agency,
            index=index,
            count=count,
            published=published,
        )


def _group_agency(group: AgencyEntries) -> Record:
    return group.agency


def _first(row: tuple[Record, Any]) -> Record:
    return row[0]


def _agency_pages(site: Site) -> Iterator[PageSpec]:
    for agency in site.agencies():
        ctx: dict[str, Any] = {"agency": agency}
        base = f"agencies/{agency.key}"
        yield PageSpec(f"{base}/supervision.html", "supervision", ctx)
        yield from _late_lists(site, agency, base)
        template = RECORD_TYPES[Kind.AGENCY].template or ""
        yield PageSpec(page_of(agency), template, {**ctx, "record": agency}, record=agency)
        officers = site.officers(agency.key)
        yield from paginate(f"{base}/officers.html", "officers_agency", officers, **ctx)
        yield PageSpec(f"{base}/powers/index.html", "powers", ctx)
        decisions = site.decisions(agency.key)
        yield from paginate(
            f"{base}/decisions", "decisions", decisions, decision_year, title="执法决定", **ctx
        )


def _late_lists(site: Site, agency: Record, base: str) -> Iterator[PageSpec]:
    """The agency's lists of late duties too long for its supervision page, in pages."""
    summary = site.audit.summary(agency.key)
    for late in site.supervision.late_lists(summary) if summary else ():
        if len(late.rows) > LATE_SHOWN:
            where = f"{base}/supervision/{late.slug}"
            yield from paginate(where, "supervision_late", late.rows, agency=agency, late=late)


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
    """The roster, and one pre-built list per status and per category: filters without JS.
    Each is paginated; a page groups its officers by agency (the template asks Site)."""
    officers = site.officers()
    by_status: dict[str, list[Record]] = defaultdict(list)
    by_category: dict[Any, list[Record]] = defaultdict(list)
    for officer in officers:
        by_status[site.standing(officer).slug].append(officer)
        by_category[officer.get("category")].append(officer)

    def roster(base: str, chosen: list[Record], filter: Any) -> Iterator[PageSpec]:
        return paginate(base, "officers", chosen, filter=filter)

    yield from roster("officers", officers, None)
    for slug, label in STANDING_LABELS.items():
        yield from roster(f"officers/status-{slug}.html", by_status.get(slug, []), ("状态", label))
    for category in site.officer_categories():
        base = f"officers/category-{text_slug(category)}.html"
        yield from roster(base, by_category.get(category, []), ("执法类别", category))


def _decision_lists(site: Site) -> Iterator[PageSpec]:
    everything = site.decisions()
    yield from paginate("decisions", "decisions", everything, title="全部执法决定")
    by_year: dict[str, list[PublicDecision]] = defaultdict(list)
    by_category: dict[Any, list[PublicDecision]] = defaultdict(list)
    for d in everything:
        by_year[decision_year(d)].append(d)
        by_category[d.record.get("category")].append(d)
    for year in site.decision_years():
        chosen = by_year.get(year, [])
        yield from paginate(f"decisions/{year}", "decisions", chosen, title=f"{year}年执法决定")
    for category in site.decision_categories():
        chosen = by_category.get(category, [])
        base = f"decisions/{CATEGORY_SLUGS[category]}"
        yield from paginate(base, "decisions", chosen, decision_year, title=category)
    yield from paginate("decisions/withdrawn.html", "withdrawn_list", site.withdrawn())


def _statistics_pages(site: Site) -> Iterator[PageSpec]:
    """The years' index, a page per year (portal-wide, a section per agency) and every
    agency's annual report of every year, whether or not it published its statistics file."""
    statistics = site.statistics
    yield PageSpec(INDEX_PAGE, "statistics_index")
    for year in statistics.years():
        entries = statistics.agencies(year)
        yield from agency_pages(
            year_page(year), "statistics_year", entries, lambda e: e.agency, year=year
        )
    template = RECORD_TYPES[Kind.STATISTICS].template or ""
    for entry in statistics.reports():
        context = {"entry": entry, "agency": entry.agency, "record": entry.file}
        yield PageSpec(entry.report, template, context, record=entry.file)
