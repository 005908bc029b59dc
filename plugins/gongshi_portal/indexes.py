"""Site-wide indexes of what the agencies keep in their own folders: flowcharts, review
catalogues, service guides, audio-visual lists, discretion benchmarks and 双随机 inspections.

Each agency publishes these on its hub; a reader who does not know which agency holds a
flowchart or a catalogue finds it here, one page per record type, every agency listed (an
agency without one is shown as 暂未公布, which is what a supervisor wants to see). The pages
read the same Site queries as the hubs, so they list exactly the records that have pages.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from gongshi_records import Record
from gongshi_records.inspections import PublicResult
from gongshi_records.registry import Kind
from gongshi_records.urls import page_of

from .markup import date_zh
from .site import Site

INSPECTIONS_PAGE = "inspections/index.html"


@dataclass(frozen=True)
class Related:
    """A record an index entry points to besides its own page (a flowchart's power items)."""

    label: str
    page: str  # relative to the site root


@dataclass(frozen=True)
class Entry:
    record: Record
    title: str
    details: tuple[str, ...] = ()
    related: tuple[Related, ...] = ()

    @property
    def page(self) -> str:
        return page_of(self.record)


@dataclass(frozen=True)
class AgencyEntries:
    agency: Record
    entries: list[Entry]


@dataclass(frozen=True)
class RecordIndex:
    """One index page: its record type, address and words, and how an entry is described."""

    kind: Kind
    page: str
    title: str
    intro: str
    unit: str  # counts a record: "3 张执法流程图"
    related_label: str  # what ``Entry.related`` are, e.g. 适用事项
    describe: Callable[[Site, Record], Entry]

    def groups(self, site: Site) -> list[AgencyEntries]:
        """Every agency in agency order, with its records of this type (possibly none)."""
        return [
            AgencyEntries(agency, [self.describe(site, r) for r in self.records(site, agency)])
            for agency in site.agencies()
        ]

    def records(self, site: Site, agency: Record) -> list[Record]:
        return site.of_agency(self.kind, agency.key)

    def count(self, site: Site) -> int:
        return sum(len(self.records(site, agency)) for agency in site.agencies())

    def publishers(self, site: Site) -> int:
        """How many agencies have published at least one record of this type."""
        return sum(1 for agency in site.agencies() if self.records(site, agency))


def _power_link(power: Record) -> Related:
    return Related(str(power.get("name") or power.get("code")), page_of(power))


def _names(items: Any) -> str:
    names = [str(i.get("name")) for i in items or [] if isinstance(i, dict) and i.get("name")]
    return "、".join(names)


def _flowchart(site: Site, record: Record) -> Entry:
    powers = tuple(_power_link(p) for p in site.powers_using(record))
    return Entry(record, str(record.get("title")), related=powers)


def _review_catalog(site: Site, record: Record) -> Entry:
    items = record.get("items") or []
    details = [f"{len(items)} 项：{_names(items)}"]
    if record.get("updated_on"):
        details.append(f"更新日期 {date_zh(record.get('updated_on'))}")
    return Entry(record, "重大执法决定法制审核目录清单", tuple(details))


def _service_guide(site: Site, record: Record) -> Entry:
    power = site.power(record.agency, record.get("power"))
    related = (_power_link(power),) if power else ()
    return Entry(record, str(record.get("title")), related=related)


def _av_list(site: Site, record: Record) -> Entry:
    items = record.get("items") or []
    return Entry(record, "音像记录事项清单", (f"{len(items)} 项：{_names(items)}",))


def _discretion(site: Site, record: Record) -> Entry:
    power = site.power(record.agency, record.get("power"))
    title = str(power.get("name")) if power else str(record.get("power"))
    levels = record.get("levels") or []
    related = (Related(f"权责清单事项 {record.get('power')}", page_of(power)),) if power else ()
    return Entry(record, title, (f"{len(levels)} 个裁量阶次",), related)


RECORD_INDEXES: tuple[RecordIndex, ...] = (
    RecordIndex(
        Kind.FLOWCHART,
        "flowcharts/index.html",
        "执法流程图",
        "各执法主体公布的执法流程图，按执法主体排列，每张图后列出适用的权责清单事项。"
        "每张流程图都有文字版的流程步骤。",
        "张",
        "适用事项",
        _flowchart,
    ),
    RecordIndex(
        Kind.REVIEW_CATALOG,
        "review-catalogs/index.html",
        "重大执法决定法制审核目录清单",
        "列入目录的执法决定属于重大执法决定，须经法制审核后作出；未经法制审核或者审核未通过的，"
        "不得作出决定。",
        "份",
        "",
        _review_catalog,
    ),
    RecordIndex(
        Kind.SERVICE_GUIDE,
        "service-guides/index.html",
        "服务指南",
        "办理事项的依据、条件、申请材料、办理流程、时限、办公时间和地点、监督和救济渠道。",
        "项",
        "对应权责事项",
        _service_guide,
    ),
    RecordIndex(
        Kind.AV_LIST,
        "av-lists/index.html",
        "音像记录事项清单",
        "哪些执法环节用文字、音像或全程音像记录，由谁记录、如何保存和监督。",
        "份",
        "",
        _av_list,
    ),
    RecordIndex(
        Kind.DISCRETION,
        "discretion/index.html",
        "行政裁量权基准",
        "权责清单事项的裁量阶次：每种情形适用的处罚种类和罚款幅度。",
        "项",
        "",
        _discretion,
    ),
)
INDEX_OF: dict[Kind, RecordIndex] = {index.kind: index for index in RECORD_INDEXES}


# 双随机 inspections: by year (newest first), then by agency ---------------------------------
@dataclass(frozen=True)
class InspectionEntry:
    record: Record
    results: list[PublicResult]  # as published: names masked, withdrawn follow-ups unnamed

    @property
    def page(self) -> str:
        return page_of(self.record)

    @property
    def outcomes(self) -> list[tuple[str, int]]:
        """Results per outcome, the most frequent first (the feed's order)."""
        return Counter(r.outcome for r in self.results).most_common()

    @property
    def checked(self) -> tuple[str, str] | None:
        """The first and last inspection dates of its results (ISO), None without results."""
        days = sorted(r.checked_on for r in self.results)
        return (days[0], days[-1]) if days else None


@dataclass(frozen=True)
class InspectionYear:
    year: str
    groups: list[tuple[Record, list[InspectionEntry]]]  # (agency, its inspections), agency order

    @property
    def results(self) -> int:
        return sum(len(e.results) for _agency, entries in self.groups for e in entries)


def inspection_years(site: Site) -> list[InspectionYear]:
    """Every inspection record with its published results, by its 年度 then by agency."""
    by_year: dict[str, dict[str | None, list[InspectionEntry]]] = defaultdict(dict)
    for agency in site.agencies():
        for record in site.of_agency(Kind.INSPECTION, agency.key):
            entry = InspectionEntry(record, site.inspection_results(record))
            by_year[str(record.get("year"))].setdefault(agency.key, []).append(entry)
    return [
        InspectionYear(
            year,
            [(a, by_year[year][a.key]) for a in site.agencies() if a.key in by_year[year]],
        )
        for year in sorted(by_year, reverse=True)
    ]


def published_results(years: Iterable[InspectionYear]) -> int:
    return sum(year.results for year in years)


def index_pages(site: Site) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(page, template, context) of the 双随机 index (pages.plan makes it a PageSpec; the
    record indexes are tables of every agency, paged there)."""
    yield INSPECTIONS_PAGE, "inspections_index", {"years": inspection_years(site)}
