"""Rows as bytes: CSV for spreadsheets (UTF-8 with BOM, CRLF) and JSON for programs.

Both are deterministic: the same rows give the same bytes, with no timestamp anywhere.

Content is untrusted (any clerk can open a pull request), so every cell of a ``string`` column
that a spreadsheet would run as a formula (it starts with ``= + - @``, a tab or a carriage
return) gets a leading ``'`` in CSV (``gongshi_records.spreadsheet``: OWASP's advice, reversible).
Typed columns (number, integer, date, boolean) are written as their values: a number is never
text. JSON keeps every value as recorded: no spreadsheet runs a JSON file.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import math
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from json.encoder import encode_basestring
from pathlib import Path
from typing import NamedTuple

from gongshi_records.spreadsheet import neutralise

from .columns import Cell, Column, Row, Table

CSV_ENCODING = "utf-8-sig"  # the BOM tells Excel and WPS that the file is UTF-8
JSON_ENCODING = "utf-8"
JsonValue = str | bool | int | float | None


def sorted_rows(table: Table, rows: list[Row]) -> list[Row]:
    """Rows in primary-key order: code point order of the key's text, numbers by value (a
    result's position 10 after 9, not after 1)."""
    return sorted(rows, key=lambda row: tuple(_key_text(row[name]) for name in table.primary_key))


def _key_text(value: Cell) -> str:
    # Keys are whole numbers ≥ 0 (positions) or text; padding makes text order numeric order.
    return f"{value:f}".zfill(20) if isinstance(value, Decimal) else str(value or "")


def _rounded(value: Decimal, column: Column) -> Decimal:
    if column.decimals is None:
        return value
    return value.quantize(Decimal(1).scaleb(-column.decimals), rounding=ROUND_HALF_UP)


def csv_cell(value: Cell, column: Column) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return f"{_rounded(value, column):f}"
    return neutralise(value) if column.type == "string" else value


def json_value(value: Cell, column: Column) -> JsonValue:
    if isinstance(value, Decimal):
        exact = _rounded(value, column)
        return int(exact) if exact == exact.to_integral_value() else float(exact)
    return value


def csv_bytes(table: Table, rows: list[Row]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.names)
    for row in rows:
        writer.writerow([csv_cell(row[column.name], column) for column in table.columns])
    return buffer.getvalue().encode(CSV_ENCODING)


def json_bytes(table: Table, rows: list[Row]) -> bytes:
    text = json.dumps(_json_objects(table, rows), ensure_ascii=False, indent=1, allow_nan=False)
    return (text + "\n").encode(JSON_ENCODING)


class Written(NamedTuple):
    """What a mirror checks a written file against: its size and SHA-256."""

    size: int
    sha256: str


def write_csv(path: Path, table: Table, rows: Iterable[Row]) -> Written:
    """``csv_bytes`` written to ``path`` a few thousand rows at a time, hashed as written: the
    same bytes without the whole table as text and as bytes in memory (decisions.csv is 65 MB
    at 100,000 decisions)."""
    encoder = codecs.getincrementalencoder(CSV_ENCODING)()  # one BOM, at the start
    digest, size = hashlib.sha256(), 0
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    with path.open("wb") as stream:

        def flush(final: bool = False) -> None:
            nonlocal size
            data = encoder.encode(buffer.getvalue(), final)
            stream.write(data)
            digest.update(data)
            size += len(data)
            buffer.seek(0)
            buffer.truncate()

        writer.writerow(table.names)
        for count, row in enumerate(rows, 1):
            writer.writerow([csv_cell(row[column.name], column) for column in table.columns])
            if count % _ROWS_PER_WRITE == 0:
                flush()
        flush(final=True)
    return Written(size, digest.hexdigest())


def write_json(path: Path, table: Table, rows: Iterable[Row]) -> None:
    """``json_bytes`` written to ``path`` one row at a time: the same bytes without the whole
    text, or every row as a JSON object, in memory (decisions.json is 134 MB at 100,000
    decisions). An object encoded alone is what the list's indent=1 writes, one space in."""
    # _object_text writes scalars as this encoder does: change one, change the other (and
    # tests/test_exports.py compares them).
    encoder = json.JSONEncoder(ensure_ascii=False, indent=1, allow_nan=False)
    keys = _keys(column.name for column in table.columns)
    pending: list[str] = []
    empty = True
    with path.open("wb") as stream:
        for row in rows:
            text = _object_text(encoder, keys, _json_object(table, row))
            pending.append(("[\n " if empty else ",\n ") + text)
            empty = False
            if len(pending) >= _ROWS_PER_WRITE:
                stream.write("".join(pending).encode(JSON_ENCODING))
                pending.clear()
        pending.append("[]\n" if empty else "\n]\n")
        stream.write("".join(pending).encode(JSON_ENCODING))


_ROWS_PER_WRITE = 2000


def _keys(names: Iterable[str]) -> list[str]:
    """Each key as write_json's objects start its line."""
    return [f"\n  {encode_basestring(name)}: " for name in names]


def _object_text(encoder: json.JSONEncoder, keys: list[str], row: dict[str, JsonValue]) -> str:
    """``encoder.encode(row)`` one space in, as write_json needs it. With an indent, json
    encodes in pure Python (twelve of the L rebuild's open data seconds); a row's values are
    scalars, each encoded here as the encoder would, and its keys once per table. Anything
    else goes to the encoder itself."""
    parts: list[str] = []
    for key, value in zip(keys, row.values(), strict=True):
        # Most cells are text: encoded without the call.
        text = encode_basestring(value) if type(value) is str else _scalar(value)
        if text is None:
            return encoder.encode(row).replace("\n", "\n ")
        parts.append(key + text)
    return "{" + ",".join(parts) + "\n }" if parts else "{}"


def _scalar(value: JsonValue) -> str | None:
    """A scalar as JSONEncoder writes it (ensure_ascii=False); None when it is not one, or a
    float JSON cannot state (the encoder then raises, as allow_nan=False asks)."""
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is int:
        return int.__repr__(value)
    if type(value) is float and math.isfinite(value):
        return float.__repr__(value)
    return None


def _json_object(table: Table, row: Row) -> dict[str, JsonValue]:
    return {column.name: json_value(row[column.name], column) for column in table.columns}


def _json_objects(table: Table, rows: list[Row]) -> list[dict[str, JsonValue]]:
    return [_json_object(table, row) for row in rows]
