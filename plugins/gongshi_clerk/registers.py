"""Reading a register file of any format, and what the commands say about registers."""

from __future__ import annotations

from pathlib import Path

from .csvfile import CsvError, read_csv
from .table import Sheet
from .xlsx import SheetError, read_xlsx

FORMATS = (".xlsx", ".csv")
# Said on stderr whenever a register is written: it is not the public open data.
NOT_PUBLIC = (
    "注意：这是书记员工作台账，含未脱敏的姓名和记录的全部字段，只供本单位编辑后用 "
    "gongshi import 导回；不是公开数据，请勿对外发布或上传。公开数据见网站的 data/ 目录。"
)


class RegisterError(ValueError):
    """A file that cannot be read as a register at all (Chinese message)."""


def read_register(path: Path) -> tuple[list[Sheet], str | None]:
    """The sheets of an XLSX or CSV file, and the encoding a CSV file was read in."""
    suffix = path.suffix.lower()
    source = path.name
    try:
        if suffix == ".xlsx":
            return read_xlsx(path, source), None
        if suffix in (".csv", ".txt", ".tsv"):
            sheet, encoding = read_csv(path, source)
            return [sheet], encoding
    except (SheetError, CsvError) as exc:
        raise RegisterError(str(exc)) from exc
    raise RegisterError(f"不支持的文件类型 {suffix or '（无扩展名）'}：请使用 .xlsx 或 .csv")
