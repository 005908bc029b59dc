"""The strict loader's fast path: libyaml's C parser for the common case of an ordinary record.

The pure-Python scanner, parser and composer took about half of `gongshi validate` at 10,000
decisions. Here libyaml produces the events and one loop builds the data and the marks from
them, with the same rules as the pure composer (yamlload.py). The fast path only ever answers
for a file that is an ordinary record: anything the strict loader would refuse or that libyaml
might read differently (an anchor or alias, an explicit tag, a directive, a duplicate key, an
escaped control character, nesting or size over the limits, a second document, an empty
stream, a syntax error, a BOM or a Unicode line separator, an empty value inside [ ] or { })
returns None, and the pure path gives the answer and its Chinese message exactly as before.
So a fast answer is always the pure answer: tests/test_loader_fast.py compares both on every
YAML file of the repository and on random text.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable
from typing import Any

from yaml import YAMLError
from yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)

from .yamlload import (
    _CONTROL,
    MAX_DEPTH,
    MAX_NODES,
    Loaded,
    Marks,
    resolve_plain,
)


def _c_parser() -> Any:
    """libyaml's parser, or None for a PyYAML built without it (every file then takes the pure
    path)."""
    try:
        from yaml._yaml import CParser
    except ImportError:  # pragma: no cover - the pinned wheel ships libyaml
        return None
    return CParser


CParser: Any = _c_parser()

# Characters the two parsers treat differently: libyaml takes a tab after a plain value or a
# key where PyYAML (and so the strict loader) refuses it; PyYAML skips a BOM only at the very
# start and does not count it as a column, libyaml skips one at the start of any line;
# U+2028/U+2029 break lines in both but are rare enough not to be worth proving equal; libyaml
# takes a comment right after a block scalar's header (`|#`), PyYAML refuses it.
_PURE_ONLY = re.compile("[\t\ufeff\u2028\u2029]|[|>][-+0-9]*#")

_NODE_EVENTS = frozenset({ScalarEvent, MappingStartEvent, SequenceStartEvent})
_STYLES = {None: 0, "": 0, "'": 1, '"': 2, "|": 3, ">": 4}  # as yamlload._STYLE_CODES


class _Fallback(Exception):
    """Not an ordinary record: the pure-Python loader decides what it is."""


def load_fast(text: str) -> Loaded | None:
    """The record in ``text`` read through libyaml, or None when the pure path must answer.
    ``text`` has already passed the control-character check."""
    if CParser is None or _PURE_ONLY.search(text):
        return None
    parser = CParser(text)
    try:
        return _build(parser.get_event, not text.endswith(("\n", "\r")))
    except (_Fallback, YAMLError):
        return None
    finally:
        parser.dispose()


class _Frame:
    """An open mapping or list: where it is, and for a mapping the key waiting for its value."""

    __slots__ = ("container", "flow", "key", "key_col", "key_line")

    def __init__(self, container: dict[str, Any] | list[Any], flow: bool) -> None:
        self.container = container
        self.flow = flow
        self.key: str | None = None
        self.key_line = 0
        self.key_col = 0


def _build(get: Callable[[], Any], open_end: bool) -> Loaded:
    if type(get()) is not StreamStartEvent:
        raise _Fallback
    start = get()
    if type(start) is not DocumentStartEvent or start.version or start.tags:
        raise _Fallback  # an empty stream, or %YAML / %TAG directives
    packed: list[int] = []  # five numbers a mark, in file order (yamlload.Marks)
    data: Any = None
    stack: list[_Frame] = []
    nodes = 0
    while True:
        event = get()  # ScalarEvent, MappingStartEvent, …: typed Any, read by their attributes
        kind = type(event)
        if kind is MappingEndEvent or kind is SequenceEndEvent:
            stack.pop()
            continue
        if kind is DocumentEndEvent:
            break
        # Only scalars and collections remain; an alias (or anything else) is not ordinary.
        if kind not in _NODE_EVENTS:
            raise _Fallback
        nodes += 1
        if event.anchor is not None or event.tag is not None:
            raise _Fallback
        if len(stack) >= MAX_DEPTH or nodes > MAX_NODES:
            raise _Fallback
        top = stack[-1] if stack else None
        mark = event.start_mark
        line, col = mark.line + 1, mark.column + 1
        if top is not None and top.key is None and type(top.container) is dict:
            top.key = _key(event, top, open_end)
            top.key_line, top.key_col = line, col
            continue
        if top is None or top.key is None:  # the root's key mark is 1:1, an item's its own
            key_line, key_col = (1, 1) if top is None else (line, col)
        else:
            key_line, key_col = top.key_line, top.key_col
        if kind is ScalarEvent:
            value, style = _scalar(event, top, open_end)
        else:
            value, style = ({} if kind is MappingStartEvent else []), 0
            stack.append(_Frame(value, bool(event.flow_style)))
        packed += (line, col, key_line, key_col, style)
        if top is None:
            data = value
        elif type(top.container) is dict:
            top.container[top.key] = value  # type: ignore[index]
            top.key = None
        else:
            top.container.append(value)  # type: ignore[union-attr]
    if type(get()) is not StreamEndEvent:
        raise _Fallback  # a second document
    return Loaded(data, Marks(data, array("I", packed)))


def _key(event: Any, top: _Frame, open_end: bool) -> str:
    if type(event) is not ScalarEvent:
        raise _Fallback  # a list or mapping as a key
    key: str = event.value
    if key in top.container or (event.style == '"' and _CONTROL.search(key)):
        raise _Fallback
    if (top.flow and (not key or "?" in key)) or (not key and open_end):
        raise _Fallback  # see _scalar
    return key


def _scalar(event: Any, top: _Frame | None, open_end: bool) -> tuple[Any, int]:
    """The value and its style's number (yamlload._STYLE_CODES)."""
    value: str = event.value
    if event.style not in _STYLES:
        raise _Fallback
    style = _STYLES[event.style]
    if top is None:
        raise _Fallback  # a lone scalar is no record; libyaml marks an empty one differently
    if not event.implicit[0]:  # quoted or a block scalar: always text
        if style == 2 and _CONTROL.search(value):
            raise _Fallback
        return value, style
    if (top.flow and (not value or "?" in value)) or (not value and open_end):
        # libyaml marks an empty value in [ ] or { } one column later, and one at the end of a
        # file without a final line break a line later; in [ ] or { } PyYAML ends a plain
        # value at "?", libyaml does not.
        raise _Fallback
    return resolve_plain(value), style
