"""`gongshi new`: a new record's file, written from its type's JSON Schema.

Every field of the schema is present, nested objects expanded and lists with one empty item, each
under a Chinese comment with the field's title, whether it is required, its description and the
allowed values. Nothing is filled in except the field that must equal the file's name, so an
unfilled template fails validation field by field with the schema's own explanations.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from gongshi_records.contentfiles import FILES as RESERVED_FOLDER
from gongshi_records.registry import CODE, RECORD_TYPES, SLUG, YEAR, Kind, RecordType
from gongshi_records.schema import resolve_refs, schema_for

INDENT = "  "

# Fields a new record never carries: shown as a comment saying how they are added later. An
# exemption from the privacy check is for the exception, so no type's template offers one.
_EXEMPTIONS_LATER = (
    "新记录不写；只有隐私检查把确须公开、又不是个人信息的文字当作号码时，"
    "才按书记员指南添加豁免并写明理由"
)
_LATER_BY_KIND: Mapping[Kind, Mapping[str, str]] = {
    Kind.DECISION: {
        "withdrawal": "新记录不写；决定须撤下公示时，运行 gongshi withdraw 添加",
        "published_on": "新记录不写（公示日期取自 git）；只有从原平台迁移的记录才填写",
    },
}
LATER_FIELDS: Mapping[Kind, Mapping[str, str]] = {
    kind: {**_LATER_BY_KIND.get(kind, {}), "privacy_exemptions": _EXEMPTIONS_LATER} for kind in Kind
}

_PATTERN_TEXT = {
    SLUG: "只能用小写字母、数字和连字符，并以字母或数字开头",
    CODE: "只能用字母、数字和连字符，并以字母或数字开头",
    YEAR: "应为四位年份",
}


class ScaffoldError(Exception):
    """The record cannot be created: a Chinese message saying why and what to do."""


def template(kind: Kind, ident: str | None = None) -> str:
    """The text of a new record of ``kind``; ``ident`` fills the type's ``id_field``."""
    record_type = RECORD_TYPES[kind]
    root = schema_for(kind)
    prefill = {record_type.id_field: ident} if record_type.id_field and ident else {}
    lines = [
        *_comment("", f"{record_type.label}：{root.get('description', '')}"),
        "# 由 gongshi new 生成：按每项上方的说明填写；“选填”项不需要时，连同它的说明一起删除。",
        "# 填好后运行 gongshi validate 检查。",
    ]
    later = LATER_FIELDS.get(kind, {})
    for name, prop in root.get("properties", {}).items():
        lines.append("")
        if name in later:
            title = resolve_refs(root, prop).get("title", name)
            lines.append(f"# {title}（{name}）：{later[name]}")
            continue
        lines += _field(root, name, prop, 0, _status(root, root, name), prefill.get(name))
    return "\n".join(lines) + "\n"


def _status(root: Mapping[str, Any], schema: Mapping[str, Any], name: str) -> str:
    if name in schema.get("required", ()):
        return "必填"
    conditional = (
        part.get("then", {}).get("required", ())
        for part in schema.get("allOf", ())
        if isinstance(part, Mapping)
    )
    if any(name in required for required in conditional):
        return "视情况必填，见说明"
    return "选填"


def _comment(pad: str, text: str) -> list[str]:
    return [f"{pad}# {line}".rstrip() for line in text.splitlines() or [""]]


def _describe(prop: Mapping[str, Any], status: str | None) -> str:
    title = str(prop.get("title", ""))
    head = f"{title}（{status}）" if status else title
    text = " ".join(str(prop.get("description", "")).split())
    values = prop.get("enum")
    if values is None and isinstance(prop.get("items"), Mapping):
        values = prop["items"].get("enum")
    if values and not all(str(v) in text for v in values):
        text += f" 可选值：{'、'.join(str(v) for v in values)}"
    return f"{head}：{text}" if text else head


def _field(
    root: Mapping[str, Any],
    name: str,
    prop: Mapping[str, Any],
    depth: int,
    status: str,
    prefill: str | None = None,
) -> list[str]:
    prop = resolve_refs(root, prop)
    pad = INDENT * depth
    lines = _comment(pad, _describe(prop, status))
    kind = prop.get("type")
    if kind == "object":
        return [*lines, f"{pad}{name}:", *_members(root, prop, depth + 1)]
    if kind == "array":
        return [*lines, f"{pad}{name}:", *_item(root, prop.get("items", {}), depth + 1)]
    value = _prefilled(prop, prefill) if prefill is not None else _empty(prop)
    return [*lines, f"{pad}{name}:{value}"]


def _members(root: Mapping[str, Any], schema: Mapping[str, Any], depth: int) -> Iterator[str]:
    for name, prop in schema.get("properties", {}).items():
        yield from _field(root, name, prop, depth, _status(root, schema, name))


