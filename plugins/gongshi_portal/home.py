"""The home page in the three phases of 行政执法公示 (DOMAIN.md): 事前, 事中, 事后.

Each phase lists its entries with what each counts, worded so that no count can be mistaken for
another (公示中的执法决定 are those on display today; the statistics count every decision of a
year, withdrawn and expired included). An entry with nothing published has no link: it says
暂未公布 instead of leading to an empty page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gongshi_records.registry import Kind

from .indexes import INDEX_OF, INSPECTIONS_PAGE, RecordIndex, inspection_years, published_results
from .site import Site

FEEDS_PAGE = "feeds/index.html"
# The home page's search box: the 事中 phase's certificate check points to it.
SEARCH_BOX = "index.html#home-q"
LATEST = 5  # latest decisions and 双随机 results shown on the home page


@dataclass(frozen=True)
class PhaseEntry:
    label: str
    page: str | None  # relative to the site root; None: nothing published yet
    text: str  # what the entry holds, its count worded as what it counts


@dataclass(frozen=True)
class Phase:
    ident: str  # the section's id: index.html#before …
    title: str
    note: str
    entries: list[PhaseEntry]


def _counted(label: str, page: str, count: int, text: str) -> PhaseEntry:
    """An entry that links only when there is something to see."""
    return PhaseEntry(label, page if count else None, text if count else "暂未公布")


def _indexed(site: Site, kind: Kind, label: str, by_agency: bool = False) -> PhaseEntry:
    index: RecordIndex = INDEX_OF[kind]
    count = index.publishers(site) if by_agency else index.count(site)
    text = f"{count} 个执法主体已公布" if by_agency else f"{count} {index.unit}"
    return _counted(label, index.page, count, text)


def before(site: Site) -> Phase:
    agencies = len(site.agencies())
    powers = sum(len(site.of_agency(Kind.POWER, a.key)) for a in site.agencies())
    return Phase(
        "before",
        "事前公示",
        "执法之前公开：谁来执法，依据什么，按什么程序和标准执法。",
        [
            _counted("执法主体", "agencies/index.html", agencies, f"{agencies} 个"),
            _counted("权责清单", "powers/index.html", powers, f"{powers} 项"),
            _indexed(site, Kind.FLOWCHART, "执法流程图"),
            _indexed(site, Kind.REVIEW_CATALOG, "法制审核目录清单", by_agency=True),
            _indexed(site, Kind.SERVICE_GUIDE, "服务指南"),
            _indexed(site, Kind.AV_LIST, "音像记录事项清单", by_agency=True),
            _indexed(site, Kind.DISCRETION, "行政裁量权基准"),
        ],
    )


def during(site: Site) -> Phase:
    officers = len(site.officers())
    inspections = len(site.corpus.of(Kind.INSPECTION))
    return Phase(
        "during",
        "事中公示",
        "执法时执法人员出示执法证件，公众可以在网上核验其身份和证件状态。",
        [
            PhaseEntry("亮证核验", SEARCH_BOX, "输入执法人员姓名或执法证号"),
            _counted("执法人员", "officers/index.html", officers, f"名单 {officers} 名"),
            _counted("双随机抽查", INSPECTIONS_PAGE, inspections, f"抽查事项 {inspections} 项"),
        ],
    )


def after(site: Site) -> Phase:
    decisions = len(site.decisions())
    withdrawn = len(site.withdrawn())
    results = published_results(inspection_years(site))
    years = site.statistics.years()
    return Phase(
        "after",
        "事后公示",
        "执法之后公开：执法决定、抽查结果、撤回情况和年度统计。",
        [
            _counted("执法决定", "decisions/index.html", decisions, f"公示中 {decisions} 件"),
            _counted("双随机抽查结果", INSPECTIONS_PAGE, results, f"已公布 {results} 户"),
            _counted("撤回公告", "decisions/withdrawn.html", withdrawn, f"{withdrawn} 件"),
            _counted("执法统计", "statistics/index.html", len(years), _years(years)),
            PhaseEntry("公示监督", "supervision/index.html", "是否按时公示、按时撤回"),
        ],
    )


def _years(years: list[int]) -> str:
    if not years:
        return ""
    first, last = min(years), max(years)
    return f"{first}—{last}年" if first != last else f"{first}年"


def home_context(site: Site) -> dict[str, Any]:
    """What index.html gets beside ``gongshi``: the phases and how many latest items it shows."""
    return {"phases": [before(site), during(site), after(site)], "latest": LATEST}
