"""The strict YAML loader every part of Gongshi reads records with.

Clerks come from spreadsheets; YAML 1.1's friendliness is a trap for them. This loader:
- rejects duplicate keys, anchors and aliases (no alias bombs, no hidden sharing);
- reads only ``true``/``false`` as booleans (``no``, ``on``, ``y`` stay text);
- never builds dates (``2024-02-30`` stays text so the schema's ``format: date`` rejects it);
- keeps long digit runs and leading zeros as text (certificate numbers, codes);
- refuses files over a size limit and non-UTF-8 files, accepts a UTF-8 BOM;
- refuses control characters (pasted from Word), explicit tags other than the plain core
  ones, and nesting deeper than any record needs, each as a located problem, never a crash;
- records the line and column of every value and every key.
"""

from __future__ import annotations

import math
import re
from array import array
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent, NodeEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

MAX_BYTES = 1_000_000

# The deepest record (a flowchart's node list, a catalogue's thresholds) nests five levels;
# 800 bytes of `[` would otherwise exhaust Python's recursion limit in the composer.
MAX_DEPTH = 20
# The largest record (a flowchart) holds about 125 values; 1 MB of `1,` holds 500,000, which
# PyYAML's pure-Python parser takes half a minute over. Stop long before that.
MAX_NODES = 10_000

# What YAML (and a clerk's eye) cannot take: C0 controls other than tab, LF and CR; DEL; C1
# controls (NEL included: YAML would read it as a line break no editor shows); non-characters;
# lone surrogates (only a "\uD800" escape can write one, and no page can be encoded with it).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_CONTROL_NAMES = {
    0x00: "NUL 空字符",
    0x08: "退格符",
    0x0B: "垂直制表符",
    0x0C: "换页符",
    0x1B: "ESC 转义符",
    0x7F: "DEL 删除符",
    0x85: "NEL 换行控制符",
}

JsonPath = tuple[str | int, ...]

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"


class StrictResolver(BaseResolver):
    """Resolves plain scalars the way a clerk reads them, not as YAML 1.1 would."""


# Up to 11 digits is a number (a fine of 99,999,999,999 yuan is enough); longer runs and
# leading zeros are identifiers, so they stay text.
_INT_PLAIN = re.compile(r"^[-+]?(?:0|[1-9][0-9]{0,10})$")
_FLOAT_PLAIN = re.compile(r"^[-+]?(?:0|[1-9][0-9]{0,10})\.[0-9]+$")
_BOOL_PLAIN = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_NULL_PLAIN = re.compile(r"^(?:~|null|Null|NULL|)$")
StrictResolver.add_implicit_resolver(_INT, _INT_PLAIN, None)
StrictResolver.add_implicit_resolver(_FLOAT, _FLOAT_PLAIN, None)
StrictResolver.add_implicit_resolver(_BOOL, _BOOL_PLAIN, None)
StrictResolver.add_implicit_resolver(_NULL, _NULL_PLAIN, [None, "~", "n", "N"])
# What a plain scalar can start with to be anything but text (the patterns above).
_NOT_TEXT_START = frozenset("+-0123456789tTfFnN~")


def resolve_plain(value: str) -> Any:
    """An untagged plain scalar's value, as StrictResolver and _convert_scalar read it (the four
    patterns exclude each other, so their order does not matter)."""
    if value and value[0] not in _NOT_TEXT_START:
        return value
    if _INT_PLAIN.match(value):
        return int(value)
    if _FLOAT_PLAIN.match(value):
        return float(value)
    if _BOOL_PLAIN.match(value):
        return value.lower() == "true"
    if _NULL_PLAIN.match(value):
        return None
    return value


class Mark(NamedTuple):
    """Where a value (and, for mapping entries, its key) starts: 1-based line and column. A
    named tuple: a portal holds one per value of every record, so it stays small and quick."""

    line: int
    col: int
    key_line: int
    key_col: int
    style: str | None = None  # YAML scalar style: None (plain), "'", '"', "|", ">"


# A mark's scalar style, stored as a small number.
_STYLE_CODES: tuple[str | None, ...] = (None, "'", '"', "|", ">")
_STYLE_NUMBERS = {style: number for number, style in enumerate(_STYLE_CODES)}


