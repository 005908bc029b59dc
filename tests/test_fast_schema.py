"""The compiled validator (fastschema.py) passes a record exactly when jsonschema finds no error
in it: on every example, every record of content/ and of the fixtures, and on each of them with
one value swapped for a value of another shape (the mistakes clerks make: a number for text, an
empty value, a bool, an impossible date…)."""

from __future__ import annotations

import copy
import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from gongshi_records.fastschema import (
    FORMATTED_PATH,
    UnsupportedSchema,
    compile_schema,
    compiled_or_none,
    generator_of,
    passes,
    rewritten,
)
from gongshi_records.model import walk
from gongshi_records.registry import Kind, place_of
from gongshi_records.schema import (
    FAST_FORMATS,
    fast_validator_for,
    schema_findings,
    schema_for,
    validator_for,
)
from gongshi_records.vocabulary import upgrade
from gongshi_records.yamlload import YamlProblem, load_path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "tests" / "examples"


def records() -> Iterator[tuple[str, Path]]:
    """(kind, file) of every example and of every record under content/ and the fixtures."""
    for path in sorted(EXAMPLES.glob("*/*/*.yaml")):
        yield path.parts[-3], path
    for folder in (ROOT / "content", *sorted((ROOT / "tests" / "fixtures").iterdir())):
        for path in sorted(folder.rglob("*.yaml")):
            place = place_of(path.relative_to(folder).as_posix())
            if place is not None:
                yield place.kind, path


def data_of(path: Path) -> Any:
    try:
        loaded = load_path(path)
    except YamlProblem:
        return None
    return upgrade(loaded.data) if isinstance(loaded.data, dict) else None


CASES = [(kind, path, data) for kind, path in records() if (data := data_of(path)) is not None]


def agree(kind: str, data: Any) -> None:
    slow_valid = not any(True for _ in validator_for(kind).iter_errors(data))
    fast_valid = passes(fast_validator_for(kind), data)
    assert fast_valid == slow_valid, (kind, data)


def test_every_type_is_compiled() -> None:
    # A schema that falls back to jsonschema is correct but slow: say so here if one ever does.
    assert all(fast_validator_for(kind) is not None for kind in Kind)


# Where fastjsonschema's generated code may format a path: a message raised, or the path a
# check passes to another (compile_schema drops the formatting; nothing else may depend on it).
_MESSAGE_OR_PATH = re.compile(
    r"\s*(raise JsonSchemaValueException\(|validate_\w+\(data\w*, custom_formats, )"
)


@pytest.mark.parametrize("kind", list(Kind))
def test_paths_are_formatted_only_for_messages(kind: Kind) -> None:
    generator, _name = generator_of(schema_for(kind), FAST_FORMATS)
    lines = [line for line in generator.func_code.splitlines() if FORMATTED_PATH in line]
    assert all(_MESSAGE_OR_PATH.match(line) for line in lines), lines


def test_the_cases_hold_valid_and_invalid_records() -> None:
    verdicts = {passes(fast_validator_for(kind), data) for kind, _path, data in CASES}
    assert verdicts == {True, False}
    assert len(CASES) > 150


@pytest.mark.parametrize(
    ("kind", "path", "data"), CASES, ids=[str(c[1].relative_to(ROOT)) for c in CASES]
)
def test_fast_valid_exactly_when_jsonschema_finds_nothing(kind: str, path: Path, data: Any) -> None:
    agree(kind, data)


# Values a clerk (or a spreadsheet) puts where another belongs.
ODD_VALUES: tuple[Any, ...] = (
    True,
    False,
    0,
    1,
    -1,
    1.0,
    1.005,
    1860.37,
    0.3,
    99999999999.99,
    None,
    "",
    " ",
    "x",
    "abc\n",
    "2024-02-30",
    "2024-2-3",
    "20240101",
    "2025-06-01",
    "9999-12-31",
    "a@b.c",
    "(a",
    "https://example.org/x",
    "行政处罚",
    [],
    ["x", "x"],
    [1, 1.0],
    {},
    {"x": 1},
)


def mutations(data: Any, rng: random.Random) -> Iterator[Any]:
    """``data`` with one value (or one key's value) replaced by an odd one, a field dropped, or
    a list item repeated."""
    places = [where for where, _value in walk(data) if where]
    for where in rng.sample(places, min(len(places), 12)):
        for value in rng.sample(ODD_VALUES, 2):
            yield _replaced(data, where, value)
        if isinstance(where[-1], str):
            yield _replaced(data, where, _DROP)
        else:
            yield _replaced(data, where, _REPEAT)


