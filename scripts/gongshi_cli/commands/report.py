"""`gongshi report`: late publications and withdrawals, reviews after the decision, missing
annual statistics, unconfirmed declared dates, expiring certificates; a summary per agency.
With `--due-within N`, also what falls due in the next N working days: reminders, which do not
change the exit code (only findings do)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from gongshi_history.gitlog import HistoryUnavailable
from gongshi_history.report import build_report
from gongshi_history.reportfinding import NOT_PROBLEMS
from gongshi_history.trail import read_history
from gongshi_history.workdays import calendar_from_corpus
from gongshi_records.findings import errors_of, has_errors
from gongshi_records.publication import resolve_as_of
from gongshi_records.validate import validate_content

from ..common import (
    EXIT_FINDINGS,
    EXIT_OK,
    UsageError,
    add_content_option,
    add_format_option,
    content_dir,
    iso_date,
    print_findings,
)
from .deadline import working_days

NAME = "report"


def register(sub: Any) -> None:
    parser = sub.add_parser(NAME, help="合规报告：迟延公示、迟延撤回、审核晚于决定、缺年度统计等")
    add_content_option(parser)
    parser.add_argument("--as-of", type=iso_date, help="以该日期判断是否逾期（默认今天）")
    parser.add_argument(
        "--due-within",
        type=working_days,
        metavar="N",
        help="另列出今后 N 个工作日内到期、尚未完成的事项（提醒，不影响退出码）",
    )
    add_format_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    content = content_dir(args.content)
    as_of = resolve_as_of(args.as_of)
    validation = validate_content(content)
    calendars = f"{validation.corpus.prefix}/calendar/"
    broken = [f for f in errors_of(validation.findings) if f.path.startswith(calendars)]
    if broken:
        # A holiday dropped from a broken calendar file would silently move every deadline.
        print_findings(broken, "text")
        raise UsageError("工作日历文件有错误，无法计算期限：请先修正以上问题")
    try:
        # The report is about dates: like a publish build it refuses a shallow clone.
        history = read_history(content, publish=True)
    except HistoryUnavailable as exc:
        raise UsageError(str(exc)) from exc
    calendar = calendar_from_corpus(validation.corpus)
    report = build_report(validation.corpus, history, calendar, as_of, args.due_within)
    sys.stdout.write(report.json() if args.format == "json" else report.text())
    if has_errors(validation.findings):
        errors = len(errors_of(validation.findings))
        sys.stderr.write(
            f"注意：记录有 {errors} 个校验错误，报告可能不完整，请运行 gongshi validate\n"
        )
    # Listed for review, not problems: a privacy exemption does not fail the report.
    problems = [f for f in report.findings if f.rule not in NOT_PROBLEMS]
    if args.format == "text":
        soon = f"，{len(report.due_soon.reminders)} 项即将到期" if report.due_soon else ""
        sys.stderr.write(f"{len(problems)} 个问题{soon}（截至 {as_of}）\n")
    return EXIT_FINDINGS if problems else EXIT_OK
