"""The schemas themselves: valid draft 2020-12, one per record type, documented in Chinese."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from gongshi_records.registry import RECORD_TYPES
from gongshi_records.schema import SCHEMA_DIR
from jsonschema import Draft202012Validator

_CJK = re.compile(r"[\u4e00-\u9fff]")


def load(kind: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text("utf-8"))
    return data


def properties(schema: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every property schema at any depth, with a readable location."""
    if isinstance(schema, dict):
        for name, prop in schema.get("properties", {}).items():
            yield f"{where}.{name}", prop
        for key, value in schema.items():
            if key != "properties" or not isinstance(value, dict):
                yield from properties(value, f"{where}/{key}")
            else:
                for name, prop in value.items():
                    yield from properties(prop, f"{where}.{name}")
    elif isinstance(schema, list):
        for i, item in enumerate(schema):
            yield from properties(item, f"{where}[{i}]")


def test_one_schema_per_record_type() -> None:
    assert sorted(p.name for p in SCHEMA_DIR.glob("*.schema.json")) == sorted(
        f"{kind}.schema.json" for kind in RECORD_TYPES
    )


@pytest.mark.parametrize("kind", RECORD_TYPES)
def test_schema_is_valid_draft_2020_12(kind: str) -> None:
    schema = load(kind)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("kind", RECORD_TYPES)
def test_every_field_has_chinese_title_and_description(kind: str) -> None:
    schema = load(kind)
    assert _CJK.search(schema["title"]) and _CJK.search(schema["description"])
    missing = [
        where
        for where, prop in properties(schema)
        # Properties inside `if` are conditions on fields documented where they are defined.
        if "/if" not in where
        and not (_CJK.search(prop.get("title", "")) and _CJK.search(prop.get("description", "")))
    ]
    assert not missing, f"{kind}: fields without a Chinese title/description: {missing}"


@pytest.mark.parametrize("kind", RECORD_TYPES)
def test_every_object_refuses_unknown_fields(kind: str) -> None:
    def objects(node: Any, where: str) -> Iterator[str]:
        if isinstance(node, dict):
            # A mapping whose keys are restricted (propertyNames: zero_enforcement's categories)
            # refuses unknown keys too.
            closed = node.get("additionalProperties") is False or "propertyNames" in node
            if node.get("type") == "object" and not closed:
                yield where
            for key, value in node.items():
                yield from objects(value, f"{where}/{key}")
        elif isinstance(node, list):
            for i, item in enumerate(node):
                yield from objects(item, f"{where}[{i}]")

    assert list(objects(load(kind), "")) == []


def test_records_doc_names_every_type() -> None:
    doc = (Path(__file__).parents[1] / "docs/records.md").read_text("utf-8")
    for kind in RECORD_TYPES:
        assert f"`{kind}`" in doc, kind
