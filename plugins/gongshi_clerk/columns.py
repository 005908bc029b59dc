"""A record type's schema flattened into spreadsheet columns.

Every column has a field name (``party.name``), a Chinese title (「行政相对人·名称或姓名」), the
JSON path it fills in a record and a cell kind that says how its cells are written and read.
Three shapes of nesting are flattened:

- objects: one column per leaf, dotted names, titles joined with "·";
- lists of scalars: one cell, items joined with "；" (enums, identifiers, dates) or one item per
  line (free text such as a power's 责任事项, which may itself contain "；");
- lists of objects: numbered groups of columns (``basis.1.law`` 「设定依据1·法律法规名称」),
  except one list per type that is *expanded*: one row per item, the record's own fields
  repeated on each row (an inspection's 抽查结果).

A record's place is three more columns: the agency (执法主体代号), its id (the file stem, unless
a field already holds it, e.g. 执法证号) and, for decisions, the year folder (归档年度).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from gongshi_records.registry import RECORD_TYPES, Kind, RecordType
from gongshi_records.schema import is_markdown, resolve_refs, schema_for, spelled_out

JOIN = "；"  # how a list of short values shares one cell (as in the portal's data/*.csv)
EACH = "*"  # the expanded list's item in a column path
TITLE_SEP = "·"

PathPart = str | int
ColumnPath = tuple[PathPart, ...]


class CellKind(StrEnum):
    TEXT = "text"  # one line of text
    MARKDOWN = "markdown"  # multi-line text, kept byte for byte
    IDENT = "ident"  # an identifier: text, never a number (certificate numbers, codes)
    DATE = "date"
    ENUM = "enum"
    INTEGER = "integer"
    NUMBER = "number"
    BOOL = "bool"  # 是 / 否
    LIST = "list"  # short values joined with "；"
    LINES = "lines"  # free-text items, one per line


class Meta(StrEnum):
    """Columns that place a record rather than fill a field."""

    AGENCY = "agency"
    ID = "id"
    YEAR = "year"


@dataclass(frozen=True)
class Column:
    name: str
    title: str
    path: ColumnPath  # () for a meta column
    kind: CellKind
    description: str = ""
    options: tuple[str, ...] = ()  # an enum's values (a LIST's item values)
    meta: Meta | None = None

    @property
    def expanded(self) -> bool:
        return EACH in self.path


# One list per type may be expanded into rows (its items are the register's real rows).
EXPANDED: Mapping[Kind, str] = {Kind.INSPECTION: "results"}

# Types a register can hold, and why the others cannot.
SUPPORTED: tuple[Kind, ...] = (
    Kind.OFFICER,
    Kind.DECISION,
    Kind.POWER,
    Kind.INSPECTION,
    Kind.SERVICE_GUIDE,
    Kind.STATISTICS,
    Kind.AGENCY,
    Kind.ADVISER,
)
NOT_SUPPORTED: Mapping[Kind, str] = {
    Kind.FLOWCHART: "流程图是节点和连线组成的图，不是表格：请直接编辑 YAML 文件",
    Kind.PORTAL: "全平台只有一份 portal.yaml：请直接编辑该文件",
    Kind.CALENDAR: "工作日历是日期清单，按国务院通知逐年编辑 calendar/<年份>.yaml",
    Kind.REVIEW_CATALOG: "每个主体只有一份目录，条目含机读审核标准（match），请直接编辑 YAML 文件",
    Kind.AV_LIST: "每个主体只有一份清单：请直接编辑 av-list.yaml",
    Kind.DISCRETION: "裁量基准的阶次各带情形、幅度和依据，不是一行一条：请直接编辑 YAML 文件",
}

_META_TITLES = {Meta.AGENCY: "执法主体代号", Meta.YEAR: "归档年度"}
_META_HELP = {
    Meta.AGENCY: "content/agencies/ 下的文件夹名，例如 qingxi-scjgj（小写字母、数字、连字符）。",
    Meta.YEAR: "决定存放的年份文件夹 decisions/<年份>/；不填则取决定日期的年份。",
}


def resolve_kind(name: str) -> Kind | None:
    """A type named by its kind (officer), its public table (officers) or its label (执法人员)."""
    wanted = name.strip()
    for kind, record_type in RECORD_TYPES.items():
        if wanted in (kind.value, f"{kind.value}s", record_type.label):
            return kind
    return None


@dataclass(frozen=True)
class Layout:
    """The columns of one type's sheet."""

    kind: Kind
    columns: tuple[Column, ...]

    @property
    def record_type(self) -> RecordType:
        return RECORD_TYPES[self.kind]

    @property
    def expanded(self) -> str | None:
        return EXPANDED.get(self.kind)

    @property
    def sheet_title(self) -> str:
        return self.record_type.label

    def meta(self, meta: Meta) -> Column | None:
        return next((c for c in self.columns if c.meta is meta), None)

    def id_column(self) -> Column | None:
        """The column holding the file stem: a meta id, or the type's id field."""
        field = self.record_type.id_field
        if field is not None:
            return next((c for c in self.columns if c.path == (field,)), None)
        return self.meta(Meta.ID)


