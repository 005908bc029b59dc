"""What every gongshi command shares: exit codes, the usage error, argument types, printing."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from gongshi_records.findings import Finding
from gongshi_records.model import FIRST_YEAR, LAST_YEAR
from gongshi_records.reporters import BASIC_FORMATS, render

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad arguments or environment: reported in one Chinese line, exit 2."""


def content_dir(value: str) -> Path:
    path = Path(value)
    if not path.is_dir():
        raise UsageError(f"内容目录 {value} 不存在：请用 --content 指定记录所在目录")
    return path


def iso_date(value: str) -> dt.date:
    """An argparse type: YYYY-MM-DD, a real date in the years a record may hold (model.py), so
    no command computes with year 10000."""
    try:
        if len(value) != 10:
            raise ValueError(value)
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD 且真实存在：{value}") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise argparse.ArgumentTypeError(f"日期应在 {FIRST_YEAR}—{LAST_YEAR} 年之间：{value}")
    return day


def add_content_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", default="content", help="记录目录（默认 content/）")


def add_format_option(
    parser: argparse.ArgumentParser, choices: Iterable[str] = tuple(BASIC_FORMATS)
) -> None:
    """--format: text and json everywhere; a command may offer more (validate: github, gitlab)."""
    parser.add_argument("--format", choices=tuple(choices), default="text", help="输出格式")


def print_findings(findings: Sequence[Finding], fmt: str) -> None:
    sys.stdout.write(render(findings, fmt))
