"""`gongshi deadline DATE N`: the date N working days after DATE, by the official calendar, and
which calendar decided each year it counted through (on stderr, so stdout stays the date a
script reads; `--format json` gives both as one object)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from gongshi_history.workdays import (
    PACKAGE_ONLY,
    CalendarInvalid,
    CalendarMissing,
    WorkCalendar,
    calendar_from_content,
)

from ..common import EXIT_OK, UsageError, add_format_option, content_dir, iso_date

NAME = "deadline"


def working_days(value: str) -> int:
    """An argparse type: a whole number of working days, 0 or more."""
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"工作日数应为不小于 0 的整数：{value}")
    return int(value)


def register(sub: Any) -> None:
    parser = sub.add_parser(NAME, help="计算某日之后第 N 个工作日（按法定节假日和调休）")
    parser.add_argument("date", type=iso_date, metavar="DATE", help="起算日（当日不计入）")
    parser.add_argument("days", type=working_days, metavar="N", help="工作日数")
    parser.add_argument(
        "--content",
        help="记录目录，读取其中 calendar/<年份>.yaml（默认 content/，不存在时只用内置日历）",
    )
    add_format_option(parser)
    parser.set_defaults(func=run)


def _calendar(option: str | None) -> WorkCalendar:
    if option is None and not Path("content").is_dir():
        return PACKAGE_ONLY
    try:
        return calendar_from_content(content_dir(option or "content"))
    except CalendarInvalid as exc:
        raise UsageError(str(exc)) from exc


def run(args: argparse.Namespace) -> int:
    calendar = _calendar(args.content).tracking()
    try:
        due = calendar.add_working_days(args.date, args.days)
    except CalendarMissing as exc:
        raise UsageError(str(exc)) from exc
    used = calendar.used()
    if args.format == "json":
        answer = {"date": due.isoformat(), "calendars": [use.as_dict() for use in used]}
        sys.stdout.write(json.dumps(answer, ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
    sys.stdout.write(f"{due.isoformat()}\n")
    for use in used:
        sys.stderr.write(f"工作日历 {use.label()}\n")
    return EXIT_OK
