"""Dates, amounts and patterns within what any real record holds, in every field of every type.

The schemas say a date is a real calendar date and an amount a non-negative number of yuan;
they cannot say "no year 9999" or "no fine of 10^14 yuan" without repeating a bound in every
schema. These rules find every date, amount and regular-expression field through the schema
itself (``format: date``; the shared amount definition's ``multipleOf: 0.01``; ``format:
regex``), so a field added later is covered without being named here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache
from typing import Any

from .findings import Finding
from .model import FIRST_YEAR, LAST_YEAR, Record, finding_at, walk
from .patterns import MAX_PATTERN, compile_error, pattern_problem
from .schema import field_schema, schema_for
from .yamlload import JsonPath

# 100 billion yuan: five times the largest fine ever imposed in China (18.228 billion, 2021),
# and the first value the loader no longer reads as a number (a plain number has at most 11
# digits; longer digit runs stay text, so a typed 50000000000000 is reported here too).
MAX_AMOUNT = 10**11


def bounds(record: Record) -> Iterator[Finding]:
    """Every date field's year within FIRST_YEAR–LAST_YEAR, every amount below MAX_AMOUNT,
    every regular expression safe to match (patterns.py)."""
    for where, value in walk(record.data):
        if isinstance(value, (dict, list)):
            continue
        kind = _field_kind_at(record.kind, where)
        if kind is None:
            continue
        title, optional = kind[1], kind[2]
        if kind[0] == "date":
            yield from _date(record, where, value, title, optional)
        elif kind[0] == "amount":
            yield from _amount(record, where, value, title)
        else:
            yield from _pattern(record, where, value, title)


def _date(
    record: Record, where: JsonPath, value: Any, title: str, optional: bool
) -> Iterator[Finding]:
    # Only the shape YYYY-MM-DD: anything else is the schema's format finding.
    if not (isinstance(value, str) and len(value) == 10 and value[:4].isdigit()):
        return
    year = int(value[:4])
    if FIRST_YEAR <= year <= LAST_YEAR:
        return
    end = str(where[-1]).endswith("_until")
    if end and optional:
        fix = "；长期有效、没有截止日期的，删除这一行即可，不要写 9999-12-31"
    elif end:
        fix = "；此项必须写明证件或文书载明的截止日期"
    else:
        fix = ""
    yield finding_at(
        record,
        where,
        "date.range",
        f"「{title}」{value} 不在 {FIRST_YEAR}—{LAST_YEAR} 年之间：请核对年份{fix}",
    )


def _amount(record: Record, where: JsonPath, value: Any, title: str) -> Iterator[Finding]:
    if isinstance(value, bool):
        return
    if isinstance(value, int | float):
        amount = Decimal(str(value))
    elif isinstance(value, str) and _DIGITS.fullmatch(value):
        amount = Decimal(value)
    else:
        return
    if amount >= MAX_AMOUNT:
        yield finding_at(
            record,
            where,
            "amount.range",
            f"「{title}」{value} 元达到 1000 亿元，不可能是真实金额"
            "（已知最大的单笔罚款约 182 亿元）：请核对单位（元）和位数",
        )


_DIGITS = re.compile(r"[0-9]{1,40}(?:\.[0-9]{1,10})?")


def _pattern(record: Record, where: JsonPath, value: Any, title: str) -> Iterator[Finding]:
    if not isinstance(value, str):
        return
    if len(value) <= MAX_PATTERN and compile_error(value) is not None:
        return  # the schema's `format: regex` finding says it does not compile
    problem = pattern_problem(value)
    if problem is not None:
        yield finding_at(record, where, "setting.pattern", f"「{title}」{problem}")


@lru_cache(maxsize=16384)
def _field_kind_at(kind: str, where: JsonPath) -> tuple[str, str, bool] | None:
    # Asked of every value of every record: the same few hundred places, looked up at once.
    return _field_kind(kind, _shape(where))


def _shape(where: JsonPath) -> JsonPath:
    # Every item of a list has the list's item schema: one cache entry for all of them.
    return tuple(0 if isinstance(step, int) else step for step in where)


@lru_cache(maxsize=4096)
def _field_kind(kind: str, shape: JsonPath) -> tuple[str, str, bool] | None:
    """("date" | "amount" | "pattern", the field's title, whether it may be left out)."""
    try:
        root = schema_for(kind)
    except OSError:  # a kind without a schema file (an example's own kind name)
        return None
    node = field_schema(root, shape)
    title = str(node.get("title") or (shape[-1] if shape else ""))
    parent = field_schema(root, shape[:-1]) if shape else {}
    optional = bool(shape) and shape[-1] not in parent.get("required", ())
    if node.get("format") == "date":
        return ("date", title, optional)
    if node.get("format") == "regex":
        return ("pattern", title, optional)
    if node.get("type") == "number" and node.get("multipleOf") == 0.01:
        return ("amount", title, optional)
    return None
