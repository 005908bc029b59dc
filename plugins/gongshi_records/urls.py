"""Stable page addresses: derived from a record's identity (its place under content/), never
from an editable field, so a page keeps its URL however often the record is corrected. Every
output (pages, exports, feeds, search) names pages through this one function; the address
templates themselves are the registry's."""

from __future__ import annotations

from .model import Record
from .registry import record_type


def page_of(record: Record) -> str:
    """The output path of a record's page, relative to the site root (no leading slash)."""
    page = record_type(record.kind).page_for(record.place)
    if page is None:
        raise ValueError(f"{record.kind} records have no page of their own")
    return page
