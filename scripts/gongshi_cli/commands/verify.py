"""`gongshi verify DIR|URL`: check a copy or a mirror of the site against its SHA256SUMS."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from ..common import EXIT_FINDINGS, EXIT_OK, UsageError, iso_date

NAME = "verify"


def register(sub: Any) -> None:
    parser = sub.add_parser(NAME, help="按 SHA256SUMS 和签名核对网站的副本或镜像")
    parser.add_argument("site", metavar="DIR|URL", help="网站目录，或镜像网站根目录的 http(s) 网址")
    parser.add_argument(
        "--key", metavar="PUBKEY", help="网站公布的公钥 signing-key.pub：要求签名有效"
    )
    parser.add_argument(
        "--state",
        metavar="FILE",
        help=(
            "记录每个网站见过的最大声明序号的文件：序号变小即报告版本回退"
            "（须同时给出 --key；核对通过后才更新）"
        ),
    )
    parser.add_argument(
        "--as-of",
        type=iso_date,
        metavar="DATE",
        help="按该日期判断声明是否过期（默认今天，用于审计和测试）",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from gongshi_trust.config import os_reason
    from gongshi_trust.keys import KeyRefused, read_public_key
    from gongshi_trust.sources import SourceUnavailable, open_source
    from gongshi_trust.state import StateInvalid, read_state, remember
    from gongshi_trust.verify import verify

    # Only a signed statement's serial may be remembered: without --key anyone serving an
    # unsigned statement with a huge serial would make every genuine build look rolled back.
    if args.state and not args.key:
        raise UsageError(
            "--state 必须与 --key 一起使用：只有签名有效的声明序号才能记入状态文件"
            "（否则任何人都能写入一个极大的序号，让真实的网站被误报为版本回退）"
        )
    key = None
    if args.key:
        try:
            key = read_public_key(Path(args.key).read_bytes(), args.key)
        except OSError as exc:
            raise UsageError(f"无法读取公钥 {args.key}（{os_reason(exc)}）") from exc
        except KeyRefused as refused:
            raise UsageError(str(refused)) from refused
    # verify is not a build: the wall clock is the right default for "has this expired".
    as_of = args.as_of or dt.date.today()
    try:
        source = open_source(args.site)
        state = Path(args.state) if args.state else None
        highest = read_state(state).get(source.location) if state else None
        outcome = verify(source, key=key, as_of=as_of, highest_serial=highest)
    except (SourceUnavailable, StateInvalid) as problem:
        raise UsageError(str(problem)) from problem
    for line in outcome.findings:
        sys.stdout.write(f"{line}\n")
    for note in outcome.notes:
        sys.stderr.write(f"{note}\n")
    if outcome.findings:
        sys.stderr.write(f"{args.site}：发现 {len(outcome.findings)} 处不一致\n")
        return EXIT_FINDINGS
    statement = outcome.statement
    assert statement is not None  # a clean outcome has read its statement
    if state is not None:
        remember(state, source.location, statement.serial)
    sys.stderr.write(
        f"核对通过：{outcome.files} 个文件与 SHA256SUMS 一致；声明序号 {statement.serial}，"
        f"生成日期 {statement.as_of}，有效期至 {statement.expires}\n"
    )
    return EXIT_OK
