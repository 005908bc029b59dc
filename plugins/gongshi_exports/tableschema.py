"""Table Schema descriptors (Frictionless specs v1) for the exported tables.

Titles and descriptions are written for people reading the data (columns.py, tables.py);
``enum`` and ``pattern`` constraints are read from the record schemas in ``schemas/`` (and the
portal's ``cert_no_pattern``), so the published schema accepts exactly what validation accepts.

A CSV text cell may carry the leading ``'`` that keeps a spreadsheet from running it as a
formula (serialize.py). So in a CSV resource's schema an ``enum`` lists its values as written,
and a ``pattern`` that admits a value starting with one of those characters (the schemas'
``[A-Za-z0-9-]+``) also admits the ``'`` before it: ``'?(?:…)``. JSON resources keep the
constraints as they are.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from gongshi_records.schema import field_schema, resolve_refs, schema_for
from gongshi_records.spreadsheet import PREFIX, neutralise

from .columns import JOIN, Column, Table

# Booleans are written as these words in CSV; JSON carries true / false.
TRUE_VALUES = ["true"]
FALSE_VALUES = ["false"]


def table_schema(
    table: Table, portal: Mapping[str, Any], resource_suffix: str = "", csv: bool = False
) -> dict[str, Any]:
    """The Table Schema of ``table``; foreign keys point at ``<name><resource_suffix>``.
    ``csv``: the CSV resource's, whose text cells may carry the formula-guarding ``'``."""
    schema: dict[str, Any] = {
        "fields": [field_descriptor(column, portal, csv) for column in table.columns],
        "missingValues": [""],
        "primaryKey": list(table.primary_key)
        if len(table.primary_key) > 1
        else table.primary_key[0],
    }
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {
                "fields": _one_or_list(key.fields),
                "reference": {
                    "resource": key.resource + resource_suffix,
                    "fields": _one_or_list(key.reference),
                },
            }
            for key in table.foreign_keys
        ]
    return schema


def _one_or_list(names: tuple[str, ...]) -> str | list[str]:
    return names[0] if len(names) == 1 else list(names)


def field_descriptor(
    column: Column, portal: Mapping[str, Any], csv: bool = False
) -> dict[str, Any]:
    field: dict[str, Any] = {
        "name": column.name,
        "title": column.title,
        "description": column.description,
        "type": column.type,
    }
    if column.format:
        field["format"] = column.format
    if column.type == "boolean":
        field["trueValues"], field["falseValues"] = TRUE_VALUES, FALSE_VALUES
    constraints = _constraints(column, portal)
    if csv and column.type == "string":
        constraints = _as_written(constraints)
    if constraints:
        field["constraints"] = constraints
    return field


def _constraints(column: Column, portal: Mapping[str, Any]) -> dict[str, Any]:
    source = source_schema(column.source) if column.source else {}
    constraints: dict[str, Any] = {}
    if column.required:
        constraints["required"] = True
    if column.unique:
        constraints["unique"] = True
    if column.type == "number":
        constraints["minimum"] = 0
    enum = list(column.enum) if column.enum else source.get("enum")
    if column.type == "string" and isinstance(enum, list) and not column.joined:
        constraints["enum"] = list(enum)
    pattern = _pattern(column, source, portal)
    if pattern:
        constraints["pattern"] = pattern
    return constraints


def _pattern(column: Column, source: Mapping[str, Any], portal: Mapping[str, Any]) -> str | None:
    override = portal.get(column.portal_pattern) if column.portal_pattern else None
    if isinstance(override, str) and override:
        return unanchored(override)
    if column.pattern:
        return column.pattern
    items = source.get("items")
    if column.joined and isinstance(items, Mapping) and isinstance(items.get("enum"), list):
        choice = "(" + "|".join(re.escape(str(v)) for v in items["enum"]) + ")"
        return f"{choice}({JOIN}{choice})*"
    pattern = source.get("pattern")
    return unanchored(pattern) if isinstance(pattern, str) and column.type == "string" else None


def _as_written(constraints: dict[str, Any]) -> dict[str, Any]:
    """Constraints of a CSV text column, whose values carry the formula-guarding ``'``."""
    written = dict(constraints)
    if "enum" in written:
        written["enum"] = [neutralise(str(value)) for value in written["enum"]]
    if "pattern" in written:
        # Any text column's cell may carry the quote: its pattern admits it, whatever it is
        # (simpler and surer than reasoning about which patterns could start like a formula).
        written["pattern"] = _prefixable(written["pattern"])
    return written


def _prefixable(pattern: str) -> str:
    wrapped = f"{PREFIX}?(?:{pattern})"
    try:
        re.compile(wrapped)
    except re.error:  # a leading global flag such as (?i) cannot move inside a group
        return pattern
    return wrapped


def unanchored(pattern: str) -> str:
    """Table Schema patterns match the whole value (XML Schema style): drop JSON Schema's
    ``^…$`` anchors, which XML Schema would read as literal characters."""
    return pattern.removeprefix("^").removesuffix("$")


def source_schema(source: tuple[str | int, ...]) -> Mapping[str, Any]:
    """The record schema of field ``path`` in records of type ``kind``, $refs resolved (its
    list items too, whose enum or pattern a joined column carries)."""
    kind, *path = source
    root = schema_for(str(kind))
    node = field_schema(root, tuple(path))
    items = node.get("items")
    if isinstance(items, Mapping):
        node = {**node, "items": resolve_refs(root, items)}
    return node