def numbered_lists(kind: Kind) -> list[ColumnPath]:
    """The paths of the lists of objects that become numbered groups of columns."""
    return [c.path[: c.path.index(0)] for c in layout_for(kind, 1).columns if 0 in c.path]


@cache
def layout_for(kind: Kind, width: int = 1) -> Layout:
    """The columns of ``kind``; each numbered list gets ``width`` groups of columns."""
    record_type = RECORD_TYPES[kind]
    root = schema_for(kind.value)
    columns = list(_meta_columns(record_type))
    columns += _walk(root, resolve_refs(root, root), (), (), width, EXPANDED.get(kind))
    names = [c.name for c in columns]
    titles = [c.title for c in columns]
    assert len(set(names)) == len(names) and len(set(titles)) == len(titles), kind
    return Layout(kind, tuple(columns))


def _meta_columns(record_type: RecordType) -> Iterator[Column]:
    if record_type.needs("agency"):
        yield Column(
            Meta.AGENCY, _META_TITLES[Meta.AGENCY], (), CellKind.IDENT, _META_HELP[Meta.AGENCY],
            meta=Meta.AGENCY,
        )  # fmt: skip
    if record_type.needs("id") and record_type.id_field is None:
        help_text = "文件名（不含 .yaml），小写字母、数字和连字符，例如 2024-012。"
        yield Column(Meta.ID, record_type.id_label, (), CellKind.IDENT, help_text, meta=Meta.ID)
    if record_type.needs("year"):
        yield Column(
            Meta.YEAR, _META_TITLES[Meta.YEAR], (), CellKind.IDENT, _META_HELP[Meta.YEAR],
            meta=Meta.YEAR,
        )  # fmt: skip


def _walk(
    root: Mapping[str, Any],
    node: Mapping[str, Any],
    path: ColumnPath,
    titles: tuple[str, ...],
    width: int,
    expanded: str | None,
) -> list[Column]:
    columns: list[Column] = []
    for key, raw in node.get("properties", {}).items():
        prop = resolve_refs(root, raw)
        here, title = (*path, key), (*titles, str(prop.get("title", key)))
        kind = prop.get("type")
        if kind == "object":
            columns += _walk(root, spelled_out(root, prop), here, title, width, None)
        elif kind == "array" and resolve_refs(root, prop.get("items", {})).get("type") == "object":
            item = resolve_refs(root, prop["items"])
            if key == expanded and not path:
                columns += _walk(root, item, (*here, EACH), title, width, None)
                continue
            for i in range(width):
                numbered = (*title[:-1], f"{title[-1]}{i + 1}")
                columns += _walk(root, item, (*here, i), numbered, width, None)
        else:
            columns.append(_leaf(root, prop, here, title))
    return columns


def _leaf(
    root: Mapping[str, Any], prop: Mapping[str, Any], path: ColumnPath, titles: tuple[str, ...]
) -> Column:
    name = ".".join(str(p + 1) if isinstance(p, int) else p for p in path if p != EACH)
    title = TITLE_SEP.join(titles)
    help_text = str(prop.get("description", ""))
    if prop.get("type") == "array":
        item = resolve_refs(root, prop.get("items", {}))
        options = tuple(str(v) for v in item.get("enum", ()))
        short = options or "pattern" in item or item.get("format") == "date"
        kind = CellKind.LIST if short else CellKind.LINES
        return Column(name, title, path, kind, help_text, options)
    return Column(name, title, path, _scalar_kind(prop), help_text, _options(prop))


def _options(prop: Mapping[str, Any]) -> tuple[str, ...]:
    if prop.get("type") == "boolean":
        return ("是", "否")
    return tuple(str(v) for v in prop.get("enum", ()))


def _scalar_kind(prop: Mapping[str, Any]) -> CellKind:
    kind = prop.get("type")
    if kind == "boolean":
        return CellKind.BOOL
    if kind == "integer":
        return CellKind.INTEGER
    if kind == "number":
        return CellKind.NUMBER
    if "enum" in prop:
        return CellKind.ENUM
    if prop.get("format") == "date":
        return CellKind.DATE
    if is_markdown(prop):
        return CellKind.MARKDOWN
    if "pattern" in prop:
        return CellKind.IDENT
    return CellKind.TEXT


def value_at(data: Any, path: ColumnPath) -> Any:
    """The value at ``path`` in a record's data (list items by index), or None where absent."""
    for part in path:
        if isinstance(part, int):
            data = data[part] if isinstance(data, list) and part < len(data) else None
        else:
            data = data.get(part) if isinstance(data, dict) else None
    return data
