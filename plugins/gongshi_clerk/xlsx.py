"""XLSX through openpyxl: typed cells, text-formatted identifier columns, drop-down lists.

Written in write-only mode and read in read-only mode, so a register of 10,000 decisions stays
within a few hundred megabytes. Layout of a written workbook:

- one sheet per record type, titled with its label (执法人员), header row frozen, each header
  cell carrying the field's description as a comment;
- identifier and text columns formatted as text ("@"): an 18-character credit code or a
  certificate number with leading zeros is never turned into a number, even in new rows;
- dates as real date cells (``yyyy-mm-dd``), amounts and counts as numbers;
- a drop-down list (data validation) on every enum and 是/否 column, its values on a hidden
  sheet 「选项」 (a list typed into the validation itself is limited to 255 characters).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.exceptions import IllegalCharacterError, InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from .cells import CellValue, RawCell
from .columns import CellKind, Column
from .table import OutSheet, Sheet

OPTIONS_SHEET = "选项"
MAX_CELL = 32767  # characters Excel keeps in one cell
_TEXT, _DATE, _GENERAL = "@", "yyyy-mm-dd", "General"
_WIDE = (CellKind.MARKDOWN, CellKind.LINES)
_WRAP = Alignment(wrap_text=True, vertical="top")


class SheetError(ValueError):
    """A file that cannot be read or written as a workbook (Chinese message)."""


def number_format(column: Column) -> str:
    if column.kind is CellKind.DATE:
        return _DATE
    if column.kind in (CellKind.INTEGER, CellKind.NUMBER):
        return _GENERAL
    return _TEXT


def write_xlsx(path: Path, sheets: list[OutSheet]) -> None:
    book = openpyxl.Workbook(write_only=True)
    option_columns: list[list[str]] = []
    for out in sheets:
        _write_sheet(book, out, option_columns)
    options = book.create_sheet(OPTIONS_SHEET)  # referenced by name, so it may come last
    for row in _transpose(option_columns):
        options.append(row)
    options.sheet_state = "hidden"
    book.save(path)


def _transpose(columns: list[list[str]]) -> list[list[str | None]]:
    height = max((len(c) for c in columns), default=0)
    return [[c[i] if i < len(c) else None for c in columns] for i in range(height)]


def _write_sheet(book: Any, out: OutSheet, option_columns: list[list[str]]) -> None:
    sheet = book.create_sheet(out.title)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(out.columns, start=1):
        letter = get_column_letter(index)
        dimension = sheet.column_dimensions[letter]
        dimension.width = 40 if column.kind in _WIDE else max(12, min(30, 2 * len(column.title)))
        dimension.number_format = number_format(column)
        if column.options:
            option_columns.append([column.title, *column.options])
            _drop_down(sheet, letter, len(option_columns), len(column.options))
    sheet.append([_header(sheet, column) for column in out.columns])
    for values in out.rows:
        sheet.append([_cell(sheet, c, v) for c, v in zip(out.columns, values, strict=True)])


def _drop_down(sheet: Any, letter: str, option_index: int, count: int) -> None:
    source = get_column_letter(option_index)
    formula = f"{quote_sheetname(OPTIONS_SHEET)}!${source}$2:${source}${count + 1}"
    validation = DataValidation(type="list", formula1=formula, allow_blank=True)
    validation.error = "请从下拉列表中选择"
    validation.showErrorMessage = True
    validation.add(f"{letter}2:{letter}1048576")
    sheet.data_validations.append(validation)


def _header(sheet: Any, column: Column) -> Any:
    cell = WriteOnlyCell(sheet, column.title)
    note = column.description or column.title
    cell.comment = Comment(f"{column.name}\n{note}", "gongshi", width=300, height=120)
    return cell


def _cell(sheet: Any, column: Column, value: CellValue) -> Any:
    if isinstance(value, str) and len(value) > MAX_CELL:
        raise SheetError(f"「{column.title}」超过 Excel 单元格上限 {MAX_CELL} 个字符")
    try:
        cell = WriteOnlyCell(sheet, value)  # type: ignore[arg-type]  # stubs omit date
    except IllegalCharacterError as exc:
        raise SheetError(f"「{column.title}」含有 Excel 不能保存的控制字符") from exc
    if isinstance(value, str):
        cell.data_type = "s"  # text that starts with "=" stays text, never a formula
    cell.number_format = number_format(column)
    if column.kind in _WIDE:
        cell.alignment = _WRAP
    return cell


def read_xlsx(path: Path, source: str) -> list[Sheet]:
    """Every visible sheet except the options sheet, header and non-empty rows."""
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except (InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise SheetError(f"{source} 不是有效的 XLSX 文件：请在 Excel/WPS 中另存为 .xlsx") from exc
    try:
        return [
            _read_sheet(ws, source)
            for ws in book.worksheets
            if ws.title != OPTIONS_SHEET and ws.sheet_state == "visible"
        ]
    finally:
        book.close()


def _read_sheet(ws: Any, source: str) -> Sheet:
    rows = ws.iter_rows()
    first = next(rows, ())
    header = [_header_text(c.value) for c in first]
    while header and not header[-1]:
        header.pop()
    sheet = Sheet(source, ws.title, header)
    for number, cells in enumerate(rows, start=2):
        values: list[RawCell] = []
        for index, cell in enumerate(cells[: len(header)]):
            if getattr(cell, "data_type", None) == "f":
                sheet.formulas.add((number, index))
            values.append(_raw(cell.value))
        if any(v is not None and v != "" for v in values):
            sheet.rows.append((number, values))
    return sheet


def _header_text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _raw(value: Any) -> RawCell:
    if value is None or isinstance(value, str | int | float | bool | dt.date | dt.time):
        return value
    return str(value)
