"""The text of an HTML page as a reader gets it, for the privacy scans of Markdown pages
(pages.py) and of the built site (gongshi_portal.sitescan).

Two readings, both with entities decoded: every *piece* of text (each run of text between two
tags, each comment, each attribute value) where it stands; and every *block* (a paragraph, a
list item, a table cell, a heading…) as one string with its inline tags removed, because
``135<strong>1234</strong>5678`` reads as one number on the page though no piece holds it.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from html.parser import HTMLParser

from .fasthtml import Lines, Piece, Starts, read_simple

# Tags that stay inside a line of text; any other tag (p, li, td, h1, div, br, script…) ends
# the block before it and starts a new one.
INLINE_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "cite",
        "code",
        "data",
        "del",
        "dfn",
        "em",
        "i",
        "ins",
        "kbd",
        "mark",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "u",
        "var",
        "wbr",
    }
)


@dataclass(frozen=True)
class Block:
    """The text of one block and where each of its pieces starts: (offset in the block,
    offset in the page)."""

    text: str
    starts: Starts

    def position(self, offset: int, lines: Lines) -> tuple[int, int]:
        """The line and column of ``self.text[offset]`` in the page."""
        index = bisect_right([start for start, _at in self.starts], offset) - 1
        start, at = self.starts[max(index, 0)]
        line, col = lines.at(at)
        before = self.text[start:offset]
        breaks = before.count("\n")
        if breaks == 0:
            return line, col + len(before)
        return line + breaks, len(before.rsplit("\n", 1)[-1]) + 1


class PageText(HTMLParser):
    """html.parser's reading: ``pieces`` (line, column, text) and ``blocks`` (text and the
    line and column of each piece) of any markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[tuple[int, int, str]] = []
        self.blocks: list[tuple[str, list[tuple[int, int, int]]]] = []
        self._texts: list[str] = []
        self._starts: list[tuple[int, int, int]] = []
        self._length = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, col = self.getpos()
        self.pieces += [(line, col + 1, value) for _name, value in attrs if value]
        if tag not in INLINE_TAGS:
            self._end_block()

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        if tag not in INLINE_TAGS:
            self._end_block()

    def handle_data(self, data: str) -> None:
        line, col = self.getpos()
        self.pieces.append((line, col + 1, data))
        self._starts.append((self._length, line, col + 1))
        self._texts.append(data)
        self._length += len(data)

    def handle_comment(self, data: str) -> None:
        line, col = self.getpos()
        self.pieces.append((line, col + 1, data))
        self._end_block()

    def close(self) -> None:
        super().close()
        self._end_block()

    def _end_block(self) -> None:
        if len(self._starts) > 1:
            self.blocks.append(("".join(self._texts), self._starts))
        self._texts, self._starts, self._length = [], [], 0


@dataclass(frozen=True)
class Reading:
    """What a page reads as: its ``pieces`` (offset in the page, text), its ``blocks``, and
    ``lines`` to turn an offset into a line and column."""

    pieces: list[Piece]
    blocks: list[Block]
    lines: Lines


def read_html(text: str) -> Reading | None:
    """The page's pieces and blocks, or None when html.parser gives up on the markup. Plain
    well-formed markup (every page the templates write) is read without the parser
    (fasthtml.py), with the same result."""
    lines = Lines(text)
    simple = read_simple(text, INLINE_TAGS)
    if simple is not None:
        pieces, blocks = simple
        return Reading(pieces, [Block(joined, starts) for joined, starts in blocks], lines)
    parser = PageText()
    try:
        parser.feed(text)
        parser.close()
    except (AssertionError, ValueError):
        return None
    return Reading(
        [(lines.offset(line, col), piece) for line, col, piece in parser.pieces],
        [
            Block(joined, [(at, lines.offset(line, col)) for at, line, col in starts])
            for joined, starts in parser.blocks
        ],
        lines,
    )
