"""Records → the clerk's register: one row per record (per item of an expanded list)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gongshi_records.model import Record
from gongshi_records.registry import Kind, place_of
from gongshi_records.validate import display_path, record_files, repo_root
from gongshi_records.yamlload import YamlProblem, load_path

from .cells import CellValue, ExportProblem, to_cell
from .columns import EACH, Column, ColumnPath, Layout, Meta, layout_for, value_at
from .table import OutSheet


@dataclass
class Exported:
    sheet: OutSheet
    records: int
    problems: list[str]


def read_records(content: Path, kind: Kind, agency: str | None) -> tuple[list[Record], list[str]]:
    """The records of ``kind`` (of one agency) in path order, and files that cannot be read."""
    root = repo_root(content)
    records: list[Record] = []
    problems: list[str] = []
    for path in record_files(content):
        place = place_of(path.relative_to(content).as_posix())
        if place is None or place.kind != kind or (agency and place.agency != agency):
            continue
        shown = display_path(path, root)
        try:
            loaded = load_path(path)
        except YamlProblem as exc:
            problems.append(f"{shown}:{exc.line}:{exc.col}: {exc.message}")
            continue
        if not isinstance(loaded.data, dict):
            problems.append(f"{shown}: 记录应由若干“字段: 值”组成")
            continue
        records.append(Record(kind, shown, place, loaded.data, loaded.marks))
    return records, problems


def export_sheet(kind: Kind, records: list[Record]) -> Exported:
    layout = layout_for(kind, max(1, *(_widest(layout_for(kind), r) for r in records), 1))
    rows: list[list[CellValue]] = []
    problems: list[str] = []
    for record in records:
        try:
            rows.extend(_record_rows(layout, record))
        except ExportProblem as exc:
            problems.append(f"{record.path}: {exc}")
    return Exported(OutSheet(layout.sheet_title, layout.columns, rows), len(records), problems)


def _widest(layout: Layout, record: Record) -> int:
    """How many numbered groups the record's lists of objects need."""
    lists = {c.path[: c.path.index(0)] for c in layout.columns if 0 in c.path}
    sizes = [len(v) for p in lists if isinstance(v := record.get(*p), list)]
    return max(sizes, default=1)


def _record_rows(layout: Layout, record: Record) -> Iterator[list[CellValue]]:
    _check_fields(layout, record)
    expanded = layout.expanded
    items = record.get(expanded) if expanded else None
    if not expanded or not isinstance(items, list) or not items:
        yield [_cell(c, record, None) for c in layout.columns]
        return
    for item in items:
        yield [_cell(c, record, item) for c in layout.columns]


def _cell(column: Column, record: Record, item: Any) -> CellValue:
    if column.meta is Meta.AGENCY:
        return record.agency
    if column.meta is Meta.ID:
        return record.place.id
    if column.meta is Meta.YEAR:
        return record.place.folder_year
    if column.expanded:
        return to_cell(column, value_at(item, column.path[column.path.index(EACH) + 1 :]))
    return to_cell(column, value_at(record.data, column.path))


def _check_fields(layout: Layout, record: Record) -> None:
    """A field no column holds would be lost on the way back: refuse to export it."""
    prefixes = {c.path[:n] for c in layout.columns for n in range(1, len(c.path) + 1)}
    for path in _leaf_paths(record.data, ()):
        generic = tuple(EACH if layout.expanded and i == 1 and path[0] == layout.expanded
                        else p for i, p in enumerate(path))  # fmt: skip
        if generic not in prefixes:
            shown = ".".join(str(p) for p in path)
            raise ExportProblem(f"字段 {shown} 不在表格的任何一列中（可能是未知字段或格式不对）")


def _leaf_paths(data: Any, where: ColumnPath) -> Iterator[ColumnPath]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaf_paths(value, (*where, key))
    elif isinstance(data, list) and data and all(isinstance(v, dict) for v in data):
        for index, value in enumerate(data):
            yield from _leaf_paths(value, (*where, index))
    else:
        yield where
