"""`gongshi withdraw PATH --cause C --occurred-on DATE --reason TEXT`: take a published decision
down with a public reason (行政处罚法第四十八条), leaving the rest of its file as it was."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from gongshi_clerk.withdraw import Target, WithdrawError, apply, causes, locate
from gongshi_history.gitlog import HistoryUnavailable
from gongshi_history.trail import read_history
from gongshi_records.findings import render_text
from gongshi_records.publication import resolve_as_of

from ..common import EXIT_FINDINGS, EXIT_OK, UsageError, add_content_option, content_dir, iso_date

NAME = "withdraw"


def register(sub: Any) -> None:
    parser = sub.add_parser(NAME, help="撤下一项已公示的执法决定，并公开说明理由")
    parser.add_argument("path", metavar="PATH", help="执法决定的文件")
    parser.add_argument("--cause", required=True, choices=causes(), help="撤下原因")
    parser.add_argument(
        "--occurred-on",
        required=True,
        type=iso_date,
        metavar="YYYY-MM-DD",
        help="引起撤下的事件发生的日期（如复议决定、判决的日期）",
    )
    parser.add_argument("--reason", required=True, help="向公众说明的撤下理由（会在网站上公开）")
    parser.add_argument(
        "--late-reason",
        metavar="TEXT",
        help="超过 3 个工作日才撤下时，迟延的原因（一行中文，会在公示情况监督页公开）",
    )
    add_content_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    content = content_dir(args.content)
    if args.occurred_on > resolve_as_of(None):
        raise UsageError(f"事由发生日期 {args.occurred_on} 晚于今天：请核对 --occurred-on")
    try:
        target = locate(content, Path(args.path))
        _require_published(target)
        outcome = apply(target, args.cause, args.occurred_on, args.reason, args.late_reason)
    except WithdrawError as exc:
        raise UsageError(str(exc)) from exc
    if outcome.existing:
        sys.stderr.write(
            f"注意：{target.shown} 原有 {len(outcome.existing)} 个错误（与撤下无关），"
            "合并前仍须修正（gongshi validate 可列出）\n"
        )
    if not outcome.written:
        sys.stdout.write(render_text(outcome.errors))
        sys.stderr.write(f"未作任何修改：加上这份撤下说明后 {target.shown} 会有上面的错误\n")
        return EXIT_FINDINGS
    sys.stdout.write(target.shown + "\n")
    sys.stderr.write(
        f"已在 {target.shown} 末尾加上撤下说明：请提交并发起合并，"
        "合并后网站只显示撤下说明；依法应在事由发生后 3 个工作日内撤下\n"
    )
    return EXIT_OK


def _require_published(target: Target) -> None:
    """Only what the publishing branch published is withdrawn; the rest is simply deleted."""
    try:
        history = read_history(target.content)
    except HistoryUnavailable as exc:
        raise UsageError(f"{exc}：无法确认这项决定是否已经公示，不能撤下") from exc
    relative = target.path.relative_to(history.log.root).as_posix()
    if history.published(relative) is None:
        raise UsageError(
            f"{target.shown} 还没有合并进发布分支，从未公示过：不需要撤下，"
            "直接删除这个文件（或在合并请求中去掉它）即可"
        )