class Marks(Mapping[JsonPath, Mark]):
    """The marks of one loaded file, five small integers each, in the order of its values.

    A portal keeps every record in memory for the whole build but reports a mark only for a
    finding, so no path tuple or Mark is kept for the rest: the paths come from walking the
    data (which the loader built in the same order) the first time one is looked up. The data
    must therefore not change shape after loading (a changed value is fine: upgrade() copies).
    """

    __slots__ = ("_data", "_index", "_packed")

    def __init__(self, data: Any, packed: array[int]) -> None:
        self._data = data
        self._packed = packed
        self._index: dict[JsonPath, int] | None = None

    @classmethod
    def of(cls, data: Any, marks: Mapping[JsonPath, Mark]) -> Marks:
        """``marks`` (one per value of ``data``) packed."""
        packed = array("I")
        for where in _preorder(data, ()):
            if where not in marks:
                raise ValueError(f"no mark for {where} of the data")
            line, col, key_line, key_col, style = marks[where]
            packed.extend((line, col, key_line, key_col, _STYLE_NUMBERS[style]))
        if len(packed) != 5 * len(marks):
            raise ValueError("marks do not match the data they were loaded with")
        return cls(data, packed)

    def _paths(self) -> dict[JsonPath, int]:
        if self._index is None:
            index = {where: i for i, where in enumerate(_preorder(self._data, ()))}
            if 5 * len(index) != len(self._packed):
                raise ValueError("a loaded record's data changed shape after loading")
            self._index = index
        return self._index

    def __getitem__(self, where: JsonPath) -> Mark:
        at = 5 * self._paths()[where]
        line, col, key_line, key_col, style = self._packed[at : at + 5]
        return Mark(line, col, key_line, key_col, _STYLE_CODES[style])

    def __contains__(self, where: object) -> bool:
        return where in self._paths()

    def __iter__(self) -> Iterator[JsonPath]:
        return iter(self._paths())

    def __len__(self) -> int:
        return len(self._packed) // 5