_DROP, _REPEAT = object(), object()


def _replaced(data: Any, where: tuple[str | int, ...], value: Any) -> Any:
    out = copy.deepcopy(data)
    node = out
    for step in where[:-1]:
        node = node[step]
    if value is _DROP:
        del node[where[-1]]
    elif value is _REPEAT:
        node.insert(where[-1], copy.deepcopy(node[where[-1]]))
    else:
        node[where[-1]] = copy.deepcopy(value)
    return out


def test_fast_and_jsonschema_agree_on_mutated_records() -> None:
    rng = random.Random(13)
    checked = disagreed = 0
    # One valid record of each type at least, and every valid example: thousands of variants.
    valid = [(kind, data) for kind, _path, data in CASES if passes(fast_validator_for(kind), data)]
    assert {kind for kind, _ in valid} == set(Kind)
    for kind, data in valid:
        for variant in mutations(data, rng):
            slow_valid = not any(True for _ in validator_for(kind).iter_errors(variant))
            checked += 1
            disagreed += passes(fast_validator_for(kind), variant) != slow_valid
            assert not (passes(fast_validator_for(kind), variant) and not slow_valid), variant
    # Fast may only ever be stricter (then jsonschema decides, and finds nothing): it is not.
    assert disagreed == 0
    assert checked > 1000


def test_a_ref_with_siblings_keeps_them() -> None:
    # Draft-07 ignores a $ref's siblings; 2020-12 applies them.
    schema = {
        "$defs": {"amount": {"type": "number"}},
        "properties": {"fine": {"$ref": "#/$defs/amount", "maximum": 10, "title": "罚款"}},
    }
    fine = rewritten(schema)["properties"]["fine"]
    assert fine == {"allOf": [{"$ref": "#/$defs/amount"}], "maximum": 10, "title": "罚款"}
    check = compile_schema(schema, FAST_FORMATS)
    assert passes(check, {"fine": 5})
    assert not passes(check, {"fine": 11})
    assert not passes(check, {"fine": "5"})


def test_pattern_is_searched_as_jsonschema_does() -> None:
    # fastjsonschema turns `$` into `\Z`; jsonschema (re.search) lets "ab\n" match `^ab$`.
    check = compile_schema({"pattern": "^ab$"}, FAST_FORMATS)
    assert passes(check, "ab\n")
    assert not passes(check, "abc")


def test_only_the_formats_schema_py_checks() -> None:
    # `uri` has no checker in schema.py's FormatChecker: not checked here either.
    assert passes(compile_schema({"format": "uri"}, FAST_FORMATS), "not a uri")
    date = compile_schema({"format": "date"}, FAST_FORMATS)
    assert passes(date, "2024-02-29")
    assert not passes(date, "2024-02-30")
    assert not passes(date, "20240101")


def test_amounts_are_decimal_multiples() -> None:
    check = compile_schema({"multipleOf": 0.01}, FAST_FORMATS)
    assert passes(check, 1860.37)
    assert passes(check, 0.3)
    assert not passes(check, 1.005)


def test_an_unsupported_keyword_is_left_to_jsonschema() -> None:
    schema = {"type": "object", "dependentRequired": {"a": ["b"]}}
    with pytest.raises(UnsupportedSchema):
        rewritten(schema)
    assert compiled_or_none(schema, FAST_FORMATS) is None
    assert not passes(None, {"a": 1})


def test_a_reference_outside_the_schemas_is_never_fetched() -> None:
    schema = {"$ref": "https://example.org/other.json"}
    assert compiled_or_none(schema, FAST_FORMATS) is None


def test_a_type_that_cannot_be_compiled_is_still_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    # The fallback: no compiled check, and jsonschema still finds the error.
    import gongshi_records.schema as schema_module

    monkeypatch.setattr(schema_module, "fast_validator_for", lambda kind: None)
    data = {"name": 1}
    found = schema_findings(Kind.PORTAL, data, {}, "content/portal.yaml")
    assert any(f.rule == "name" for f in found)


def test_fast_never_writes_defaults() -> None:
    for kind, _path, data in CASES:
        before = copy.deepcopy(data)
        passes(fast_validator_for(kind), data)
        assert data == before
