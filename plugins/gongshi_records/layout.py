"""Where each record type lives under content/ (DESIGN.md, "content/ layout")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

SLUG = r"[a-z0-9][a-z0-9-]*"
CODE = r"[A-Za-z0-9][A-Za-z0-9-]*"

# (type, pattern over the path relative to content/). The named groups give the record's key.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        ("portal", r"portal\.yaml"),
        ("calendar", r"calendar/(?P<id>\d{4})\.yaml"),
        ("agency", rf"agencies/(?P<agency>{SLUG})/agency\.yaml"),
        ("officer", rf"agencies/(?P<agency>{SLUG})/officers/(?P<id>{CODE})\.yaml"),
        ("power", rf"agencies/(?P<agency>{SLUG})/powers/(?P<id>{CODE})\.yaml"),
        ("flowchart", rf"agencies/(?P<agency>{SLUG})/flowcharts/(?P<id>{SLUG})\.yaml"),
        ("inspection", rf"agencies/(?P<agency>{SLUG})/inspections/(?P<id>{SLUG})\.yaml"),
        ("review-catalog", rf"agencies/(?P<agency>{SLUG})/review-catalog\.yaml"),
        (
            "decision",
            rf"agencies/(?P<agency>{SLUG})/decisions/(?P<year>\d{{4}})/(?P<id>{SLUG})\.yaml",
        ),
        ("statistics", rf"agencies/(?P<agency>{SLUG})/statistics/(?P<id>\d{{4}})\.yaml"),
        ("service-guide", rf"agencies/(?P<agency>{SLUG})/service-guides/(?P<id>{SLUG})\.yaml"),
        ("av-list", rf"agencies/(?P<agency>{SLUG})/av-list\.yaml"),
    )
)

RECORD_TYPES: tuple[str, ...] = tuple(kind for kind, _ in _PATTERNS)


@dataclass(frozen=True)
class Place:
    """What a path under content/ says about the record in it."""

    kind: str
    agency: str | None
    key: str  # stable identity, unique within its type; also the basis of its page URL
    stem: str
    folder_year: str | None = None  # decisions/<year>/: the year the clerk filed it under


def place_of(relative: str) -> Place | None:
    """The record type and identity of ``relative`` (a POSIX path under content/), if any."""
    for kind, pattern in _PATTERNS:
        match = pattern.fullmatch(relative)
        if not match:
            continue
        groups = match.groupdict()
        agency = groups.get("agency")
        parts = [p for p in (agency, groups.get("year"), groups.get("id")) if p]
        key = "/".join(parts) if kind != "officer" else groups["id"]
        return Place(kind, agency, key, PurePosixPath(relative).stem, groups.get("year"))
    return None


def expected_layout() -> str:
    return (
        "记录只能放在约定位置，例如 agencies/<机构代号>/officers/<执法证号>.yaml、"
        "agencies/<机构代号>/decisions/<年份>/<编号>.yaml（机构代号和编号用小写字母、数字和连字符）"
    )
