"""Stable page addresses: derived from a record's identity (its place under content/), never
from an editable field, so a page keeps its URL however often the record is corrected. Every
output (pages, exports, feeds, search) names pages through this one function."""

from __future__ import annotations

from .model import Record

_PATTERNS = {
    "agency": "agencies/{key}/index.html",
    "officer": "officers/{key}.html",
    "decision": "agencies/{agency}/decisions/{rest}.html",
    "power": "agencies/{agency}/powers/{rest}.html",
    "flowchart": "agencies/{agency}/flowcharts/{rest}.html",
    "inspection": "agencies/{agency}/inspections/{rest}.html",
    "service-guide": "agencies/{agency}/service-guides/{rest}.html",
    "review-catalog": "agencies/{agency}/review-catalog.html",
    "av-list": "agencies/{agency}/av-list.html",
    "statistics": "agencies/{agency}/statistics/{rest}.html",
}


def page_of(record: Record) -> str:
    """The output path of a record's page, relative to the site root (no leading slash)."""
    agency = record.agency or ""
    rest = record.key.removeprefix(agency + "/")
    return _PATTERNS[record.kind].format(key=record.key, agency=agency, rest=rest)
