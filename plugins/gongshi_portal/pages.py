"""Every page of the portal, planned before anything is written.

The plan is a plain list, so the sitemap, the link checker and the tests all see the same pages
the writer writes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from gongshi_records import Record
from gongshi_records.standing import STANDING_LABELS
from gongshi_records.urls import page_of

from .site import CATEGORY_SLUGS, Site, text_slug

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
        PageSpec("index.html", "index"),
        PageSpec("search.html", "search"),
        PageSpec("agencies/index.html", "agencies"),
        *_agency_pages(site),
        *_record_pages(site),
        *_officer_lists(site),
        *_decision_lists(site),
        PageSpec("powers/index.html", "powers_all"),
        PageSpec("data/index.html", "data"),
        PageSpec("supervision/index.html", "supervision_all"),
    ]


def _agency_pages(site: Site) -> Iterator[PageSpec]:
    for agency in site.agencies():
        ctx = {"agency": agency}
        base = f"agencies/{agency.key}"
        yield PageSpec(f"{base}/supervision.html", "supervision", ctx)
        yield PageSpec(page_of(agency), "agency", {**ctx, "record": agency}, record=agency)
        yield PageSpec(f"{base}/officers.html", "officers_agency", ctx)
        yield PageSpec(f"{base}/powers/index.html", "powers", ctx)
        yield from paginate(
            f"{base}/decisions", "decisions", site.decisions(agency.key), title="执法决定", **ctx
        )


def _record_pages(site: Site) -> Iterator[PageSpec]:
    templates = {
        "officer": "officer",
        "power": "power",
        "flowchart": "flowchart",
        "inspection": "inspection",
        "service-guide": "service_guide",
        "review-catalog": "review_catalog",
        "av-list": "av_list",
        "statistics": "statistics",
    }
    for kind, template in templates.items():
        for record in site.corpus.of(kind):
            context: dict[str, Any] = {"record": record, "agency": site.agency(record.agency)}
            yield PageSpec(page_of(record), template, context, record=record)
    for template, entries in (("decision", site.decisions()), ("withdrawal", site.withdrawn())):
        for entry in entries:
            record = entry.record
            context = {"decision": entry, "record": record, "agency": site.agency(record.agency)}
            yield PageSpec(page_of(record), template, context, record=record)


def _officer_lists(site: Site) -> Iterator[PageSpec]:
    """The roster, and one pre-built page per status and per category: filters without JS."""
    officers = site.officers()
    yield PageSpec("officers/index.html", "officers", {"officers": officers, "filter": None})
    for slug, label in STANDING_LABELS.items():
        chosen = [o for o in officers if site.standing(o).slug == slug]
        ctx = {"officers": chosen, "filter": ("状态", label)}
        yield PageSpec(f"officers/status-{slug}.html", "officers", ctx)
    for category in site.officer_categories():
        chosen = [o for o in officers if o.get("category") == category]
        ctx = {"officers": chosen, "filter": ("执法类别", category)}
        yield PageSpec(f"officers/category-{text_slug(category)}.html", "officers", ctx)


def _decision_lists(site: Site) -> Iterator[PageSpec]:
    everything = site.decisions()
    yield from paginate("decisions", "decisions", everything, title="全部执法决定")
    for year in site.decision_years():
        chosen = [d for d in everything if str(d.record.get("decided_on")).startswith(year)]
        yield from paginate(f"decisions/{year}", "decisions", chosen, title=f"{year}年执法决定")
    for category in site.decision_categories():
        chosen = [d for d in everything if d.record.get("category") == category]
        base = f"decisions/{CATEGORY_SLUGS[category]}"
        yield from paginate(base, "decisions", chosen, title=category)
    yield PageSpec("decisions/withdrawn.html", "withdrawn_list", {"entries": site.withdrawn()})
