"""The shape of an exported table: its columns, keys and how each column is described."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

# One value of an exported row, before it is written as CSV text or a JSON value.
Cell = str | bool | Decimal | None
Row = dict[str, Cell]


@dataclass(frozen=True)
class Column:
    """One column of a table, with what its Table Schema field says about it.

    ``source`` names the record field the column comes from, as ``(record type, *path)`` in
    ``schemas/<type>.schema.json``; the field's ``enum`` and ``pattern`` are taken from there,
    so the data package can never disagree with what the validator accepts. ``joined`` marks a
    list field written as one text joined by "；" (its items' enum becomes a pattern).
    """

    name: str
    title: str
    description: str
    type: str = "string"  # Table Schema type: string | number | integer | date | boolean
    source: tuple[str | int, ...] = ()  # an int steps into a list's items
    required: bool = False
    unique: bool = False
    joined: bool = False
    decimals: int | None = None  # number columns: digits after the decimal point
    pattern: str | None = None  # when the record schema has none (or it must be narrower)
    portal_pattern: str | None = None  # a portal.yaml key whose regex, when set, wins
    enum: tuple[str, ...] = ()  # a derived column's values (a record field's come from its schema)
    format: str | None = None


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str  # the referenced table's name
    reference: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """One exported table, written as ``data/<name>.csv`` and ``data/<name>.json``."""

    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()

    @property
    def names(self) -> list[str]:
        return [column.name for column in self.columns]


JOIN = "；"  # how list values (roles, penalty kinds, legal bases) are joined into one cell


def page_column(what: str) -> Column:
    return Column(
        "page",
        "页面地址",
        f"{what}页面的地址，记录编辑后不变：正式发布的数据为完整网址（以本平台网址开头，"
        "见 datapackage.json 的 homepage），预览版为相对于网站根目录（data/ 的上一级）的地址。",
        required=True,
        unique=True,
    )


def agency_columns() -> tuple[Column, Column]:
    """The agency a record belongs to, by id (a foreign key) and by name."""
    return (
        Column(
            "agency_id",
            "执法主体标识",
            "所属执法主体在本平台的标识，对应 agencies 表的 id。",
            required=True,
        ),
        Column("agency_name", "执法主体名称", "所属执法主体的全称。", required=True),
    )


def to_agencies() -> ForeignKey:
    return ForeignKey(("agency_id",), "agencies", ("id",))
