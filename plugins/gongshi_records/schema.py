"""JSON Schema validation of one record, with every error turned into a Chinese finding."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker, validators
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource

from .fastschema import Validate, compiled_or_none, is_multiple, passes
from .findings import Finding, error
from .paths import SCHEMA_DIR
from .patterns import MAX_PATTERN, compile_error
from .yamlload import JsonPath, Mark, mark_at

_FORMATS = FormatChecker(formats=())


@_FORMATS.checks("date", raises=ValueError)
def _is_date(value: object) -> bool:
    # Stricter than Python's fromisoformat, which also takes 20240101 and week dates.
    if not isinstance(value, str):
        return True
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return False
    dt.date.fromisoformat(value)
    return True


@_FORMATS.checks("email")
def _is_email(value: object) -> bool:
    return not isinstance(value, str) or bool(re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value))


@_FORMATS.checks("regex")
def _is_regex(value: object) -> bool:
    # Never raises (2,000 nested groups exhaust the parser); a pattern too long to be safe is
    # setting.pattern's finding (patterns.py) and is not compiled here.
    return not isinstance(value, str) or len(value) > MAX_PATTERN or compile_error(value) is None


def _multiple_of(
    validator: Any, step: float, instance: object, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    # jsonschema divides floats, so 1860.37 is "not a multiple of 0.01"; amounts are decimal.
    if not is_multiple(instance, step):
        yield ValidationError(f"{instance} is not a multiple of {step}")


def _passes(check: Callable[[object], bool]) -> Callable[[str], bool]:
    """A format checker as the compiled validator calls it: False where FormatChecker would
    report the value (the checker returns False or raises the ValueError it declares)."""

    def passes(value: str) -> bool:
        try:
            return bool(check(value))
        except ValueError:
            return False

    return passes


# The same checkers, for the compiled validator (fastschema.py).
FAST_FORMATS: Mapping[str, Callable[[str], bool]] = {
    "date": _passes(_is_date),
    "email": _passes(_is_email),
    "regex": _passes(_is_regex),
}


_Validator = validators.extend(  # type: ignore[no-untyped-call]
    Draft202012Validator, {"multipleOf": _multiple_of}
)


@cache
def schema_for(kind: str) -> Mapping[str, Any]:
    return _schema_file(f"{kind}.schema.json")


@cache
def _schema_file(name: str) -> Mapping[str, Any]:
    with (SCHEMA_DIR / name).open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


@cache
def _registry() -> Registry[Any]:
    """Every schema file by its $id, so a record schema's "vocabulary.json#/…" resolves to the
    shared vocabulary shipped beside it (never fetched from anywhere)."""
    resources = [
        Resource.from_contents(_schema_file(path.name))
        for path in sorted(SCHEMA_DIR.glob("*.json"))
    ]
    return Registry().with_resources((str(r.contents["$id"]), r) for r in resources)


@cache
def validator_for(kind: str) -> Any:
    return _Validator(schema_for(kind), format_checker=_FORMATS, registry=_registry())


@cache
def fast_validator_for(kind: str) -> Validate | None:
    """The compiled check of a record type's schema, once per process (None: cannot be
    compiled faithfully, jsonschema checks every record of that type)."""
    return compiled_or_none(schema_for(kind), FAST_FORMATS)


def schema_findings(
    kind: str, data: Any, marks: Mapping[JsonPath, Mark], path: str
) -> list[Finding]:
    """Every schema error of one record, located in its file. The compiled validator lets the
    common valid record through at once; jsonschema finds and explains the errors."""
    if passes(fast_validator_for(kind), data):
        return []
    root = schema_for(kind)
    errors = validator_for(kind).iter_errors(data)
    return [finding for err in errors for finding in _translate(err, root, marks, path)]


def field_schema(root: Mapping[str, Any], where: JsonPath) -> Mapping[str, Any]:
    """The schema of the field at ``where`` in a record, local $refs resolved. The field's own
    keywords win over the definition it refers to, so a message uses the field's title
    (有效期起) rather than the shared definition's (日期)."""
    node: Any = resolve_refs(root, root)
    for step in where:
        key = "items" if isinstance(step, int) else None
        node = node.get(key) if key else node.get("properties", {}).get(step)
        if not isinstance(node, Mapping):
            return {}
        node = resolve_refs(root, node)
    return dict(node)


