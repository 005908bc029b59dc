"""feeds/index.html: the page that explains subscribing, for people.

A browser opening an Atom file shows raw XML (and browsers are dropping XSLT, which used to
dress it up), so every 订阅 link a person follows leads here; only the `<link rel="alternate">`
in each page's head names the feed files themselves, for feed readers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .feeds import FEED_PATH, INSPECTION_FEED_PATH, MAX_ENTRIES
from .home import FEEDS_PAGE
from .indexes import INSPECTIONS_PAGE


@dataclass(frozen=True)
class Feed:
    ident: str  # the section's anchor on the feeds page: feeds/index.html#decisions
    path: str  # the Atom file, relative to the site root
    title: str  # as the pages' <link rel="alternate" title="…"> names it
    carries: str
    updated: str  # when an entry appears or changes
    page: str  # the list page with the same information
    page_label: str


FEEDS: tuple[Feed, ...] = (
    Feed(
        "decisions",
        FEED_PATH,
        "执法决定订阅",
        "新公示的执法决定（文号、当事人、类别、决定日期）和撤回公告（文号、撤回原因）。"
        "决定撤回后，订阅中只留撤回公告，不再含决定内容。",
        "执法决定公示当天或撤回当天出现在订阅中。",
        "decisions/index.html",
        "执法决定列表",
    ),
    Feed(
        "inspections",
        INSPECTION_FEED_PATH,
        "双随机抽查结果订阅",
        "每项已有结果的双随机抽查一条：抽查户数、检查日期和各类检查结果的户数。"
        "被检查对象的名称在抽查页面上查看。",
        "抽查结果新增或更改时，该条目随之更新。",
        INSPECTIONS_PAGE,
        "双随机抽查",
    ),
)


def feeds_context() -> dict[str, Any]:
    return {"feeds": FEEDS, "max_entries": MAX_ENTRIES}


__all__ = ["FEEDS", "FEEDS_PAGE", "Feed", "feeds_context"]
