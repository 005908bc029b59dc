"""Clerks' Markdown as plain text for data files: no markup, no HTML, paragraphs on lines."""

from __future__ import annotations

import itertools
import re
from html.parser import HTMLParser

from gongshi_records.prose import markdown_html

# Elements that end a line of text; the contents of _HIDDEN never reach the text at all.
_BLOCKS = frozenset(
    {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "hr"}
)
_CELLS = frozenset({"td", "th"})
_HIDDEN = frozenset({"script", "style", "template", "iframe", "object", "noscript"})


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")
        elif tag in _CELLS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(_join_lines(data))


def _join_lines(data: str) -> str:
    """A line break inside a paragraph is only where the clerk wrapped the source text:
    Chinese text wrapped mid-sentence joins without a gap; Latin words keep a space. Split,
    not a regular expression: `[ \t]*\n` searched through a long run of spaces is quadratic."""
    lines = data.split("\n")
    if len(lines) == 1:
        return data
    last = len(lines) - 1
    lines = [line.lstrip(" \t") if i else line for i, line in enumerate(lines)]
    lines = [line.rstrip(" \t") if i < last else line for i, line in enumerate(lines)]
    joined = [lines[0]]
    for before, after in itertools.pairwise(lines):
        gap = " " if before[-1:].isascii() and after[:1].isascii() else ""
        joined += (gap, after)
    return "".join(joined)


def markdown_text(source: object) -> str:
    """``**罚款**5000元。`` → ``罚款5000元。``; one line per paragraph or list item, runs of
    spaces folded, blank lines dropped. Raw HTML in the source is reduced to its text."""
    if source is None or source == "":
        return ""
    html = markdown_html(source)
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    lines = (
        re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in "".join(collector.parts).split("\n")
    )
    return "\n".join(line for line in lines if line)