def _item(root: Mapping[str, Any], items: Mapping[str, Any], depth: int) -> list[str]:
    items = resolve_refs(root, items)
    pad = INDENT * depth
    lines = _comment(pad, f"每一项以“- ”开头，可重复添加。{_describe(items, None)}")
    if items.get("type") == "object":
        return [*lines, f"{pad}-", *_members(root, items, depth + 1)]
    return [*lines, f"{pad}-{_empty(items)}"]


def _empty(prop: Mapping[str, Any]) -> str:
    """An empty value: "" for text, nothing (null) for numbers and true/false."""
    return ' ""' if prop.get("type") == "string" else ""


def _prefilled(prop: Mapping[str, Any], value: str) -> str:
    if prop.get("type") == "integer" and value.isdigit():
        return f" {int(value)}"
    return " " + json.dumps(value, ensure_ascii=False)


def next_decision_id(content: Path, agency: str, year: str) -> str:
    """The next free ``<year>-NNN`` in the agency's decisions/<year>/ folder."""
    folder = content / Path(RECORD_TYPES[Kind.DECISION].path_for(agency, "x", year)).parent
    numbers = [
        int(match.group(1))
        for path in (folder.glob("*.y*ml") if folder.is_dir() else ())
        if (match := re.fullmatch(rf"{year}-(\d+)", path.stem))
    ]
    return f"{year}-{max(numbers, default=0) + 1:03d}"


def new_record(
    content: Path, kind: Kind, agency: str | None, ident: str | None, year: str | None
) -> Path:
    """Write a new record's template under ``content`` and return its path; ScaffoldError when
    an argument is missing or malformed, the agency is unknown or the file already exists."""
    record_type = RECORD_TYPES[kind]
    _check_parts(record_type, agency, ident, year)
    if record_type.needs("agency") and kind is not Kind.AGENCY:
        _check_agency(content, agency or "")
    if record_type.needs("id") and not ident:
        ident = _default_id(content, record_type, agency, year)
    relative = record_type.path_for(agency, ident, year)
    target = _inside(content, relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with target.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(template(kind, ident))
    except FileExistsError:
        raise ScaffoldError(
            f"{relative} 已存在，不会覆盖：要修改这条{record_type.label}，请直接编辑该文件"
        ) from None
    return target


def _check_parts(
    record_type: RecordType, agency: str | None, ident: str | None, year: str | None
) -> None:
    label = record_type.label
    if record_type.needs("agency") and not agency:
        raise ScaffoldError(f"请用 --agency 指定{label}所属执法主体的代号，例如 wujiang-scjgj")
    if agency and not record_type.needs("agency"):
        raise ScaffoldError(f"{label}不属于某个执法主体：请去掉 --agency")
    if ident and not record_type.needs("id"):
        owner = "每个执法主体" if record_type.needs("agency") else "整个平台"
        raise ScaffoldError(f"{label}{owner}只有一份，文件名是固定的：请去掉 --id")
    if year and not record_type.needs("year"):
        raise ScaffoldError(f"{label}不按年份存放：请去掉 --year")
    _check_form("执法主体代号（--agency）", agency, SLUG)
    if agency == RESERVED_FOLDER:  # validation would refuse every record in it (content.reserved)
        raise ScaffoldError(f"执法主体代号不能是 {RESERVED_FOLDER}：它是存放附件的保留文件夹名")
    _check_form(f"{record_type.id_label}（--id）", ident, record_type.id_pattern)
    _check_form("年份（--year）", year, YEAR)


def _check_form(label: str, value: str | None, pattern: str) -> None:
    if value is not None and not re.fullmatch(pattern, value):
        rule = _PATTERN_TEXT.get(pattern, f"应符合 {pattern}")
        raise ScaffoldError(f"{label}{rule}（当前为 {value!r}）")


def _check_agency(content: Path, agency: str) -> None:
    relative = RECORD_TYPES[Kind.AGENCY].path_for(agency)
    if not (content / relative).is_file():
        raise ScaffoldError(
            f"没有执法主体 {agency}（找不到 {relative}）：请检查代号，"
            f"新的执法主体先用 gongshi new {Kind.AGENCY.value} --agency {agency} 建立"
        )


def _default_id(
    content: Path, record_type: RecordType, agency: str | None, year: str | None
) -> str:
    if record_type.kind is Kind.DECISION and agency and year:
        return next_decision_id(content, agency, year)
    raise ScaffoldError(f"请用 --id 指定{record_type.label}的{record_type.id_label}（也是文件名）")


def _inside(content: Path, relative: str) -> Path:
    """``relative`` under ``content``, refusing anything that would land outside it."""
    base = content.resolve()
    target = (base / relative).resolve()
    if not target.is_relative_to(base):
        raise ScaffoldError(f"{relative} 会写到内容目录 {content} 之外：已拒绝")
    return target
