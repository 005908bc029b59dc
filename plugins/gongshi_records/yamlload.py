"""The strict YAML loader every part of Gongshi reads records with.

Clerks come from spreadsheets; YAML 1.1's friendliness is a trap for them. This loader:
- rejects duplicate keys, anchors and aliases (no alias bombs, no hidden sharing);
- reads only ``true``/``false`` as booleans (``no``, ``on``, ``y`` stay text);
- never builds dates (``2024-02-30`` stays text so the schema's ``format: date`` rejects it);
- keeps long digit runs and leading zeros as text (certificate numbers, codes);
- refuses files over a size limit and non-UTF-8 files, accepts a UTF-8 BOM;
- records the line and column of every value and every key.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent, NodeEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

MAX_BYTES = 1_000_000

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
StrictResolver.add_implicit_resolver(_INT, re.compile(r"^[-+]?(?:0|[1-9][0-9]{0,10})$"), None)
StrictResolver.add_implicit_resolver(
    _FLOAT, re.compile(r"^[-+]?(?:0|[1-9][0-9]{0,10})\.[0-9]+$"), None
)
StrictResolver.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), None
)
StrictResolver.add_implicit_resolver(
    _NULL, re.compile(r"^(?:~|null|Null|NULL|)$"), [None, "~", "n", "N"]
)


@dataclass(frozen=True)
class Mark:
    """Where a value (and, for mapping entries, its key) starts: 1-based line and column."""

    line: int
    col: int
    key_line: int
    key_col: int
    style: str | None = None  # YAML scalar style: None (plain), "'", '"', "|", ">"


@dataclass
class Loaded:
    data: Any
    marks: dict[JsonPath, Mark] = field(default_factory=dict)


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
    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()  # type: ignore[attr-defined]  # mixed in from Parser
        if isinstance(event, AliasEvent) or (isinstance(event, NodeEvent) and event.anchor):
            mark = event.start_mark
            line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            raise YamlProblem(
                "yaml.alias", "不允许使用锚点（&）或别名（*）：请把内容直接写出来", line, col
            )
        return super().compose_node(parent, index)


class _StrictLoader(Reader, Scanner, Parser, _StrictComposer, StrictResolver):
    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        _StrictComposer.__init__(self)
        StrictResolver.__init__(self)


def load_path(path: Path, max_bytes: int = MAX_BYTES) -> Loaded:
    """Read one YAML file strictly; raises YamlProblem with a Chinese message."""
    raw = path.read_bytes()
    if len(raw) > max_bytes:
        raise YamlProblem(
            "file.too-large",
            f"文件过大（{len(raw)} 字节，上限 {max_bytes} 字节）：附件请放在 files/ 目录并引用",
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
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as exc:
        raise _syntax_problem(exc) from exc
    finally:
        loader.dispose()
    if node is None:
        raise YamlProblem("yaml.empty", "文件为空：请按模板填写记录（gongshi new 可生成模板）")
    loaded = Loaded(data=None)
    loaded.data = _convert(node, (), loaded.marks, key_mark=(1, 1))
    return loaded


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


def _convert_scalar(node: Node) -> Any:
    value = str(node.value)
    if node.tag == _STR:
        return value
    if node.tag in (_INT, _FLOAT):
        return _number(node, value)
    if node.tag == _BOOL:
        return value.lower() == "true"
    if node.tag == _NULL:
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
        message = f"数值 {value} 无法使用：请写普通的十进制数字，例如 5000 或 1280.50"
        raise YamlProblem("yaml", message, mark.line + 1, mark.column + 1)
    return number


def _tag_problem(node: Node) -> YamlProblem:
    mark = node.start_mark
    return YamlProblem(
        "yaml", f"不支持的 YAML 标签 {node.tag}：请删除它", mark.line + 1, mark.column + 1
    )


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
    return YamlProblem("yaml", message, line, col)
