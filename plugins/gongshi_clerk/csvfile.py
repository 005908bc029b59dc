"""CSV for the clerk's register: written as UTF-8 with BOM, read in whatever Excel saved.

Reading detects the encoding, never guesses: a BOM decides (UTF-8, or UTF-16 from Excel's
"Unicode text"); otherwise text that decodes as UTF-8 is UTF-8 (GBK Chinese text practically
never does); otherwise GB18030, the superset of GBK that Excel and WPS on Chinese Windows
write. Tab-separated text (UTF-16 "Unicode text") is recognised by its header line.

Text cells starting with ``= + - @`` (or a tab or carriage return) are written with a leading
``'`` so a spreadsheet never runs them as formulas; reading removes exactly one such ``'``
(``gongshi_records.spreadsheet``, the same rule as the portal's public ``data/*.csv``, so a
public CSV imports back unchanged too).
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

from gongshi_records.spreadsheet import neutralise, restore

from .cells import CellValue, RawCell, cell_text
from .table import OutSheet, Sheet

ENCODING = "utf-8-sig"


class CsvError(ValueError):
    """A file that cannot be read as CSV text (Chinese message)."""


def guard(value: CellValue) -> str:
    """A cell as CSV text, formula-like text neutralised with a leading '."""
    text = cell_text(value)
    return neutralise(text) if isinstance(value, str) else text


def unguard(text: str) -> str:
    return restore(text)


def csv_bytes(out: OutSheet) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.title for column in out.columns])
    for row in out.rows:
        writer.writerow([guard(value) for value in row])
    return buffer.getvalue().encode(ENCODING)


def write_csv(path: Path, out: OutSheet) -> None:
    path.write_bytes(csv_bytes(out))


def decode(raw: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read in."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8) :].decode("utf-8"), "UTF-8"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16"), "UTF-16"
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), "GB18030"
    except UnicodeDecodeError as exc:
        raise CsvError(
            "文件既不是 UTF-8 也不是 GBK/GB18030 编码：请在 Excel 中另存为“CSV UTF-8”"
        ) from exc


def read_csv(path: Path, source: str) -> tuple[Sheet, str]:
    """The file's one sheet and the encoding it was read in."""
    text, encoding = decode(path.read_bytes())
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise CsvError(f"{source} 不是有效的 CSV 文件：{exc}") from exc
    header = [h.strip() for h in records[0]] if records else []
    while header and not header[-1]:
        header.pop()
    sheet = Sheet(source, None, header)
    for number, cells in enumerate(records[1:], start=2):
        values: list[RawCell] = [unguard(c) for c in cells[: len(header)]]
        if any(v.strip() for v in values if isinstance(v, str)):
            sheet.rows.append((number, values))
        if any(c.strip() for c in cells[len(header) :]):
            raise CsvError(f"{sheet.where(number)} 的单元格比标题行多：请检查是否有多余的逗号")
    return sheet, encoding
