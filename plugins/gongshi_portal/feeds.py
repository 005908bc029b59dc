"""The Atom feeds: feeds/decisions.atom.xml (new decisions and withdrawal notices) and
feeds/inspections.atom.xml (双随机 results, one entry per inspection that has any), newest first.

Written with ElementTree so every value is escaped, and without a wall-clock timestamp, so the
same records always give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from gongshi_records import Record
from gongshi_records.inspections import PublicResult
from gongshi_records.publication import PublicDecision, Status
from gongshi_records.urls import page_of

from .xmldoc import xml_document

ATOM = "http://www.w3.org/2005/Atom"
FEED_PATH = "feeds/decisions.atom.xml"
INSPECTION_FEED_PATH = "feeds/inspections.atom.xml"
MAX_ENTRIES = 100


@dataclass(frozen=True)
class FeedEntry:
    decision: PublicDecision
    updated: dt.date  # the day it appeared on the portal (publication or withdrawal)


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00+08:00"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


def render_feed(
    portal_name: str,
    portal_key: str,
    site_url: str,
    entries: Sequence[FeedEntry],
    link_to: Callable[[PublicDecision], str],
) -> bytes:
    """The feed; ``site_url`` is absolute when publishing, else links stay relative to the feed.
    ``portal_key`` makes the entries' ids unique to this portal."""
    ET.register_namespace("", ATOM)
    base = site_url.rstrip("/") + "/" if site_url else "../"
    ordered = sorted(entries, key=lambda e: (e.updated, e.decision.record.path), reverse=True)
    ordered = ordered[:MAX_ENTRIES]
    feed = ET.Element(f"{{{ATOM}}}feed")
    _sub(feed, "title", f"{portal_name} - 执法决定")
    # Atom ids must be absolute and must not change when a mirror serves the feed elsewhere.
    _sub(feed, "id", f"urn:gongshi:{portal_key}:feed:decisions")
    _sub(feed, "link", rel="self", href=f"{base}{FEED_PATH}")
    _sub(feed, "link", rel="alternate", href=f"{base}decisions/index.html")
    newest = ordered[0].updated if ordered else dt.date(2000, 1, 1)
    _sub(feed, "updated", _stamp(newest))
    _sub(_sub(feed, "author"), "name", portal_name)
    for entry in ordered:
        _entry(feed, entry, base, f"urn:gongshi:{portal_key}", link_to)
    return xml_document(feed)


def _entry(
    feed: ET.Element,
    entry: FeedEntry,
    base: str,
    urn: str,
    link_to: Callable[[PublicDecision], str],
) -> None:
    record = entry.decision.record
    doc_no = str(record.get("doc_no"))
    element = _sub(feed, "entry")
    href = f"{base}{link_to(entry.decision)}"
    if entry.decision.status is Status.WITHDRAWN:
        # A withdrawal notice names the document and the reason, nothing of the decision.
        _sub(element, "title", f"撤回公告：{doc_no}")
        summary = (
            f"撤回原因：{record.get('withdrawal', 'cause')}。{record.get('withdrawal', 'reason')}"
        )
        _sub(element, "id", f"{urn}:withdrawal:{record.key}")
    else:
        _sub(element, "title", f"{doc_no} {entry.decision.party_name}")
        summary = f"{record.get('category')}；决定日期 {record.get('decided_on')}"
        _sub(element, "id", f"{urn}:decision:{record.key}")
    _sub(element, "link", rel="alternate", href=href)
    _sub(element, "updated", _stamp(entry.updated))
    _sub(element, "summary", summary)


@dataclass(frozen=True)
class InspectionEntry:
    inspection: Record
    results: Sequence[PublicResult]  # as published (names masked)
    updated: dt.date  # the day its results last changed on the portal


def render_inspection_feed(
    portal_name: str, portal_key: str, site_url: str, entries: Sequence[InspectionEntry]
) -> bytes:
    """Inspections with results, each entry updated when results were added or changed: a
    reader sees new results the way it sees new decisions. Counts by outcome, no names: the
    page (and search) show each inspected party."""
    ET.register_namespace("", ATOM)
    base = site_url.rstrip("/") + "/" if site_url else "../"
    ordered = sorted(
        (e for e in entries if e.results),
        key=lambda e: (e.updated, e.inspection.path),
        reverse=True,
    )[:MAX_ENTRIES]
    feed = ET.Element(f"{{{ATOM}}}feed")
    _sub(feed, "title", f"{portal_name} - 双随机抽查结果")
    _sub(feed, "id", f"urn:gongshi:{portal_key}:feed:inspections")
    _sub(feed, "link", rel="self", href=f"{base}{INSPECTION_FEED_PATH}")
    _sub(feed, "link", rel="alternate", href=f"{base}inspections/index.html")
    newest = ordered[0].updated if ordered else dt.date(2000, 1, 1)
    _sub(feed, "updated", _stamp(newest))
    _sub(_sub(feed, "author"), "name", portal_name)
    for entry in ordered:
        record = entry.inspection
        element = _sub(feed, "entry")
        _sub(element, "title", f"抽查结果：{record.get('title')}")
        _sub(element, "id", f"urn:gongshi:{portal_key}:inspection:{record.key}")
        _sub(element, "link", rel="alternate", href=f"{base}{page_of(record)}")
        _sub(element, "updated", _stamp(entry.updated))
        _sub(element, "summary", inspection_summary(entry.results))
    return xml_document(feed)


def inspection_summary(results: Sequence[PublicResult]) -> str:
    """抽查 8 户，检查日期 2026-04-21 至 2026-06-03：未发现问题 5 户，发现问题已责令整改 2 户，…"""
    outcomes = Counter(r.outcome for r in results)
    days = sorted(r.checked_on for r in results)
    span = days[0] if days[0] == days[-1] else f"{days[0]} 至 {days[-1]}"
    counts = "，".join(f"{outcome} {n} 户" for outcome, n in outcomes.most_common())
    return f"抽查 {len(results)} 户，检查日期 {span}：{counts}"
