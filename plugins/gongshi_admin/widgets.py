"""One JSON Schema field → one Decap CMS field (widget, label, hint, checks).

Pure functions over the schema documents and the registry: the form shows the schema's Chinese
title as the label and its description as the hint, so a clerk reads in the form what the
validator will say. What Decap cannot check (minLength, uniqueItems, if/then) is left to
`gongshi validate`, which runs on every pull request.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gongshi_records.registry import RECORD_TYPES, Kind, Link
from gongshi_records.schema import is_markdown, resolve_refs, spelled_out

Field = dict[str, Any]
Path = tuple[str, ...]  # field names from the record's root, "*" for every list item

# Decap prints its own words before the message ("不满足模式"); ours continues the sentence.
PATTERN_LEAD = "："
# A date is typed and stored as text: no time, no time-zone shift on the way to YAML.
DATE_WIDGET: Field = {
    "widget": "datetime",
    "date_format": "YYYY-MM-DD",
    "time_format": False,
    "format": "YYYY-MM-DD",
    "picker_utc": True,
}
# Kinds a relation widget can offer: the target's collection lists the agency's own records
# and the reference is the target's identifying field (certificate number, item code).
RELATION_TARGETS = (Kind.OFFICER, Kind.POWER)
# Attachments: the file widget uploads into the agency's files/ and stores the path below it.
PDF_LOOKAHEAD = r"(?=.*\.[Pp][Dd][Ff]$)"
PDF_HINT = "只能上传 PDF 文件"


@dataclass(frozen=True)
class Context:
    """Where a field sits: its record type, its path, and whether its parent is always there
    (a field required inside an optional object cannot be required by the form: Decap would
    then refuse every record that leaves the whole object out)."""

    kind: Kind
    root: Mapping[str, Any]
    path: Path = ()
    parent_present: bool = True
    max_file_size: int = 0  # bytes an attachment may have; 0: no limit in the form

    def at(self, path: Path, parent_present: bool) -> Context:
        return Context(self.kind, self.root, path, parent_present, self.max_file_size)


def collection_name(kind: Kind) -> str:
    """A folder type's collection is named after its folder (officers, decisions, …); a
    singleton's after its file."""
    layout = RECORD_TYPES[kind].layout
    rest = layout.split("{agency}/", 1)[-1]
    return rest.split("/", 1)[0].removesuffix(".yaml")


def fields_of(node: Mapping[str, Any], context: Context) -> list[Field]:
    """The Decap fields of an object schema, in the schema's order."""
    node = spelled_out(context.root, resolve_refs(context.root, node))
    required = set(node.get("required", ()))
    return [
        field_for(
            name,
            prop,
            context.at((*context.path, name), context.parent_present),
            name in required,
        )
        for name, prop in node.get("properties", {}).items()
    ]


def field_for(name: str, prop: Mapping[str, Any], context: Context, required: bool) -> Field:
    node = resolve_refs(context.root, prop)
    field: Field = {"name": name, "label": str(node.get("title") or name)}
    if node.get("description"):
        field["hint"] = str(node["description"])
    field["required"] = bool(required and context.parent_present)
    field.update(_widget(node, context, field["required"]))
    if "default" in node:
        field["default"] = node["default"]
    return field


def _widget(node: Mapping[str, Any], context: Context, present: bool) -> Field:
    link = _relation_link(context.kind, context.path)
    kind = node.get("type")
    if link is not None and kind in ("string", "array"):
        return _relation(link, node, context)
    if context.path == RECORD_TYPES[context.kind].attachments:
        return _attachment(node, context.max_file_size)
    if kind == "string":
        return _string(node)
    if kind in ("integer", "number"):
        return _number(node)
    if kind == "boolean":
        return {"widget": "boolean"}
    if kind == "object":
        inner = context.at(context.path, present)
        return {"widget": "object", "collapsed": not present, "fields": fields_of(node, inner)}
    if kind == "array":
        return _array(node, context)
    raise ValueError(f"{context.kind}: 字段 {'.'.join(context.path)} 的类型 {kind!r} 无法生成表单")


def _string(node: Mapping[str, Any]) -> Field:
    if "enum" in node:
        return {"widget": "select", "options": [str(v) for v in node["enum"]]}
    if node.get("format") == "date":
        return dict(DATE_WIDGET)
    if is_markdown(node):
        return {"widget": "markdown", "modes": ["raw", "rich_text"]}
    field: Field = {"widget": "string"}
    if "pattern" in node:
        field["pattern"] = [str(node["pattern"]), PATTERN_LEAD + str(node.get("description", ""))]
    return field


def _number(node: Mapping[str, Any]) -> Field:
    field: Field = {
        "widget": "number",
        "value_type": "int" if node["type"] == "integer" else "float",
    }
    for schema_key, decap_key in (("minimum", "min"), ("maximum", "max"), ("multipleOf", "step")):
        if schema_key in node:
            field[decap_key] = node[schema_key]
    return field


def _array(node: Mapping[str, Any], context: Context) -> Field:
    items = resolve_refs(context.root, node.get("items", {}))
    field: Field = {}
    if items.get("type") == "string" and "enum" in items:
        field = {"widget": "select", "multiple": True, "options": [str(v) for v in items["enum"]]}
    else:
        field = {"widget": "list"}
        inner = context.at((*context.path, "*"), True)
        if items.get("type") == "object":
            field["fields"] = fields_of(items, inner)
            field["collapsed"] = True
            summary = _summary(items)
            if summary:
                field["summary"] = summary
        else:
            field["field"] = field_for("item", items, inner, True)
    if "minItems" in node:
        field["min"] = node["minItems"]
    if "maxItems" in node:
        field["max"] = node["maxItems"]
    return field


def _summary(items: Mapping[str, Any]) -> str | None:
    """A list item's one-line summary: its first two text fields."""
    names = [
        name
        for name, prop in items.get("properties", {}).items()
        if prop.get("type") == "string" or "$ref" in prop
    ][:2]
    return " · ".join(f"{{{{fields.{name}}}}}" for name in names) or None


def _relation_link(kind: Kind, path: Path) -> Link | None:
    for link in RECORD_TYPES[kind].links:
        if link.target in RELATION_TARGETS and link.path in (path, (*path, "*")):
            return link
    return None


def _relation(link: Link, node: Mapping[str, Any], context: Context) -> Field:
    target = RECORD_TYPES[link.target]
    assert target.id_field, f"{target.kind} 没有标识字段，不能作为关联目标"
    search = [name for name in ("name", target.id_field)]
    field: Field = {
        "widget": "relation",
        "collection": collection_name(target.kind),
        "value_field": target.id_field,
        "search_fields": search,
        "display_fields": search,
    }
    if node.get("type") == "array":
        field["multiple"] = True
        if "minItems" in node:
            field["min"] = node["minItems"]
    return field


def _attachment(node: Mapping[str, Any], max_file_size: int) -> Field:
    """A PDF uploaded into the agency's files/; Decap checks the name (the pattern) and the
    size (the media library's max_file_size), not the content. One file per item: Decap's file
    widget stores one path by default (its ``allow_multiple`` would break Sveltia's config)."""
    pattern = str(node.get("pattern", "^.+$"))
    library: Field = {"choose_url": False}
    if max_file_size:
        library["config"] = {"max_file_size": max_file_size}
    return {
        "widget": "file",
        "media_library": library,
        "pattern": [
            pattern.replace("^", "^" + PDF_LOOKAHEAD, 1),
            f"{PATTERN_LEAD}{PDF_HINT}；{node.get('description', '')}",
        ],
    }
