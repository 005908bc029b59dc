"""`gongshi report`: late publications and withdrawals, reviews after the decision, missing
annual statistics, unconfirmed declared dates, expiring certificates; a summary per agency."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from gongshi_history.gitlog import HistoryUnavailable
from gongshi_history.report import build_report
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

NAME = "report"


def register(sub: Any) -> None:
    parser = sub.add_parser(NAME, help="合规报告：迟延公示、迟延撤回、审核晚于决定、缺年度统计等")
    add_content_option(parser)
    parser.add_argument("--as-of", type=iso_date, help="以该日期判断是否逾期（默认今天）")
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
    report = build_report(
        validation.corpus, history, calendar_from_corpus(validation.corpus), as_of
    )
    sys.stdout.write(report.json() if args.format == "json" else report.text())
    if has_errors(validation.findings):
        errors = len(errors_of(validation.findings))
        sys.stderr.write(
            f"注意：记录有 {errors} 个校验错误，报告可能不完整，请运行 gongshi validate\n"
        )
    if args.format == "text":
        sys.stderr.write(f"{len(report.findings)} 个问题（截至 {as_of}）\n")
    return EXIT_FINDINGS if report.findings else EXIT_OK