def _preorder(value: Any, where: JsonPath) -> Iterator[JsonPath]:
    """Every path in ``value``, each mapping or list before what it holds, in file order: the
    order both loaders record marks in. (Nesting is capped at MAX_DEPTH.)"""
    yield where
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _preorder(item, (*where, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _preorder(item, (*where, index))


@dataclass
class Loaded:
    data: Any
    marks: Mapping[JsonPath, Mark] = field(default_factory=dict)


def mark_at(marks: Mapping[JsonPath, Mark], path: Sequence[str | int]) -> Mark:
    """The mark of the deepest existing node on ``path`` (a missing field points at its parent)."""
    key = tuple(path)
    while key not in marks and key:
        key = key[:-1]
    return marks.get(key, Mark(1, 1, 1, 1))


class YamlProblem(Exception):
    """A file that cannot be read as a record; carries a rule name and a 1-based position."""

    def __init__(self, rule: str, message: str, line: int = 1, col: int = 1) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message
        self.line = line
        self.col = col


class _StrictComposer(Composer):
    depth = 0
    nodes = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()  # type: ignore[attr-defined]  # mixed in from Parser
        mark = event.start_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if isinstance(event, AliasEvent) or (isinstance(event, NodeEvent) and event.anchor):
            raise YamlProblem(
                "yaml.alias", "不允许使用锚点（&）或别名（*）：请把内容直接写出来", line, col
            )
        # Checked before descending: composing is recursive, so the limit keeps the stack short.
        if self.depth >= MAX_DEPTH:
            message = (
                f"嵌套超过 {MAX_DEPTH} 层：记录只需几层缩进，"
                "请检查是否误粘贴了成串的 [ 或 {，或缩进逐行加深"
            )
            raise YamlProblem("yaml.nesting", message, line, col)
        self.nodes += 1
        if self.nodes > MAX_NODES:
            message = (
                f"记录中的值超过 {MAX_NODES} 个：请检查是否误粘贴了整张表格，或把内容拆成多条记录"
            )
            raise YamlProblem("file.too-large", message, line, col)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _StrictLoader(Reader, Scanner, Parser, _StrictComposer, StrictResolver):
    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        _StrictComposer.__init__(self)
        StrictResolver.__init__(self)


def load_path(path: Path, max_bytes: int = MAX_BYTES) -> Loaded:
    """Read one YAML file strictly; raises YamlProblem with a Chinese message."""
    try:
        with path.open("rb") as handle:  # never more than the limit, however big the file
            raw = handle.read(max_bytes + 1)
            size = max(len(raw), path.stat().st_size)
    except OSError as exc:
        message = f"无法读取文件（{exc.strerror or exc}）：请检查它是否为普通文件且有读取权限"
        raise YamlProblem("file.unreadable", message) from exc
    return load_bytes(raw, max_bytes, size)


def load_bytes(raw: bytes, max_bytes: int = MAX_BYTES, size: int | None = None) -> Loaded:
    """Read a file's bytes (``size`` of them in the file, when more than were read) strictly:
    the size limit and UTF-8 first, then ``load_text``."""
    size = len(raw) if size is None else size
    if size > max_bytes:
        raise YamlProblem(
            "file.too-large",
            f"文件过大（{size} 字节，上限 {max_bytes} 字节）：附件请放在 files/ 目录并引用",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlProblem(
            "file.encoding",
            "文件不是 UTF-8 编码（可能是 GBK）：请在编辑器中“另存为 UTF-8”",
            line,
        ) from exc
    return load_text(text)


def load_text(text: str) -> Loaded:
    """Read a record strictly: through libyaml when it is an ordinary one (yamlfast.py), else
    the pure-Python loader, which gives every problem its Chinese message and place."""
    from .yamlfast import load_fast  # imports this module: imported when first needed

    _refuse_control_characters(text)
    fast = load_fast(text)
    return fast if fast is not None else _load_pure(text)


def load_pure(text: str) -> Loaded:
    """The pure-Python loader alone: what load_text answers, more slowly (kept for PyYAML
    without libyaml, for every refused file, and to prove the fast path equal)."""
    _refuse_control_characters(text)
    return _load_pure(text)


def _load_pure(text: str) -> Loaded:
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as exc:
        raise _syntax_problem(exc) from exc
    except yaml.YAMLError as exc:  # no mark: still a problem with the file, not a crash
        raise YamlProblem("yaml", f"YAML 格式错误（{exc}）") from exc
    except RecursionError as exc:  # the depth limit should come first; never a traceback
        raise YamlProblem("yaml.nesting", "嵌套层数过深：请检查成串的 [ 或 {") from exc
    finally:
        loader.dispose()
    if node is None:
        raise YamlProblem("yaml.empty", "文件为空：请按模板填写记录（gongshi new 可生成模板）")
    marks: dict[JsonPath, Mark] = {}
    data = _convert(node, (), marks, key_mark=(1, 1))
    return Loaded(data, Marks.of(data, marks))


def _refuse_control_characters(text: str) -> None:
    """The first control character, located and named; how many there are in all."""
    found = _CONTROL.search(text)
    if found is None:
        return
    start = found.start()
    line = text.count("\n", 0, start) + 1
    col = start - (text.rfind("\n", 0, start) + 1) + 1
    code = ord(found.group())
    name = _control_name(code)
    total = len(_CONTROL.findall(text))
    more = f"（文件中共 {total} 处）" if total > 1 else ""
    message = (
        f"第 {line} 行第 {col} 列有不可见字符 U+{code:04X}（{name}）{more}："
        "删除从 Word 粘贴带入的不可见控制字符（可在编辑器中显示不可见字符后删除）"
    )
    raise YamlProblem("yaml.control-char", message, line, col)


def _convert(
    node: Node, path: JsonPath, marks: dict[JsonPath, Mark], key_mark: tuple[int, int]
) -> Any:
    start = node.start_mark
    style = node.style if isinstance(node, ScalarNode) else None
    marks[path] = Mark(start.line + 1, start.column + 1, key_mark[0], key_mark[1], style)
    if isinstance(node, MappingNode):
        return _convert_mapping(node, path, marks)
    if isinstance(node, SequenceNode):
        if node.tag != _SEQ:
            raise _tag_problem(node)
        return [
            _convert(
                item, (*path, i), marks, (item.start_mark.line + 1, item.start_mark.column + 1)
            )
            for i, item in enumerate(node.value)
        ]
    return _convert_scalar(node)


def _convert_mapping(
    node: MappingNode, path: JsonPath, marks: dict[JsonPath, Mark]
) -> dict[str, Any]:
    if node.tag != _MAP:
        raise _tag_problem(node)
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        kmark = key_node.start_mark
        if not isinstance(key_node, ScalarNode):
            raise YamlProblem("yaml", "字段名必须是文字", kmark.line + 1, kmark.column + 1)
        key = str(key_node.value)
        _refuse_escaped_control(key, key_node)
        if key in result:
            first = marks[(*path, key)]
            raise YamlProblem(
                "yaml.duplicate-key",
                f"字段「{key}」重复出现（第一次在第 {first.key_line} 行）：请删除或合并其中一个",
                kmark.line + 1,
                kmark.column + 1,
            )
        result[key] = _convert(value_node, (*path, key), marks, (kmark.line + 1, kmark.column + 1))
    return result


def _control_name(code: int) -> str:
    if 0xD800 <= code <= 0xDFFF:
        return "孤立的代理码位，不是有效字符"
    return _CONTROL_NAMES.get(code, "控制字符")


def _refuse_escaped_control(value: str, node: Node) -> None:
    """A double-quoted "\\0", "\\x0c" or "\\uD800" escapes past the scan of the file's own
    characters; a lone surrogate would pass the schema and crash the page writer."""
    escaped = _CONTROL.search(value)
    if escaped:
        code = ord(escaped.group())
        message = (
            f"引号中的转义写出了不可见字符 U+{code:04X}（{_control_name(code)}）：请删除这个转义"
        )
        mark = node.start_mark
        raise YamlProblem("yaml.control-char", message, mark.line + 1, mark.column + 1)


def _convert_scalar(node: Node) -> Any:
    value = str(node.value)
    if node.tag == _STR:
        _refuse_escaped_control(value, node)
        return value
    if node.tag in (_INT, _FLOAT):
        return _number(node, value)
    # An explicit `!!bool yes` or `!!null x` would silently turn text into false or nothing.
    if node.tag == _BOOL and value.lower() in ("true", "false"):
        return value.lower() == "true"
    if node.tag == _NULL and value.lower() in ("", "~", "null"):
        return None
    raise _tag_problem(node)


# No amount, count or year in a record comes near this; an explicit tag (`!!float nan`,
# `!!int 0x1f`, a 400-digit `!!int`) must not smuggle in a value no rule can compare.
_LARGEST_NUMBER = 10**15


def _number(node: Node, value: str) -> int | float:
    try:
        number: int | float = int(value) if node.tag == _INT else float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or abs(number) >= _LARGEST_NUMBER:
        mark = node.start_mark
        message = f"数值 {value} 无法使用：请删除 !! 标签，写普通的十进制数字，例如 5000 或 1280.50"
        raise YamlProblem("yaml.tag", message, mark.line + 1, mark.column + 1)
    return number


def _tag_problem(node: Node) -> YamlProblem:
    mark = node.start_mark
    tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
    value = str(node.value)[:20] if isinstance(node, ScalarNode) else ""
    shown = f"{tag} {value}".strip()
    message = (
        f"不支持的 YAML 标签「{shown}」：请删除标签（!! 或 ! 开头的部分）；需要文字时给值加引号"
    )
    return YamlProblem("yaml.tag", message, mark.line + 1, mark.column + 1)


# PyYAML's English problems, translated for clerks with the usual fix.
_PROBLEMS = (
    ("cannot start any token", "这里有 Tab 字符或非法字符：YAML 只能用空格缩进"),
    ("mapping values are not allowed", "这里不能出现“: ”：检查缩进，或把含冒号的值加上引号"),
    ("could not find expected ':'", "缺少冒号：每个字段应写成“字段名: 值”"),
    ("found unexpected end of stream", "引号或括号没有闭合"),
    ("found unexpected ':'", "冒号位置不对：含冒号的值请加引号"),
    ("did not find expected key", "缩进不一致：同一层字段必须左对齐"),
    ("did not find expected '-' indicator", "列表缩进不一致：同一列表的“- ”必须左对齐"),
    ("found undefined tag handle", "不支持的标签（!）：请删除它或给值加引号"),
    ("expected <block end>", "缩进不一致：同一层字段必须左对齐"),
)


def _syntax_problem(exc: yaml.MarkedYAMLError) -> YamlProblem:
    problem = exc.problem or exc.context or "无法解析"
    hint = next((zh for en, zh in _PROBLEMS if en in problem), None)
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    message = f"YAML 格式错误：{hint}" if hint else f"YAML 格式错误（{problem}）"
    rule = "yaml.tag" if "tag" in problem else "yaml"
    return YamlProblem(rule, message, line, col)
