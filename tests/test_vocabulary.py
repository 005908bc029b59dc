"""One vocabulary: every schema, sheet, web form and open-data table takes the decision
categories and penalty kinds from schemas/vocabulary.json, and renamed values keep validating."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import write
from gongshi_admin import read_settings, render_config
from gongshi_clerk.columns import layout_for
from gongshi_exports.tableschema import source_schema
from gongshi_records import validate_content
from gongshi_records.paths import SCHEMA_DIR
from gongshi_records.registry import Kind
from gongshi_records.schema import field_schema, schema_for
from gongshi_records.vocabulary import CATEGORIES, PENALTY_KINDS, REPLACED_CATEGORIES, upgrade


def enums(node: Any) -> Iterator[list[Any]]:
    if isinstance(node, dict):
        if isinstance(node.get("enum"), list):
            yield node["enum"]
        for value in node.values():
            yield from enums(value)
    elif isinstance(node, list):
        for item in node:
            yield from enums(item)


@pytest.mark.parametrize("path", sorted(SCHEMA_DIR.glob("*.schema.json")), ids=lambda p: p.name)
def test_no_schema_repeats_a_shared_list(path: Path) -> None:
    """A schema that lists categories or penalty kinds itself would drift from the others."""
    for values in enums(json.loads(path.read_text("utf-8"))):
        shared = set(values) & (set(CATEGORIES) | set(PENALTY_KINDS))
        assert len(shared) < 3, f"{path.name} repeats {values}: use vocabulary.json"


def test_shared_definitions_hold_no_refs() -> None:
    # resolve_refs follows a ref into vocabulary.json only one level deep.
    defs = json.loads((SCHEMA_DIR / "vocabulary.json").read_text("utf-8"))["$defs"]
    assert "$ref" not in json.dumps(defs)


@pytest.mark.parametrize(
    ("kind", "path"),
    [
        (Kind.DECISION, ("category",)),
        (Kind.POWER, ("category",)),
        (Kind.REVIEW_CATALOG, ("items", 0, "category")),
        (Kind.AV_LIST, ("items", 0, "category")),
    ],
)
def test_every_category_field_is_the_one_list(kind: Kind, path: tuple[str | int, ...]) -> None:
    field = field_schema(schema_for(kind), path)
    assert tuple(field["enum"]) == CATEGORIES
    assert field["title"]  # the field keeps its own title over the shared one


def test_sheets_forms_and_open_data_offer_the_same_values() -> None:
    column = next(c for c in layout_for(Kind.DECISION).columns if c.path == ("category",))
    assert column.options == CATEGORIES
    kinds = next(c for c in layout_for(Kind.DECISION).columns if c.name == "penalty.kinds")
    assert kinds.options == PENALTY_KINDS
    assert tuple(source_schema(("decision", "category"))["enum"]) == CATEGORIES
    config = yaml.safe_load(render_config("demo-bureau", read_settings(None)))
    options = [
        field["options"]
        for collection in config["collections"]
        for field in collection.get("fields", [])
        if collection["name"] in ("decisions", "powers") and field.get("name") == "category"
    ]
    assert options and all(tuple(o) == CATEGORIES for o in options)


def test_upgrade_replaces_only_category_values() -> None:
    data = {"category": "行政征收", "name": "行政征收", "items": [{"category": "其他行政权力"}]}
    assert upgrade(data) == {
        "category": "行政征收征用",
        "name": "行政征收",
        "items": [{"category": "其他"}],
    }
    assert set(REPLACED_CATEGORIES) == {"行政征收", "其他行政权力"}


def test_old_power_list_validates_with_a_warning_and_reads_the_new_value(mini: Path) -> None:
    write(
        mini / "agencies/demo-bureau/powers/ZS-001.yaml",
        """\
code: ZS-001
name: 对违法占用耕地的征收
category: 行政征收
basis:
  - law: 《中华人民共和国土地管理法》
handling_unit: 法规科
""",
    )
    result = validate_content(mini)
    found = [(f.severity, f.line, f.rule) for f in result.findings]
    assert found == [("warning", 3, "vocabulary.renamed")]
    assert "行政征收征用" in result.findings[0].message
    power = next(r for r in result.corpus.of(Kind.POWER) if r.key.endswith("ZS-001"))
    assert power.get("category") == "行政征收征用"