def resolve_refs(root: Mapping[str, Any], node: Mapping[str, Any]) -> Mapping[str, Any]:
    """``node`` with its ``$ref`` replaced by the definition, its own keywords kept. A ref is
    local (``#/$defs/date``) or into a file beside the schemas (``vocabulary.json#/$defs/…``,
    whose definitions hold no further refs)."""
    while isinstance(node.get("$ref"), str):
        file, _, pointer = str(node["$ref"]).partition("#")
        target: Any = _schema_file(file) if file else root
        for part in pointer.removeprefix("/").split("/"):
            target = target[part]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def spelled_out(root: Mapping[str, Any], node: Mapping[str, Any]) -> Mapping[str, Any]:
    """``node`` with a mapping whose keys come from a list (``propertyNames`` with an enum, the
    value schema in ``additionalProperties``: zero_enforcement's categories → reasons) written
    as one optional property per allowed key, titled by the key: how spreadsheets and web forms
    show it, a column or a field per category. Any other node is returned as it is."""
    names = node.get("propertyNames")
    value = node.get("additionalProperties")
    if "properties" in node or not isinstance(names, Mapping) or not isinstance(value, Mapping):
        return node
    allowed = resolve_refs(root, names).get("enum")
    if not isinstance(allowed, list):
        return node
    hint = str(value.get("description", ""))
    properties = {
        str(key): {**value, "title": str(key), "description": f"{key}：{hint}" if hint else key}
        for key in allowed
    }
    return {**node, "properties": properties}


def is_markdown(field: Mapping[str, Any]) -> bool:
    """A Markdown text field: the schemas mark them by starting the description "Markdown"."""
    return str(field.get("description", "")).startswith("Markdown")


def dotted(path: JsonPath) -> str:
    return ".".join(str(p) for p in path) or "(根)"


def _label(schema: Mapping[str, Any], name: str) -> str:
    title = schema.get("title")
    return f"「{title}」({name})" if title and title != name else f"「{name}」"


def _translate(
    err: ValidationError, root: Mapping[str, Any], marks: Mapping[JsonPath, Mark], path: str
) -> Iterator[Finding]:
    where: JsonPath = tuple(err.absolute_path)
    schema: Mapping[str, Any] = err.schema if isinstance(err.schema, Mapping) else {}
    name = str(where[-1]) if where else "记录"
    label = _label(field_schema(root, where) or schema, name)
    if err.validator == "required":
        yield from _missing(err, where, root, marks, path)
        return
    if err.validator == "additionalProperties":
        yield from _unknown(err, where, schema, marks, path)
        return
    if "propertyNames" in err.absolute_schema_path and isinstance(err.instance, str):
        yield _bad_name(err, where, root, marks, path)
        return
    if err.validator in ("if", "then", "else", "allOf", "anyOf", "oneOf") and err.context:
        for sub in err.context:
            yield from _translate(sub, root, marks, path)
        return
    mark = mark_at(marks, where)
    unfilled = err.instance in ("", None) and err.validator in _EMPTY_FAILS
    message = _unfilled(root, where, label) if unfilled else _message(err, label, schema)
    yield error(path, mark.line, mark.col, dotted(where), message)


# What an empty value (`x: ""` or `x:`, as `gongshi new` writes them) fails: one message for all.
_EMPTY_FAILS = ("type", "enum", "const", "format", "pattern", "minLength")


def _unfilled(root: Mapping[str, Any], where: JsonPath, label: str) -> str:
    """An empty field: its description says what to write; an optional one may be deleted."""
    hint = str(field_schema(root, where).get("description", "")).rstrip("。")
    parent = field_schema(root, where[:-1]) if where else {}
    optional = (
        bool(where) and isinstance(where[-1], str) and where[-1] not in parent.get("required", ())
    )
    tail = "；本项不适用时请删除这一行" if optional else ""
    return f"{label}还没有填写" + (f"：{hint}" if hint else "") + tail


def _missing(
    err: ValidationError,
    where: JsonPath,
    root: Mapping[str, Any],
    marks: Mapping[JsonPath, Mark],
    path: str,
) -> Iterator[Finding]:
    match = re.match(r"'(.+)' is a required property", err.message)
    missing = match.group(1) if match else str(err.message)
    prop = field_schema(root, (*where, missing))
    # A field required by an `if` on a sibling (major: true → review) points at that sibling's
    # key and says why; any other missing top-level field at line 1, a nested one at its
    # parent's key.
    condition = _condition(err, root)
    reason = ""
    if condition is not None:
        mark = mark_at(marks, (*where, condition))
        value = err.instance[condition] if isinstance(err.instance, Mapping) else None
        shown = f"“{value}”" if isinstance(value, str) else f" {json.dumps(value)} "
        reason = f"{_label(field_schema(root, (*where, condition)), condition)}为{shown}时，"
    else:
        mark = mark_at(marks, where) if where else Mark(1, 1, 1, 1)
    hint = prop.get("description", "")
    message = f"{reason}缺少必填字段{_label(prop, missing)}" + (f"：{hint}" if hint else "")
    yield error(path, mark.key_line, mark.key_col, dotted((*where, missing)), message)


def _condition(err: ValidationError, root: Mapping[str, Any]) -> str | None:
    """The sibling field whose `if` made ``err``'s field required (`then`), when it is present
    in the record: the first property the `if` names."""
    steps = list(err.absolute_schema_path)
    if "then" not in steps or not isinstance(err.instance, Mapping):
        return None
    cut = len(steps) - 1 - steps[::-1].index("then")
    node: Any = root
    for step in steps[:cut]:
        try:
            node = resolve_refs(root, node) if step == "$ref" else node[step]
        except (KeyError, IndexError, TypeError):
            return None
    test = node.get("if") if isinstance(node, Mapping) else None
    names = list(test.get("properties", {})) if isinstance(test, Mapping) else []
    return next((name for name in names if name in err.instance), None)


