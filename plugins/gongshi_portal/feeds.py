"""feeds/decisions.atom.xml: new decisions and withdrawal notices, newest first.

Written with ElementTree so every value is escaped, and without a wall-clock timestamp, so the
same records always give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from gongshi_records.publication import PublicDecision, Status

from .xmldoc import xml_document

ATOM = "http://www.w3.org/2005/Atom"
FEED_PATH = "feeds/decisions.atom.xml"
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
