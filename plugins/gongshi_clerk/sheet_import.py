"""A sheet → the records it holds, each value located by row and column.

Headers may be the Chinese titles (what export writes), the field names, or the portal's public
``data/*.csv`` columns (``agency_id``); columns the portal derives (``agency_name``, ``page``)
are ignored. A header nobody knows is an error: a column typed by a clerk is never dropped
silently.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from gongshi_records.registry import SLUG, YEAR, Kind
from gongshi_records.yamlload import JsonPath, Mark

from .cells import MISSING, CellError, from_cell
from .columns import (
    EACH,
    SUPPORTED,
    Column,
    ColumnPath,
    Layout,
    Meta,
    layout_for,
    resolve_kind,
    value_at,
)
from .table import Sheet

# The portal's public CSV names a few columns differently, and derives some others.
ALIASES: Mapping[str, str] = {"agency_id": Meta.AGENCY}
DERIVED = frozenset(
    {"agency_name", "执法主体名称", "page", "页面地址", "effective_status", "当前证件状态"}
)
_SQUEEZE = re.compile(r"[\s·.．・*＊]")
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\]|\.\.")


@dataclass
class Problem:
    where: str
    message: str

    def text(self) -> str:
        return f"{self.where}：{self.message}"


@dataclass
class Rows:
    """One record read from one or more rows."""

    sheet: Sheet
    layout: Layout
    agency: str | None
    ident: str
    year: str | None
    rows: list[int]
    data: dict[str, Any] = field(default_factory=dict)
    marks: dict[JsonPath, Mark] = field(default_factory=dict)
    covered: frozenset[ColumnPath] = frozenset()  # the sheet's columns: fields it speaks for
    headers: Mapping[int, str] = field(default_factory=dict)  # column index → header text


def _squeeze(text: str) -> str:
    return _SQUEEZE.sub("", text)


def header_map(layout: Layout, header: list[str]) -> tuple[dict[int, Column], list[str]]:
    """Column index → column for every known header, and what is wrong with the others."""
    lookup: dict[str, Column] = {}
    for column in layout.columns:
        for text in (column.name, column.title):
            lookup[text] = lookup[_squeeze(text)] = column
    for alias, target in ALIASES.items():
        lookup[alias] = next(c for c in layout.columns if c.name == target)
    found: dict[int, Column] = {}
    problems: list[str] = []
    seen: dict[str, int] = {}
    for index, text in enumerate(header):
        match = lookup.get(text) or lookup.get(_squeeze(text))
        if match is None:
            if text and text not in DERIVED:
                problems.append(f"未知的列「{text}」")
            elif not text:
                problems.append(f"第 {index + 1} 列没有标题")
            continue
        if match.name in seen:
            problems.append(f"「{text}」与第 {seen[match.name] + 1} 列是同一字段")
            continue
        seen[match.name] = index
        found[index] = match
    return found, problems


def choose_kind(sheet: Sheet, wanted: Kind | None) -> Kind | None:
    """The sheet's type: asked for, named by the worksheet, or the one type its headers fit."""
    if wanted is not None:
        return wanted
    named = resolve_kind(sheet.name) if sheet.name else None
    if named is not None:
        return named
    fits = []
    for kind in SUPPORTED:
        layout = layout_for(kind, max(1, len(sheet.header)))
        found, problems = header_map(layout, sheet.header)
        id_column = layout.id_column()
        has_id = id_column is None or id_column in found.values()
        if not problems and found and has_id:
            fits.append(kind)
    return fits[0] if len(fits) == 1 else None


def read_rows(sheet: Sheet, kind: Kind) -> tuple[list[Rows], list[Problem]]:
    layout = layout_for(kind, max(1, len(sheet.header)))
    found, header_problems = header_map(layout, sheet.header)
    problems = [Problem(sheet.where(1), p) for p in header_problems]
    for needed in (layout.meta(Meta.AGENCY), layout.id_column()):
        if needed is not None and needed not in found.values():
            problems.append(Problem(sheet.where(1), f"缺少必需的列「{needed.title}」"))
    if problems:
        return [], problems
    records: dict[tuple[str | None, str, str | None], Rows] = {}
    covered = frozenset(c.path for c in found.values() if c.path)
    headers = {i: sheet.header[i] for i in found}
    for number, cells in sheet.rows:
        values, cell_problems = _row_values(sheet, number, cells, found)
        problems += cell_problems
        place = _place(sheet, number, layout, values, problems)
        if place is None:
            continue
        target = records.get(place)
        if target is None:
            target = records[place] = Rows(sheet, layout, *place, [], covered=covered,
                                           headers=headers)  # fmt: skip
        elif not layout.expanded:
            first = target.rows[0]
            problems.append(
                Problem(sheet.where(number), f"与第 {first} 行是同一条记录：请删除重复行")
            )
            continue
        problems += _fill(target, number, values)
    for record in records.values():
        _compact(record)
    return list(records.values()), problems


def _compact(record: Rows) -> None:
    """Numbered groups left empty (设定依据2 blank, 设定依据3 filled) close up."""
    for key, value in list(record.data.items()):
        if key == record.layout.expanded or not isinstance(value, list):
            continue
        if not value or not all(isinstance(v, dict) for v in value):
            continue
        kept = [i for i, v in enumerate(value) if v]
        if len(kept) == len(value):
            continue
        old = dict(record.marks)
        for where in old:
            if where[:1] == (key,) and len(where) > 1:
                del record.marks[where]
        for new, i in enumerate(kept):
            for where, mark in old.items():
                if where[:2] == (key, i):
                    record.marks[(key, new, *where[2:])] = mark
        if kept:
            record.data[key] = [value[i] for i in kept]
        else:
            del record.data[key]