def _unknown(
    err: ValidationError,
    where: JsonPath,
    schema: Mapping[str, Any],
    marks: Mapping[JsonPath, Mark],
    path: str,
) -> Iterator[Finding]:
    known = list(schema.get("properties", {}))
    instance = err.instance if isinstance(err.instance, Mapping) else {}
    for key in instance:
        if key in known:
            continue
        mark = mark_at(marks, (*where, key))
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.5)
        if close:
            guess = close[0]
            hint = f"：是否应为{_label(schema['properties'][guess], guess)}？"
        else:
            hint = f"：可用字段为 {'、'.join(known)}"
        yield error(
            path, mark.key_line, mark.key_col, dotted((*where, key)), f"未知字段「{key}」{hint}"
        )


def _bad_name(
    err: ValidationError,
    where: JsonPath,
    root: Mapping[str, Any],
    marks: Mapping[JsonPath, Mark],
    path: str,
) -> Finding:
    """A key that a mapping's ``propertyNames`` does not allow (a category that is none of the
    vocabulary's in ``zero_enforcement``), located at the key itself."""
    key = str(err.instance)
    mark = mark_at(marks, (*where, key))
    label = _label(field_schema(root, where), str(where[-1]) if where else "记录")
    allowed: Any = err.validator_value
    if err.validator == "enum" and isinstance(allowed, list):
        hint = "只能写：" + "、".join(str(o) for o in allowed)
    else:
        hint = f"不符合要求：{err.message}"
    message = f"{label}中不能写「{key}」，{hint}"
    return error(path, mark.key_line, mark.key_col, dotted((*where, key)), message)


_TYPE_NAMES = {
    "string": "文字",
    "integer": "整数",
    "number": "数字",
    "boolean": "true 或 false",
    "array": "列表（每项以“- ”开头）",
    "object": "若干“字段: 值”",
    "null": "空值",
}


def _message(err: ValidationError, label: str, schema: Mapping[str, Any]) -> str:
    value = err.instance
    shown = json.dumps(value, ensure_ascii=False) if not isinstance(value, dict | list) else "…"
    kind = err.validator
    if kind == "type":
        expected: Any = err.validator_value
        names = [expected] if isinstance(expected, str) else list(expected)
        want = "或".join(_TYPE_NAMES.get(n, n) for n in names)
        fix = (
            '，数字形式的编号请加引号，例如 "0123"'
            if "string" in names and not isinstance(value, str)
            else ""
        )
        return f"{label}应为{want}（当前为 {shown}）{fix}"
    if kind == "enum":
        allowed: Any = err.validator_value
        options = "、".join(str(o) for o in allowed)
        return f"{label}只能是：{options}（当前为 {shown}）"
    if kind == "const":
        wanted = err.validator_value
        # Written as in YAML: true, not Python's True.
        wanted = json.dumps(wanted) if isinstance(wanted, bool) else wanted
        return f"{label}只能是 {wanted}（当前为 {shown}）"
    if kind == "format" and err.validator_value == "regex":
        error = compile_error(value) if isinstance(value, str) else None
        return f"{label}不是有效的正则表达式（{error}）：请检查括号是否成对（当前为 {shown}）"
    if kind == "format" and err.validator_value == "date":
        return f"{label}不是有效日期：应写成 YYYY-MM-DD 且日期真实存在（当前为 {shown}）"
    if kind in ("minimum", "exclusiveMinimum"):
        sign = "≥" if kind == "minimum" else ">"
        return f"{label}必须 {sign} {err.validator_value}（当前为 {shown}）"
    if kind in ("maximum", "exclusiveMaximum"):
        sign = "≤" if kind == "maximum" else "<"
        return f"{label}必须 {sign} {err.validator_value}（当前为 {shown}）"
    if kind == "multipleOf":
        return f"{label}最多保留两位小数（当前为 {shown}）"
    if kind == "minLength":
        return f"{label}不能为空"
    if kind == "maxLength":
        return f"{label}过长：最多 {err.validator_value} 个字符"
    if kind == "minItems":
        return f"{label}至少要填写 {err.validator_value} 项"
    if kind == "minProperties":
        fields = "、".join(schema.get("properties", {}))
        hint = f"：可填 {fields}" if fields else ""
        return f"{label}至少要填写 {err.validator_value} 项{hint}"
    if kind == "uniqueItems":
        return f"{label}中有重复项"
    if kind == "pattern":
        hint = schema.get("description", "")
        return f"{label}格式不正确（当前为 {shown}）" + (f"：{hint}" if hint else "")
    return f"{label}不符合要求：{err.message}"


def field_title(kind: str, dotted: str) -> str:
    """The Chinese title of a field given as a dotted path (`penalty.fine` → 罚款金额), for
    people reading a change list; the path itself when the schema has no such field."""
    where: JsonPath = tuple(int(p) if p.isdigit() else p for p in dotted.split("."))
    title = field_schema(schema_for(kind), where).get("title")
    return str(title) if title else dotted
