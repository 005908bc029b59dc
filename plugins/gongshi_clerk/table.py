"""Format-neutral tables: what export hands to a file writer and what a file reader hands back."""

from __future__ import annotations

from dataclasses import dataclass, field

from .cells import CellValue, RawCell
from .columns import Column


@dataclass(frozen=True)
class OutSheet:
    """One sheet to write: its title (the type's label), columns and typed rows."""

    title: str
    columns: tuple[Column, ...]
    rows: list[list[CellValue]]


@dataclass
class Sheet:
    """One sheet as read: header texts and data rows with their spreadsheet row numbers."""

    source: str  # the file's name, as a clerk knows it
    name: str | None  # the worksheet's title; None for a CSV file
    header: list[str]
    rows: list[tuple[int, list[RawCell]]] = field(default_factory=list)
    formulas: set[tuple[int, int]] = field(default_factory=set)  # (row, column index)

    def where(self, row: int | None = None, column: str | None = None) -> str:
        """How a clerk finds a cell: 「officers.xlsx 工作表「执法人员」第 5 行「有效期止」」."""
        text = self.source
        if self.name is not None:
            text += f" 工作表「{self.name}」"
        if row is not None:
            text += f"第 {row} 行" if self.name is not None else f" 第 {row} 行"
        if column is not None:
            text += f"「{column}」"
        return text
