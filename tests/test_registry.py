"""The registry of record types is complete and agrees with itself: every type has its schema,
template, examples and clerk-guide section, and its layout parses the paths it builds."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

import pytest
from gongshi_records.paths import SCHEMA_DIR, THEME_DIR
from gongshi_records.registry import RECORD_TYPES, Kind, RecordType, place_of
from gongshi_records.schema import field_schema, schema_for
from hypothesis import given, settings
from hypothesis import strategies as st
from support import ROOT

EXAMPLES = ROOT / "tests/examples"
TYPES = list(RECORD_TYPES.values())


def ids(record_type: RecordType) -> str:
    return record_type.name


def test_the_registry_and_the_schemas_name_the_same_types() -> None:
    assert {p.name.removesuffix(".schema.json") for p in SCHEMA_DIR.glob("*.schema.json")} == {
        kind.value for kind in Kind
    }
    assert set(RECORD_TYPES) == set(Kind)


@pytest.mark.parametrize("record_type", TYPES, ids=ids)
def test_every_type_has_schema_template_and_examples(record_type: RecordType) -> None:
    assert record_type.schema_file.is_file()
    if record_type.page is not None:
        assert record_type.template, f"{record_type.name} has a page but no template"
        assert (THEME_DIR / "templates" / f"{record_type.template}.html").is_file()
    assert sorted((EXAMPLES / record_type.name / "valid").glob("*.yaml"))
    assert sorted((EXAMPLES / record_type.name / "invalid").glob("*.yaml"))


@pytest.mark.parametrize("record_type", TYPES, ids=ids)
def test_every_type_has_a_section_in_the_clerk_guide(record_type: RecordType) -> None:
    guide = (ROOT / "docs/clerk-guide.md").read_text("utf-8")
    heading = f"### {record_type.label}（{record_type.name}）"
    assert re.search(rf"^{re.escape(heading)}$", guide, re.MULTILINE), heading


@pytest.mark.parametrize("record_type", TYPES, ids=ids)
def test_a_built_path_parses_back_to_its_place(record_type: RecordType) -> None:
    ident = "2025" if "\\d{4}" in record_type.id_pattern else "a1-b2"
    path = record_type.path_for(agency="demo-bureau", id=ident, year="2025")
    place = place_of(path)
    assert place is not None and place.kind == record_type.kind
    assert place.stem == PurePosixPath(path).stem
    if record_type.needs("agency"):
        assert place.agency == "demo-bureau"
    if record_type.needs("id"):
        assert place.id == ident and place.stem == ident
    if record_type.needs("year"):
        assert place.folder_year == "2025"


@pytest.mark.parametrize("bad", ["../x", "a/b", "A B", "", "x\ny", ".hidden"])
def test_a_path_is_never_built_from_a_bad_part(bad: str) -> None:
    decision = RECORD_TYPES[Kind.DECISION]
    with pytest.raises(ValueError):
        decision.path_for(agency=bad, id="2025-001", year="2025")
    with pytest.raises(ValueError):
        decision.path_for(agency="demo-bureau", id=bad, year="2025")


@pytest.mark.parametrize("record_type", [t for t in TYPES if t.links or t.id_field], ids=ids)
def test_links_and_id_fields_name_fields_of_the_schemas(record_type: RecordType) -> None:
    schema = schema_for(record_type.name)
    if record_type.id_field:
        assert field_schema(schema, (record_type.id_field,)), record_type.id_field
    for link in record_type.links:
        where = tuple(0 if part == "*" else part for part in link.path)
        assert field_schema(schema, where), link.path
        if link.by:
            assert field_schema(schema_for(link.target.value), (link.by,)), link.by


_LAYOUT_WORDS = sorted({part for t in TYPES for part in t.layout.split("/") if "{" not in part})
_SEGMENTS = st.sampled_from(_LAYOUT_WORDS) | st.sampled_from(
    ["qingxi-scjgj", "2024", "2024-003.yaml", "A1.yaml", "x.yml", "", ".yaml", "a/b", "files"]
)
_FILLS = st.sampled_from(["qingxi-scjgj", "2024", "A1", "x_y", "", "a/b", "Q"])


@st.composite
def _paths(draw: st.DrawFn) -> str:
    """A type's layout filled in, with a part sometimes swapped for another; or any parts."""
    if draw(st.booleans()):
        return "/".join(draw(st.lists(_SEGMENTS, min_size=1, max_size=6)))
    layout = draw(st.sampled_from(TYPES)).layout
    for slot in ("agency", "year", "id"):
        layout = layout.replace(f"{{{slot}}}", draw(_FILLS))
    parts = layout.split("/")
    if draw(st.booleans()):
        parts[draw(st.integers(0, len(parts) - 1))] = draw(_SEGMENTS)
    return "/".join(parts)


@settings(max_examples=400, deadline=None)
@given(_paths())
def test_place_of_agrees_with_every_layouts_own_parse(relative: str) -> None:
    """place_of rules types out by their fixed folders before matching: never one that would
    have matched."""
    expected = next((p for t in TYPES if (p := t.parse(relative)) is not None), None)
    assert place_of(relative) == expected
