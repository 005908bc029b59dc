"""A deterministic YAML writer for records, in the house style the strict loader reads back.

Generic: any record of any type (``dump_record(data, schema)``); keys in the schema's field order
(nested objects and list items too), unknown keys after them in their own order.

- mappings in block style; lists of scalars in flow style (``roles: [执法, 法制审核]``) unless an
  item spans lines; lists of objects in block style (``- law: …``);
- strings plain when safe, else double-quoted: digit-only identifiers (``"33029900000001"``),
  anything another YAML reader would not take as text (``"yes"``, ``"1e5"``, ``"12:30"``);
  dates ``YYYY-MM-DD`` stay plain (the strict loader keeps them as text);
- multi-line text (Markdown) as a literal block: ``|`` when it ends in one newline, ``|-`` with
  none, ``|+`` with several, an indentation indicator when its first line starts with a space;
- booleans ``true``/``false``, numbers as Python writes them.

Every document is read back with the strict loader before it is returned: a value that would
not come back identical is a bug, raised as ``ValueError``, never a silently different file.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from typing import Any

from gongshi_records.schema import resolve_refs
from gongshi_records.yamlload import StrictResolver, YamlProblem, load_text
from yaml.emitter import Emitter
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

INDENT = "  "
FLOW_WIDTH = 80  # a list of scalars longer than this is written one item per line
_STR = "tag:yaml.org,2002:str"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ANALYSER = Emitter(io.StringIO(), allow_unicode=True)
_PORTABLE = Resolver()  # PyYAML's YAML 1.1 resolver: what other programs would read
_STRICT = StrictResolver()
# Characters PyYAML does not accept unescaped, and line breaks it would fold.
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0"}


def dump_record(data: Mapping[str, Any], schema: Mapping[str, Any]) -> str:
    """The YAML text of a record, fields in schema order; checked by reading it back."""
    text = "".join(_mapping(data, schema, schema, 0))
    try:
        loaded = load_text(text).data
    except YamlProblem as exc:
        raise ValueError(f"YAML writer produced unreadable text: {exc.message}") from exc
    if loaded != data or not _same_types(loaded, data):
        raise ValueError("YAML writer did not round-trip a value")
    return text


def ordered(data: Mapping[str, Any], schema: Mapping[str, Any]) -> list[str]:
    """The keys of ``data`` in the schema's property order, unknown ones after."""
    known = list(schema.get("properties", {}))
    return [k for k in known if k in data] + [k for k in data if k not in known]


def _same_types(a: Any, b: Any) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return all(_same_types(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return all(_same_types(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b)


def _child(root: Mapping[str, Any], schema: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    node = schema.get("properties", {}).get(key)
    return resolve_refs(root, node) if isinstance(node, Mapping) else {}


def _items(root: Mapping[str, Any], schema: Mapping[str, Any]) -> Mapping[str, Any]:
    node = schema.get("items")
    return resolve_refs(root, node) if isinstance(node, Mapping) else {}


def _mapping(
    data: Mapping[str, Any], schema: Mapping[str, Any], root: Mapping[str, Any], depth: int
) -> Iterator[str]:
    pad = INDENT * depth
    for key in ordered(data, schema):
        value, sub = data[key], _child(root, schema, key)
        head = f"{pad}{_scalar(key, flow=False)}:"
        if isinstance(value, dict):
            yield head + ("\n" if value else " {}\n")
            yield from _mapping(value, sub, root, depth + 1)
        elif isinstance(value, list):
            yield from _list(head, value, _items(root, sub), root, depth)
        else:
            yield from _value(head, value, depth)


def _list(
    head: str, value: list[Any], item: Mapping[str, Any], root: Mapping[str, Any], depth: int
) -> Iterator[str]:
    nested = any(isinstance(v, dict | list) for v in value)
    if not nested and not any(isinstance(v, str) and "\n" in v for v in value):
        line = f"{head} [{', '.join(_scalar(v, flow=True) for v in value)}]\n"
        if len(line) <= FLOW_WIDTH or len(value) < 2:
            yield line
            return
    yield head + "\n"
    pad = INDENT * (depth + 1)
    for entry in value:
        if isinstance(entry, dict) and entry:
            lines = list(_mapping(entry, item, root, depth + 2))
            first = lines[0][len(pad) + len(INDENT) :]
            yield f"{pad}- {first}"
            yield from lines[1:]
        elif isinstance(entry, list):
            yield from _list(f"{pad}-", entry, _items(root, item), root, depth + 1)
        else:
            yield from _value(f"{pad}-", entry, depth + 1)


def _value(head: str, value: Any, depth: int) -> Iterator[str]:
    if isinstance(value, str) and "\n" in value:
        block = _literal(value, depth + 1)
        if block is not None:
            yield f"{head} {block}"
            return
    yield f"{head} {_scalar(value, flow=False)}\n"


def _literal(value: str, depth: int) -> str | None:
    """``value`` as a literal block scalar indented to ``depth``, or None when it cannot be."""
    analysis = _ANALYSER.analyze_scalar(value)
    if not analysis.allow_block or value.strip("\n") == "" or "\r" in value:
        return None
    body = value.rstrip("\n")
    trailing = len(value) - len(body)
    chomp = "-" if trailing == 0 else ("" if trailing == 1 else "+")
    indicator = str(len(INDENT)) if body.startswith((" ", "\n")) else ""
    pad = INDENT * depth
    lines = [(pad + line) if line else "" for line in body.split("\n")]
    # PyYAML's own emitter rules (allow_block) decided it can be a block; dump_record reads
    # the whole document back, so a mistake here is caught, never written.
    return f"|{indicator}{chomp}\n" + "\n".join(lines) + "\n" + "\n" * max(0, trailing - 1)


def _scalar(value: Any, *, flow: bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if value is None:
        return "null"
    text = str(value)
    return text if _plain_ok(text, flow=flow) else _quoted(text)


def _plain_ok(text: str, *, flow: bool) -> bool:
    if not text or text != text.strip() or "\n" in text:
        return False
    analysis = _ANALYSER.analyze_scalar(text)
    if not (analysis.allow_flow_plain if flow else analysis.allow_block_plain):
        return False
    strict = _STRICT.resolve(ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    if strict != _STR:
        return False
    portable = _PORTABLE.resolve(ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    return portable == _STR or bool(_DATE.match(text))


def _quoted(text: str) -> str:
    return '"' + "".join(_escape(c) for c in text) + '"'


def _escape(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    code = ord(char)
    printable = (
        0x20 <= code <= 0x7E
        or 0xA0 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )
    if printable and char not in "\u2028\u2029":
        return char
    if code <= 0xFF:
        return f"\\x{code:02X}"
    return f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"
