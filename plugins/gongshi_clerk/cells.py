"""One value ↔ one cell: what export writes for a field and what import reads back.

Export gives typed cells (text, ``datetime.date``, numbers); the CSV writer turns them into text.
Import takes whatever a spreadsheet hands back (text from CSV; text, numbers, datetimes and
booleans from XLSX) and returns the field's value, ``MISSING`` for an empty cell, or a
``CellError`` with a Chinese message. A value that is merely wrong (``abc`` in an amount) is
returned as text so the schema reports it in its own words.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Final

from .columns import JOIN, CellKind, Column

CellValue = str | int | float | dt.date | None
RawCell = str | int | float | bool | dt.datetime | dt.date | dt.time | None


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final = _Missing()


@dataclass(frozen=True)
class CellError:
    message: str


class ExportProblem(ValueError):
    """A stored value that has no faithful cell (a list item containing the separator …)."""


TRUE_WORDS = frozenset({"是", "true", "True", "TRUE", "1", "Y", "y"})
FALSE_WORDS = frozenset({"否", "false", "False", "FALSE", "0", "N", "n"})
_LIST_SPLIT = re.compile(r"[；;，,、\n]+")
_SCIENTIFIC = re.compile(r"^\d(?:\.\d+)?[Ee]\+\d+$")
_DATE_FORMS = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_THOUSANDS = re.compile(r"^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_DECIMAL = re.compile(r"^-?\d+(?:\.\d+)?$")
# Excel keeps 15 significant digits: a longer number typed into a General cell is already lost.
_EXCEL_DIGITS = 15


# --- export -----------------------------------------------------------------------------------


def to_cell(column: Column, value: Any) -> CellValue:
    """The cell for a stored value (``None`` for an absent one)."""
    if value is None:
        return None
    kind = column.kind
    if kind in (CellKind.LIST, CellKind.LINES):
        return _joined(column, value)
    if isinstance(value, dict | list):
        raise ExportProblem(f"「{column.title}」应为单个值，但记录中是列表或多个字段")
    if kind is CellKind.BOOL and isinstance(value, bool):
        return "是" if value else "否"
    if kind is CellKind.DATE and isinstance(value, str):
        return _as_date(value) or value
    if kind in (CellKind.INTEGER, CellKind.NUMBER) and _is_number(value):
        return int(value) if isinstance(value, float) and value.is_integer() else value
    return str(value) if not isinstance(value, str) else value


def _joined(column: Column, value: Any) -> str:
    if not isinstance(value, list) or any(isinstance(v, dict | list) for v in value):
        raise ExportProblem(f"「{column.title}」应为列表")
    items = [str(v) for v in value]
    separator = JOIN if column.kind is CellKind.LIST else "\n"
    for item in items:
        if separator in item or (column.kind is CellKind.LIST and "\n" in item):
            shown = "“；”" if separator == JOIN else "换行"
            raise ExportProblem(
                f"「{column.title}」的一项「{item}」含有{shown}，无法放入一个单元格"
            )
    return separator.join(items)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _as_date(text: str) -> dt.date | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def cell_text(value: CellValue) -> str:
    """A typed cell as CSV text."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return value if isinstance(value, str) else repr(value)


# --- import -----------------------------------------------------------------------------------


def from_cell(column: Column, raw: RawCell) -> Any:
    """The field value of a cell, ``MISSING``, or a ``CellError``."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return MISSING
    kind = column.kind
    if kind is CellKind.MARKDOWN:
        return raw.replace("\r\n", "\n") if isinstance(raw, str) else _text(column, raw)
    if kind is CellKind.DATE:
        return _date(raw)
    if kind in (CellKind.INTEGER, CellKind.NUMBER):
        return _number(raw, integer=kind is CellKind.INTEGER)
    if kind is CellKind.BOOL:
        return _bool(raw)
    if kind in (CellKind.LIST, CellKind.LINES):
        return _list(column, raw)
    return _text(column, raw)


def _text(column: Column, raw: RawCell) -> Any:
    if isinstance(raw, str):
        text = raw.replace("\r\n", "\n").strip()
        if _SCIENTIFIC.match(text) and column.kind is not CellKind.MARKDOWN:
            return CellError(
                f"「{text}」是被 Excel 改成科学计数法的长数字，原值已丢失："
                "请把该列设为“文本”格式后重新输入，或改用 XLSX 文件"
            )
        return text
    if isinstance(raw, bool):
        return "是" if raw else "否"
    if isinstance(raw, dt.datetime | dt.date):
        return _date(raw)
    if isinstance(raw, dt.time):
        return raw.isoformat()
    if isinstance(raw, float) and not raw.is_integer():
        return repr(raw)
    number = int(raw) if raw is not None else 0
    if len(str(abs(number))) > _EXCEL_DIGITS:
        return CellError(
            f"「{number}」被保存为数字，超过 15 位的数字在 Excel 中会丢失末尾几位："
            "请把该列设为“文本”格式后重新输入"
        )
    return str(number)


def _date(raw: RawCell) -> Any:
    if isinstance(raw, dt.datetime):
        if raw.time() != dt.time(0, 0):
            return CellError(f"日期单元格带有时间 {raw.time()}：请只填日期，例如 2024-03-05")
        return raw.date().isoformat()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    text = str(raw).strip()
    match = _DATE_FORMS.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            return f"{year:04d}-{month:02d}-{day:02d}"  # the schema says it does not exist
    return text


def _number(raw: RawCell, *, integer: bool) -> Any:
    if isinstance(raw, bool):
        return str(raw)
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() else raw
    text = str(raw).strip().replace("，", ",")
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    if not _DECIMAL.match(text):
        return text
    if "." not in text:
        return int(text)
    value = float(text)
    return int(value) if value.is_integer() else value


def _bool(raw: RawCell) -> Any:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip()
    if isinstance(raw, int | float):
        text = str(int(raw)) if float(raw).is_integer() else text
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    return CellError(f"「{text}」不是“是”或“否”")


def _list(column: Column, raw: RawCell) -> Any:
    if column.kind is CellKind.LIST:
        if not isinstance(raw, str):
            single = _text(column, raw)
            return single if isinstance(single, CellError) else [single]
        parts = _LIST_SPLIT.split(raw)
    else:
        parts = str(raw).replace("\r\n", "\n").split("\n")
    items = [p.strip() for p in parts if p.strip()]
    for item in items:
        if _SCIENTIFIC.match(item):
            return _text(column, item)
    return items
