"""`gongshi export TYPE --output FILE`: the clerk's register of one record type (XLSX or CSV)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from gongshi_clerk.columns import NOT_SUPPORTED, SUPPORTED, resolve_kind
from gongshi_clerk.csvfile import write_csv
from gongshi_clerk.registers import FORMATS, NOT_PUBLIC
from gongshi_clerk.sheet_export import export_sheet, read_records
from gongshi_clerk.xlsx import SheetError, write_xlsx
from gongshi_records.registry import RECORD_TYPES, Kind

from ..common import EXIT_FINDINGS, EXIT_OK, UsageError, add_content_option, content_dir

NAME = "export"


def register(sub: Any) -> None:
    parser = sub.add_parser(NAME, help="导出书记员台账（XLSX/CSV，全部字段，可改后用 import 导回）")
    names = "、".join(f"{k.value}（{RECORD_TYPES[k].label}）" for k in SUPPORTED)
    parser.add_argument("type", metavar="TYPE", help=f"记录类型：{names}")
    parser.add_argument("--agency", metavar="ID", help="只导出该执法主体（文件夹名）的记录")
    parser.add_argument(
        "--output", required=True, metavar="FILE", help="输出文件，.xlsx 或 .csv（UTF-8 带 BOM）"
    )
    add_content_option(parser)
    parser.set_defaults(func=run)


def supported_kind(name: str) -> Kind:
    kind = resolve_kind(name)
    if kind is None:
        choices = "、".join(k.value for k in SUPPORTED)
        raise UsageError(f"未知的记录类型「{name}」：可用 {choices}")
    if kind not in SUPPORTED:
        raise UsageError(f"{RECORD_TYPES[kind].label}不能导出为表格：{NOT_SUPPORTED[kind]}")
    return kind


def run(args: argparse.Namespace) -> int:
    content = content_dir(args.content)
    kind = supported_kind(args.type)
    output = Path(args.output)
    if output.suffix.lower() not in FORMATS:
        raise UsageError(f"输出文件应以 .xlsx 或 .csv 结尾：{args.output}")
    if args.agency and not (content / "agencies" / args.agency).is_dir():
        raise UsageError(f"执法主体 {args.agency} 不存在：content/agencies/ 下没有该文件夹")
    records, problems = read_records(content, kind, args.agency)
    exported = export_sheet(kind, records)
    problems += exported.problems
    if problems:
        sys.stdout.write("".join(f"{p}\n" for p in problems))
        sys.stderr.write("以上记录无法导出，未写入文件：请先用 gongshi validate 修正\n")
        return EXIT_FINDINGS
    try:
        if output.suffix.lower() == ".csv":
            write_csv(output, exported.sheet)
        else:
            write_xlsx(output, [exported.sheet])
    except SheetError as exc:
        raise UsageError(str(exc)) from exc
    except OSError as exc:
        raise UsageError(f"无法写入 {output}：{exc.strerror}") from exc
    label = RECORD_TYPES[kind].label
    sys.stderr.write(NOT_PUBLIC + "\n")
    sys.stderr.write(
        f"已导出 {exported.records} 条{label}记录（{len(exported.sheet.rows)} 行）到 {output}\n"
    )
    return EXIT_OK
