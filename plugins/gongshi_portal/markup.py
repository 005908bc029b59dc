"""Turning clerks' Markdown and numbers into safe, readable HTML for the templates."""

from __future__ import annotations

import datetime as dt
from typing import Any

import nh3
from gongshi_records.amounts import yuan
from gongshi_records.catalogue import CatalogueItem, criteria_lines
from gongshi_records.prose import markdown_html
from markupsafe import Markup

from .links import web_link

# What a decision's facts or an agency's duties may contain; everything else is dropped.
_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "table", "thead", "tbody", "tr",
    "th", "td", "h2", "h3", "h4", "a", "code", "hr",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}


def sanitise(html: str) -> Markup:
    """The only way HTML reaches a page unescaped: through nh3's allow-list."""
    return Markup(
        nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes={"http", "https", "mailto"})
    )


def render_markdown(text: Any) -> Markup:
    return sanitise(markdown_html(text)) if text else Markup("")


def date_zh(value: Any) -> str:
    """2024-03-05 → 2024年3月5日."""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return str(value)
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return "" if value is None else str(value)


def match_lines(item: Any) -> tuple[str, ...]:
    """A review-catalogue item's machine-checkable criteria in readable Chinese, one per line
    (“法人及非法人组织罚款 ≥ 100,000 元；个体工商户 ≥ 50,000 元”); none without `match`."""
    return criteria_lines(CatalogueItem.from_data(item))


FILTERS = {
    "markdown": render_markdown,
    "sanitise": sanitise,
    "yuan": yuan,  # every amount a page prints: "5,000.00 元" (gongshi_records.amounts)
    "date_zh": date_zh,
    "match_lines": match_lines,
    "web_link": web_link,  # an agency's website: a link only for a safe http(s) address
}
