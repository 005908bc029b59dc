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
from functools import cached_property
from html import unescape

_NAME = r"[a-zA-Z][-.:a-zA-Z0-9_]*"
# Only these end a tag's name for html.parser (``\s`` also matches ``\x0b``, ``\xa0``,
# ``\u3000``…: ``<b\xa0x=1>`` is one tag named ``b\xa0x=1`` to it, which ends a block). A tag
# with any other space in it is left to html.parser; an unquoted value still ends at any.
_SPACE = "[ \t\n\r\f]"
_VALUE = r"""(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+)"""
_ATTR = rf"{_SPACE}+{_NAME}(?:{_SPACE}*={_SPACE}*{_VALUE})?"
_DOCTYPE = "<![dD][oO][cC][tT][yY][pP][eE][^>]*>"
# One group around the whole token, none inside, so ``split`` alternates text and tokens. Not
# case-blind: under re.IGNORECASE ``[a-zA-Z]`` also matches the Kelvin sign and the long s,
# which html.parser never takes for a tag's letters (``<ſpan>`` is text to it).
_TOKEN = re.compile(
    rf"(<{_NAME}(?:{_ATTR})*{_SPACE}*/?>|</{_NAME}{_SPACE}*>|<!--(?:(?!--).)*-->|{_DOCTYPE})",
    re.S,
)
_ATTR_PARTS = re.compile(rf"{_SPACE}+({_NAME})(?:{_SPACE}*={_SPACE}*({_VALUE}))?")
_START_NAME = re.compile(r"<([a-zA-Z][-.:a-zA-Z0-9_]*)")
_END_NAME = re.compile(r"</([a-zA-Z][-.:a-zA-Z0-9_]*)")
# html.parser reads the content of these raw, without tags or entities: only an empty one is
# read the same way here.
_RAW_TEXT = frozenset({"script", "style"})

Piece = tuple[int, str]  # where the piece starts in the page (a character offset), its text
Starts = list[tuple[int, int]]  # each piece of a block: its offset in the block, in the page
# What a token means to the reading: whether it ends a block, the pieces it holds (a comment's
# text, a start tag's attribute values), and the element it opens when that is a script or a
# style (its content is raw text), else "".
_Token = tuple[bool, tuple[str, ...], str]
# Tokens read before, by the inline tags they were read with. The pages of a site repeat the
# same tags (``<td data-label="文号">``, ``</li>``) hundreds of times each: read once, looked up
# after. Emptied when it holds this many, so a site of unique links does not grow it forever.
_TOKENS_KEPT = 20_000
_TOKEN_KEPT_CHARS = 1_000  # a longer tag is read each time: its size, not their number, counts
_tokens: dict[frozenset[str], dict[str, _Token]] = {}


class Lines:
    """Line and column (from 1) of an offset in a page, as html.parser's ``getpos`` counts
    them; asked only for the few places a finding points at, so the line breaks are found
    when first asked (most pages scanned have no finding)."""

    def __init__(self, text: str) -> None:
        self._text = text

    @cached_property
    def breaks(self) -> list[int]:
        return [m.start() for m in re.finditer("\n", self._text)]

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
    if "<" in "".join(parts[0::2]):
        return None
    known = _tokens.setdefault(inline, {})
    pieces: list[Piece] = []
    blocks: list[tuple[str, Starts]] = []
    texts: list[str] = []
    starts: Starts = []
    length = offset = 0
    for index, part in enumerate(parts):
        if not part:
            continue
        if not index % 2:  # text between two tokens
            data = unescape(part) if "&" in part else part
            pieces.append((offset, data))
            starts.append((length, offset))
            texts.append(data)
            length += len(data)
            offset += len(part)
            continue
        token = known.get(part)
        if token is None:
            token = _read_token(part, inline)
            if len(part) <= _TOKEN_KEPT_CHARS:
                if len(known) >= _TOKENS_KEPT:
                    known.clear()
                known[part] = token
        ends_block, values, raw_text = token
        if raw_text and not _closes_at_once(parts, index, raw_text):
            return None
        if values:
            pieces += [(offset, value) for value in values]
        if ends_block and starts:
            if len(starts) > 1:
                blocks.append(("".join(texts), starts))
            texts, starts, length = [], [], 0
        offset += len(part)
    if len(starts) > 1:
        blocks.append(("".join(texts), starts))
    return pieces, blocks


def _read_token(part: str, inline: frozenset[str]) -> _Token:
    if part[1] == "/":
        return _END_NAME.match(part).group(1).lower() not in inline, (), ""  # type: ignore[union-attr]
    if part[1] == "!":  # a comment; the doctype is neither piece nor block end
        return (True, (part[4:-3],), "") if part[2] == "-" else (False, (), "")
    name = _START_NAME.match(part).group(1).lower()  # type: ignore[union-attr]
    values: tuple[str, ...] = ()
    if "=" in part:
        found = (_attribute(raw) for _name, raw in _ATTR_PARTS.findall(part) if raw)
        values = tuple(value for value in found if value)
    return name not in inline, values, name if name in _RAW_TEXT else ""


def _attribute(raw: str) -> str:
    if raw[0] in "\"'":
        raw = raw[1:-1]
    return unescape(raw) if raw else raw


def _closes_at_once(parts: list[str], index: int, name: str) -> bool:
    """Whether the raw-text element ``name`` (script, style) opened by ``parts[index]`` ends
    right after it."""
    if index + 2 >= len(parts) or parts[index + 1]:
        return False
    closing = _END_NAME.match(parts[index + 2])
    return closing is not None and closing.group(1).lower() == name
