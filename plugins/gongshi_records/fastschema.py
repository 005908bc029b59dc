"""A compiled validator (fastjsonschema) that answers one question fast: does a record pass its
schema? Most records do; only those that fail go through `jsonschema` (schema.py), which finds
every error and says it in Chinese. So the compiled validator must never pass a record that
`jsonschema` fails: where fastjsonschema reads a schema differently, the schema given to it is
rewritten or the keyword is generated here the way schema.py checks it:

- a `$ref` with sibling keywords: draft-07 (fastjsonschema) ignores the siblings, 2020-12 applies
  them, so the ref is moved into an `allOf` beside them;
- `pattern`: fastjsonschema turns `$` into `\\Z`; here the pattern is searched as written, with
  Python's `re` as `jsonschema` does;
- `format`: only the checkers schema.py registers (date, email, regex), the same functions;
  any other format (`uri`) is not checked, as in schema.py;
- `multipleOf`: the decimal rule of schema.py, not a float division.

A schema using a keyword outside KEYWORDS is not compiled: its records always go through
`jsonschema` (``compiled`` returns None).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import cache
from typing import Any

from fastjsonschema.draft07 import CodeGeneratorDraft07
from fastjsonschema.ref_resolver import RefResolver

from .paths import SCHEMA_DIR

# Keywords whose meaning is the same in draft-07 (what fastjsonschema implements) and 2020-12
# (what the schemas are written in), for the kinds of values the loader produces.
KEYWORDS = frozenset(
    {
        "type",
        "enum",
        "const",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "if",
        "then",
        "else",
        "minLength",
        "maxLength",
        "pattern",
        "format",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minItems",
        "maxItems",
        "uniqueItems",
        "items",
        "minProperties",
        "maxProperties",
        "required",
        "properties",
        "patternProperties",
        "additionalProperties",
        "propertyNames",
        "$ref",
    }
)
# Words that only describe: ignored by both validators.
ANNOTATIONS = frozenset(
    {"$schema", "$id", "$comment", "$defs", "title", "description", "default", "examples"}
)
# Keywords whose value is a schema, or a mapping or list of schemas.
_ONE = ("not", "if", "then", "else", "items", "additionalProperties", "propertyNames")
_MANY = ("allOf", "anyOf", "oneOf")
_NAMED = ("properties", "patternProperties", "$defs")

_BASE = "https://gongshi.invalid/schemas/"


def is_multiple(instance: object, step: float) -> bool:
    """schema.py's `multipleOf`: amounts are decimal (1860.37 is a multiple of 0.01)."""
    is_number = isinstance(instance, int | float) and not isinstance(instance, bool)
    return not is_number or Decimal(str(instance)) % Decimal(str(step)) == 0


class UnsupportedSchema(ValueError):
    """A schema using a keyword the compiled validator does not read as 2020-12 does."""


def rewritten(node: Any) -> Any:
    """``node`` as fastjsonschema must be given it (see the module's docstring); raises
    UnsupportedSchema for a keyword outside KEYWORDS."""
    if isinstance(node, bool):
        return node
    if not isinstance(node, Mapping):
        raise UnsupportedSchema(f"schema is not an object: {node!r}")
    out: dict[str, Any] = {}
    for key, value in node.items():
        if (key in ANNOTATIONS and key != "$defs") or key.startswith("x-"):
            out[key] = value
        elif key in _NAMED:
            out[key] = {name: rewritten(sub) for name, sub in value.items()}
        elif key in _MANY:
            out[key] = [rewritten(sub) for sub in value]
        elif key in _ONE:
            if not isinstance(value, Mapping | bool):
                raise UnsupportedSchema(f"{key} must be one schema")
            out[key] = rewritten(value)
        elif key in KEYWORDS:
            out[key] = value
        else:
            raise UnsupportedSchema(f"keyword {key}")
    if "$ref" in out and set(out) - ANNOTATIONS - {"$ref"}:
        out["allOf"] = [{"$ref": out.pop("$ref")}, *out.get("allOf", [])]
    return out


