"""A fast reading of the plain markup our templates write: the same pieces and blocks as
``htmltext.PageText`` (html.parser) gives, for a page made only of well-formed tags.

The site scan reads every page of the built site; html.parser's Python loop was most of its
time. Our pages are simple: every ``<`` starts a well-formed start tag, end tag, comment or the
doctype, and scripts and styles are empty (the site has no inline code). For such a page one
regular expression splits the markup exactly where html.parser does, and the pieces and blocks
follow without a parser. Anything else (a stray ``<``, a comment holding ``--``, a script with
content, markup html.parser would read tolerantly) returns None and the page goes to
html.parser: the fast path only ever answers where its answer is html.parser's
(tests/test_fasthtml.py compares the two on every page of the demo site and on generated
markup).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from html import unescape

_NAME = r"[a-zA-Z][-.:a-zA-Z0-9_]*"
_VALUE = r"""(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+)"""
_ATTR = rf"\s+{_NAME}(?:\s*=\s*{_VALUE})?"
# One group around the whole token, none inside, so ``split`` alternates text and tokens.
_TOKEN = re.compile(
    rf"(<{_NAME}(?:{_ATTR})*\s*/?>|</{_NAME}\s*>|<!--(?:(?!--).)*-->|<!doctype[^>]*>)",
    re.S | re.I,
)
_ATTR_PARTS = re.compile(rf"\s+({_NAME})(?:\s*=\s*({_VALUE}))?")
_START_NAME = re.compile(r"<([a-zA-Z][-.:a-zA-Z0-9_]*)")
_END_NAME = re.compile(r"</([a-zA-Z][-.:a-zA-Z0-9_]*)")
# html.parser reads the content of these raw, without tags or entities: only an empty one is
# read the same way here.
_RAW_TEXT = frozenset({"script", "style"})

Piece = tuple[int, str]  # where the piece starts in the page (a character offset), its text
Starts = list[tuple[int, int]]  # each piece of a block: its offset in the block, in the page


class Lines:
    """Line and column (from 1) of an offset in a page, as html.parser's ``getpos`` counts
    them; asked only for the few places a finding points at."""

    def __init__(self, text: str) -> None:
        self.breaks = [m.start() for m in re.finditer("\n", text)]

    def at(self, offset: int) -> tuple[int, int]:
        before = bisect_right(self.breaks, offset - 1)
        column = offset if before == 0 else offset - self.breaks[before - 1] - 1
        return before + 1, column + 1

    def offset(self, line: int, column: int) -> int:
        """The offset of ``line``, ``column``: ``at`` reversed."""
        return column - 1 if line == 1 else self.breaks[line - 2] + column


def read_simple(
    text: str, inline: frozenset[str]
) -> tuple[list[Piece], list[tuple[str, Starts]]] | None:
    """The pieces, and the blocks of more than one piece as (text, starts), of ``text``; None
    when the page is not the simple markup this reads (html.parser reads it then)."""
    parts = _TOKEN.split(text)
    if any("<" in data for data in parts[0::2]):
        return None
    pieces: list[Piece] = []
    blocks: list[tuple[str, Starts]] = []
    texts: list[str] = []
    starts: Starts = []
    length = offset = 0
    for index, part in enumerate(parts):
        if not part:
            continue
        ends_block = False
        if not index % 2:  # text between two tokens
            data = unescape(part) if "&" in part else part
            pieces.append((offset, data))
            starts.append((length, offset))
            texts.append(data)
            length += len(data)
        elif part[1] == "/":
            ends_block = _END_NAME.match(part).group(1).lower() not in inline  # type: ignore[union-attr]
        elif part[1] == "!":
            if part[2] == "-":  # a comment; the doctype is neither piece nor block end
                pieces.append((offset, part[4:-3]))
                ends_block = True
        else:
            name = _START_NAME.match(part).group(1).lower()  # type: ignore[union-attr]
            if name in _RAW_TEXT and not _closes_at_once(parts, index, name):
                return None
            if "=" in part:
                values = (_attribute(raw) for _name, raw in _ATTR_PARTS.findall(part) if raw)
                pieces += [(offset, value) for value in values if value]
            ends_block = name not in inline
        if ends_block and starts:
            if len(starts) > 1:
                blocks.append(("".join(texts), starts))
            texts, starts, length = [], [], 0
        offset += len(part)
    if len(starts) > 1:
        blocks.append(("".join(texts), starts))
    return pieces, blocks


def _attribute(raw: str) -> str:
    if raw[0] in "\"'":
        raw = raw[1:-1]
    return unescape(raw) if raw else raw


def _closes_at_once(parts: list[str], index: int, name: str) -> bool:
    """Whether the raw-text element opened by ``parts[index]`` ends right after it."""
    if index + 2 >= len(parts) or parts[index + 1]:
        return False
    closing = _END_NAME.match(parts[index + 2])
    return closing is not None and closing.group(1).lower() == name
