"""`gongshi import FILE`: records from the clerk's register (XLSX or CSV), all or nothing."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gongshi_clerk.columns import NOT_SUPPORTED, SUPPORTED
from gongshi_clerk.registers import RegisterError, read_register
from gongshi_clerk.sheet_import import Problem, Rows, choose_kind, read_rows
from gongshi_clerk.sheet_plan import Plan, Status, diff_lines, plan_import, write_changes
from gongshi_clerk.table import Sheet
from gongshi_records.registry import RECORD_TYPES, Kind

from ..common import EXIT_FINDINGS, EXIT_OK, UsageError, add_content_option, content_dir
from .export import supported_kind

NAME = "import"


def register(sub: Any) -> None:
    parser = sub.add_parser(NAME, help="从书记员台账（XLSX/CSV）导入记录：先全部校验，无误才写入")
    parser.add_argument("file", metavar="FILE", help="台账文件：.xlsx 或 .csv（UTF-8 或 GBK）")
    parser.add_argument(
        "--update", action="store_true", help="允许修改已存在的记录（逐字段列出改动）"
    )
    parser.add_argument("--dry-run", action="store_true", help="只显示将写入的内容，不写任何文件")
    parser.add_argument(
        "--type", metavar="TYPE", help="记录类型（默认按工作表名或列标题识别），例如 officer"
    )
    add_content_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    content = content_dir(args.content)
    path = Path(args.file)
    if not path.is_file():
        raise UsageError(f"文件 {args.file} 不存在")
    wanted = supported_kind(args.type) if args.type else None
    try:
        sheets, encoding = read_register(path)
    except RegisterError as exc:
        raise UsageError(str(exc)) from exc
    if encoding is not None:
        sys.stderr.write(f"按 {encoding} 编码读取 {path.name}\n")
    records, problems = _read_sheets(sheets, wanted)
    if problems:
        return _fail([p.text() for p in problems])
    plan = plan_import(content, records, args.update)
    if plan.errors:
        return _fail(plan.errors, plan.warnings)
    _report(plan)
    if args.dry_run:
        sys.stderr.write("试运行（--dry-run）：未写入任何文件\n")
        return EXIT_OK
    written = write_changes(content, plan.changes)
    sys.stderr.write(f"已写入 {written} 个文件\n")
    return EXIT_OK


def _read_sheets(sheets: list[Sheet], wanted: Kind | None) -> tuple[list[Rows], list[Problem]]:
    records: list[Rows] = []
    problems: list[Problem] = []
    for sheet in sheets:
        if not sheet.header and not sheet.rows:
            continue
        kind = choose_kind(sheet, wanted)
        if kind is None:
            message = "无法识别记录类型：请把工作表命名为记录类型（如“执法人员”）或加 --type"
            problems.append(Problem(sheet.where(), message))
            continue
        if kind not in SUPPORTED:
            label = RECORD_TYPES[kind].label
            problems.append(Problem(sheet.where(), f"{label}不能从表格导入：{NOT_SUPPORTED[kind]}"))
            continue
        found, sheet_problems = read_rows(sheet, kind)
        records += found
        problems += sheet_problems
    return records, problems


def _fail(errors: list[str], warnings: Sequence[str] = ()) -> int:
    for line in warnings:
        sys.stdout.write(f"警告 {line}\n")
    for line in errors:
        sys.stdout.write(f"{line}\n")
    sys.stderr.write(f"{len(errors)} 个错误：未写入任何文件\n")
    return EXIT_FINDINGS


def _report(plan: Plan) -> None:
    for line in plan.warnings:
        sys.stdout.write(f"警告 {line}\n")
    counts = dict.fromkeys(Status, 0)
    for change in plan.changes:
        counts[change.status] += 1
        if change.status is Status.NEW:
            sys.stdout.write(f"新增 {change.shown}\n")
        elif change.status is Status.CHANGED:
            sys.stdout.write(f"修改 {change.shown}\n")
            sys.stdout.write("".join(f"{line}\n" for line in diff_lines(change)))
    summary = "，".join(f"{status.value} {n} 条" for status, n in counts.items())
    if not counts[Status.NEW] and not counts[Status.CHANGED]:
        summary += "（没有改动）"
    sys.stderr.write(summary + "\n")