class _Generator(CodeGeneratorDraft07):
    """fastjsonschema's draft-07 generator with the keywords above generated as schema.py
    checks them."""

    def _keyword(self, name: str) -> Any:
        definition: Any = self._definition
        return definition[name]

    def _fail(self, message: str, *args: object, rule: str) -> None:
        self.exc(message, *args, rule=rule)  # type: ignore[no-untyped-call]

    def generate_pattern(self) -> None:
        pattern = self._keyword("pattern")
        self._compile_regexps[pattern] = _regex(pattern)
        with (
            self.l("if isinstance({variable}, str):"),
            self.l("if not REGEX_PATTERNS[{}].search({variable}):", repr(pattern)),
        ):
            self._fail("{name} must match pattern", rule="pattern")

    def generate_format(self) -> None:
        format_ = self._keyword("format")
        if format_ not in self._custom_formats:
            return  # schema.py's FormatChecker checks no other format
        with (
            self.l("if isinstance({variable}, str):"),
            self.l('if not custom_formats["{}"]({variable}):', format_),
        ):
            self._fail("{name} must be {}", format_, rule="format")

    def generate_multiple_of(self) -> None:
        step = self._keyword("multipleOf")
        with self.l("if not is_multiple({variable}, {}):", repr(step)):
            self._fail("{name} must be multiple of {multipleOf}", rule="multipleOf")

    @property
    def global_state(self) -> dict[str, Any]:
        state: dict[str, Any] = super().global_state
        state["is_multiple"] = is_multiple
        return state


@cache
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


@cache
def _file(name: str) -> Mapping[str, Any]:
    with (SCHEMA_DIR / name).open(encoding="utf-8") as handle:
        loaded: Mapping[str, Any] = json.load(handle)
    return loaded


def _local(uri: str) -> Any:
    """A schema a `$ref` names: only the files beside the schemas, never fetched."""
    name = uri.split("#", 1)[0].removeprefix(_BASE)
    if not uri.startswith(_BASE) or "/" in name or not (SCHEMA_DIR / name).is_file():
        raise UnsupportedSchema(f"reference outside the schemas folder: {uri}")
    return rewritten(_file(name))


Validate = Callable[[Any], Any]
FORMATTED_PATH = ".format(**locals())"


def generator_of(
    schema: Mapping[str, Any], formats: Mapping[str, Callable[[str], bool]]
) -> tuple[_Generator, str]:
    """The code generator of ``schema``'s compiled check (its ``func_code``), and the name of
    the function that code defines for the schema itself."""
    definition = rewritten(schema)
    handlers = {"https": _local, "http": _local}
    resolver = RefResolver.from_schema(definition, handlers=handlers, store={})
    generator = _Generator(  # type: ignore[no-untyped-call]
        definition,
        resolver=resolver,
        formats=dict(formats),
        use_default=False,  # never write a default into the record
    )
    return generator, resolver.get_scope_name()


def compile_schema(
    schema: Mapping[str, Any], formats: Mapping[str, Callable[[str], bool]]
) -> Validate:
    """The compiled check of ``schema`` (raises on the first error); raises UnsupportedSchema
    when it cannot be compiled faithfully."""
    generator, name = generator_of(schema, formats)
    state = generator.global_state
    # Code generated from our own schema files only. Its every ``.format(**locals())`` formats
    # the path of an error message: in a message raised, or the path a check passes to another
    # for each item of a list (an officer's certificate number), formatted before every call,
    # half a decision's schema time. The messages are never read (a record that fails goes to
    # jsonschema), so the paths stay unformatted (tests/test_fast_schema.py checks that the
    # generated code uses the call nowhere else).
    exec(generator.func_code.replace(FORMATTED_PATH, ""), state)
    check = state[name]
    bound = dict(formats)

    def validate(data: Any) -> Any:
        return check(data, custom_formats=bound)

    return validate


def passes(validate: Validate | None, data: Any) -> bool:
    """True when the compiled check accepts ``data``; False when it fails or cannot tell (no
    compiled check, or it raised anything at all): then jsonschema decides."""
    if validate is None:
        return False
    try:
        validate(data)
    except Exception:  # anything but a clean pass sends the record to jsonschema
        return False
    return True


def compiled_or_none(
    schema: Mapping[str, Any], formats: Mapping[str, Callable[[str], bool]]
) -> Validate | None:
    try:
        return compile_schema(schema, formats)
    except Exception:  # UnsupportedSchema, or fastjsonschema could not build it
        return None