def _row_values(
    sheet: Sheet, number: int, cells: list[Any], found: dict[int, Column]
) -> tuple[dict[Column, tuple[int, Any]], list[Problem]]:
    values: dict[Column, tuple[int, Any]] = {}
    problems: list[Problem] = []
    for index, column in found.items():
        raw = cells[index] if index < len(cells) else None
        where = sheet.where(number, sheet.header[index])
        if (number, index) in sheet.formulas:
            message = "单元格是公式：请改为直接填写内容（可“选择性粘贴—数值”）"
            problems.append(Problem(where, message))
            continue
        value = from_cell(column, raw)
        if isinstance(value, CellError):
            problems.append(Problem(where, value.message))
        elif value is not MISSING:
            values[column] = (index, value)
    return values, problems


def _place(
    sheet: Sheet,
    number: int,
    layout: Layout,
    values: dict[Column, tuple[int, Any]],
    problems: list[Problem],
) -> tuple[str | None, str, str | None] | None:
    """(agency, id, year) of the row's record, checked so no path can leave content/."""
    record_type = layout.record_type
    parts: dict[str, str | None] = {"agency": None, "id": "", "year": None}
    checks = (
        ("agency", layout.meta(Meta.AGENCY), SLUG),
        ("id", layout.id_column(), record_type.id_pattern),
        ("year", layout.meta(Meta.YEAR), YEAR),
    )
    ok = True
    for part, column, pattern in checks:
        if column is None:
            continue
        value = values.get(column, (0, None))[1]
        if value is None and part == "year":
            value = _year_of(layout, values)
        if value is None and part == "year" and not record_type.needs("year"):
            continue
        text = "" if value is None else str(value)
        if not re.fullmatch(pattern, text) or _UNSAFE.search(text):
            where = sheet.where(number, column.title)
            problems.append(Problem(where, _bad_part(column, text)))
            ok = False
        parts[part] = text
    if not ok:
        return None
    return parts["agency"], parts["id"] or "", parts["year"]


def _year_of(layout: Layout, values: dict[Column, tuple[int, Any]]) -> str | None:
    decided = next((v for c, (_, v) in values.items() if c.path == ("decided_on",)), None)
    if isinstance(decided, str) and re.match(r"\d{4}-", decided):
        return decided[:4]
    return None


def _bad_part(column: Column, text: str) -> str:
    if not text:
        return f"必须填写{column.title}"
    if column.meta is Meta.AGENCY:
        return f"「{text}」不是有效的执法主体代号：只能用小写字母、数字和连字符，例如 qingxi-scjgj"
    if column.meta is Meta.YEAR:
        return f"「{text}」不是四位年份（也可不填，取决定日期的年份）"
    return f"「{text}」不能用作文件名：只能用字母、数字和连字符，不能含“/”“..”或控制字符"


def _fill(target: Rows, number: int, values: dict[Column, tuple[int, Any]]) -> list[Problem]:
    """Put one row's values into its record; a repeated record field must agree."""
    problems: list[Problem] = []
    item: dict[str, Any] = {}
    first = not target.rows
    target.rows.append(number)
    for column, (index, value) in values.items():
        mark = Mark(number, index + 1, number, index + 1)
        if column.meta is not None:
            continue
        if column.expanded:
            inner = column.path[column.path.index(EACH) + 1 :]
            _set(item, inner, value)
            continue
        if not first:
            if value_at(target.data, column.path) != value:
                where = target.sheet.where(number, target.sheet.header[index])
                message = f"与第 {target.rows[0]} 行不一致：同一记录各行的这一列应相同（或留空）"
                problems.append(Problem(where, message))
            continue
        _set(target.data, column.path, value)
        _mark(target.marks, column.path, value, mark)
    if target.layout.expanded and item:
        items = target.data.setdefault(target.layout.expanded, [])
        prefix: JsonPath = (target.layout.expanded, len(items))
        items.append(item)
        target.marks[prefix] = Mark(number, 1, number, 1)
        for column, (index, value) in values.items():
            if column.expanded:
                inner = column.path[column.path.index(EACH) + 1 :]
                _mark(
                    target.marks,
                    (*prefix, *inner),
                    value,
                    Mark(number, index + 1, number, index + 1),
                )
    if first:
        target.marks[()] = Mark(number, 1, number, 1)
    return problems


def _set(data: dict[str, Any], path: ColumnPath, value: Any) -> None:
    node: Any = data
    for part, nxt in itertools.pairwise(path):
        if isinstance(part, int):
            while len(node) <= part:
                node.append({})
            node = node[part]
        else:
            node = node.setdefault(part, [] if isinstance(nxt, int) else {})
    last = path[-1]
    assert isinstance(last, str), path  # every column ends in a field name
    node[last] = value


def _mark(marks: dict[JsonPath, Mark], path: ColumnPath, value: Any, mark: Mark) -> None:
    where: JsonPath = tuple(path)
    marks[where] = mark
    if isinstance(value, list):
        for i in range(len(value)):
            marks[(*where, i)] = mark
