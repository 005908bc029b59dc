"""`gongshi new TYPE --agency ID`: a new record's template, every field explained in Chinese."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from gongshi_clerk.scaffold import ScaffoldError, new_record
from gongshi_records.publication import resolve_as_of
from gongshi_records.registry import RECORD_TYPES, Kind
from gongshi_records.validate import display_path, repo_root

from ..common import EXIT_OK, UsageError, add_content_option, content_dir

NAME = "new"


def register(sub: Any) -> None:
    types = "；".join(f"{t.name} {t.label}" for t in RECORD_TYPES.values())
    parser = sub.add_parser(NAME, help="生成一条新记录的模板，每一项都有中文说明")
    parser.add_argument(
        "type", choices=[t.name for t in RECORD_TYPES.values()], metavar="TYPE", help=types
    )
    parser.add_argument("--agency", metavar="ID", help="所属执法主体的代号（文件夹名）")
    parser.add_argument(
        "--id",
        metavar="ID",
        help="记录的编号，也是文件名：执法人员写执法证号，权责清单事项写事项编码；"
        "执法决定不写时取当年下一个空号，例如 2026-008",
    )
    parser.add_argument("--year", metavar="YYYY", help="执法决定所在的年份文件夹（默认今年）")
    add_content_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    content = content_dir(args.content)
    kind = Kind(args.type)
    year = args.year
    if year is None and RECORD_TYPES[kind].needs("year"):
        year = str(resolve_as_of(None).year)
    try:
        path = new_record(content, kind, args.agency, args.id, year)
    except (ScaffoldError, ValueError) as exc:
        raise UsageError(str(exc)) from exc
    shown = display_path(path, repo_root(content))
    sys.stdout.write(shown + "\n")
    sys.stderr.write(
        f"已生成{RECORD_TYPES[kind].label}模板：请按每项上方的说明填写，"
        f"然后运行 gongshi validate {shown} 检查\n"
    )
    return EXIT_OK
